// The console's windows under Xvfb against a real hub: what an operator and a
// liaison see, an action taken through its dialog, a refused sign-in, and a
// list that follows another user's change by itself. Leaves a screenshot of
// the operator's window in the build folder (tests/gui/console.png).
#include <gtest/gtest.h>

#include <wx/app.h>
#include <wx/bitmap.h>
#include <wx/button.h>
#include <wx/dcmemory.h>
#include <wx/dcscreen.h>
#include <wx/image.h>
#include <wx/listctrl.h>
#include <wx/toplevel.h>

#include <chrono>
#include <functional>
#include <thread>

#include "hub_fixture.h"
#include "store/passwords.h"
#include "views/action_dialog.h"
#include "views/first_user_dialog.h"
#include "views/intake_dialog.h"
#include "views/login_dialog.h"
#include "sdk/feed_client.h"
#include "views/feeds_dialog.h"
#include "views/main_frame.h"
#include "views/password_dialog.h"
#include "views/statistics_dialog.h"
#include "views/ui_text.h"

namespace suqiu::console {
namespace {

using server::testing::RunningHub;
using server::testing::TempDir;

// Runs the wx event loop (timers, redraws) until `done` or the timeout.
bool pump_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    wxTheApp->Yield(true);
    if (done()) return true;
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void pump(std::chrono::milliseconds d) {
  pump_until([] { return false; }, d);
}

int row_with_subject(wxListCtrl* list, const std::string& subject) {
  for (long i = 0; i < list->GetItemCount(); ++i)
    if (to_utf8(list->GetItemText(i, 2)).find(subject) != std::string::npos) return static_cast<int>(i);
  return -1;
}

std::string cell(wxListCtrl* list, int row, int column) { return to_utf8(list->GetItemText(row, column)); }

class ConsoleWindows : public ::testing::Test {
 protected:
  void SetUp() override {
    ids_ = server::testing::seed(dir_.path(), server::testing::default_users(),
                                 server::testing::default_records());
    hub_ = std::make_unique<RunningHub>(dir_.path());
  }

  std::unique_ptr<ConsoleSession> session() {
    return std::make_unique<ConsoleSession>(
        HubAddress{hub_->api->endpoint(), hub_->writer->events_endpoint(), {}});
  }
  std::unique_ptr<ConsoleSession> sign_in(const std::string& user) {
    auto s = session();
    auto refused = s->login(user, user + "-password");
    EXPECT_FALSE(refused) << *refused;
    return s;
  }

  // The main window, shown and laid out; close() destroys it.
  static MainFrame* open_frame(ConsoleSession& session) {
    auto* frame = new MainFrame(session);
    frame->Show();
    pump(std::chrono::milliseconds(200));
    return frame;
  }
  static void close(MainFrame* frame) {
    frame->Destroy();
    pump(std::chrono::milliseconds(50));
  }

