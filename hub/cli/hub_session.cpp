#include "hub_session.h"

#include <cstdlib>
#include <iostream>

#include "protocol/curve_keys.h"

namespace suqiu::cli {
namespace {

[[noreturn]] void fail(const protocol::Reply& r) {
  throw std::runtime_error(r.code + ": " + r.message + (r.field.empty() ? "" : " [" + r.field + "]"));
}

}  // namespace

HubSession::HubSession(const Context& ctx) {
  if (ctx.user.empty())
    throw CLI::RequiredError("--user NAME (with SUQIU_PASSWORD or the password on stdin) for --hub");
  protocol::ApiClientOptions options;
  if (ctx.client_keys) options.client_keys = protocol::load_key_file(*ctx.client_keys);
  if (ctx.server_key) options.server_public_key = *ctx.server_key;
  client_ = std::make_unique<protocol::ApiClient>(zmq_, *ctx.hub, options);
  std::string password;
  if (const char* env = std::getenv("SUQIU_PASSWORD"))
    password = env;
  else
    std::getline(std::cin, password);
  auto r = client_->login(ctx.user, password);
  if (!r.ok) fail(r);
}

nlohmann::json HubSession::request(std::string_view op, nlohmann::json args) {
  auto r = client_->request(op, std::move(args));
  if (!r.ok) fail(r);
  return r.data;
}

}  // namespace suqiu::cli
