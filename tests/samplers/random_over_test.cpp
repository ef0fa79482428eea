#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <numeric>

#include "imbal/error.hpp"
#include "imbal/registry.hpp"

namespace imbal {
namespace {

struct Toy {
  std::vector<double> X;
  std::vector<std::int32_t> y;
  std::size_t rows = 0;
  std::size_t cols = 2;
  MatrixView view() const { return {X.data(), rows, cols}; }
};

Toy toy(std::size_t n_major, std::size_t n_minor) {
  Toy t;
  Rng rng(99);
  for (std::size_t i = 0; i < n_major + n_minor; ++i) {
    const bool minor = i >= n_major;
    t.X.push_back(rng.normal() * (minor ? 2.0 : 1.0) + (minor ? 10.0 : 0.0));
    t.X.push_back(rng.normal() * (minor ? 0.5 : 1.0));
    t.y.push_back(minor ? 1 : 0);
    ++t.rows;
  }
  return t;
}

std::unique_ptr<Sampler> over(std::uint64_t seed, std::vector<std::string> params = {},
                              SamplingStrategy strategy = {}) {
  SamplerOptions options;
  options.random_state = seed;
  options.sampling_strategy = std::move(strategy);
  return make_sampler("random-over", params, options);
}

TEST(RandomOver, KeepsOriginalsFirstThenBootstrapOfTheMinority) {
  const Toy t = toy(90, 10);
  const auto r = over(1)->fit_resample(t.view(), t.y, 2);
  ASSERT_EQ(r.y.size(), 180U);
  for (std::size_t i = 0; i < 100; ++i) EXPECT_EQ(r.indices[i], i);
  for (std::size_t i = 100; i < 180; ++i) {
    EXPECT_EQ(r.y[i], 1);
    EXPECT_GE(r.indices[i], 90U);
  }
  ASSERT_TRUE(r.sample_indices);
  EXPECT_EQ(*r.sample_indices, r.indices);
}

TEST(RandomOver, BootstrapIsUniformOverTheClass) {
  const Toy t = toy(5000, 10);
  const auto r = over(3)->fit_resample(t.view(), t.y, 2);
  std::map<std::size_t, int> hits;
  for (std::size_t i = t.rows; i < r.indices.size(); ++i) ++hits[r.indices[i]];
  ASSERT_EQ(hits.size(), 10U);
  const double expected = 4990.0 / 10.0;
  double chi2 = 0;
  for (const auto& [row, n] : hits) chi2 += (n - expected) * (n - expected) / expected;
  EXPECT_LT(chi2, 27.9);  // chi-square, 9 degrees of freedom, p = 0.001
}

TEST(RandomOver, RatioStrategy) {
  const Toy t = toy(100, 10);
  const auto r = over(1, {}, SamplingStrategy::from_ratio(0.5))->fit_resample(t.view(), t.y, 2);
  EXPECT_EQ(std::count(r.y.begin(), r.y.end(), 1), 50);
}

TEST(RandomOver, ShrinkageZeroGivesCopies) {
  const Toy t = toy(40, 8);
  const auto r = over(5, {"shrinkage=0"})->fit_resample(t.view(), t.y, 2);
  ASSERT_EQ(r.provenance.size(), 32U);
  for (std::size_t k = 0; k < r.provenance.size(); ++k) {
    const auto parent = static_cast<std::size_t>(r.provenance[k].parent);
    EXPECT_EQ(r.X(r.n_copied + k, 0), t.X[parent * 2]);
    EXPECT_EQ(r.X(r.n_copied + k, 1), t.X[parent * 2 + 1]);
  }
  ASSERT_TRUE(r.sample_indices);
  EXPECT_EQ(r.sample_indices->size(), 80U);
}

// The smoothed bootstrap perturbs each column by N(0, (shrinkage * h * std_class)^2) with
// h = (4 / ((d + 2) n))^(1 / (d + 4)), n = all rows (imbalanced-learn 0.10's definition).
TEST(RandomOver, ShrinkageNoiseHasTheDocumentedScale) {
  const Toy t = toy(20000, 200);
  const double shrinkage = 2.0;
  const auto r = over(7, {"shrinkage=2"})->fit_resample(t.view(), t.y, 2);
  const double n = static_cast<double>(t.rows);
  const double h = std::pow(4.0 / (4.0 * n), 1.0 / 6.0);
  for (std::size_t j = 0; j < 2; ++j) {
    double mean = 0;
    for (std::size_t i = 20000; i < t.rows; ++i) mean += t.X[i * 2 + j];
    mean /= 200.0;
    double var = 0;
    for (std::size_t i = 20000; i < t.rows; ++i) var += (t.X[i * 2 + j] - mean) * (t.X[i * 2 + j] - mean);
    const double class_std = std::sqrt(var / 200.0);
    double noise2 = 0;
    for (std::size_t k = 0; k < r.provenance.size(); ++k) {
      const auto parent = static_cast<std::size_t>(r.provenance[k].parent);
      const double e = r.X(r.n_copied + k, j) - t.X[parent * 2 + j];
      noise2 += e * e;
    }
    const double noise_std = std::sqrt(noise2 / static_cast<double>(r.provenance.size()));
    EXPECT_NEAR(noise_std, shrinkage * h * class_std, 0.02 * shrinkage * h * class_std) << "column " << j;
  }
}

TEST(RandomOver, ShrinkageErrors) {
  const Toy t = toy(40, 8);
  EXPECT_THROW(over(1, {"shrinkage=-1"}), InvalidArgument);
  EXPECT_THROW(over(1, {"shrinkage=abc"}), InvalidArgument);
  ClassLabels labels{{"neg", "pos"}, false};
  // A per-class map must name every over-sampled class.
  auto missing = over(1, {"shrinkage=neg:1"});
  EXPECT_THROW(missing->fit_resample(t.view(), t.y, 2, {}, &labels), InvalidArgument);
  auto ok = over(1, {"shrinkage=pos:1.5"});
  EXPECT_NO_THROW(ok->fit_resample(t.view(), t.y, 2, {}, &labels));
  auto unknown = over(1, {"shrinkage=zzz:1"});
  EXPECT_THROW(unknown->fit_resample(t.view(), t.y, 2, {}, &labels), InvalidArgument);
  auto categorical = over(1, {"shrinkage=1"});
  EXPECT_THROW(categorical->fit_resample(t.view(), t.y, 2, {true, false}, &labels), InvalidArgument);
}

TEST(RandomOver, ClassesAreIndependentStreams) {
  // The rows drawn for one class do not depend on whether another class is also over-sampled.
  std::vector<double> X(60);
  std::iota(X.begin(), X.end(), 0.0);
  std::vector<std::int32_t> y(60, 0);
  for (std::size_t i = 40; i < 52; ++i) y[i] = 1;
  for (std::size_t i = 52; i < 60; ++i) y[i] = 2;
  const auto both = over(4)->fit_resample(MatrixView(X.data(), 60, 1), y, 3);
  const auto only2 = over(4, {}, SamplingStrategy::from_counts({{2, 40}}))->fit_resample(MatrixView(X.data(), 60, 1), y, 3);
  std::vector<std::size_t> drawn_both;
  std::vector<std::size_t> drawn_only;
  for (std::size_t i = 60; i < both.indices.size(); ++i) {
    if (y[both.indices[i]] == 2) drawn_both.push_back(both.indices[i]);
  }
  for (std::size_t i = 60; i < only2.indices.size(); ++i) drawn_only.push_back(only2.indices[i]);
  EXPECT_EQ(drawn_both, drawn_only);
}

}  // namespace
}  // namespace imbal
