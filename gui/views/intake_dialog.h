// The form an operator fills in while on the phone (or with a visitor): who
// calls, what about, where. OK sends it to the hub; the dialog stays open
// with the reason when the hub cannot take it, and keeps the same intake id
// for every try, so that a lost answer never makes two cases. While the hub
// answers, the form stays editable (the caller is still talking) and OK is
// off, so the intake is not sent twice.
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
  // Sends what the controls hold, as OK does; once the hub took it, taken()
  // has the case and a modal dialog ends with OK.
  void submit();
  bool sending() const { return sending_; }
  const std::optional<TakenIntake>& taken() const { return taken_; }
  wxString message() const;
  wxTextCtrl* content() const { return content_; }  // what the caller says

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
  bool sending_ = false;
  Lifetime alive_;  // declared last, gone first
};

}  // namespace suqiu::console
