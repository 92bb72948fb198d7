// What the hub fault tests share: a Hub in this process on a temporary data
// folder (the fault VFS installed before it opens anything), a raw DEALER
// plugin that sees every ACK and NACK, an api client, and checks read from
// the SQLite file itself.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <zmq.hpp>

#include "fault_vfs.h"
#include "hub_fixture.h"
#include "protocol/api_client.h"
#include "protocol/codec.h"
#include "protocol/sockets.h"
#include "server/hub.h"
#include "store/store.h"
#include "temp_dir.h"

namespace suqiu::faults {

namespace fs = std::filesystem;
namespace vfs = suqiu::testing::fault_vfs;
using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// Transient answers: what a store failure must be answered with.
inline bool transient_nack(const std::string& code) { return code == "E_INTERNAL" || code == "E_BUSY"; }
inline bool transient_reply(const std::string& code) {
  return code == "E_INTERNAL" || code == "E_UNAVAILABLE" || code == "E_BUSY";
}

inline std::string intake_record(const std::string& external_id, const std::string& subject = "出租车拒载") {
  return json{{"source", "12345"},
              {"external_id", external_id},
              {"received_at", "2026-11-26T09:15:00+08:00"},
              {"subject", subject},
              {"content", "来电人反映在开发区大道乘坐出租车时司机" + subject + "，编号" + external_id}}
      .dump();
}

// One answer of the hub to an intake.
struct IntakeReply {
  bool ack = false;
  std::string code;  // NACK code
  bool duplicate = false;
  std::int64_t case_id = 0;
};

// A plugin speaking the protocol itself, so a test sees each answer's code.
class RawPlugin {
 public:
  RawPlugin(zmq::context_t& ctx, const std::string& endpoint) : socket_(ctx, zmq::socket_type::dealer) {
    socket_.set(zmq::sockopt::linger, 0);
    socket_.connect(endpoint);
    hello();
  }

  void hello() {
    send(protocol::Hello{"faults", "1.0", "faults-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)),
                         {"intake"}, {"12345"}});
    const auto until = Clock::now() + 10s;
    while (Clock::now() < until) {
      auto m = receive(200ms);
      if (m && std::holds_alternative<protocol::Welcome>(*m)) return;
    }
    ADD_FAILURE() << "no WELCOME from the hub";
  }

  void send_intake(const std::string& cid, const std::string& record) { send(protocol::Intake{cid, record}); }

  // Waits until every cid in `cids` has an answer, or `limit` passes; keeps
  // the registration alive meanwhile. Returns the answers it has.
  std::map<std::string, IntakeReply> wait(const std::set<std::string>& cids, std::chrono::milliseconds limit) {
    const auto until = Clock::now() + limit;
    while (Clock::now() < until && !all_answered(cids)) {
      if (Clock::now() - last_sent_ > 1s) send(protocol::Heartbeat{});
      receive(50ms);
    }
    std::map<std::string, IntakeReply> out;
    for (const auto& c : cids)
      if (auto it = replies_.find(c); it != replies_.end()) out[c] = it->second;
    return out;
  }

  // Sends and waits for one intake.
  std::optional<IntakeReply> submit(const std::string& cid, const std::string& record,
                                    std::chrono::milliseconds limit = 10s) {
    replies_.erase(cid);
    send_intake(cid, record);
    auto r = wait({cid}, limit);
    if (r.empty()) return std::nullopt;
    return r.begin()->second;
  }

  void forget(const std::string& cid) { replies_.erase(cid); }
  // Every ERROR the hub sent (E_NOT_REGISTERED after a lost registration...).
  const std::vector<protocol::Error>& errors() const { return errors_; }

 private:
  bool all_answered(const std::set<std::string>& cids) const {
    for (const auto& c : cids)
      if (!replies_.count(c)) return false;
    return true;
  }
  void send(const protocol::Message& m) {
    protocol::send_frames(socket_, protocol::encode(m));
    last_sent_ = Clock::now();
  }
  std::optional<protocol::Message> receive(std::chrono::milliseconds timeout) {
    if (!protocol::wait_readable(socket_, timeout)) return std::nullopt;
    auto frames = protocol::recv_frames(socket_, zmq::recv_flags::dontwait);
    if (!frames) return std::nullopt;
    auto decoded = protocol::decode(*frames, protocol::kClientLimits);
    auto* m = std::get_if<protocol::Message>(&decoded);
    if (!m) return std::nullopt;
    if (auto* a = std::get_if<protocol::Ack>(m)) replies_[a->cid] = {true, "", a->duplicate, a->case_id};
    if (auto* n = std::get_if<protocol::Nack>(m)) replies_[n->cid] = {false, n->code, false, 0};
    if (auto* e = std::get_if<protocol::Error>(m)) errors_.push_back(*e);
    return *m;
  }

