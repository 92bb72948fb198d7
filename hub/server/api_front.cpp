#include "api_front.h"

#include <pthread.h>

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <optional>
#include <set>

#include "classify/normalizer.h"
#include "core/lifecycle.h"
#include "pipeline/case_views.h"
#include "protocol/codec.h"
#include "protocol/curve_keys.h"
#include "protocol/sockets.h"
#include "protocol/wire_codes.h"
#include "store/passwords.h"
#include "store/store.h"

namespace suqiu::server {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
namespace code = protocol::code;
using SteadyClock = std::chrono::steady_clock;

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 500;
// Several codes in one filter are answered by merging one query per code; each
// of those reads offset + limit rows, so the page must stay near the top.
constexpr int kMaxMergedRows = 1000;
constexpr std::size_t kMaxCodesPerQuery = 32;  // product of the filters' code lists
constexpr std::size_t kMaxPendingLogins = 64;  // beyond this LOGIN gets E_BUSY
constexpr std::size_t kMaxNameBytes = 64;
constexpr std::size_t kMaxPasswordBytes = 1024;
constexpr auto kSessionSweep = 60s;

// A request argument that cannot be used: becomes a failure REPLY.
struct ArgError {
  std::string_view code;
  std::string message;
  std::string field;
};

std::string instance_tag(const void* p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%p", p);
  return buf;
}

// ---- argument parsing --------------------------------------------------------

std::optional<std::vector<std::string>> codes_arg(const json& args, const char* key) {
  auto it = args.find(key);
  if (it == args.end() || it->is_null()) return std::nullopt;
  std::vector<std::string> out;
  auto take = [&](const json& v) {
    if (!v.is_string() || v.get_ref<const std::string&>().empty() || v.get_ref<const std::string&>().size() > 64)
      throw ArgError{code::arg_invalid, std::string(key) + " must be a code or a list of codes", key};
    out.push_back(v.get<std::string>());
  };
  if (it->is_array()) {
    if (it->empty() || it->size() > kMaxCodesPerQuery)
      throw ArgError{code::arg_invalid, std::string(key) + " must list 1 to 32 codes", key};
    for (const auto& v : *it) take(v);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  } else {
    take(*it);
  }
  return out;
}

int int_arg(const json& args, const char* key, int fallback, int lo, int hi) {
  auto it = args.find(key);
  if (it == args.end() || it->is_null()) return fallback;
  if (!it->is_number_integer() || *it < lo || *it > hi)
    throw ArgError{code::arg_invalid,
                   std::string(key) + " must be a whole number from " + std::to_string(lo) + " to " +
                       std::to_string(hi),
                   key};
  return it->get<int>();
}

std::int64_t case_id_arg(const json& args) {
  auto it = args.find("case_id");
  if (it == args.end() || it->is_null()) throw ArgError{code::arg_missing, "case_id is missing", "case_id"};
  if (!it->is_number_integer() || *it < 1)
    throw ArgError{code::arg_invalid, "case_id must be a positive whole number", "case_id"};
  return it->get<std::int64_t>();
}

// "2026-11-26" (a whole local day) or an RFC 3339 instant. `end` makes a day
// inclusive: the range ends at the start of the next day.
std::optional<std::int64_t> time_arg(const json& args, const char* key, bool end) {
  auto it = args.find(key);
  if (it == args.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) {
    const auto& s = it->get_ref<const std::string&>();
    if (auto d = parse_date(s)) {
      auto day = end ? std::chrono::year_month_day{std::chrono::sys_days{*d} + std::chrono::days{1}} : *d;
      return Timestamp::from_local(day, 0).epoch;
    }
    if (auto t = Timestamp::parse(s)) return t->epoch;
  }
  throw ArgError{code::arg_invalid, std::string(key) + " must be a date (2026-11-26) or an RFC 3339 time", key};
}

std::optional<std::chrono::year_month_day> day_arg(const json& args, const char* key, bool end) {
  auto it = args.find(key);
  if (it == args.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) {
    std::string_view s = it->get_ref<const std::string&>();
    if (s.size() > 10 && s[10] == 'T') {  // an RFC 3339 time: its local day
      if (auto t = Timestamp::parse(s)) {
        auto d = t->in_offset(kBeijingOffsetMinutes).local_date();
        return end ? std::chrono::year_month_day{std::chrono::sys_days{d} + std::chrono::days{1}} : d;
      }
    } else if (auto d = parse_date(s)) {
      return end ? std::chrono::year_month_day{std::chrono::sys_days{*d} + std::chrono::days{1}} : *d;
    }
  }
  throw ArgError{code::arg_invalid, std::string(key) + " must be a date like 2026-11-26", key};
}

// A case-list query as the store can run it: one CaseFilter per combination of
// the requested codes (usually exactly one).
struct CaseQuery {
  std::vector<store::CaseFilter> filters;
  int limit = kDefaultLimit;
  int offset = 0;
  bool exact_total = false;       // the counters can answer `total`
  // A period of whole days ("2026-11-01"), which the daily counters can total.
  std::optional<std::chrono::year_month_day> count_from, count_to;
  std::string count_dim;          // "" = all cases
  std::vector<std::string> count_codes;
};

constexpr std::array kCodeFilters = {"status", "category", "section", "source", "request_type"};

std::optional<std::string> store::CaseFilter::*filter_member(std::string_view key) {
  if (key == "status") return &store::CaseFilter::status;
  if (key == "category") return &store::CaseFilter::category;
  if (key == "section") return &store::CaseFilter::section;
  if (key == "source") return &store::CaseFilter::source;
  return &store::CaseFilter::request_type;
}

CaseQuery parse_query(const json& args, const Viewer& viewer, const HubConfig& config,
                      std::optional<std::string> text) {
  CaseQuery q;
  q.limit = int_arg(args, "limit", kDefaultLimit, 1, kMaxLimit);
  q.offset = int_arg(args, "offset", 0, 0, 100'000'000);
  auto flag = [&](const char* key) {
    auto it = args.find(key);
    if (it == args.end() || it->is_null()) return false;
    if (!it->is_boolean()) throw ArgError{code::arg_invalid, std::string(key) + " must be true or false", key};
    return it->get<bool>();
  };
  const bool overdue = flag("overdue"), awaiting_callback = flag("awaiting_callback");

  std::map<std::string, std::vector<std::string>> codes;
  for (const char* key : kCodeFilters)
    if (auto c = codes_arg(args, key)) codes[key] = std::move(*c);
  for (const auto& s : codes["status"])
    if (!parse_case_status(s)) throw ArgError{code::arg_invalid, "unknown status " + s, "status"};
  for (const auto& s : codes["request_type"])
    if (!parse_request_type(s)) throw ArgError{code::arg_invalid, "unknown request type " + s, "request_type"};
  for (const auto& s : codes["category"])
    if (!config.pipeline.taxonomy.category(s)) throw ArgError{code::arg_invalid, "unknown category " + s, "category"};
  for (const auto& s : codes["section"])
    if (!config.pipeline.taxonomy.section(s)) throw ArgError{code::arg_invalid, "unknown section " + s, "section"};
  std::erase_if(codes, [](const auto& kv) { return kv.second.empty(); });

  // A liaison sees their own section, whatever was asked.
  if (viewer.role == Role::liaison) {
    if (!viewer.section) throw ArgError{code::forbidden, "this liaison has no section", ""};
    codes["section"] = {*viewer.section};
  }

  store::CaseFilter base;
  base.received_from_ts = time_arg(args, "from", false);
  base.received_to_ts = time_arg(args, "to", true);
  base.text = std::move(text);
  if (overdue) base.overdue_at = Timestamp::now().epoch;
  base.awaiting_callback = awaiting_callback;

  std::vector<store::CaseFilter> filters{base};
  for (const auto& [key, values] : codes) {
    std::vector<store::CaseFilter> next;
    for (const auto& f : filters)
      for (const auto& v : values) {
        auto g = f;
        g.*filter_member(key) = v;
        next.push_back(std::move(g));
      }
    filters = std::move(next);
    if (filters.size() > kMaxCodesPerQuery)
      throw ArgError{code::arg_invalid, "too many combinations of codes in one query", key};
  }
  if (filters.size() > 1 && q.offset + q.limit + 1 > kMaxMergedRows)
    throw ArgError{code::arg_invalid,
                   "with several codes per filter, offset + limit must stay below " +
                       std::to_string(kMaxMergedRows),
                   "offset"};
  q.filters = std::move(filters);
  // The counters are kept per day of receipt: a period of whole dates is
  // exact, one bounded by a time of day is not.
  auto whole_day = [&](const char* key, bool end) -> std::optional<std::chrono::year_month_day> {
    auto it = args.find(key);
    if (it == args.end() || it->is_null() || !it->is_string() || !parse_date(it->get<std::string>()))
      return std::nullopt;
    return day_arg(args, key, end);
  };
  q.count_from = whole_day("from", false);
  q.count_to = whole_day("to", true);
  const bool whole_days = base.received_from_ts.has_value() == q.count_from.has_value() &&
                          base.received_to_ts.has_value() == q.count_to.has_value();
  q.exact_total = codes.size() <= 1 && whole_days && !base.text && !overdue && !awaiting_callback;
  if (q.exact_total && !codes.empty()) {
    q.count_dim = codes.begin()->first;
    q.count_codes = codes.begin()->second;
  }
  return q;
}

// ---- case JSON: the protocol's fields on top of case_views' masked shapes ----

bool open_status(const std::string& status) {
  auto s = parse_case_status(status);
  return s && is_open(*s);
}

void add_protocol_fields(json& j, const store::CaseSummary& c) {
  j["case_number"] = c.case_no;
  j["overdue"] = open_status(c.status) && c.deadline_ts < Timestamp::now().epoch;
  j["escalation"] = c.escalation;
  j["extension_days"] = c.extension_days ? json(*c.extension_days) : json(nullptr);
}

json case_json(const store::CaseSummary& c, const Viewer& viewer) {
  json j = summary_json(c, viewer);
  add_protocol_fields(j, c);
  return j;
}

// True when `j` (from case_views) shows a protected identity in full: such a
// read is audited.
bool shows_protected_identity(const json& j, const Viewer& viewer, const store::CaseSummary& c,
                              std::string_view taken_by) {
  return j.value("identity_protected", false) && may_see_identity(viewer, c, taken_by);
}

// {case, history} of protocol §5.1 from detail_json.
json detail_reply(const store::CaseDetail& d, const Viewer& viewer, bool& saw_protected) {
  json c = detail_json(d, viewer);
  add_protocol_fields(c, d.summary);
  saw_protected = shows_protected_identity(c, viewer, d.summary, d.taken_by);
  json views = c.contains("history") ? c["history"] : json::array();
  c.erase("history");
  c["assist"] = c.value("assisting", json::array());
  const json record = json::parse(d.record_json, nullptr, false);
  c["location"] = {{"address", d.address},
                   {"lat", d.lat ? json(*d.lat) : json(nullptr)},
                   {"lon", d.lon ? json(*d.lon) : json(nullptr)}};
  // A recording or a letter scan identifies a whistle-blower as surely as the
  // name: withheld together with it.
  const bool masked = c.value("identity_protected", false) && !saw_protected;
  c["attachments"] = !masked && record.is_object() && record.contains("attachments") &&
                             record["attachments"].is_array()
                         ? record["attachments"]
                         : json::array();
  if (masked) c["attachments_withheld"] = true;
  c["result"] = nullptr;
  c["reply"] = nullptr;

  json history = json::array();
  for (std::size_t i = 0; i < d.history.size(); ++i) {
    const auto& e = d.history[i];
    json entry = i < views.size() ? views[i] : json::object();
    json data = json::parse(e.detail, nullptr, false);
    if (data.is_discarded() || !data.is_object()) data = json::object();
    entry["seq"] = e.id;
    entry["note"] = data.contains("note") ? data["note"] : json(nullptr);
    entry["data"] = data;
    if (e.action == "reply" || e.action == "close_directly") {
      c["result"] = data.contains("result") ? data["result"] : json(nullptr);
      c["reply"] = data.contains("reply") ? data["reply"] : json(nullptr);
    }
    history.push_back(std::move(entry));
  }
  return {{"case", std::move(c)}, {"history", std::move(history)}};
}

json restricted_statistics(const store::Statistics& s, const std::string& section) {
  // The counters are kept per dimension, not per section and dimension, so a
  // liaison gets their section's count and nothing about the others.
  store::Statistics own;
  auto it = s.by_section.find(section);
  own.total = it == s.by_section.end() ? 0 : it->second;
  own.by_section[section] = own.total;
  json j = statistics_json(own);
  j["section"] = section;
  j["restricted"] = true;
  return j;
}

// ---- the password checker: argon2id off the poll loop ------------------------

struct LoginJob {
  std::string peer, cid, user;
  std::optional<store::UserRecord> record;
  std::string password;
  SteadyClock::time_point arrived;
  // A signed-in user changing their password: `password` is the old one,
  // checked as a login's, then this one is stored.
  std::optional<std::string> new_password;
};

struct LoginVerdict {
  std::string peer, cid, user;
  std::optional<Viewer> viewer;  // set when the (old) password was right
  SteadyClock::time_point arrived;
  bool password_change = false;
  std::string change_refused;  // the old password was right, the new one is not taken
};

class LoginChecker {
 public:
  LoginChecker(zmq::context_t& context, std::string wake_endpoint, Writer& writer)
      : context_(context), wake_endpoint_(std::move(wake_endpoint)), writer_(writer) {
    thread_ = std::thread([this] { run(); });
  }
  ~LoginChecker() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
    for (auto& j : jobs_) sodium_memzero(j.password.data(), j.password.size());
  }

