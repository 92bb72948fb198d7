// The full-text index of case texts, in a database file of its own beside
// the cases: DIR/suqiu-search.db.
//
// Why a file of its own: indexing a case costs more than storing it (FTS5
// writes a posting for each of some 300 bigrams), and inside the intake
// transaction it doubled what an acknowledgement waits for. In a separate
// file another connection on another thread indexes the cases in large
// batches without ever holding the cases' write lock. The index is derived
// data: it records the last case id it holds (`indexed_upto`) in the same
// transaction as the postings, commits without waiting for the disk, and a
// crash or a deleted file only means the cases after that id are indexed
// again. Backups need only suqiu.db.
//
// Searching goes through Store::list_cases, which attaches this file to a
// read connection of its own.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "case_types.h"
#include "sqlite.h"

namespace suqiu::store {

class Store;

class SearchIndex {
 public:
  // The index file belonging to the cases database `db_file`.
  static std::filesystem::path file_for(const std::filesystem::path& db_file);

  // Opens (creating when missing) the index of the cases in `db_file`.
  explicit SearchIndex(const std::filesystem::path& db_file);

  // The highest case id the index holds; every case up to it is indexed.
  std::int64_t indexed_upto();
  // Indexes `texts` (normalised, ascending case ids) and records `upto` as
  // indexed, in one transaction.
  void add(std::span<const CaseText> texts, std::int64_t upto);

  // The text indexed for a case, from its subject and content as stored
  // (the pipeline normalises them the way searches are normalised).
  using TextOf = std::function<std::string(std::string_view subject, std::string_view content)>;
  // Indexes up to `max_cases` of the cases in `cases` after indexed_upto();
  // returns how many it took (fewer than `max_cases`: up to date).
  std::size_t catch_up(Store& cases, std::size_t max_cases, const TextOf& text_of);

 private:
  Connection db_;
};

}  // namespace suqiu::store
