// The console's presenters (gui/model) against a real hub: what each role
// sees in the list and the detail, which actions are offered, and a case
// taken through dispatch and sign-for the way the console does it.
#include <gtest/gtest.h>

#include <thread>

#include "hub_fixture.h"
#include "model/case_detail.h"
#include "model/case_list.h"
#include "model/console_session.h"
#include "model/intake_desk.h"
#include "export/statistics_workbook.h"
#include "model/statistics.h"
#include "ui_queue.h"

#include <fstream>

namespace suqiu::console {
namespace {

using server::testing::RunningHub;
using server::testing::TempDir;
using testing::UiQueue;
using Done = Outcome<std::monostate>;

class ConsoleModel : public ::testing::Test {
 protected:
  void SetUp() override {
    ids_ = server::testing::seed(dir_.path(), server::testing::default_users(),
                                 server::testing::default_records());
    hub_ = std::make_unique<RunningHub>(dir_.path());
  }

  std::unique_ptr<ConsoleSession> session() {
    HubAddress a;
    a.api = hub_->api->endpoint();
    a.events = hub_->writer->events_endpoint();
    return std::make_unique<ConsoleSession>(a, ui_.post());
  }
  std::unique_ptr<ConsoleSession> sign_in(const std::string& user) {
    auto s = session();
    const auto refused = login(*s, user, user + "-password");
    EXPECT_FALSE(refused) << *refused;
    return s;
  }

  // Each presenter call run to its completion, as the window's loop would;
  // the loads throw the ApiError they completed with.
  std::optional<std::string> login(ConsoleSession& s, const std::string& user, const std::string& password) {
    return ui_.await<std::optional<std::string>>([&](auto done) { s.login(user, password, done); });
  }
  bool ping(ConsoleSession& s) {
    return ui_.await<bool>([&](auto done) { s.ping(done); });
  }
  void reload(CaseList& list) {
    ui_.await<Done>([&](auto done) { list.reload(done); }).value();
  }
  void load(CaseDetail& d, std::int64_t id) {
    ui_.await<Done>([&](auto done) { d.load(id, done); }).value();
  }
  std::optional<std::string> run(CaseDetail& d, const std::string& action,
                                 const std::map<std::string, std::string>& values) {
    return ui_.await<std::optional<std::string>>([&](auto done) { d.run(action, values, done); });
  }
  IntakeDesk::Taken take(IntakeDesk& desk, const NewIntake& in, const std::string& id) {
    return ui_.await<IntakeDesk::Taken>([&](auto done) { desk.take(in, id, done); });
  }
  StatisticsReport statistics(ConsoleSession& s, const Period& period) {
    return std::move(
        ui_.await<Outcome<StatisticsReport>>([&](auto done) { load_statistics(s, zh_, period, done); }).value());
  }

  static const CaseRow* row_of(const CaseList& list, const std::string& subject) {
    for (const auto& r : list.rows())
      if (r.subject == subject) return &r;
    return nullptr;
  }

  static bool offers(const CaseDetail& d, const std::string& action) {
    for (const auto& f : d.actions())
      if (f.action == action) return true;
    return false;
  }

