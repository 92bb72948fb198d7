// The form of one case action (model/case_detail.h ActionForm): one control
// per input; OK runs the action and stays open with the reason when it could
// not be done.
#pragma once

#include <wx/dialog.h>

#include <map>
#include <string>
#include <vector>

#include "model/case_detail.h"

class wxStaticText;
class wxWindow;

namespace suqiu::console {

class ActionDialog : public wxDialog {
 public:
  ActionDialog(wxWindow* parent, CaseDetail& detail, ActionForm form);

  // Sets one input (by its wire name) as the user would; for a list of
  // choices, the codes to check, separated by commas.
  void set_value(const std::string& input, const std::string& value);
  // Runs the action with what the controls hold, as OK does; once the hub
  // did it, done() is true and a modal dialog ends with OK.
  void submit();
  bool sending() const { return sending_; }
  bool done() const { return done_; }
  wxString message() const;

 private:
  std::map<std::string, std::string> values() const;

  CaseDetail& detail_;
  ActionForm form_;
  std::vector<wxWindow*> controls_;  // parallel to form_.inputs
  wxStaticText* message_;
  bool sending_ = false, done_ = false;
  Lifetime alive_;  // declared last, gone first
};

}  // namespace suqiu::console
