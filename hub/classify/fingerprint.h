// Near-duplicate detection maths. A SimHash over character bigrams of the
// normalised text (whitespace and punctuation dropped) gives each case a
// 64-bit fingerprint; near-identical texts differ in few bits. RecentCases
// indexes four 16-bit bands of it, so any pair within Hamming distance 3
// shares at least one band (pigeonhole) and the lookup is a probe whose cost
// does not grow with the number of stored cases.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace suqiu::classify {

inline constexpr int kSimhashShingle = 2;  // code points per n-gram
inline constexpr int kSimhashBands = 4;

std::uint64_t simhash(std::string_view normalised_text);
int hamming(std::uint64_t a, std::uint64_t b);
double text_similarity(std::uint64_t a, std::uint64_t b);  // 1 - hamming/64
// Band i holds bits [16i, 16i+16).
std::array<std::uint16_t, 4> simhash_bands(std::uint64_t h);

}  // namespace suqiu::classify
