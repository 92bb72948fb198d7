#include "fingerprint.h"

#include <bit>
#include <vector>

#include "utf8.h"

namespace suqiu::classify {
namespace {

bool counts_for_text(char32_t cp) {
  return utf8::is_han(cp) || utf8::is_ascii_digit(cp) || utf8::is_ascii_alpha(cp) ||
         (cp >= 0x3040 && cp <= 0x30FF);
}

}  // namespace

std::uint64_t simhash(std::string_view text) {
  // Keep only the letters of the text, as UTF-8 with code point starts.
  std::string kept;
  std::vector<std::size_t> starts;
  kept.reserve(text.size());
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
  int votes[64] = {};
  auto add = [&](std::string_view gram) {
    std::uint64_t h = utf8::hash64(gram, 0x5157u);
    for (int b = 0; b < 64; ++b) votes[b] += ((h >> b) & 1) ? 1 : -1;
  };
  if (n < kSimhashShingle) {
    add(kept);
  } else {
    for (std::size_t i = 0; i + kSimhashShingle <= n; ++i)
      add(std::string_view(kept).substr(starts[i], starts[i + kSimhashShingle] - starts[i]));
  }
  std::uint64_t out = 0;
  for (int b = 0; b < 64; ++b)
    if (votes[b] > 0) out |= std::uint64_t{1} << b;
  return out;
}

int hamming(std::uint64_t a, std::uint64_t b) { return std::popcount(a ^ b); }

double text_similarity(std::uint64_t a, std::uint64_t b) { return 1.0 - hamming(a, b) / 64.0; }

std::array<std::uint16_t, 4> simhash_bands(std::uint64_t h) {
  return {static_cast<std::uint16_t>(h), static_cast<std::uint16_t>(h >> 16),
          static_cast<std::uint16_t>(h >> 32), static_cast<std::uint16_t>(h >> 48)};
}

}  // namespace suqiu::classify
