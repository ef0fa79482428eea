#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "imbal/error.hpp"
#include "imbal/registry.hpp"

namespace imbal {
namespace {

std::unique_ptr<Sampler> under(std::uint64_t seed, std::vector<std::string> params = {},
                               SamplingStrategy strategy = {}) {
  SamplerOptions options;
  options.random_state = seed;
  options.sampling_strategy = std::move(strategy);
  return make_sampler("random-under", params, options);
}

struct Labels {
  std::vector<double> X;
  std::vector<std::int32_t> y;
};

// 3 classes interleaved: class 0 on every row but every 5th (1) and every 11th (2).
Labels interleaved(std::size_t n) {
  Labels l;
  for (std::size_t i = 0; i < n; ++i) {
    l.X.push_back(static_cast<double>(i));
    l.y.push_back(i % 11 == 0 ? 2 : (i % 5 == 0 ? 1 : 0));
  }
  return l;
}

TEST(RandomUnder, GroupsByClassKeepsOriginalOrderWithinClass) {
  const Labels l = interleaved(300);
  const auto r = under(1)->fit_resample(MatrixView(l.X.data(), 300, 1), l.y, 3);
  ASSERT_TRUE(r.sample_indices);
  const auto& idx = *r.sample_indices;
  // Grouped by class code, ascending indices within a class, no repeats.
  for (std::size_t i = 1; i < idx.size(); ++i) {
    const auto a = l.y[idx[i - 1]];
    const auto b = l.y[idx[i]];
    ASSERT_LE(a, b);
    if (a == b) {
      ASSERT_LT(idx[i - 1], idx[i]);
    }
  }
  const auto minority = std::count(l.y.begin(), l.y.end(), 2);
  for (std::int32_t c = 0; c < 3; ++c) EXPECT_EQ(std::count(r.y.begin(), r.y.end(), c), minority);
  for (std::size_t i = 0; i < idx.size(); ++i) EXPECT_EQ(r.X(i, 0), static_cast<double>(idx[i]));
}

TEST(RandomUnder, EveryRowIsEquallyLikelyToBeKept) {
  const Labels l = interleaved(220);
  std::vector<int> kept(220, 0);
  const int trials = 400;
  for (int s = 0; s < trials; ++s) {
    const auto r = under(static_cast<std::uint64_t>(s))->fit_resample(MatrixView(l.X.data(), 220, 1), l.y, 3);
    for (const auto i : *r.sample_indices) ++kept[i];
  }
  const double n0 = static_cast<double>(std::count(l.y.begin(), l.y.end(), 0));
  const double n2 = static_cast<double>(std::count(l.y.begin(), l.y.end(), 2));
  for (std::size_t i = 0; i < 220; ++i) {
    if (l.y[i] != 0) continue;
    const double p = n2 / n0;
    EXPECT_NEAR(kept[i], trials * p, 5 * std::sqrt(trials * p * (1 - p))) << i;
  }
}

TEST(RandomUnder, ReplacementAllowsRepeats) {
  const Labels l = interleaved(300);
  const auto r = under(2, {"replacement=true"}, SamplingStrategy::from_counts({{0, 200}}))
                     ->fit_resample(MatrixView(l.X.data(), 300, 1), l.y, 3);
  std::vector<std::size_t> class0;
  for (const auto i : *r.sample_indices) {
    if (l.y[i] == 0) class0.push_back(i);
  }
  EXPECT_EQ(class0.size(), 200U);
  EXPECT_LT(std::set<std::size_t>(class0.begin(), class0.end()).size(), 200U);
}

TEST(RandomUnder, ImpossibleCountsAreRefused) {
  const Labels l = interleaved(100);
  auto s = under(1, {}, SamplingStrategy::from_counts({{2, 1000}}));
  EXPECT_THROW(s->fit_resample(MatrixView(l.X.data(), 100, 1), l.y, 3), InvalidArgument);
  EXPECT_THROW(under(1, {"replacement=maybe"}), InvalidArgument);
  EXPECT_THROW(under(1, {"k_neighbors=3"}), InvalidArgument);
}

}  // namespace
}  // namespace imbal
