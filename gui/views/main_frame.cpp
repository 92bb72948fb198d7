#include "main_frame.h"

#include <algorithm>

#include <wx/accel.h>
#include <wx/button.h>
#include <wx/checkbox.h>
#include <wx/filedlg.h>
#include <wx/choice.h>
#include <wx/listctrl.h>
#include <wx/panel.h>
#include <wx/srchctrl.h>
#include <wx/sizer.h>
#include <wx/splitter.h>
#include <wx/statusbr.h>
#include <wx/textctrl.h>
#include <wx/wrapsizer.h>

#include "action_dialog.h"
#include "core/taxonomy.h"
#include "export/case_table.h"
#include "form_parts.h"
#include "intake_dialog.h"
#include "feeds_dialog.h"
#include "login_dialog.h"
#include "password_dialog.h"
#include "statistics_dialog.h"
#include "ui_text.h"

namespace suqiu::console {
namespace {

// Reloads caused by events come at most this often, so that a burst of
// intakes redraws the list once, not once per case.
constexpr std::chrono::milliseconds kReloadAtMost{1000};
constexpr int kTickMs = 300;
constexpr std::chrono::seconds kProbeEvery{5};
// A request that has waited this long is worth telling the user about.
constexpr std::chrono::milliseconds kSlow{500};

}  // namespace

MainFrame::MainFrame(ConsoleSession& session)
    : wxFrame(nullptr, wxID_ANY, ui(words()("诉求 工单控制台", "Suqiu console")), wxDefaultPosition,
              wxSize(1280, 800)),
      session_(session),
      cases_(session, words()),
      detail_(session, words()),
      desk_(session, words()),
      timer_(this) {
  const Words& w = words();
  auto* root = new wxPanel(this);
  auto* top = new wxBoxSizer(wxVERTICAL);
  build_filter_bar(root, top);

  auto* split = new wxSplitterWindow(root, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxSP_LIVE_UPDATE);
  list_ = new wxListCtrl(split, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
  const int widths[] = {160, 120, 220, 125, 130, 100, 150, 50, 125};
  int col = 0;
  for (const auto& title : cases_.column_titles()) {
    list_->AppendColumn(ui(title), wxLIST_FORMAT_LEFT, widths[col]);
    ++col;
  }
  list_->Bind(wxEVT_LIST_ITEM_SELECTED, [this](wxListEvent& e) { choose_row(static_cast<int>(e.GetIndex())); });

  auto* right = new wxPanel(split);
  auto* right_sizer = new wxBoxSizer(wxVERTICAL);
  detail_text_ = new wxTextCtrl(right, wxID_ANY, ui(w("请在左侧选择案件", "Choose a case on the left")),
                                wxDefaultPosition, wxDefaultSize, wxTE_MULTILINE | wxTE_READONLY | wxTE_RICH2);
  right_sizer->Add(detail_text_, 1, wxEXPAND);
  actions_panel_ = new wxPanel(right);
  actions_sizer_ = new wxWrapSizer(wxHORIZONTAL);
  actions_panel_->SetSizer(actions_sizer_);
  right_sizer->Add(actions_panel_, 0, wxEXPAND | wxTOP, 6);
  right->SetSizer(right_sizer);
  split->SplitVertically(list_, right, 820);
  split->SetMinimumPaneSize(200);
  top->Add(split, 1, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
  root->SetSizer(top);

  CreateStatusBar(3);
  const int fields[] = {-3, -2, -1};
  GetStatusBar()->SetStatusWidths(3, fields);
  show_who();

  // Keys for a desk on the phone: F5 reloads, Ctrl+F goes to the search,
  // Ctrl+N logs a call (where the role may).
  const Role role = session_.who().role;
  std::vector<wxAcceleratorEntry> keys = {{wxACCEL_NORMAL, WXK_F5, wxID_REFRESH},
                                          {wxACCEL_CTRL, static_cast<int>('F'), wxID_FIND}};
  if (role == Role::operator_ || role == Role::leader) keys.emplace_back(wxACCEL_CTRL, static_cast<int>('N'), wxID_NEW);
  SetAcceleratorTable(wxAcceleratorTable(static_cast<int>(keys.size()), keys.data()));
  Bind(wxEVT_MENU, [this](wxCommandEvent&) { refresh(); }, wxID_REFRESH);
  Bind(wxEVT_MENU, [this](wxCommandEvent&) { search_->SetFocus(); }, wxID_FIND);
  Bind(wxEVT_MENU, [this](wxCommandEvent&) { open_intake(); }, wxID_NEW);
  Bind(wxEVT_TIMER, [this](wxTimerEvent&) { on_tick(); });
  timer_.Start(kTickMs);
  apply_filters();
}

void MainFrame::build_filter_bar(wxPanel* parent, wxSizer* sizer) {
  const Words& w = words();
  auto* bar = new wxBoxSizer(wxHORIZONTAL);
  const Role role = session_.who().role;
  if (role == Role::operator_ || role == Role::leader) {
    auto* intake = new wxButton(parent, wxID_NEW, ui(w("登记来电 (Ctrl+N)", "Log a call (Ctrl+N)")));
    intake->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { open_intake(); });
    bar->Add(intake, 0, wxRIGHT, 12);
  }
  // Client data: the status codes of an entry, comma-separated; "" for all.
  status_filter_ = new wxChoice(parent, wxID_ANY);
  const auto to_do = to_do_statuses(role);
  if (!to_do.empty()) {
    std::string codes;
    for (const auto& c : to_do) codes += (codes.empty() ? "" : ",") + c;
    status_filter_->Append(ui(w("我的待办", "My to-do")), new wxStringClientData(ui(codes)));
  }
  // The call-back the day after closing is the desk's.
  if (role == Role::operator_) status_filter_->Append(ui(w("待回访", "Awaiting call-back")), new wxStringClientData("callback"));
  status_filter_->Append(ui(w("全部状态", "All states")), new wxStringClientData(""));
  for (CaseStatus s : kCaseStatuses)
    status_filter_->Append(ui(w.status(to_code(s))), new wxStringClientData(ui(to_code(s))));
  // A liaison works from their to-do; a desk from the newest of everything.
  status_filter_->SetSelection(role == Role::liaison || to_do.empty() ? 0 : static_cast<int>(status_filter_->FindString(ui(w("全部状态", "All states")))));
  bar->Add(status_filter_, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);

  section_filter_ = new wxChoice(parent, wxID_ANY);
  section_filter_->Append(ui(w("全部科室", "All sections")), new wxStringClientData(""));
  for (const auto& s : Taxonomy::builtin().sections())
    section_filter_->Append(ui(w.english() ? s.name_en : s.name_zh), new wxStringClientData(ui(s.code)));
  section_filter_->SetSelection(0);
  // A liaison sees their own section only; the hub enforces it, the choice would only mislead.
  if (session_.who().role == Role::liaison) section_filter_->Hide();
  bar->Add(section_filter_, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);

  overdue_ = new wxCheckBox(parent, wxID_ANY, ui(w("仅超期", "Overdue only")));
  bar->Add(overdue_, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
  search_ = new wxSearchCtrl(parent, wxID_ANY, "", wxDefaultPosition, wxSize(260, -1), wxTE_PROCESS_ENTER);
  search_->SetDescriptiveText(ui(w("全文检索（回车）", "Search the text (Enter)")));
  bar->Add(search_, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
  auto* reload = new wxButton(parent, wxID_REFRESH, ui(w("刷新", "Refresh")));
  previous_ = new wxButton(parent, wxID_BACKWARD, ui(w("上一页", "Previous")));
  next_ = new wxButton(parent, wxID_FORWARD, ui(w("下一页", "Next")));
  bar->Add(reload, 0, wxRIGHT, 6);
  auto* statistics = new wxButton(parent, wxID_ANY, ui(w("统计", "Statistics")));
  statistics->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
    StatisticsDialog dialog(this, session_);
    dialog.ShowModal();
  });
  bar->Add(statistics, 0, wxRIGHT, 6);
  save_ = new wxButton(parent, wxID_SAVE, ui(w("导出…", "Export…")));
  save_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
    wxFileDialog ask(this, ui(words()("导出当前筛选的全部案件", "Export every case the filters match")), "",
                     "cases.xlsx", "Excel (*.xlsx)|*.xlsx|CSV (*.csv)|*.csv", wxFD_SAVE | wxFD_OVERWRITE_PROMPT);
    if (ask.ShowModal() == wxID_OK) export_list(to_utf8(ask.GetPath()));
  });
  bar->Add(save_, 0, wxRIGHT, 6);
  auto* password = new wxButton(parent, wxID_ANY, ui(w("修改密码", "Password…")));
  password->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
    PasswordDialog dialog(this, session_);
    if (dialog.ShowModal() == wxID_OK) set_status(std::string(words()("密码已修改", "Password changed")));
  });
  bar->Add(password, 0, wxRIGHT, 6);
  if (role == Role::admin || role == Role::leader) {  // the feeds' health: the IT person's and the leader's
    auto* feeds = new wxButton(parent, wxID_ANY, ui(w("接入渠道", "Feeds")));
    feeds->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
      FeedsDialog dialog(this, session_);
      dialog.ShowModal();
    });
    bar->Add(feeds, 0, wxRIGHT, 6);
  }
  bar->AddStretchSpacer();
  bar->Add(previous_, 0, wxRIGHT, 6);
  bar->Add(next_, 0);
  sizer->Add(bar, 0, wxEXPAND | wxALL, 6);

  status_filter_->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) { apply_filters(); });
  section_filter_->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) { apply_filters(); });
  overdue_->Bind(wxEVT_CHECKBOX, [this](wxCommandEvent&) { apply_filters(); });
  search_->Bind(wxEVT_SEARCHCTRL_SEARCH_BTN, [this](wxCommandEvent&) { apply_filters(); });
  search_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { apply_filters(); });
  search_->Bind(wxEVT_SEARCHCTRL_CANCEL_BTN, [this](wxCommandEvent&) {
    search_->Clear();
    apply_filters();
  });
  reload->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { refresh(); });
  previous_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
    cases_.previous_page(alive_.guard([this](Outcome<std::monostate> o) { list_loaded(std::move(o), {}); }));
    show_busy();
  });
  next_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
    cases_.next_page(alive_.guard([this](Outcome<std::monostate> o) { list_loaded(std::move(o), {}); }));
    show_busy();
  });
}

