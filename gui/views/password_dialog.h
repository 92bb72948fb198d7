// The signed-in user changes their own password: the current one, the new
// one twice. Stays open with the reason while the hub refuses.
#pragma once

#include <wx/dialog.h>

#include <string>

#include "model/request_runner.h"

class wxStaticText;
class wxTextCtrl;

namespace suqiu::console {

class ConsoleSession;

class PasswordDialog : public wxDialog {
 public:
  PasswordDialog(wxWindow* parent, ConsoleSession& session);
  // Fills the fields and presses OK; once the hub changed it, changed() is
  // true and a modal dialog ends with OK.
  void submit(const std::string& old_password, const std::string& new_password, const std::string& repeated);
  bool sending() const { return sending_; }
  bool changed() const { return changed_; }
  wxString message() const;

 private:
  void change();

  ConsoleSession& session_;
  wxTextCtrl* old_;
  wxTextCtrl* new_;
  wxTextCtrl* repeated_;
  wxStaticText* message_;
  bool sending_ = false, changed_ = false;
  Lifetime alive_;  // declared last, gone first
};

}  // namespace suqiu::console
