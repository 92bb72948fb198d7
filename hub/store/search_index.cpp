#include "search_index.h"

#include "full_text.h"
#include "store.h"

namespace suqiu::store {
namespace {

// The terms are already split by fts_terms (Han bigrams, whole lower-cased
// words, separated by spaces), so FTS5's simplest tokenizer is enough: ascii
// splits on ASCII white space and keeps every other character, and costs a
// quarter less per case than unicode61. columnsize=0 drops the per-document
// length table, which only ranking functions read (results are newest first).
constexpr const char* kSchema = R"sql(
CREATE VIRTUAL TABLE IF NOT EXISTS case_fts USING fts5(terms, content='', tokenize='ascii', columnsize=0);
CREATE TABLE IF NOT EXISTS search_state(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO search_state(key, value) VALUES('indexed_upto', 0);
)sql";

}  // namespace

std::filesystem::path SearchIndex::file_for(const std::filesystem::path& db_file) {
  auto f = db_file;
  f.replace_filename(db_file.stem().string() + "-search" + db_file.extension().string());
  return f;
}

SearchIndex::SearchIndex(const std::filesystem::path& db_file)
    : db_(file_for(db_file), Connection::Mode::read_write) {
  // Derived data: a commit lost in a crash is indexed again from indexed_upto.
  db_.exec("PRAGMA synchronous=NORMAL");
  Transaction txn(db_);
  db_.exec(kSchema);
  txn.commit();
}

std::int64_t SearchIndex::indexed_upto() {
  auto st = db_.prepare("SELECT value FROM search_state WHERE key = 'indexed_upto'");
  return st.step() ? st.int64(0) : 0;
}

void SearchIndex::add(std::span<const CaseText> texts, std::int64_t upto) {
  Transaction txn(db_);
  // Read inside the transaction: another indexer on the same folder may have
  // taken some of these cases meanwhile, and a contentless index cannot
  // replace an entry.
  const std::int64_t done = indexed_upto();
  for (const auto& t : texts) {
    if (t.text.empty() || t.case_id <= done) continue;
    db_.prepare("INSERT INTO case_fts(rowid, terms) VALUES(?, ?)")
        .bind(1, t.case_id)
        .bind(2, fts_terms(t.text))
        .run();
  }
  db_.prepare("UPDATE search_state SET value = max(value, ?) WHERE key = 'indexed_upto'").bind(1, upto).run();
  txn.commit();
}

std::size_t SearchIndex::catch_up(Store& cases, std::size_t max_cases, const TextOf& text_of) {
  const auto pending = cases.cases_after(indexed_upto(), static_cast<int>(max_cases));
  if (pending.empty()) return 0;
  std::vector<CaseText> texts;
  texts.reserve(pending.size());
  for (const auto& c : pending) texts.push_back({c.case_id, text_of(c.subject, c.content)});
  add(texts, pending.back().case_id);
  return pending.size();
}

}  // namespace suqiu::store
