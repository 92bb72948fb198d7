#include "sdk/feed_client.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "fake_hub.h"

using namespace suqiu;
using namespace suqiu::sdk;
using namespace std::chrono_literals;
using test::FakeHub;
namespace fs = std::filesystem;

namespace {

fs::path temp_outbox() {
  auto dir = fs::temp_directory_path() / ("suqiu-feed-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto path = dir / (std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
  return path;
}

FeedOptions options(const std::string& endpoint, const fs::path& outbox) {
  FeedOptions o;
  o.endpoint = endpoint;
  o.plugin = "12345";
  o.version = "1.0.0";
  o.outbox = outbox;
  o.durability = Durability::normal;
  o.window = 64;
  o.ack_timeout = 300ms;
  o.busy_backoff = 50ms;
  o.heartbeat = 100ms;
  o.liveness = 3;
  o.reconnect_min = 50ms;
  o.reconnect_max = 200ms;
  return o;
}

std::string record(int i, bool with_content = true) {
  nlohmann::json r{{"source", "12345"},
                   {"external_id", "GD-" + std::to_string(i)},
                   {"received_at", "2026-11-26T09:15:00+08:00"}};
  if (with_content) r["content"] = "出租车拒载 #" + std::to_string(i);
  return r.dump();
}

template <class Pred>
bool poll_until(FeedClient& client, Pred pred, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    client.poll(20ms);
  }
  return true;
}

}  // namespace

TEST(FeedClient, RegistersSendsAndForgetsWhatIsAcked) {
  zmq::context_t ctx;
  FakeHub hub(ctx);
  const auto path = temp_outbox();
  FeedClient client(ctx, options(hub.endpoint(), path));
  std::vector<IntakeOutcome> outcomes;
  client.on_outcome([&](const IntakeOutcome& o) { outcomes.push_back(o); });
  for (int i = 0; i < 200; ++i) client.submit(record(i));
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(client.counters().accepted, 200u);
  EXPECT_EQ(client.counters().rejected, 0u);
  EXPECT_EQ(hub.stored(), 200u);
  EXPECT_EQ(hub.hellos(), 1);
  EXPECT_EQ(client.state(), FeedClient::State::ready);
  EXPECT_EQ(client.hub_instance(), hub.instance());
  EXPECT_EQ(client.outbox().pending_count(), 0u);
  ASSERT_EQ(outcomes.size(), 200u);
  EXPECT_EQ(outcomes[0].kind, IntakeOutcome::Kind::accepted);
  EXPECT_FALSE(outcomes[0].case_number.empty());
  EXPECT_EQ(hub.capabilities(), std::vector<std::string>{"intake"});
}

TEST(FeedClient, PipelinesManyIntakesInFlight) {
  zmq::context_t ctx;
  FakeHub hub(ctx);
  hub.hold_acks_until(50);  // stop-and-wait would never get an ack
  auto o = options(hub.endpoint(), temp_outbox());
  o.ack_timeout = 5s;
  FeedClient client(ctx, o);
  for (int i = 0; i < 50; ++i) client.submit(record(i));
  ASSERT_TRUE(client.flush(4s));
  EXPECT_EQ(client.counters().accepted, 50u);
  EXPECT_EQ(hub.intakes(), 50);  // no resends were needed
}

TEST(FeedClient, WindowFromWelcomeLimitsInFlight) {
  zmq::context_t ctx;
  FakeHub hub(ctx, 100, /*window=*/8);
  hub.set_policy([](const std::string&, int) { return FakeHub::Decision{FakeHub::Action::drop}; });
  auto o = options(hub.endpoint(), temp_outbox());
  o.ack_timeout = 5s;
  FeedClient client(ctx, o);
  for (int i = 0; i < 30; ++i) client.submit(record(i));
  client.sync();
  ASSERT_TRUE(poll_until(client, [&] { return hub.intakes() >= 8; }));
  for (int i = 0; i < 10; ++i) client.poll(10ms);
  EXPECT_EQ(client.in_flight(), 8u);
  EXPECT_EQ(hub.intakes(), 8);
}

TEST(FeedClient, NackIsFinalAndKeptWithItsReason) {
  zmq::context_t ctx;
  FakeHub hub(ctx);
  FeedClient client(ctx, options(hub.endpoint(), temp_outbox()));
  for (int i = 0; i < 10; ++i) client.submit(record(i, /*with_content=*/i != 3));
  ASSERT_TRUE(client.flush(5s));
  EXPECT_EQ(client.counters().accepted, 9u);
  EXPECT_EQ(client.counters().rejected, 1u);
  EXPECT_EQ(client.counters().rejected_by_code.at("E_FIELD_MISSING"), 1u);
  // Well past the ack timeout: the rejected intake is not sent again.
  for (int i = 0; i < 30; ++i) client.poll(20ms);
  EXPECT_EQ(hub.intakes(), 10);
  auto rejected = client.outbox().rejected();
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].code, "E_FIELD_MISSING");
  EXPECT_EQ(rejected[0].field, "content");
  EXPECT_EQ(rejected[0].record, record(3, false));
}

