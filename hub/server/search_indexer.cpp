#include "search_indexer.h"

#include <spdlog/spdlog.h>
#include <pthread.h>
#include <sched.h>

#include "pipeline/full_text_indexer.h"
#include "store/store.h"

namespace suqiu::server {

SearchIndexer::SearchIndexer(std::filesystem::path db_file) : db_file_(std::move(db_file)) {}

SearchIndexer::~SearchIndexer() { stop(); }

void SearchIndexer::start() {
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void SearchIndexer::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    stop_by_ = std::chrono::steady_clock::now() + kStopGrace;
  }
  wake_.notify_all();
  thread_.join();
}

void SearchIndexer::loop() {
  pthread_setname_np(pthread_self(), "hub-search");
  // SCHED_IDLE: this thread runs only on CPU time that the threads an
  // acknowledgement waits for leave over. Under a flood search lags behind
  // and catches up after; intake does not slow down for it. Failing to set
  // it is harmless.
  sched_param idle{};
  pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle);
  for (;;) {
    try {
      store::Store cases(db_file_, store::Store::Access::reader);
      FullTextIndexer indexer(cases);
      for (;;) {
        const std::size_t n = indexer.catch_up(kBatch);
        std::unique_lock lock(mutex_);
        // Caught up, or out of time (after an upgrade the whole history may
        // be waiting): the next start carries on from indexed_upto.
        if (stopping_ && (n < kBatch || std::chrono::steady_clock::now() >= stop_by_)) return;
        if (n < kBatch) wake_.wait_for(lock, kInterval, [this] { return stopping_; });
      }
    } catch (const std::exception& e) {
      // Search falls behind meanwhile; the intakes are stored all the same.
      spdlog::error("search index: {}; trying again in 5 s", e.what());
    }
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, std::chrono::seconds(5), [this] { return stopping_; })) return;
  }
}

}  // namespace suqiu::server
