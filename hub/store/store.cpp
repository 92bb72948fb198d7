#include "store.h"

#include <nlohmann/json.hpp>

#include <cstdio>

#include "full_text.h"
#include "search_index.h"
#include "migrations.h"

namespace suqiu::store {
namespace {

using nlohmann::json;

std::int64_t now_ts() { return Timestamp::now().epoch; }
std::string now_text() { return Timestamp::now().to_string(); }

std::string local_day(std::int64_t ts) {
  return suqiu::to_string(Timestamp{ts, kBeijingOffsetMinutes}.local_date());
}

std::string make_case_no(std::int64_t id, const Timestamp& received) {
  auto d = received.in_offset(kBeijingOffsetMinutes).local_date();
  char buf[40];
  std::snprintf(buf, sizeof buf, "SQ%04d%02u%02u-%06lld", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()),
                static_cast<long long>(id));
  return buf;
}

constexpr const char* kSummaryColumns =
    "id, case_no, source, external_id, request_type, category, section, status, received_at, "
    "deadline, subject, received_ts, deadline_ts, caller_name, caller_phone, anonymous, "
    "confidential, urgent, needs_review, duplicate_of, closed_ts, escalation, extension_days, assisting";
// How many they are: the columns a query adds after them start there.
constexpr int kSummaryColumnCount = [] {
  int n = 1;
  for (const char* c = kSummaryColumns; *c; ++c) n += *c == ',';
  return n;
}();
static_assert(kSummaryColumnCount == 24, "read_summary reads columns 0-23");

CaseSummary read_summary(Statement& st) {
  CaseSummary s;
  s.id = st.int64(0);
  s.case_no = st.text(1);
  s.source = st.text(2);
  s.external_id = st.text(3);
  s.request_type = st.text(4);
  s.category = st.text(5);
  s.section = st.text(6);
  s.status = st.text(7);
  s.received_at = st.text(8);
  s.deadline = st.text(9);
  s.subject = st.text(10);
  s.received_ts = st.int64(11);
  s.deadline_ts = st.int64(12);
  s.caller_name = st.text(13);
  s.caller_phone = st.text(14);
  s.anonymous = st.int64(15) != 0;
  s.confidential = st.int64(16) != 0;
  s.urgent = st.int64(17) != 0;
  s.needs_review = st.int64(18) != 0;
  s.duplicate_of = st.optional_int64(19);
  s.closed_ts = st.optional_int64(20);
  s.escalation = st.text(21);
  s.extension_days = st.optional_int64(22);
  s.assisting_json = st.is_null(23) ? "[]" : st.text(23);
  return s;
}

std::string join_lines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out.push_back('\n');
    out += i;
  }
  return out;
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    auto nl = text.find('\n');
    out.emplace_back(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  }
  return out;
}

}  // namespace

std::optional<double> Statistics::on_time_rate() const {
  auto closed = closed_on_time + closed_late;
  if (closed == 0) return std::nullopt;
  return static_cast<double>(closed_on_time) / closed;
}

namespace {
std::optional<double> rate(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}
}  // namespace

std::optional<double> Statistics::inquiries_answered_on_call_rate() const {
  auto it = by_request_type.find("inquiry");
  return rate(answered_on_call, it == by_request_type.end() ? 0 : it->second);
}
std::optional<double> Statistics::complaints_on_time_rate() const {
  return rate(complaints_closed_on_time, complaints_closed_on_time + complaints_closed_late);
}
std::optional<double> Statistics::complaints_satisfaction_rate() const {
  return rate(complaint_callbacks_satisfied, complaint_callbacks);
}
std::optional<double> Statistics::return_rate() const { return rate(returns, total); }
std::optional<double> Statistics::callback_rate() const {
  return rate(callbacks, closed_on_time + closed_late);
}

std::optional<double> Statistics::satisfaction_rate() const {
  if (callbacks == 0) return std::nullopt;
  return static_cast<double>(satisfied + basically_satisfied) / callbacks;
}

Checkpointer::Checkpointer(const std::filesystem::path& db_file)
    : db_(db_file, Connection::Mode::read_write) {}

