// The signed-in user changes their own password: the current one, the new
// one twice. Stays open with the reason while the hub refuses.
#pragma once

#include <wx/dialog.h>

#include <string>

class wxStaticText;
class wxTextCtrl;

namespace suqiu::console {

class ConsoleSession;

class PasswordDialog : public wxDialog {
 public:
  PasswordDialog(wxWindow* parent, ConsoleSession& session);
  // Fills the fields and presses OK; true when the password was changed.
  bool submit(const std::string& old_password, const std::string& new_password, const std::string& repeated);
  wxString message() const;

 private:
  bool change();

  ConsoleSession& session_;
  wxTextCtrl* old_;
  wxTextCtrl* new_;
  wxTextCtrl* repeated_;
  wxStaticText* message_;
};

}  // namespace suqiu::console
