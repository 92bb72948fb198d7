// The store: every SQL statement of Suqiu lives behind this interface, so that
// a PostgreSQL implementation can take its place for a province-wide desk.
//
// One Store opened as `writer` belongs to one thread (the hub's writer actor,
// or the CLI in --data mode); readers open their own Store as `reader`.
#pragma once

#include <array>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>

#include "audit_log.h"
#include "case_types.h"
#include "sqlite.h"

namespace suqiu::store {

// How far a checkpoint got: frames in the WAL, and how many of them the
// database file holds now. Equal means the next write starts the WAL over.
struct CheckpointProgress {
  int wal_frames = 0;
  int copied = 0;
};

// Copies committed pages from the WAL into the database file (a PASSIVE
// checkpoint: never waits for, nor blocks, the writer), then syncs the
// database file after a pass that copied anything (SQLite syncs it only after
// a pass that reached the end). Meant for a thread of its own beside a writer that
// turned automatic checkpoints off, so that the writer's commits pay only for
// the little it leaves (Store::checkpoint_rest).
class Checkpointer {
 public:
  explicit Checkpointer(const std::filesystem::path& db_file);
  CheckpointProgress run_once();

 private:
  Connection db_;
  int last_copied_ = 0;
};

class Store {
 public:
  enum class Access { writer, reader };

  // DIR/suqiu.db, the file DESIGN.md fixes.
  static std::filesystem::path database_file(const std::filesystem::path& data_dir);

  // A writer creates and migrates the database; a reader requires it to exist.
  Store(const std::filesystem::path& db_file, Access access);

  // --- writes: each call is one transaction -----------------------------

  // Stores a batch of new cases. A case whose (source, external_id) is already
  // stored is not stored again: its StoredCase says `existing` with the old
  // number. `before_insert(case, id)` runs inside the transaction just before
  // each new case is written under `id`, so a duplicate check there also sees
  // the earlier cases of the same batch. Dead letters and the plugins' answers
  // to RESULTs of the same batch share the transaction: all of it is stored,
  // or none.
  std::vector<StoredCase> insert_cases(
      std::span<NewCase> cases, std::span<const DeadLetter> dead_letters,
      const std::function<void(NewCase&, std::int64_t id)>& before_insert = {},
      std::span<const ResultOutcome> result_outcomes = {});
  void record_dead_letters(std::span<const DeadLetter> dead_letters);

  // Applies a case action; returns its history row id, which is the event
  // sequence number. Throws StoreError when the case is not in
  // `change.from_status` any more (someone else moved it first).
  std::int64_t apply_change(const CaseChange& change);

  // Results owed upstream, oldest first, for these sources.
  std::vector<OutboundResult> pending_results(int limit);
  // The last event sequence number (0 when there is none).
  std::int64_t last_sequence();
  // Runs `f` inside one read transaction (a consistent snapshot).
  template <class F>
  auto read_snapshot(F&& f) {
    db_->exec("BEGIN");
    struct End {
      Connection& c;
      ~End() {
        try {
          c.exec("COMMIT");
        } catch (const std::exception&) {
          // A read-only transaction has nothing to lose; the next BEGIN reports trouble.
        }
      }
    } end{*db_};
    return f();
  }

  // An audit entry of its own (reads of protected fields, logins, admin work).
  void audit(const AuditEntry& entry);

  // Off: a Checkpointer does the work; on (SQLite's default) otherwise.
  void set_auto_checkpoint(bool on);
  // A full checkpoint that also empties the WAL (for a clean stop).
  void checkpoint_truncate();
  // The frames committed while a Checkpointer ran, copied on the writer's own
  // connection between two commits. Under a steady stream of commits the
  // Checkpointer never catches the newest frame, and SQLite starts the WAL over
  // only once every frame is in the database: without this the WAL grows for
  // as long as the stream lasts, every commit extends the file, and each
  // fdatasync then waits for a journal commit of the file system as well.
  CheckpointProgress checkpoint_rest();

  // Up to `limit` cases with an id above `after_id`, ascending, with their
  // subject and content as stored (not normalised): what the full-text
  // indexer (SearchIndex) takes next.
  std::vector<UnindexedCase> cases_after(std::int64_t after_id, int limit);

  void add_user(const UserRecord& user);
  // `actor`: who did it, for the audit log (the administrator, or the user).
  void set_password(const std::string& name, const std::string& password_hash, const std::string& actor = "admin");
  // A disabled user cannot sign in, and the hub ends their open sessions.
  void set_disabled(const std::string& name, bool disabled);

  // --- reads ---------------------------------------------------------------

  std::vector<CaseSummary> list_cases(const CaseFilter& filter);
  std::optional<CaseDetail> case_detail(std::int64_t id);
  std::optional<CaseSummary> case_summary(std::int64_t id);
  std::optional<std::int64_t> find_case(std::string_view source, std::string_view external_id);
  // The case a platform notice was applied to, if it was (protocol §4.6).
  std::optional<std::int64_t> notice_case(std::string_view source, std::string_view notice_id);
  // Cases received in [from, to) local days; all cases when both are empty.
  Statistics statistics(std::optional<std::chrono::year_month_day> from = std::nullopt,
                        std::optional<std::chrono::year_month_day> to = std::nullopt);
  // Every case received at most `window_seconds` before the latest one
  // received, in id order (whatever their status).
  std::vector<RecentCase> recent_cases(std::int64_t window_seconds);
  // Open cases not yet under supervision whose deadline is before `ts`,
  // oldest deadline first (the escalation timer's work list).
  std::vector<CaseSummary> open_cases_due_before(std::int64_t ts, int limit);
  // Cases an operator reclassified, with their final labels.
  std::vector<Correction> corrections();
  std::vector<DeadLetter> dead_letters(int limit);
  std::int64_t dead_letter_count();
  std::optional<UserRecord> user(std::string_view name);
  std::int64_t user_count();
  std::vector<UserRecord> users();  // by name
  AuditVerdict verify_audit();

  Connection& connection() { return *db_; }
  const std::filesystem::path& file() const { return db_->file(); }

 private:
  struct CounterKey {
    std::string dim, code, day;
    auto operator<=>(const CounterKey&) const = default;
  };
  using CounterDeltas = std::map<CounterKey, std::int64_t>;

  void count(CounterDeltas& deltas, std::string dim, std::string code, const std::string& day,
             std::int64_t n = 1);
  void flush_counters(const CounterDeltas& deltas);
  void insert_dead_letters(std::span<const DeadLetter> dead_letters, std::int64_t now);
  void record_result_outcome(const ResultOutcome& outcome);  // inside the caller's transaction
  std::string received_day(std::int64_t case_id);

  // Text search runs on a read connection of its own with the search index
  // attached. The writer's connection never attaches it: BEGIN IMMEDIATE
  // would then take the index's write lock too, and wait for the indexer.
  Connection& search_connection();

  std::unique_ptr<Connection> db_;
  std::unique_ptr<Connection> search_db_;
  AuditLog audit_;
};

}  // namespace suqiu::store
