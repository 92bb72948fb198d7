// Checkpoints under faults: copying the WAL into the database file fails (a
// write error, a full disk, a failed fsync of the database file). Intakes are
// ACKed all the same — a checkpoint is not on their path — and once the fault
// clears, checkpoints start again (the database file is written), so the WAL
// does not grow for the rest of the hub's life.
#include "fault_hub.h"

namespace suqiu::faults {
namespace {

struct CheckpointFault {
  const char* name;
  vfs::Op op;
  int error;
};

std::ostream& operator<<(std::ostream& os, const CheckpointFault& f) { return os << f.name; }

class CheckpointFaults : public FaultHubTest, public ::testing::WithParamInterface<CheckpointFault> {};

// Streams `n` intakes in groups of 20 over about a second; returns the NACKs.
std::vector<std::string> stream(RawPlugin& p, const std::string& prefix, int n, std::set<std::string>& sent) {
  std::vector<std::string> nacked;
  for (int i = 0; i < n; i += 20) {
    std::set<std::string> cids;
    for (int k = i; k < std::min(n, i + 20); ++k) {
      const std::string ext = prefix + std::to_string(k);
      p.send_intake(ext, intake_record(ext));
      cids.insert(ext);
      sent.insert(ext);
    }
    auto replies = p.wait(cids, 10s);
    for (const auto& c : cids)
      if (!replies.count(c) || !replies[c].ack) nacked.push_back(c + (replies.count(c) ? " " + replies[c].code : " unanswered"));
    std::this_thread::sleep_for(60ms);
  }
  return nacked;
}

TEST_P(CheckpointFaults, IntakesGoOnAndCheckpointsResume) {
  start_hub();
  auto p = plugin();
  auto wang = api("wang");
  std::set<std::string> sent;
  // In WAL mode only checkpoints write (and sync) the database file itself.
  const int fault = vfs::arm({GetParam().op, std::string(vfs::file::main_db), GetParam().error, 0, -1});
  auto nacked = stream(*p, "K-", 200, sent);
  EXPECT_GT(vfs::injected_by(fault), 0u) << "no checkpoint met the fault";
  EXPECT_TRUE(nacked.empty()) << nacked.size() << " intakes refused for a checkpoint fault, first " << nacked.front();
  EXPECT_TRUE(wang->request("whoami").ok);

  vfs::clear_all();
  const auto written = vfs::calls(vfs::Op::write, vfs::Kind::main_db);
  nacked = stream(*p, "L-", 200, sent);
  EXPECT_TRUE(nacked.empty()) << nacked.size() << " intakes refused after the fault";
  std::this_thread::sleep_for(300ms);
  EXPECT_GT(vfs::calls(vfs::Op::write, vfs::Kind::main_db), written)
      << "no checkpoint wrote the database file after the fault cleared: the WAL only grows";
  auto who = wang->request("whoami");
  EXPECT_TRUE(who.ok);

  stop_hub();
  std::set<std::string> k, l;
  for (const auto& s : sent) (s[0] == 'K' ? k : l).insert(s);
  EXPECT_EQ(exactly_once(db_file(), "K-", k), "");
  EXPECT_EQ(exactly_once(db_file(), "L-", l), "");
  expect_audit_intact();
}

INSTANTIATE_TEST_SUITE_P(
    Wal, CheckpointFaults,
    ::testing::Values(CheckpointFault{"db_write_ioerr", vfs::Op::write, SQLITE_IOERR_WRITE},
                      CheckpointFault{"db_disk_full", vfs::Op::write, SQLITE_FULL},
                      CheckpointFault{"db_fsync", vfs::Op::sync, SQLITE_IOERR_FSYNC}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace suqiu::faults
