// The random numbers of the generators (sketch, cue writer): splitmix64 (Steele, Lea & Flood
// 2014), tiny, fast and the same on every platform, with the few draws the generators use written
// out here rather than taken from the standard library's distributions (whose results differ
// between implementations).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace duet::compose {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // 0 <= x < 1, 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return uniform() < p; }
  // An index drawn with the given (non-negative, not all zero) weights.
  std::size_t pick(std::span<const double> weights) {
    double total = 0;
    for (double w : weights)
      total += w;
    double x = uniform() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return weights.size() - 1;
  }

 private:
  std::uint64_t state_;
};

}  // namespace duet::compose
