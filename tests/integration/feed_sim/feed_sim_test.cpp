// suqiu-feed-sim as an administrator runs it. History: three days of a desk
// played into a fresh folder, after which `suqiu stats` shows the on-time,
// satisfaction and call-back rates and `suqiu audit verify` finds the chain
// intact; the same seed and end give the same folder; a folder with cases is
// refused. Live: a short run into a real suqiu-hub, every intake acked.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "hub_process.h"
#include "run_command.h"
#include "temp_dir.h"

namespace {

using nlohmann::json;
using suqiu::testing::run_command;
using suqiu::testing::TempDir;

std::string quoted(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

json run_json(const std::string& command, const std::filesystem::path& scratch) {
  const auto r = run_command(command, "", scratch);
  EXPECT_EQ(r.status, 0) << command << "\n" << r.err;
  return json::parse(r.out, nullptr, false);
}

// A rate of the statistics: present, a number, and not nothing.
void expect_rate(const json& stats, const char* key) {
  ASSERT_TRUE(stats.contains(key)) << key;
  ASSERT_TRUE(stats[key].is_number()) << key << " is " << stats[key].dump();
  EXPECT_GT(stats[key].get<double>(), 0.0) << key;
  EXPECT_LE(stats[key].get<double>(), 1.0) << key;
}

TEST(FeedSimHistory, ThreeDaysOfADesk) {
  TempDir dir("suqiu-feed-sim-");
  const auto data = dir.path() / "data";
  const json summary = run_json(std::string(SUQIU_SIM) + " --data " + quoted(data) + " --history 3 --json", dir.path());
  ASSERT_TRUE(summary.is_object());
  EXPECT_GT(summary["cases"].get<int>(), 300);  // about 300 calls on an average day
  EXPECT_EQ(summary["not_stored"], 0);
  EXPECT_EQ(summary["refused"], 0);
  EXPECT_GT(summary["actions"]["dispatch"].get<int>(), 0);
  EXPECT_GT(summary["actions"]["approve_close"].get<int>(), 0);
  EXPECT_GT(summary["actions"]["callback"].get<int>(), 0);

  const json stats = run_json(std::string(SUQIU_CLI) + " stats --data " + quoted(data) + " --json", dir.path());
  EXPECT_EQ(stats["total"], summary["cases"]);
  expect_rate(stats, "on_time_rate");
  expect_rate(stats, "satisfaction_rate");
  expect_rate(stats, "callback_rate");
  EXPECT_GT(stats["by_status"]["closed"].get<int>(), 0);
  EXPECT_GT(stats["by_source"].size(), 3u);

  const auto audit = run_command(std::string(SUQIU_CLI) + " audit verify --data " + quoted(data), "", dir.path());
  EXPECT_EQ(audit.status, 0) << audit.out << audit.err;

  // The desk's staff are users of the folder.
  const auto users = run_command(std::string(SUQIU_CLI) + " user list --data " + quoted(data), "", dir.path());
  EXPECT_NE(users.out.find("chenxiaowen"), std::string::npos) << users.out;
  EXPECT_NE(users.out.find("huangwei"), std::string::npos) << users.out;

  // A folder with cases is not played into again.
  const auto again = run_command(std::string(SUQIU_SIM) + " --data " + quoted(data) + " --history 3", "", dir.path());
  EXPECT_EQ(again.status, 2) << again.err;
}

TEST(FeedSimHistory, SameSeedSameHistory) {
  TempDir dir("suqiu-feed-sim-");
  auto play = [&](const char* name, int seed) {
    const auto data = dir.path() / name;
    run_json(std::string(SUQIU_SIM) + " --data " + quoted(data) + " --history 2 --until 2026-11-27T15:00:00+08:00 --seed " +
                 std::to_string(seed) + " --json",
             dir.path());
    const json stats = run_json(std::string(SUQIU_CLI) + " stats --data " + quoted(data) + " --json", dir.path());
    const auto list = run_command(std::string(SUQIU_CLI) + " case list --data " + quoted(data) + " --limit 200 --json",
                                  "", dir.path());
    return std::make_pair(stats, list.out);
  };
  const auto a = play("a", 5), b = play("b", 5), c = play("c", 6);
  EXPECT_EQ(a.first, b.first);
  EXPECT_EQ(a.second, b.second);
  EXPECT_NE(a.second, c.second);
}

TEST(FeedSimLive, EveryIntakeAckedByARealHub) {
  TempDir dir("suqiu-feed-sim-");
  suqiu::testing::HubProcess hub(SUQIU_HUB_EXE, dir.path() / "hub");
  ASSERT_TRUE(hub.wait_ready(std::chrono::seconds(60))) << hub.output();
  const json report = run_json(std::string(SUQIU_SIM) + " --hub " + hub.ingest() + " --rate 100 --seconds 3 --json " +
                                   "--outbox " + quoted(dir.path() / "outbox.db"),
                               dir.path());
  EXPECT_EQ(report["sent"], 300);
  EXPECT_EQ(report["accepted"], 300);
  EXPECT_EQ(report["rejected"], 0);
  EXPECT_EQ(report["pending"], 0);
  EXPECT_GT(report["rate"].get<double>(), 90.0);
  EXPECT_GT(report["ack_p50_ms"].get<double>(), 0.0);
  ASSERT_EQ(hub.stop(std::chrono::seconds(30)), 0) << hub.output();

  const json stats = run_json(std::string(SUQIU_CLI) + " stats --data " + quoted(dir.path() / "hub") + " --json", dir.path());
  EXPECT_EQ(stats["total"], 300);
}

}  // namespace
