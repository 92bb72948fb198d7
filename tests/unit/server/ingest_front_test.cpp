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

// Protocol 1.1: a platform's notices travel like intakes (outbox, ACK after
// commit, idempotent on notice_id) and change the case they name; a notice
// about a case the hub does not have is refused for good, naming the field.
TEST(IngestFront, NoticesFromThePlatformReachTheirCase) {
  TempDir dir;
  RunningHub hub(dir.path());
  sdk::FeedOptions o;
  o.endpoint = hub.ingest->endpoint();
  o.plugin = "12345";
  o.outbox = dir.path() / "outbox.db";
  sdk::FeedClient client(hub.context, o);
  std::map<std::string, sdk::IntakeOutcome> outcomes;
  client.on_outcome([&](const sdk::IntakeOutcome& out) { outcomes[out.cid] = out; });
  auto notice = [](const std::string& external_id, const std::string& id, const std::string& kind) {
    return nlohmann::json{{"source", "12345"}, {"external_id", external_id}, {"notice_id", id},
                          {"kind", kind},      {"at", "2026-11-28T09:00:00+08:00"}, {"note", "请加快办理"}}
        .dump();
  };
  const auto order = client.submit(record(1));
  const auto reminder = client.submit_notice(notice("REG-1", "CB-1", "reminder"));
  const auto again = client.submit_notice(notice("REG-1", "CB-1", "reminder"));
  const auto unknown = client.submit_notice(notice("REG-404", "CB-2", "reminder"));
  const auto bad = client.submit_notice(R"({"source":"12345","external_id":"REG-1","kind":"reminder"})");
  ASSERT_TRUE(client.flush(10s));

  ASSERT_EQ(outcomes.count(reminder), 1u);
  EXPECT_EQ(outcomes[reminder].kind, sdk::IntakeOutcome::Kind::accepted);
  EXPECT_EQ(outcomes[reminder].case_id, outcomes[order].case_id);
  EXPECT_EQ(outcomes[again].kind, sdk::IntakeOutcome::Kind::duplicate) << "the same notice_id is applied once";
  EXPECT_EQ(outcomes[unknown].kind, sdk::IntakeOutcome::Kind::rejected);
  EXPECT_EQ(outcomes[unknown].code, "E_NOT_FOUND");
  EXPECT_EQ(outcomes[unknown].field, "external_id");
  EXPECT_EQ(outcomes[bad].code, "E_FIELD_MISSING");
  EXPECT_EQ(outcomes[bad].field, "notice_id");

  store::Store s(store::Store::database_file(dir.path()), store::Store::Access::reader);
  auto c = s.case_detail(outcomes[order].case_id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->summary.escalation, "reminder");
  int reminders = 0;
  for (const auto& e : c->history) reminders += e.action == "notice_reminder";
  EXPECT_EQ(reminders, 1);
  EXPECT_EQ(s.dead_letter_count(), 2) << "the two refused notices are kept with their bytes";
}
