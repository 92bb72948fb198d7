#include "sdk/outbox.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace suqiu::sdk {

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

[[noreturn]] void fail(sqlite3* db, const std::string& what, int rc) {
  throw OutboxError("outbox: " + what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)), rc);
}

}  // namespace

namespace detail {

// One prepared statement, reset and unbound after every use.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    const int rc = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
    if (rc != SQLITE_OK) fail(db, std::string("prepare ") + sql, rc);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, std::int64_t v) {
    check(sqlite3_bind_int64(stmt_, i, v));
    return *this;
  }
  Statement& bind(int i, std::string_view v) {
    check(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    return *this;
  }
  Statement& bind_blob(int i, std::string_view v) {
    check(sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    return *this;
  }
  // True while there is a row.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(db_, "step", rc);
  }
  void run() {
    step();
    reset();
  }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string text(int col) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
  }
  int changes() const { return sqlite3_changes(db_); }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) fail(db_, "bind", rc);
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};


}  // namespace detail

namespace {

using detail::Statement;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pending(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- the cid, in decimal
  record BLOB NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_ms INTEGER NOT NULL,
  next_retry_ms INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS rejected(
  cid TEXT PRIMARY KEY,
  record BLOB NOT NULL,
  code TEXT NOT NULL,
  field TEXT NOT NULL,
  reason TEXT NOT NULL,
  rejected_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS results(
  rid TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  done_ms INTEGER NOT NULL);
INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '1');
)sql";

// Version 2 (protocol 1.1): a pending message is an intake or a platform
// notice; outboxes written before keep their intakes.
constexpr const char* kSchemaTo2 = R"sql(
ALTER TABLE pending ADD COLUMN kind TEXT NOT NULL DEFAULT 'intake';
UPDATE meta SET value = '2' WHERE key = 'schema_version';
)sql";

// SQL without parameters (pragmas, the schema) on either connection.
void run_sql(sqlite3* db, const char* sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw OutboxError(std::string("outbox: ") + msg, rc);
  }
}

// Forces what a checkpoint wrote to the database file onto the disk, through
// SQLite's own file handle. Best effort: a failed sync is retried after the
// next pass that copies more.
void sync_database_file(sqlite3* db) {
  sqlite3_file* f = nullptr;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &f) == SQLITE_OK && f && f->pMethods)
    f->pMethods->xSync(f, SQLITE_SYNC_NORMAL);
}

}  // namespace

// Copies the WAL into the database file every 100 ms on a connection and a
// thread of its own (a PASSIVE checkpoint neither waits for nor blocks the
// owner's commits). Left to SQLite, the checkpoint runs inside whichever
// commit fills the WAL and writes back its 4 MB there: bench_ingest's feed
// stalled about five times a second for 4-5 ms, a third of its acks over
// 5 ms. A pass never holds what the owner committed while it ran, and SQLite
// starts the WAL over only once every frame is copied, so after each pass the
// owner copies that little rest itself (rest_due()). SQLite syncs the
// database file only after a checkpoint that reached the end of the WAL as it
// is when the checkpoint ends, which no pass does while the owner commits; so
// the pass syncs it here, and the rest syncs only its own few pages.
// Every 100 ms rather than 250: the less each pass makes the disk write back
// at once, the less the hub's commits on the same disk wait behind it (see
// Writer::kCheckpointEvery).
class Outbox::Checkpointer {
 public:
  explicit Checkpointer(const std::filesystem::path& file) {
    const int rc = sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      throw OutboxError("outbox: cannot open " + file.string() + " for checkpoints: " + msg, rc);
    }
    // A connection reads the file, and learns it is in WAL mode, only on its
    // first statement; until then a checkpoint on it does nothing.
    try {
      run_sql(db_, "PRAGMA journal_mode=WAL");
    } catch (...) {
      sqlite3_close(db_);
      throw;
    }
    thread_ = std::thread([this] { run(); });
  }
  ~Checkpointer() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
    sqlite3_close(db_);
  }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // True once after each pass.
  bool rest_due() { return passed_.exchange(false); }

  // Between passes (see above).
  static constexpr std::chrono::milliseconds kEvery{100};

 private:
  void run() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, kEvery, [this] { return stop_; })) {
      lock.unlock();
      // A busy or failed pass is retried at the next; the owner's close
      // checkpoints whatever is left.
      int wal_frames = 0, copied = 0;
      const int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_frames, &copied);
      if (rc == SQLITE_OK && copied > 0 && copied != last_copied_) sync_database_file(db_);
      if (rc == SQLITE_OK) last_copied_ = copied;
      passed_ = true;
      lock.lock();
    }
  }

  sqlite3* db_ = nullptr;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::atomic<bool> passed_{false};
  int last_copied_ = 0;  // what the last pass reported: sync only after one that copied more
};

