#include "protocol/endpoints.h"

#include <gtest/gtest.h>

using suqiu::protocol::is_loopback_endpoint;

TEST(Endpoints, LoopbackTable) {
  struct Case {
    const char* endpoint;
    bool loopback;
  };
  const Case cases[] = {
      {"tcp://127.0.0.1:7450", true},
      {"tcp://127.0.0.1:*", true},
      {"tcp://127.1.2.3:7450", true},
      {"tcp://localhost:7451", true},
      {"tcp://[::1]:7452", true},
      {"ipc:///run/suqiu/ingest", true},
      {"inproc://ingest", true},
      {"tcp://0.0.0.0:7450", false},       // every interface
      {"tcp://*:7450", false},
      {"tcp://192.168.1.10:7450", false},
      {"tcp://127.evil.example:7450", false},  // a name that starts like loopback
      {"tcp://[::]:7450", false},
      {"tcp://eth0;127.0.0.1:7450", true},   // source-interface form, loopback peer
      {"udp://127.0.0.1:7450", false},
  };
  for (const auto& c : cases) EXPECT_EQ(is_loopback_endpoint(c.endpoint), c.loopback) << c.endpoint;
}
