// A client of the hub's api socket (docs/protocol.md section 5): LOGIN for a
// session token, then REQUEST/REPLY with a timeout. Used by the CLI (--hub) and
// the console. One ApiClient belongs to one thread (it owns a DEALER).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <zmq.hpp>

#include "protocol/curve_keys.h"
#include "protocol/messages.h"

namespace suqiu::protocol {

struct ApiClientOptions {
  std::chrono::milliseconds timeout{5000};
  // CURVE, for a hub that is not on loopback.
  std::optional<CurveKeyPair> client_keys;
  std::string server_public_key;
};

class ApiClient {
 public:
  ApiClient(zmq::context_t& context, std::string endpoint, ApiClientOptions options = {});

  // On success keeps data.token for later requests.
  Reply login(std::string_view user, std::string_view password);
  // A REQUEST with the current token. On no reply within the timeout the result
  // is {ok:false, code:"E_TIMEOUT"} and the socket is reopened, so the late
  // request cannot be delivered to a hub that comes back later.
  Reply request(std::string_view op, nlohmann::json args = nlohmann::json::object());
  Reply request(std::string_view op, nlohmann::json args, std::chrono::milliseconds timeout);

  // Conveniences over request().
  Reply snapshot(nlohmann::json filters = nlohmann::json::object());
  Reply case_action(std::int64_t case_id, std::string_view action,
                    nlohmann::json args = nlohmann::json::object());
  Reply logout();

  const std::string& token() const { return token_; }
  void set_token(std::string token) { token_ = std::move(token); }
  const std::string& endpoint() const { return endpoint_; }

 private:
  Reply exchange(const Message& message, const std::string& cid, std::chrono::milliseconds timeout);
  void open_socket();
  std::string next_cid();

  zmq::context_t& context_;
  std::string endpoint_;
  ApiClientOptions options_;
  zmq::socket_t socket_;
  std::string token_;
  std::uint64_t counter_ = 0;
};

}  // namespace suqiu::protocol
