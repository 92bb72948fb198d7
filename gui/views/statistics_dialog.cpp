#include "statistics_dialog.h"

#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/datectrl.h>
#include <wx/dateevt.h>
#include <wx/filedlg.h>
#include <wx/listctrl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

#include "export/statistics_workbook.h"
#include "form_parts.h"
#include "ui_text.h"

namespace suqiu::console {
namespace {

std::string day_of(const wxDatePickerCtrl* picker) { return to_utf8(picker->GetValue().FormatISODate()); }

}  // namespace

StatisticsDialog::StatisticsDialog(wxWindow* parent, ConsoleSession& session)
    : wxDialog(parent, wxID_ANY, ui(words()("统计", "Statistics")), wxDefaultPosition, wxSize(620, 720),
               wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER),
      session_(session) {
  const Words& w = words();
  auto* bar = new wxBoxSizer(wxHORIZONTAL);
  // The first of this month to today: what a monthly meeting asks.
  wxDateTime first = wxDateTime::Today();
  first.SetDay(1);
  use_from_ = new wxCheckBox(this, wxID_ANY, ui(w("自", "From")));
  use_from_->SetValue(true);
  from_ = new wxDatePickerCtrl(this, wxID_ANY, first, wxDefaultPosition, wxDefaultSize, wxDP_DROPDOWN);
  use_to_ = new wxCheckBox(this, wxID_ANY, ui(w("至", "To")));
  use_to_->SetValue(true);
  to_ = new wxDatePickerCtrl(this, wxID_ANY, wxDateTime::Today(), wxDefaultPosition, wxDefaultSize, wxDP_DROPDOWN);
  query_ = new wxButton(this, wxID_ANY, ui(w("查询", "Show")));
  auto* save = new wxButton(this, wxID_SAVE, ui(w("导出 Excel…", "Export to Excel…")));
  bar->Add(use_from_, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
  bar->Add(from_, 0, wxRIGHT, 10);
  bar->Add(use_to_, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
  bar->Add(to_, 0, wxRIGHT, 10);
  bar->Add(query_, 0, wxRIGHT, 10);
  bar->AddStretchSpacer();
  bar->Add(save, 0);

  table_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
  table_->AppendColumn(ui(w("项目", "Item")), wxLIST_FORMAT_LEFT, 300);
  table_->AppendColumn(ui(w("件数", "Count")), wxLIST_FORMAT_RIGHT, 100);
  table_->AppendColumn(ui(w("占比", "Share")), wxLIST_FORMAT_RIGHT, 100);
  message_ = new wxStaticText(this, wxID_ANY, "");

  auto* top = new wxBoxSizer(wxVERTICAL);
  top->Add(bar, 0, wxEXPAND | wxALL, 8);
  top->Add(table_, 1, wxEXPAND | wxLEFT | wxRIGHT, 8);
  top->Add(message_, 0, wxALL, 8);
  top->Add(CreateStdDialogButtonSizer(wxCLOSE), 0, wxEXPAND | wxBOTTOM | wxRIGHT, 8);
  SetSizer(top);

  query_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { show_period(chosen_period()); });
  save->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
    wxFileDialog ask(this, ui(words()("导出 Excel", "Export to Excel")), "", "statistics.xlsx",
                     "Excel (*.xlsx)|*.xlsx", wxFD_SAVE | wxFD_OVERWRITE_PROMPT);
    if (ask.ShowModal() != wxID_OK) return;
    auto failed = export_to(to_utf8(ask.GetPath()));
    message_->SetLabel(ui(failed ? *failed : std::string(words()("已导出：", "Exported: ")) + to_utf8(ask.GetPath())));
  });
  Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { EndModal(wxID_CLOSE); }, wxID_CLOSE);
  show_period(chosen_period());
}

Period StatisticsDialog::chosen_period() const {
  Period p;
  if (use_from_->GetValue()) p.from = day_of(from_);
  if (use_to_->GetValue()) p.to = day_of(to_);
  return p;
}

void StatisticsDialog::show_period(const Period& period) {
  if (loading_) return;
  loading_ = true;
  query_->Disable();
  message_->SetLabel(ui(words()("正在统计…", "Counting…")));
  load_statistics(session_, words(), period, alive_.guard([this, period](Outcome<StatisticsReport> outcome) {
    loading_ = false;
    query_->Enable();
    if (!outcome.ok()) {
      message_->SetLabel(ui(outcome.error().what()));
      return;
    }
    report_ = std::move(outcome.value());
    period_ = period;
    show_report();
  }));
}

void StatisticsDialog::show_report() {
  const Words& w = words();
  const Period& period = period_;
  table_->Freeze();
  table_->DeleteAllItems();
  auto add = [&](const std::string& name, const std::string& count, const std::string& share, bool heading) {
    const long row = append_row(table_, {name, count, share});
    if (heading) {
      wxFont f = table_->GetFont();
      f.SetWeight(wxFONTWEIGHT_BOLD);
      table_->SetItemFont(row, f);
    }
  };
  add(std::string(w("受理总数", "Total received")), std::to_string(report_->total), "", true);
  for (const auto& t : report_->tables) {
    add(t.title, "", "", true);
    for (const auto& r : t.rows) add("    " + r.name, std::to_string(r.count), percent_text(r.share), false);
  }
  add(std::string(w("指标", "Indicators")), "", "", true);
  for (const auto& i : report_->indicators) add("    " + i.name, i.value, "", false);
  table_->Thaw();
  message_->SetLabel(ui(std::string(w("统计期间：", "Period: ")) + period.label(w)));
}

std::optional<std::string> StatisticsDialog::export_to(const std::filesystem::path& file) {
  if (!report_) return std::string(words()("没有可导出的统计", "nothing to export"));
  try {
    exporting::write_statistics_xlsx(*report_, period_.label(words()), words(), file);
  } catch (const std::exception& e) {
    return std::string(e.what());
  }
  return std::nullopt;
}

wxString StatisticsDialog::message() const { return message_->GetLabel(); }

}  // namespace suqiu::console
