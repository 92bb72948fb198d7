// The CLI's --hub mode for queries: log in to the hub's api (user from
// --user, password from SUQIU_PASSWORD or the first line of stdin) and ask it.
// The hub checks the role and masks what the user may not see, so the output
// is whatever that user is allowed, in the same shapes as --data mode.
#pragma once

#include <zmq.hpp>

#include <memory>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "protocol/api_client.h"

namespace suqiu::cli {

class HubSession {
 public:
  explicit HubSession(const Context& ctx);
  // The reply's data; throws std::runtime_error "CODE: message" on failure.
  nlohmann::json request(std::string_view op, nlohmann::json args = nlohmann::json::object());

 private:
  zmq::context_t zmq_;
  std::unique_ptr<protocol::ApiClient> client_;
};

}  // namespace suqiu::cli
