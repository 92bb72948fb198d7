// The ingest front: the ROUTER plugins talk to (docs/protocol.md §4). It
// registers plugins (HELLO/WELCOME), keeps them alive with heartbeats, hands
// every intake it drains to the writer as one batch, and sends each ACK or
// NACK only when the writer says the batch is committed (ack after commit).
// It also carries results owed upstream to the plugin of the case's source and
// passes their RESULT_ACKs back to the writer.
#pragma once

#include <zmq.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "hub_config.h"
#include "protocol/messages.h"
#include "writer.h"

namespace suqiu::server {

class IngestFront {
 public:
  IngestFront(zmq::context_t& context, const HubConfig& config, std::string hub_instance);
  ~IngestFront();
  IngestFront(const IngestFront&) = delete;
  IngestFront& operator=(const IngestFront&) = delete;

  // Binds the ROUTER and connects to the writer (which must be started), then
  // starts the thread.
  void start();
  void stop();  // says BYE to every plugin

  std::string endpoint() const { return endpoint_; }
  // Intakes are prepared (validated, classified) on this front's thread before
  // they reach the writer; set before start().
  void set_preparer(const IntakePipeline* pipeline) { preparer_ = pipeline; }
  // Where this front reports that it cannot go on (set before start()).
  void set_failure(FrontFailure* failure) { failure_ = failure; }
  // The registry for the api's `plugins` op (any thread).
  nlohmann::json plugins_json() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Peer {
    std::string plugin, version, instance;
    std::vector<std::string> sources, capabilities;
    std::string connected_at;
    Clock::time_point last_seen, last_sent;
    std::int64_t in_flight = 0;
    std::int64_t accepted = 0, duplicates = 0, rejected = 0;
    bool takes_results() const;
    bool feeds(std::string_view source) const;
  };

  void loop();
  void serve();
  void read_router(IngestBatch& batch);
  void read_writer(BatchChannel& channel);
  void read_monitor();
  void send(const std::string& peer, const protocol::Message& message);
  void heartbeats();
  void deliver_results(const std::vector<store::OutboundResult>& results);
  void publish_registry();

  zmq::context_t& context_;
  const HubConfig& config_;
  std::string hub_instance_;
  std::string endpoint_;
  std::thread thread_;
  std::atomic<bool> running_{false};

  // Owned by the front's thread once started.
  std::unique_ptr<zmq::socket_t> router_;
  std::unique_ptr<zmq::socket_t> writer_;
  std::unique_ptr<zmq::socket_t> monitor_;
  std::map<std::string, Peer> peers_;  // by routing id
  struct SentResult {
    Clock::time_point at;
    std::string source;
  };
  std::map<std::int64_t, SentResult> results_sent_;  // by rid
  // A RESULT not acked is sent again after kResultResend; owed results are
  // looked for every kResultSweep, so the resend comes 30 to 35 s after.
  static constexpr std::chrono::seconds kResultResend{30};
  static constexpr std::chrono::seconds kResultSweep{5};
  bool results_wanted_ = true;
  std::int64_t batches_in_writer_ = 0;
  const IntakePipeline* preparer_ = nullptr;
  FrontFailure* failure_ = nullptr;
  Clock::time_point next_registry_;  // when heartbeats() next publishes the registry

  mutable std::mutex registry_mutex_;
  nlohmann::json registry_ = nlohmann::json::array();
};

}  // namespace suqiu::server
