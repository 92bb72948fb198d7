// Keeps the full-text index (store::SearchIndex, DIR/suqiu-search.db) up to
// date with the cases of a Store: it takes the cases after the last one
// indexed, normalises their subject and content the way searches are
// normalised, and indexes them in one transaction of the index file.
//
// The hub runs it on a thread of its own (server::SearchIndexer); without a
// hub the IntakePipeline runs it after each commit.
#pragma once

#include <cstddef>

#include "store/search_index.h"
#include "store/store.h"

namespace suqiu {

class FullTextIndexer {
 public:
  // `cases` may be a reader; the index file is opened (or created) beside it.
  explicit FullTextIndexer(store::Store& cases);

  // Indexes up to `max_cases` cases after the last one indexed; returns how
  // many it took (fewer than `max_cases`: the index is up to date).
  std::size_t catch_up(std::size_t max_cases);

 private:
  store::Store& cases_;
  store::SearchIndex index_;
};

}  // namespace suqiu