  TempDir dir_;
  std::map<std::string, std::int64_t> ids_;
  std::unique_ptr<RunningHub> hub_;
};

void save_screenshot(wxTopLevelWindow* window, const std::string& file) {
  window->Raise();
  pump(std::chrono::milliseconds(500));
  const wxRect r = window->GetScreenRect();
  wxBitmap shot(r.width, r.height);
  wxMemoryDC mem(shot);
  wxScreenDC screen;
  mem.Blit(0, 0, r.width, r.height, &screen, r.x, r.y);
  mem.SelectObject(wxNullBitmap);
  shot.SaveFile(file, wxBITMAP_TYPE_PNG);
}

TEST_F(ConsoleWindows, AnOperatorSeesTheCasesAndDispatchesOneThroughItsDialog) {
  auto s = sign_in("wang");
  auto* frame = open_frame(*s);
  wxListCtrl* list = frame->list();
  ASSERT_EQ(list->GetItemCount(), 5);
  const int row = row_with_subject(list, "出租车拒载");
  ASSERT_GE(row, 0);
  EXPECT_EQ(cell(list, row, 6), "12345政务服务热线");
  EXPECT_NE(cell(list, row, 1).find("已受理"), std::string::npos);
  EXPECT_NE(to_utf8(frame->status_text()).find("/ 5"), std::string::npos) << to_utf8(frame->status_text());

  frame->choose_row(row);
  const std::string detail = to_utf8(frame->detail_text());
  EXPECT_NE(detail.find(cell(list, row, 0)), std::string::npos) << detail;  // the case number
  EXPECT_NE(detail.find("13800138000"), std::string::npos) << detail;      // an operator sees the phone
  ASSERT_TRUE(frame->action_button("dispatch"));
  EXPECT_TRUE(frame->action_button("transfer"));
  EXPECT_FALSE(frame->action_button("sign_for"));

  const ActionForm* dispatch = nullptr;
  for (const auto& f : frame->detail().actions())
    if (f.action == "dispatch") dispatch = &f;
  ASSERT_TRUE(dispatch);
  {
    ActionDialog dialog(frame, frame->detail(), *dispatch);
    dialog.set_value("note", "请核查并回复");
    dialog.set_value("section", "transport");  // a wrong choice first, then the right one
    dialog.set_value("section", "urban");
    dialog.set_value("assist", "enforcement");  // 协办: the enforcement team checks the driver
    EXPECT_TRUE(dialog.submit()) << to_utf8(dialog.message());
  }
  frame->refresh();
  const int after = row_with_subject(list, "出租车拒载");
  ASSERT_GE(after, 0);
  EXPECT_NE(cell(list, after, 1).find("已派单"), std::string::npos) << cell(list, after, 1);
  EXPECT_NE(to_utf8(frame->detail_text()).find("请核查并回复"), std::string::npos);
  EXPECT_NE(to_utf8(frame->detail_text()).find("协办科室：综合执法大队"), std::string::npos);
  EXPECT_FALSE(frame->action_button("dispatch"));

  // The list as the desk sees it, to a workbook and to CSV.
  EXPECT_NE(frame->export_list(dir_.path() / "cases.xlsx").find("已导出 5 件"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "cases.xlsx"));
  frame->set_search("拒载");
  const std::string csv_done = frame->export_list(dir_.path() / "cases.csv");
  EXPECT_NE(csv_done.find("已导出 1 件"), std::string::npos) << csv_done;
  EXPECT_NE(frame->export_list(dir_.path() / "no" / "such.xlsx").find("such.xlsx"), std::string::npos);
  frame->set_search("");

  // 待回访: nothing closed yet.
  frame->set_status_filter("callback");
  EXPECT_EQ(list->GetItemCount(), 0);
  EXPECT_EQ(to_utf8(frame->status_text()), "没有案件");
  frame->set_status_filter("");
  EXPECT_EQ(list->GetItemCount(), 5);

  save_screenshot(frame, SUQIU_BINARY_DIR "/tests/gui/console.png");
  close(frame);
}

TEST_F(ConsoleWindows, AnOperatorLogsACallAndTheNewCaseIsChosen) {
  auto s = sign_in("wang");
  auto* frame = open_frame(*s);
  ASSERT_TRUE(frame->FindWindow(wxID_NEW));  // 登记来电
  std::string number;
  {
    IntakeDialog dialog(frame, frame->desk());
    NewIntake call;
    call.caller_name = "刘女士";
    call.caller_phone = "13912345678";
    call.subject = "公交车司机态度差";
    dialog.fill(call);
    EXPECT_FALSE(dialog.submit());  // no content yet
    EXPECT_NE(to_utf8(dialog.message()).find("诉求内容"), std::string::npos);
    call.content = "乘坐12路公交车时司机辱骂乘客。";
    dialog.fill(call);
    ASSERT_TRUE(dialog.submit()) << to_utf8(dialog.message());
    ASSERT_TRUE(dialog.taken());
    number = dialog.taken()->case_number;
    frame->show_taken(*dialog.taken());
  }
  EXPECT_NE(to_utf8(frame->status_text()).find(number), std::string::npos) << to_utf8(frame->status_text());
  EXPECT_NE(to_utf8(frame->detail_text()).find("13912345678"), std::string::npos);
  EXPECT_EQ(cell(frame->list(), 0, 0), number);
  close(frame);
}

TEST_F(ConsoleWindows, ALiaisonSeesOwnSectionWithThePhoneMasked) {
  auto s = sign_in("zhao");
  auto* frame = open_frame(*s);
  wxListCtrl* list = frame->list();
  // A liaison starts on their to-do: nothing is assigned to the section yet.
  EXPECT_EQ(list->GetItemCount(), 0);
  frame->set_status_filter("");
  ASSERT_GT(list->GetItemCount(), 0);
  for (long i = 0; i < list->GetItemCount(); ++i) EXPECT_EQ(cell(list, static_cast<int>(i), 5), "城市客运科");
  EXPECT_LT(row_with_subject(list, "客运站超员售票"), 0);
  const int row = row_with_subject(list, "出租车拒载");
  ASSERT_GE(row, 0);
  frame->choose_row(row);
  const std::string detail = to_utf8(frame->detail_text());
  EXPECT_NE(detail.find("138****8000"), std::string::npos) << detail;
  EXPECT_EQ(detail.find("13800138000"), std::string::npos) << detail;
  EXPECT_FALSE(frame->action_button("dispatch"));
  EXPECT_FALSE(frame->FindWindow(wxID_NEW));  // a liaison does not log calls
  close(frame);
}

TEST_F(ConsoleWindows, ALeaderReadsTheStatisticsAndExportsThem) {
  auto s = sign_in("boss");
  StatisticsDialog dialog(nullptr, *s);
  dialog.show_period(Period{});
  wxListCtrl* table = dialog.table();
  ASSERT_GT(table->GetItemCount(), 10);
  EXPECT_EQ(to_utf8(table->GetItemText(0, 0)), "受理总数");
  EXPECT_EQ(to_utf8(table->GetItemText(0, 1)), "5");
  EXPECT_EQ(to_utf8(table->GetItemText(1, 0)), "按渠道");
  EXPECT_EQ(to_utf8(table->GetItemText(2, 2)), "60.0%");  // 12345: 3 of 5
  EXPECT_NE(to_utf8(dialog.message()).find("全部"), std::string::npos);
  const auto file = dir_.path() / "meeting.xlsx";
  EXPECT_FALSE(dialog.export_to(file));
  EXPECT_TRUE(std::filesystem::exists(file));
}

TEST(FirstUser, AFolderWithoutUsersGetsItsFirstUserWhoCanThenSignIn) {
  TempDir dir;
  auto store = std::make_unique<store::Store>(store::Store::database_file(dir.path()), store::Store::Access::writer);
  ASSERT_EQ(store->user_count(), 0);
  std::vector<std::string> added;
  FirstUserDialog dialog(nullptr, [&](const std::string& name, const std::string& role,
                                      const std::string& password) -> std::optional<std::string> {
    if (name == "taken") return std::string("the store said no");
    store->add_user({name, role, std::nullopt, store::hash_password(password), false});
    added.push_back(name + ":" + role);
    return std::nullopt;
  });
  EXPECT_FALSE(dialog.submit("", "operator", "long enough", "long enough"));
  EXPECT_FALSE(dialog.submit("chen", "operator", "short", "short"));
  EXPECT_NE(to_utf8(dialog.message()).find("至少 8 位"), std::string::npos);
  EXPECT_FALSE(dialog.submit("chen", "operator", "long enough", "long enougH"));
  EXPECT_NE(to_utf8(dialog.message()).find("不一致"), std::string::npos);
  EXPECT_FALSE(dialog.submit("taken", "operator", "long enough", "long enough"));
  EXPECT_EQ(to_utf8(dialog.message()), "the store said no");
  EXPECT_TRUE(added.empty());
  ASSERT_TRUE(dialog.submit("chen", "leader", "long enough", "long enough"));
  EXPECT_EQ(added, std::vector<std::string>{"chen:leader"});
  EXPECT_EQ(dialog.name(), "chen");
  store.reset();

  RunningHub hub(dir.path());
  ConsoleSession s(HubAddress{hub.api->endpoint(), hub.writer->events_endpoint(), {}});
  EXPECT_FALSE(s.login("chen", "long enough"));
  EXPECT_EQ(s.who().role, Role::leader);
}

TEST_F(ConsoleWindows, AUserChangesTheirOwnPassword) {
  auto s = sign_in("li");
  PasswordDialog dialog(nullptr, *s);
  EXPECT_FALSE(dialog.submit("li-password", "a new long password", "a new long passworD"));
  EXPECT_NE(to_utf8(dialog.message()).find("不一致"), std::string::npos);
  EXPECT_FALSE(dialog.submit("wrong", "a new long password", "a new long password"));
  EXPECT_FALSE(dialog.message().empty());
  ASSERT_TRUE(dialog.submit("li-password", "a new long password", "a new long password"))
      << to_utf8(dialog.message());
  auto again = session();
  EXPECT_TRUE(again->login("li", "wrong-or-old").has_value());
  EXPECT_FALSE(again->login("li", "a new long password").has_value());
}

TEST_F(ConsoleWindows, TheFeedsWindowShowsWhoIsConnectedAndWhatTheySent) {
  hub_->api->set_plugins_provider([this] { return hub_->ingest->plugins_json(); });
  auto s = sign_in("boss");
  {
    FeedsDialog empty(nullptr, *s);
    EXPECT_EQ(empty.table()->GetItemCount(), 0);
    EXPECT_EQ(to_utf8(empty.message()), "没有接入的渠道插件");
  }
  zmq::context_t context;
  sdk::FeedOptions o;
  o.endpoint = hub_->ingest->endpoint();
  o.plugin = "feed-12345";
  o.version = "2.1.0";
  o.sources = {"12345"};
  o.outbox = dir_.path() / "outbox.db";
  sdk::FeedClient feed(context, o);
  for (int i = 0; i < 3; ++i)
    feed.submit(nlohmann::json{{"source", "12345"},
                               {"external_id", "FEED-" + std::to_string(i)},
                               {"received_at", "2026-11-26T09:15:00+08:00"},
                               {"content", "公交车到站不停 #" + std::to_string(i)}}
                    .dump());
  ASSERT_TRUE(feed.flush(std::chrono::seconds(10)));
  FeedsDialog dialog(nullptr, *s);
  // The registry the api serves is at most a second old.
  EXPECT_TRUE(pump_until(
      [&] {
        dialog.reload();
        return dialog.table()->GetItemCount() == 1 && to_utf8(dialog.table()->GetItemText(0, 5)) == "3";
      },
      std::chrono::seconds(5)));
  EXPECT_EQ(to_utf8(dialog.table()->GetItemText(0, 0)), "feed-12345");
  EXPECT_EQ(to_utf8(dialog.table()->GetItemText(0, 1)), "2.1.0");
  EXPECT_EQ(to_utf8(dialog.table()->GetItemText(0, 2)), "12345政务服务热线");
}

TEST_F(ConsoleWindows, ARefusedSignInKeepsTheDialogWithTheReason) {
  auto s = session();
  LoginDialog login(nullptr, *s, "wang");
  EXPECT_FALSE(login.submit("wang", "wrong"));
  EXPECT_FALSE(s->signed_in());
  EXPECT_FALSE(login.message().empty());
  EXPECT_TRUE(login.submit("wang", "wang-password"));
  EXPECT_TRUE(s->signed_in());
}

TEST_F(ConsoleWindows, ALiaisonsToDoFillsByItselfWhenACaseIsDispatched) {
  auto s = sign_in("zhao");
  auto* frame = open_frame(*s);
  wxListCtrl* list = frame->list();
  EXPECT_EQ(list->GetItemCount(), 0);  // the to-do: nothing assigned yet
  EXPECT_EQ(to_utf8(frame->status_text()), "没有案件");

  // The operator dispatches a case from another console; nobody touches this one.
  auto op = sign_in("wang");
  CaseDetail other(*op, Words(false));
  other.load(ids_.at("T-2"));
  ASSERT_FALSE(other.run("dispatch", {{"section", "urban"}}));

  EXPECT_TRUE(pump_until(
      [&] {
        const int r = row_with_subject(list, "公交车到站不停");
        return r >= 0 && cell(list, r, 1).find("已派单") != std::string::npos;
      },
      std::chrono::seconds(10)))
      << to_utf8(frame->status_text());
  EXPECT_EQ(list->GetItemCount(), 1);
  close(frame);
}

TEST_F(ConsoleWindows, TheStatusBarSaysWhenTheHubFallsSilent) {
  auto s = sign_in("wang");
  auto* frame = open_frame(*s);
  pump(std::chrono::milliseconds(1300));  // heartbeats have come
  EXPECT_EQ(to_utf8(frame->connection_text()).find("连接中断"), std::string::npos);
  hub_.reset();
  EXPECT_TRUE(pump_until([&] { return to_utf8(frame->connection_text()).find("连接中断") != std::string::npos; },
                         std::chrono::seconds(10)))
      << to_utf8(frame->connection_text());
  close(frame);
}

}  // namespace
}  // namespace suqiu::console

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  // The windows speak Chinese unless the locale says English: these tests
  // read Chinese labels whatever the machine's LANG.
  setenv("LC_ALL", "C.UTF-8", 1);
  wxApp::SetInstance(new wxApp);
  if (!wxEntryStart(argc, argv)) {
    std::fprintf(stderr, "cannot start wxWidgets (is DISPLAY set? run under xvfb-run)\n");
    return 1;
  }
  wxTheApp->CallOnInit();
  wxInitAllImageHandlers();
  const int rc = RUN_ALL_TESTS();
  wxEntryCleanup();
  return rc;
}
