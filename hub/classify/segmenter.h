// Chinese word segmentation for classification and search. ICU's dictionary
// word break iterator splits most text well but cuts some transport terms in
// two (车|牌号, 泥|头车), so a user dictionary of those terms is matched first
// (longest match) and kept whole; character bigrams are added as fallback
// features for words neither dictionary knows.
#pragma once

#include <string>
#include <string_view>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace suqiu::classify {

class Segmenter {
 public:
  // The built-in user dictionary (see transport_terms()) plus `extra_terms`.
  explicit Segmenter(const std::vector<std::string>& extra_terms = {});

  // Words in document order; whitespace and punctuation are dropped, Latin
  // letters and digits come out as ICU splits them. Expects normalised text.
  std::vector<std::string> words(std::string_view normalised) const;

  // Classification features: "w:<word>" for every word (numbers as "w:#"),
  // "b:<c1c2>" for every pair of adjacent Han characters, and "e:plate",
  // "e:route", "e:phone" for every entity found.
  std::vector<std::string> features(std::string_view normalised) const;

  // The same features as 64-bit hashes, without building strings: what the
  // classifier reads. feature_hash("w:出租车") equals the hash features() would give.
  std::vector<std::uint64_t> feature_hashes(std::string_view normalised) const;
  static std::uint64_t feature_hash(std::string_view feature);
  // The same into `out` (cleared first), reusing its memory.
  void feature_hashes_into(std::string_view normalised, std::vector<std::uint64_t>& out) const;

  // Byte spans [begin, end) of words() in the text.
  std::vector<std::pair<std::size_t, std::size_t>> word_spans(std::string_view normalised) const;
  // The same into `out` (cleared first), reusing its memory.
  void word_spans_into(std::string_view normalised,
                       std::vector<std::pair<std::size_t, std::size_t>>& out) const;

  // The transport terms the built-in dictionary keeps whole.
  static const std::vector<std::string>& transport_terms();

 private:
  std::unordered_set<std::uint64_t> terms_;  // hashes of the normalised terms
  std::unordered_map<char32_t, std::uint32_t> first_chars_;  // first character -> mask of term lengths
  std::vector<std::uint64_t> first_char_filter_ = std::vector<std::uint64_t>(64);  // 4096 bits by cp & 0xFFF
  std::size_t max_term_chars_ = 0;
};

}  // namespace suqiu::classify
