// A tiny stand-in for suqiu-hub's ingest front, for the SDK tests: a real
// ROUTER on tcp://127.0.0.1:<ephemeral>, in its own thread, that speaks SUQIU1
// (HELLO/WELCOME, heartbeats, E_NOT_REGISTERED) and answers each intake as the
// test's policy says: ack, nack, busy, drop, or store-but-lose-the-ack. It is
// idempotent on (source, external_id) like the real hub, keeps its "store"
// across restart(), and can be stopped (hub down) and started again on the
// same port with a new instance id.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>
#include <zmq.hpp>

#include "protocol/codec.h"
#include "protocol/sockets.h"
#include "protocol/wire_codes.h"

namespace suqiu::test {

class FakeHub {
 public:
  enum class Action { ack, nack, busy, drop, lose_ack };
  struct Decision {
    Action action = Action::ack;
    std::string code;   // for nack
    std::string field;
  };
  // external_id, how many times this external id has arrived (1 = first).
  using Policy = std::function<Decision(const std::string& external_id, int arrival)>;

  explicit FakeHub(zmq::context_t& ctx, int heartbeat_ms = 100, int window = 256)
      : ctx_(ctx), heartbeat_ms_(heartbeat_ms), window_(window) {
    start();
  }
  ~FakeHub() { stop(); }

  const std::string& endpoint() const { return endpoint_; }

  // Hub down: the socket is closed, peers are forgotten, the store is kept.
  void stop() {
    if (!thread_.joinable()) return;
    stop_ = true;
    thread_.join();
  }
  // Hub up again on the same port, with a new instance id.
  void start() {
    stop_ = false;
    ++generation_;
    std::promise<std::string> ready;
    thread_ = std::thread([this, &ready] { run(ready); });
    endpoint_ = ready.get_future().get();
  }
  void restart() {
    stop();
    start();
  }

  void set_policy(Policy p) {
    std::lock_guard lock(mutex_);
    policy_ = std::move(p);
  }
  // Keep acks back until this many intakes are waiting (proves pipelining).
  void hold_acks_until(int n) {
    std::lock_guard lock(mutex_);
    hold_until_ = n;
  }
  void send_result(std::string rid, nlohmann::json result) {
    std::lock_guard lock(mutex_);
    outgoing_results_.push_back({std::move(rid), std::move(result)});
  }

  std::string instance() const {
    std::lock_guard lock(mutex_);
    return "fake-hub-" + std::to_string(generation_);
  }
  int hellos() const { return hellos_; }
  int heartbeats() const { return heartbeats_; }
  int intakes() const { return intakes_; }
  int not_registered_errors() const { return not_registered_; }
  std::size_t stored() const {
    std::lock_guard lock(mutex_);
    return store_.size();
  }
  std::vector<protocol::ResultAck> result_acks() const {
    std::lock_guard lock(mutex_);
    return result_acks_;
  }
  std::vector<std::string> capabilities() const {
    std::lock_guard lock(mutex_);
    return capabilities_;
  }

 private:
  using Clock = std::chrono::steady_clock;