  zmq::socket_t socket_;
  std::map<std::string, IntakeReply> replies_;
  std::vector<protocol::Error> errors_;
  Clock::time_point last_sent_ = Clock::now();
};

// Reads from the data folder's file, on a connection of its own.
class DbCheck {
 public:
  explicit DbCheck(const fs::path& db_file) {
    if (sqlite3_open_v2(db_file.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot open " + db_file.string());
    sqlite3_busy_timeout(db_, 5000);
  }
  ~DbCheck() { sqlite3_close(db_); }
  DbCheck(const DbCheck&) = delete;
  DbCheck& operator=(const DbCheck&) = delete;

  long long scalar(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    long long n = -1;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
      n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
  }
  // external_id -> rows, for ids starting with `prefix`.
  std::map<std::string, int> cases_by_external_id(const std::string& prefix) {
    std::map<std::string, int> out;
    sqlite3_stmt* st = nullptr;
    const std::string sql = "SELECT external_id, COUNT(*) FROM cases WHERE external_id LIKE ? GROUP BY external_id";
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) return out;
    const std::string like = prefix + "%";
    sqlite3_bind_text(st, 1, like.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(st) == SQLITE_ROW)
      out[reinterpret_cast<const char*>(sqlite3_column_text(st, 0))] = sqlite3_column_int(st, 1);
    sqlite3_finalize(st);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

// Each of `sent` stored exactly once (with its history row), nothing else
// with `prefix`; returns a line describing what is wrong, "" when all is well.
inline std::string exactly_once(const fs::path& db_file, const std::string& prefix,
                                const std::set<std::string>& sent) {
  DbCheck db(db_file);
  auto stored = db.cases_by_external_id(prefix);
  std::size_t lost = 0, doubled = 0, unknown = 0;
  std::string example;
  for (const auto& id : sent) {
    auto it = stored.find(id);
    if (it == stored.end()) ++lost, example = example.empty() ? "lost " + id : example;
    else if (it->second > 1) ++doubled, example = example.empty() ? "doubled " + id : example;
  }
  for (const auto& [id, n] : stored)
    if (!sent.count(id)) ++unknown;
  const long long events = db.scalar("SELECT COUNT(*) FROM case_event e JOIN cases c ON c.id = e.case_id "
                                     "WHERE e.action = 'intake' AND c.external_id LIKE '" + prefix + "%'");
  std::string out;
  if (lost || doubled || unknown)
    out = "sent " + std::to_string(sent.size()) + ", lost " + std::to_string(lost) + ", doubled " +
          std::to_string(doubled) + ", never sent " + std::to_string(unknown) + " (" + example + ")";
  if (events != static_cast<long long>(stored.size()))
    out += " intake history rows " + std::to_string(events) + " for " + std::to_string(stored.size()) + " cases";
  return out;
}

// Keeps the hub's warnings and errors, to hold it to one line per failure.
class ProblemLines : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::size_t mark() {
    std::lock_guard lock(mutex_);
    return lines_.size();
  }
  std::vector<std::string> since(std::size_t mark) {
    std::lock_guard lock(mutex_);
    return {lines_.begin() + static_cast<std::ptrdiff_t>(std::min(mark, lines_.size())), lines_.end()};
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& m) override {
    if (m.level >= spdlog::level::warn) lines_.emplace_back(m.payload.begin(), m.payload.end());
  }
  void flush_() override {}

 private:
  std::vector<std::string> lines_;
};

inline std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "\n  " + l;
  return out;
}

// Starts a whole Hub (writer, search indexer, ingest, api) on a fresh folder
// with the fixture's users and cases; the fault VFS is in place first.
class FaultHubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    vfs::install();
    vfs::clear_all();
    vfs::reset_counters();
    data_ = dir_.path() / "data";
    fs::create_directories(data_);
    spdlog::default_logger()->sinks().push_back(problems_);
  }
  void TearDown() override {
    vfs::clear_all();
    stop_hub();
    auto& sinks = spdlog::default_logger()->sinks();
    std::erase(sinks, problems_);
  }

  // Seeds users and the fixture's five cases, then starts the hub.
  void start_hub(bool seed = true, int escalation_interval_s = 60, int window = 0) {
    if (seed) seeded_ = server::testing::seed(data_, server::testing::default_users(),
                                              server::testing::default_records());
    server::HubConfig config;
    config.data_dir = data_;
    config.ingest = "tcp://127.0.0.1:*";
    config.api = "tcp://127.0.0.1:*";
    config.events = "tcp://127.0.0.1:*";
    config.escalation_interval_s = escalation_interval_s;
    if (window > 0) config.window = window;
    hub_ = std::make_unique<server::Hub>(config);
    hub_->start();
  }
  void stop_hub() {
    if (hub_) hub_->stop();
    hub_.reset();
  }

  std::unique_ptr<RawPlugin> plugin() { return std::make_unique<RawPlugin>(ctx_, hub_->ingest_endpoint()); }
  std::unique_ptr<protocol::ApiClient> api(const std::string& user = "wang", std::chrono::milliseconds timeout = 5s) {
    protocol::ApiClientOptions o;
    o.timeout = timeout;
    auto c = std::make_unique<protocol::ApiClient>(ctx_, hub_->api_endpoint(), o);
    auto r = c->login(user, user + "-password");
    EXPECT_TRUE(r.ok) << "login " << user << ": " << r.code << " " << r.message;
    return c;
  }

  fs::path db_file() const { return store::Store::database_file(data_); }

  // The audit chain of the file, after the hub stopped (or beside it).
  void expect_audit_intact() {
    store::Store s(db_file(), store::Store::Access::reader);
    auto v = s.verify_audit();
    EXPECT_TRUE(v.intact) << "audit chain broken at " << v.first_broken.value_or(-1) << ": " << v.reason;
    EXPECT_GT(v.entries, 0);
  }

  suqiu::testing::TempDir dir_{"suqiu-faults-"};
  fs::path data_;
  zmq::context_t ctx_;
  std::unique_ptr<server::Hub> hub_;
  std::map<std::string, std::int64_t> seeded_;
  std::shared_ptr<ProblemLines> problems_ = std::make_shared<ProblemLines>();
};

}  // namespace suqiu::faults
