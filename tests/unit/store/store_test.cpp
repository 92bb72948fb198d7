#include "store/store.h"

#include "store_fixture.h"

namespace suqiu::store {
namespace {

using testing::make_case;
using testing::TempDir;

TEST(Store, IngestIsIdempotentOnSourceAndExternalId) {
  TempDir dir;
  Store s(Store::database_file(dir.path()), Store::Access::writer);
  std::vector<NewCase> batch = {make_case("A-1", "出租车拒载"), make_case("A-2", "公交车晚点")};
  auto first = s.insert_cases(batch, {});
  ASSERT_EQ(first.size(), 2u);
  EXPECT_FALSE(first[0].existing);
  EXPECT_EQ(first[0].case_no, "SQ20261126-000001");
  auto again = s.insert_cases(batch, {});
  EXPECT_TRUE(again[0].existing);
  EXPECT_EQ(again[0].id, first[0].id);
  EXPECT_EQ(again[1].case_no, first[1].case_no);
  EXPECT_EQ(s.statistics().total, 2);
}

TEST(Store, CountersFollowIntakeAndTransitions) {
  TempDir dir;
  Store s(Store::database_file(dir.path()), Store::Access::writer);
  std::vector<NewCase> batch = {make_case("A-1", "出租车拒载"),
                                make_case("A-2", "渡口停航", "2026-11-27T10:00:00+08:00",
                                          "waterway", "port")};
  batch[1].record.source = "12328";
  auto ids = s.insert_cases(batch, {});
  auto st = s.statistics();
  EXPECT_EQ(st.total, 2);
  EXPECT_EQ(st.by_source["12345"], 1);
  EXPECT_EQ(st.by_source["12328"], 1);
  EXPECT_EQ(st.by_category["waterway"], 1);
  EXPECT_EQ(st.by_status["received"], 2);

  CaseChange dispatch{ids[0].id, "op1", "dispatch", "received", "assigned"};
  s.apply_change(dispatch);
  CaseChange wrong{ids[0].id, "op1", "dispatch", "received", "assigned"};
  EXPECT_THROW(s.apply_change(wrong), StoreError);  // it moved on already

  st = s.statistics();
  EXPECT_EQ(st.by_status["received"], 1);
  EXPECT_EQ(st.by_status["assigned"], 1);

  // Only the 27th: the range is on the received day.
  auto day27 = s.statistics(std::chrono::year{2026} / 11 / 27, std::chrono::year{2026} / 11 / 28);
  EXPECT_EQ(day27.total, 1);
  EXPECT_EQ(day27.by_category["waterway"], 1);
  EXPECT_EQ(day27.by_category.count("taxi"), 0u);
}

// The 12328 assessment's indicators, counted as cases close, and the same
// counts rebuilt from the history by migration 9 for a database that had none.
TEST(Store, TheMinistrysIndicatorsAreCountedAndRebuiltFromHistory) {
  TempDir dir;
  auto s = std::make_unique<Store>(Store::database_file(dir.path()), Store::Access::writer);
  std::vector<NewCase> batch = {make_case("I-1", "咨询学时"), make_case("I-2", "咨询票价"),
                                make_case("C-1", "出租车拒载"), make_case("R-1", "举报黑车")};
  batch[0].request_type = batch[1].request_type = RequestType::inquiry;
  batch[3].request_type = RequestType::report;
  batch[3].deadline = *Timestamp::parse("2026-01-01T18:00:00+08:00");  // long past: closes late
  auto ids = s->insert_cases(batch, {});
  auto close = [&](std::int64_t id, const char* action, const char* from) {
    CaseChange c{id, "op1", action, from, "closed"};
    c.closing = true;
    s->apply_change(c);
  };
  auto callback = [&](std::int64_t id, const char* satisfaction) {
    CaseChange c{id, "op1", "callback", "closed", "closed"};
    c.satisfaction = satisfaction;
    c.detail = std::string(R"({"satisfaction":")") + satisfaction + "\"}";
    s->apply_change(c);
  };
  close(ids[0].id, "close_directly", "received");  // one of two inquiries answered on the call
  s->apply_change(CaseChange{ids[2].id, "op1", "reply", "received", "replied"});
  close(ids[2].id, "approve_close", "replied");    // a complaint in time
  close(ids[3].id, "approve_close", "received");   // a report late
  callback(ids[2].id, "basically_satisfied");
  callback(ids[3].id, "dissatisfied");

  auto check = [](const Statistics& st) {
    EXPECT_EQ(st.answered_on_call, 1);
    ASSERT_TRUE(st.inquiries_answered_on_call_rate());
    EXPECT_DOUBLE_EQ(*st.inquiries_answered_on_call_rate(), 0.5);
    ASSERT_TRUE(st.complaints_on_time_rate());
    EXPECT_DOUBLE_EQ(*st.complaints_on_time_rate(), 0.5);  // the inquiry's closing is not counted here
    ASSERT_TRUE(st.complaints_satisfaction_rate());
    EXPECT_DOUBLE_EQ(*st.complaints_satisfaction_rate(), 0.5);
    ASSERT_TRUE(st.callback_rate());
    EXPECT_DOUBLE_EQ(*st.callback_rate(), 2.0 / 3.0);
  };
  check(s->statistics());

  // An older database: the new counters absent, the schema at 8.
  s->connection().exec(
      "DELETE FROM stat_counter WHERE dim IN ('answered_on_call', 'closed_by_type', 'callback_by_type')");
  s->connection().exec("PRAGMA user_version=8");
  s.reset();
  s = std::make_unique<Store>(Store::database_file(dir.path()), Store::Access::writer);
  check(s->statistics());
}

TEST(Store, ClosingCountsOnTimeAndCallBacks) {
  TempDir dir;
  Store s(Store::database_file(dir.path()), Store::Access::writer);
  std::vector<NewCase> batch = {make_case("A-1", "出租车拒载")};
  batch[0].deadline = Timestamp::now();
  batch[0].deadline.epoch += 3600;
  auto id = s.insert_cases(batch, {})[0].id;
  CaseChange close{id, "op1", "close_directly", "received", "closed"};
  close.closing = true;
  s.apply_change(close);
  CaseChange cb{id, "op1", "callback", "closed", "closed"};
  cb.satisfaction = "satisfied";
  s.apply_change(cb);
  auto st = s.statistics();
  EXPECT_EQ(st.closed_on_time, 1);
  ASSERT_TRUE(st.on_time_rate());
  EXPECT_DOUBLE_EQ(*st.on_time_rate(), 1.0);
  ASSERT_TRUE(st.satisfaction_rate());
  EXPECT_DOUBLE_EQ(*st.satisfaction_rate(), 1.0);
  auto detail = s.case_detail(id);
  ASSERT_TRUE(detail);
  ASSERT_EQ(detail->history.size(), 3u);
  EXPECT_EQ(detail->history[0].action, "intake");
  EXPECT_EQ(detail->history[2].action, "callback");
  EXPECT_TRUE(detail->summary.closed_ts);
}

TEST(Store, ListFiltersAndPagesNewestFirst) {
  TempDir dir;
  Store s(Store::database_file(dir.path()), Store::Access::writer);
  std::vector<NewCase> batch;
  for (int i = 0; i < 30; ++i) {
    char when[40];
    std::snprintf(when, sizeof when, "2026-11-%02dT09:00:00+08:00", 1 + i % 28);
    batch.push_back(make_case("L-" + std::to_string(i), "内容" + std::to_string(i), when,
                              i % 3 ? "taxi" : "bus"));
  }
  s.insert_cases(batch, {});
  CaseFilter f;
  f.limit = 5;
  auto page = s.list_cases(f);
  ASSERT_EQ(page.size(), 5u);
  for (std::size_t i = 1; i < page.size(); ++i)
    EXPECT_GE(page[i - 1].received_ts, page[i].received_ts);
  f.category = "bus";
  f.limit = 100;
  EXPECT_EQ(s.list_cases(f).size(), 10u);
  f.offset = 8;
  EXPECT_EQ(s.list_cases(f).size(), 2u);
}

TEST(Store, DeadLettersKeepRawBytes) {
  TempDir dir;
  Store s(Store::database_file(dir.path()), Store::Access::writer);
  std::string raw = "not json \xff";
  s.record_dead_letters(std::vector<DeadLetter>{{"file.jsonl", 3, "E_NOT_JSON", "", "not JSON", raw}});
  auto letters = s.dead_letters(10);
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].raw, raw);
  EXPECT_EQ(letters[0].line, 3);
  EXPECT_EQ(s.dead_letter_count(), 1);
}

