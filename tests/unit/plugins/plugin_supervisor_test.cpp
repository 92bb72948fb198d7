// PluginSupervisor with real child processes (/bin/sh): the --hub argument,
// restarts with back-off, the reset after a stable run, stop() with SIGTERM and
// with SIGKILL after the grace period, a command that cannot be started.
// Timings are shortened through SupervisorTiming; the defaults are 1 s..60 s.
#include "server/plugin_supervisor.h"

#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace suqiu::server {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

SupervisorTiming quick() {
  SupervisorTiming t;
  t.backoff_min = 100ms;
  t.backoff_max = 400ms;
  t.stable_after = 10s;
  t.stop_grace = 2s;
  t.tick = 10ms;
  return t;
}

PluginSpec shell(std::string name, std::string script) {
  return {std::move(name), "/bin/sh", {"-c", std::move(script)}};
}

class PluginSupervisorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("suqiu-supervisor-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string file(const char* name) const { return (dir_ / name).string(); }

  static std::vector<std::string> lines(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> out;
    for (std::string l; std::getline(in, l);)
      if (!l.empty()) out.push_back(l);
    return out;
  }
  // Start times the children wrote (date +%s%N), in milliseconds.
  static std::vector<double> start_times(const std::string& path) {
    std::vector<double> out;
    for (const auto& l : lines(path)) out.push_back(std::stod(l) / 1e6);
    return out;
  }
  template <class Pred>
  static bool eventually(Pred pred, std::chrono::milliseconds limit = 5s) {
    const auto deadline = Clock::now() + limit;
    while (!pred()) {
      if (Clock::now() > deadline) return false;
      std::this_thread::sleep_for(10ms);
    }
    return true;
  }
  // Gone, or a zombie waiting for an init that does not reap.
  static bool dead(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    if (!stat) return true;
    std::string all((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto close = all.rfind(')');
    return close != std::string::npos && close + 2 < all.size() && all[close + 2] == 'Z';
  }

  fs::path dir_;
};

TEST(PluginSupervisorCommandLine, AddsTheHubUnlessTheArgsNameOne) {
  const PluginSpec plain{"reportbox", "/usr/bin/suqiu-feed-reportbox", {"--dir", "/srv/box"}};
  EXPECT_EQ(PluginSupervisor::command_line(plain, "tcp://127.0.0.1:7450"),
            (std::vector<std::string>{"/usr/bin/suqiu-feed-reportbox", "--dir", "/srv/box", "--hub",
                                      "tcp://127.0.0.1:7450"}));
  const PluginSpec own{"x", "feed", {"--hub", "tcp://10.0.0.1:7450"}};
  EXPECT_EQ(PluginSupervisor::command_line(own, "tcp://127.0.0.1:7450"),
            (std::vector<std::string>{"feed", "--hub", "tcp://10.0.0.1:7450"}));
  const PluginSpec eq{"x", "feed", {"--hub=ipc:///run/suqiu/ingest"}};
  EXPECT_EQ(PluginSupervisor::command_line(eq, "tcp://127.0.0.1:7450").size(), 2u);
}

TEST_F(PluginSupervisorTest, PassesTheIngestEndpoint) {
  // sh -c SCRIPT --hub ENDPOINT: the two extra words are $0 and $1.
  PluginSupervisor sup({shell("echo", "echo \"$0 $1\" >> '" + file("argv") + "'; sleep 1000")},
                       "tcp://127.0.0.1:7450", quick());
  sup.start();
  ASSERT_TRUE(eventually([&] { return !lines(file("argv")).empty(); }));
  EXPECT_EQ(lines(file("argv")).front(), "--hub tcp://127.0.0.1:7450");
  const auto s = sup.states();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].name, "echo");
  EXPECT_TRUE(s[0].running);
  EXPECT_GT(s[0].pid, 0);
  EXPECT_EQ(s[0].restarts, 0);
  EXPECT_FALSE(s[0].last_exit.has_value());
}

TEST_F(PluginSupervisorTest, RestartsAnExitingPluginWithBackOff) {
  PluginSupervisor sup({shell("flaky", "date +%s%N >> '" + file("starts") + "'; exit 3")},
                       "tcp://127.0.0.1:7450", quick());
  sup.start();
  // Delays 100, 200, 400, 400 ms: five starts take about 1.1 s.
  ASSERT_TRUE(eventually([&] { return lines(file("starts")).size() >= 5; }));
  const auto s = sup.states();
  sup.stop();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_GE(s[0].restarts, 4);
  ASSERT_TRUE(s[0].last_exit.has_value());
  EXPECT_EQ(*s[0].last_exit, 3);
  EXPECT_EQ(s[0].last_exit_text, "exit 3");

  const auto t = start_times(file("starts"));
  ASSERT_GE(t.size(), 5u);
  const double expected[] = {100, 200, 400, 400};  // capped at backoff_max
  for (int i = 0; i < 4; ++i) {
    SCOPED_TRACE(i);
    const double gap = t[i + 1] - t[i];
    EXPECT_GE(gap, expected[i] - 5);
    EXPECT_LT(gap, expected[i] + 300);  // no faster, and not wildly slower
  }
}