void MainFrame::apply_filters() {
  cases_.set_filter(chosen_filter());
  refresh();
}

CaseFilter MainFrame::chosen_filter() const {
  CaseFilter f;
  auto code_of = [](wxChoice* c) {
    const int at = c->GetSelection();
    auto* data = at == wxNOT_FOUND ? nullptr : static_cast<wxStringClientData*>(c->GetClientObject(at));
    return data ? to_utf8(data->GetData()) : std::string();
  };
  std::string status_codes = code_of(status_filter_);
  if (status_codes == "callback") {
    f.awaiting_callback = true;
    status_codes.clear();
  }
  for (std::string_view codes = status_codes; !codes.empty();) {
    const auto comma = codes.find(',');
    f.statuses.emplace_back(codes.substr(0, comma));
    codes.remove_prefix(comma == std::string_view::npos ? codes.size() : comma + 1);
  }
  f.section = code_of(section_filter_);
  f.overdue_only = overdue_->GetValue();
  f.text = to_utf8(search_->GetValue());
  return f;
}

void MainFrame::select_status(const std::string& code) {
  for (unsigned i = 0; i < status_filter_->GetCount(); ++i)
    if (to_utf8(static_cast<wxStringClientData*>(status_filter_->GetClientObject(i))->GetData()) == code)
      status_filter_->SetSelection(static_cast<int>(i));
}