TEST(Store, RecentCasesAreThoseOfTheWindowBeforeTheLatest) {
  TempDir dir;
  Store s(Store::database_file(dir.path()), Store::Access::writer);
  std::vector<NewCase> batch = {make_case("D-1", "甲", "2026-10-01T09:00:00+08:00", "taxi", "urban", "13900000001"),
                                make_case("D-2", "乙", "2026-11-20T09:00:00+08:00", "taxi", "urban", "13900000002"),
                                make_case("D-3", "丙", "2026-11-21T09:00:00+08:00", "bus", "transit", "")};
  batch[1].simhash = 0x9999888877776666ULL;
  batch[1].objects = {"粤G·T2736", "12路"};
  s.insert_cases(batch, {});
  auto recent = s.recent_cases(30 * 86400);
  ASSERT_EQ(recent.size(), 2u);  // D-1 is 51 days older than D-3
  EXPECT_EQ(recent[0].caller_phone, "13900000002");
  EXPECT_EQ(*recent[0].simhash, 0x9999888877776666ULL);
  EXPECT_EQ(recent[0].objects, (std::vector<std::string>{"粤G·T2736", "12路"}));
  EXPECT_EQ(recent[1].category, "bus");
  EXPECT_FALSE(recent[1].simhash);
  EXPECT_TRUE(recent[1].objects.empty());
  EXPECT_EQ(s.recent_cases(100 * 86400).size(), 3u);
}