  bool submit(LoginJob job) {
    {
      std::lock_guard lock(mutex_);
      if (jobs_.size() >= kMaxPendingLogins) return false;
      jobs_.push_back(std::move(job));
    }
    cv_.notify_one();
    return true;
  }

  std::vector<LoginVerdict> take() {
    std::lock_guard lock(mutex_);
    std::vector<LoginVerdict> out(std::make_move_iterator(done_.begin()),
                                  std::make_move_iterator(done_.end()));
    done_.clear();
    return out;
  }

 private:
  void run() {
    pthread_setname_np(pthread_self(), "hub-login");
    zmq::socket_t wake(context_, zmq::socket_type::push);
    wake.set(zmq::sockopt::linger, 0);
    wake.connect(wake_endpoint_);
    // Unknown users are checked against this hash, so that their answer takes
    // as long as a wrong password does.
    std::string dummy = make_dummy_hash();
    for (;;) {
      LoginJob job;
      {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
        if (stop_) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      LoginVerdict v{job.peer, job.cid, job.user, std::nullopt, job.arrived};
      const std::string& hash = job.record ? job.record->password_hash : dummy;
      const bool password_ok =
          !hash.empty() &&
          crypto_pwhash_str_verify(hash.c_str(), job.password.data(), job.password.size()) == 0;
      sodium_memzero(job.password.data(), job.password.size());
      std::string why;
      if (!job.record) why = "unknown user";
      else if (!password_ok) why = "wrong password";
      else if (job.record->disabled) why = "user disabled";
      else if (auto role = parse_role(job.record->role); !role) why = "unknown role " + job.record->role;
      else if (*role == Role::liaison && !job.record->section) why = "liaison without a section";
      else v.viewer = Viewer{job.record->name, *role, job.record->section};
      if (job.new_password) {
        v.password_change = true;
        if (v.viewer) change_password(v, *job.new_password);
        sodium_memzero(job.new_password->data(), job.new_password->size());
        if (!v.viewer) audit_failed_change(v, why);
      } else {
        audit(v, why);
      }
      {
        std::lock_guard lock(mutex_);
        done_.push_back(std::move(v));
      }
      // A lost wake-up only delays the answer to the next poll round.
      try {
        (void)wake.send(zmq::message_t(), zmq::send_flags::dontwait);
      } catch (const zmq::error_t&) {
        return;  // the context was shut down: the api front is gone
      }
    }
  }

  // On this thread, as the check before it: argon2id takes its time.
  void change_password(LoginVerdict& v, const std::string& password) {
    if (password.size() < store::kMinPasswordLength || password.size() > kMaxPasswordBytes) {
      v.change_refused = "the new password must be 8 to " + std::to_string(kMaxPasswordBytes) + " bytes";
      return;
    }
    try {
      const std::string hash = store::hash_password(password);
      writer_.run([&](store::Store& s) { s.set_password(v.user, hash, v.user); });
      spdlog::info("api: {} changed their password", v.user);
    } catch (const std::exception& e) {
      v.change_refused = std::string("the password could not be stored: ") + e.what();
    }
  }

  void audit_failed_change(const LoginVerdict& v, const std::string& why) {
    spdlog::info("api: password change refused for '{}': {}", v.user, why);
    try {
      writer_.run([&](store::Store& s) {
        s.audit({v.user, "password_change_failed", std::nullopt, json{{"reason", why}}.dump()});
      });
    } catch (const std::exception& e) {
      spdlog::error("api: could not audit the password change of '{}': {}", v.user, e.what());
    }
  }

  static std::string make_dummy_hash() {
    unsigned char secret[32];
    randombytes_buf(secret, sizeof secret);
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(hash, reinterpret_cast<const char*>(secret), sizeof secret,
                              crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
      spdlog::warn("api: no memory for the reference password hash; unknown users answer faster");
      return {};
    }
    return hash;
  }

  void audit(const LoginVerdict& v, const std::string& why) {
    store::AuditEntry entry;
    entry.actor = v.user;
    if (v.viewer) {
      entry.action = "login";
      entry.detail = json{{"role", to_code(v.viewer->role)},
                          {"section", v.viewer->section ? json(*v.viewer->section) : json(nullptr)}}
                         .dump();
    } else {
      entry.action = "login_failed";
      entry.detail = json{{"reason", why}}.dump();
      spdlog::info("api: login refused for '{}': {}", v.user, why);
    }
    try {
      writer_.run([&](store::Store& s) { s.audit(entry); });
    } catch (const std::exception& e) {
      spdlog::error("api: could not audit the {} of '{}': {}", entry.action, v.user, e.what());
    }
  }

  zmq::context_t& context_;
  std::string wake_endpoint_;
  Writer& writer_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::deque<LoginJob> jobs_;
  std::deque<LoginVerdict> done_;
  std::thread thread_;
};

// ---- the server loop ---------------------------------------------------------

struct DelayedReply {
  SteadyClock::time_point due;
  std::string peer;
  protocol::Frames frames;
};

class ApiServer {
 public:
  ApiServer(zmq::socket_t& api, store::Store& store, SessionTable& sessions, Writer& writer,
            const HubConfig& config, const std::string& hub_instance,
            std::function<json()> plugins, std::chrono::milliseconds failure_delay)
      : api_(api),
        store_(store),
        sessions_(sessions),
        writer_(writer),
        config_(config),
        hub_instance_(hub_instance),
        plugins_(std::move(plugins)),
        failure_delay_(failure_delay) {}

