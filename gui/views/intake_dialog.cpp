#include "intake_dialog.h"

#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/choice.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include "form_parts.h"
#include "ui_text.h"

namespace suqiu::console {
namespace {

wxChoice* choice_of(wxWindow* parent, const std::vector<std::pair<std::string, std::string>>& items) {
  auto* c = new wxChoice(parent, wxID_ANY);
  for (const auto& [code, label] : items) c->Append(ui(label));
  c->SetSelection(0);
  return c;
}

void select_code(wxChoice* c, const std::vector<std::pair<std::string, std::string>>& items, const std::string& code) {
  for (std::size_t i = 0; i < items.size(); ++i)
    if (items[i].first == code) c->SetSelection(static_cast<int>(i));
}

std::string code_of(wxChoice* c, const std::vector<std::pair<std::string, std::string>>& items) {
  const int at = c->GetSelection();
  return at == wxNOT_FOUND ? std::string() : items[static_cast<std::size_t>(at)].first;
}

}  // namespace

IntakeDialog::IntakeDialog(wxWindow* parent, IntakeDesk& desk)
    : wxDialog(parent, wxID_ANY, ui(words()("登记来电", "Log a call")), wxDefaultPosition, wxDefaultSize,
               wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER),
      desk_(desk),
      external_id_(desk.new_external_id()),
      sources_(desk.sources()),
      types_(desk.request_types()) {
  const Words& w = words();
  auto* grid = new wxFlexGridSizer(2, 8, 8);
  grid->AddGrowableCol(1);
  auto row = [&](std::string_view zh, std::string_view en, wxWindow* control, int proportion = 0) {
    grid->Add(new wxStaticText(this, wxID_ANY, ui(w(zh, en))), 0, wxALIGN_TOP | wxTOP, 4);
    grid->Add(control, proportion, wxEXPAND);
  };
  source_ = choice_of(this, sources_);
  row("渠道", "Channel", source_);
  name_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxSize(380, -1));
  row("来电人", "Caller", name_);
  phone_ = new wxTextCtrl(this, wxID_ANY);
  row("联系电话", "Phone", phone_);
  auto* flags = new wxBoxSizer(wxHORIZONTAL);
  anonymous_ = new wxCheckBox(this, wxID_ANY, ui(w("匿名", "Anonymous")));
  confidential_ = new wxCheckBox(this, wxID_ANY, ui(w("要求保密身份", "Keep identity confidential")));
  urgent_ = new wxCheckBox(this, wxID_ANY, ui(w("紧急", "Urgent")));
  flags->Add(anonymous_, 0, wxRIGHT, 12);
  flags->Add(confidential_, 0, wxRIGHT, 12);
  flags->Add(urgent_, 0);
  grid->AddSpacer(0);
  grid->Add(flags);
  type_ = choice_of(this, types_);
  row("诉求类型", "Request type", type_);
  subject_ = new wxTextCtrl(this, wxID_ANY);
  row("标题", "Subject", subject_);
  address_ = new wxTextCtrl(this, wxID_ANY);
  row("地点", "Place", address_);
  content_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxSize(380, 140), wxTE_MULTILINE);
  row("诉求内容 *", "What the caller says *", content_, 1);
  grid->AddGrowableRow(grid->GetEffectiveRowsCount() - 1);

  auto* top = new wxBoxSizer(wxVERTICAL);
  top->Add(grid, 1, wxEXPAND | wxALL, 12);
  message_ = add_refusal_line_and_buttons(*this, top);
  name_->SetFocus();
  Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { submit(); }, wxID_OK);
}

void IntakeDialog::fill(const NewIntake& in) {
  select_code(source_, sources_, in.source);
  name_->SetValue(ui(in.caller_name));
  phone_->SetValue(ui(in.caller_phone));
  anonymous_->SetValue(in.anonymous);
  confidential_->SetValue(in.confidential);
  urgent_->SetValue(in.urgent);
  select_code(type_, types_, in.request_type);
  subject_->SetValue(ui(in.subject));
  address_->SetValue(ui(in.address));
  content_->SetValue(ui(in.content));
}

NewIntake IntakeDialog::read() const {
  NewIntake in;
  in.source = code_of(source_, sources_);
  in.caller_name = to_utf8(name_->GetValue());
  in.caller_phone = to_utf8(phone_->GetValue());
  in.anonymous = anonymous_->GetValue();
  in.confidential = confidential_->GetValue();
  in.urgent = urgent_->GetValue();
  in.request_type = code_of(type_, types_);
  in.subject = to_utf8(subject_->GetValue());
  in.address = to_utf8(address_->GetValue());
  in.content = to_utf8(content_->GetValue());
  return in;
}

void IntakeDialog::submit() {
  if (sending_ || taken_) return;
  sending_ = true;
  show_sending(*this, message_, true);
  desk_.take(read(), external_id_, alive_.guard([this](IntakeDesk::Taken outcome) {
    sending_ = false;
    show_sending(*this, message_, false);
    if (auto* why = std::get_if<std::string>(&outcome)) {
      show_refusal(*this, message_, *why);
      return;
    }
    taken_ = std::get<TakenIntake>(outcome);
    if (IsModal()) EndModal(wxID_OK);
  }));
}

wxString IntakeDialog::message() const { return message_->GetLabel(); }

}  // namespace suqiu::console
