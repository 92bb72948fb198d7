#include "protocol/sockets.h"

#include <gtest/gtest.h>

#include <thread>

using namespace suqiu::protocol;
using namespace std::chrono_literals;

TEST(Sockets, ServerSocketHygiene) {
  zmq::context_t ctx;
  zmq::socket_t router(ctx, zmq::socket_type::router);
  configure_server_socket(router);
  EXPECT_EQ(router.get(zmq::sockopt::linger), 1000);
  EXPECT_EQ(router.get(zmq::sockopt::maxmsgsize), static_cast<int64_t>(kMaxFrameBytes));
  // TCP keepalive, not ZMTP heartbeats (see SocketTuning).
  EXPECT_EQ(router.get(zmq::sockopt::heartbeat_ivl), 0);
  EXPECT_EQ(router.get(zmq::sockopt::tcp_keepalive), 1);
  EXPECT_EQ(router.get(zmq::sockopt::tcp_keepalive_idle), 5);
}

TEST(Sockets, MultipartRoundTripOverLoopbackAndRouting) {
  zmq::context_t ctx;
  zmq::socket_t router(ctx, zmq::socket_type::router);
  configure_server_socket(router);
  router.bind("tcp://127.0.0.1:*");
  const auto endpoint = router.get(zmq::sockopt::last_endpoint);

  zmq::socket_t dealer(ctx, zmq::socket_type::dealer);
  configure_client_socket(dealer);
  dealer.connect(endpoint);

  ASSERT_TRUE(send_frames(dealer, encode(Heartbeat{})));
  ASSERT_TRUE(wait_readable(router, 5s));
  auto in = recv_frames(router);
  ASSERT_TRUE(in);
  ASSERT_EQ(in->size(), 4u);  // routing id + 3 frames
  const std::string peer = (*in)[0];
  EXPECT_EQ((*in)[2], "HEARTBEAT");

  ASSERT_TRUE(send_routed(router, peer, encode(Heartbeat{})));
  ASSERT_TRUE(wait_readable(dealer, 5s));
  auto back = recv_frames(dealer);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->size(), 3u);
}

TEST(Sockets, RouterMandatoryReportsAGonePeer) {
  zmq::context_t ctx;
  zmq::socket_t router(ctx, zmq::socket_type::router);
  configure_server_socket(router);
  router.bind("tcp://127.0.0.1:*");
  // Not a silent drop: the hub learns the peer is gone.
  EXPECT_FALSE(send_routed(router, "nobody", encode(Heartbeat{})));
}

TEST(Sockets, NoMessageIsAnEmptyOptional) {
  zmq::context_t ctx;
  zmq::socket_t dealer(ctx, zmq::socket_type::dealer);
  configure_client_socket(dealer);
  dealer.connect("tcp://127.0.0.1:1");
  EXPECT_FALSE(recv_frames(dealer, zmq::recv_flags::dontwait));
  EXPECT_FALSE(wait_readable(dealer, 10ms));
}

TEST(Sockets, OversizedFrameDropsTheConnection) {
  zmq::context_t ctx;
  zmq::socket_t router(ctx, zmq::socket_type::router);
  SocketTuning tuning;
  tuning.max_frame_bytes = 1024;
  configure_server_socket(router, tuning);
  router.bind("tcp://127.0.0.1:*");
  zmq::socket_t dealer(ctx, zmq::socket_type::dealer);
  configure_client_socket(dealer);
  dealer.connect(router.get(zmq::sockopt::last_endpoint));
  ASSERT_TRUE(send_frames(dealer, encode(Intake{"1", std::string(4096, 'x')})));
  ASSERT_TRUE(send_frames(dealer, encode(Heartbeat{})));
  // libzmq refuses the frame and closes that connection: nothing arrives.
  EXPECT_FALSE(wait_readable(router, 300ms));
}

// A wait with a fraction of a millisecond goes through the socket's file
// descriptor, not zmq_poll: it must wake for a message that arrives while it
// waits (a lost wake-up would sleep out the whole second and return false),
// see one already queued, and give up when nothing comes.
TEST(Sockets, SubMillisecondWaitsWakeForAMessage) {
  zmq::context_t ctx;
  zmq::socket_t router(ctx, zmq::socket_type::router);
  configure_server_socket(router);
  router.bind("tcp://127.0.0.1:*");
  zmq::socket_t dealer(ctx, zmq::socket_type::dealer);
  configure_client_socket(dealer);
  dealer.connect(router.get(zmq::sockopt::last_endpoint));

  EXPECT_FALSE(wait_readable(router, 300us));

  std::thread later([&] {
    std::this_thread::sleep_for(50ms);
    send_frames(dealer, encode(Heartbeat{}));
  });
  const auto start = std::chrono::steady_clock::now();
  const bool woke = wait_readable(router, 999'500us);
  const auto waited = std::chrono::steady_clock::now() - start;
  later.join();
  ASSERT_TRUE(woke);
  EXPECT_LT(waited, 999ms);

  EXPECT_TRUE(wait_readable(router, 500us));  // still queued: not consumed by the wait
  ASSERT_TRUE(recv_frames(router));
  EXPECT_FALSE(wait_readable(router, 500us));
}