  void serve(zmq::socket_t& pipe, zmq::socket_t& wake, LoginChecker& checker) {
    checker_ = &checker;
    auto next_sweep = SteadyClock::now() + kSessionSweep;
    for (;;) {
      auto now = SteadyClock::now();
      auto wait = next_sweep - now;
      if (!delayed_.empty()) wait = std::min<SteadyClock::duration>(wait, delayed_.front().due - now);
      auto timeout = std::max(1ms, std::chrono::ceil<std::chrono::milliseconds>(wait));
      zmq::pollitem_t items[] = {{pipe.handle(), 0, ZMQ_POLLIN, 0},
                                 {api_.handle(), 0, ZMQ_POLLIN, 0},
                                 {wake.handle(), 0, ZMQ_POLLIN, 0}};
      zmq::poll(items, 3, timeout);
      if (items[0].revents & ZMQ_POLLIN) {
        auto cmd = protocol::recv_frames(pipe, zmq::recv_flags::dontwait);
        if (cmd && !cmd->empty() && cmd->front() == "$TERM") return;
      }
      if (items[2].revents & ZMQ_POLLIN) {
        zmq::message_t m;
        while (wake.recv(m, zmq::recv_flags::dontwait)) {
        }
        for (auto& v : checker.take()) finish_login(std::move(v));
      }
      if (items[1].revents & ZMQ_POLLIN) {
        // Up to a batch per round, so $TERM and due replies are not starved.
        for (int i = 0; i < 256; ++i) {
          auto in = protocol::recv_frames(api_, zmq::recv_flags::dontwait);
          if (!in) break;
          handle(std::move(*in));
        }
      }
      now = SteadyClock::now();
      while (!delayed_.empty() && delayed_.front().due <= now) {
        send(delayed_.front().peer, delayed_.front().frames);
        delayed_.pop_front();
      }
      if (now >= next_sweep) {
        if (auto n = sessions_.expire(); n > 0) spdlog::info("api: {} idle sessions expired", n);
        next_sweep = now + kSessionSweep;
      }
    }
  }

