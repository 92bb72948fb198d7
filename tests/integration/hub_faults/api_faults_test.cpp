// The api under store faults: a case action or a desk intake whose commit
// fails is answered with a transient code (E_INTERNAL or E_UNAVAILABLE), never
// E_STATE, and leaves nothing behind; a failed user lookup (the read every
// request makes) is answered too, and logins and requests work afterwards.
#include "fault_hub.h"

namespace suqiu::faults {
namespace {

struct WriteFault {
  const char* name;
  vfs::Op op;
  std::string_view file;
  int error;
};

std::ostream& operator<<(std::ostream& os, const WriteFault& f) { return os << f.name; }

class ActionFaults : public FaultHubTest, public ::testing::WithParamInterface<WriteFault> {};

TEST_P(ActionFaults, FailedCommitIsTransientAndLeavesNothing) {
  start_hub();
  auto wang = api("wang");
  const std::int64_t id = seeded_.at("T-1");
  const json desk = json::parse(intake_record("D-1", "公交车到站不停"));

  const int fault = vfs::arm({GetParam().op, std::string(GetParam().file), GetParam().error, 0, -1});
  const std::size_t mark = problems_->mark();
  auto r = wang->case_action(id, "dispatch", {{"section", "urban"}});
  EXPECT_GT(vfs::injected_by(fault), 0u) << "the action's commit never met the fault";
  EXPECT_FALSE(r.ok) << "dispatch succeeded while every commit failed";
  EXPECT_NE(r.code, "E_STATE") << "a store failure answered as a refusal of the lifecycle: " << r.message;
  EXPECT_TRUE(transient_reply(r.code)) << "dispatch under a store fault answered " << r.code << ": " << r.message;
  auto created = wang->request("case.create", {{"record", desk}});
  EXPECT_FALSE(created.ok);
  EXPECT_TRUE(transient_reply(created.code)) << "case.create under a store fault answered " << created.code
                                             << ": " << created.message;
  const auto lines = problems_->since(mark);
  EXPECT_LE(lines.size(), 2u) << "more than one log line for each of two failed requests:" << joined(lines);
  // Reads are served meanwhile.
  auto got = wang->request("case.get", {{"case_id", id}});
  ASSERT_TRUE(got.ok) << got.code << " " << got.message;
  EXPECT_EQ(got.data["case"]["status"], "received") << "the failed dispatch shows";

  vfs::clear_all();
  r = wang->case_action(id, "dispatch", {{"section", "urban"}});
  ASSERT_TRUE(r.ok) << "dispatch after the fault: " << r.code << " " << r.message;
  EXPECT_EQ(r.data["case"]["status"], "assigned");
  created = wang->request("case.create", {{"record", desk}});
  ASSERT_TRUE(created.ok) << "case.create after the fault: " << created.code << " " << created.message;
  EXPECT_FALSE(created.data.value("duplicate", true)) << "the failed case.create had stored the case";
  auto who = wang->request("whoami");
  EXPECT_TRUE(who.ok);

  stop_hub();
  DbCheck db(db_file());
  EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM case_event WHERE action = 'dispatch' AND case_id = " + std::to_string(id)), 1);
  EXPECT_EQ(exactly_once(db_file(), "D-", {"D-1"}), "");
  expect_audit_intact();
}

INSTANTIATE_TEST_SUITE_P(
    Store, ActionFaults,
    ::testing::Values(WriteFault{"wal_write_ioerr", vfs::Op::write, vfs::file::wal, SQLITE_IOERR_WRITE},
                      WriteFault{"wal_disk_full", vfs::Op::write, vfs::file::wal, SQLITE_FULL},
                      WriteFault{"wal_fsync", vfs::Op::sync, vfs::file::wal, SQLITE_IOERR_FSYNC}),
    [](const auto& info) { return std::string(info.param.name); });

// The api's own reads fail (its connection, on its thread): every request
// and login is still answered, with a transient code, and all works after.
TEST_F(FaultHubTest, UserLookupReadErrorIsAnsweredAndTheApiGoesOn) {
  start_hub();
  auto wang = api("wang", 3s);
  auto p = plugin();
  const int fault = vfs::arm({vfs::Op::read, "", SQLITE_IOERR_READ, 0, -1, "hub-api"});
  // A commit elsewhere makes the api's connection read its pages again.
  ASSERT_TRUE(p->submit("u1", intake_record("U-1")).value_or(IntakeReply{}).ack);
  auto who = wang->request("whoami");
  EXPECT_GT(vfs::injected_by(fault), 0u) << "the api's reads never met the fault";
  EXPECT_NE(who.code, "E_TIMEOUT") << "no answer: the api front stopped serving";
  EXPECT_FALSE(who.ok);
  EXPECT_TRUE(transient_reply(who.code)) << "a failed user lookup answered " << who.code << ": " << who.message;
  protocol::ApiClientOptions o;
  o.timeout = 3s;
  protocol::ApiClient other(ctx_, hub_->api_endpoint(), o);
  auto login = other.login("li", "li-password");
  EXPECT_NE(login.code, "E_TIMEOUT") << "a login during the fault was not answered";
  EXPECT_FALSE(login.ok);
  if (!login.ok) {
    EXPECT_TRUE(transient_reply(login.code)) << login.code;
  }

  vfs::clear_all();
  who = wang->request("whoami");
  EXPECT_TRUE(who.ok) << "the session after the fault: " << who.code << " " << who.message;
  login = other.login("li", "li-password");
  EXPECT_TRUE(login.ok) << "login after the fault: " << login.code;
  auto list = other.request("case.list", {{"limit", 10}});
  EXPECT_TRUE(list.ok) << list.code;
  stop_hub();
  expect_audit_intact();
}

// The users table gone for a moment (renamed by another connection): the
// per-request user lookup fails; that is a store failure, answered as one,
// not a signed-out user, and the session works once the table is back.
TEST_F(FaultHubTest, UsersTableMissingForAMoment) {
  start_hub();
  auto wang = api("wang", 3s);
  auto rename = [&](const char* sql) {
    sqlite3* h = nullptr;
    ASSERT_EQ(sqlite3_open(db_file().c_str(), &h), SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(h, sql, nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(h);
  };
  rename("ALTER TABLE users RENAME TO users_away");
  auto who = wang->request("whoami");
  EXPECT_NE(who.code, "E_TIMEOUT") << "no answer: the api front stopped serving";
  EXPECT_FALSE(who.ok);
  EXPECT_TRUE(transient_reply(who.code)) << "the lookup failing answered " << who.code << ": " << who.message;
  rename("ALTER TABLE users_away RENAME TO users");
  who = wang->request("whoami");
  EXPECT_TRUE(who.ok) << "the session was lost to a store failure: " << who.code << " " << who.message;
  auto li = api("li", 3s);
  EXPECT_TRUE(li->request("case.list", {{"limit", 5}}).ok);
  stop_hub();
  expect_audit_intact();
}

// The deadline timers run on the writer: a round whose store work fails is
// logged, the writer goes on, and a later round escalates the case.
TEST_F(FaultHubTest, EscalationRoundFailsThenALaterOneEscalates) {
  auto records = server::testing::default_records();
  json late = json::parse(intake_record("E-1"));
  late["received_at"] = "2026-10-08T09:00:00+08:00";  // long past its deadline
  records.emplace_back("E-1", late);
  seeded_ = server::testing::seed(data_, server::testing::default_users(), records);
  // Before the hub starts: its first timer round runs at once.
  const int fault =
      vfs::arm({vfs::Op::write, std::string(vfs::file::wal), SQLITE_IOERR_WRITE, 0, -1, "hub-writer"});
  start_hub(false, 1);
  std::this_thread::sleep_for(2500ms);  // rounds meet the fault
  EXPECT_GT(vfs::injected_by(fault), 0u) << "no timer round met the fault";
  auto wang = api("wang");
  auto got = wang->request("case.get", {{"case_id", seeded_.at("E-1")}});
  ASSERT_TRUE(got.ok) << got.code;
  EXPECT_EQ(got.data["case"]["escalation"], "none") << "escalated while every commit failed";
  vfs::clear_all();
  const auto until = Clock::now() + 5s;
  std::string level = "none";
  while (level == "none" && Clock::now() < until) {
    std::this_thread::sleep_for(200ms);
    got = wang->request("case.get", {{"case_id", seeded_.at("E-1")}});
    if (got.ok) level = got.data["case"].value("escalation", "none");
  }
  EXPECT_NE(level, "none") << "no timer round escalated the overdue case after the fault";
  auto p = plugin();
  auto ack = p->submit("e2", intake_record("E-2"));
  EXPECT_TRUE(ack && ack->ack) << "the writer takes no intakes after the failed rounds";
  stop_hub();
  expect_audit_intact();
}

}  // namespace
}  // namespace suqiu::faults
