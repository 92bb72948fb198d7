#include "sqlite.h"

#include <spdlog/spdlog.h>

namespace suqiu::store {
namespace {

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view context) {
  std::string msg = std::string(context) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  throw StoreError(db ? sqlite3_extended_errcode(db) : rc, msg);
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) fail(db, rc, "prepare '" + std::string(sql.substr(0, 80)) + "'");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int i, std::int64_t v) {
  if (int rc = sqlite3_bind_int64(stmt_, i, v); rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}
Statement& Statement::bind(int i, double v) {
  if (int rc = sqlite3_bind_double(stmt_, i, v); rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}
Statement& Statement::bind(int i, std::string_view v) {
  if (int rc = sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
      rc != SQLITE_OK)
    fail(db_, rc, "bind");
  return *this;
}
Statement& Statement::bind_blob(int i, const void* data, std::size_t size) {
  if (int rc = sqlite3_bind_blob(stmt_, i, data, static_cast<int>(size), SQLITE_TRANSIENT);
      rc != SQLITE_OK)
    fail(db_, rc, "bind");
  return *this;
}
Statement& Statement::bind_null(int i) {
  if (int rc = sqlite3_bind_null(stmt_, i); rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string sql = sqlite3_sql(stmt_) ? sqlite3_sql(stmt_) : "";
  fail(db_, rc, "step '" + sql.substr(0, 80) + "'");
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int c) const { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
std::int64_t Statement::int64(int c) const { return sqlite3_column_int64(stmt_, c); }
double Statement::real(int c) const { return sqlite3_column_double(stmt_, c); }
std::string Statement::text(int c) const {
  auto p = sqlite3_column_text(stmt_, c);
  return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, c))
           : std::string();
}
std::string Statement::blob(int c) const {
  auto p = static_cast<const char*>(sqlite3_column_blob(stmt_, c));
  return p ? std::string(p, sqlite3_column_bytes(stmt_, c)) : std::string();
}
std::optional<std::int64_t> Statement::optional_int64(int c) const {
  if (is_null(c)) return std::nullopt;
  return int64(c);
}
std::optional<std::string> Statement::optional_text(int c) const {
  if (is_null(c)) return std::nullopt;
  return text(c);
}

Connection::Connection(const std::filesystem::path& file, Mode mode) : file_(file) {
  int flags = mode == Mode::read_only ? SQLITE_OPEN_READONLY
                                      : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  flags |= SQLITE_OPEN_NOMUTEX;  // one connection per thread, by design
  int rc = sqlite3_open_v2(file.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError(rc, "cannot open " + file.string() + ": " + msg);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, 10000);
  // WAL lets readers run beside the single writer; FULL makes a commit durable
  // before the hub acknowledges it (ack after commit).
  if (mode == Mode::read_write) {
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=FULL");
  }
  exec("PRAGMA foreign_keys=ON");
  exec("PRAGMA temp_store=MEMORY");
  // SQLite's default page cache (2 MB) makes every intake re-read index pages
  // through the WAL; 16 MB keeps the hot part of the indexes in memory. More
  // (64 MB) made each commit dearer, not cheaper: bench_ingest at 2,000
  // intakes/s had an ack p50 of 12-17 ms with 64 MB and 8-10 ms with 16 MB.
  exec("PRAGMA cache_size=-16384");
  // No memory-mapped I/O: every page a connection reads through the map
  // counts in the process's resident set, and the hub's connections read the
  // whole database in time (the writer each new tail page, the search indexer
  // every case): bench_ingest saw the hub at 250-290 MB with a 256 MB map and
  // 125 MB without, its ack latency no different within the noise.
}

void Connection::sync_database_file() {
  sqlite3_file* f = nullptr;
  int rc = sqlite3_file_control(db_, "main", SQLITE_FCNTL_FILE_POINTER, &f);
  if (rc == SQLITE_OK && f && f->pMethods) rc = f->pMethods->xSync(f, SQLITE_SYNC_NORMAL);
  if (rc != SQLITE_OK) throw StoreError(rc, "cannot sync " + file_.string() + ": " + sqlite3_errstr(rc));
}

Connection::~Connection() {
  cache_.clear();  // finalize statements before closing
  if (db_) sqlite3_close(db_);
}

StatementUse Connection::prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end())
    it = cache_.emplace(std::string(sql), std::make_unique<Statement>(db_, sql)).first;
  it->second->reset();
  return StatementUse(*it->second);
}

void Connection::exec(std::string_view sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw StoreError(sqlite3_extended_errcode(db_), msg + " in: " + std::string(sql.substr(0, 120)));
  }
}

std::int64_t Connection::total_changes() const { return sqlite3_total_changes64(db_); }

std::int64_t Connection::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int Connection::changes() const { return sqlite3_changes(db_); }

Transaction::Transaction(Connection& c) : connection_(c) { c.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  // A COMMIT that failed on an I/O error has rolled back already: a second
  // ROLLBACK would only log a second line for the same failure.
  if (!open_ || sqlite3_get_autocommit(connection_.handle())) return;
  try {
    connection_.exec("ROLLBACK");
  } catch (const std::exception& e) {
    // A destructor must not throw; the connection reports the state on next use.
    spdlog::error("rollback failed: {}", e.what());
  }
}

void Transaction::commit() {
  connection_.exec("COMMIT");
  open_ = false;
}

bool is_transient(const StoreError& e) {
  switch (e.code() & 0xff) {  // the primary result code
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
      return true;
    default:
      return false;
  }
}

}  // namespace suqiu::store