void MainFrame::set_status_filter(const std::string& code) {
  select_status(code);
  apply_filters();
}

void MainFrame::set_search(const std::string& text) {
  search_->SetValue(ui(text));
  apply_filters();
}

void MainFrame::refresh() {
  reload_list();
  if (detail_.wanted() != 0) reload_detail();
}

void MainFrame::reload_list(std::string status_after) {
  last_reload_ = std::chrono::steady_clock::now();
  cases_.reload(alive_.guard(
      [this, status_after](Outcome<std::monostate> o) { list_loaded(std::move(o), status_after); }));
  show_busy();
}

void MainFrame::list_loaded(Outcome<std::monostate> outcome, const std::string& status_after) {
  if (outcome.ok())
    set_status(status_after.empty() ? cases_.page_summary() : status_after);
  else
    report(outcome.error());
  show_list();
}

void MainFrame::reload_detail() {
  detail_.load(detail_.wanted(), alive_.guard([this](Outcome<std::monostate> o) { detail_loaded(std::move(o)); }));
  show_busy();
}

void MainFrame::detail_loaded(Outcome<std::monostate> outcome) {
  if (!outcome.ok()) {
    detail_.clear();
    report(outcome.error());
  }
  show_detail();
  show_busy();
}

bool MainFrame::busy() const { return cases_.loading() || detail_.loading() || exporting_; }

