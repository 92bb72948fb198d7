// LiveFeed: suqiu-feed-sim --hub. Sends generated intakes to a hub at a
// steady rate through the plugin SDK's FeedClient (outbox, window, acks,
// resends), each received "now", and measures what became of them: how
// many were sent, accepted, taken as duplicates or refused, and how long
// each took from submit() to its ACK.
//
// Threading: runs on the calling thread, which owns the FeedClient.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include <zmq.hpp>

namespace suqiu::sim {

struct LiveOptions {
  std::string endpoint{"tcp://127.0.0.1:7450"};
  double rate = 10;      // intakes per second
  double seconds = 60;   // how long to send
  std::uint64_t seed = 1;
  std::string run_tag;   // in every external_id: runs with the same seed do not collide
  std::filesystem::path outbox;
  int wait_seconds = 30;  // after the last send, for the last acks
  std::string version{"0.0.0"};
};

struct LiveReport {
  std::uint64_t sent = 0;
  std::uint64_t accepted = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t rejected = 0;
  std::uint64_t pending = 0;  // not acked when the wait ran out
  std::uint64_t resent = 0;
  double send_seconds = 0;    // from the first submit to the last
  double achieved_rate = 0;   // sent / send_seconds
  double ack_p50_ms = 0, ack_p99_ms = 0, ack_max_ms = 0;
  bool stopped = false;       // a signal ended the run early
};

class LiveFeed {
 public:
  LiveFeed(zmq::context_t& context, LiveOptions options) : context_(context), options_(std::move(options)) {}

  // `stop_requested` is polled between sends (signals).
  LiveReport run(const std::function<bool()>& stop_requested);

 private:
  zmq::context_t& context_;
  LiveOptions options_;
};

}  // namespace suqiu::sim
