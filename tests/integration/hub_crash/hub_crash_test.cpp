// kill -9 of the hub, and of the plugin, while a plugin streams 50,000
// intakes: afterwards every intake is stored exactly once — none lost (the
// plugin's outbox resends what was not acked), none doubled (the hub is
// idempotent on source + external id).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include <zmq.hpp>

extern char** environ;

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr long kCount = 50000;

pid_t spawn(const std::vector<std::string>& argv, const fs::path& log) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  return rc == 0 ? pid : -1;
}

int wait_exit(pid_t pid, std::chrono::seconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    std::this_thread::sleep_for(50ms);
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return -1;
}

std::string free_port_endpoint() {
  zmq::context_t ctx;
  zmq::socket_t s(ctx, zmq::socket_type::router);
  s.bind("tcp://127.0.0.1:*");
  return s.get(zmq::sockopt::last_endpoint);
}

bool wait_for_line(const fs::path& log, const std::string& needle, std::size_t after,
                   std::chrono::seconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    std::ifstream in(log);
    std::string all((std::istreambuf_iterator<char>(in)), {});
    if (all.size() > after && all.find(needle, after) != std::string::npos) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

std::size_t log_size(const fs::path& p) { return fs::exists(p) ? fs::file_size(p) : 0; }

long long query(const fs::path& db, const std::string& sql) {
  sqlite3* h = nullptr;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return -1;
  sqlite3_busy_timeout(h, 5000);
  sqlite3_stmt* st = nullptr;
  long long n = -1;
  if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(h);
  return n;
}

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("suqiu-crash-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_ / "data");
    ingest_ = free_port_endpoint();
  }
  void TearDown() override {
    if (hub_ > 0) {
      kill(hub_, SIGKILL);
      waitpid(hub_, nullptr, 0);
    }
    if (HasFailure()) {
      std::ifstream in(dir_ / "hub.log");
      std::cerr << "--- hub log (tail) ---\n";
      std::string all((std::istreambuf_iterator<char>(in)), {});
      std::cerr << all.substr(all.size() > 4000 ? all.size() - 4000 : 0) << "\n";
    } else {
      fs::remove_all(dir_);
    }
  }
  void start_hub() {
    auto before = log_size(dir_ / "hub.log");
    hub_ = spawn({SUQIU_HUB_EXE, "--data", (dir_ / "data").string(), "--ingest", ingest_, "--api",
                  "tcp://127.0.0.1:*", "--events", "tcp://127.0.0.1:*"},
                 dir_ / "hub.log");
    ASSERT_GT(hub_, 0);
    ASSERT_TRUE(wait_for_line(dir_ / "hub.log", "ready", before, 60s)) << "hub did not start";
  }
  pid_t start_feed() {
    return spawn({STREAM_FEED_EXE, "--hub", ingest_, "--outbox", (dir_ / "outbox.db").string(),
                  "--progress", (dir_ / "progress").string(), "--count", std::to_string(kCount)},
                 dir_ / "feed.log");
  }
  long long stored() {
    return query(dir_ / "data" / "suqiu.db",
                 "SELECT COUNT(*) FROM cases WHERE external_id LIKE 'CRASH-%'");
  }
  void wait_until_stored(long long n) {
    auto until = std::chrono::steady_clock::now() + 120s;
    while (stored() < n && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(20ms);
  }
  void expect_exactly_once() {
    auto db = dir_ / "data" / "suqiu.db";
    EXPECT_EQ(stored(), kCount);
    EXPECT_EQ(query(db, "SELECT COUNT(DISTINCT external_id) FROM cases WHERE external_id LIKE 'CRASH-%'"), kCount);
    EXPECT_EQ(query(db, "SELECT COUNT(*) FROM dead_letter"), 0);
    // Every stored intake has its history row and its audit entry.
    EXPECT_EQ(query(db, "SELECT COUNT(*) FROM case_event WHERE action = 'intake'"), kCount);
    EXPECT_EQ(query(db, "SELECT COUNT(*) FROM audit WHERE action = 'intake'"), kCount);
    EXPECT_EQ(query(db, "SELECT SUM(n) FROM stat_counter WHERE dim = 'total'"), kCount);
  }
  fs::path dir_;
  std::string ingest_;
  pid_t hub_ = -1;
};

TEST_F(CrashTest, HubKilledMidStreamLosesAndDoublesNothing) {
  start_hub();
  pid_t feed = start_feed();
  ASSERT_GT(feed, 0);
  wait_until_stored(kCount / 5);
  ASSERT_GE(stored(), kCount / 5);
  ASSERT_LT(stored(), kCount) << "the stream finished before the kill; nothing was tested";
  kill(hub_, SIGKILL);
  waitpid(hub_, nullptr, 0);
  hub_ = -1;
  std::this_thread::sleep_for(500ms);
  start_hub();
  EXPECT_EQ(wait_exit(feed, std::chrono::seconds(300)), 0) << "the feed did not finish cleanly";
  expect_exactly_once();
  kill(hub_, SIGTERM);
  EXPECT_EQ(wait_exit(hub_, 30s), 0);
  hub_ = -1;
}

TEST_F(CrashTest, PluginKilledMidStreamLosesAndDoublesNothing) {
  start_hub();
  pid_t feed = start_feed();
  ASSERT_GT(feed, 0);
  wait_until_stored(kCount / 4);
  ASSERT_LT(stored(), kCount) << "the stream finished before the kill; nothing was tested";
  kill(feed, SIGKILL);
  waitpid(feed, nullptr, 0);
  feed = start_feed();  // same outbox, same progress file
  ASSERT_GT(feed, 0);
  EXPECT_EQ(wait_exit(feed, std::chrono::seconds(300)), 0) << "the restarted feed did not finish";
  expect_exactly_once();
  kill(hub_, SIGTERM);
  EXPECT_EQ(wait_exit(hub_, 30s), 0);
  hub_ = -1;
}

}  // namespace