TEST(Store, ReaderSeesWriterCommits) {
  TempDir dir;
  auto file = Store::database_file(dir.path());
  Store w(file, Store::Access::writer);
  Store r(file, Store::Access::reader);
  std::vector<NewCase> batch = {make_case("R-1", "出租车拒载")};
  w.insert_cases(batch, {});
  EXPECT_EQ(r.statistics().total, 1);
  EXPECT_TRUE(r.find_case("12345", "R-1"));
}

// The hub's arrangement: automatic checkpoints off, a Checkpointer on its own
// connection, and commits that keep coming while it copies, so that a pass
// never holds the newest frame. Here a reader's snapshot stands in for that
// race: the pass copies up to the snapshot, and one commit lies beyond it.
// Without the writer's checkpoint_rest the WAL would never start over.
TEST(Store, WalStartsOverUnderASteadyStreamOfCommits) {
  TempDir dir;
  auto file = Store::database_file(dir.path());
  Store w(file, Store::Access::writer);
  w.set_auto_checkpoint(false);
  Checkpointer checkpointer(file);
  Connection reader(file, Connection::Mode::read_only);
  auto wal = file;
  wal += "-wal";
  int n = 0;
  auto commit = [&] {
    std::vector<NewCase> one = {make_case("W-" + std::to_string(++n), "出租车拒载，司机态度恶劣")};
    w.insert_cases(one, {});
  };
  std::uintmax_t after_first_round = 0;
  for (int round = 0; round < 30; ++round) {
    for (int i = 0; i < 10; ++i) commit();
    reader.exec("BEGIN");
    reader.prepare("SELECT COUNT(*) FROM cases").step();
    commit();
    const auto pass = checkpointer.run_once();
    reader.exec("COMMIT");
    EXPECT_LT(pass.copied, pass.wal_frames);
    const auto rest = w.checkpoint_rest();
    EXPECT_EQ(rest.copied, rest.wal_frames);
    if (round == 0) after_first_round = std::filesystem::file_size(wal);
  }
  // Thirty rounds fit in the room the first round took.
  EXPECT_LE(std::filesystem::file_size(wal), after_first_round);
  EXPECT_EQ(w.statistics().total, n);
}

TEST(Store, UsersKeepTheirHash) {
  TempDir dir;
  Store s(Store::database_file(dir.path()), Store::Access::writer);
  s.add_user({"wang", "liaison", "urban", "$argon2id$v=19$fake", false});
  auto u = s.user("wang");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->role, "liaison");
  EXPECT_EQ(u->section, "urban");
  EXPECT_THROW(s.add_user({"wang", "leader", std::nullopt, "x", false}), StoreError);
}

}  // namespace
}  // namespace suqiu::store
