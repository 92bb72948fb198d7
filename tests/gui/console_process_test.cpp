// The suqiu-console executable itself, under Xvfb, in single-office mode: it
// starts a hub in-process on the data folder, signs in without the dialog
// (--user with SUQIU_PASSWORD), and on SIGTERM signs out and stops that hub
// cleanly (exit 0, the WAL folded back into the database).
#include <gtest/gtest.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "hub_fixture.h"
#include "store/store.h"

extern char** environ;

namespace suqiu::console {
namespace {

using server::testing::TempDir;
using Clock = std::chrono::steady_clock;

int logins_of(const std::filesystem::path& dir, const std::string& user) {
  try {
    store::Store s(store::Store::database_file(dir), store::Store::Access::reader);
    auto st = s.connection().prepare("SELECT count(*) FROM audit WHERE action = 'login' AND actor = ?");
    st.bind(1, user);
    return st.step() ? static_cast<int>(st.int64(0)) : 0;
  } catch (const std::exception&) {
    return 0;  // the hub may be migrating or creating it
  }
}

// Waits for the child to end; its exit status, or -1 on a signal or timeout.
int wait_exit(pid_t pid, std::chrono::seconds timeout) {
  const auto until = Clock::now() + timeout;
  while (Clock::now() < until) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return -1;
}

TEST(ConsoleProcess, SingleOfficeModeSignsInAndStopsItsHubCleanlyOnSigterm) {
  TempDir dir;
  server::testing::seed(dir.path(), server::testing::default_users(), server::testing::default_records());
  const std::string exe = SUQIU_BINARY_DIR "/gui/suqiu-console";
  const std::string data = dir.path().string();
  std::vector<std::string> args = {exe, "--data", data, "--user", "wang"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  setenv("SUQIU_PASSWORD", "wang-password", 1);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, exe.c_str(), nullptr, nullptr, argv.data(), environ), 0) << exe;

  bool signed_in = false;
  const auto until = Clock::now() + std::chrono::seconds(30);
  while (!signed_in && Clock::now() < until) {
    signed_in = logins_of(dir.path(), "wang") > 0;
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, WNOHANG), 0) << "suqiu-console ended early, status " << status;
    if (!signed_in) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(signed_in) << "no login of wang in the audit log within 30 s";
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the window is up and loading

  kill(pid, SIGTERM);
  EXPECT_EQ(wait_exit(pid, std::chrono::seconds(20)), 0);
  // The in-process hub's final checkpoint folded the WAL back.
  const auto wal = store::Store::database_file(dir.path()).string() + "-wal";
  EXPECT_TRUE(!std::filesystem::exists(wal) || std::filesystem::file_size(wal) == 0);
  store::Store s(store::Store::database_file(dir.path()), store::Store::Access::reader);
  EXPECT_TRUE(s.verify_audit().intact);
}

TEST(ConsoleProcess, AWrongEndpointOrFlagIsRefusedWithAMessage) {
  const std::string exe = SUQIU_BINARY_DIR "/gui/suqiu-console";
  EXPECT_EQ(std::system((exe + " --version >/dev/null").c_str()), 0);
  // --hub and --data exclude each other; CLI11 says so and exits non-zero.
  EXPECT_NE(std::system((exe + " --hub tcp://127.0.0.1:1 --data /tmp 2>/dev/null").c_str()), 0);
}

}  // namespace
}  // namespace suqiu::console
