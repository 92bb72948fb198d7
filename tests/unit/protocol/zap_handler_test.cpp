#include "protocol/zap_handler.h"

#include <gtest/gtest.h>

#include "protocol/codec.h"
#include "protocol/sockets.h"

using namespace suqiu::protocol;
using namespace std::chrono_literals;

namespace {

struct CurveHub {
  zmq::socket_t router;
  std::string endpoint;
  CurveHub(zmq::context_t& ctx, const CurveKeyPair& keys, std::string_view domain = kZapDomain)
      : router(ctx, zmq::socket_type::router) {
    configure_server_socket(router);
    apply_curve_server(router, keys, domain);
    router.bind("tcp://127.0.0.1:*");
    endpoint = router.get(zmq::sockopt::last_endpoint);
  }
};

zmq::socket_t client(zmq::context_t& ctx, const CurveKeyPair& keys, const std::string& server_public,
                     const std::string& endpoint) {
  zmq::socket_t s(ctx, zmq::socket_type::dealer);
  configure_client_socket(s);
  s.set(zmq::sockopt::linger, 0);
  apply_curve_client(s, keys, server_public);
  s.connect(endpoint);
  return s;
}

}  // namespace

TEST(ZapHandler, KnownClientIsServedUnknownClientIsRefused) {
  zmq::context_t ctx;
  const auto server = generate_curve_keypair();
  const auto known = generate_curve_keypair();
  const auto stranger = generate_curve_keypair();
  ZapHandler zap(ctx, {{known.public_key, "feed-12345"}});
  CurveHub hub(ctx, server);

  auto bad = client(ctx, stranger, server.public_key, hub.endpoint);
  auto good = client(ctx, known, server.public_key, hub.endpoint);
  send_frames(bad, encode(Heartbeat{}));
  send_frames(good, encode(Heartbeat{}));

  ASSERT_TRUE(wait_readable(hub.router, 5s));
  auto in = recv_frames(hub.router);
  ASSERT_TRUE(in);
  EXPECT_EQ((*in)[2], "HEARTBEAT");
  EXPECT_FALSE(wait_readable(hub.router, 500ms));  // the stranger's message never arrives
  EXPECT_EQ(zap.admitted(), 1u);
  EXPECT_GE(zap.refused(), 1u);
}

TEST(ZapHandler, AnotherDomainIsRefusedEvenWithAnAllowedKey) {
  zmq::context_t ctx;
  const auto server = generate_curve_keypair();
  const auto known = generate_curve_keypair();
  ZapHandler zap(ctx, {{known.public_key, ""}});
  CurveHub hub(ctx, server, "elsewhere");
  auto c = client(ctx, known, server.public_key, hub.endpoint);
  send_frames(c, encode(Heartbeat{}));
  EXPECT_FALSE(wait_readable(hub.router, 500ms));
  EXPECT_EQ(zap.admitted(), 0u);
}

TEST(ZapHandler, AllowListCanBeReplacedWhileRunning) {
  zmq::context_t ctx;
  const auto server = generate_curve_keypair();
  const auto later = generate_curve_keypair();
  ZapHandler zap(ctx, {});
  zap.set_allowed({{later.public_key, "console"}});
  CurveHub hub(ctx, server);
  auto c = client(ctx, later, server.public_key, hub.endpoint);
  send_frames(c, encode(Heartbeat{}));
  EXPECT_TRUE(wait_readable(hub.router, 5s));
}

TEST(ZapHandler, OnlyOnePerContext) {
  zmq::context_t ctx;
  ZapHandler first(ctx, {});
  EXPECT_THROW(ZapHandler second(ctx, {}), zmq::error_t);
}
