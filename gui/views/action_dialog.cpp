#include "action_dialog.h"

#include <wx/button.h>
#include <wx/checklst.h>
#include <wx/choice.h>
#include <wx/msgdlg.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include "form_parts.h"
#include "ui_text.h"

namespace suqiu::console {

using Kind = ActionInput::Kind;

ActionDialog::ActionDialog(wxWindow* parent, CaseDetail& detail, ActionForm form)
    : wxDialog(parent, wxID_ANY, ui(form.label + "  " + detail.case_number()), wxDefaultPosition,
               wxDefaultSize, wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER),
      detail_(detail),
      form_(std::move(form)) {
  auto* grid = new wxFlexGridSizer(2, 8, 8);
  grid->AddGrowableCol(1);
  for (const auto& input : form_.inputs) {
    grid->Add(new wxStaticText(this, wxID_ANY, ui(input.label + (input.required ? " *" : ""))), 0,
              wxALIGN_TOP | wxTOP, 4);
    wxWindow* control = nullptr;
    if (input.kind == Kind::choices) {
      auto* boxes = new wxCheckListBox(this, wxID_ANY, wxDefaultPosition, wxSize(360, 110));
      for (const auto& [code, label] : input.choices) boxes->Append(ui(label));
      control = boxes;
    } else if (input.kind == Kind::choice) {
      auto* choice = new wxChoice(this, wxID_ANY);
      for (const auto& [code, label] : input.choices) {
        const int at = choice->Append(ui(label));
        if (code == input.initial) choice->SetSelection(at);
      }
      control = choice;
    } else {
      const long style = input.kind == Kind::long_text ? wxTE_MULTILINE : 0;
      const wxSize size = input.kind == Kind::long_text ? wxSize(360, 90) : wxSize(360, -1);
      control = new wxTextCtrl(this, wxID_ANY, ui(input.initial), wxDefaultPosition, size, style);
    }
    grid->Add(control, 1, wxEXPAND);
    controls_.push_back(control);
  }
  grid->AddGrowableRow(0);
  auto* top = new wxBoxSizer(wxVERTICAL);
  top->Add(grid, 1, wxEXPAND | wxALL, 12);
  message_ = add_refusal_line_and_buttons(*this, top);
  Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { submit(); }, wxID_OK);
}

std::map<std::string, std::string> ActionDialog::values() const {
  std::map<std::string, std::string> out;
  for (std::size_t i = 0; i < form_.inputs.size(); ++i) {
    const auto& input = form_.inputs[i];
    if (auto* boxes = dynamic_cast<wxCheckListBox*>(controls_[i])) {
      std::string codes;
      for (unsigned k = 0; k < boxes->GetCount(); ++k)
        if (boxes->IsChecked(k)) codes += (codes.empty() ? "" : ",") + input.choices[k].first;
      out[input.name] = codes;
    } else if (auto* choice = dynamic_cast<wxChoice*>(controls_[i])) {
      const int at = choice->GetSelection();
      if (at != wxNOT_FOUND) out[input.name] = input.choices[static_cast<std::size_t>(at)].first;
    } else if (auto* text = dynamic_cast<wxTextCtrl*>(controls_[i])) {
      out[input.name] = to_utf8(text->GetValue());
    }
  }
  return out;
}

void ActionDialog::set_value(const std::string& name, const std::string& value) {
  for (std::size_t i = 0; i < form_.inputs.size(); ++i) {
    if (form_.inputs[i].name != name) continue;
    if (auto* boxes = dynamic_cast<wxCheckListBox*>(controls_[i])) {
      const auto& choices = form_.inputs[i].choices;
      for (std::size_t k = 0; k < choices.size(); ++k)
        boxes->Check(static_cast<unsigned>(k), ("," + value + ",").find("," + choices[k].first + ",") != std::string::npos);
    } else if (auto* choice = dynamic_cast<wxChoice*>(controls_[i])) {
      const auto& choices = form_.inputs[i].choices;
      for (std::size_t k = 0; k < choices.size(); ++k)
        if (choices[k].first == value) choice->SetSelection(static_cast<int>(k));
    } else if (auto* text = dynamic_cast<wxTextCtrl*>(controls_[i])) {
      text->SetValue(ui(value));
    }
  }
}

void ActionDialog::submit() {
  if (sending_ || done_) return;
  sending_ = true;
  show_sending(*this, message_, true);
  detail_.run(form_.action, values(), alive_.guard([this](std::optional<std::string> refused) {
    sending_ = false;
    show_sending(*this, message_, false);
    if (show_refusal(*this, message_, refused)) return;
    done_ = true;
    if (IsModal()) EndModal(wxID_OK);
  }));
}

wxString ActionDialog::message() const { return message_->GetLabel(); }

}  // namespace suqiu::console