TEST(FeedClient, ResendsWhatWasNotAckedInTime) {
  zmq::context_t ctx;
  FakeHub hub(ctx);
  hub.set_policy([](const std::string&, int arrival) {
    return FakeHub::Decision{arrival == 1 ? FakeHub::Action::drop : FakeHub::Action::ack};
  });
  FeedClient client(ctx, options(hub.endpoint(), temp_outbox()));
  for (int i = 0; i < 20; ++i) client.submit(record(i));
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(client.counters().accepted, 20u);
  EXPECT_GE(client.counters().resent, 20u);
  EXPECT_GE(hub.intakes(), 40);
  EXPECT_EQ(hub.stored(), 20u);
}

TEST(FeedClient, DedupeIsTheHubsJobTheSdkMayResend) {
  zmq::context_t ctx;
  FakeHub hub(ctx);
  // Stored, but the ack never arrives: the SDK resends, the hub acks the
  // resend as a duplicate with the same case.
  hub.set_policy([](const std::string&, int arrival) {
    return FakeHub::Decision{arrival == 1 ? FakeHub::Action::lose_ack : FakeHub::Action::ack};
  });
  FeedClient client(ctx, options(hub.endpoint(), temp_outbox()));
  for (int i = 0; i < 20; ++i) client.submit(record(i));
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(hub.stored(), 20u);
  EXPECT_EQ(client.counters().duplicates, 20u);
  EXPECT_EQ(client.counters().duplicates_after_resend, 20u);
  EXPECT_EQ(client.counters().accepted, 0u);
}

TEST(FeedClient, BusyHubIsRetriedLater) {
  zmq::context_t ctx;
  FakeHub hub(ctx);
  hub.set_policy([](const std::string&, int arrival) {
    return FakeHub::Decision{arrival <= 2 ? FakeHub::Action::busy : FakeHub::Action::ack};
  });
  FeedClient client(ctx, options(hub.endpoint(), temp_outbox()));
  for (int i = 0; i < 10; ++i) client.submit(record(i));
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(client.counters().accepted, 10u);
  EXPECT_EQ(client.counters().transient_nacks, 20u);
  EXPECT_EQ(client.counters().rejected, 0u);
}

TEST(FeedClient, OutboxSurvivesARestartOfThePlugin) {
  zmq::context_t ctx;
  FakeHub hub(ctx);
  hub.set_policy([](const std::string&, int) { return FakeHub::Decision{FakeHub::Action::drop}; });
  const auto path = temp_outbox();
  {
    FeedClient first(ctx, options(hub.endpoint(), path));
    for (int i = 0; i < 30; ++i) first.submit(record(i));
    first.sync();
    ASSERT_TRUE(poll_until(first, [&] { return hub.intakes() >= 30; }));
  }  // the plugin stops with nothing acked
  hub.set_policy({});
  FeedClient second(ctx, options(hub.endpoint(), path));
  EXPECT_EQ(second.pending(), 30u);
  ASSERT_TRUE(second.flush(10s));
  EXPECT_EQ(second.counters().accepted, 30u);
  EXPECT_EQ(hub.stored(), 30u);
}

TEST(FeedClient, OutboxSurvivesKillDashNineOfThePlugin) {
  const auto path = temp_outbox();
  // The child plugin takes 25 intakes while no hub is listening, syncs (the
  // point where a real plugin confirms to its upstream), and is killed.
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    zmq::context_t ctx;
    FeedClient plugin(ctx, options("tcp://127.0.0.1:1", path));
    for (int i = 0; i < 25; ++i) plugin.submit(record(i));
    plugin.sync();
    ::kill(::getpid(), SIGKILL);
    ::_exit(1);  // not reached
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_EQ(WTERMSIG(status), SIGKILL);

  zmq::context_t ctx;
  FakeHub hub(ctx);
  FeedClient client(ctx, options(hub.endpoint(), path));
  EXPECT_EQ(client.pending(), 25u);
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(client.counters().accepted, 25u);
  EXPECT_EQ(hub.stored(), 25u);
}

TEST(FeedClient, ReplaysHelloAfterAHubRestart) {
  zmq::context_t ctx;
  FakeHub hub(ctx);
  FeedClient client(ctx, options(hub.endpoint(), temp_outbox()));
  for (int i = 0; i < 10; ++i) client.submit(record(i));
  ASSERT_TRUE(client.flush(5s));
  const auto first_hub = client.hub_instance();

  hub.restart();  // same port, new instance, forgets its peers, keeps its store
  for (int i = 10; i < 20; ++i) client.submit(record(i));
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(client.counters().accepted, 20u);
  EXPECT_EQ(hub.stored(), 20u);
  EXPECT_GE(hub.hellos(), 2);
  EXPECT_EQ(client.counters().hub_restarts, 1u);
  EXPECT_NE(client.hub_instance(), first_hub);
  EXPECT_EQ(client.hub_instance(), hub.instance());
}

