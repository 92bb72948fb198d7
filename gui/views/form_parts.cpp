#include "form_parts.h"

#include <wx/cursor.h>
#include <wx/dialog.h>
#include <wx/listctrl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

#include "ui_text.h"

namespace suqiu::console {

wxStaticText* add_refusal_line_and_buttons(wxDialog& dialog, wxBoxSizer* top) {
  auto* line = new wxStaticText(&dialog, wxID_ANY, "");
  line->SetForegroundColour(*wxRED);
  top->Add(line, 0, wxLEFT | wxRIGHT, 12);
  top->Add(dialog.CreateStdDialogButtonSizer(wxOK | wxCANCEL), 0, wxEXPAND | wxALL, 12);
  dialog.SetSizerAndFit(top);
  return line;
}

bool show_refusal(wxDialog& dialog, wxStaticText* line, const std::optional<std::string>& why) {
  if (!why) return false;
  line->SetLabel(ui(*why));
  dialog.Layout();
  return true;
}

void show_sending(wxDialog& dialog, wxStaticText* line, bool sending) {
  if (auto* ok = dialog.FindWindow(wxID_OK)) ok->Enable(!sending);
  dialog.SetCursor(sending ? wxCursor(wxCURSOR_ARROWWAIT) : wxNullCursor);
  line->SetLabel(sending ? ui(words()("正在提交，等待中心答复…", "Sending, waiting for the hub…")) : wxString());
  dialog.Layout();
}

long append_row(wxListCtrl* list, const std::vector<std::string>& cells) {
  const long row = list->GetItemCount();
  list->InsertItem(row, cells.empty() ? wxString() : ui(cells[0]));
  for (std::size_t k = 1; k < cells.size(); ++k) list->SetItem(row, static_cast<int>(k), ui(cells[k]));
  return row;
}

}  // namespace suqiu::console
