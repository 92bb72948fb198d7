// Asks for a user name and password and logs in through the session; stays
// open with the hub's answer while the login is refused.
#pragma once

#include <wx/dialog.h>

#include "model/request_runner.h"

class wxTextCtrl;
class wxStaticText;

namespace suqiu::console {

class ConsoleSession;

class LoginDialog : public wxDialog {
 public:
  LoginDialog(wxWindow* parent, ConsoleSession& session, const wxString& user);

  // Fills the fields and logs in as if OK were pressed; once signed in, a
  // modal dialog ends with OK.
  void submit(const wxString& user, const wxString& password);
  bool sending() const { return sending_; }
  wxString message() const;

 private:
  void on_ok(wxCommandEvent&);

  ConsoleSession& session_;
  wxTextCtrl* user_;
  wxTextCtrl* password_;
  wxStaticText* message_;
  bool sending_ = false;
  Lifetime alive_;  // declared last, gone first
};

}  // namespace suqiu::console
