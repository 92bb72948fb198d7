// FeedClient: a feed plugin's side of the hub's ingest socket
// (docs/protocol.md section 4). It registers (HELLO/WELCOME), keeps every
// intake in an on-disk Outbox until the hub acks it, pipelines up to `window`
// intakes in flight, resends after a timeout and after every reconnect, replays
// its HELLO when the hub restarted (ERROR E_NOT_REGISTERED, a WELCOME with a new
// hub id, or silence beyond the liveness limit), heartbeats, and hands RESULT
// messages for the upstream platform to a callback, then RESULT_ACKs them.
//
// Threading: no thread of its own. The thread that owns the FeedClient drives
// it by calling submit() and poll()/flush(); the DEALER socket and the outbox's
// SQLite connection never leave that thread. A plugin with several producer
// threads (an HTTP server) hands records to the owning thread (a queue), which
// calls submit() and poll() in its loop. poll() must be called at least every
// heartbeat interval for the hub to see the plugin alive.
//
// Durability: submit() stages the record in the outbox transaction; it is
// durable after the next sync(), poll() or flush(). Confirm receipt to the
// upstream platform only after that.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <zmq.hpp>

#include "protocol/curve_keys.h"
#include "protocol/messages.h"
#include "sdk/outbox.h"

namespace suqiu::sdk {

using Millis = std::chrono::milliseconds;

struct FeedOptions {
  std::string endpoint{"tcp://127.0.0.1:7450"};
  std::string plugin;               // HELLO.plugin, e.g. "12345"
  std::string version{"0.0.0"};     // the plugin's own version
  std::vector<std::string> sources; // source codes it feeds; empty: the plugin name
  std::filesystem::path outbox;     // the SQLite outbox file (":memory:" in tests only)
  Durability durability = Durability::full;

  int window = protocol::kDefaultWindow;  // intakes in flight; WELCOME may lower it
  Millis ack_timeout{10000};              // resend an intake not acked by then
  Millis busy_backoff{500};               // first retry after a transient NACK (doubles)
  Millis heartbeat{protocol::kDefaultHeartbeatMs};  // until WELCOME says otherwise
  int liveness = protocol::kDefaultLiveness;
  Millis reconnect_min{1000};  // back-off after losing the hub, doubling ...
  Millis reconnect_max{32000}; // ... up to this
  std::size_t commit_every = 256;  // staged submits per outbox transaction

  std::optional<protocol::CurveKeyPair> client_keys;  // CURVE, off loopback
  std::string server_public_key;
};

// What became of one intake.
struct IntakeOutcome {
  enum class Kind { accepted, duplicate, rejected };
  Kind kind;
  std::string cid;
  std::int64_t case_id = 0;   // accepted/duplicate
  std::string case_number;
  std::string code;           // rejected
  std::string field;
  std::string reason;
};

// What the plugin did with a RESULT for its upstream.
struct ResultDelivery {
  enum class Outcome { delivered, failed, retry_later };
  Outcome outcome = Outcome::delivered;
  std::string code;    // when failed: why it can never be delivered
  std::string reason;
  static ResultDelivery delivered() { return {}; }
  static ResultDelivery retry_later() { return {Outcome::retry_later, {}, {}}; }
  static ResultDelivery failed(std::string code, std::string reason) {
    return {Outcome::failed, std::move(code), std::move(reason)};
  }
};

struct FeedCounters {
  std::uint64_t submitted = 0;
  std::uint64_t accepted = 0;     // ACK, duplicate:false
  std::uint64_t duplicates = 0;   // ACK, duplicate:true
  std::uint64_t duplicates_after_resend = 0;  // of those, intakes this client sent more than once
  std::uint64_t rejected = 0;     // final NACK, or refused before sending
  std::map<std::string, std::uint64_t> rejected_by_code;
  std::uint64_t resent = 0;       // INTAKE sent again (timeout, reconnect, E_BUSY)
  std::uint64_t transient_nacks = 0;
  std::uint64_t registrations = 0;  // WELCOMEs received
  std::uint64_t hub_restarts = 0;   // WELCOME with a new hub id
  std::uint64_t reconnects = 0;     // socket reopened after the hub went silent
  std::uint64_t results_delivered = 0;
  std::uint64_t results_failed = 0;
};

class FeedClient {
 public:
  enum class State { disconnected, registering, ready };

