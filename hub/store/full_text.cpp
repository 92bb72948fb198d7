#include "full_text.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <vector>

namespace suqiu::store {
namespace {

enum class Kind { separator, han, word };

Kind kind_of(UChar32 c) {
  if (u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC) ||
      ublock_getCode(c) == UBLOCK_HIRAGANA || ublock_getCode(c) == UBLOCK_KATAKANA ||
      ublock_getCode(c) == UBLOCK_HANGUL_SYLLABLES)
    return Kind::han;
  if (u_isalnum(c)) return Kind::word;
  return Kind::separator;
}

void append_utf8(std::string& out, UChar32 c) {
  char buf[4];
  int32_t len = 0;
  UBool error = false;
  U8_APPEND(buf, len, 4, c, error);
  if (!error) out.append(buf, len);
}

struct Run {
  Kind kind;
  std::vector<UChar32> chars;
};

std::vector<Run> runs_of(std::string_view text) {
  std::vector<Run> runs;
  int32_t i = 0, n = static_cast<int32_t>(text.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(text.data(), i, n, c);
    if (c < 0) continue;  // invalid byte: skip it
    Kind k = kind_of(c);
    if (k == Kind::separator) {
      if (!runs.empty() && runs.back().kind != Kind::separator) runs.push_back({Kind::separator, {}});
      continue;
    }
    if (runs.empty() || runs.back().kind != k) runs.push_back({k, {}});
    runs.back().chars.push_back(k == Kind::word ? u_tolower(c) : c);
  }
  std::erase_if(runs, [](const Run& r) { return r.kind == Kind::separator; });
  return runs;
}

// Terms of one run; `trailing_unigram` adds the run's last character alone
// (documents do, queries do not).
void run_terms(const Run& r, bool trailing_unigram, std::vector<std::string>& out) {
  if (r.kind == Kind::word) {
    std::string w;
    for (auto c : r.chars) append_utf8(w, c);
    out.push_back(std::move(w));
    return;
  }
  for (std::size_t i = 0; i + 1 < r.chars.size(); ++i) {
    std::string b;
    append_utf8(b, r.chars[i]);
    append_utf8(b, r.chars[i + 1]);
    out.push_back(std::move(b));
  }
  if (r.chars.size() == 1 || trailing_unigram) {
    std::string u;
    append_utf8(u, r.chars.back());
    out.push_back(std::move(u));
  }
}

}  // namespace

std::string fts_terms(std::string_view text) {
  std::vector<std::string> terms;
  for (const auto& r : runs_of(text)) run_terms(r, true, terms);
  std::string out;
  for (const auto& t : terms) {
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

std::string fts_query(std::string_view query) {
  std::string expr;
  std::size_t pos = 0;
  while (pos < query.size()) {
    std::size_t end = query.find_first_of(" \t\r\n", pos);
    if (end == std::string_view::npos) end = query.size();
    auto word = query.substr(pos, end - pos);
    pos = end + 1;
    auto runs = runs_of(word);
    if (runs.empty()) continue;
    // Mirror the document's terms, except that the last run needs no
    // trailing unigram (nothing follows it in the phrase).
    std::vector<std::string> terms;
    for (std::size_t i = 0; i < runs.size(); ++i) run_terms(runs[i], i + 1 < runs.size(), terms);
    // A lone Han character at the end may continue into a longer run in the
    // document: match it as a prefix. Terms never contain quotes (only
    // letters, digits and Han), so quoting is safe.
    bool prefix = runs.back().kind == Kind::han && runs.back().chars.size() == 1;
    std::string phrase = "\"";
    for (std::size_t i = 0; i < terms.size(); ++i) phrase += (i ? " " : "") + terms[i];
    phrase += "\"";
    if (prefix) phrase += " *";
    if (!expr.empty()) expr += " AND ";
    expr += phrase;
  }
  return expr;
}

}  // namespace suqiu::store
