// The api front (docs/protocol.md §5): a ROUTER where the console and the CLI
// log in and then query cases and act on them. Roles and sections are enforced
// here, in the hub, never only in a client: a liaison's queries are forced to
// their own section and another section's case is E_FORBIDDEN to them;
// protected fields are masked by pipeline/case_views.h before anything leaves.
//
// An actor (STYLE.md, zactor): start() binds and opens the store in the
// actor's own thread and returns after its READY (or throws what went wrong);
// stop() sends $TERM over an inproc pipe. Reads go to the front's own reader
// Store; writes (case actions, audit entries) go through the Writer, whose
// thread owns the one write connection.
//
// LOGIN checks the password (argon2id, libsodium) on a helper thread so that a
// login never holds up other clients; a failed login is answered E_AUTH after
// a short delay from a list the poll loop keeps, with the same answer and
// timing whether the user exists, is disabled, or typed the wrong password.
//
// case.list `total`: exact, from the write-time counters, when the query has at
// most one code filter (status, category, section, source or request_type; a
// liaison's forced section counts as one) and no dates or search words;
// otherwise `offset + items.length`, plus one when a further page exists
// (`total_exact:false` tells the client which it got). Counting matches
// would scan, and the case list must stay interactive at ten million cases.
//
// A liaison's `stats` is their section's count only (`restricted:true`): the
// counters are per dimension, not per section and dimension. The `overdue`
// filter is refused (E_ARG_INVALID) until the store can filter on it.
// Every reply that shows a protected identity in full (case.get, and lists a
// leader reads) is preceded by a `read_protected` audit entry via the Writer;
// case.get withholds attachments together with a masked identity.
//
// Stop the ApiFront before the Writer: a request in progress may be waiting on
// the writer thread.
#pragma once

#include <zmq.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "hub_config.h"
#include "session_table.h"
#include "writer.h"

namespace suqiu::server {

class ApiFront {
 public:
  // The `plugins` op's data: an array of the objects protocol §5.1 names
  // ({plugin, instance, version, sources, connected_at, last_seen, accepted,
  // duplicates, rejected}). Called on the api thread, so it must be thread-safe
  // (copy the registry under its own lock). Until one is set the hub reports
  // no plugins: `[]`.
  using PluginsProvider = std::function<nlohmann::json()>;

  ApiFront(zmq::context_t& context, const HubConfig& config, Writer& writer,
           std::string hub_instance);
  ~ApiFront();  // stops the thread
  ApiFront(const ApiFront&) = delete;
  ApiFront& operator=(const ApiFront&) = delete;

  // Binds config.api (CURVE server with the suqiu ZAP domain when
  // config.server_keys is set; the Hub runs the ZapHandler), opens the reader
  // Store on config.data_dir (the Writer creates the database first), then
  // serves. Throws std::runtime_error when either fails.
  void start();
  void stop();

  // The endpoint actually bound (resolves "tcp://127.0.0.1:*"); "" before start().
  std::string endpoint() const;

  // Any time, from any thread.
  void set_plugins_provider(PluginsProvider provider);
  // Where this front reports that it cannot go on (set before start()).
  void set_failure(FrontFailure* failure) { failure_ = failure; }

  SessionTable& sessions() { return sessions_; }

  // The delay before a failed LOGIN is answered (default 1 s); before start().
  void set_login_failure_delay(std::chrono::milliseconds delay) { failure_delay_ = delay; }

 private:
  class Impl;

  zmq::context_t& context_;
  const HubConfig& config_;
  Writer& writer_;
  std::string hub_instance_;
  SessionTable sessions_;
  std::atomic<std::chrono::milliseconds> failure_delay_{std::chrono::milliseconds(1000)};

  mutable std::mutex mutex_;  // guards endpoint_, pipe_, thread_ (start/stop)
  std::string endpoint_;
  std::mutex plugins_mutex_;  // the api thread reads plugins_ while stop() holds mutex_
  PluginsProvider plugins_;
  FrontFailure* failure_ = nullptr;
  std::unique_ptr<zmq::socket_t> pipe_;  // our end of the actor pipe
  std::thread thread_;
  std::string pipe_endpoint_;

  void run(std::string pipe_endpoint);
  nlohmann::json plugins_data();
};

}  // namespace suqiu::server