 private:
  void send(const std::string& peer, const protocol::Frames& frames) {
    // A peer that left, or one that does not read its replies (full queue), is
    // not waited for: the reply is dropped; a client times out and asks again.
    if (!protocol::send_routed(api_, peer, frames, zmq::send_flags::dontwait))
      spdlog::debug("api: reply to a peer that is gone or not reading dropped");
  }
  void reply(const std::string& peer, const protocol::Reply& r) { send(peer, protocol::encode(r)); }

  void handle(protocol::Frames in) {
    if (in.empty()) return;
    const std::string peer = std::move(in.front());
    in.erase(in.begin());
    auto decoded = protocol::decode(in);
    if (auto* e = std::get_if<protocol::DecodeError>(&decoded)) {
      spdlog::info("api: rejected input ({} {}): {}", e->code, e->field, e->reason);
      send(peer, protocol::encode(protocol::Error{e->code, e->reason, e->cid}));
      return;
    }
    auto& message = std::get<protocol::Message>(decoded);
    if (auto* login = std::get_if<protocol::Login>(&message)) {
      start_login(peer, std::move(*login));
    } else if (auto* request = std::get_if<protocol::Request>(&message)) {
      if (request->op == "password.change")
        start_password_change(peer, std::move(*request));
      else
        reply(peer, answer(*request));
    } else {
      std::string type(protocol::type_name(message));
      spdlog::info("api: rejected input (E_PROTOCOL): {} on the api socket", type);
      send(peer, protocol::encode(protocol::Error{std::string(code::protocol),
                                                  type + " is not a message of the api socket", ""}));
    }
  }

