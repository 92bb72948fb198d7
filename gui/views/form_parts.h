// What the console's windows share: under a form's inputs, a red line for
// the reason a submission was refused, then OK and Cancel; and one row of a
// report-style list.
#pragma once

#include <optional>
#include <string>
#include <vector>

class wxBoxSizer;
class wxDialog;
class wxListCtrl;
class wxStaticText;

namespace suqiu::console {

// Adds the refusal line and the buttons to `top`, sets it as the dialog's
// sizer and fits the dialog; the line, for show_refusal().
wxStaticText* add_refusal_line_and_buttons(wxDialog& dialog, wxBoxSizer* top);
// Shows `why` on the line; true when there was one (the form stays open).
bool show_refusal(wxDialog& dialog, wxStaticText* line, const std::optional<std::string>& why);
// While a form's submission is on its way: OK disabled (it is not sent
// twice), the line saying so, an hourglass beside the pointer. The inputs
// stay editable: the caller is still talking.
void show_sending(wxDialog& dialog, wxStaticText* line, bool sending);
// Appends a row of cells (UTF-8); its index.
long append_row(wxListCtrl* list, const std::vector<std::string>& cells);

}  // namespace suqiu::console
