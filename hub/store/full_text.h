// Full-text search for Chinese complaint text on FTS5.
//
// Why bigrams: measured on our corpus (see docs/store.md), unicode61 keeps a
// whole Chinese run as one token so 拒载 inside a sentence is never found, and
// trigram cannot match two-character words at all, which are most searches
// (拒载, 绕路, 黑车). ICU word segmentation is fast but splits the same word
// differently in different contexts, so a search misses cases. Overlapping
// character bigrams of every Han run find a word of two or more characters
// exactly where it occurs (as a phrase of consecutive bigrams), and the last
// character of each run is also indexed alone so one-character searches work
// through a prefix query. Latin letters and digits stay whole words (K3, 粤G
// plates split into 粤 + g12345), lower-cased.
//
// The text given here is expected to be normalised already (NFKC, simplified
// characters) by the classifier's normaliser, the same for documents and
// queries.
#pragma once

#include <string>
#include <string_view>

namespace suqiu::store {

// The space-separated terms stored in the FTS table for a document.
std::string fts_terms(std::string_view normalised_text);

// An FTS5 MATCH expression for a user's search text: every word of the query
// (split on white space) must occur as a phrase. Empty when nothing searchable
// is left.
std::string fts_query(std::string_view normalised_query);

}  // namespace suqiu::store