  using ResultHandler = std::function<ResultDelivery(const protocol::Result&)>;
  using OutcomeHandler = std::function<void(const IntakeOutcome&)>;

  FeedClient(zmq::context_t& context, FeedOptions options);
  ~FeedClient();  // commits the outbox and says BYE; pending intakes stay on disk
  FeedClient(const FeedClient&) = delete;
  FeedClient& operator=(const FeedClient&) = delete;

  // Set before the first poll(): a result handler adds the "result" capability.
  void on_result(ResultHandler handler) { result_handler_ = std::move(handler); }
  void on_outcome(OutcomeHandler handler) { outcome_handler_ = std::move(handler); }

  // Stages an intake record (JSON text) in the outbox and returns its cid.
  // Records over the size limit or not valid UTF-8 are rejected at once
  // (E_TOO_LARGE / E_BAD_UTF8) without reaching the hub.
  std::string submit(std::string_view record_json);
  // Stages a platform notice (protocol §4.6) the same way: kept in the outbox,
  // sent in order after the intakes staged before it, resent until the hub
  // answers; its outcome comes to the outcome handler as an intake's does.
  std::string submit_notice(std::string_view notice_json);
  // Makes every staged submit durable.
  void sync();

  // One turn: commit staged submits (and, within 100 ms, what acks and
  // refusals changed), (re)connect, send what the window allows, wait up to
  // `timeout` for the hub (to the microsecond), handle what came, run the timers.
  void poll(std::chrono::microseconds timeout);
  // Drives poll() until every intake in the outbox is acked (or rejected).
  // True when none is left pending.
  bool flush(Millis timeout);
  bool wait_all_acked(Millis timeout) { return flush(timeout); }

  State state() const { return state_; }
  const std::string& hub_instance() const { return hub_instance_; }
  const std::string& instance() const { return instance_; }
  const FeedCounters& counters() const { return counters_; }
  std::size_t pending() const { return pending_; }   // in the outbox, not yet acked
  std::size_t in_flight() const { return in_flight_.size(); }
  Outbox& outbox() { return outbox_; }

 private:
  using Clock = std::chrono::steady_clock;
  struct InFlight {
    Clock::time_point deadline;
    int attempts = 0;  // sends of this intake, including the current one
  };

  void connect();
  void disconnect(bool reconnect_later);
  void send(const protocol::Message& m);
  void send_hello();
  void fill_window();
  bool send_intake(std::int64_t seq, std::string record, int attempts,
                   MessageKind kind = MessageKind::intake);
  std::string stage(std::string_view body, MessageKind kind);
  void requeue_in_flight();
  void handle(const protocol::Message& m);
  void handle_ack(const protocol::Ack& ack);
  void handle_nack(const protocol::Nack& nack);
  void handle_result(const protocol::Result& result);
  void handle_error(const protocol::Error& error);
  void run_timers();
  void receive_all();
  Clock::time_point next_timer() const;
  int attempts_of(std::int64_t seq) const;

  zmq::context_t& context_;
  FeedOptions options_;
  Outbox outbox_;
  std::unique_ptr<zmq::socket_t> socket_;
  State state_ = State::disconnected;
  std::string instance_;
  std::string hub_instance_;

  Millis heartbeat_;
  int liveness_;
  int window_;
  Millis reconnect_delay_;
  Clock::time_point reconnect_at_{};
  Clock::time_point last_sent_{};
  Clock::time_point last_heard_{};
  Clock::time_point hello_sent_{};

  void sync_if_due();

  std::map<std::int64_t, InFlight> in_flight_;         // by seq
  std::multimap<Clock::time_point, std::int64_t> retry_;  // seqs waiting to be resent
  std::unordered_map<std::int64_t, int> attempts_;     // sends so far, for seqs in retry_
  std::int64_t cursor_ = 0;                            // highest seq ever taken for a first send
  std::size_t pending_ = 0;
  std::size_t staged_ = 0;
  Clock::time_point last_sync_ = Clock::now();

  ResultHandler result_handler_;
  OutcomeHandler outcome_handler_;
  FeedCounters counters_;
};

}  // namespace suqiu::sdk