// Statements reused for the life of the connection, keyed by their SQL text
// (string literals, so the pointer is the key).
struct Outbox::Statements {
  std::unordered_map<const char*, std::unique_ptr<Statement>> map;
};

Statement& Outbox::stmt(const char* sql) {
  auto& slot = statements_->map[sql];
  if (!slot) slot = std::make_unique<Statement>(db_, sql);
  return *slot;
}

Outbox::Outbox(const std::filesystem::path& file, Durability durability)
    : statements_(std::make_unique<Statements>()) {
  const bool on_disk = file != ":memory:";
  if (on_disk) {
    // A second holder of the same outbox would send every intake twice. The
    // lock is on a file of its own: SQLite's POSIX locks on the database drop
    // whenever any descriptor of that file closes.
    auto lock_file = file;
    lock_file += ".lock";
    lock_fd_ = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock_fd_ < 0)
      throw OutboxError("outbox: cannot open " + lock_file.string() + ": " + std::strerror(errno), SQLITE_CANTOPEN);
    if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
      ::close(lock_fd_);
      lock_fd_ = -1;
      throw OutboxError("outbox: " + file.string() + " is in use by another feed (" + lock_file.string() +
                            " is locked)",
                        SQLITE_BUSY);
    }
  }
  const int rc = sqlite3_open_v2(file.c_str(), &db_,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  try {
    if (rc != SQLITE_OK)
      throw OutboxError("outbox: cannot open " + file.string() + ": " +
                            (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc)),
                        rc);
    sqlite3_busy_timeout(db_, 2000);
    exec("PRAGMA journal_mode=WAL");
    exec(durability == Durability::full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    exec(kSchema);
    {
      auto& v = stmt("SELECT value FROM meta WHERE key = 'schema_version'");
      const bool version_1 = v.step() && v.text(0) == "1";
      v.reset();
      if (version_1) exec(kSchemaTo2);
    }
    if (on_disk) {
      exec("PRAGMA wal_autocheckpoint=0");
      checkpointer_ = std::make_unique<Checkpointer>(file);
    }
  } catch (...) {
    close();
    throw;
  }
}

Outbox::~Outbox() {
  if (db_) {
    try {
      commit();
    } catch (const OutboxError&) {
      // Nothing to do in a destructor: the staged writes are lost, and the
      // intakes they held were never confirmed upstream (confirm after commit).
    }
  }
  close();
}

void Outbox::close() {
  checkpointer_.reset();   // first: the last connection to close checkpoints the rest
  statements_->map.clear();  // finalize before close, or close fails with SQLITE_BUSY
  sqlite3_close(db_);
  db_ = nullptr;
  if (lock_fd_ >= 0) ::close(lock_fd_);
  lock_fd_ = -1;
}

void Outbox::exec(const char* sql) { run_sql(db_, sql); }

void Outbox::begin() {
  if (in_transaction_) return;
  exec("BEGIN IMMEDIATE");
  in_transaction_ = true;
}

void Outbox::commit() {
  if (!in_transaction_) return;
  exec("COMMIT");
  in_transaction_ = false;
  if (checkpointer_ && checkpointer_->rest_due())
    sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
}

std::optional<std::int64_t> Outbox::seq_of(std::string_view cid) {
  std::int64_t seq = 0;
  const auto [end, ec] = std::from_chars(cid.data(), cid.data() + cid.size(), seq);
  if (cid.empty() || ec != std::errc{} || end != cid.data() + cid.size() || seq <= 0) return std::nullopt;
  return seq;
}

std::string Outbox::add(std::string_view record, MessageKind kind) {
  begin();
  stmt("INSERT INTO pending(record, created_ms, kind) VALUES (?1, ?2, ?3)")
      .bind_blob(1, record)
      .bind(2, now_ms())
      .bind(3, kind == MessageKind::notice ? "notice" : "intake")
      .run();
  return std::to_string(sqlite3_last_insert_rowid(db_));
}

