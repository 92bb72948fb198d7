// The event stream client (docs/protocol.md section 5.3), Clone pattern: the
// SUB socket subscribes at construction; the caller takes a snapshot through
// the api (ApiClient::snapshot) and passes its `seq` to synchronise(); next()
// then yields only newer events, in order. A gap (PUB drops under back-pressure,
// or a hub that lost its history) sets needs_snapshot(): take a new snapshot and
// synchronise again. One EventSubscriber belongs to one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "protocol/curve_keys.h"
#include "protocol/messages.h"

namespace suqiu::protocol {

struct EventSubscriberOptions {
  std::vector<std::string> topics{"case."};  // hub.heartbeat is always added
  std::optional<CurveKeyPair> client_keys;
  std::string server_public_key;
};

class EventSubscriber {
 public:
  EventSubscriber(zmq::context_t& context, std::string endpoint, EventSubscriberOptions options = {});

  // The snapshot reflected every event up to and including `snapshot_seq`.
  void synchronise(std::int64_t snapshot_seq);
  // No snapshot wanted: start with whatever event comes next (a log tail).
  void follow();

  // The next event newer than everything applied so far; nullopt on timeout,
  // or at once while needs_snapshot() (events stay queued meanwhile).
  std::optional<Event> next(std::chrono::milliseconds timeout);

  bool needs_snapshot() const { return needs_snapshot_; }
  // When anything (an event or the hub's heartbeat, once a second) last came:
  // a client that hears nothing for a few seconds has lost the hub.
  std::chrono::steady_clock::time_point last_heard() const { return last_heard_; }
  std::int64_t last_seq() const { return last_seq_; }
  const std::string& hub() const { return hub_; }
  // Events dropped as already applied, and gaps seen (for logs and tests).
  std::uint64_t skipped() const { return skipped_; }
  std::uint64_t gaps() const { return gaps_; }

 private:
  // Applies the Clone rules to one event; returns it when it is the next one.
  std::optional<Event> accept(Event event);

  std::string endpoint_;
  zmq::socket_t socket_;
  std::deque<Event> held_;  // seen beyond a gap, kept for after the next snapshot
  std::int64_t last_seq_ = 0;
  bool needs_snapshot_ = true;
  bool follow_ = false;
  std::string hub_;
  std::uint64_t skipped_ = 0;
  std::uint64_t gaps_ = 0;
  std::chrono::steady_clock::time_point last_heard_{};
};

}  // namespace suqiu::protocol
