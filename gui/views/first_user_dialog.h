// Single-office mode on a folder with no users yet: the first user is made
// here (name, role, password twice), instead of sending the clerk to the
// command line. The hashing and storing are the caller's (`add_user`).
#pragma once

#include <wx/dialog.h>

#include <functional>
#include <optional>
#include <string>

class wxChoice;
class wxStaticText;
class wxTextCtrl;

namespace suqiu::console {

class FirstUserDialog : public wxDialog {
 public:
  // Adds the user (name, role code, password); the reason when it could not.
  using AddUser = std::function<std::optional<std::string>(const std::string&, const std::string&, const std::string&)>;

  FirstUserDialog(wxWindow* parent, AddUser add_user);

  // Fills the form as the user would and presses OK; true when the user was added.
  bool submit(const std::string& name, const std::string& role, const std::string& password,
              const std::string& repeated);
  std::string name() const;
  wxString message() const;

 private:
  bool add();

  AddUser add_user_;
  wxTextCtrl* name_;
  wxChoice* role_;
  wxTextCtrl* password_;
  wxTextCtrl* repeated_;
  wxStaticText* message_;
};

}  // namespace suqiu::console
