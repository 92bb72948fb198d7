// ReportBoxFeed: the thin I/O loop of suqiu-feed-reportbox around the pure
// parser (letter_parser.h). It scans the drop folder, parses each *.jsonl and
// *.json file, submits the records through the plugin SDK's FeedClient, and
// moves the file:
//   DIR/done/NAME      after every record of it is durably in the outbox
//                      (FeedClient::sync()); lines that failed locally, and
//                      later the hub's NACKs, are listed in DIR/done/NAME.why
//   DIR/rejected/NAME  when nothing in it could be used, with
//                      DIR/rejected/NAME.why naming the line and the reason.
// A name already taken in done/ or rejected/ gets "-1", "-2", … before the
// extension. Hidden files and other extensions are left alone, so a writer
// can write "x.json.part" or ".x.json" and rename it when complete.
//
// Crash safety: a file is moved only after its records are durable in the
// outbox; a crash in between means the file is submitted again on the next
// start, and the hub, idempotent on (source, external_id), acks the second
// copy as a duplicate.
//
// Threading: one thread (the FeedClient's owner) calls scan() and the client's
// poll() in turn.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>
#include <utility>

#include "sdk/feed_client.h"

namespace suqiu::reportbox {

struct FeedTally {
  std::uint64_t files = 0;       // moved to done/ or rejected/
  std::uint64_t accepted = 0;    // ACK, a new case
  std::uint64_t duplicates = 0;  // ACK, already a case
  std::uint64_t rejected = 0;    // lines that failed here, plus the hub's NACKs
  std::uint64_t rejected_files = 0;
};

class ReportBoxFeed {
 public:
  // `settle`: in the watching mode a file is taken only once its size and
  // modification time are unchanged since the previous scan (a writer may
  // still be writing it); --once takes everything at once.
  ReportBoxFeed(sdk::FeedClient& client, std::filesystem::path dir, bool settle);

  // Creates DIR, DIR/done and DIR/rejected when missing (throws when it cannot).
  void prepare();
  // One look at the folder; returns how many files were moved.
  int scan();

  const FeedTally& tally() const { return tally_; }

 private:
  // A file whose records are in the outbox; the hub's NACKs for them are
  // written to its .why once it has been moved.
  struct DropFile {
    std::string name;               // NAME as dropped
    std::filesystem::path why;      // DIR/done/NAME.why, once moved
    std::vector<std::string> early; // NACKs that came before the move
  };
  struct Origin {
    std::shared_ptr<DropFile> file;
    int line = 0;
  };
  struct Seen {
    std::uintmax_t size = 0;
    std::filesystem::file_time_type mtime;
  };

  void on_outcome(const sdk::IntakeOutcome& outcome);
  void process(const std::filesystem::path& file);
  std::filesystem::path move_to(const std::filesystem::path& file, const std::filesystem::path& folder);

  sdk::FeedClient& client_;
  std::filesystem::path dir_;
  bool settle_;
  std::map<std::string, Seen> seen_;       // name -> last size/mtime (settle mode)
  std::map<std::string, Origin> origins_;  // cid -> where the record came from
  std::set<std::string> stuck_;            // could not be moved: never submitted twice
  FeedTally tally_;
};

// Appends `text` to `file` (the .why files); false when it could not be written.
bool append_text(const std::filesystem::path& file, const std::string& text);

}  // namespace suqiu::reportbox
