// A data folder on a small file system (tmpfs with a size limit), filled
// until SQLite says SQLITE_FULL: the hub answers intakes with a transient
// NACK and goes on serving reads; once the file system is made bigger, the
// refused intakes are taken and nothing is lost or doubled.
#include "fault_hub.h"

#include <sys/mount.h>
#include <sys/statvfs.h>

#include <cstring>

namespace suqiu::faults {
namespace {

std::uint64_t used_bytes(const fs::path& dir) {
  struct statvfs s {};
  if (statvfs(dir.c_str(), &s) != 0) return 0;
  return static_cast<std::uint64_t>(s.f_blocks - s.f_bfree) * s.f_frsize;
}

class DiskFull : public FaultHubTest {
 protected:
  void SetUp() override {
    FaultHubTest::SetUp();
    if (mount("tmpfs", data_.c_str(), "tmpfs", 0, "size=16m") != 0)
      GTEST_SKIP() << "cannot mount a tmpfs on " << data_ << " (" << std::strerror(errno)
                   << "); this test needs root (CI runs as root)";
    mounted_ = true;
  }
  void TearDown() override {
    FaultHubTest::TearDown();  // the hub first: it has files open there
    if (mounted_) umount2(data_.c_str(), MNT_DETACH);
  }
  bool resize(std::uint64_t bytes) {
    const std::string opts = "size=" + std::to_string(bytes / 1024) + "k";
    return mount("tmpfs", data_.c_str(), "tmpfs", MS_REMOUNT, opts.c_str()) == 0;
  }
  bool mounted_ = false;
};

TEST_F(DiskFull, FullFileSystemThenBigger) {
  start_hub();
  auto p = plugin();
  auto wang = api("wang");
  // Room for some intakes beyond what the hub holds now.
  const std::uint64_t base = used_bytes(data_);
  ASSERT_GT(base, 0u);
  ASSERT_TRUE(resize(base + 384 * 1024)) << std::strerror(errno);

  std::set<std::string> sent;
  std::map<std::string, IntakeReply> last;  // cid (= external id) -> last answer
  int full_batches = 0, n = 0;
  const auto until = Clock::now() + 30s;
  while (full_batches < 3 && Clock::now() < until && n < 20000) {
    std::set<std::string> cids;
    for (int k = 0; k < 20; ++k, ++n) {
      const std::string ext = "M-" + std::to_string(n);
      p->send_intake(ext, intake_record(ext, "拒载绕路多收费" + std::string(400, 'x')));
      cids.insert(ext);
      sent.insert(ext);
    }
    auto replies = p->wait(cids, 15s);
    bool refused = false;
    for (const auto& c : cids) {
      if (!replies.count(c)) {
        ADD_FAILURE() << c << " unanswered on a full file system";
        refused = true;
        continue;
      }
      last[c] = replies[c];
      if (!replies[c].ack) {
        refused = true;
        EXPECT_TRUE(transient_nack(replies[c].code)) << c << " NACKed " << replies[c].code << " on a full disk";
      }
    }
    if (refused) ++full_batches;
  }
  ASSERT_EQ(full_batches, 3) << "the file system never filled (" << n << " intakes)";
  // Reads are served on a full disk.
  auto who = wang->request("whoami");
  EXPECT_TRUE(who.ok) << who.code << " " << who.message;
  auto list = wang->request("case.list", {{"limit", 20}});
  EXPECT_TRUE(list.ok) << list.code << " " << list.message;
  auto stats = wang->request("stats");
  EXPECT_TRUE(stats.ok) << stats.code << " " << stats.message;

  ASSERT_TRUE(resize(64 * 1024 * 1024)) << std::strerror(errno);
  std::set<std::string> again;
  for (const auto& [c, r] : last)
    if (!r.ack) {
      p->forget(c);
      p->send_intake(c, intake_record(c, "拒载绕路多收费" + std::string(400, 'x')));
      again.insert(c);
    }
  auto replies = p->wait(again, 15s);
  EXPECT_EQ(replies.size(), again.size());
  for (const auto& [c, r] : replies) EXPECT_TRUE(r.ack) << c << " after the file system grew: " << r.code;
  auto after = p->submit("after", intake_record("M-after"));
  sent.insert("M-after");
  EXPECT_TRUE(after && after->ack) << "no intake taken after the file system grew";
  EXPECT_TRUE(wang->request("whoami").ok);

  stop_hub();
  EXPECT_EQ(exactly_once(db_file(), "M-", sent), "");
  expect_audit_intact();
}

}  // namespace
}  // namespace suqiu::faults
