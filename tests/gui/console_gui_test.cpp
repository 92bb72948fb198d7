// The console's windows under Xvfb against a real hub: what an operator and a
// liaison see, an action taken through its dialog, a refused sign-in, a
// list that follows another user's change by itself, and a window that stays
// live while a slow hub keeps its requests waiting. Leaves a screenshot of
// the operator's window in the build folder (tests/gui/console.png).
#include <gtest/gtest.h>

#include <wx/app.h>
#include <wx/bitmap.h>
#include <wx/button.h>
#include <wx/dcmemory.h>
#include <wx/dcscreen.h>
#include <wx/image.h>
#include <wx/listctrl.h>
#include <wx/statusbr.h>
#include <wx/textctrl.h>
#include <wx/timer.h>
#include <wx/toplevel.h>
#include <wx/uiaction.h>

#include <zmq_addon.hpp>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
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
#include "views/post_to_ui.h"
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

// Starts a call that delivers a T to its callback and runs the loop until it has.
template <class T, class Start>
T await(Start start) {
  std::optional<T> got;
  start([&got](T value) { got.emplace(std::move(value)); });
  if (!pump_until([&] { return got.has_value(); }, std::chrono::seconds(15)))
    throw std::runtime_error("no completion within 15 s");
  return std::move(*got);
}

// Until what the window asked the hub has come and been shown.
void settle(MainFrame* frame) {
  EXPECT_TRUE(pump_until([&] { return !frame->busy(); }, std::chrono::seconds(15)));
}
template <class Dialog>
void settle(Dialog& dialog) {
  EXPECT_TRUE(pump_until([&] { return !dialog.sending(); }, std::chrono::seconds(15)));
}

std::optional<std::string> login(ConsoleSession& s, const std::string& user, const std::string& password) {
  return await<std::optional<std::string>>([&](auto done) { s.login(user, password, done); });
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
        HubAddress{hub_->api->endpoint(), hub_->writer->events_endpoint(), {}}, post_to_window_thread());
  }
  std::unique_ptr<ConsoleSession> sign_in(const std::string& user) {
    auto s = session();
    auto refused = login(*s, user, user + "-password");
    EXPECT_FALSE(refused) << *refused;
    return s;
  }

  // The main window, shown, laid out and filled; close() destroys it.
  static MainFrame* open_frame(ConsoleSession& session) {
    auto* frame = new MainFrame(session);
    frame->Show();
    pump(std::chrono::milliseconds(200));
    settle(frame);
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
  settle(frame);
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
    dialog.submit();
    EXPECT_TRUE(dialog.sending());
    dialog.submit();  // pressed again while on its way: not sent twice (a second dispatch would be refused)
    settle(dialog);
    EXPECT_TRUE(dialog.done()) << to_utf8(dialog.message());
  }
  frame->refresh();
  settle(frame);
  const int after = row_with_subject(list, "出租车拒载");
  ASSERT_GE(after, 0);
  EXPECT_NE(cell(list, after, 1).find("已派单"), std::string::npos) << cell(list, after, 1);
  EXPECT_NE(to_utf8(frame->detail_text()).find("请核查并回复"), std::string::npos);
  EXPECT_NE(to_utf8(frame->detail_text()).find("协办科室：综合执法大队"), std::string::npos);
  EXPECT_FALSE(frame->action_button("dispatch"));

  // The list as the desk sees it, to a workbook and to CSV.
  auto exported = [&](const std::filesystem::path& file) {
    frame->export_list(file);
    EXPECT_TRUE(frame->exporting());
    settle(frame);
    return to_utf8(frame->status_text());
  };
  EXPECT_NE(exported(dir_.path() / "cases.xlsx").find("已导出 5 件"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "cases.xlsx"));
  frame->set_search("拒载");
  settle(frame);
  const std::string csv_done = exported(dir_.path() / "cases.csv");
  EXPECT_NE(csv_done.find("已导出 1 件"), std::string::npos) << csv_done;
  EXPECT_NE(exported(dir_.path() / "no" / "such.xlsx").find("such.xlsx"), std::string::npos);
  frame->set_search("");
  settle(frame);

  // 待回访: nothing closed yet.
  frame->set_status_filter("callback");
  settle(frame);
  EXPECT_EQ(list->GetItemCount(), 0);
  EXPECT_EQ(to_utf8(frame->status_text()), "没有案件");
  frame->set_status_filter("");
  settle(frame);
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
    dialog.submit();  // no content yet
    EXPECT_FALSE(dialog.sending());
    EXPECT_FALSE(dialog.taken());
    EXPECT_NE(to_utf8(dialog.message()).find("诉求内容"), std::string::npos);
    call.content = "乘坐12路公交车时司机辱骂乘客。";
    dialog.fill(call);
    dialog.submit();
    settle(dialog);
    ASSERT_TRUE(dialog.taken()) << to_utf8(dialog.message());
    number = dialog.taken()->case_number;
    frame->show_taken(*dialog.taken());
    settle(frame);
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
  settle(frame);
  ASSERT_GT(list->GetItemCount(), 0);
  for (long i = 0; i < list->GetItemCount(); ++i) EXPECT_EQ(cell(list, static_cast<int>(i), 5), "城市客运科");
  EXPECT_LT(row_with_subject(list, "客运站超员售票"), 0);
  const int row = row_with_subject(list, "出租车拒载");
  ASSERT_GE(row, 0);
  frame->choose_row(row);
  settle(frame);
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
  ASSERT_TRUE(pump_until([&] { return !dialog.loading(); }, std::chrono::seconds(15)));  // this month, on opening
  dialog.show_period(Period{});
  EXPECT_TRUE(dialog.loading());
  ASSERT_TRUE(pump_until([&] { return !dialog.loading(); }, std::chrono::seconds(15)));
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
  ConsoleSession s(HubAddress{hub.api->endpoint(), hub.writer->events_endpoint(), {}}, post_to_window_thread());
  EXPECT_FALSE(login(s, "chen", "long enough"));
  EXPECT_EQ(s.who().role, Role::leader);
}

