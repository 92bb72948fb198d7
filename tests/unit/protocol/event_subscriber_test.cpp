#include "protocol/event_subscriber.h"

#include <gtest/gtest.h>

#include "protocol/codec.h"
#include "protocol/sockets.h"

using namespace suqiu::protocol;
using namespace std::chrono_literals;

namespace {

// An XPUB stands in for the hub's PUB: it also tells us when the subscriber's
// subscriptions have arrived, so no event is published into the void.
struct Publisher {
  zmq::context_t& ctx;
  zmq::socket_t pub{ctx, zmq::socket_type::xpub};
  std::string endpoint;

  explicit Publisher(zmq::context_t& c) : ctx(c) {
    configure_server_socket(pub);
    pub.bind("tcp://127.0.0.1:*");
    endpoint = pub.get(zmq::sockopt::last_endpoint);
  }
  void await_subscriptions(int n) {
    for (int seen = 0; seen < n;) {
      ASSERT_TRUE(wait_readable(pub, 5s));
      if (recv_frames(pub)) ++seen;
    }
  }
  void event(std::int64_t case_id, std::int64_t seq, const char* name = "dispatch") {
    send_frames(pub, encode_event({case_topic(case_id, name), seq, {{"seq", seq}, {"case_id", case_id}}}));
  }
  void heartbeat(std::int64_t seq, const char* hub = "h1") {
    send_frames(pub, encode_event({std::string(kHeartbeatTopic), seq, {{"seq", seq}, {"hub", hub}}}));
  }
};

}  // namespace

TEST(EventSubscriber, AppliesOnlyEventsNewerThanTheSnapshot) {
  zmq::context_t ctx;
  Publisher p(ctx);
  EventSubscriber sub(ctx, p.endpoint);
  p.await_subscriptions(2);  // "case." and "hub.heartbeat"
  EXPECT_TRUE(sub.needs_snapshot());
  EXPECT_FALSE(sub.next(10ms));  // nothing until synchronised

  for (int seq = 1; seq <= 5; ++seq) p.event(7, seq);
  sub.synchronise(2);  // the snapshot reflected events 1 and 2
  std::vector<std::int64_t> got;
  while (auto e = sub.next(500ms)) got.push_back(e->seq);
  EXPECT_EQ(got, (std::vector<std::int64_t>{3, 4, 5}));
  EXPECT_EQ(sub.skipped(), 2u);
  EXPECT_EQ(sub.last_seq(), 5);
}

TEST(EventSubscriber, AGapAsksForANewSnapshotAndKeepsTheNewerEvent) {
  zmq::context_t ctx;
  Publisher p(ctx);
  EventSubscriber sub(ctx, p.endpoint);
  p.await_subscriptions(2);
  sub.synchronise(0);
  p.event(1, 1);
  p.event(1, 3);  // 2 was lost
  auto first = sub.next(1s);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->seq, 1);
  EXPECT_FALSE(sub.next(500ms));
  EXPECT_TRUE(sub.needs_snapshot());
  EXPECT_EQ(sub.gaps(), 1u);

  sub.synchronise(2);  // the new snapshot covers 2
  auto third = sub.next(500ms);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->seq, 3);
}

TEST(EventSubscriber, HeartbeatRevealsMissedEvents) {
  zmq::context_t ctx;
  Publisher p(ctx);
  EventSubscriber sub(ctx, p.endpoint);
  p.await_subscriptions(2);
  sub.synchronise(10);
  p.heartbeat(10);
  EXPECT_FALSE(sub.next(200ms));
  EXPECT_FALSE(sub.needs_snapshot());  // in step
  p.heartbeat(12);                     // 11 and 12 never reached us
  EXPECT_FALSE(sub.next(500ms));
  EXPECT_TRUE(sub.needs_snapshot());
  EXPECT_EQ(sub.hub(), "h1");
}

TEST(EventSubscriber, OneCaseTopicDoesNotMatchItsPrefixSiblings) {
  zmq::context_t ctx;
  Publisher p(ctx);
  EventSubscriber sub(ctx, p.endpoint, {.topics = {case_topic_prefix(4)}});
  p.await_subscriptions(2);
  sub.follow();
  p.event(42, 1);  // "case.42.dispatch" must not match "case.4."
  p.event(4, 2);
  auto e = sub.next(1s);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->topic, "case.4.dispatch");
  EXPECT_EQ(e->body["case_id"], 4);
}
