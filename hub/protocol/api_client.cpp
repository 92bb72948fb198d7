#include "protocol/api_client.h"

#include <spdlog/spdlog.h>

#include "protocol/codec.h"
#include "protocol/sockets.h"
#include "protocol/wire_codes.h"

namespace suqiu::protocol {

using Clock = std::chrono::steady_clock;

ApiClient::ApiClient(zmq::context_t& context, std::string endpoint, ApiClientOptions options)
    : context_(context), endpoint_(std::move(endpoint)), options_(std::move(options)) {
  open_socket();
}

void ApiClient::open_socket() {
  socket_ = zmq::socket_t(context_, zmq::socket_type::dealer);
  auto tuning = client_tuning();
  tuning.linger = std::chrono::milliseconds(0);  // a timed-out request must not reach the hub later
  configure_client_socket(socket_, tuning);
  if (options_.client_keys) apply_curve_client(socket_, *options_.client_keys, options_.server_public_key);
  socket_.connect(endpoint_);
}

std::string ApiClient::next_cid() { return "a" + std::to_string(++counter_); }

Reply ApiClient::login(std::string_view user, std::string_view password) {
  const auto cid = next_cid();
  Reply reply = exchange(Login{cid, std::string(user), std::string(password)}, cid, options_.timeout);
  if (reply.ok && reply.data.is_object()) {
    auto it = reply.data.find("token");
    if (it != reply.data.end() && it->is_string()) token_ = it->get<std::string>();
  }
  return reply;
}

Reply ApiClient::request(std::string_view op, nlohmann::json args) {
  return request(op, std::move(args), options_.timeout);
}

Reply ApiClient::request(std::string_view op, nlohmann::json args, std::chrono::milliseconds timeout) {
  const auto cid = next_cid();
  if (args.is_null()) args = nlohmann::json::object();
  Reply reply = exchange(Request{cid, token_, std::string(op), std::move(args)}, cid, timeout);
  if (!reply.ok && reply.code == code::token) token_.clear();
  return reply;
}

Reply ApiClient::snapshot(nlohmann::json filters) { return request("snapshot", std::move(filters)); }

Reply ApiClient::case_action(std::int64_t case_id, std::string_view action, nlohmann::json args) {
  if (args.is_null()) args = nlohmann::json::object();
  args["case_id"] = case_id;
  args["action"] = action;
  return request("case.action", std::move(args));
}

Reply ApiClient::logout() {
  Reply reply = request("logout");
  token_.clear();
  return reply;
}

Reply ApiClient::exchange(const Message& message, const std::string& cid,
                          std::chrono::milliseconds timeout) {
  if (!send_frames(socket_, encode(message), zmq::send_flags::dontwait)) {
    open_socket();
    return Reply::failure(cid, code::busy, "the request could not be queued");
  }
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0 || !wait_readable(socket_, left)) break;
    auto frames = recv_frames(socket_, zmq::recv_flags::dontwait);
    if (!frames) continue;
    auto decoded = decode(*frames, kClientLimits);
    if (auto* err = std::get_if<DecodeError>(&decoded)) {
      spdlog::warn("api {}: undecodable reply ({} {}): {}", endpoint_, err->code, err->field, err->reason);
      continue;
    }
    auto& m = std::get<Message>(decoded);
    if (auto* r = std::get_if<Reply>(&m)) {
      if (r->cid == cid) return std::move(*r);
      continue;  // a late reply to an earlier request that timed out
    }
    if (auto* e = std::get_if<Error>(&m)) {
      if (e->cid.empty() || e->cid == cid) return Reply::failure(cid, e->code, e->reason);
      continue;
    }
    spdlog::warn("api {}: unexpected {} on the api socket", endpoint_, type_name(m));
  }
  open_socket();
  return Reply::failure(cid, code::timeout, "no reply from " + endpoint_ + " within " +
                                                std::to_string(timeout.count()) + " ms");
}

}  // namespace suqiu::protocol