  UiQueue ui_;  // first: outlives the sessions that post to it
  TempDir dir_;
  std::map<std::string, std::int64_t> ids_;
  std::unique_ptr<RunningHub> hub_;
  Words zh_{false};
};

TEST(EventsEndpoint, IsTheApiPortPlusOne) {
  EXPECT_EQ(events_endpoint_for("tcp://127.0.0.1:7451"), "tcp://127.0.0.1:7452");
  EXPECT_EQ(events_endpoint_for("tcp://[::1]:9000"), "tcp://[::1]:9001");
  EXPECT_THROW(events_endpoint_for("tcp://hub.example"), std::invalid_argument);
  EXPECT_THROW(events_endpoint_for("tcp://127.0.0.1:*"), std::invalid_argument);
}

TEST_F(ConsoleModel, ARefusedLoginSaysWhyAndSignsNobodyIn) {
  auto s = session();
  auto refused = login(*s, "wang", "not-the-password");
  ASSERT_TRUE(refused);
  EXPECT_FALSE(refused->empty());
  EXPECT_FALSE(s->signed_in());
  EXPECT_THROW(s->who(), std::logic_error);
}

TEST_F(ConsoleModel, AnOperatorListsEveryCaseInWords) {
  auto s = sign_in("wang");
  EXPECT_EQ(s->who().role, Role::operator_);
  CaseList list(*s, zh_);
  reload(list);
  EXPECT_EQ(list.total(), 5);
  ASSERT_EQ(list.rows().size(), 5u);
  EXPECT_EQ(list.rows().front().subject, "公交线路咨询");  // newest first
  const CaseRow* taxi = row_of(list, "出租车拒载");
  ASSERT_TRUE(taxi);
  const auto cells = list.cells(*taxi);
  ASSERT_EQ(cells.size(), list.column_titles().size());
  // The deadline timers run on today's clock: the fixed dates may be overdue.
  EXPECT_EQ(cells[1], taxi->overdue ? "已受理（超期）" : "已受理");
  EXPECT_EQ(cells[2], "出租车拒载");
  EXPECT_EQ(cells[4], "巡游出租汽车");
  EXPECT_EQ(cells[6], "12345政务服务热线");
  EXPECT_EQ(cells[8], "2026-11-20 09:15");
  EXPECT_EQ(list.page_summary(), "第 1-5 / 5 件");
  EXPECT_FALSE(list.has_next());
}

TEST_F(ConsoleModel, FiltersAndSearchNarrowTheList) {
  auto s = sign_in("wang");
  CaseList list(*s, zh_);
  list.set_filter({.section = "urban"});
  reload(list);
  for (const auto& r : list.rows()) EXPECT_EQ(r.section, "urban");
  EXPECT_GE(list.rows().size(), 2u);
  list.set_filter({.text = "拒载"});
  reload(list);
  ASSERT_EQ(list.rows().size(), 1u);
  EXPECT_EQ(list.rows()[0].subject, "出租车拒载");
  list.set_filter({.statuses = {"closed"}});
  reload(list);
  EXPECT_TRUE(list.rows().empty());
  EXPECT_EQ(list.page_summary(), "没有案件");
  // Several states at once (a to-do): the hub merges them, newest first.
  list.set_filter({.statuses = to_do_statuses(Role::operator_)});
  reload(list);
  EXPECT_EQ(list.rows().size(), 5u);  // all received
  EXPECT_TRUE(to_do_statuses(Role::admin).empty());
  // 仅超期 and 待回访: what the hub filters, not the page afterwards.
  list.set_filter({.overdue_only = true});
  reload(list);
  for (const auto& r : list.rows()) EXPECT_TRUE(r.overdue) << r.subject;
  list.set_filter({.awaiting_callback = true});
  reload(list);
  EXPECT_TRUE(list.rows().empty());
}

TEST_F(ConsoleModel, ALiaisonSeesOwnSectionMaskedAndNoOtherSectionsCase) {
  auto s = sign_in("zhao");  // liaison, urban
  ASSERT_TRUE(s->who().section);
  EXPECT_EQ(*s->who().section, "urban");
  CaseList list(*s, zh_);
  reload(list);
  ASSERT_FALSE(list.rows().empty());
  for (const auto& r : list.rows()) EXPECT_EQ(r.section, "urban");
  EXPECT_FALSE(row_of(list, "客运站超员售票"));  // transport's case

  CaseDetail detail(*s, zh_);
  load(detail, ids_.at("T-1"));
  EXPECT_NE(detail.as_text().find("138****8000"), std::string::npos) << detail.as_text();
  EXPECT_EQ(detail.as_text().find("13800138000"), std::string::npos);
  EXPECT_NE(detail.as_text().find("call.wav <file:///rec/T-1.wav>"), std::string::npos);
  // A whistle-blower's identity stays hidden from the section.
  load(detail, ids_.at("R-1"));
  EXPECT_EQ(detail.as_text().find("张举报"), std::string::npos) << detail.as_text();
  EXPECT_EQ(detail.as_text().find("13600136003"), std::string::npos);
  EXPECT_NE(detail.as_text().find("身份保护"), std::string::npos);
  EXPECT_EQ(detail.as_text().find("R-1.wav"), std::string::npos);  // the recording would identify them
  EXPECT_NE(detail.as_text().find("不予显示"), std::string::npos);
  // Received, not yet dispatched: nothing for a liaison to do.
  EXPECT_TRUE(detail.actions().empty());

  try {
    load(detail, ids_.at("C-1"));
    FAIL() << "a liaison read another section's case";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "E_FORBIDDEN");
  }
}

TEST_F(ConsoleModel, TheActionsOfferedFollowRoleStateAndType) {
  auto op = sign_in("wang");
  CaseDetail d(*op, zh_);
  load(d, ids_.at("T-1"));  // a complaint, received
  EXPECT_TRUE(offers(d, "dispatch"));
  EXPECT_TRUE(offers(d, "transfer"));
  EXPECT_FALSE(offers(d, "sign_for"));
  EXPECT_FALSE(offers(d, "reply"));  // 直接办结 is for inquiries only
  EXPECT_TRUE(offers(d, "reclassify"));
  load(d, ids_.at("Q-1"));  // an inquiry, received: may be answered on the call
  EXPECT_TRUE(offers(d, "reply"));
  // The operator corrects the category: the section stays, the history says so.
  ASSERT_FALSE(run(d, "reclassify", {{"category", "ride_hailing"}, {"request_type", "inquiry"}, {"note", "网约车线路"}}));
  EXPECT_NE(d.as_text().find("网络预约出租汽车"), std::string::npos) << d.as_text();
  EXPECT_NE(d.as_text().find("改类"), std::string::npos);
  auto boss = sign_in("boss");
  CaseDetail b(*boss, zh_);
  load(b, ids_.at("T-1"));
  EXPECT_TRUE(offers(b, "supervise"));
  EXPECT_FALSE(offers(b, "reply"));
}

TEST_F(ConsoleModel, ACaseGoesFromDispatchToSignForThroughThePresenters) {
  auto op = sign_in("wang");
  CaseDetail d(*op, zh_);
  load(d, ids_.at("T-1"));
  auto missing = run(d, "dispatch", {{"section", ""}});
  ASSERT_TRUE(missing);
  EXPECT_NE(missing->find("承办科室"), std::string::npos) << *missing;
  EXPECT_EQ(d.status(), "received");
  ASSERT_FALSE(run(d, "dispatch", {{"section", "urban"}, {"assist", "transport,enforcement"}, {"note", "请核查"}}));
  EXPECT_EQ(d.status(), "assigned");
  EXPECT_NE(d.as_text().find("协办科室：运输管理科、综合执法大队"), std::string::npos) << d.as_text();
  EXPECT_FALSE(offers(d, "dispatch"));

  auto zhao = sign_in("zhao");
  CaseDetail z(*zhao, zh_);
  load(z, ids_.at("T-1"));
  EXPECT_TRUE(offers(z, "sign_for"));
  EXPECT_TRUE(offers(z, "return"));
  auto no_reason = run(z, "return", {});
  ASSERT_TRUE(no_reason);
  EXPECT_NE(no_reason->find("退单理由"), std::string::npos) << *no_reason;
  ASSERT_FALSE(run(z, "sign_for", {}));
  EXPECT_EQ(z.status(), "accepted");
  // The deadline timers may have added reminders between the steps.
  std::vector<HistoryLine> steps;
  for (const auto& h : z.history())
    if (!h.change.empty()) steps.push_back(h);
  ASSERT_EQ(steps.size(), 3u) << z.as_text();
  EXPECT_EQ(steps[0].action, "受理");
  EXPECT_EQ(steps[1].action, "派单");
  EXPECT_EQ(steps[1].note, "请核查");
  EXPECT_EQ(steps[1].actor, "wang");
  EXPECT_EQ(steps[2].change, "已派单 → 办理中");
  // The operator's stale view: the hub refuses, and says why.
  auto refused = run(d, "approve_close", {});
  ASSERT_TRUE(refused);
}

TEST_F(ConsoleModel, AnotherUsersActionMarksTheListStale) {
  auto op = sign_in("wang");
  CaseList list(*op, zh_);
  reload(list);
  // Heartbeats carry the last sequence: once one has come, an unchanged hub is not stale.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (std::chrono::steady_clock::now() < until) {
    EXPECT_FALSE(op->changes_pending());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  auto boss = sign_in("boss");
  CaseDetail b(*boss, zh_);
  load(b, ids_.at("T-2"));
  ASSERT_FALSE(run(b, "supervise", {{"note", "三日内办结"}}));
  bool stale = false;
  for (int i = 0; i < 50 && !stale; ++i) {
    stale = op->changes_pending();
    if (!stale) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(stale);
  bool all = true;
  EXPECT_EQ(op->take_changed_cases(all), std::set<std::int64_t>{ids_.at("T-2")});  // which case: only that one is read again
  EXPECT_FALSE(all);
  EXPECT_TRUE(op->take_changed_cases(all).empty());
  reload(list);
  EXPECT_FALSE(op->changes_pending());
}

TEST_F(ConsoleModel, AnOperatorTakesACallAndReadsBackTheCaseNumber) {
  auto op = sign_in("wang");
  IntakeDesk desk(*op, zh_);
  const std::string id = desk.new_external_id();
  EXPECT_EQ(id.rfind("DESK-wang-", 0), 0u) << id;
  EXPECT_NE(id, desk.new_external_id());

  auto empty = take(desk, NewIntake{}, id);
  ASSERT_TRUE(std::holds_alternative<std::string>(empty));
  EXPECT_NE(std::get<std::string>(empty).find("诉求内容"), std::string::npos);

  NewIntake call;
  call.source = "12328";
  call.caller_name = "刘女士";
  call.caller_phone = "13912345678";
  call.subject = "出租车司机拒载";
  call.content = "在火车站打车，出租车司机嫌路近拒载，车牌粤G12345。";
  call.address = "火车站南广场";
  auto taken = take(desk, call, id);
  ASSERT_TRUE(std::holds_alternative<TakenIntake>(taken)) << std::get<std::string>(taken);
  const auto t = std::get<TakenIntake>(taken);
  EXPECT_EQ(t.case_number.rfind("SQ", 0), 0u) << t.case_number;
  EXPECT_FALSE(t.duplicate);
  EXPECT_EQ(t.category, "巡游出租汽车");
  EXPECT_EQ(t.section, "城市客运科");
  EXPECT_FALSE(t.deadline.empty());

  // The answer was lost and the operator presses OK again: the same case.
  auto again = take(desk, call, id);
  ASSERT_TRUE(std::holds_alternative<TakenIntake>(again));
  EXPECT_TRUE(std::get<TakenIntake>(again).duplicate);
  EXPECT_EQ(std::get<TakenIntake>(again).case_number, t.case_number);

  CaseList list(*op, zh_);
  reload(list);
  EXPECT_EQ(list.total(), 6);
  EXPECT_EQ(list.rows().front().case_number, t.case_number);  // received now: the newest
  CaseDetail d(*op, zh_);
  load(d, t.case_id);
  EXPECT_NE(d.as_text().find("火车站南广场"), std::string::npos);
  EXPECT_NE(d.as_text().find("wang"), std::string::npos);  // who took it, in the history

  // A liaison does not take intakes.
  auto zhao = sign_in("zhao");
  IntakeDesk theirs(*zhao, zh_);
  auto refused = take(theirs, call, theirs.new_external_id());
  ASSERT_TRUE(std::holds_alternative<std::string>(refused));
}

TEST_F(ConsoleModel, StatisticsForAPeriodAndTheirExcelWorkbook) {
  auto boss = sign_in("boss");
  auto all = statistics(*boss, Period{});
  EXPECT_EQ(all.total, 5);
  ASSERT_EQ(all.tables.size(), 5u);
  EXPECT_EQ(all.tables[0].title, "按渠道");
  ASSERT_FALSE(all.tables[0].rows.empty());
  EXPECT_EQ(all.tables[0].rows[0].name, "12345政务服务热线");  // 3 of the 5, the most
  EXPECT_EQ(all.tables[0].rows[0].count, 3);
  EXPECT_DOUBLE_EQ(all.tables[0].rows[0].share, 0.6);
  EXPECT_EQ(Period{}.label(zh_), "全部");

  // Received 2026-11-22 to 11-24: C-1, R-1, Q-1.
  const Period days{"2026-11-22", "2026-11-24"};
  EXPECT_EQ(days.label(zh_), "2026-11-22 至 2026-11-24");
  EXPECT_EQ(statistics(*boss, days).total, 3);
  try {
    statistics(*boss, Period{"yesterday", std::nullopt});
    FAIL() << "a bad day was taken";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.field(), "from");
  }

  const auto file = dir_.path() / "stats.xlsx";
  exporting::write_statistics_xlsx(all, Period{}.label(zh_), zh_, file);
  std::ifstream in(file, std::ios::binary);
  char magic[2] = {};
  in.read(magic, 2);
  EXPECT_EQ(std::string(magic, 2), "PK");  // an xlsx is a zip
  EXPECT_GT(std::filesystem::file_size(file), 3000u);
  EXPECT_THROW(exporting::write_statistics_xlsx(all, "", zh_, dir_.path() / "no-such-folder" / "x.xlsx"), std::runtime_error);

  // A liaison gets their section's count and nothing of the others.
  auto zhao = sign_in("zhao");
  auto own = statistics(*zhao, Period{});
  EXPECT_LT(own.total, 5);
  EXPECT_TRUE(own.tables[0].rows.empty());  // no breakdown by source for a section
}

TEST_F(ConsoleModel, ASilentHubIsNoticedAndTheListCatchesUpWhenItIsBack) {
  auto op = sign_in("wang");
  CaseList list(*op, zh_);
  reload(list);
  EXPECT_TRUE(op->hub_heard());
  EXPECT_TRUE(ping(*op));

  // The hub stops; restarted later on the same endpoints.
  server::HubConfig was = hub_->config;
  was.api = hub_->api->endpoint();
  was.events = hub_->writer->events_endpoint();
  hub_.reset();
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(8);
  while (op->hub_heard() && std::chrono::steady_clock::now() < until) {
    op->changes_pending();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_FALSE(op->hub_heard());
  EXPECT_FALSE(ping(*op));

  hub_ = std::make_unique<RunningHub>(dir_.path(), std::nullopt, std::vector<protocol::AllowedKey>{}, &was);
  bool back = false;
  for (int i = 0; i < 50 && !back; ++i) {
    back = ping(*op);
    if (!back) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(back);
  // Sessions do not outlive the hub: sign in again, then the list is there.
  try {
    reload(list);
    FAIL() << "the old token still worked";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), "E_TOKEN");
  }
  ASSERT_FALSE(login(*op, "wang", "wang-password"));
  reload(list);
  EXPECT_EQ(list.total(), 5);
  bool heard = false;
  for (int i = 0; i < 50 && !heard; ++i) {
    op->changes_pending();
    heard = op->hub_heard();
    if (!heard) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(heard);
}

}  // namespace
}  // namespace suqiu::console
