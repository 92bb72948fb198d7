#include "protocol/endpoints.h"

namespace suqiu::protocol {

bool is_loopback_endpoint(std::string_view ep) {
  if (ep.starts_with("ipc://") || ep.starts_with("inproc://")) return true;
  if (!ep.starts_with("tcp://")) return false;
  std::string_view host = ep.substr(6);
  // tcp://iface;host:port (source address form): the host is what counts.
  if (auto semi = host.find(';'); semi != std::string_view::npos) host = host.substr(semi + 1);
  if (host.starts_with("[")) {
    const auto close = host.find(']');
    return close != std::string_view::npos && host.substr(1, close - 1) == "::1";
  }
  host = host.substr(0, host.rfind(':'));
  if (host == "localhost") return true;
  if (!host.starts_with("127.")) return false;
  // Exactly four numeric parts: "127.evil.example" is not loopback.
  int dots = 0;
  for (char c : host) {
    if (c == '.') ++dots;
    else if (c < '0' || c > '9') return false;
  }
  return dots == 3;
}

}  // namespace suqiu::protocol
