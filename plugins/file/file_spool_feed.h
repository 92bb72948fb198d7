// FileSpoolFeed: the I/O loop of suqiu-feed-file around the pure parser
// (spool_parser.h). It looks at the spool folder, takes each settled
// DIR/*.jsonl (settle_watch.h), submits its records through the plugin SDK's
// FeedClient and, once the hub has answered every one of them, moves the file:
//   DIR/done/NAME      every record is stored (a new case, or one the hub
//                      already had);
//   DIR/failed/NAME    some line was refused for good, here (not JSON, a bad
//                      field) or by the hub (a permanent NACK); its other
//                      lines are stored all the same. DIR/failed/NAME.reason.json
//                      (reason_file.h) names each refused line.
// A name already taken in done/ or failed/ gets "-1", "-2", … before ".jsonl".
//
// Exactly once, crash or not: a file leaves DIR only after the hub has
// answered all its lines, and the hub acks only what it has committed. A feed
// killed at any moment leaves the file in DIR; the next start takes it again
// and resubmits every line, and the hub, idempotent on (source, external_id),
// answers the ones it has with duplicate:true. Records of the killed run still
// in the outbox are resent by the SDK too, with the same answer.
//
// Threading: one thread (the FeedClient's owner) calls scan(),
// finish_answered() and the client's poll() in turn.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "file/settle_watch.h"
#include "file/spool_parser.h"
#include "sdk/feed_client.h"

namespace suqiu::filefeed {

// While this many records of taken files wait for the hub, no new file is
// taken: a backlog of spool files does not all sit in memory at once.
inline constexpr std::size_t kMaxOpenRecords = 100'000;

struct SpoolTally {
  std::uint64_t files_done = 0;
  std::uint64_t files_failed = 0;
  std::uint64_t accepted = 0;    // ACK, a new case
  std::uint64_t duplicates = 0;  // ACK, the hub had it (a resend after a crash, a repeated line)
  std::uint64_t refused = 0;     // lines refused here or by the hub, in files moved to failed/
};

class FileSpoolFeed {
 public:
  // `once`: only the files present at the first scan() are taken (suqiu-feed-file --once).
  FileSpoolFeed(sdk::FeedClient& client, std::filesystem::path dir, std::chrono::milliseconds settle,
                bool once);

  // Creates DIR, DIR/done and DIR/failed when missing (throws when it cannot).
  void prepare();
  // One look at the folder: takes the settled files and submits their records.
  // Returns how many files were taken.
  int scan();
  // Moves the files whose every line has been answered; call after each poll().
  void finish_answered();

  // Files taken whose lines are not all answered yet.
  std::size_t open_files() const { return jobs_.size(); }
  // With `once`: files of the first scan not taken yet (still settling, or
  // held back by kMaxOpenRecords).
  std::size_t waiting() const { return waiting_; }
  // Files answered but left in DIR because they could not be moved.
  std::size_t stuck() const { return stuck_.size(); }
  const SpoolTally& tally() const { return tally_; }

 private:
  // A file taken from DIR, until it is moved.
  struct SpoolJob {
    std::string name;
    FileStamp stamp;  // as read; a file changed since is taken again, not moved
    int lines = 0;
    std::size_t submitted = 0;
    std::size_t answered = 0;
    std::size_t stored = 0;
    bool all_submitted = false;
    std::vector<LineRefusal> refused_here;
    std::vector<LineRefusal> refused_by_hub;
  };
  struct Origin {
    std::shared_ptr<SpoolJob> job;
    int line = 0;
  };

  void take(const std::filesystem::path& file, const FileStamp& listed);
  void submit(const std::shared_ptr<SpoolJob>& job, const SpoolRecord& record);
  void on_outcome(const sdk::IntakeOutcome& outcome);
  void earlier_run(const sdk::IntakeOutcome& outcome);
  void answer(SpoolJob& job, const sdk::IntakeOutcome& outcome, int line);
  void finish(const std::shared_ptr<SpoolJob>& job);
  bool move_to_done(const SpoolJob& job);
  bool move_to_failed(const SpoolJob& job);
  // DIR/FOLDER/NAME, or NAME-1.jsonl, NAME-2.jsonl, … when taken.
  std::filesystem::path free_target(const std::filesystem::path& folder, const std::string& name) const;
  bool move(const SpoolJob& job, const std::filesystem::path& target);

  sdk::FeedClient& client_;
  std::filesystem::path dir_;
  SettleWatch settle_;
  bool once_;
  std::optional<std::set<std::string>> first_scan_;  // once: the names the first scan saw
  std::size_t waiting_ = 0;

  std::map<std::string, std::shared_ptr<SpoolJob>> jobs_;  // by name
  std::vector<std::string> answered_;                      // jobs ready to be moved
  std::map<std::string, Origin> origins_;                  // cid -> line of a job
  std::size_t open_records_ = 0;
  // The SDK answers a record it refuses before sending (too large, not UTF-8)
  // from inside submit(), before its cid is known here; answers that come
  // during submit() wait in unclaimed_ until submit() returns the cid.
  bool in_submit_ = false;
  std::vector<sdk::IntakeOutcome> unclaimed_;
  std::set<std::string> stuck_;       // could not be moved (or read, --once): not taken again in this run
  std::set<std::string> unreadable_;  // logged once while they stay unreadable
  SpoolTally tally_;
};

}  // namespace suqiu::filefeed