void MainFrame::show_busy() {
  const auto waited = session_.waiting_for();
  const bool slow = session_.requests_in_flight() > 0 && waited >= kSlow;
  std::string text;
  if (slow)
    text = std::string(words()("等待中心答复… ", "Waiting for the hub… ")) +
           std::to_string(std::chrono::duration_cast<std::chrono::seconds>(waited).count()) +
           std::string(words()(" 秒", " s"));
  if (to_utf8(busy_text()) != text) SetStatusText(ui(text), 2);
  // The parts that wait show it; the rest of the window is the user's.
  const wxCursor waiting(wxCURSOR_ARROWWAIT);
  list_->SetCursor(slow && cases_.loading() ? waiting : wxNullCursor);
  detail_text_->SetCursor(slow && (detail_.loading() || detail_.running()) ? waiting : wxNullCursor);
  // A page turned twice while the first is on its way would skip one.
  previous_->Enable(!cases_.loading() && cases_.has_previous());
  next_->Enable(!cases_.loading() && cases_.has_next());
  save_->Enable(!exporting_);
}

void MainFrame::show_list() {
  const std::int64_t chosen = detail_.wanted();
  // Where the user had scrolled to: a reload keeps it (new cases come on top).
  const long top = list_->GetItemCount() > 0 ? list_->GetTopItem() : 0;
  list_->Freeze();
  list_->DeleteAllItems();
  for (const auto& c : cases_.rows()) {
    const long row = append_row(list_, cases_.cells(c));
    if (c.overdue) list_->SetItemTextColour(row, *wxRED);
  }
  if (const int at = cases_.index_of(chosen); at >= 0)
    list_->SetItemState(at, wxLIST_STATE_SELECTED, wxLIST_STATE_SELECTED);
  if (top > 0 && list_->GetItemCount() > 0) {
    const long last = std::min<long>(list_->GetItemCount() - 1, top + std::max(1, list_->GetCountPerPage()) - 1);
    list_->EnsureVisible(last);
    list_->EnsureVisible(std::min<long>(top, list_->GetItemCount() - 1));
  }
  list_->Thaw();
  show_busy();
}

void MainFrame::choose_row(int row) {
  if (row < 0 || row >= static_cast<int>(cases_.rows().size())) return;
  choose_case(cases_.rows()[static_cast<std::size_t>(row)].id);
}

void MainFrame::choose_case(std::int64_t id) {
  if (detail_.wanted() == id) return;
  detail_.load(id, alive_.guard([this](Outcome<std::monostate> o) { detail_loaded(std::move(o)); }));
  // Until it comes, nothing of the case before: no button acts on the wrong case.
  detail_text_->SetValue(ui(words()("正在读取案件…", "Reading the case…")));
  actions_sizer_->Clear(true);
  actions_panel_->GetParent()->Layout();
  show_busy();
}

void MainFrame::show_detail() {
  detail_text_->SetValue(detail_.loaded() ? ui(detail_.as_text())
                                          : ui(words()("请在左侧选择案件", "Choose a case on the left")));
  actions_sizer_->Clear(true);
  for (const auto& form : detail_.actions()) {
    auto* b = new wxButton(actions_panel_, wxID_ANY, ui(form.label));
    b->SetName(ui(form.action));
    b->Bind(wxEVT_BUTTON, [this, form](wxCommandEvent&) { open_action(form); });
    actions_sizer_->Add(b, 0, wxALL, 3);
  }
  actions_panel_->GetParent()->Layout();
}

void MainFrame::open_action(const ActionForm& form) {
  ActionDialog dialog(this, detail_, form);
  // The action's completion has read the case again; the list follows.
  if (dialog.ShowModal() != wxID_OK) return;
  show_detail();
  reload_list();
}

void MainFrame::open_intake() {
  IntakeDialog dialog(this, desk_);
  if (dialog.ShowModal() == wxID_OK && dialog.taken()) show_taken(*dialog.taken());
}

void MainFrame::show_taken(const TakenIntake& t) {
  const Words& w = words();
  section_filter_->SetSelection(0);
  overdue_->SetValue(false);
  search_->Clear();
  select_status("");  // all states, newest first: the new case on top, chosen
  cases_.set_filter(chosen_filter());
  // What to read back to the caller, once the list has it.
  const std::string read_back =
      std::string(t.duplicate ? w("已登记过：", "Already logged: ") : w("已受理：", "Taken: ")) + t.case_number +
      "  " + t.request_type + " / " + t.category + " → " + t.section + "  " + std::string(w("时限 ", "due ")) +
      t.deadline;
  set_status(read_back);
  reload_list(read_back);
  choose_case(t.case_id);
}

