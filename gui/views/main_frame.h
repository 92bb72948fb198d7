// The console's main window: filters and search on top, the case list on the
// left, the chosen case (fields, history, the actions open to this user) on
// the right, and who is signed in where in the status bar. A timer reads the
// hub's event stream and reloads what changed, so a liaison's list fills as
// cases are dispatched to their section without pressing anything. Requests
// run off this window's thread; while one waits the window stays live, says
// so in the status bar, and the buttons that would send it twice are off.
#pragma once

#include <wx/frame.h>
#include <wx/timer.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "model/case_detail.h"
#include "model/case_list.h"
#include "model/intake_desk.h"

class wxButton;
class wxCheckBox;
class wxChoice;
class wxListCtrl;
class wxListEvent;
class wxPanel;
class wxSearchCtrl;
class wxTextCtrl;
class wxSizer;

namespace suqiu::console {

class MainFrame : public wxFrame {
 public:
  explicit MainFrame(ConsoleSession& session);

  // Reloads the list (keeping the chosen case chosen) and the detail; a hub
  // that refuses or does not answer is reported in the status bar.
  void refresh();
  // Chooses the case shown on row `row` of the list, as a click does.
  void choose_row(int row);
  // A request of this window is on its way (list, case, export).
  bool busy() const;
  // What the user changes in the filter bar, for tests and the menu.
  void set_status_filter(const std::string& status_code);
  void set_search(const std::string& text);
  // After an intake was taken at the desk: the list from the top, the new
  // case chosen, its number in the status bar to read back to the caller.
  void show_taken(const TakenIntake& taken);

  wxListCtrl* list() const { return list_; }
  wxString detail_text() const;
  wxString status_text() const;
  wxString connection_text() const;  // who is signed in to which hub, and whether it is heard
  wxString busy_text() const;        // how long the hub has been keeping us waiting
  // The action buttons on show, by wire name; nullptr when not offered.
  wxButton* action_button(const std::string& action) const;
  CaseDetail& detail() { return detail_; }
  IntakeDesk& desk() { return desk_; }
  // Writes every case the filters match to `file` (.csv: CSV, else xlsx);
  // the status bar says how it went.
  void export_list(const std::filesystem::path& file);
  bool exporting() const { return exporting_; }
  // One turn of the timer: reloads when the event stream says something changed.
  void on_tick();

 private:
  void build_filter_bar(wxPanel* parent, wxSizer* sizer);
  // `status_after`: what the status bar says once loaded, instead of the page.
  void reload_list(std::string status_after = {});
  void list_loaded(Outcome<std::monostate> outcome, const std::string& status_after);
  void reload_detail();
  void choose_case(std::int64_t id);
  void detail_loaded(Outcome<std::monostate> outcome);
  void select_status(const std::string& status_code);
  CaseFilter chosen_filter() const;
  void show_busy();
  void refresh_after_events();
  void show_list();
  void show_detail();
  void apply_filters();
  void open_action(const ActionForm& form);
  void open_intake();
  void report(const std::exception& e);
  void hear(bool heard, bool pending);
  void set_status(const std::string& text);
  void show_who();
  void sign_in_again();

  ConsoleSession& session_;
  CaseList cases_;
  CaseDetail detail_;
  IntakeDesk desk_;
  wxChoice* status_filter_ = nullptr;
  wxChoice* section_filter_ = nullptr;
  wxCheckBox* overdue_ = nullptr;
  wxSearchCtrl* search_ = nullptr;
  wxButton* previous_ = nullptr;
  wxButton* next_ = nullptr;
  wxButton* save_ = nullptr;
  wxListCtrl* list_ = nullptr;
  wxTextCtrl* detail_text_ = nullptr;
  wxPanel* actions_panel_ = nullptr;
  wxSizer* actions_sizer_ = nullptr;
  wxTimer timer_;
  std::chrono::steady_clock::time_point last_reload_{};
  bool hub_heard_ = true;
  bool signing_in_ = false;  // the sign-in dialog is up: the timer waits
  std::chrono::steady_clock::time_point last_probe_{};
  bool probing_ = false;
  bool exporting_ = false;
  Lifetime alive_;  // declared last, gone first: no completion reaches a window being torn down
};

}  // namespace suqiu::console
