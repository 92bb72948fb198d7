// `suqiu` against a running suqiu-hub process: `plugins` lists the feed that is
// connected, with what it sent and when it was last heard from; without
// --hub it says where the registry lives.
#include <gtest/gtest.h>

#include <random>

#include <nlohmann/json.hpp>

#include "hub_process.h"
#include "run_command.h"
#include "sdk/feed_client.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;
using suqiu::testing::HubProcess;

suqiu::testing::CommandRun run_suqiu(const fs::path& dir, const std::string& args,
                                     const std::string& stdin_text = "", const std::string& env = "") {
  return suqiu::testing::run_command(env + " " SUQIU_CLI " " + args, stdin_text, dir);
}

}  // namespace

TEST(CliThroughHub, PluginsListsTheConnectedFeed) {
  const fs::path dir = fs::temp_directory_path() / ("suqiu-cli-hub-" + std::to_string(std::random_device{}()));
  fs::create_directories(dir / "data");
  const std::string password = "a long admin password";
  ASSERT_EQ(run_suqiu(dir, "user add root --role admin --data " + (dir / "data").string(), password + "\n").status, 0);

  auto no_hub = run_suqiu(dir, "plugins --data " + (dir / "data").string());
  EXPECT_EQ(no_hub.status, 2);
  EXPECT_NE(no_hub.err.find("--hub"), std::string::npos) << no_hub.err;

  {
    HubProcess hub(SUQIU_HUB_EXE, dir / "data");
    ASSERT_TRUE(hub.wait_ready(60s)) << hub.output();
    zmq::context_t context;
    suqiu::sdk::FeedOptions o;
    o.endpoint = hub.ingest();
    o.plugin = "feed-12345";
    o.version = "3.0.1";
    o.sources = {"12345"};
    o.outbox = dir / "outbox.db";
    suqiu::sdk::FeedClient feed(context, o);
    for (int i = 0; i < 2; ++i)
      feed.submit(json{{"source", "12345"},
                       {"external_id", "PLG-" + std::to_string(i)},
                       {"received_at", "2026-11-26T09:15:00+08:00"},
                       {"content", "公交车到站不停，请处理 #" + std::to_string(i)}}
                      .dump());
    ASSERT_TRUE(feed.flush(10s));

    const std::string args = "plugins --hub " + hub.api() + " --user root";
    const std::string env = "SUQIU_PASSWORD='" + password + "' LC_ALL=en_US.UTF-8";
    // The hub publishes its registry at most a second late.
    json listed;
    for (int attempt = 0; attempt < 25; ++attempt) {
      auto r = run_suqiu(dir, args + " --json", "", env);
      ASSERT_EQ(r.status, 0) << r.err;
      listed = json::parse(r.out);
      if (listed.size() == 1 && listed[0].value("accepted", 0) == 2) break;
      feed.poll(200ms);
    }
    ASSERT_EQ(listed.size(), 1u) << listed.dump();
    EXPECT_EQ(listed[0]["plugin"], "feed-12345");
    EXPECT_EQ(listed[0]["version"], "3.0.1");
    EXPECT_EQ(listed[0]["accepted"], 2) << listed.dump();
    EXPECT_FALSE(listed[0].value("last_seen", "").empty()) << listed.dump();

    auto text = run_suqiu(dir, args, "", env);
    ASSERT_EQ(text.status, 0) << text.err;
    EXPECT_NE(text.out.find("feed-12345 3.0.1  [12345]"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("accepted 2"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("last seen 20"), std::string::npos) << text.out;

    auto wrong = run_suqiu(dir, args, "", "SUQIU_PASSWORD='not it'");
    EXPECT_NE(wrong.status, 0);
  }
  fs::remove_all(dir);
}

TEST(CliThroughHub, ExportAsALiaisonHoldsOnlyTheirSectionWithPhonesMasked) {
  const fs::path dir = fs::temp_directory_path() / ("suqiu-cli-export-" + std::to_string(std::random_device{}()));
  const auto data = (dir / "data").string();
  fs::create_directories(dir / "data");
  ASSERT_EQ(run_suqiu(dir, "user add zhao --role liaison --section urban --data " + data, "zhao's long password\n").status, 0);
  ASSERT_EQ(run_suqiu(dir, "ingest --data " + data + " " + SUQIU_DATA_DIR "/samples/intakes.jsonl").status, 0);

  HubProcess hub(SUQIU_HUB_EXE, dir / "data");
  ASSERT_TRUE(hub.wait_ready(60s)) << hub.output();
  const auto csv = dir / "mine.csv";
  auto r = run_suqiu(dir, "export --hub " + hub.api() + " --user zhao --format csv --out " + csv.string(), "",
                     "SUQIU_PASSWORD=\"zhao's long password\" LC_ALL=C.UTF-8");  // Chinese names
  ASSERT_EQ(r.status, 0) << r.err;
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);  // the header
  int rows = 0, masked = 0;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // CSV lines end in CRLF
    ++rows;
    EXPECT_NE(line.find(",城市客运科,"), std::string::npos) << line;
    // The phone is the last column: masked for a liaison (*** for a protected
    // identity), or empty for a letter without one; never in full.
    const std::string phone = line.substr(line.rfind(',') + 1);
    EXPECT_TRUE(phone.empty() || phone.find('*') != std::string::npos) << line;
    if (!phone.empty()) ++masked;
  }
  EXPECT_GT(rows, 100);
  EXPECT_GT(masked, 50);
  fs::remove_all(dir);
}