TEST_F(ConsoleWindows, AUserChangesTheirOwnPassword) {
  auto s = sign_in("li");
  PasswordDialog dialog(nullptr, *s);
  dialog.submit("li-password", "a new long password", "a new long passworD");
  EXPECT_FALSE(dialog.sending());  // refused before anything is sent
  EXPECT_NE(to_utf8(dialog.message()).find("不一致"), std::string::npos);
  dialog.submit("wrong", "a new long password", "a new long password");
  settle(dialog);
  EXPECT_FALSE(dialog.changed());
  EXPECT_FALSE(dialog.message().empty());
  dialog.submit("li-password", "a new long password", "a new long password");
  settle(dialog);
  ASSERT_TRUE(dialog.changed()) << to_utf8(dialog.message());
  auto again = session();
  EXPECT_TRUE(login(*again, "li", "wrong-or-old").has_value());
  EXPECT_FALSE(login(*again, "li", "a new long password").has_value());
}

TEST_F(ConsoleWindows, TheFeedsWindowShowsWhoIsConnectedAndWhatTheySent) {
  hub_->api->set_plugins_provider([this] { return hub_->ingest->plugins_json(); });
  auto s = sign_in("boss");
  {
    FeedsDialog empty(nullptr, *s);
    ASSERT_TRUE(pump_until([&] { return !empty.loading(); }, std::chrono::seconds(15)));
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
  login.submit("wang", "wrong");
  settle(login);
  EXPECT_FALSE(s->signed_in());
  EXPECT_FALSE(login.message().empty());
  login.submit("wang", "wang-password");
  settle(login);
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
  ASSERT_TRUE(await<Outcome<std::monostate>>([&](auto done) { other.load(ids_.at("T-2"), done); }).ok());
  ASSERT_FALSE(await<std::optional<std::string>>(
      [&](auto done) { other.run("dispatch", {{"section", "urban"}}, done); }));

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

// Between the console and the hub's api: every reply held `delay` before it
// is passed on, as from a distant or overloaded hub. One DEALER towards the
// hub per console socket, so that the hub's answers find their way back.
class SlowApi {
 public:
  SlowApi(std::string hub_api, std::chrono::milliseconds delay)
      : hub_api_(std::move(hub_api)), delay_(delay.count()) {
    front_.set(zmq::sockopt::linger, 0);
    front_.bind("tcp://127.0.0.1:*");
    endpoint_ = front_.get(zmq::sockopt::last_endpoint);
    thread_ = std::thread([this] { run(); });
  }
  ~SlowApi() {
    stop_ = true;
    thread_.join();
  }
  const std::string& endpoint() const { return endpoint_; }
  void set_delay(std::chrono::milliseconds delay) { delay_ = delay.count(); }

 private:
  struct Held {
    std::chrono::steady_clock::time_point due;
    std::vector<zmq::message_t> frames;  // the console's identity first
  };

  static std::vector<zmq::message_t> receive(zmq::socket_t& socket) {
    std::vector<zmq::message_t> frames;
    (void)zmq::recv_multipart(socket, std::back_inserter(frames), zmq::recv_flags::dontwait);
    return frames;
  }

  void run() {
    std::map<std::string, zmq::socket_t> towards_hub;  // by the console's identity
    std::deque<Held> held;
    while (!stop_) {
      std::vector<zmq::pollitem_t> items{{front_.handle(), 0, ZMQ_POLLIN, 0}};
      std::vector<std::string> ids;
      for (auto& [id, socket] : towards_hub) {
        items.push_back({socket.handle(), 0, ZMQ_POLLIN, 0});
        ids.push_back(id);
      }
      zmq::poll(items, std::chrono::milliseconds(20));
      if (items[0].revents & ZMQ_POLLIN) {
        auto frames = receive(front_);
        if (frames.size() < 2) continue;
        const std::string id = frames[0].to_string();
        auto it = towards_hub.find(id);
        if (it == towards_hub.end()) {
          zmq::socket_t dealer(context_, zmq::socket_type::dealer);
          dealer.set(zmq::sockopt::linger, 0);
          dealer.connect(hub_api_);
          it = towards_hub.emplace(id, std::move(dealer)).first;
        }
        zmq::send_multipart(it->second, std::vector<zmq::message_t>(std::make_move_iterator(frames.begin() + 1),
                                                                     std::make_move_iterator(frames.end())));
      }
      for (std::size_t k = 1; k < items.size(); ++k) {
        if (!(items[k].revents & ZMQ_POLLIN)) continue;
        auto frames = receive(towards_hub.at(ids[k - 1]));
        frames.insert(frames.begin(), zmq::message_t(ids[k - 1]));
        held.push_back({std::chrono::steady_clock::now() + std::chrono::milliseconds(delay_.load()), std::move(frames)});
      }
      while (!held.empty() && held.front().due <= std::chrono::steady_clock::now()) {
        zmq::send_multipart(front_, std::move(held.front().frames));
        held.pop_front();
      }
    }
  }

  zmq::context_t context_;
  zmq::socket_t front_{context_, zmq::socket_type::router};
  std::string hub_api_, endpoint_;
  std::atomic<std::chrono::milliseconds::rep> delay_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The Done-when of "the console never blocks its window thread": against a
// hub whose every answer takes three seconds, the window keeps repainting
// and the operator keeps typing the call being logged while requests wait.
TEST_F(ConsoleWindows, AHubThatAnswersAfterThreeSecondsNeverFreezesTheWindow) {
  using namespace std::chrono_literals;
  using Clock = std::chrono::steady_clock;
  SlowApi slow(hub_->api->endpoint(), 3s);
  ConsoleSession s(HubAddress{slow.endpoint(), hub_->writer->events_endpoint(), {}}, post_to_window_thread());

  auto started = Clock::now();
  std::optional<std::optional<std::string>> refused;
  s.login("wang", "wang-password", [&](std::optional<std::string> r) { refused = r; });
  EXPECT_LT(Clock::now() - started, 200ms);  // the sign-in did not wait for its answer
  ASSERT_TRUE(pump_until([&] { return refused.has_value(); }, 10s));
  ASSERT_FALSE(*refused) << **refused;
  ASSERT_GE(Clock::now() - started, 2800ms);  // the proxy does hold the answers back

  started = Clock::now();
  auto* frame = new MainFrame(s);  // its first list is on its way
  frame->Show();
  EXPECT_LT(Clock::now() - started, 500ms);
  EXPECT_TRUE(frame->busy());
  EXPECT_EQ(frame->list()->GetItemCount(), 0);
  // What the window does while it waits: a timer's turns and the status bar's repaints.
  int ticks = 0, paints = 0;
  frame->GetStatusBar()->Bind(wxEVT_PAINT, [&](wxPaintEvent& e) {
    ++paints;
    e.Skip();
  });
  wxTimer timer;
  timer.Bind(wxEVT_TIMER, [&](wxTimerEvent&) {
    ++ticks;
    frame->GetStatusBar()->Refresh();
  });
  timer.Start(50);

  // The operator logs the call while the list is still loading.
  // Gone before the frame that owns it as a child window.
  auto dialog = std::make_unique<IntakeDialog>(frame, frame->desk());
  NewIntake call;
  call.caller_name = "周先生";
  call.caller_phone = "13711112222";
  call.subject = "公交车不按站停靠";
  dialog->fill(call);
  dialog->Show();
  pump(300ms);
  wxTextCtrl* content = dialog->content();
  content->SetFocus();
  wxUIActionSimulator keys;
  keys.MouseMove(content->GetScreenRect().GetPosition() + wxPoint(20, 20));
  keys.MouseClick();
  keys.Text("bus 12 did not stop");
  const bool typed =
      pump_until([&] { return to_utf8(content->GetValue()).find("bus 12 did not stop") != std::string::npos; }, 2s);
  EXPECT_TRUE(typed) << "the content field holds '" << to_utf8(content->GetValue()) << "'";
  EXPECT_TRUE(frame->busy()) << "the list's answer came before the typing was done: nothing shown";
  EXPECT_LT(Clock::now() - started, 2800ms);
  pump_until([&] { return Clock::now() - started >= 1200ms; }, 2s);
  EXPECT_NE(to_utf8(frame->busy_text()).find("等待中心答复"), std::string::npos) << to_utf8(frame->busy_text());
  EXPECT_FALSE(frame->FindWindow(wxID_FORWARD)->IsEnabled());  // no page turned while one is on its way
  // Still waiting, and the window has been live all along.
  EXPECT_TRUE(frame->busy());
  EXPECT_GE(ticks, 5) << "in " << (Clock::now() - started).count() / 1000000 << " ms";
  EXPECT_GE(paints, 5);

  // OK, and OK again while on its way: the form stays editable, the intake goes once.
  dialog->submit();
  EXPECT_TRUE(dialog->sending());
  EXPECT_FALSE(dialog->FindWindow(wxID_OK)->IsEnabled());
  dialog->submit();
  keys.Text(" again");
  EXPECT_TRUE(pump_until([&] { return to_utf8(content->GetValue()).find("stop again") != std::string::npos; }, 2s))
      << to_utf8(content->GetValue());
  EXPECT_TRUE(dialog->sending());

  ASSERT_TRUE(pump_until([&] { return !frame->busy(); }, 10s));
  EXPECT_EQ(frame->list()->GetItemCount(), 5);  // the list came
  ASSERT_TRUE(pump_until([&] { return !dialog->sending(); }, 10s));
  ASSERT_TRUE(dialog->taken()) << to_utf8(dialog->message());
  EXPECT_FALSE(dialog->taken()->duplicate);  // sent once: a second send would have found it a duplicate
  frame->refresh();
  ASSERT_TRUE(pump_until([&] { return !frame->busy(); }, 10s));
  EXPECT_EQ(frame->list()->GetItemCount(), 6);
  EXPECT_EQ(to_utf8(frame->busy_text()), "");
  timer.Stop();
  dialog.reset();
  close(frame);
}

// An api that stops answering while its event stream goes on (heartbeats
// and all): the first unanswered request says so in the connection field,
// and the console finds the hub again by itself.
TEST_F(ConsoleWindows, AnUnansweredRequestShowsTheHubLostUntilItAnswersAgain) {
  using namespace std::chrono_literals;
  SlowApi slow(hub_->api->endpoint(), 0ms);
  HubAddress address{slow.endpoint(), hub_->writer->events_endpoint(), {}};
  address.api_options.timeout = 1s;
  ConsoleSession s(address, post_to_window_thread());
  ASSERT_FALSE(login(s, "wang", "wang-password"));
  auto* frame = open_frame(s);
  EXPECT_EQ(frame->list()->GetItemCount(), 5);
  EXPECT_EQ(to_utf8(frame->connection_text()).find("连接中断"), std::string::npos);

  slow.set_delay(3s);
  frame->refresh();
  EXPECT_TRUE(pump_until([&] { return to_utf8(frame->connection_text()).find("连接中断") != std::string::npos; }, 3s))
      << to_utf8(frame->connection_text());
  EXPECT_NE(to_utf8(frame->status_text()).find("E_TIMEOUT"), std::string::npos) << to_utf8(frame->status_text());
  EXPECT_EQ(frame->list()->GetItemCount(), 5);  // what was there stays

  slow.set_delay(0ms);
  EXPECT_TRUE(pump_until([&] { return to_utf8(frame->connection_text()).find("连接中断") == std::string::npos; }, 12s))
      << to_utf8(frame->connection_text());
  EXPECT_TRUE(pump_until([&] { return to_utf8(frame->status_text()) == "第 1-5 / 5 件"; }, 5s))
      << to_utf8(frame->status_text());  // reloaded once found
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
