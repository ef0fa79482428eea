#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "imbal/random.hpp"

namespace imbal {
namespace {

TEST(Rng, SameSeedSameStream) {
  Rng a(42, 3);
  Rng b(42, 3);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.next(), b.next());
}

TEST(Rng, StreamsDiffer) {
  Rng a(42, 0);
  Rng b(42, 1);
  Rng c(43, 0);
  int equal_ab = 0;
  int equal_ac = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto x = a.next();
    equal_ab += x == b.next();
    equal_ac += x == c.next();
  }
  EXPECT_EQ(equal_ab, 0);
  EXPECT_EQ(equal_ac, 0);
}

// Frozen outputs: the engine is part of our contract (same seed, same bytes, every platform).
// The expected values come from an independent Python transcription of the specification in
// random.hpp (SplitMix64 seeding + xoshiro256**), kept in docs/randomness.md.
TEST(Rng, FrozenSequence) {
  Rng rng(0, 0);
  EXPECT_EQ(rng.next(), 0xfb5405f7bd79c540ULL);
  EXPECT_EQ(rng.next(), 0x780c98e26cea5883ULL);
  Rng other(42, 7);
  EXPECT_EQ(other.next(), 0x24bfb39aeb008c15ULL);
}

TEST(Rng, UniformRangeAndMean) {
  Rng rng(7);
  double sum = 0.0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / n, 0.5, 0.005);
}

TEST(Rng, BelowIsUnbiased) {
  Rng rng(11);
  std::vector<int> counts(7, 0);
  const int n = 70000;
  for (int i = 0; i < n; ++i) ++counts[rng.below(7)];
  for (const int c : counts) EXPECT_NEAR(c, n / 7, 5 * std::sqrt(n / 7.0));
  EXPECT_EQ(Rng(1).below(1), 0U);
}

TEST(Rng, NormalMoments) {
  Rng rng(5);
  const int n = 200000;
  double sum = 0.0;
  double sum2 = 0.0;
  for (int i = 0; i < n; ++i) {
    const double z = rng.normal();
    sum += z;
    sum2 += z * z;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(sum2 / n, 1.0, 0.02);
}

TEST(Rng, ChoiceWithoutReplacementIsDistinct) {
  Rng rng(9);
  const auto picked = rng.choice(100, 60, false);
  ASSERT_EQ(picked.size(), 60U);
  std::set<std::size_t> unique(picked.begin(), picked.end());
  EXPECT_EQ(unique.size(), 60U);
  EXPECT_LT(*unique.rbegin(), 100U);
  EXPECT_THROW(rng.choice(3, 4, false), std::invalid_argument);
}

TEST(Rng, ShuffleIsPermutation) {
  Rng rng(3);
  std::vector<int> v(50);
  std::iota(v.begin(), v.end(), 0);
  rng.shuffle(v);
  auto sorted = v;
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < 50; ++i) EXPECT_EQ(sorted[i], i);
  EXPECT_FALSE(std::is_sorted(v.begin(), v.end()));
}

}  // namespace
}  // namespace imbal