  // ---- LOGIN ----
  void start_login(const std::string& peer, protocol::Login login) {
    const auto arrived = SteadyClock::now();
    std::optional<store::UserRecord> record;
    if (!login.user.empty() && login.user.size() <= kMaxNameBytes &&
        login.password.size() <= kMaxPasswordBytes) {
      try {
        record = store_.user(login.user);
      } catch (const std::exception& e) {
        spdlog::error("api: user lookup failed: {}", e.what());
        reply(peer, protocol::Reply::failure(login.cid, code::internal, "the user store failed"));
        return;
      }
    } else {
      login.password.clear();  // checked against the dummy hash all the same
    }
    LoginJob job{peer, login.cid, login.user.substr(0, kMaxNameBytes), std::move(record),
                 std::move(login.password), arrived};
    if (!checker_->submit(std::move(job)))
      reply(peer, protocol::Reply::failure(login.cid, code::busy, "too many logins at once; try again"));
  }

  // password.change {old, new}: the old password is checked as a login's,
  // off this loop, and a wrong one answered E_AUTH after the same delay.
  void start_password_change(const std::string& peer, protocol::Request r) {
    using protocol::Reply;
    auto viewer = sessions_.touch(r.token);
    if (!viewer) return reply(peer, Reply::failure(r.cid, code::token, "unknown or expired token: log in again"));
    auto text = [&](const char* key) -> std::optional<std::string> {
      auto it = r.args.find(key);
      if (it == r.args.end() || !it->is_string()) return std::nullopt;
      return it->get<std::string>();
    };
    auto old_password = text("old"), new_password = text("new");
    if (!old_password) return reply(peer, Reply::failure(r.cid, code::arg_missing, "old (the current password) is missing", "old"));
    if (!new_password) return reply(peer, Reply::failure(r.cid, code::arg_missing, "new (the new password) is missing", "new"));
    std::optional<store::UserRecord> record;
    try {
      record = store_.user(viewer->name);
    } catch (const std::exception& e) {
      return reply(peer, Reply::failure(r.cid, code::internal, "the user store failed"));
    }
    if (old_password->size() > kMaxPasswordBytes) old_password->clear();
    LoginJob job{peer, r.cid, viewer->name, std::move(record), std::move(*old_password), SteadyClock::now(),
                 std::move(*new_password)};
    if (!checker_->submit(std::move(job)))
      reply(peer, Reply::failure(r.cid, code::busy, "too many logins at once; try again"));
  }

  void finish_login(LoginVerdict v) {
    if (v.password_change && v.viewer) {
      reply(v.peer, v.change_refused.empty()
                        ? protocol::Reply::success(v.cid, json::object())
                        : protocol::Reply::failure(v.cid, code::arg_invalid, v.change_refused, "new"));
      return;
    }
    if (!v.viewer) {
      // Same answer, same delay, whatever went wrong.
      auto due = v.arrived + failure_delay_;
      auto frames = protocol::encode(
          protocol::Reply::failure(v.cid, code::auth, "wrong user name or password"));
      // Delays are equal, so arrival order is due order.
      delayed_.push_back({due, std::move(v.peer), std::move(frames)});
      return;
    }
    auto opened = sessions_.open(*v.viewer);
    const auto epoch = std::chrono::duration_cast<std::chrono::seconds>(
                           opened.expires_at.time_since_epoch())
                           .count();
    spdlog::info("api: {} logged in ({})", v.viewer->name, to_code(v.viewer->role));
    reply(v.peer, protocol::Reply::success(
                      v.cid, {{"token", opened.token},
                              {"user", v.viewer->name},
                              {"role", to_code(v.viewer->role)},
                              {"section", v.viewer->section ? json(*v.viewer->section) : json(nullptr)},
                              {"expires_at", Timestamp{epoch}.to_string()}}));
  }