std::string Outbox::add_rejected(std::string_view record, std::string_view code, std::string_view field,
                                 std::string_view reason) {
  const std::string cid = add(record);
  reject(*seq_of(cid), code, field, reason);
  return cid;
}

std::vector<OutboxEntry> Outbox::pending_after(std::int64_t after, std::size_t limit) {
  auto& q = stmt("SELECT seq, CAST(seq AS TEXT), record, attempts, next_retry_ms, kind FROM pending "
                      "WHERE seq > ?1 ORDER BY seq LIMIT ?2");
  q.bind(1, after).bind(2, static_cast<std::int64_t>(limit));
  std::vector<OutboxEntry> out;
  while (q.step())
    out.push_back({q.integer(0), q.text(1), q.text(2), static_cast<int>(q.integer(3)), q.integer(4),
                   q.text(5) == "notice" ? MessageKind::notice : MessageKind::intake});
  q.reset();
  return out;
}

std::optional<OutboxEntry> Outbox::get(std::int64_t seq) {
  auto& q = stmt("SELECT seq, CAST(seq AS TEXT), record, attempts, next_retry_ms, kind FROM pending WHERE seq = ?1");
  q.bind(1, seq);
  std::optional<OutboxEntry> out;
  if (q.step())
    out = OutboxEntry{q.integer(0), q.text(1), q.text(2), static_cast<int>(q.integer(3)), q.integer(4),
                      q.text(5) == "notice" ? MessageKind::notice : MessageKind::intake};
  q.reset();
  return out;
}

bool Outbox::remove(std::int64_t seq) {
  begin();
  auto& d = stmt("DELETE FROM pending WHERE seq = ?1");
  d.bind(1, seq).run();
  return sqlite3_changes(db_) > 0;
}

bool Outbox::reject(std::int64_t seq, std::string_view code, std::string_view field,
                    std::string_view reason) {
  begin();
  auto& ins = stmt("INSERT OR REPLACE INTO rejected(cid, record, code, field, reason, rejected_ms) "
                        "SELECT CAST(seq AS TEXT), record, ?2, ?3, ?4, ?5 FROM pending WHERE seq = ?1");
  ins.bind(1, seq).bind(2, code).bind(3, field).bind(4, reason).bind(5, now_ms()).run();
  if (sqlite3_changes(db_) == 0) return false;
  return remove(seq);
}

void Outbox::record_attempt(std::int64_t seq, int attempts, std::int64_t next_retry_ms) {
  begin();
  stmt("UPDATE pending SET attempts = ?2, next_retry_ms = ?3 WHERE seq = ?1")
      .bind(1, seq)
      .bind(2, attempts)
      .bind(3, next_retry_ms)
      .run();
}

std::size_t Outbox::pending_count() {
  auto& q = stmt("SELECT count(*) FROM pending");
  q.step();
  const auto n = static_cast<std::size_t>(q.integer(0));
  q.reset();
  return n;
}

std::size_t Outbox::rejected_count() {
  auto& q = stmt("SELECT count(*) FROM rejected");
  q.step();
  const auto n = static_cast<std::size_t>(q.integer(0));
  q.reset();
  return n;
}

std::vector<RejectedEntry> Outbox::rejected(std::size_t limit) {
  auto& q = stmt("SELECT cid, record, code, field, reason, rejected_ms FROM rejected "
                      "ORDER BY rejected_ms, cid LIMIT ?1");
  q.bind(1, static_cast<std::int64_t>(limit));
  std::vector<RejectedEntry> out;
  while (q.step()) out.push_back({q.text(0), q.text(1), q.text(2), q.text(3), q.text(4), q.integer(5)});
  q.reset();
  return out;
}

std::optional<std::string> Outbox::result_status(std::string_view rid) {
  auto& q = stmt("SELECT status FROM results WHERE rid = ?1");
  q.bind(1, rid);
  std::optional<std::string> out;
  if (q.step()) out = q.text(0);
  q.reset();
  return out;
}

void Outbox::record_result(std::string_view rid, std::string_view status) {
  begin();
  stmt("INSERT OR REPLACE INTO results(rid, status, done_ms) VALUES (?1, ?2, ?3)")
      .bind(1, rid)
      .bind(2, status)
      .bind(3, now_ms())
      .run();
}

}  // namespace suqiu::sdk
