#include "login_dialog.h"

#include <wx/button.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/textctrl.h>

#include "model/console_session.h"
#include "ui_text.h"

namespace suqiu::console {

LoginDialog::LoginDialog(wxWindow* parent, ConsoleSession& session, const wxString& user)
    : wxDialog(parent, wxID_ANY, ui(words()("登录 诉求", "Sign in to Suqiu"))), session_(session) {
  const Words& w = words();
  auto* grid = new wxFlexGridSizer(2, 8, 8);
  grid->AddGrowableCol(1);
  grid->Add(new wxStaticText(this, wxID_ANY, ui(w("用户名", "User"))), 0, wxALIGN_CENTER_VERTICAL);
  user_ = new wxTextCtrl(this, wxID_ANY, user, wxDefaultPosition, wxSize(240, -1));
  grid->Add(user_, 1, wxEXPAND);
  grid->Add(new wxStaticText(this, wxID_ANY, ui(w("密码", "Password"))), 0, wxALIGN_CENTER_VERTICAL);
  password_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, wxTE_PASSWORD);
  grid->Add(password_, 1, wxEXPAND);

  message_ = new wxStaticText(this, wxID_ANY, ui(w("连接 ", "Hub ")) + ui(session.address().api));
  auto* top = new wxBoxSizer(wxVERTICAL);
  top->Add(grid, 0, wxEXPAND | wxALL, 12);
  top->Add(message_, 0, wxLEFT | wxRIGHT, 12);
  top->Add(CreateStdDialogButtonSizer(wxOK | wxCANCEL), 0, wxEXPAND | wxALL, 12);
  SetSizerAndFit(top);
  (user.empty() ? user_ : password_)->SetFocus();
  Bind(wxEVT_BUTTON, &LoginDialog::on_ok, this, wxID_OK);
}

void LoginDialog::submit(const wxString& user, const wxString& password) {
  if (sending_) return;
  user_->SetValue(user);
  password_->SetValue(password);
  sending_ = true;
  if (auto* ok = FindWindow(wxID_OK)) ok->Disable();
  message_->SetLabel(ui(words()("正在登录…", "Signing in…")));
  session_.login(to_utf8(user_->GetValue()), to_utf8(password_->GetValue()),
                 alive_.guard([this](std::optional<std::string> refused) {
                   sending_ = false;
                   if (auto* ok = FindWindow(wxID_OK)) ok->Enable();
                   if (!refused) {
                     if (IsModal()) EndModal(wxID_OK);
                     return;
                   }
                   message_->SetLabel(ui(*refused));
                   password_->SetValue("");
                   password_->SetFocus();
                   Layout();
                 }));
}

wxString LoginDialog::message() const { return message_->GetLabel(); }

void LoginDialog::on_ok(wxCommandEvent&) {
  submit(user_->GetValue(), password_->GetValue());
}

}  // namespace suqiu::console
