#include "console_session.h"

#include <algorithm>
#include <charconv>
#include <utility>

namespace suqiu::console {

using nlohmann::json;

std::string events_endpoint_for(std::string_view api) {
  const auto colon = api.rfind(':');
  int port = 0;
  if (colon != std::string_view::npos) {
    auto digits = api.substr(colon + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc() || end != digits.data() + digits.size()) port = 0;
  }
  if (port <= 0 || port >= 65535)
    throw std::invalid_argument("cannot tell the events endpoint from '" + std::string(api) +
                                "'; give it with --events");
  return std::string(api.substr(0, colon + 1)) + std::to_string(port + 1);
}

namespace {
protocol::EventSubscriberOptions subscriber_options(const HubAddress& a) {
  protocol::EventSubscriberOptions o;
  o.client_keys = a.api_options.client_keys;
  o.server_public_key = a.api_options.server_public_key;
  return o;
}
}  // namespace

ConsoleSession::ConsoleSession(HubAddress address)
    : address_(std::move(address)),
      api_(context_, address_.api, address_.api_options),
      events_(context_, address_.events, subscriber_options(address_)) {}

ConsoleSession::~ConsoleSession() {
  if (who_) {
    try {
      api_.logout();
    } catch (const std::exception&) {
      // The token expires on its own.
    }
  }
}

std::optional<std::string> ConsoleSession::login(std::string_view user, std::string_view password) {
  auto reply = api_.login(user, password);
  if (!reply.ok) {
    if (reply.code == "E_TIMEOUT") return "the hub at " + address_.api + " does not answer";
    return reply.message.empty() ? reply.code : reply.message;
  }
  SignedIn who;
  who.user = reply.data.value("user", std::string(user));
  who.role = parse_role(reply.data.value("role", "")).value_or(Role::operator_);
  if (auto it = reply.data.find("section"); it != reply.data.end() && it->is_string())
    who.section = it->get<std::string>();
  who_ = std::move(who);
  stale_ = true;
  signed_in_at_ = std::chrono::steady_clock::now();  // the stream may take a moment to connect
  return std::nullopt;
}

const SignedIn& ConsoleSession::who() const {
  if (!who_) throw std::logic_error("not signed in");
  return *who_;
}

void ConsoleSession::logout() {
  if (!who_) return;
  api_.logout();
  who_.reset();
}

std::optional<std::string> ConsoleSession::change_password(std::string_view old_password,
                                                           std::string_view new_password) {
  try {
    request("password.change", {{"old", old_password}, {"new", new_password}});
  } catch (const ApiError& e) {
    return std::string(e.what());
  }
  return std::nullopt;
}

json ConsoleSession::request(std::string_view op, json args) {
  auto reply = api_.request(op, std::move(args));
  if (!reply.ok) {
    if (reply.code == "E_TIMEOUT")
      throw ApiError(reply.code, "the hub at " + address_.api + " did not answer in time");
    throw ApiError(reply.code, reply.message.empty() ? reply.code : reply.message, reply.field);
  }
  return std::move(reply.data);
}

void ConsoleSession::synchronise(std::int64_t seq) {
  events_.synchronise(seq);
  stale_ = false;
}

bool ConsoleSession::changes_pending() {
  while (auto e = events_.next(std::chrono::milliseconds(0))) {
    stale_ = true;
    if (auto id = e->body.find("case_id"); id != e->body.end() && id->is_number_integer())
      changed_.insert(id->get<std::int64_t>());
  }
  if (events_.needs_snapshot()) stale_ = changed_all_ = true;
  return stale_;
}

std::set<std::int64_t> ConsoleSession::take_changed_cases(bool& all) {
  all = changed_all_;
  changed_all_ = false;
  return std::exchange(changed_, {});
}

bool ConsoleSession::ping() {
  // Any answer will do: a restarted hub answers E_TOKEN (sessions do not
  // outlive it), and the next request says so.
  return api_.request("whoami", json::object(), std::chrono::milliseconds(500)).code != "E_TIMEOUT";
}

bool ConsoleSession::hub_heard() const {
  // The hub's heartbeat comes every second; three missed is not a hiccup.
  constexpr auto kSilence = std::chrono::seconds(3);
  const auto last = std::max(events_.last_heard(), signed_in_at_);
  return std::chrono::steady_clock::now() - last < kSilence;
}

}  // namespace suqiu::console
