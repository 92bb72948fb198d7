// The form an operator fills in while on the phone (or with a visitor): who
// calls, what about, where. OK sends it to the hub; the dialog stays open
// with the reason when the hub cannot take it, and keeps the same intake id
// for every try, so that a lost answer never makes two cases.
#pragma once

#include <wx/dialog.h>

#include <optional>

#include "model/intake_desk.h"

class wxCheckBox;
class wxChoice;
class wxStaticText;
class wxTextCtrl;

namespace suqiu::console {

class IntakeDialog : public wxDialog {
 public:
  IntakeDialog(wxWindow* parent, IntakeDesk& desk);

  // Fills the controls as the operator would.
  void fill(const NewIntake& intake);
  // Sends what the controls hold; true when the hub took it.
  bool submit();
  const std::optional<TakenIntake>& taken() const { return taken_; }
  wxString message() const;

 private:
  NewIntake read() const;

  IntakeDesk& desk_;
  std::string external_id_;
  std::vector<std::pair<std::string, std::string>> sources_, types_;
  wxChoice* source_;
  wxTextCtrl* name_;
  wxTextCtrl* phone_;
  wxCheckBox* anonymous_;
  wxCheckBox* confidential_;
  wxChoice* type_;
  wxCheckBox* urgent_;
  wxTextCtrl* subject_;
  wxTextCtrl* address_;
  wxTextCtrl* content_;
  wxStaticText* message_;
  std::optional<TakenIntake> taken_;
};

}  // namespace suqiu::console
