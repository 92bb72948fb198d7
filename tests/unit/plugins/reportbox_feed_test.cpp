// suqiu-feed-reportbox as a process, against a fake hub: the SDK tests' FakeHub
// (tests/unit/sdk/fake_hub.h), a real ROUTER on tcp://127.0.0.1:* speaking
// SUQIU1 through suqiu::protocol's codec and acking every intake unless told
// otherwise. Each test drops files into a temporary folder and runs the real
// binary.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>
#include <zmq.hpp>

#include "../sdk/fake_hub.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

std::string intake(const std::string& id, const std::string& content = "公交车过站不停，要求处理。") {
  return json{{"source", "reportbox"},
              {"external_id", id},
              {"received_at", "2026-11-26T09:15:00+08:00"},
              {"content", content}}
      .dump();
}

std::string letter(const std::string& serial) {
  return json{{"serial", serial},
              {"received_at", "2026年11月26日 10时05分"},
              {"name", "陈女士"},
              {"phone", "１３９２２８７６５４３"},
              {"text", "渡船超员，救生衣不足，请尽快查处。"},
              {"box", "paper"}}
      .dump(2);
}

struct FeedRun {
  int exit_code = -1;
  std::string out;
  json summary;
};

class ReportBoxFeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("suqiu-reportbox-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (HasFailure()) return;  // kept for a look
    fs::remove_all(dir_);
    fs::remove(dir_.parent_path() / log_name());
  }

  FeedRun run(const std::string& endpoint, const std::string& extra = "--once --wait 30") {
    const std::string cmd = std::string(REPORTBOX_BIN) + " --dir '" + dir_.string() + "' --hub " + endpoint +
                            " " + extra + " 2>>'" + (dir_.parent_path() / log_name()).string() + "'";
    FeedRun r;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return r;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int status = ::pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.summary = json::parse(r.out, nullptr, false);
    return r;
  }
  std::string log_name() const { return dir_.filename().string() + ".log"; }
  std::string log() const { return slurp(dir_.parent_path() / log_name()); }

  zmq::context_t ctx_;
  fs::path dir_;
};

TEST_F(ReportBoxFeedTest, OnceFilesEverythingAndPrintsTheSummary) {
  suqiu::test::FakeHub hub(ctx_);
  write(dir_ / "web-0901.jsonl", intake("JB2026090100001") + "\n" + intake("JB2026090100002") + "\r\n\n" +
                                     "{\"source\":\"reportbox\",\"external_id\":\"JB3\"\n" +  // cut off
                                     intake("JB2026090100004") + "\n");
  write(dir_ / "JB2026112600001.json", letter("JB2026112600001"));
  write(dir_ / "scan-failed.json", "PK\x03\x04 not a letter");
  write(dir_ / "readme.txt", "not for the feed");
  write(dir_ / ".JB9.json", letter("JB9"));  // a writer's temporary: left alone

  const FeedRun r = run(hub.endpoint());
  ASSERT_FALSE(r.summary.is_discarded()) << r.out << log();
  // The order of the keys is part of the contract (docs/plugins.md).
  EXPECT_EQ(r.out, "{\"files\":3,\"accepted\":4,\"duplicates\":0,\"rejected\":2}\n") << log();
  EXPECT_EQ(r.exit_code, 1);  // something was rejected
  EXPECT_EQ(hub.stored(), 4u);

  EXPECT_TRUE(fs::exists(dir_ / "done" / "web-0901.jsonl"));
  EXPECT_TRUE(fs::exists(dir_ / "done" / "JB2026112600001.json"));
  EXPECT_FALSE(fs::exists(dir_ / "done" / "JB2026112600001.json.why"));  // nothing to say
  const std::string partial = slurp(dir_ / "done" / "web-0901.jsonl.why");
  EXPECT_NE(partial.find("line 4: E_NOT_JSON"), std::string::npos) << partial;

  EXPECT_TRUE(fs::exists(dir_ / "rejected" / "scan-failed.json"));
  const std::string why = slurp(dir_ / "rejected" / "scan-failed.json.why");
  EXPECT_NE(why.find("line 1: E_NOT_JSON"), std::string::npos) << why;

  EXPECT_TRUE(fs::exists(dir_ / "readme.txt"));
  EXPECT_TRUE(fs::exists(dir_ / ".JB9.json"));
  EXPECT_FALSE(fs::exists(dir_ / "web-0901.jsonl"));
  // One log line per file.
  const std::string l = log();
  EXPECT_NE(l.find("web-0901.jsonl: 3 record(s) queued, 1 line(s) rejected"), std::string::npos) << l;
  EXPECT_NE(l.find("JB2026112600001.json: 1 record(s) queued"), std::string::npos) << l;
  EXPECT_NE(l.find("scan-failed.json: rejected"), std::string::npos) << l;
}

TEST_F(ReportBoxFeedTest, CleanRunExitsZeroAndTheSameFileAgainIsADuplicate) {
  suqiu::test::FakeHub hub(ctx_);
  const std::string batch = intake("JB1") + "\n" + intake("JB2") + "\n";
  write(dir_ / "batch.jsonl", batch);
  FeedRun r = run(hub.endpoint());
  EXPECT_EQ(r.exit_code, 0) << r.out << log();
  EXPECT_EQ(r.summary, (json{{"files", 1}, {"accepted", 2}, {"duplicates", 0}, {"rejected", 0}}));

  // The gateway delivers the same file again: the hub knows both records.
  write(dir_ / "batch.jsonl", batch);
  r = run(hub.endpoint());
  EXPECT_EQ(r.exit_code, 0) << r.out << log();
  EXPECT_EQ(r.summary, (json{{"files", 1}, {"accepted", 0}, {"duplicates", 2}, {"rejected", 0}}));
  EXPECT_TRUE(fs::exists(dir_ / "done" / "batch.jsonl"));
  EXPECT_TRUE(fs::exists(dir_ / "done" / "batch-1.jsonl"));  // the name was taken
  EXPECT_EQ(hub.stored(), 2u);
}

