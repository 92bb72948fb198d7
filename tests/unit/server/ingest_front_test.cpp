#include "server/ingest_front.h"

#include <gtest/gtest.h>

#include <chrono>

#include "core/timestamp.h"
#include "hub_fixture.h"
#include "sdk/feed_client.h"

using namespace suqiu;
using namespace suqiu::server::testing;
using namespace std::chrono_literals;

namespace {

std::string record(int i) {
  return nlohmann::json{{"source", "12345"},
                        {"external_id", "REG-" + std::to_string(i)},
                        {"received_at", "2026-11-26T09:15:00+08:00"},
                        {"content", "出租车拒载，请尽快处理 #" + std::to_string(i)}}
      .dump();
}

}  // namespace

// The registry behind the api's `plugins` op: who is connected, when it was
// last heard from, and what it sent. Counts are published at most a second
// late (not rebuilt for every batch), so the test waits for them.
TEST(IngestFront, RegistryNamesThePluginItsCountsAndWhenItWasLastSeen) {
  TempDir dir;
  RunningHub hub(dir.path());
  EXPECT_EQ(hub.ingest->plugins_json(), nlohmann::json::array());

  sdk::FeedOptions o;
  o.endpoint = hub.ingest->endpoint();
  o.plugin = "feed-12345";
  o.version = "2.1.0";
  o.sources = {"12345"};
  o.outbox = dir.path() / "outbox.db";
  sdk::FeedClient client(hub.context, o);
  for (int i = 0; i < 3; ++i) client.submit(record(i));
  ASSERT_TRUE(client.flush(10s));

  nlohmann::json entry;
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (std::chrono::steady_clock::now() < deadline) {
    auto list = hub.ingest->plugins_json();
    if (list.size() == 1 && list[0]["accepted"] == 3) {
      entry = list[0];
      break;
    }
    client.poll(50ms);
  }
  ASSERT_FALSE(entry.is_null()) << hub.ingest->plugins_json().dump();
  EXPECT_EQ(entry["plugin"], "feed-12345");
  EXPECT_EQ(entry["version"], "2.1.0");
  EXPECT_EQ(entry["rejected"], 0);
  EXPECT_EQ(entry["in_flight"], 0);
  auto seen = Timestamp::parse(entry["last_seen"].get<std::string>());
  auto connected = Timestamp::parse(entry["connected_at"].get<std::string>());
  ASSERT_TRUE(seen && connected) << entry.dump();
  EXPECT_GE(seen->epoch, connected->epoch);
  EXPECT_LE(std::abs(seen->epoch - Timestamp::now().epoch), 5);
}
