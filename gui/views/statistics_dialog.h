// Statistics for a period: the total, each breakdown with counts and shares,
// the indicators; exported to Excel for the meeting. What a liaison gets is
// their section's count only (the hub restricts it).
#pragma once

#include <wx/dialog.h>

#include <filesystem>
#include <optional>

#include "model/statistics.h"

class wxButton;
class wxCheckBox;
class wxDatePickerCtrl;
class wxListCtrl;
class wxStaticText;

namespace suqiu::console {

class StatisticsDialog : public wxDialog {
 public:
  StatisticsDialog(wxWindow* parent, ConsoleSession& session);

  // Asks for the statistics of `period` and shows them when they come; the
  // hub's refusal in the dialog.
  void show_period(const Period& period);
  bool loading() const { return loading_; }
  // Writes what is shown; the message to show when it could not.
  std::optional<std::string> export_to(const std::filesystem::path& file);

  wxListCtrl* table() const { return table_; }
  wxString message() const;

 private:
  Period chosen_period() const;
  void show_report();

  ConsoleSession& session_;
  wxCheckBox* use_from_;
  wxDatePickerCtrl* from_;
  wxCheckBox* use_to_;
  wxDatePickerCtrl* to_;
  wxListCtrl* table_;
  wxStaticText* message_;
  std::optional<StatisticsReport> report_;
  Period period_;
  bool loading_ = false;
  wxButton* query_;
  Lifetime alive_;  // declared last, gone first
};

}  // namespace suqiu::console