  // ---- REQUEST ----
  protocol::Reply answer(const protocol::Request& r) {
    using protocol::Reply;
    if (r.token.empty()) return Reply::failure(r.cid, code::token, "log in first");
    auto viewer = sessions_.touch(r.token);
    if (!viewer) return Reply::failure(r.cid, code::token, "unknown or expired token: log in again");
    const json& args = r.args;
    try {
      // A user disabled (or removed) since signing in is out at once, not when
      // the session would have expired: one indexed read per request.
      if (auto user = store_.user(viewer->name); !user || user->disabled) {
        sessions_.close(r.token);
        spdlog::info("api: {} is disabled; session ended", viewer->name);
        return Reply::failure(r.cid, code::token, "this user is disabled");
      }
      if (r.op == "whoami") return Reply::success(r.cid, whoami(*viewer));
      if (r.op == "logout") {
        sessions_.close(r.token);
        return Reply::success(r.cid, json::object());
      }
      if (r.op == "case.list") return Reply::success(r.cid, list(*viewer, args, std::nullopt, r.op));
      if (r.op == "case.search") return Reply::success(r.cid, list(*viewer, args, search_text(args), r.op));
      if (r.op == "case.get") return case_get(r.cid, *viewer, args);
      if (r.op == "stats") return Reply::success(r.cid, stats(*viewer, args));
      if (r.op == "snapshot") return Reply::success(r.cid, snapshot(*viewer, args));
      if (r.op == "case.action") return case_action(r.cid, *viewer, args);
      if (r.op == "case.create") return case_create(r.cid, *viewer, args);
      if (r.op == "plugins") return Reply::success(r.cid, plugins_list(*viewer));
      return Reply::failure(r.cid, code::unknown_op, "unknown op '" + r.op + "'", "op");
    } catch (const ArgError& e) {
      return Reply::failure(r.cid, e.code, e.message, e.field);
    } catch (const store::StoreError& e) {
      // The store failed (here or on the writer): nothing was changed, and it
      // is not the user's mistake. A full disk or an I/O error may pass.
      spdlog::error("api: {} by {} failed: {}", r.op, viewer->name, e.what());
      if (store::is_transient(e))
        return Reply::failure(r.cid, code::unavailable, "the store cannot take this just now; try again");
      return Reply::failure(r.cid, code::internal, "the store failed");
    } catch (const std::exception& e) {
      spdlog::error("api: {} failed: {}", r.op, e.what());
      return Reply::failure(r.cid, code::internal, "internal error");
    }
  }

  static json whoami(const Viewer& v) {
    return {{"user", v.name},
            {"role", to_code(v.role)},
            {"section", v.section ? json(*v.section) : json(nullptr)}};
  }

  static std::string search_text(const json& args) {
    auto it = args.find("q");
    if (it == args.end() || it->is_null()) throw ArgError{code::arg_missing, "q (the words to search) is missing", "q"};
    if (!it->is_string()) throw ArgError{code::arg_invalid, "q must be text", "q"};
    std::string text = classify::normalise(it->get_ref<const std::string&>());
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
      throw ArgError{code::arg_invalid, "q has no words to search for", "q"};
    return text;
  }

