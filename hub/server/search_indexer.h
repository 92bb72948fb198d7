// The hub's full-text indexer: a thread with connections of its own that
// keeps DIR/suqiu-search.db up to date with the cases the writer commits
// (FullTextIndexer), in batches, a few times a second. No intake waits for
// full-text work, and a new case is searchable within about a tenth of a
// second. It runs only on CPU time the ingest front and the writer, whose
// work an acknowledgement waits for, leave over (SCHED_IDLE).
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

namespace suqiu::server {

class SearchIndexer {
 public:
  explicit SearchIndexer(std::filesystem::path db_file);
  ~SearchIndexer();
  SearchIndexer(const SearchIndexer&) = delete;
  SearchIndexer& operator=(const SearchIndexer&) = delete;

  // The writer must have opened (and migrated) the database first.
  void start();
  // Indexes what is still waiting (for at most kStopGrace), then ends the
  // thread.
  void stop();

 private:
  void loop();

  // Cases per transaction of the index; fewer, larger transactions cost
  // less per case (FTS5 merges fewer segments).
  static constexpr std::size_t kBatch = 512;
  static constexpr std::chrono::milliseconds kInterval{100};
  static constexpr std::chrono::seconds kStopGrace{2};

  std::filesystem::path db_file_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point stop_by_;  // guarded by mutex_
};

}  // namespace suqiu::server
