#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "imbal/error.hpp"
#include "imbal/neighbors.hpp"
#include "imbal/registry.hpp"
#include "samplers/borderline.hpp"

namespace imbal {
namespace {

std::unique_ptr<Sampler> borderline(std::uint64_t seed, std::vector<std::string> params = {},
                                    SamplingStrategy strategy = {}) {
  SamplerOptions options;
  options.random_state = seed;
  options.sampling_strategy = std::move(strategy);
  return make_sampler("borderline-smote", params, options);
}

// A hand-made 1-D example (m_neighbors = 4). Class 1's rows and the other-class rows among their
// 4 nearest rows (itself excluded by index):
//   20 21 22 23 24    -> 0 (safe)         4.5         -> 4 (noise: all foreign)
//   9.5 10.6          -> 3 (danger)       35.5 37 38.2 -> 1 (safe: fewer than m/2)
//   39.1              -> 2 (danger, m/2 is included)
//   43 43 (duplicates: each is the other's nearest neighbour at distance 0) -> 2 (danger)
struct HandMade {
  std::vector<double> X{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 40, 41.5,
                        20, 21, 22, 23, 24, 4.5, 9.5, 10.6, 35.5, 37, 38.2, 39.1, 43, 43};
  std::vector<std::int32_t> y;
  HandMade() {
    y.assign(12, 0);
    y.resize(X.size(), 1);
  }
  SamplerInput input() const {
    SamplerInput in;
    in.X = MatrixView(X.data(), X.size(), 1);
    in.y = y;
    in.n_classes = 2;
    in.class_rows.resize(2);
    for (std::size_t i = 0; i < y.size(); ++i) in.class_rows[static_cast<std::size_t>(y[i])].push_back(i);
    in.n_jobs = 1;
    return in;
  }
};

TEST(BorderlineSmote, DangerRuleIsImbalancedLearns) {
  // m/2 <= n_foreign < m, with m/2 a real number: m = 10 -> 5..9, m = 5 -> 3..4, m = 4 -> 2..3.
  for (std::size_t n = 0; n <= 10; ++n) EXPECT_EQ(detail::borderline_in_danger(n, 10), n >= 5 && n < 10) << n;
  for (std::size_t n = 0; n <= 5; ++n) EXPECT_EQ(detail::borderline_in_danger(n, 5), n >= 3 && n < 5) << n;
  for (std::size_t n = 0; n <= 4; ++n) EXPECT_EQ(detail::borderline_in_danger(n, 4), n >= 2 && n < 4) << n;
  EXPECT_FALSE(detail::borderline_in_danger(1, 1));
  EXPECT_FALSE(detail::borderline_in_danger(0, 1));
}

TEST(BorderlineSmote, DangerSetOnAHandMadeExample) {
  const HandMade h;
  const auto in = h.input();
  const auto danger = detail::borderline_danger(in, 1, 4);
  const std::vector<bool> expected{false, false, false, false, false, false, true, true,
                                   false, false, false, true, true, true};
  EXPECT_EQ(danger, expected);
  // The majority class: 9 (row 9) has 9.5 and 10.6 among its 4 nearest -> 2 foreign -> danger.
  const auto majority = detail::borderline_danger(in, 0, 4);
  ASSERT_EQ(majority.size(), 12U);
  EXPECT_TRUE(majority[9]);
  EXPECT_FALSE(majority[0]);
}

TEST(BorderlineSmote, Borderline1CreatesRowsFromDangerRowsOnly) {
  const HandMade h;
  // Class 1 (14 rows) is the majority here: grow it explicitly.
  const auto grow = borderline(3, {"m_neighbors=4", "k_neighbors=2"}, SamplingStrategy::from_counts({{1, 514}}))
                        ->fit_resample(MatrixView(h.X.data(), h.X.size(), 1), h.y, 2);
  ASSERT_EQ(grow.provenance.size(), 500U) << "exactly the requested count";
  const std::set<std::int64_t> danger_rows{18, 19, 23, 24, 25};
  std::set<std::int64_t> parents;
  std::vector<std::size_t> class_rows;
  for (std::size_t i = 12; i < h.X.size(); ++i) class_rows.push_back(i);
  const NeighborIndex index(MatrixView(h.X.data(), h.X.size(), 1), class_rows);
  const auto knn = index.query_rows(class_rows, 2);
  for (std::size_t s = 0; s < grow.provenance.size(); ++s) {
    const auto& p = grow.provenance[s];
    ASSERT_TRUE(danger_rows.count(p.parent)) << p.parent;
    parents.insert(p.parent);
    const auto nbrs = knn.indices(static_cast<std::size_t>(p.parent) - 12);
    EXPECT_NE(std::find(nbrs.begin(), nbrs.end(), static_cast<std::size_t>(p.neighbor)), nbrs.end());
    EXPECT_GE(p.step, 0.0);
    EXPECT_LT(p.step, 1.0);
    const double a = h.X[static_cast<std::size_t>(p.parent)];
    const double b = h.X[static_cast<std::size_t>(p.neighbor)];
    EXPECT_DOUBLE_EQ(grow.X(grow.n_copied + s, 0), a + p.step * (b - a));
  }
  EXPECT_EQ(parents, danger_rows) << "500 draws reach all 5 danger rows";
  // The duplicated row 43 (rows 24, 25): its same-class neighbour at distance 0 is the other copy.
  for (const auto& p : grow.provenance) {
    if (p.parent == 24) {
      EXPECT_TRUE(p.neighbor == 25 || p.neighbor == 23) << p.neighbor;
    }
  }
}

// Two overlapping Gaussian classes in 2-D.
struct Overlap {
  std::vector<double> X;
  std::vector<std::int32_t> y;
  std::size_t n = 0;
  explicit Overlap(std::uint64_t seed, std::size_t n_major = 400, std::size_t n_minor = 60) {
    Rng rng(seed);
    for (std::size_t i = 0; i < n_major + n_minor; ++i) {
      const bool minor = i >= n_major;
      X.push_back(rng.normal() + (minor ? 1.2 : 0.0));
      X.push_back(rng.normal());
      y.push_back(minor ? 1 : 0);
    }
    n = n_major + n_minor;
  }
  MatrixView view() const { return {X.data(), n, 2}; }
};

TEST(BorderlineSmote, Borderline2ForeignNeighboursGetStepsBelowOneHalf) {
  const Overlap d(5);
  SamplerInput in;
  in.X = d.view();
  in.y = d.y;
  in.n_classes = 2;
  in.class_rows.resize(2);
  for (std::size_t i = 0; i < d.n; ++i) in.class_rows[static_cast<std::size_t>(d.y[i])].push_back(i);
  const auto mask = detail::borderline_danger(in, 1, 10);
  std::set<std::size_t> danger;
  for (std::size_t i = 0; i < mask.size(); ++i) {
    if (mask[i]) danger.insert(in.class_rows[1][i]);
  }
  ASSERT_GT(danger.size(), 3U);

  const auto r = borderline(9, {"kind=borderline-2"})->fit_resample(d.view(), d.y, 2);
  ASSERT_EQ(r.provenance.size(), 340U) << "exactly the plan, whatever the Beta split";
  const NeighborIndex all(d.view());
  const NeighborIndex same(d.view(), in.class_rows[1]);
  std::size_t foreign = 0;
  std::size_t same_class = 0;
  for (std::size_t s = 0; s < r.provenance.size(); ++s) {
    const auto& p = r.provenance[s];
    const auto parent = static_cast<std::size_t>(p.parent);
    const auto neighbor = static_cast<std::size_t>(p.neighbor);
    ASSERT_TRUE(danger.count(parent));
    EXPECT_EQ(r.y[r.n_copied + s], 1);
    if (d.y[neighbor] != 1) {
      ++foreign;
      EXPECT_GE(p.step, 0.0);
      EXPECT_LT(p.step, 0.5) << "towards another class: at most half way";
      const std::size_t q[] = {parent};
      const Neighbors any = all.query_rows(q, 5);
      const auto nbrs = any.indices(0);
      EXPECT_NE(std::find(nbrs.begin(), nbrs.end(), neighbor), nbrs.end()) << "a k nearest row of any class";
    } else {
      ++same_class;
      EXPECT_GE(p.step, 0.0);
      EXPECT_LT(p.step, 1.0);
      const std::size_t q[] = {parent};
      const Neighbors same_nn = same.query_rows(q, 5);
      const Neighbors all_nn = all.query_rows(q, 5);
      const auto nbrs_same = same_nn.indices(0);
      const auto nbrs_all = all_nn.indices(0);
      EXPECT_TRUE(std::find(nbrs_same.begin(), nbrs_same.end(), neighbor) != nbrs_same.end() ||
                  std::find(nbrs_all.begin(), nbrs_all.end(), neighbor) != nbrs_all.end());
    }
    for (std::size_t j = 0; j < 2; ++j) {
      const double a = d.X[parent * 2 + j];
      const double b = d.X[neighbor * 2 + j];
      EXPECT_NEAR(r.X(r.n_copied + s, j), a + p.step * (b - a), 1e-12) << "on the segment";
    }
  }
  EXPECT_GT(foreign, 20U);
  EXPECT_GT(same_class, 100U);
}

TEST(BorderlineSmote, Borderline2SplitsLikeImbalancedLearn) {
  // First part floor(f * (n + 1)); the second part is the rest (imbalanced-learn's
  // floor((1 - f) * n) can be one short: f = 0.45, n = 10 gives 4 + 5).
  EXPECT_EQ(detail::borderline2_same_class_count(0.5, 10), 5U);
  EXPECT_EQ(detail::borderline2_same_class_count(0.45, 10), 4U);
  EXPECT_EQ(detail::borderline2_same_class_count(0.0, 10), 0U);
  EXPECT_EQ(detail::borderline2_same_class_count(0.9999999, 10), 10U);
  EXPECT_EQ(detail::borderline2_same_class_count(0.5, 0), 0U);
}

TEST(BorderlineSmote, BetaDeviatesHaveBeta10And10Moments) {
  Rng rng(42);
  const std::size_t n = 200000;
  double sum = 0.0;
  double sum2 = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double b = detail::beta_deviate(rng, 10.0, 10.0);
    ASSERT_GT(b, 0.0);
    ASSERT_LT(b, 1.0);
    sum += b;
    sum2 += b * b;
  }
  const double mean = sum / static_cast<double>(n);
  const double var = sum2 / static_cast<double>(n) - mean * mean;
  EXPECT_NEAR(mean, 0.5, 0.001);             // sd of the mean: 0.109 / sqrt(2e5) = 2.4e-4
  EXPECT_NEAR(var, 100.0 / (400.0 * 21.0), 2e-4);  // 1/84
  // Gamma(shape) has mean and variance `shape`.
  Rng g(7);
  double gs = 0.0;
  double gs2 = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = detail::gamma_deviate(g, 10.0);
    gs += x;
    gs2 += x * x;
  }
  const double gmean = gs / static_cast<double>(n);
  EXPECT_NEAR(gmean, 10.0, 0.03);
  EXPECT_NEAR(gs2 / static_cast<double>(n) - gmean * gmean, 10.0, 0.2);
}

