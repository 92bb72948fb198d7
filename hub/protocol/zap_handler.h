// The hub's ZAP handler (ZeroMQ RFC 27): an actor that answers libzmq's
// authentication requests for CURVE sockets. It admits a connection only when
// the ZAP domain is "suqiu", the mechanism is CURVE and the client's public key
// is on the allow-list (docs/protocol.md section 1.1); every refusal is logged.
// Without it (or without checking the domain) a CURVE server admits any client
// that knows the server's public key.
//
// One per context, created before the CURVE sockets bind: it binds
// inproc://zeromq.zap.01 in its own thread (ready handshake in the
// constructor) and stops in the destructor.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <zmq.hpp>

#include "protocol/curve_keys.h"

namespace suqiu::protocol {

class ZapHandler {
 public:
  ZapHandler(zmq::context_t& context, std::vector<AllowedKey> allowed,
             std::string domain = std::string(kZapDomain));
  ~ZapHandler();
  ZapHandler(const ZapHandler&) = delete;
  ZapHandler& operator=(const ZapHandler&) = delete;

  // Replaces the allow-list (e.g. after `suqiu` admin edits it); thread-safe.
  void set_allowed(std::vector<AllowedKey> allowed);
  std::uint64_t admitted() const { return admitted_; }
  std::uint64_t refused() const { return refused_; }

 private:
  void run(zmq::socket_t& socket);
  bool is_allowed(const std::string& z85, std::string& label) const;

  zmq::context_t& context_;
  const std::string domain_;
  mutable std::mutex mutex_;
  std::vector<AllowedKey> allowed_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> admitted_{0};
  std::atomic<std::uint64_t> refused_{0};
  std::thread thread_;
};

}  // namespace suqiu::protocol