  // Runs the query; `items` are masked for `viewer`. Audits the protected
  // identities the viewer was shown in full.
  json run_query(const Viewer& viewer, const CaseQuery& q, const std::string& op) {
    std::vector<store::CaseSummary> rows;
    if (q.filters.size() == 1) {
      auto f = q.filters.front();
      f.limit = q.limit + 1;  // one more tells whether a next page exists
      f.offset = q.offset;
      rows = store_.list_cases(f);
    } else {
      for (auto f : q.filters) {
        f.limit = q.offset + q.limit + 1;
        f.offset = 0;
        auto part = store_.list_cases(f);
        rows.insert(rows.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
      }
      // The store's orders: newest full-text row first, else newest received.
      const bool by_id = q.filters.front().text.has_value();
      std::sort(rows.begin(), rows.end(), [by_id](const auto& a, const auto& b) {
        if (by_id) return a.id > b.id;
        return a.received_ts != b.received_ts ? a.received_ts > b.received_ts : a.id > b.id;
      });
      rows.erase(rows.begin(), rows.begin() + std::min<std::size_t>(rows.size(), q.offset));
    }
    const bool more = rows.size() > static_cast<std::size_t>(q.limit);
    if (more) rows.resize(q.limit);

    json items = json::array();
    json shown = json::array();
    for (const auto& c : rows) {
      json j = case_json(c, viewer);
      if (shows_protected_identity(j, viewer, c, {})) shown.push_back(c.id);
      items.push_back(std::move(j));
    }
    std::int64_t total = q.offset + static_cast<std::int64_t>(rows.size()) + (more ? 1 : 0);
    if (q.exact_total) {
      auto s = store_.statistics(q.count_from, q.count_to);
      if (q.count_dim.empty()) {
        total = s.total;
      } else {
        const auto& counts = q.count_dim == "status"     ? s.by_status
                             : q.count_dim == "category" ? s.by_category
                             : q.count_dim == "section"  ? s.by_section
                             : q.count_dim == "source"   ? s.by_source
                                                         : s.by_request_type;
        total = 0;
        for (const auto& c : q.count_codes)
          if (auto it = counts.find(c); it != counts.end()) total += it->second;
      }
    }
    if (!shown.empty())
      audit({viewer.name, "read_protected", std::nullopt, json{{"op", op}, {"cases", shown}}.dump()});
    return {{"total", total}, {"total_exact", q.exact_total}, {"items", std::move(items)}, {"offset", q.offset}};
  }

  json list(const Viewer& viewer, const json& args, std::optional<std::string> text, const std::string& op) {
    return run_query(viewer, parse_query(args, viewer, config_, std::move(text)), op);
  }

  json snapshot(const Viewer& viewer, const json& args) {
    auto q = parse_query(args, viewer, config_, std::nullopt);
    return store_.read_snapshot([&] {
      json data = run_query(viewer, q, "snapshot");
      data["seq"] = store_.last_sequence();
      data["hub"] = hub_instance_;
      return data;
    });
  }

  protocol::Reply case_get(const std::string& cid, const Viewer& viewer, const json& args) {
    const auto id = case_id_arg(args);
    auto d = store_.case_detail(id);
    if (!d) return protocol::Reply::failure(cid, code::not_found, "no case " + std::to_string(id));
    if (viewer.role == Role::liaison && !may_read_as_liaison(viewer, *d))
      return protocol::Reply::failure(cid, code::forbidden,
                                       "case " + d->summary.case_no + " belongs to another section");
    bool saw_protected = false;
    json data = detail_reply(*d, viewer, saw_protected);
    // Written before the identity leaves the hub: no audit entry, no reply.
    if (saw_protected)
      audit({viewer.name, "read_protected", id, json{{"op", "case.get"}, {"fields", {"caller"}}}.dump()});
    return protocol::Reply::success(cid, std::move(data));
  }

  static bool may_read_as_liaison(const Viewer& viewer, const store::CaseDetail& d) {
    if (!viewer.section) return false;
    if (d.summary.section == *viewer.section) return true;
    // An assisting section (协办) works on the case too.
    json assist = json::parse(d.assisting_json, nullptr, false);
    if (assist.is_array())
      for (const auto& s : assist)
        if (s.is_string() && s.get<std::string>() == *viewer.section) return true;
    return false;
  }

  json stats(const Viewer& viewer, const json& args) {
    auto from = day_arg(args, "from", false);
    auto to = day_arg(args, "to", true);
    auto s = store_.statistics(from, to);
    if (viewer.role == Role::liaison) {
      if (!viewer.section) throw ArgError{code::forbidden, "this liaison has no section", ""};
      return restricted_statistics(s, *viewer.section);
    }
    return statistics_json(s);
  }

  protocol::Reply case_action(const std::string& cid, const Viewer& viewer, const json& args) {
    const auto id = case_id_arg(args);
    auto it = args.find("action");
    if (it == args.end() || it->is_null()) throw ArgError{code::arg_missing, "action is missing", "action"};
    if (!it->is_string() || it->get_ref<const std::string&>().empty())
      throw ArgError{code::arg_invalid, "action must be an action name", "action"};
    ActionOutcome out = writer_.apply_action(viewer, id, it->get<std::string>(), args);
    if (!out.ok) return protocol::Reply::failure(cid, out.code, out.message, out.field);
    // The writer's view, with the protocol's extra fields from our own read
    // (the change is committed, so this connection sees it). The change is
    // done: a failing read must not answer it as failed, or the user would
    // try again and meet E_STATE.
    json c = out.case_json;
    try {
      if (auto s = store_.case_summary(id)) c = case_json(*s, viewer);
    } catch (const store::StoreError& e) {
      spdlog::warn("api: {} on case {} done; its re-read failed: {}", it->get<std::string>(), id, e.what());
    }
    return protocol::Reply::success(cid, {{"case", std::move(c)}, {"seq", out.seq}});
  }

  // An intake taken at the desk (a call, a visitor, a letter), by operators
  // and leaders. Stored as a feed's is, with the signed-in user as the one
  // who took it: that decides who may see a whistle-blower's identity. The
  // client chooses external_id, so a resend after a timeout finds the case.
  protocol::Reply case_create(const std::string& cid, const Viewer& viewer, const json& args) {
    if (viewer.role != Role::operator_ && viewer.role != Role::leader)
      return protocol::Reply::failure(cid, code::forbidden, "only operators and leaders log intakes");
    auto it = args.find("record");
    if (it == args.end() || it->is_null()) throw ArgError{code::arg_missing, "record (the intake) is missing", "record"};
    if (!it->is_object()) throw ArgError{code::arg_invalid, "record must be an intake record (an object)", "record"};
    // A refused record's dead letter names the user who sent it.
    IntakeResult r = writer_.take_intake(RawIntake{it->dump(), "case.create:" + viewer.name, std::nullopt, viewer.name});
    if (r.kind == IntakeResult::Kind::rejected)
      return protocol::Reply::failure(cid, r.error.code, r.error.message, r.error.field);
    // The case as case.get shows it to this user (who took it, so sees all of it).
    protocol::Reply reply = case_get(cid, viewer, {{"case_id", r.case_id}});
    if (reply.ok) {
      reply.data["duplicate"] = r.kind == IntakeResult::Kind::duplicate;
      reply.data["seq"] = r.seq;
    }
    return reply;
  }

  json plugins_list(const Viewer&) {
    json list = plugins_ ? plugins_() : json::array();
    return list.is_array() ? list : json::array();
  }

  void audit(const store::AuditEntry& entry) {
    writer_.run([&](store::Store& s) { s.audit(entry); });
  }

  zmq::socket_t& api_;
  store::Store& store_;
  SessionTable& sessions_;
  Writer& writer_;
  const HubConfig& config_;
  const std::string& hub_instance_;
  std::function<json()> plugins_;
  std::chrono::milliseconds failure_delay_;
  LoginChecker* checker_ = nullptr;
  std::deque<DelayedReply> delayed_;
};

}  // namespace

// ---- ApiFront ------------------------------------------------------------------

ApiFront::ApiFront(zmq::context_t& context, const HubConfig& config, Writer& writer,
                   std::string hub_instance)
    : context_(context),
      config_(config),
      writer_(writer),
      hub_instance_(std::move(hub_instance)),
      sessions_(std::chrono::hours(std::max(1, config.session_idle_hours))) {}

ApiFront::~ApiFront() {
  try {
    stop();
  } catch (const std::exception& e) {
    spdlog::error("api: stop failed: {}", e.what());
  }
}

void ApiFront::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  pipe_endpoint_ = "inproc://suqiu-api-pipe-" + instance_tag(this);
  pipe_ = std::make_unique<zmq::socket_t>(context_, zmq::socket_type::pair);
  pipe_->set(zmq::sockopt::linger, 0);
  pipe_->bind(pipe_endpoint_);
  thread_ = std::thread([this, ep = pipe_endpoint_] { run(ep); });
  auto ready = protocol::recv_frames(*pipe_);
  if (!ready || ready->empty() || ready->front() != "READY") {
    thread_.join();
    pipe_.reset();
    std::string why = ready && ready->size() > 1 ? (*ready)[1] : "no READY from the api thread";
    throw std::runtime_error("api front could not start on " + config_.api + ": " + why);
  }
  endpoint_ = ready->size() > 1 ? (*ready)[1] : config_.api;
  spdlog::info("api: serving on {}{}", endpoint_, config_.server_keys ? " (CURVE)" : "");
}

