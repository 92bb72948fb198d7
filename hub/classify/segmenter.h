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
  // Open-addressing table from a 64-bit key to a non-zero 32-bit value. The
  // user dictionary is probed at almost every character, where
  // std::unordered_map cost a division and a pointer chase per probe.
  class FlatTable {
   public:
    void build(const std::unordered_map<std::uint64_t, std::uint32_t>& entries);
    std::uint32_t find(std::uint64_t key) const {  // 0 when absent
      for (std::size_t i = slot(key);; i = (i + 1) & (values_.size() - 1)) {
        if (!values_[i]) return 0;
        if (keys_[i] == key) return values_[i];
      }
    }

   private:
    std::size_t slot(std::uint64_t key) const {
      return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> shift_);
    }
    std::vector<std::uint64_t> keys_;
    std::vector<std::uint32_t> values_;  // 0 where free
    int shift_ = 63;
  };
  struct Scratch;  // per-thread working memory of segment()

  // Fills `out` with the word spans (as word_spans_into) and returns the
  // scratch that holds the text's code points and their byte offsets, which
  // the features walk reads instead of decoding the text again.
  const Scratch& segment(std::string_view normalised,
                         std::vector<std::pair<std::size_t, std::size_t>>& out) const;
  template <class Visit>
  void walk_features(std::string_view normalised, Visit&& visit) const;

  FlatTable terms_;        // hash of a normalised term -> 1
  FlatTable first_chars_;  // first character -> mask of the lengths of its terms
  std::size_t max_term_chars_ = 0;
};

}  // namespace suqiu::classify
