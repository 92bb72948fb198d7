// The feeds connected to the hub (the api's `plugins`): which plugin, its
// version and sources, since when, last heard, and what it sent. For the IT
// person who wants to know whether the 12345 line is still coming in.
#pragma once

#include <wx/dialog.h>
#include <wx/timer.h>

#include "model/console_session.h"

class wxListCtrl;
class wxStaticText;

namespace suqiu::console {

class ConsoleSession;

class FeedsDialog : public wxDialog {
 public:
  FeedsDialog(wxWindow* parent, ConsoleSession& session);
  // Asks the hub again (the dialog does every two seconds by itself); the
  // table changes when the answer comes.
  void reload();
  bool loading() const { return loading_; }
  wxListCtrl* table() const { return table_; }
  wxString message() const;

 private:
  void show(const nlohmann::json& feeds);

  ConsoleSession& session_;
  wxListCtrl* table_;
  wxStaticText* message_;
  wxTimer timer_;
  bool loading_ = false;
  Lifetime alive_;  // declared last, gone first
};

}  // namespace suqiu::console
