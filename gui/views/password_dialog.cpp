#include "password_dialog.h"

#include <wx/button.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include "model/console_session.h"
#include "form_parts.h"
#include "ui_text.h"

namespace suqiu::console {

PasswordDialog::PasswordDialog(wxWindow* parent, ConsoleSession& session)
    : wxDialog(parent, wxID_ANY, ui(words()("修改密码", "Change password"))), session_(session) {
  const Words& w = words();
  auto* grid = new wxFlexGridSizer(2, 8, 8);
  grid->AddGrowableCol(1);
  auto row = [&](std::string_view zh, std::string_view en) {
    grid->Add(new wxStaticText(this, wxID_ANY, ui(w(zh, en))), 0, wxALIGN_CENTER_VERTICAL);
    auto* field = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxSize(240, -1), wxTE_PASSWORD);
    grid->Add(field, 1, wxEXPAND);
    return field;
  };
  old_ = row("当前密码", "Current password");
  new_ = row("新密码（至少 8 位）", "New password (8 or more)");
  repeated_ = row("再输一次", "Again");
  auto* top = new wxBoxSizer(wxVERTICAL);
  top->Add(grid, 0, wxEXPAND | wxALL, 12);
  message_ = add_refusal_line_and_buttons(*this, top);
  old_->SetFocus();
  Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { change(); }, wxID_OK);
}

void PasswordDialog::submit(const std::string& old_password, const std::string& new_password,
                            const std::string& repeated) {
  old_->SetValue(ui(old_password));
  new_->SetValue(ui(new_password));
  repeated_->SetValue(ui(repeated));
  change();
}

void PasswordDialog::change() {
  if (sending_) return;
  if (new_->GetValue() != repeated_->GetValue()) {
    show_refusal(*this, message_, std::string(words()("两次输入的新密码不一致", "the two new passwords differ")));
    return;
  }
  sending_ = true;
  show_sending(*this, message_, true);
  session_.change_password(to_utf8(old_->GetValue()), to_utf8(new_->GetValue()),
                           alive_.guard([this](std::optional<std::string> refused) {
                             sending_ = false;
                             show_sending(*this, message_, false);
                             if (show_refusal(*this, message_, refused)) return;
                             changed_ = true;
                             if (IsModal()) EndModal(wxID_OK);
                           }));
}

wxString PasswordDialog::message() const { return message_->GetLabel(); }

}  // namespace suqiu::console
