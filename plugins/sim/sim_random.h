// SimRandom: the simulator's own pseudo-random numbers, xoshiro256** seeded
// through SplitMix64, with its own uniform, weighted and Poisson draws. Not
// <random>'s distributions: their results differ between standard libraries,
// and the same seed must give the same traffic wherever it is built.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>

namespace suqiu::sim {

class SimRandom {
 public:
  explicit SimRandom(std::uint64_t seed) {
    for (auto& word : state_) word = splitmix(seed);
  }

  // An independent stream for one purpose (a day, a case, a burst): the same
  // seed and keys always give the same stream, whatever else was drawn.
  static SimRandom derive(std::uint64_t seed, std::uint64_t key, std::uint64_t subkey = 0) {
    std::uint64_t s = seed ^ 0x5151'7173'696d'0000ULL;  // "QQqsim": keeps derive(s, 0) apart from SimRandom(s)
    std::uint64_t a = splitmix(s) ^ key;
    std::uint64_t b = splitmix(a) ^ subkey;
    return SimRandom(splitmix(b));
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, n); n > 0. The modulo's bias is below 2^-40 for the
  // small n drawn here.
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  // Uniform in [lo, hi], both included.
  int between(int lo, int hi) { return lo + static_cast<int>(below(static_cast<std::uint64_t>(hi - lo) + 1)); }
  // Uniform in [0, 1), 53 bits.
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * unit(); }
  bool chance(double p) { return unit() < p; }

  // An index drawn with the given non-negative weights (not all zero).
  std::size_t weighted(std::span<const double> weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = unit() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    for (std::size_t i = weights.size(); i-- > 0;)
      if (weights[i] > 0) return i;  // rounding left x at the very end
    return 0;
  }

  template <class T>
  const T& pick(std::span<const T> items) {
    return items[below(items.size())];
  }

  // Poisson with the given mean: counting for small means, a rounded
  // normal (sum of twelve uniforms) beyond, which is plenty for call counts.
  int poisson(double mean) {
    if (mean <= 0) return 0;
    if (mean < 30) {
      const double limit = std::exp(-mean);
      int k = 0;
      for (double p = unit(); p > limit; p *= unit()) ++k;
      return k;
    }
    double z = -6;
    for (int i = 0; i < 12; ++i) z += unit();
    const double x = mean + z * std::sqrt(mean) + 0.5;
    return x < 0 ? 0 : static_cast<int>(x);
  }

  // Zipf-like rank in [0, n): rank r drawn with weight 1 / (r + 1); the
  // few "usual suspects" (a plate, a route) come up again and again.
  std::size_t zipf(std::size_t n) {
    double total = 0;
    for (std::size_t r = 0; r < n; ++r) total += 1.0 / static_cast<double>(r + 1);
    double x = unit() * total;
    for (std::size_t r = 0; r < n; ++r) {
      x -= 1.0 / static_cast<double>(r + 1);
      if (x < 0) return r;
    }
    return n - 1;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix(std::uint64_t& s) {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  std::uint64_t state_[4];
};

}  // namespace suqiu::sim
