// The plugin's on-disk outbox: every intake stays here, in its own SQLite file,
// until the hub has acked it (Titanic: store before you send, forget only after
// the ack). Rejected intakes are kept with the hub's reason, never resent.
// Results already delivered upstream are remembered so a redelivery is acked
// without reaching the upstream twice.
//
// Writes are staged in one open transaction and become durable on commit():
// one fsync for many intakes. One Outbox per file per process (the file is
// opened in exclusive locking mode), used from one thread.
//
// Schema (version 1):
//   pending(seq INTEGER PRIMARY KEY AUTOINCREMENT, record BLOB, attempts INTEGER,
//           created_ms INTEGER, next_retry_ms INTEGER)
//   rejected(cid TEXT PRIMARY KEY, record BLOB, code TEXT, field TEXT,
//            reason TEXT, rejected_ms INTEGER)
//   results(rid TEXT PRIMARY KEY, status TEXT, done_ms INTEGER)
//   meta(key TEXT PRIMARY KEY, value TEXT)          -- schema_version
// An intake's correlation id (cid) is its decimal `seq`: AUTOINCREMENT never reuses one, so a late ack can
// never match a newer intake.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;

namespace suqiu::sdk {

namespace detail {
class Statement;
}

class OutboxError : public std::runtime_error {
 public:
  OutboxError(const std::string& what, int sqlite_code)
      : std::runtime_error(what), sqlite_code_(sqlite_code) {}
  int sqlite_code() const { return sqlite_code_; }

 private:
  int sqlite_code_;
};

// What a pending message goes to the hub as: INTAKE, or NOTICE (protocol 1.1).
enum class MessageKind { intake, notice };

struct OutboxEntry {
  std::int64_t seq = 0;
  std::string cid;
  std::string record;
  int attempts = 0;
  std::int64_t next_retry_ms = 0;
  MessageKind kind = MessageKind::intake;
};

struct RejectedEntry {
  std::string cid;
  std::string record;
  std::string code;
  std::string field;
  std::string reason;
  std::int64_t rejected_ms = 0;
};

enum class Durability {
  full,    // synchronous=FULL: a commit survives a power loss
  normal,  // synchronous=NORMAL: a commit survives a crash of the process
};

class Outbox {
 public:
  // ":memory:" for tests that need no file.
  explicit Outbox(const std::filesystem::path& file, Durability durability = Durability::full);
  ~Outbox();  // commits what is staged
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // Stages a new intake (or notice); returns its cid.
  std::string add(std::string_view record, MessageKind kind = MessageKind::intake);
  // Stages an intake refused before it was ever sent (too large, not UTF-8).
  std::string add_rejected(std::string_view record, std::string_view code, std::string_view field,
                           std::string_view reason);
  void commit();
  bool has_staged() const { return in_transaction_; }

  // Pending intakes with seq > after, oldest first.
  std::vector<OutboxEntry> pending_after(std::int64_t after, std::size_t limit);
  std::optional<OutboxEntry> get(std::int64_t seq);
  // Acked: forget it. Returns false when it was not pending (a repeated ack).
  bool remove(std::int64_t seq);
  // Permanently refused by the hub: move to `rejected`. False when not pending.
  bool reject(std::int64_t seq, std::string_view code, std::string_view field, std::string_view reason);
  // A resend happened or is scheduled.
  void record_attempt(std::int64_t seq, int attempts, std::int64_t next_retry_ms);

  std::size_t pending_count();
  std::size_t rejected_count();
  std::vector<RejectedEntry> rejected(std::size_t limit = 1000);

  // Results for upstream: "delivered" or "failed", once known.
  std::optional<std::string> result_status(std::string_view rid);
  void record_result(std::string_view rid, std::string_view status);

  static std::optional<std::int64_t> seq_of(std::string_view cid);

 private:
  struct Statements;
  detail::Statement& stmt(const char* sql);
  void exec(const char* sql);
  void begin();
  void close();

  class Checkpointer;
  std::unique_ptr<Statements> statements_;
  sqlite3* db_ = nullptr;
  bool in_transaction_ = false;
  std::unique_ptr<Checkpointer> checkpointer_;  // none for ":memory:"
  int lock_fd_ = -1;                            // flock on FILE.lock: one holder per outbox
};

}  // namespace suqiu::sdk
