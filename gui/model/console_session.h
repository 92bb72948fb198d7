// The console's connection to a hub: the api for login, queries and case
// actions, and the event stream that tells it when what it shows has changed
// (Clone pattern, docs/protocol.md 5.3). wx-free, so that tests drive it
// without a display. A ConsoleSession belongs to the thread that made it (the
// GUI thread); nothing here blocks longer than the api timeout.
#pragma once

#include <zmq.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/codes.h"
#include "protocol/api_client.h"
#include "protocol/event_subscriber.h"

namespace suqiu::console {

// A refusal from the hub (or E_TIMEOUT when it did not answer), with its code
// and, for a bad argument, the field; what() is the hub's message.
class ApiError : public std::runtime_error {
 public:
  ApiError(std::string code, std::string message, std::string field = {})
      : std::runtime_error(std::move(message)), code_(std::move(code)), field_(std::move(field)) {}
  const std::string& code() const { return code_; }
  const std::string& field() const { return field_; }

 private:
  std::string code_, field_;
};

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

class ConsoleSession {
 public:
  explicit ConsoleSession(HubAddress address);
  ~ConsoleSession();

  // Logs in. Returns the message to show when the hub refused (or did not answer).
  std::optional<std::string> login(std::string_view user, std::string_view password);
  bool signed_in() const { return who_.has_value(); }
  const SignedIn& who() const;
  void logout();
  // The signed-in user's own password; the reason when the hub refused
  // (the old one wrong, the new one too short).
  std::optional<std::string> change_password(std::string_view old_password, std::string_view new_password);

  // The reply's data; throws ApiError.
  nlohmann::json request(std::string_view op, nlohmann::json args = nlohmann::json::object());

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
  // client that has not heard it, without freezing on a full timeout. True on
  // any answer, E_TOKEN from a restarted hub included.
  bool ping();
  const HubAddress& address() const { return address_; }

 private:
  HubAddress address_;
  zmq::context_t context_{1};
  protocol::ApiClient api_;
  protocol::EventSubscriber events_;
  std::optional<SignedIn> who_;
  bool stale_ = false;
  std::set<std::int64_t> changed_;
  bool changed_all_ = false;
  std::chrono::steady_clock::time_point signed_in_at_{};
};

}  // namespace suqiu::console