  void run(std::promise<std::string>& ready) {
    zmq::socket_t s(ctx_, zmq::socket_type::router);
    protocol::SocketTuning tuning;
    tuning.linger = std::chrono::milliseconds(0);
    protocol::configure_server_socket(s, tuning);
    // The same port after a restart; libzmq frees it asynchronously, so retry.
    for (int i = 0;; ++i) {
      try {
        s.bind(port_.empty() ? "tcp://127.0.0.1:*" : "tcp://127.0.0.1:" + port_);
        break;
      } catch (const zmq::error_t& e) {
        if (e.num() != EADDRINUSE || i > 200) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    const std::string ep = s.get(zmq::sockopt::last_endpoint);
    port_ = ep.substr(ep.rfind(':') + 1);
    const std::string hub_id = instance();
    ready.set_value(ep);

    std::set<std::string> peers;
    std::string result_peer;
    std::deque<std::pair<std::string, protocol::Message>> held;
    auto last_beat = Clock::now();
    while (!stop_) {
      if (protocol::wait_readable(s, std::chrono::milliseconds(5))) {
        while (auto in = protocol::recv_frames(s, zmq::recv_flags::dontwait)) {
          const std::string peer = in->front();
          in->erase(in->begin());
          handle(s, peer, *in, hub_id, peers, result_peer, held);
        }
      }
      std::deque<std::pair<std::string, nlohmann::json>> results;
      {
        std::lock_guard lock(mutex_);
        if (!held.empty() && static_cast<int>(held.size()) >= hold_until_) {
          for (auto& [peer, m] : held) protocol::send_routed(s, peer, protocol::encode(m));
          held.clear();
          hold_until_ = 0;
        }
        if (!result_peer.empty()) results.swap(outgoing_results_);
      }
      for (auto& [rid, body] : results)
        protocol::send_routed(s, result_peer, protocol::encode(protocol::Result{rid, body}));
      if (Clock::now() - last_beat >= std::chrono::milliseconds(heartbeat_ms_)) {
        for (const auto& p : peers) protocol::send_routed(s, p, protocol::encode(protocol::Heartbeat{}));
        last_beat = Clock::now();
      }
    }
  }

  void handle(zmq::socket_t& s, const std::string& peer, const protocol::Frames& frames,
              const std::string& hub_id, std::set<std::string>& peers, std::string& result_peer,
              std::deque<std::pair<std::string, protocol::Message>>& held) {
    auto reply = [&](const protocol::Message& m) { protocol::send_routed(s, peer, protocol::encode(m)); };
    auto decoded = protocol::decode(frames);
    if (auto* e = std::get_if<protocol::DecodeError>(&decoded)) {
      if (e->type == "INTAKE" && !e->cid.empty()) reply(protocol::Nack{e->cid, e->code, e->field, e->reason});
      else reply(protocol::Error{e->code, e->reason, e->cid});
      return;
    }
    const auto& m = std::get<protocol::Message>(decoded);
    if (auto* hello = std::get_if<protocol::Hello>(&m)) {
      ++hellos_;
      peers.insert(peer);
      {
        std::lock_guard lock(mutex_);
        capabilities_ = hello->capabilities;
      }
      if (std::find(hello->capabilities.begin(), hello->capabilities.end(), "result") !=
          hello->capabilities.end())
        result_peer = peer;
      reply(protocol::Welcome{hub_id, "test", heartbeat_ms_, 3, window_});
      return;
    }
    if (!peers.contains(peer)) {
      ++not_registered_;
      std::string cid;
      if (auto* in = std::get_if<protocol::Intake>(&m)) cid = in->cid;
      reply(protocol::Error{std::string(protocol::code::not_registered), "say HELLO first", cid});
      return;
    }
    if (std::holds_alternative<protocol::Heartbeat>(m)) {
      ++heartbeats_;
      return;
    }
    if (std::holds_alternative<protocol::Bye>(m)) {
      peers.erase(peer);
      return;
    }
    if (auto* ra = std::get_if<protocol::ResultAck>(&m)) {
      std::lock_guard lock(mutex_);
      result_acks_.push_back(*ra);
      return;
    }
    if (auto* in = std::get_if<protocol::Intake>(&m)) {
      ++intakes_;
      auto record = nlohmann::json::parse(in->record, nullptr, false);
      if (record.is_discarded()) return reply(protocol::Nack{in->cid, "E_NOT_JSON", "", "not JSON"});
      if (!record.is_object() || !record.contains("content"))
        return reply(protocol::Nack{in->cid, "E_FIELD_MISSING", "content", "content is required"});
      const std::string external_id = record.value("external_id", "");
      const std::string key = record.value("source", "") + "|" + external_id;
      std::unique_lock lock(mutex_);
      const int arrival = ++arrivals_[external_id];
      const Decision d = policy_ ? policy_(external_id, arrival) : Decision{};
      if (d.action == Action::drop) return;
      if (d.action == Action::busy) {
        lock.unlock();
        return reply(protocol::Nack{in->cid, "E_BUSY", "", "queue full"});
      }
      if (d.action == Action::nack) {
        lock.unlock();
        return reply(protocol::Nack{in->cid, d.code, d.field, "refused by the test policy"});
      }
      auto [it, fresh] = store_.emplace(key, static_cast<std::int64_t>(store_.size() + 1));
      if (d.action == Action::lose_ack) return;
      protocol::Ack ack{in->cid, it->second, "T" + std::to_string(it->second), !fresh};
      if (hold_until_ > 0) {
        held.emplace_back(peer, ack);
        return;
      }
      lock.unlock();
      reply(ack);
    }
  }

  zmq::context_t& ctx_;
  const int heartbeat_ms_;
  const int window_;
  std::string endpoint_;
  std::string port_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  int generation_ = 0;

  mutable std::mutex mutex_;
  Policy policy_;
  int hold_until_ = 0;
  std::map<std::string, std::int64_t> store_;
  std::map<std::string, int> arrivals_;
  std::deque<std::pair<std::string, nlohmann::json>> outgoing_results_;
  std::vector<protocol::ResultAck> result_acks_;
  std::vector<std::string> capabilities_;

  std::atomic<int> hellos_{0};
  std::atomic<int> heartbeats_{0};
  std::atomic<int> intakes_{0};
  std::atomic<int> not_registered_{0};
};

}  // namespace suqiu::test