void ApiFront::stop() {
  std::lock_guard lock(mutex_);
  if (!thread_.joinable()) return;
  try {
    protocol::send_frames(*pipe_, {"$TERM"});
  } catch (const zmq::error_t& e) {
    // The context was shut down under us: the thread has ended, or ends at
    // its next socket call.
    spdlog::debug("api: stopping without $TERM: {}", e.what());
  }
  thread_.join();
  pipe_.reset();
  spdlog::info("api: stopped");
}

std::string ApiFront::endpoint() const {
  std::lock_guard lock(mutex_);
  return endpoint_;
}

void ApiFront::set_plugins_provider(PluginsProvider provider) {
  std::lock_guard lock(plugins_mutex_);
  plugins_ = std::move(provider);
}

json ApiFront::plugins_data() {
  PluginsProvider p;
  {
    std::lock_guard lock(plugins_mutex_);
    p = plugins_;
  }
  return p ? p() : json::array();
}

void ApiFront::run(std::string pipe_endpoint) {
  pthread_setname_np(pthread_self(), "hub-api");
  zmq::socket_t pipe(context_, zmq::socket_type::pair);
  pipe.set(zmq::sockopt::linger, 0);
  pipe.connect(pipe_endpoint);
  std::unique_ptr<zmq::socket_t> api;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<zmq::socket_t> wake;
  const std::string wake_endpoint = "inproc://suqiu-api-logins-" + instance_tag(this);
  try {
    api = std::make_unique<zmq::socket_t>(context_, zmq::socket_type::router);
    protocol::configure_server_socket(*api);
    if (config_.server_keys) protocol::apply_curve_server(*api, *config_.server_keys);
    api->bind(config_.api);
    store = std::make_unique<store::Store>(store::Store::database_file(config_.data_dir),
                                           store::Store::Access::reader);
    wake = std::make_unique<zmq::socket_t>(context_, zmq::socket_type::pull);
    wake->set(zmq::sockopt::linger, 0);
    wake->bind(wake_endpoint);
  } catch (const std::exception& e) {
    protocol::send_frames(pipe, {"ERROR", e.what()});
    return;
  }
  protocol::send_frames(pipe, {"READY", api->get(zmq::sockopt::last_endpoint)});
  try {
    LoginChecker checker(context_, wake_endpoint, writer_);
    ApiServer server(*api, *store, sessions_, writer_, config_, hub_instance_,
                     [this] { return plugins_data(); }, failure_delay_.load());
    server.serve(pipe, *wake, checker);
  } catch (const std::exception& e) {
    // Every request is answered inside its own try; reaching here means the
    // sockets themselves failed. Wait for $TERM so stop() still works.
    if (failure_)
      failure_->report("api", e.what());
    else
      spdlog::critical("api: stopped serving: {}", e.what());
    try {
      for (;;) {
        auto cmd = protocol::recv_frames(pipe);
        if (cmd && !cmd->empty() && cmd->front() == "$TERM") break;
      }
    } catch (const zmq::error_t&) {
      // The context is gone too: no $TERM will come, and none is needed.
    }
  }
}

}  // namespace suqiu::server
