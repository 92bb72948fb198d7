// The hub's default endpoints (DESIGN.md) and the loopback rule: binding
// anything but loopback requires CURVE.
#pragma once

#include <string>
#include <string_view>

namespace suqiu::protocol {

inline constexpr std::string_view kDefaultIngestEndpoint = "tcp://127.0.0.1:7450";
inline constexpr std::string_view kDefaultApiEndpoint = "tcp://127.0.0.1:7451";
inline constexpr std::string_view kDefaultEventsEndpoint = "tcp://127.0.0.1:7452";

// True for tcp://127.x.x.x:*, tcp://localhost:*, tcp://[::1]:*, ipc://, inproc://.
bool is_loopback_endpoint(std::string_view endpoint);

}  // namespace suqiu::protocol