TEST_F(PluginSupervisorTest, BackOffIsResetAfterAStableRun) {
  auto timing = quick();
  timing.stable_after = 300ms;  // every run below lasts 400 ms: "stable"
  PluginSupervisor sup({shell("slow", "date +%s%N >> '" + file("starts") + "'; sleep 0.4; exit 1")},
                       "tcp://127.0.0.1:7450", timing);
  sup.start();
  ASSERT_TRUE(eventually([&] { return lines(file("starts")).size() >= 4; }, 10s));
  sup.stop();
  const auto t = start_times(file("starts"));
  // 400 ms of running plus the first delay (100 ms) each time; without the
  // reset the third gap would be 400 + 400 ms.
  for (std::size_t i = 0; i + 1 < 4; ++i) {
    SCOPED_TRACE(i);
    EXPECT_LT(t[i + 1] - t[i], 400 + 100 + 200);
  }
}

TEST_F(PluginSupervisorTest, StopTerminatesAndReapsASleepingPlugin) {
  PluginSupervisor sup({shell("sleeper", "sleep 1000 & echo $! > '" + file("grandchild") + "'; wait")},
                       "tcp://127.0.0.1:7450", quick());
  sup.start();
  ASSERT_TRUE(eventually([&] { return !lines(file("grandchild")).empty(); }));
  const pid_t pid = sup.states()[0].pid;
  const pid_t grandchild = std::stoi(lines(file("grandchild")).front());
  ASSERT_GT(pid, 0);

  const auto t0 = Clock::now();
  sup.stop();
  EXPECT_LT(Clock::now() - t0, 1500ms);  // SIGTERM was enough
  const auto s = sup.states();
  EXPECT_FALSE(s[0].running);
  EXPECT_EQ(s[0].pid, 0);
  EXPECT_EQ(s[0].last_exit_text.rfind("signal 15", 0), 0u) << s[0].last_exit_text;
  EXPECT_EQ(*s[0].last_exit, 128 + SIGTERM);
  // Reaped: no zombie left behind; the whole process group was told to go.
  EXPECT_TRUE(dead(pid));
  EXPECT_TRUE(eventually([&] { return dead(grandchild); }, 2s));
  sup.stop();  // idempotent
}

TEST_F(PluginSupervisorTest, StopKillsAPluginThatIgnoresSigterm) {
  auto timing = quick();
  timing.stop_grace = 300ms;
  PluginSupervisor sup({shell("stubborn", "trap '' TERM; echo up > '" + file("up") + "'; sleep 1000")},
                       "tcp://127.0.0.1:7450", timing);
  sup.start();
  ASSERT_TRUE(eventually([&] { return !lines(file("up")).empty(); }));
  const pid_t pid = sup.states()[0].pid;
  const auto t0 = Clock::now();
  sup.stop();
  const auto took = Clock::now() - t0;
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 3s);
  const auto s = sup.states();
  EXPECT_FALSE(s[0].running);
  EXPECT_EQ(s[0].last_exit_text.rfind("signal 9", 0), 0u) << s[0].last_exit_text;
  EXPECT_TRUE(dead(pid));
}

TEST_F(PluginSupervisorTest, ACommandThatCannotStartIsRetried) {
  PluginSupervisor sup({{"missing", "/nonexistent/suqiu-feed-nothing", {}}}, "tcp://127.0.0.1:7450",
                       quick());
  sup.start();
  ASSERT_TRUE(eventually([&] { return sup.states()[0].restarts >= 2; }));
  const auto s = sup.states();
  EXPECT_FALSE(s[0].running);
  EXPECT_EQ(s[0].last_exit, 127);
  EXPECT_EQ(s[0].last_exit_text.rfind("spawn failed", 0), 0u) << s[0].last_exit_text;
}

TEST_F(PluginSupervisorTest, SeveralPluginsAreSupervisedApart) {
  PluginSupervisor sup({shell("steady", "sleep 1000"), shell("flaky", "exit 5")}, "tcp://127.0.0.1:7450",
                       quick());
  sup.start();
  ASSERT_TRUE(eventually([&] { return sup.states()[1].restarts >= 2; }));
  const auto s = sup.states();
  EXPECT_TRUE(s[0].running);
  EXPECT_EQ(s[0].restarts, 0);
  EXPECT_EQ(s[1].last_exit, 5);
}

TEST(PluginSupervisorEmpty, NothingToStart) {
  PluginSupervisor sup({}, "tcp://127.0.0.1:7450");
  sup.start();
  EXPECT_TRUE(sup.states().empty());
  sup.stop();
}

}  // namespace
}  // namespace suqiu::server