TEST_F(ReportBoxFeedTest, HubNackIsCountedAndNamedInTheWhyFile) {
  suqiu::test::FakeHub hub(ctx_);
  hub.set_policy([](const std::string& id, int) {
    if (id == "JB-BAD") return suqiu::test::FakeHub::Decision{suqiu::test::FakeHub::Action::nack,
                                                              "E_FIELD_INVALID", "category"};
    return suqiu::test::FakeHub::Decision{};
  });
  write(dir_ / "mail.jsonl", intake("JB-OK") + "\n" + intake("JB-BAD") + "\n");
  const FeedRun r = run(hub.endpoint());
  EXPECT_EQ(r.exit_code, 1) << log();
  EXPECT_EQ(r.summary, (json{{"files", 1}, {"accepted", 1}, {"duplicates", 0}, {"rejected", 1}}));
  const std::string why = slurp(dir_ / "done" / "mail.jsonl.why");
  EXPECT_NE(why.find("line 2: E_FIELD_INVALID [category]"), std::string::npos) << why;
  EXPECT_NE(why.find("refused by the hub"), std::string::npos) << why;
  EXPECT_NE(log().find("mail.jsonl:2: rejected by the hub: E_FIELD_INVALID"), std::string::npos) << log();
}

TEST_F(ReportBoxFeedTest, WithoutAHubTheRecordsWaitInTheOutbox) {
  // Nobody listens on this port (the fake hub is started, noted and stopped).
  std::string endpoint;
  {
    suqiu::test::FakeHub gone(ctx_);
    endpoint = gone.endpoint();
  }
  write(dir_ / "JB7.json", letter("JB7"));
  FeedRun r = run(endpoint, "--once --wait 1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.summary["files"], 1);
  EXPECT_EQ(r.summary["pending"], 1);
  // The letter is durable in the outbox, so it was filed under done/ already.
  EXPECT_TRUE(fs::exists(dir_ / "done" / "JB7.json"));
  EXPECT_TRUE(fs::exists(dir_ / ".outbox.db"));

  // The hub comes up: the next run sends what the outbox kept.
  suqiu::test::FakeHub hub(ctx_);
  r = run(hub.endpoint());
  EXPECT_EQ(r.exit_code, 0) << r.out << log();
  EXPECT_EQ(r.summary, (json{{"files", 0}, {"accepted", 1}, {"duplicates", 0}, {"rejected", 0}}));
  EXPECT_EQ(hub.stored(), 1u);
}

TEST_F(ReportBoxFeedTest, WatchesTheFolderUntilSigterm) {
  suqiu::test::FakeHub hub(ctx_);
  const std::string dir = dir_.string();
  const std::string ep = hub.endpoint();
  const std::string outbox = (dir_ / "box" / "outbox.db").string();
  const char* argv[] = {REPORTBOX_BIN, "--dir", dir.c_str(), "--hub", ep.c_str(), "--outbox",
                        outbox.c_str(), nullptr};
  pid_t pid = 0;
  ASSERT_EQ(::posix_spawn(&pid, REPORTBOX_BIN, nullptr, nullptr, const_cast<char**>(argv), environ), 0);

  write(dir_ / "late.jsonl", intake("JB-LATE") + "\n");
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  while (hub.stored() < 1 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(50ms);
  EXPECT_EQ(hub.stored(), 1u);
  while (!fs::exists(dir_ / "done" / "late.jsonl") && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  EXPECT_TRUE(fs::exists(dir_ / "done" / "late.jsonl"));
  EXPECT_TRUE(fs::exists(outbox));

  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  int status = 0;
  const auto stop_deadline = std::chrono::steady_clock::now() + 5s;
  pid_t r = 0;
  while ((r = ::waitpid(pid, &status, WNOHANG)) == 0 && std::chrono::steady_clock::now() < stop_deadline)
    std::this_thread::sleep_for(20ms);
  if (r == 0) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    FAIL() << "did not stop on SIGTERM";
  }
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST_F(ReportBoxFeedTest, HelpAndVersion) {
  FeedRun r = run("tcp://127.0.0.1:1", "--version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("suqiu-feed-reportbox"), std::string::npos);
  r = run("tcp://127.0.0.1:1", "--help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--once"), std::string::npos);
  EXPECT_NE(r.out.find("--outbox"), std::string::npos);
}

TEST_F(ReportBoxFeedTest, BadConfigurationIsAUsageError) {
  write(dir_.parent_path() / (log_name() + ".toml"), "poll_interval_ms = \"fast\"\n");
  const FeedRun r = run("tcp://127.0.0.1:1",
                    "--once --config '" + (dir_.parent_path() / (log_name() + ".toml")).string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(log().find("poll_interval_ms"), std::string::npos) << log();
  fs::remove(dir_.parent_path() / (log_name() + ".toml"));
}

}  // namespace
