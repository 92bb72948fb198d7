#include "sdk/outbox.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

using namespace suqiu::sdk;
namespace fs = std::filesystem;

namespace {

fs::path temp_file(const char* name) {
  auto dir = fs::temp_directory_path() / ("suqiu-outbox-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto path = dir / (std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" + name);
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
  return path;
}

}  // namespace

TEST(Outbox, AddedIntakesAreReadBackInOrderWithTheirCid) {
  Outbox box(":memory:");
  const auto a = box.add(R"({"external_id":"A"})");
  const auto b = box.add(R"({"external_id":"B"})");
  EXPECT_EQ(a, "1");
  EXPECT_EQ(b, "2");
  auto all = box.pending_after(0, 10);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].cid, "1");
  EXPECT_EQ(all[0].record, R"({"external_id":"A"})");
  EXPECT_EQ(all[1].seq, 2);
  EXPECT_EQ(box.pending_after(1, 10).size(), 1u);
  EXPECT_EQ(box.pending_count(), 2u);
}

TEST(Outbox, AckRemovesOnceAndCidsAreNeverReused) {
  Outbox box(":memory:");
  box.add("x");
  box.add("y");
  EXPECT_TRUE(box.remove(2));
  EXPECT_FALSE(box.remove(2));  // a repeated ack
  // Without AUTOINCREMENT SQLite would hand out 2 again, and a late ack for
  // the old intake 2 would drop the new one.
  EXPECT_EQ(box.add("z"), "3");
}

TEST(Outbox, RejectionKeepsTheReasonAndStopsResending) {
  Outbox box(":memory:");
  box.add(R"({"external_id":"A"})");
  EXPECT_TRUE(box.reject(1, "E_FIELD_MISSING", "content", "content is required"));
  EXPECT_FALSE(box.reject(1, "E_FIELD_MISSING", "content", "again"));
  EXPECT_EQ(box.pending_count(), 0u);
  auto rejected = box.rejected();
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].cid, "1");
  EXPECT_EQ(rejected[0].code, "E_FIELD_MISSING");
  EXPECT_EQ(rejected[0].field, "content");
  EXPECT_EQ(rejected[0].record, R"({"external_id":"A"})");

  const auto cid = box.add_rejected("\xFF", "E_BAD_UTF8", "", "not UTF-8");
  EXPECT_EQ(box.rejected_count(), 2u);
  EXPECT_FALSE(box.get(*Outbox::seq_of(cid)));
}

TEST(Outbox, SurvivesReopeningTheFile) {
  const auto path = temp_file("outbox.db");
  {
    Outbox box(path);
    box.add("one");
    box.add("two");
    box.record_attempt(2, 3, 12345);
    box.remove(1);
    box.record_result("r1", "delivered");
    box.commit();
  }
  Outbox box(path);
  auto all = box.pending_after(0, 10);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].record, "two");
  EXPECT_EQ(all[0].attempts, 3);
  EXPECT_EQ(all[0].next_retry_ms, 12345);
  EXPECT_EQ(box.result_status("r1"), "delivered");
  EXPECT_FALSE(box.result_status("r2"));
  EXPECT_EQ(box.add("three"), "3");
}

TEST(Outbox, StagedWritesAreVisibleBeforeCommitAndDurableAfter) {
  const auto path = temp_file("outbox.db");
  {
    Outbox box(path, Durability::normal);
    box.add("a");
    EXPECT_TRUE(box.has_staged());
    EXPECT_EQ(box.pending_count(), 1u);  // same connection sees its own transaction
    box.commit();
    EXPECT_FALSE(box.has_staged());
  }
  EXPECT_EQ(Outbox(path).pending_count(), 1u);
}

TEST(Outbox, BinaryAndLargeRecordsComeBackByteForByte) {
  Outbox box(":memory:");
  std::string blob(300 * 1024, '\0');
  for (std::size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<char>(i * 31);
  box.add(blob);
  EXPECT_EQ(box.get(1)->record, blob);
}

TEST(Outbox, ASecondProcessOnTheSameFileIsRefused) {
  const auto path = temp_file("outbox.db");
  Outbox first(path);
  first.add("x");
  first.commit();
  try {
    Outbox second(path);
    ADD_FAILURE() << "a second holder opened the outbox";
  } catch (const OutboxError& e) {
    EXPECT_NE(std::string(e.what()).find("in use by another feed"), std::string::npos) << e.what();
  }
}

TEST(Outbox, TheNextHolderOpensItOnceTheFirstHasClosedIt) {
  const auto path = temp_file("outbox.db");
  { Outbox(path).add("x"); }
  Outbox next(path);
  EXPECT_EQ(next.pending_count(), 1u);
}

// The checkpoint thread copies the WAL into the database and the owner's
// commits copy the little rest, so the WAL starts over while intakes keep
// coming; without the rest it would hold everything ever committed.
TEST(Outbox, TheWalStartsOverUnderASteadyStreamOfCommits) {
  const auto path = temp_file("outbox.db");
  auto wal = path;
  wal += "-wal";
  Outbox box(path, Durability::normal);
  const std::string record(800, 'r');
  std::uintmax_t written = 0, largest = 0;
  std::int64_t seq = 0;
  // Long enough for several passes (100 ms apart), whatever the machine's pace.
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(2) || written < (16u << 20)) {
    const auto cid = box.add(record);
    if (seq > 0) box.remove(seq);
    box.commit();
    seq = *Outbox::seq_of(cid);
    written += 4096;  // at least a page a commit
    if (std::filesystem::exists(wal)) largest = std::max(largest, std::filesystem::file_size(wal));
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  EXPECT_LT(largest, written / 2) << "the WAL never started over";
  EXPECT_EQ(box.pending_count(), 1u);
}

TEST(Outbox, CidParsing) {
  EXPECT_EQ(Outbox::seq_of("42"), 42);
  EXPECT_FALSE(Outbox::seq_of(""));
  EXPECT_FALSE(Outbox::seq_of("0"));
  EXPECT_FALSE(Outbox::seq_of("4x"));
  EXPECT_FALSE(Outbox::seq_of("-1"));
}
