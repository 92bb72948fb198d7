// The api behind CURVE with the ZAP allow-list (docs/protocol.md §1.1): a
// console whose key is on the list logs in; one whose key is not gets no
// answer at all; and the hub refuses to bind off loopback without keys.
#include <gtest/gtest.h>

#include "hub_fixture.h"
#include "protocol/api_client.h"
#include "protocol/curve_keys.h"

using namespace suqiu;
using namespace suqiu::server;
using namespace suqiu::server::testing;
using namespace std::chrono_literals;
using protocol::ApiClient;
using protocol::ApiClientOptions;

TEST(CurveSecurity, AnAllowedKeyLogsInAnUnknownKeyGetsNoReply) {
  TempDir dir;
  seed(dir.path(), default_users(), default_records());
  const auto server = protocol::generate_curve_keypair();
  const auto console = protocol::generate_curve_keypair();
  const auto stranger = protocol::generate_curve_keypair();
  RunningHub hub(dir.path(), server, {{console.public_key, "console"}});

  ApiClientOptions allowed;
  allowed.client_keys = console;
  allowed.server_public_key = server.public_key;
  allowed.timeout = 5s;
  ApiClient good(hub.context, hub.api->endpoint(), allowed);
  auto r = good.login("boss", "boss-password");
  ASSERT_TRUE(r.ok) << r.code << " " << r.message;
  auto list = good.request("case.list");
  ASSERT_TRUE(list.ok);
  EXPECT_EQ(list.data["items"].size(), 5u);

  ApiClientOptions unknown = allowed;
  unknown.client_keys = stranger;
  unknown.timeout = 1500ms;
  ApiClient bad(hub.context, hub.api->endpoint(), unknown);
  auto refused = bad.login("boss", "boss-password");
  EXPECT_FALSE(refused.ok);
  EXPECT_EQ(refused.code, "E_TIMEOUT");
  EXPECT_GE(hub.zap->refused(), 1u);

  // Knowing the server key without CURVE on the client side gets nowhere either.
  ApiClientOptions plain;
  plain.timeout = 1000ms;
  ApiClient naked(hub.context, hub.api->endpoint(), plain);
  EXPECT_EQ(naked.login("boss", "boss-password").code, "E_TIMEOUT");

  // The allowed client is still served.
  EXPECT_TRUE(good.request("whoami").ok);
}

TEST(CurveSecurity, OffLoopbackWithoutKeysIsRefused) {
  HubConfig local;
  EXPECT_TRUE(local.loopback_only());
  EXPECT_NO_THROW(local.check_security());

  for (const char* ep : {"tcp://0.0.0.0:7451", "tcp://192.168.1.10:7451", "tcp://*:7451"}) {
    HubConfig open;
    open.api = ep;
    EXPECT_FALSE(open.loopback_only()) << ep;
    EXPECT_THROW(open.check_security(), std::runtime_error) << ep;
    open.server_keys = protocol::generate_curve_keypair();
    EXPECT_NO_THROW(open.check_security()) << ep;
  }
  HubConfig events;
  events.events = "tcp://10.0.0.5:7452";
  EXPECT_THROW(events.check_security(), std::runtime_error);
}