void MainFrame::export_list(const std::filesystem::path& file) {
  if (exporting_) return;
  exporting_ = true;
  set_status(std::string(words()("正在导出…", "Exporting…")));
  cases_.all_matching(alive_.guard([this, file](Outcome<CaseList::Matching> outcome) {
    exporting_ = false;
    show_busy();
    if (!outcome.ok()) return report(outcome.error());
    const Words& w = words();
    try {
      const auto table = exporting::case_table(outcome.value().cases, w);
      if (file.extension() == ".csv")
        exporting::write_csv(table, file);
      else
        exporting::write_xlsx(table, std::string(w("案件", "Cases")), file);
      std::string done = std::string(w("已导出 ", "Exported ")) + std::to_string(table.rows.size()) +
                         std::string(w(" 件：", " cases: ")) + file.string();
      if (outcome.value().truncated)
        done += std::string(w("（多个状态合并时最多导出前 1000 件）", " (several states at once: the first 1,000 only)"));
      set_status(done);
    } catch (const std::exception& e) {
      set_status(e.what());
    }
  }));
  show_busy();
}

wxButton* MainFrame::action_button(const std::string& action) const {
  for (auto* child : actions_panel_->GetChildren())
    if (to_utf8(child->GetName()) == action) return dynamic_cast<wxButton*>(child);
  return nullptr;
}

wxString MainFrame::detail_text() const { return detail_text_->GetValue(); }
wxString MainFrame::status_text() const { return GetStatusBar()->GetStatusText(0); }
wxString MainFrame::connection_text() const { return GetStatusBar()->GetStatusText(1); }
wxString MainFrame::busy_text() const { return GetStatusBar()->GetStatusText(2); }

void MainFrame::on_tick() {
  show_busy();
  if (signing_in_) return;
  bool pending = false;
  try {
    pending = session_.changes_pending();
  } catch (const std::exception& e) {
    report(e);
  }
  // While the hub is silent (no heartbeat, or a request unanswered) the
  // console asks it briefly now and then instead of sending reloads that
  // would wait out their timeout; one request at a time is enough to tell.
  const auto now = std::chrono::steady_clock::now();
  const bool heard = session_.hub_heard() && !session_.api_silent();
  if (!heard && !probing_ && session_.requests_in_flight() == 0 && now - last_probe_ >= kProbeEvery) {
    last_probe_ = now;
    probing_ = true;
    session_.ping(alive_.guard([this](bool answered) {
      probing_ = false;
      if (answered) hear(true, true);
    }));
  }
  hear(heard, pending);
}

void MainFrame::hear(bool heard, bool pending) {
  // Lost and found again: whatever changed meanwhile is in the next snapshot.
  if (heard != hub_heard_) {
    hub_heard_ = heard;
    show_who();
    if (heard) pending = true;
  }
  const auto now = std::chrono::steady_clock::now();
  // A reload on its way will bring what changed meanwhile too.
  if (pending && heard && !cases_.loading() && now - last_reload_ >= kReloadAtMost) refresh_after_events();
}

void MainFrame::refresh_after_events() {
  // The case on the right is read again only when an event named it: the
  // user may be reading it, scrolled down its history.
  bool all = false;
  const auto changed = session_.take_changed_cases(all);
  const bool reread = detail_.loaded() && !detail_.loading() && (all || changed.count(detail_.case_id()) > 0);
  reload_list();
  if (reread) reload_detail();
}

void MainFrame::show_who() {
  const Words& w = words();
  const auto& who = session_.who();
  std::string me = who.user + "（" + w.role(to_code(who.role)) + (who.section ? "，" + w.section(*who.section) : "") + "）";
  const std::string link = hub_heard_ ? session_.address().api
                                      : std::string(w("与中心的连接中断：", "no word from the hub at ")) + session_.address().api;
  SetStatusText(ui(me + "  " + link), 1);
}

void MainFrame::report(const std::exception& e) {
  auto* api = dynamic_cast<const ApiError*>(&e);
  if (api && api->code() == "E_TOKEN" && !signing_in_) {
    sign_in_again();
    return;
  }
  if (api)
    set_status(api->code() + ": " + api->what());
  else
    set_status(e.what());
  // Unanswered: the connection field says so at once, not after the heartbeat's silence.
  if (api && api->code() == "E_TIMEOUT" && hub_heard_) {
    hub_heard_ = false;
    show_who();
  }
}

void MainFrame::sign_in_again() {
  // The session ended (12 hours idle, or the hub restarted): the same user
  // signs in again and the window carries on where it was.
  signing_in_ = true;
  LoginDialog login(this, session_, ui(session_.who().user));
  const bool again = login.ShowModal() == wxID_OK;
  signing_in_ = false;
  if (again)
    refresh();
  else
    set_status(std::string(words()("已退出登录；按“刷新”重新登录", "Signed out; press Refresh to sign in again")));
}

void MainFrame::set_status(const std::string& text) { SetStatusText(ui(text), 0); }

}  // namespace suqiu::console