TEST(BorderlineSmote, NoRowInDangerIsAClearError) {
  // Two far-apart clusters: every minority row is safe.
  std::vector<double> X;
  std::vector<std::int32_t> y;
  for (int i = 0; i < 40; ++i) {
    X.push_back(i);
    y.push_back(0);
  }
  for (int i = 0; i < 12; ++i) {
    X.push_back(1000 + i);
    y.push_back(1);
  }
  const ClassLabels labels{{"neg", "pos"}, false};
  try {
    borderline(1)->fit_resample(MatrixView(X.data(), X.size(), 1), y, 2, {}, &labels);
    FAIL() << "expected an error";
  } catch (const InvalidArgument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("no row of class 'pos' is in danger"), std::string::npos) << what;
    EXPECT_NE(what.find("12 are safe and 0 are noise"), std::string::npos) << what;
    EXPECT_NE(what.find("28 new rows"), std::string::npos) << what;
    EXPECT_NE(what.find("Use smote"), std::string::npos) << what;
  }
}

TEST(BorderlineSmote, TooLargeNeighbourCountsAreClearErrors) {
  const HandMade h;
  const auto view = MatrixView(h.X.data(), h.X.size(), 1);
  const auto grow = SamplingStrategy::from_counts({{1, 20}});
  try {
    borderline(1, {"m_neighbors=30"}, grow)->fit_resample(view, h.y, 2);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("m_neighbors=30 needs at least 31 rows"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("m_neighbors=25"), std::string::npos) << e.what();
  }
  try {
    borderline(1, {"m_neighbors=4", "k_neighbors=14"}, grow)->fit_resample(view, h.y, 2);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("k_neighbors=14"), std::string::npos) << e.what();
  }
}

TEST(BorderlineSmote, CategoricalColumnsAreRefused) {
  const Overlap d(2);
  EXPECT_THROW(borderline(1)->fit_resample(d.view(), d.y, 2, {false, true}), InvalidArgument);
}

}  // namespace
}  // namespace imbal