namespace {
// `pragma` is one of the PRAGMA wal_checkpoint(MODE) texts below.
CheckpointProgress wal_checkpoint(Connection& db, const char* pragma) {
  // The pragma's row: busy, frames in the WAL, frames checkpointed.
  auto st = db.prepare(pragma);
  CheckpointProgress p;
  if (st.step()) p = {static_cast<int>(st.int64(1)), static_cast<int>(st.int64(2))};
  return p;
}
}  // namespace

CheckpointProgress Checkpointer::run_once() {
  auto p = wal_checkpoint(db_, "PRAGMA wal_checkpoint(PASSIVE)");
  // SQLite syncs the database file only after a checkpoint that reached the
  // end of the WAL as it is when the pass ends, which under a steady stream
  // none does (and the pragma's counts, taken when it began, cannot tell).
  // Left unsynced, those pages waited for the writer's checkpoint_rest, which
  // then wrote them all back: 2-3 ms each time at 2,000 intakes/s, and longer
  // the longer it waited. Synced here, off the writer's thread, the rest
  // syncs only the few pages it copies itself.
  if (p.copied > 0 && p.copied != last_copied_) db_.sync_database_file();
  last_copied_ = p.copied;
  return p;
}

CheckpointProgress Store::checkpoint_rest() { return wal_checkpoint(*db_, "PRAGMA wal_checkpoint(PASSIVE)"); }

void Store::set_auto_checkpoint(bool on) {
  db_->exec(on ? "PRAGMA wal_autocheckpoint=1000" : "PRAGMA wal_autocheckpoint=0");
}

void Store::checkpoint_truncate() { wal_checkpoint(*db_, "PRAGMA wal_checkpoint(TRUNCATE)"); }

std::vector<UnindexedCase> Store::cases_after(std::int64_t after_id, int limit) {
  auto st = db_->prepare("SELECT id, subject, content FROM cases WHERE id > ? ORDER BY id LIMIT ?");
  st.bind(1, after_id).bind(2, limit);
  std::vector<UnindexedCase> out;
  while (st.step()) out.push_back({st.int64(0), st.text(1), st.text(2)});
  return out;
}

Connection& Store::search_connection() {
  if (!search_db_) {
    const auto index = SearchIndex::file_for(db_->file());
    if (!std::filesystem::exists(index))
      throw StoreError(0, "the search index " + index.string() +
                              " is missing; the hub (or any intake) builds it again");
    auto c = std::make_unique<Connection>(db_->file(), Connection::Mode::read_only);
    c->prepare("ATTACH DATABASE ? AS search").bind(1, index.string()).run();
    search_db_ = std::move(c);
  }
  return *search_db_;
}

std::filesystem::path Store::database_file(const std::filesystem::path& data_dir) {
  return data_dir / "suqiu.db";
}

Store::Store(const std::filesystem::path& file, Access access)
    : db_(std::make_unique<Connection>(file, access == Access::writer ? Connection::Mode::read_write
                                                                      : Connection::Mode::read_only)),
      audit_(*db_) {
  if (access == Access::writer) {
    migrate(*db_);
    SearchIndex created(file);  // so that readers find it; the indexer fills it
  } else if (schema_version(*db_) != latest_schema_version()) {
    throw StoreError(0, file.string() + " has schema version " +
                            std::to_string(schema_version(*db_)) + ", expected " +
                            std::to_string(latest_schema_version()) +
                            "; open it once with a writer (the hub) to upgrade it");
  }
}

void Store::count(CounterDeltas& deltas, std::string dim, std::string code, const std::string& day,
                  std::int64_t n) {
  deltas[CounterKey{std::move(dim), std::move(code), day}] += n;
}

void Store::flush_counters(const CounterDeltas& deltas) {
  for (const auto& [key, n] : deltas) {
    if (n == 0) continue;
    db_->prepare(
           "INSERT INTO stat_counter(day, dim, code, n) VALUES(?,?,?,?) "
           "ON CONFLICT(day, dim, code) DO UPDATE SET n = n + excluded.n")
        .bind(1, key.day)
        .bind(2, key.dim)
        .bind(3, key.code)
        .bind(4, n)
        .run();
  }
}

