// The console's connection to a hub: the api for login, queries and case
// actions, and the event stream that tells it when what it shows has changed
// (Clone pattern, docs/protocol.md 5.3). wx-free, so that tests drive it
// without a display. A ConsoleSession belongs to the thread that made it (the
// UI thread), which it never blocks: api requests run on the session's
// request thread (request_runner.h), one after another, and complete on the
// UI thread; the event stream is read there without waiting.
#pragma once

#include <zmq.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/codes.h"
#include "protocol/api_client.h"
#include "protocol/event_subscriber.h"
#include "request_runner.h"

namespace suqiu::console {

struct SignedIn {
  std::string user;
  Role role = Role::operator_;
  std::optional<std::string> section;  // a liaison's section
};

struct HubAddress {
  std::string api;     // tcp://host:7451
  std::string events;  // tcp://host:7452
  protocol::ApiClientOptions api_options;  // timeout, CURVE keys off loopback
};

// The events endpoint that goes with an api endpoint when none is given: the
// hub's default layout puts events on the api port + 1 (7451 -> 7452).
std::string events_endpoint_for(std::string_view api_endpoint);

// The api as a job on the request thread sees it.
class HubApi {
 public:
  HubApi(protocol::ApiClient& client, std::string endpoint) : client_(client), endpoint_(std::move(endpoint)) {}
  // The reply's data; throws ApiError.
  nlohmann::json request(std::string_view op, nlohmann::json args = nlohmann::json::object());
  protocol::ApiClient& client() { return client_; }

 private:
  protocol::ApiClient& client_;
  std::string endpoint_;
};

class ConsoleSession {
 public:
  // `post_to_ui` brings a completion to the UI thread (wx: CallAfter).
  ConsoleSession(HubAddress address, PostToUi post_to_ui);
  ~ConsoleSession();  // logs out (a second at most) and stops the request thread

  // Logs in; `done` gets the message to show when the hub refused (or did
  // not answer), nullopt once signed in.
  void login(std::string user, std::string password, std::function<void(std::optional<std::string>)> done);
  bool signed_in() const { return who_.has_value(); }
  const SignedIn& who() const;
  // The signed-in user's own password; `done` gets the reason when the hub
  // refused (the old one wrong, the new one too short).
  void change_password(std::string old_password, std::string new_password,
                       std::function<void(std::optional<std::string>)> done);

  // Runs `work` with the api on the request thread; `done` on the UI thread.
  template <class T>
  void call(std::function<T(HubApi&)> work, std::function<void(Outcome<T>)> done) {
    runner_.run<T>([this, work = std::move(work)] { return work(api()); },
                   alive_.guard([this, done = std::move(done)](Outcome<T> outcome) {
                     api_silent_ = !outcome.ok() && outcome.error().code() == "E_TIMEOUT";
                     done(std::move(outcome));
                   }));
  }
  // One request; `done` gets the reply's data or the ApiError.
  void request(std::string op, nlohmann::json args, std::function<void(Outcome<nlohmann::json>)> done);

  // The last request went unanswered (E_TIMEOUT), whatever the event stream says.
  bool api_silent() const { return api_silent_; }
  // Requests on their way and how long the oldest has waited: a busy window.
  std::size_t requests_in_flight() const { return runner_.in_flight(); }
  std::chrono::steady_clock::duration waiting_for() const { return runner_.waiting_for(); }

  // The list on screen reflects every event up to `seq` (a snapshot's).
  void synchronise(std::int64_t seq);
  // Reads what the event stream has queued, without waiting. True when a case
  // changed since the last synchronise(), or the stream had a gap: what is on
  // screen may be stale and wants a new snapshot.
  bool changes_pending();
  // The cases the events since the last call named; `all` when the stream
  // had a gap (any case may have changed). Empties the set.
  std::set<std::int64_t> take_changed_cases(bool& all);
  // False once the hub has been silent on the event stream (no event, no
  // heartbeat) for a few seconds; call after changes_pending().
  bool hub_heard() const;
  // Asks the hub whether it is there (whoami, half a second at most): for a
  // client that has not heard it. `done` gets true on any answer, E_TOKEN
  // from a restarted hub included.
  void ping(std::function<void(bool)> done);
  const HubAddress& address() const { return address_; }

 private:
  HubApi& api();  // the request thread's, made there on first use

  HubAddress address_;
  zmq::context_t context_{1};
  protocol::EventSubscriber events_;
  std::optional<SignedIn> who_;
  bool stale_ = false;
  std::set<std::int64_t> changed_;
  bool changed_all_ = false;
  bool api_silent_ = false;
  std::chrono::steady_clock::time_point signed_in_at_{};
  // Touched on the request thread only.
  std::unique_ptr<protocol::ApiClient> client_;
  std::unique_ptr<HubApi> api_;
  Lifetime alive_;
  RequestRunner runner_;  // last: stopped before the rest goes
};

}  // namespace suqiu::console
