#include "protocol/zap_handler.h"

#include <pthread.h>

#include <future>

#include <spdlog/spdlog.h>

#include "protocol/sockets.h"

namespace suqiu::protocol {

ZapHandler::ZapHandler(zmq::context_t& context, std::vector<AllowedKey> allowed, std::string domain)
    : context_(context), domain_(std::move(domain)), allowed_(std::move(allowed)) {
  std::promise<void> ready;
  auto bound = ready.get_future();
  thread_ = std::thread([this, &ready] {
    zmq::socket_t socket(context_, zmq::socket_type::rep);  // lives and dies in this thread
    try {
      socket.set(zmq::sockopt::linger, 0);
      socket.bind("inproc://zeromq.zap.01");
    } catch (...) {
      ready.set_exception(std::current_exception());
      return;
    }
    ready.set_value();
    run(socket);
  });
  try {
    bound.get();
  } catch (...) {
    thread_.join();
    throw;
  }
}

ZapHandler::~ZapHandler() {
  stop_ = true;
  thread_.join();
}

void ZapHandler::set_allowed(std::vector<AllowedKey> allowed) {
  std::lock_guard lock(mutex_);
  allowed_ = std::move(allowed);
}

bool ZapHandler::is_allowed(const std::string& z85, std::string& label) const {
  std::lock_guard lock(mutex_);
  for (const auto& k : allowed_)
    if (k.public_key == z85) {
      label = k.label;
      return true;
    }
  return false;
}

void ZapHandler::run(zmq::socket_t& socket) {
  pthread_setname_np(pthread_self(), "hub-zap");
  while (!stop_) {
    if (!wait_readable(socket, std::chrono::milliseconds(50))) continue;
    auto request = recv_frames(socket, zmq::recv_flags::dontwait);
    if (!request) continue;
    // version, request id, domain, address, identity, mechanism, credentials...
    if (request->size() < 6) {
      // A malformed request from libzmq itself; REP still owes an answer.
      send_frames(socket, {"1.0", "", "500", "malformed ZAP request", "", ""});
      continue;
    }
    const auto& r = *request;
    const std::string& domain = r[2];
    const std::string& address = r[3];
    const std::string& mechanism = r[5];
    std::string key;
    if (mechanism == "CURVE" && r.size() >= 7 && r[6].size() == 32) {
      char z85[41] = {};
      zmq_z85_encode(z85, reinterpret_cast<const std::uint8_t*>(r[6].data()), 32);
      key = z85;
    }
    std::string label;
    const bool ok = domain == domain_ && mechanism == "CURVE" && is_allowed(key, label);
    if (ok) {
      ++admitted_;
      spdlog::debug("zap: admitted {} ({}) from {}", key, label, address);
    } else {
      ++refused_;
      spdlog::warn("zap: refused {} key {} from {} (domain '{}')", mechanism, key.empty() ? "-" : key,
                   address, domain);
    }
    // The user id (frame 4) is the key's label, or the key itself.
    send_frames(socket, {"1.0", r[1], ok ? "200" : "400", ok ? "OK" : "not allowed",
                         ok ? (label.empty() ? key : label) : "", ""});
  }
}

}  // namespace suqiu::protocol
