#include "fingerprint.h"

#include <array>
#include <bit>
#include <string>
#include <vector>

#include "utf8.h"

namespace suqiu::classify {
namespace {

bool counts_for_text(char32_t cp) {
  return utf8::is_han(cp) || utf8::is_ascii_digit(cp) || utf8::is_ascii_alpha(cp) ||
         (cp >= 0x3040 && cp <= 0x30FF);
}

// Byte i of kSpread[v] is bit i of v: adding kSpread[one byte of a hash] to
// a word counts eight bits of the hash at once, one counter per byte.
constexpr std::array<std::uint64_t, 256> kSpread = [] {
  std::array<std::uint64_t, 256> t{};
  for (unsigned v = 0; v < 256; ++v)
    for (unsigned i = 0; i < 8; ++i) t[v] |= std::uint64_t{(v >> i) & 1u} << (8 * i);
  return t;
}();

// For each bit of the result, how many of the grams' hashes have it set.
// Byte-wide counters hold up to 255, so they are emptied every 255 grams.
class BitCounts {
 public:
  void add(std::uint64_t h) {
    for (int j = 0; j < 8; ++j) lanes_[j] += kSpread[(h >> (8 * j)) & 0xFF];
    if (++pending_ == 255) flush();
  }
  // Bit b set when more grams have bit b than lack it (a +1/-1 vote per gram).
  std::uint64_t majority() {
    flush();
    std::uint64_t out = 0;
    for (int b = 0; b < 64; ++b)
      if (2 * ones_[b] > total_) out |= std::uint64_t{1} << b;
    return out;
  }

 private:
  void flush() {
    for (int j = 0; j < 8; ++j) {
      for (int i = 0; i < 8; ++i) ones_[8 * j + i] += (lanes_[j] >> (8 * i)) & 0xFF;
      lanes_[j] = 0;
    }
    total_ += pending_;
    pending_ = 0;
  }
  std::uint64_t lanes_[8] = {};
  std::uint32_t ones_[64] = {};
  std::uint32_t total_ = 0, pending_ = 0;
};

}  // namespace

std::uint64_t simhash(std::string_view text) {
  // Keep only the letters of the text, as UTF-8 with code point starts; the
  // buffers are per thread so that a fingerprint allocates nothing.
  thread_local std::string kept;
  thread_local std::vector<std::size_t> starts;
  kept.clear();
  starts.clear();
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t at = pos;
    char32_t cp = utf8::next(text, pos);
    if (!counts_for_text(cp)) continue;
    starts.push_back(kept.size());
    kept.append(text.substr(at, pos - at));
  }
  starts.push_back(kept.size());
  const std::size_t n = starts.size() - 1;
  if (n == 0) return 0;
  BitCounts votes;
  auto add = [&](std::string_view gram) { votes.add(utf8::hash64(gram, 0x5157u)); };
  if (n < kSimhashShingle) {
    add(kept);
  } else {
    for (std::size_t i = 0; i + kSimhashShingle <= n; ++i)
      add(std::string_view(kept).substr(starts[i], starts[i + kSimhashShingle] - starts[i]));
  }
  return votes.majority();
}

int hamming(std::uint64_t a, std::uint64_t b) { return std::popcount(a ^ b); }

double text_similarity(std::uint64_t a, std::uint64_t b) { return 1.0 - hamming(a, b) / 64.0; }

std::array<std::uint16_t, 4> simhash_bands(std::uint64_t h) {
  return {static_cast<std::uint16_t>(h), static_cast<std::uint16_t>(h >> 16),
          static_cast<std::uint16_t>(h >> 32), static_cast<std::uint16_t>(h >> 48)};
}

}  // namespace suqiu::classify
