#include "protocol/event_subscriber.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "protocol/codec.h"
#include "protocol/sockets.h"

namespace suqiu::protocol {

using Clock = std::chrono::steady_clock;

EventSubscriber::EventSubscriber(zmq::context_t& context, std::string endpoint,
                                 EventSubscriberOptions options)
    : endpoint_(std::move(endpoint)), socket_(context, zmq::socket_type::sub) {
  configure_client_socket(socket_);
  // Events must not be dropped on our side before the caller gets to them.
  socket_.set(zmq::sockopt::rcvhwm, 100000);
  if (options.client_keys) apply_curve_client(socket_, *options.client_keys, options.server_public_key);
  for (const auto& t : options.topics) socket_.set(zmq::sockopt::subscribe, t);
  socket_.set(zmq::sockopt::subscribe, kHeartbeatTopic);
  socket_.connect(endpoint_);
}

void EventSubscriber::synchronise(std::int64_t snapshot_seq) {
  last_seq_ = snapshot_seq;
  needs_snapshot_ = false;
  follow_ = false;
  // Held events older than the snapshot are in it already.
  std::erase_if(held_, [&](const Event& e) { return e.seq <= snapshot_seq; });
}

void EventSubscriber::follow() {
  needs_snapshot_ = false;
  follow_ = true;
  held_.clear();
}

std::optional<Event> EventSubscriber::accept(Event event) {
  if (event.topic == kHeartbeatTopic) {
    const auto hub_it = event.body.find("hub");
    const std::string hub = hub_it != event.body.end() && hub_it->is_string() ? hub_it->get<std::string>() : "";
    const bool new_hub = !hub_.empty() && !hub.empty() && hub != hub_;
    if (!hub.empty()) hub_ = hub;
    if (follow_) {
      last_seq_ = event.seq;
      follow_ = false;
      return std::nullopt;
    }
    // A restarted hub whose sequence went back lost history we hold: resnapshot.
    if (event.seq > last_seq_ || (new_hub && event.seq < last_seq_)) {
      ++gaps_;
      needs_snapshot_ = true;
    }
    return std::nullopt;
  }
  if (follow_) {
    follow_ = false;
    last_seq_ = event.seq;
    return event;
  }
  if (event.seq <= last_seq_) {
    ++skipped_;
    return std::nullopt;
  }
  if (event.seq == last_seq_ + 1) {
    last_seq_ = event.seq;
    return event;
  }
  ++gaps_;
  spdlog::debug("events {}: gap after {} (got {}), snapshot needed", endpoint_, last_seq_, event.seq);
  needs_snapshot_ = true;
  held_.push_back(std::move(event));
  return std::nullopt;
}

std::optional<Event> EventSubscriber::next(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (needs_snapshot_) return std::nullopt;
    // First what was held over a gap, oldest first.
    std::sort(held_.begin(), held_.end(), [](const Event& a, const Event& b) { return a.seq < b.seq; });
    while (!held_.empty()) {
      Event e = std::move(held_.front());
      held_.pop_front();
      if (auto ready = accept(std::move(e))) return ready;
      if (needs_snapshot_) return std::nullopt;
    }
    auto frames = recv_frames(socket_, zmq::recv_flags::dontwait);
    if (!frames) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0 || !wait_readable(socket_, left)) return std::nullopt;
      continue;
    }
    last_heard_ = Clock::now();
    auto decoded = decode_event(*frames);
    if (auto* err = std::get_if<DecodeError>(&decoded)) {
      spdlog::warn("events {}: undecodable event ({}): {}", endpoint_, err->code, err->reason);
      continue;
    }
    if (auto ready = accept(std::move(std::get<Event>(decoded)))) return ready;
  }
}

}  // namespace suqiu::protocol
