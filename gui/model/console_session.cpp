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

ApiError error_of(const protocol::Reply& reply, const std::string& endpoint) {
  if (reply.code == "E_TIMEOUT") return ApiError(reply.code, "the hub at " + endpoint + " did not answer in time");
  return ApiError(reply.code, reply.message.empty() ? reply.code : reply.message, reply.field);
}
}  // namespace

json HubApi::request(std::string_view op, json args) {
  auto reply = client_.request(op, std::move(args));
  if (!reply.ok) throw error_of(reply, endpoint_);
  return std::move(reply.data);
}

ConsoleSession::ConsoleSession(HubAddress address, PostToUi post_to_ui)
    : address_(std::move(address)),
      events_(context_, address_.events, subscriber_options(address_)),
      runner_(std::move(post_to_ui), "console-api") {}

ConsoleSession::~ConsoleSession() {
  const bool in = who_.has_value();
  runner_.finish([this, in] {
    if (in && client_) client_->request("logout", json::object(), std::chrono::seconds(1));  // else it expires
    api_.reset();
    client_.reset();  // on the thread that made it
  });
}

HubApi& ConsoleSession::api() {
  if (!api_) {
    client_ = std::make_unique<protocol::ApiClient>(context_, address_.api, address_.api_options);
    api_ = std::make_unique<HubApi>(*client_, address_.api);
  }
  return *api_;
}

void ConsoleSession::login(std::string user, std::string password,
                           std::function<void(std::optional<std::string>)> done) {
  call<SignedIn>(
      [user, password](HubApi& api) {
        auto reply = api.client().login(user, password);
        if (!reply.ok) {
          if (reply.code == "E_TIMEOUT") throw ApiError(reply.code, "the hub at " + api.client().endpoint() + " does not answer");
          throw ApiError(reply.code, reply.message.empty() ? reply.code : reply.message);
        }
        SignedIn who;
        who.user = reply.data.value("user", user);
        who.role = parse_role(reply.data.value("role", "")).value_or(Role::operator_);
        if (auto it = reply.data.find("section"); it != reply.data.end() && it->is_string())
          who.section = it->get<std::string>();
        return who;
      },
      alive_.guard([this, done = std::move(done)](Outcome<SignedIn> outcome) {
        if (!outcome.ok()) return done(std::string(outcome.error().what()));
        who_ = std::move(outcome.value());
        stale_ = true;
        signed_in_at_ = std::chrono::steady_clock::now();  // the stream may take a moment to connect
        done(std::nullopt);
      }));
}

const SignedIn& ConsoleSession::who() const {
  if (!who_) throw std::logic_error("not signed in");
  return *who_;
}

void ConsoleSession::change_password(std::string old_password, std::string new_password,
                                     std::function<void(std::optional<std::string>)> done) {
  request("password.change", {{"old", old_password}, {"new", new_password}},
          [done = std::move(done)](Outcome<json> outcome) {
            if (outcome.ok()) return done(std::nullopt);
            done(std::string(outcome.error().what()));
          });
}

void ConsoleSession::request(std::string op, json args, std::function<void(Outcome<json>)> done) {
  call<json>([op = std::move(op), args = std::move(args)](HubApi& api) { return api.request(op, args); },
             std::move(done));
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

void ConsoleSession::ping(std::function<void(bool)> done) {
  // Any answer will do: a restarted hub answers E_TOKEN (sessions do not
  // outlive it), and the next request says so.
  call<bool>(
      [](HubApi& api) {
        return api.client().request("whoami", json::object(), std::chrono::milliseconds(500)).code != "E_TIMEOUT";
      },
      [this, done = std::move(done)](Outcome<bool> outcome) {
        const bool answered = outcome.ok() && outcome.value();
        api_silent_ = !answered;
        done(answered);
      });
}

bool ConsoleSession::hub_heard() const {
  // The hub's heartbeat comes every second; three missed is not a hiccup.
  constexpr auto kSilence = std::chrono::seconds(3);
  const auto last = std::max(events_.last_heard(), signed_in_at_);
  return std::chrono::steady_clock::now() - last < kSilence;
}

}  // namespace suqiu::console
