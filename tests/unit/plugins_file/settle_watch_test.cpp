// When a spool file is taken: tables of looks at one file, each with the
// time of the look, the file's modification time and size, and whether it is
// taken. Times are milliseconds from an arbitrary start.
#include "file/settle_watch.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace suqiu::filefeed {
namespace {

using namespace std::chrono_literals;

struct Look {
  int at_ms;     // the look, on both our clocks
  int mtime_ms;  // the file's modification time
  std::uint64_t size;
  bool taken;
};

struct Row {
  const char* quirk;
  int settle_ms;
  std::vector<Look> looks;
};

std::vector<Row> rows() {
  return {
      // Renamed in by the writer: its time is the moment it was written,
      // seconds ago, so it is taken at the first look.
      {"renamed in", 1000, {{10'000, 2'000, 500, true}}},
      // Written a moment ago: left until it is a settle period old.
      {"fresh", 1000, {{10'000, 9'800, 500, false}, {10'500, 9'800, 500, false}, {10'800, 9'800, 500, true}}},
      // Copied in place and still growing: every look sees a new time.
      {"growing",
       1000,
       {{10'000, 9'900, 100, false}, {11'000, 10'900, 200, false}, {12'000, 11'950, 300, false},
        {13'000, 11'950, 300, true}}},
      // The file server's clock is two minutes ahead: its time stays in our
      // future, so it is taken once it stayed the same for a settle period.
      {"clock ahead",
       1000,
       {{10'000, 130'000, 500, false}, {10'600, 130'000, 500, false}, {11'000, 130'000, 500, true}}},
      // Clock ahead and still being written: each change starts the wait again.
      {"clock ahead, growing",
       1000,
       {{10'000, 130'000, 100, false}, {10'900, 130'500, 200, false}, {11'500, 130'500, 200, false},
        {11'900, 130'500, 200, true}}},
      // settle 0: everything at the first look, even from the future.
      {"no settle", 0, {{10'000, 9'999, 1, true}}},
      {"no settle, clock ahead", 0, {{10'000, 70'000, 1, true}}},
  };
}

TEST(SettleWatch, Table) {
  const auto steady0 = std::chrono::steady_clock::time_point{} + 1h;
  constexpr std::int64_t kNs = 1'000'000;
  constexpr std::int64_t kEpoch = 1'795'000'000'000'000'000;  // late 2026, in ns
  for (const auto& row : rows()) {
    SCOPED_TRACE(row.quirk);
    SettleWatch watch(std::chrono::milliseconds(row.settle_ms));
    for (const auto& look : row.looks) {
      SCOPED_TRACE(look.at_ms);
      const FileStamp stamp{1, 42, look.size, kEpoch + look.mtime_ms * kNs};
      EXPECT_EQ(watch.settled("12345-20261126.jsonl", stamp, kEpoch + look.at_ms * kNs,
                              steady0 + std::chrono::milliseconds(look.at_ms)),
                look.taken);
    }
  }
}

TEST(SettleWatch, AFileReplacedUnderItsNameStartsOver) {
  // Another file renamed over it (a new inode) with the same size and a time
  // in our future: it has not been seen before.
  SettleWatch watch(1000ms);
  const auto t0 = std::chrono::steady_clock::time_point{} + 1h;
  const std::int64_t now = 1'795'000'000'000'000'000;
  const std::int64_t ahead = now + 60'000'000'000;
  EXPECT_FALSE(watch.settled("a.jsonl", {1, 42, 10, ahead}, now, t0));
  EXPECT_FALSE(watch.settled("a.jsonl", {1, 43, 10, ahead}, now, t0 + 900ms));
  EXPECT_FALSE(watch.settled("a.jsonl", {1, 43, 10, ahead}, now, t0 + 1500ms));
  EXPECT_TRUE(watch.settled("a.jsonl", {1, 43, 10, ahead}, now, t0 + 1900ms));
}

TEST(SettleWatch, ForgetsFilesThatLeft) {
  // A file that left the folder and came back is watched from the start.
  SettleWatch watch(1000ms);
  const auto t0 = std::chrono::steady_clock::time_point{} + 1h;
  const std::int64_t now = 1'795'000'000'000'000'000;
  const FileStamp ahead{1, 42, 10, now + 60'000'000'000};
  EXPECT_FALSE(watch.settled("a.jsonl", ahead, now, t0));
  watch.keep_only({"b.jsonl"});
  EXPECT_FALSE(watch.settled("a.jsonl", ahead, now, t0 + 1500ms));
  EXPECT_TRUE(watch.settled("a.jsonl", ahead, now, t0 + 2500ms));
}

}  // namespace
}  // namespace suqiu::filefeed
