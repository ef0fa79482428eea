// Randomness we own. Every random draw in imbal comes from this engine so that results are the
// same on every platform and standard library, and independent of the thread count.
//
// Specification (docs/randomness.md):
// - generator: xoshiro256** 1.0 (Blackman & Vigna, 2018);
// - seeding: the four state words are successive outputs of SplitMix64 started at
//   seed ^ mix(stream), where mix is the SplitMix64 finaliser of stream + 0x9E3779B97F4A7C15;
//   Rng(seed, s) for different s are independent streams (one per task, class or tree);
// - uniform(): top 53 bits / 2^53, in [0, 1);
// - below(n): Lemire's nearly-divisionless method (unbiased), in [0, n);
// - normal(): Marsaglia's polar method, the second value of each pair is cached;
// - shuffle: Fisher-Yates, for i = n-1 down to 1 swap positions i and below(i + 1);
// - choice without replacement: partial Fisher-Yates over 0..n-1, for i = 0..k-1 swap
//   positions i and i + below(n - i), then take the first k (in draw order);
//   choice with replacement: k draws of below(n).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace imbal {

class Rng {
 public:
  explicit Rng(std::uint64_t seed, std::uint64_t stream = 0);

  /// Next raw 64-bit output.
  std::uint64_t next();
  /// Uniform double in [0, 1).
  double uniform();
  /// Uniform double in [low, high).
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  /// Uniform integer in [0, n); n must be > 0.
  std::uint64_t below(std::uint64_t n);
  /// Standard normal deviate.
  double normal();
  /// In-place Fisher-Yates shuffle.
  template <class T>
  void shuffle(std::span<T> values) {
    for (std::size_t i = values.size(); i > 1; --i) {
      const std::size_t j = static_cast<std::size_t>(below(i));
      std::swap(values[i - 1], values[j]);
    }
  }
  template <class T>
  void shuffle(std::vector<T>& values) {
    shuffle(std::span<T>(values));
  }
  /// k indices from [0, n): distinct (in draw order) unless `replace`.
  std::vector<std::size_t> choice(std::size_t n, std::size_t k, bool replace);
  /// A new, independent stream derived from this engine's seed.
  Rng stream(std::uint64_t stream_id) const { return Rng(seed_, stream_id); }
  std::uint64_t seed() const { return seed_; }

 private:
  std::uint64_t seed_;
  std::uint64_t s_[4];
  bool has_cached_normal_ = false;
  double cached_normal_ = 0.0;
};

/// A seed from the operating system's entropy source (used when the caller gives none).
std::uint64_t random_seed();

}  // namespace imbal
