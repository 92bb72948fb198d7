#include "feeds_dialog.h"

#include <wx/button.h>
#include <wx/listctrl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

#include "model/console_session.h"
#include "form_parts.h"
#include "ui_text.h"

namespace suqiu::console {

using nlohmann::json;

FeedsDialog::FeedsDialog(wxWindow* parent, ConsoleSession& session)
    : wxDialog(parent, wxID_ANY, ui(words()("接入渠道", "Feeds")), wxDefaultPosition, wxSize(980, 360),
               wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER),
      session_(session),
      timer_(this) {
  const Words& w = words();
  table_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
  const std::pair<std::string_view, std::string_view> columns[] = {
      {"插件", "Plugin"},       {"版本", "Version"},   {"渠道", "Sources"},   {"连接时间", "Connected"},
      {"最后联系", "Last seen"}, {"已受理", "Accepted"}, {"重复", "Duplicates"}, {"拒收", "Rejected"},
      {"处理中", "In flight"}};
  const int widths[] = {130, 70, 150, 140, 140, 70, 60, 60, 70};
  for (int i = 0; i < 9; ++i)
    table_->AppendColumn(ui(w(columns[i].first, columns[i].second)), i >= 5 ? wxLIST_FORMAT_RIGHT : wxLIST_FORMAT_LEFT,
                         widths[i]);
  message_ = new wxStaticText(this, wxID_ANY, "");
  auto* top = new wxBoxSizer(wxVERTICAL);
  top->Add(table_, 1, wxEXPAND | wxALL, 8);
  top->Add(message_, 0, wxLEFT | wxRIGHT, 8);
  top->Add(CreateStdDialogButtonSizer(wxCLOSE), 0, wxEXPAND | wxALL, 8);
  SetSizer(top);
  Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { EndModal(wxID_CLOSE); }, wxID_CLOSE);
  Bind(wxEVT_TIMER, [this](wxTimerEvent&) { reload(); });
  timer_.Start(2000);
  reload();
}

void FeedsDialog::reload() {
  if (loading_) return;  // a slow hub: one question at a time, not one every two seconds
  loading_ = true;
  session_.request("plugins", json::object(), alive_.guard([this](Outcome<json> outcome) {
    loading_ = false;
    if (!outcome.ok()) {
      message_->SetLabel(ui(outcome.error().what()));
      return;
    }
    show(outcome.value());
  }));
}

void FeedsDialog::show(const json& feeds) {
  const Words& w = words();
  table_->Freeze();
  table_->DeleteAllItems();
  auto text = [](const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::string();
    return it->is_string() ? it->get<std::string>() : it->dump();
  };
  for (const auto& f : feeds) {
    if (!f.is_object()) continue;
    std::string sources;
    for (const auto& s : f.value("sources", json::array()))
      if (s.is_string()) sources += (sources.empty() ? "" : "、") + w.source(s.get<std::string>());
    append_row(table_, {text(f, "plugin"), text(f, "version"), sources, short_time(text(f, "connected_at")),
                        short_time(text(f, "last_seen")), text(f, "accepted"), text(f, "duplicates"),
                        text(f, "rejected"), text(f, "in_flight")});
  }
  table_->Thaw();
  const long rows = table_->GetItemCount();
  message_->SetLabel(rows == 0 ? ui(w("没有接入的渠道插件", "No feed is connected"))
                              : ui(std::to_string(rows) + std::string(w(" 个渠道插件在线", " feeds connected"))));
}

wxString FeedsDialog::message() const { return message_->GetLabel(); }

}  // namespace suqiu::console