void Store::insert_dead_letters(std::span<const DeadLetter> letters, std::int64_t now) {
  for (const auto& d : letters) {
    db_->prepare(
           "INSERT INTO dead_letter(at_ts, origin, line, code, field, reason, raw) "
           "VALUES(?,?,?,?,?,?,?)")
        .bind(1, now)
        .bind(2, d.origin)
        .bind(3, d.line)
        .bind(4, d.code)
        .bind(5, d.field)
        .bind(6, d.reason)
        .bind_blob(7, d.raw.data(), d.raw.size())
        .run();
  }
}

std::vector<StoredCase> Store::insert_cases(std::span<NewCase> cases,
                                            std::span<const DeadLetter> dead_letters,
                                            const std::function<void(NewCase&, std::int64_t)>& before_insert,
                                            std::span<const ResultOutcome> result_outcomes) {
  std::vector<StoredCase> out;
  out.reserve(cases.size());
  Transaction txn(*db_);
  audit_.begin_batch();
  struct ForgetOnThrow {  // a rolled-back batch must not leave its head cached
    AuditLog& audit;
    ~ForgetOnThrow() { audit.abandon_batch(); }
  } forget{audit_};
  const std::int64_t now = now_ts();
  const std::string now_str = now_text();
  auto next = db_->prepare("SELECT IFNULL(MAX(id), 0) + 1 FROM cases");
  next.step();
  std::int64_t next_id = next.int64(0);
  CounterDeltas deltas;

  for (NewCase& c : cases) {
    const IntakeRecord& r = c.record;
    if (auto existing = find_case(r.source, r.external_id)) {
      auto st = db_->prepare("SELECT case_no FROM cases WHERE id = ?");
      st.bind(1, *existing).step();
      out.push_back({*existing, st.text(0), true});
      continue;
    }
    const std::int64_t id = next_id++;
    if (before_insert) before_insert(c, id);
    const std::string case_no = make_case_no(id, r.received_at);
    const std::string status = std::string(to_code(CaseStatus::received));
    json assisting = c.assisting;
    db_->prepare(
           "INSERT INTO cases(id, case_no, source, external_id, received_at, received_ts, "
           "request_type, category, section, assisting, status, deadline, deadline_ts, subject, "
           "content, caller_name, caller_phone, anonymous, confidential, address, lat, lon, urgent, "
           "confidence, needs_review, duplicate_of, duplicate_score, taken_by, record, created_ts, "
           "updated_ts, simhash, objects) "
           "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
        .bind(1, id)
        .bind(2, case_no)
        .bind(3, r.source)
        .bind(4, r.external_id)
        .bind(5, r.received_at.to_string())
        .bind(6, r.received_at.epoch)
        .bind(7, to_code(c.request_type))
        .bind(8, c.category)
        .bind(9, c.section)
        .bind(10, assisting.dump())
        .bind(11, status)
        .bind(12, c.deadline.to_string())
        .bind(13, c.deadline.epoch)
        .bind(14, r.subject)
        .bind(15, r.content)
        .bind(16, r.caller.name)
        .bind(17, r.caller.phone)
        .bind(18, r.caller.anonymous ? 1 : 0)
        .bind(19, r.caller.confidential ? 1 : 0)
        .bind(20, r.location.address)
        .bind(21, r.location.lat)
        .bind(22, r.location.lon)
        .bind(23, r.urgent ? 1 : 0)
        .bind(24, c.confidence)
        .bind(25, c.needs_review ? 1 : 0)
        .bind(26, c.duplicate_of)
        .bind(27, c.duplicate_of ? std::optional<double>(c.duplicate_score) : std::nullopt)
        .bind(28, c.taken_by)
        .bind(29, c.record_json)
        .bind(30, now)
        .bind(31, now)
        .bind(32, c.simhash ? std::optional<std::int64_t>(static_cast<std::int64_t>(*c.simhash))
                            : std::nullopt)
        .bind(33, join_lines(c.objects))
        .run();

    db_->prepare(
           "INSERT INTO case_event(case_id, at_ts, actor, action, from_status, to_status, detail) "
           "VALUES(?,?,?,?,NULL,?,?)")
        .bind(1, id)
        .bind(2, now)
        .bind(3, c.taken_by)
        .bind(4, "intake")
        .bind(5, status)
        .bind(6, json{{"category", c.category},
                      {"section", c.section},
                      {"confidence", c.confidence},
                      {"duplicate_of", c.duplicate_of ? json(*c.duplicate_of) : json()}}
                     .dump())
        .run();
    const std::int64_t seq = db_->last_insert_rowid();

    audit_.append({c.taken_by, "intake", id,
                   json{{"case_no", case_no},
                        {"source", r.source},
                        {"external_id", r.external_id},
                        {"category", c.category},
                        {"section", c.section}}
                       .dump()},
                  now_str);

    const std::string day = local_day(r.received_at.epoch);
    count(deltas, "total", "", day);
    count(deltas, "source", r.source, day);
    count(deltas, "request_type", std::string(to_code(c.request_type)), day);
    count(deltas, "category", c.category, day);
    count(deltas, "section", c.section, day);
    count(deltas, "status", status, day);
    if (c.duplicate_of) count(deltas, "duplicate", "", day);
    if (c.needs_review) count(deltas, "needs_review", "", day);
    if (c.repeats_plate) count(deltas, "repeat", "plate", day);
    if (c.repeats_route) count(deltas, "repeat", "route", day);
    out.push_back({id, case_no, false, seq});
  }
  insert_dead_letters(dead_letters, now);
  for (const auto& outcome : result_outcomes) record_result_outcome(outcome);
  flush_counters(deltas);
  audit_.finish_batch();
  txn.commit();
  return out;
}

void Store::record_dead_letters(std::span<const DeadLetter> letters) {
  Transaction txn(*db_);
  insert_dead_letters(letters, now_ts());
  txn.commit();
}

std::string Store::received_day(std::int64_t case_id) {
  auto st = db_->prepare("SELECT received_ts FROM cases WHERE id = ?");
  if (!st.bind(1, case_id).step()) throw StoreError(0, "no case " + std::to_string(case_id));
  return local_day(st.int64(0));
}

std::int64_t Store::apply_change(const CaseChange& ch) {
  Transaction txn(*db_);
  const std::int64_t now = now_ts();
  auto cur = db_->prepare("SELECT status, deadline_ts, received_ts, section, category, request_type FROM cases WHERE id = ?");
  if (!cur.bind(1, ch.case_id).step())
    throw StoreError(0, "no case " + std::to_string(ch.case_id));
  const std::string status = cur.text(0);
  const std::int64_t deadline_ts = ch.deadline_ts.value_or(cur.int64(1));
  const std::string day = local_day(cur.int64(2));
  const std::string old_section = cur.text(3);
  const std::string old_category = cur.text(4);
  const std::string old_type = cur.text(5);
  if (status != ch.from_status)
    throw CaseMoved("case " + std::to_string(ch.case_id) + " is " + status + ", not " +
                            ch.from_status);

  db_->prepare(
         "UPDATE cases SET status = ?, updated_ts = ?, "
         "section = IFNULL(?, section), assisting = IFNULL(?, assisting), "
         "category = IFNULL(?, category), request_type = IFNULL(?, request_type), "
         "deadline_ts = IFNULL(?, deadline_ts), deadline = IFNULL(?, deadline), "
         "duplicate_of = IFNULL(?, duplicate_of), satisfaction = IFNULL(?, satisfaction), "
         "escalation = IFNULL(?, escalation), "
         "extension_days = CASE WHEN ? IS NULL THEN extension_days WHEN ? = 0 THEN NULL ELSE ? END, "
         "closed_ts = CASE WHEN ? THEN ? WHEN ? <> 'closed' THEN NULL ELSE closed_ts END "
         "WHERE id = ?")
      .bind(1, ch.to_status)
      .bind(2, now)
      .bind(3, ch.section)
      .bind(4, ch.assisting_json)
      .bind(5, ch.category)
      .bind(6, ch.request_type)
      .bind(7, ch.deadline_ts)
      .bind(8, ch.deadline)
      .bind(9, ch.duplicate_of)
      .bind(10, ch.satisfaction)
      .bind(11, ch.escalation)
      .bind(12, ch.extension_days)
      .bind(13, ch.extension_days)
      .bind(14, ch.extension_days)
      .bind(15, ch.closing ? 1 : 0)
      .bind(16, now)
      .bind(17, ch.to_status)
      .bind(18, ch.case_id)
      .run();

  db_->prepare(
         "INSERT INTO case_event(case_id, at_ts, actor, action, from_status, to_status, detail) "
         "VALUES(?,?,?,?,?,?,?)")
      .bind(1, ch.case_id)
      .bind(2, now)
      .bind(3, ch.actor)
      .bind(4, ch.action)
      .bind(5, ch.from_status)
      .bind(6, ch.to_status)
      .bind(7, ch.detail)
      .run();
  const std::int64_t seq = db_->last_insert_rowid();
  if (ch.notice)
    db_->prepare(
           "INSERT INTO platform_notice(source, notice_id, case_id, event_id, kind, received_ts) "
           "VALUES(?,?,?,?,?,?)")
        .bind(1, ch.notice->source)
        .bind(2, ch.notice->notice_id)
        .bind(3, ch.case_id)
        .bind(4, seq)
        .bind(5, ch.notice->kind)
        .bind(6, now)
        .run();
  if (ch.upstream_result) {
    auto src = db_->prepare("SELECT source FROM cases WHERE id = ?");
    src.bind(1, ch.case_id).step();
    db_->prepare("INSERT INTO outbound_result(case_id, source, body, created_ts) VALUES(?,?,?,?)")
        .bind(1, ch.case_id)
        .bind(2, src.text(0))
        .bind(3, *ch.upstream_result)
        .bind(4, now)
        .run();
  }

  audit_.append({ch.actor, ch.action, ch.case_id,
                 json{{"from", ch.from_status}, {"to", ch.to_status},
                      {"detail", json::parse(ch.detail, nullptr, false)}}
                     .dump()},
                now_text());

  CounterDeltas deltas;
  // A case that changes a counted field moves from one count to the other.
  auto move = [&](const char* dim, const std::string& from, const std::optional<std::string>& to) {
    if (!to || *to == from) return;
    count(deltas, dim, from, day, -1);
    count(deltas, dim, *to, day, 1);
  };
  move("status", status, ch.to_status);
  move("section", old_section, ch.section);
  move("category", old_category, ch.category);
  move("request_type", old_type, ch.request_type);
  const std::string type = ch.request_type.value_or(old_type);
  if (ch.closing) {
    const char* when = now <= deadline_ts ? "on_time" : "late";
    count(deltas, "closed", when, day);
    count(deltas, "closed_by_type", type + ":" + when, day);  // the ministry's indicators are per type
  }
  if (ch.satisfaction) {
    count(deltas, "callback", *ch.satisfaction, day);
    count(deltas, "callback_by_type", type + ":" + *ch.satisfaction, day);
  }
  if (ch.action == "close_directly") count(deltas, "answered_on_call", "", day);
  if (ch.action == "return") count(deltas, "return", "", day);
  if (ch.action == "merge") count(deltas, "merged", "", day);
  flush_counters(deltas);
  txn.commit();
  return seq;
}

std::vector<OutboundResult> Store::pending_results(int limit) {
  auto st = db_->prepare(
      "SELECT rid, case_id, source, body FROM outbound_result WHERE status = 'pending' "
      "ORDER BY rid LIMIT ?");
  st.bind(1, limit);
  std::vector<OutboundResult> out;
  while (st.step()) out.push_back({st.int64(0), st.int64(1), st.text(2), st.text(3)});
  return out;
}

void Store::record_result_outcome(const ResultOutcome& outcome) {
  const std::string status = outcome.delivered ? "delivered" : "failed";
  const auto& [rid, delivered, code, reason] = outcome;
  db_->prepare(
         "UPDATE outbound_result SET status = ?, code = ?, reason = ?, done_ts = ? "
         "WHERE rid = ? AND status = 'pending'")
      .bind(1, status)
      .bind(2, code)
      .bind(3, reason)
      .bind(4, now_ts())
      .bind(5, rid)
      .run();
  if (db_->changes() > 0)
    audit_.append({"system", "result_" + status, std::nullopt,
                   json{{"rid", rid}, {"code", code}, {"reason", reason}}.dump()},
                  now_text());
}

std::int64_t Store::last_sequence() {
  auto st = db_->prepare("SELECT IFNULL(MAX(id), 0) FROM case_event");
  st.step();
  return st.int64(0);
}

void Store::audit(const AuditEntry& entry) {
  Transaction txn(*db_);
  audit_.append(entry, now_text());
  txn.commit();
}

std::int64_t Store::user_count() {
  auto st = db_->prepare("SELECT count(*) FROM users");
  return st.step() ? st.int64(0) : 0;
}

void Store::add_user(const UserRecord& u) {
  Transaction txn(*db_);
  db_->prepare(
         "INSERT INTO users(name, role, section, password_hash, disabled, created_ts) "
         "VALUES(?,?,?,?,?,?)")
      .bind(1, u.name)
      .bind(2, u.role)
      .bind(3, u.section)
      .bind(4, u.password_hash)
      .bind(5, u.disabled ? 1 : 0)
      .bind(6, now_ts())
      .run();
  audit_.append({"admin", "user_add", std::nullopt,
                 json{{"name", u.name}, {"role", u.role}, {"section", u.section.value_or("")}}.dump()},
                now_text());
  txn.commit();
}

void Store::set_password(const std::string& name, const std::string& hash, const std::string& actor) {
  Transaction txn(*db_);
  db_->prepare("UPDATE users SET password_hash = ? WHERE name = ?").bind(1, hash).bind(2, name).run();
  if (db_->changes() == 0) throw StoreError(0, "no user " + name);
  audit_.append({actor, "user_password", std::nullopt, json{{"name", name}}.dump()}, now_text());
  txn.commit();
}

void Store::set_disabled(const std::string& name, bool disabled) {
  Transaction txn(*db_);
  db_->prepare("UPDATE users SET disabled = ? WHERE name = ?").bind(1, disabled ? 1 : 0).bind(2, name).run();
  if (db_->changes() == 0) throw StoreError(0, "no user " + name);
  audit_.append({"admin", disabled ? "user_disable" : "user_enable", std::nullopt, json{{"name", name}}.dump()},
                now_text());
  txn.commit();
}

std::vector<UserRecord> Store::users() {
  auto st = db_->prepare("SELECT name, role, section, password_hash, disabled FROM users ORDER BY name");
  std::vector<UserRecord> out;
  while (st.step()) out.push_back({st.text(0), st.text(1), st.optional_text(2), st.text(3), st.int64(4) != 0});
  return out;
}

std::vector<CaseSummary> Store::list_cases(const CaseFilter& f) {
  // With search words the full-text index drives the query, newest intake
  // first (FTS5 walks its rowids backwards and stops at the page), so a common
  // word does not make SQLite collect and sort every match. Without, the
  // (filter, received_ts) indexes do.
  std::string match;
  if (f.text) {
    match = fts_query(*f.text);
    if (match.empty()) return {};
  }
  std::string columns = kSummaryColumns;
  std::string sql;
  if (f.text) {
    std::string prefixed;
    std::size_t pos = 0;
    while (pos < columns.size()) {  // qualify every column with c.
      auto end = columns.find(", ", pos);
      if (end == std::string::npos) end = columns.size();
      prefixed += (prefixed.empty() ? "c." : ", c.") + columns.substr(pos, end - pos);
      pos = end + 2;
    }
    sql = "SELECT " + prefixed +
          " FROM search.case_fts f JOIN main.cases c ON c.id = f.rowid WHERE f.case_fts MATCH ?";
  } else {
    sql = "SELECT " + columns + " FROM cases c WHERE 1";
  }
  std::vector<std::string> text_args;
  auto add = [&](const std::optional<std::string>& v, const char* column) {
    if (!v) return;
    sql += std::string(" AND ") + column + " = ?";
    text_args.push_back(*v);
  };
  add(f.status, "c.status");
  add(f.category, "c.category");
  add(f.section, "c.section");
  // No index of their own (migration 7). The unary + keeps SQLite from
  // reaching for UNIQUE(source, external_id), which would collect every case
  // of that source and sort them (370 ms at 300,000 cases), instead of
  // walking received_ts newest first and stopping at the page (under 1 ms).
  add(f.source, "+c.source");
  add(f.request_type, "+c.request_type");
  if (f.received_from_ts) sql += " AND c.received_ts >= ?";
  if (f.received_to_ts) sql += " AND c.received_ts < ?";
  if (f.overdue_at)
    sql += " AND c.status IN ('received','assigned','accepted','replied','returned') AND c.deadline_ts < ?";
  // A case the platform withdrew is closed without a closing (closed_ts unset): no call-back is owed.
  if (f.awaiting_callback) sql += " AND c.status = 'closed' AND c.satisfaction IS NULL AND c.closed_ts IS NOT NULL";
  sql += f.text ? " ORDER BY f.rowid DESC LIMIT ? OFFSET ?"
                : " ORDER BY c.received_ts DESC, c.id DESC LIMIT ? OFFSET ?";

  auto st = (f.text ? search_connection() : *db_).prepare(sql);
  int i = 1;
  if (f.text) st.bind(i++, match);
  for (const auto& a : text_args) st.bind(i++, a);
  if (f.received_from_ts) st.bind(i++, *f.received_from_ts);
  if (f.received_to_ts) st.bind(i++, *f.received_to_ts);
  if (f.overdue_at) st.bind(i++, *f.overdue_at);
  st.bind(i++, std::clamp(f.limit, 1, 1000));
  st.bind(i++, std::max(f.offset, 0));
  std::vector<CaseSummary> out;
  while (st.step()) out.push_back(read_summary(*st));
  return out;
}

std::optional<CaseSummary> Store::case_summary(std::int64_t id) {
  auto st = db_->prepare(std::string("SELECT ") + kSummaryColumns + " FROM cases WHERE id = ?");
  if (!st.bind(1, id).step()) return std::nullopt;
  return read_summary(*st);
}

std::optional<CaseDetail> Store::case_detail(std::int64_t id) {
  auto st = db_->prepare(std::string("SELECT ") + kSummaryColumns +
                          ", content, address, taken_by, record, lat, lon, confidence, "
                          "duplicate_score, satisfaction FROM cases WHERE id = ?");
  if (!st.bind(1, id).step()) return std::nullopt;
  CaseDetail d;
  d.summary = read_summary(*st);
  const int k = kSummaryColumnCount;
  d.content = st.text(k);
  d.address = st.text(k + 1);
  d.taken_by = st.text(k + 2);
  d.record_json = st.text(k + 3);
  d.assisting_json = d.summary.assisting_json;
  if (!st.is_null(k + 4)) d.lat = st.real(k + 4);
  if (!st.is_null(k + 5)) d.lon = st.real(k + 5);
  d.confidence = st.real(k + 6);
  if (!st.is_null(k + 7)) d.duplicate_score = st.real(k + 7);
  d.satisfaction = st.optional_text(k + 8);
  auto ev = db_->prepare(
      "SELECT id, at_ts, actor, action, from_status, to_status, detail FROM case_event "
      "WHERE case_id = ? ORDER BY id");
  ev.bind(1, id);
  while (ev.step())
    d.history.push_back({ev.int64(0), ev.int64(1), ev.text(2), ev.text(3), ev.optional_text(4),
                         ev.optional_text(5), ev.text(6)});
  return d;
}

std::optional<std::int64_t> Store::find_case(std::string_view source, std::string_view external_id) {
  auto st = db_->prepare("SELECT id FROM cases WHERE source = ? AND external_id = ?");
  if (!st.bind(1, source).bind(2, external_id).step()) return std::nullopt;
  return st.int64(0);
}

std::optional<std::int64_t> Store::notice_case(std::string_view source, std::string_view notice_id) {
  auto st = db_->prepare("SELECT case_id FROM platform_notice WHERE source = ? AND notice_id = ?");
  if (!st.bind(1, source).bind(2, notice_id).step()) return std::nullopt;
  return st.int64(0);
}

Statistics Store::statistics(std::optional<std::chrono::year_month_day> from,
                             std::optional<std::chrono::year_month_day> to) {
  auto st = db_->prepare(
      "SELECT dim, code, SUM(n) FROM stat_counter WHERE day >= ? AND day < ? GROUP BY dim, code");
  st.bind(1, from ? suqiu::to_string(*from) : std::string("0000-00-00"))
      .bind(2, to ? suqiu::to_string(*to) : std::string("9999-99-99"));
  Statistics s;
  while (st.step()) {
    const std::string dim = st.text(0), code = st.text(1);
    const std::int64_t n = st.int64(2);
    if (n == 0 && dim != "total") continue;
    if (dim == "total") s.total = n;
    else if (dim == "source") s.by_source[code] = n;
    else if (dim == "request_type") s.by_request_type[code] = n;
    else if (dim == "category") s.by_category[code] = n;
    else if (dim == "section") s.by_section[code] = n;
    else if (dim == "status") s.by_status[code] = n;
    else if (dim == "duplicate") s.duplicates = n;
    else if (dim == "needs_review") s.needs_review = n;
    else if (dim == "repeat" && code == "plate") s.repeat_plate = n;
    else if (dim == "repeat" && code == "route") s.repeat_route = n;
    else if (dim == "return") s.returns = n;
    else if (dim == "closed" && code == "on_time") s.closed_on_time = n;
    else if (dim == "closed" && code == "late") s.closed_late = n;
    else if (dim == "answered_on_call") s.answered_on_call = n;
    else if (dim == "closed_by_type" || dim == "callback_by_type") {
      // "complaint:on_time", "report:satisfied": the ministry counts complaints and reports together.
      const auto colon = code.find(':');
      const std::string type = code.substr(0, colon), what = code.substr(colon + 1);
      if (type != "complaint" && type != "report") continue;
      if (dim == "closed_by_type") (what == "on_time" ? s.complaints_closed_on_time : s.complaints_closed_late) += n;
      else {
        s.complaint_callbacks += n;
        if (what == "satisfied" || what == "basically_satisfied") s.complaint_callbacks_satisfied += n;
      }
    } else if (dim == "callback") {
      s.callbacks += n;
      if (code == "satisfied") s.satisfied = n;
      else if (code == "basically_satisfied") s.basically_satisfied = n;
      else if (code == "dissatisfied") s.dissatisfied = n;
    }
  }
  return s;
}

std::vector<RecentCase> Store::recent_cases(std::int64_t window_seconds) {
  auto st = db_->prepare(
      "SELECT id, received_ts, simhash, caller_phone, category, objects FROM cases "
      "WHERE received_ts >= (SELECT MAX(received_ts) FROM cases) - ? ORDER BY id");
  st.bind(1, window_seconds);
  std::vector<RecentCase> out;
  while (st.step()) {
    RecentCase c;
    c.case_id = st.int64(0);
    c.received_ts = st.int64(1);
    if (!st.is_null(2)) c.simhash = static_cast<std::uint64_t>(st.int64(2));
    c.caller_phone = st.text(3);
    c.category = st.text(4);
    c.objects = split_lines(st.text(5));
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<CaseSummary> Store::open_cases_due_before(std::int64_t ts, int limit) {
  auto st = db_->prepare(std::string("SELECT ") + kSummaryColumns +
                          " FROM cases WHERE status IN "
                          "('received','assigned','accepted','replied','returned') "
                          "AND deadline_ts < ? AND escalation <> 'supervision' ORDER BY deadline_ts LIMIT ?");
  st.bind(1, ts).bind(2, limit);
  std::vector<CaseSummary> out;
  while (st.step()) out.push_back(read_summary(*st));
  return out;
}

std::vector<Correction> Store::corrections() {
  auto st = db_->prepare(
      "SELECT subject, content, category, request_type FROM cases c WHERE EXISTS "
      "(SELECT 1 FROM case_event e WHERE e.case_id = c.id AND e.action = 'reclassify')");
  std::vector<Correction> out;
  while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2), st.text(3)});
  return out;
}

std::vector<DeadLetter> Store::dead_letters(int limit) {
  auto st = db_->prepare(
      "SELECT origin, line, code, field, reason, raw FROM dead_letter ORDER BY id DESC LIMIT ?");
  st.bind(1, limit);
  std::vector<DeadLetter> out;
  while (st.step())
    out.push_back({st.text(0), st.optional_int64(1), st.text(2), st.text(3), st.text(4), st.blob(5)});
  return out;
}

std::int64_t Store::dead_letter_count() {
  auto st = db_->prepare("SELECT COUNT(*) FROM dead_letter");
  st.step();
  return st.int64(0);
}

std::optional<UserRecord> Store::user(std::string_view name) {
  auto st = db_->prepare(
      "SELECT name, role, section, password_hash, disabled FROM users WHERE name = ?");
  if (!st.bind(1, name).step()) return std::nullopt;
  return UserRecord{st.text(0), st.text(1), st.optional_text(2), st.text(3), st.int64(4) != 0};
}

AuditVerdict Store::verify_audit() { return audit_.verify(); }

}  // namespace suqiu::store