TEST(FeedClient, ResendsWhatWasInFlightWhenTheHubRestarted) {
  zmq::context_t ctx;
  FakeHub hub(ctx);
  hub.set_policy([](const std::string&, int) { return FakeHub::Decision{FakeHub::Action::drop}; });
  auto o = options(hub.endpoint(), temp_outbox());
  o.ack_timeout = 30s;  // only the restart can bring these back
  FeedClient client(ctx, o);
  for (int i = 0; i < 10; ++i) client.submit(record(i));
  client.sync();
  ASSERT_TRUE(poll_until(client, [&] { return hub.intakes() >= 10; }));
  hub.set_policy({});
  hub.restart();
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(client.counters().accepted, 10u);
  EXPECT_EQ(hub.stored(), 10u);
}

TEST(FeedClient, ReconnectsWhenTheHubFallsSilent) {
  zmq::context_t ctx;
  FakeHub hub(ctx);
  FeedClient client(ctx, options(hub.endpoint(), temp_outbox()));
  ASSERT_TRUE(poll_until(client, [&] { return client.state() == FeedClient::State::ready; }));
  hub.stop();
  ASSERT_TRUE(poll_until(client, [&] { return client.counters().reconnects >= 1; }, 3s));
  EXPECT_NE(client.state(), FeedClient::State::ready);
  hub.start();
  for (int i = 0; i < 5; ++i) client.submit(record(i));
  ASSERT_TRUE(client.flush(10s));
  EXPECT_EQ(client.counters().accepted, 5u);
  EXPECT_EQ(client.state(), FeedClient::State::ready);
}

TEST(FeedClient, IdlePluginHeartbeats) {
  zmq::context_t ctx;
  FakeHub hub(ctx);
  FeedClient client(ctx, options(hub.endpoint(), temp_outbox()));
  const auto until = std::chrono::steady_clock::now() + 700ms;
  while (std::chrono::steady_clock::now() < until) client.poll(50ms);
  EXPECT_GE(hub.heartbeats(), 3);
  EXPECT_EQ(client.state(), FeedClient::State::ready);
  EXPECT_EQ(client.counters().reconnects, 0u);  // the hub's heartbeats keep it alive
}

TEST(FeedClient, ResultsAreHandedOverOnceAndAcked) {
  zmq::context_t ctx;
  FakeHub hub(ctx);
  FeedClient client(ctx, options(hub.endpoint(), temp_outbox()));
  std::vector<std::string> delivered;
  client.on_result([&](const protocol::Result& r) {
    if (r.rid == "later") return ResultDelivery::retry_later();
    if (r.rid == "never") return ResultDelivery::failed("E_UPSTREAM_GONE", "order closed upstream");
    delivered.push_back(r.result.value("reply", ""));
    return ResultDelivery::delivered();
  });
  ASSERT_TRUE(poll_until(client, [&] { return client.state() == FeedClient::State::ready; }));
  EXPECT_EQ(hub.capabilities(), (std::vector<std::string>{"intake", "result"}));

  hub.send_result("r1", {{"kind", "closed"}, {"reply", "已办结"}, {"upstream", {{"order", "GD-1"}}}});
  ASSERT_TRUE(poll_until(client, [&] { return hub.result_acks().size() == 1; }));
  EXPECT_EQ(delivered, std::vector<std::string>{"已办结"});
  EXPECT_EQ(hub.result_acks()[0].rid, "r1");
  EXPECT_TRUE(hub.result_acks()[0].delivered);

  // The hub did not get our ack in time and sends it again: acked, not redelivered.
  hub.send_result("r1", {{"kind", "closed"}, {"reply", "已办结"}});
  ASSERT_TRUE(poll_until(client, [&] { return hub.result_acks().size() == 2; }));
  EXPECT_EQ(delivered.size(), 1u);

  hub.send_result("later", {{"kind", "closed"}});
  hub.send_result("never", {{"kind", "closed"}});
  ASSERT_TRUE(poll_until(client, [&] { return hub.result_acks().size() == 3; }));
  for (int i = 0; i < 10; ++i) client.poll(20ms);
  const auto acks = hub.result_acks();
  ASSERT_EQ(acks.size(), 3u);  // "later" is not acked: the hub will send it again
  EXPECT_EQ(acks[2].rid, "never");
  EXPECT_FALSE(acks[2].delivered);
  EXPECT_EQ(acks[2].code, "E_UPSTREAM_GONE");
  EXPECT_EQ(client.counters().results_delivered, 1u);
  EXPECT_EQ(client.counters().results_failed, 1u);
}

TEST(FeedClient, RecordsTheHubCannotTakeAreRejectedBeforeSending) {
  zmq::context_t ctx;
  FakeHub hub(ctx);
  FeedClient client(ctx, options(hub.endpoint(), temp_outbox()));
  client.submit(std::string(2 * 1024 * 1024, 'x'));
  client.submit("{\"content\":\"\xB3\xF6\"}");  // GBK
  ASSERT_TRUE(client.flush(2s));
  EXPECT_EQ(client.counters().rejected, 2u);
  EXPECT_EQ(client.counters().rejected_by_code.at("E_TOO_LARGE"), 1u);
  EXPECT_EQ(client.counters().rejected_by_code.at("E_BAD_UTF8"), 1u);
  EXPECT_EQ(hub.intakes(), 0);
}
