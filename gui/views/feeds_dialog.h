// The feeds connected to the hub (the api's `plugins`): which plugin, its
// version and sources, since when, last heard, and what it sent. For the IT
// person who wants to know whether the 12345 line is still coming in.
#pragma once

#include <wx/dialog.h>
#include <wx/timer.h>

class wxListCtrl;
class wxStaticText;

namespace suqiu::console {

class ConsoleSession;

class FeedsDialog : public wxDialog {
 public:
  FeedsDialog(wxWindow* parent, ConsoleSession& session);
  // Asks the hub again (the dialog does every two seconds by itself).
  void reload();
  wxListCtrl* table() const { return table_; }
  wxString message() const;

 private:
  ConsoleSession& session_;
  wxListCtrl* table_;
  wxStaticText* message_;
  wxTimer timer_;
};

}  // namespace suqiu::console
