#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "imbal/error.hpp"
#include "imbal/neighbors.hpp"
#include "imbal/registry.hpp"
#include "samplers/adasyn.hpp"

namespace imbal {
namespace {

std::unique_ptr<Sampler> adasyn(std::uint64_t seed, std::vector<std::string> params = {},
                                SamplingStrategy strategy = {}) {
  SamplerOptions options;
  options.random_state = seed;
  options.sampling_strategy = std::move(strategy);
  return make_sampler("adasyn", params, options);
}

// 1-D: class 0 = 0..9, 40, 41.5; class 1 below. With n_neighbors = 4 the rows of other classes
// among each class-1 row's 4 nearest rows (itself excluded by index) are
//   20..24 -> 0, 4.5 -> 4, 9.5 10.6 -> 3, 35.5 37 38.2 -> 1, 39.1 43 43 -> 2   (sum 19).
struct HandMade {
  std::vector<double> X{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 40, 41.5,
                        20, 21, 22, 23, 24, 4.5, 9.5, 10.6, 35.5, 37, 38.2, 39.1, 43, 43};
  std::vector<std::int32_t> y;
  HandMade() {
    y.assign(12, 0);
    y.resize(X.size(), 1);
  }
  MatrixView view() const { return {X.data(), X.size(), 1}; }
  SamplerInput input() const {
    SamplerInput in;
    in.X = view();
    in.y = y;
    in.n_classes = 2;
    in.class_rows.resize(2);
    for (std::size_t i = 0; i < y.size(); ++i) in.class_rows[static_cast<std::size_t>(y[i])].push_back(i);
    in.n_jobs = 1;
    return in;
  }
};

const std::vector<std::size_t> kForeign{0, 0, 0, 0, 0, 4, 3, 3, 1, 1, 1, 2, 2, 2};

TEST(Adasyn, RatiosAreForeignNeighbourSharesNormalised) {
  const HandMade h;
  const auto in = h.input();
  EXPECT_EQ(detail::adasyn_foreign_counts(in, 1, 4), kForeign);
  const auto ratios = detail::adasyn_ratios(in, 1, 4);
  ASSERT_EQ(ratios.size(), kForeign.size());
  for (std::size_t i = 0; i < ratios.size(); ++i) {
    EXPECT_DOUBLE_EQ(ratios[i], static_cast<double>(kForeign[i]) / 19.0);
  }
  EXPECT_NEAR(std::accumulate(ratios.begin(), ratios.end(), 0.0), 1.0, 1e-15);
}

TEST(Adasyn, LargestRemainderAllocationIsExact) {
  using V = std::vector<std::size_t>;
  EXPECT_EQ(detail::largest_remainder_allocation(V{1, 1, 1}, 10), (V{4, 3, 3})) << "ties by position";
  EXPECT_EQ(detail::largest_remainder_allocation(V{0, 2, 3}, 7), (V{0, 3, 4}));
  EXPECT_EQ(detail::largest_remainder_allocation(V{0, 2, 3}, 0), (V{0, 0, 0}));
  EXPECT_EQ(detail::largest_remainder_allocation(V{5}, 123), (V{123}));
  // The hand-made ratios, 100 new rows: quotas 21.05, 15.79 (x2), 5.26 (x3), 10.53 (x3); the four
  // rows left after the floors go to the remainders .79, .79, .53, .53 (ties by position).
  // imbalanced-learn's np.rint gives 21 + 2*16 + 3*5 + 3*11 = 101 rows instead of 100.
  EXPECT_EQ(detail::largest_remainder_allocation(kForeign, 100),
            (V{0, 0, 0, 0, 0, 21, 16, 16, 5, 5, 5, 11, 11, 10}));
  Rng rng(3);
  for (int trial = 0; trial < 200; ++trial) {
    V w(1 + rng.below(30));
    for (auto& x : w) x = static_cast<std::size_t>(rng.below(11));
    w[0] += 1;
    const auto total = static_cast<std::size_t>(rng.below(5000));
    const auto parts = detail::largest_remainder_allocation(w, total);
    const double sum = std::accumulate(w.begin(), w.end(), 0.0);
    ASSERT_EQ(std::accumulate(parts.begin(), parts.end(), std::size_t{0}), total);
    for (std::size_t i = 0; i < w.size(); ++i) {
      const double quota = static_cast<double>(w[i]) * static_cast<double>(total) / sum;
      EXPECT_LT(std::abs(static_cast<double>(parts[i]) - quota), 1.0);
    }
  }
}

TEST(Adasyn, EachRowGetsItsAllocationTowardsSameClassNeighbours) {
  const HandMade h;
  const auto r = adasyn(5, {"n_neighbors=4"}, SamplingStrategy::from_counts({{1, 114}}))->fit_resample(h.view(), h.y, 2);
  ASSERT_EQ(r.provenance.size(), 100U) << "exactly the requested count";
  std::map<std::int64_t, std::size_t> per_parent;
  std::vector<std::size_t> class_rows;
  for (std::size_t i = 12; i < h.X.size(); ++i) class_rows.push_back(i);
  const NeighborIndex index(h.view(), class_rows);
  const auto knn = index.query_rows(class_rows, 4);
  for (std::size_t s = 0; s < r.provenance.size(); ++s) {
    const auto& p = r.provenance[s];
    ++per_parent[p.parent];
    EXPECT_EQ(r.y[r.n_copied + s], 1);
    const auto nbrs = knn.indices(static_cast<std::size_t>(p.parent) - 12);
    EXPECT_NE(std::find(nbrs.begin(), nbrs.end(), static_cast<std::size_t>(p.neighbor)), nbrs.end());
    EXPECT_GE(p.step, 0.0);
    EXPECT_LT(p.step, 1.0);
    const double a = h.X[static_cast<std::size_t>(p.parent)];
    const double b = h.X[static_cast<std::size_t>(p.neighbor)];
    EXPECT_DOUBLE_EQ(r.X(r.n_copied + s, 0), a + p.step * (b - a));
  }
  const std::vector<std::size_t> expected{0, 0, 0, 0, 0, 21, 16, 16, 5, 5, 5, 11, 11, 10};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto it = per_parent.find(static_cast<std::int64_t>(12 + i));
    EXPECT_EQ(it == per_parent.end() ? 0U : it->second, expected[i]) << "row " << 12 + i;
  }
}

TEST(Adasyn, DefaultStrategyCountsAreExactOnRandomData) {
  Rng rng(8);
  std::vector<double> X;
  std::vector<std::int32_t> y;
  for (std::size_t i = 0; i < 700; ++i) {
    const std::int32_t c = i < 500 ? 0 : (i < 630 ? 1 : 2);
    for (int j = 0; j < 3; ++j) X.push_back(rng.normal() + 0.8 * c);
    y.push_back(c);
  }
  const auto r = adasyn(1)->fit_resample(MatrixView(X.data(), 700, 3), y, 3);
  EXPECT_EQ(std::count(r.y.begin(), r.y.end(), 0), 500);
  EXPECT_EQ(std::count(r.y.begin(), r.y.end(), 1), 500);
  EXPECT_EQ(std::count(r.y.begin(), r.y.end(), 2), 500);
}

TEST(Adasyn, AllRatiosZeroIsAClearError) {
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
    adasyn(1)->fit_resample(MatrixView(X.data(), X.size(), 1), y, 2, {}, &labels);
    FAIL() << "expected an error";
  } catch (const InvalidArgument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("none of the n_neighbors=5 nearest rows of any row of class 'pos'"), std::string::npos)
        << what;
    EXPECT_NE(what.find("use smote"), std::string::npos) << what;
  }
}

TEST(Adasyn, TooLargeNeighbourCountsAreClearErrors) {
  const HandMade h;
  const auto grow = SamplingStrategy::from_counts({{1, 20}});
  try {
    adasyn(1, {"n_neighbors=26"}, grow)->fit_resample(h.view(), h.y, 2);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("n_neighbors=26 needs at least 27 rows"), std::string::npos) << e.what();
  }
  try {
    adasyn(1, {"n_neighbors=14"}, grow)->fit_resample(h.view(), h.y, 2);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("has 14 rows, but n_neighbors=14"), std::string::npos) << e.what();
  }
}

TEST(Adasyn, DuplicatesStayNeighbours) {
  // Rows 24 and 25 are both 43: with n_neighbors = 2 each has the other (distance 0) and 39.1
  // (row 23) as same-class neighbours, and one foreign row (41.5) among its 2 nearest rows.
  const HandMade h;
  const auto r = adasyn(2, {"n_neighbors=2"}, SamplingStrategy::from_counts({{1, 114}}))->fit_resample(h.view(), h.y, 2);
  ASSERT_EQ(r.provenance.size(), 100U);
  std::size_t towards_copy = 0;
  for (const auto& p : r.provenance) {
    EXPECT_NE(p.parent, p.neighbor) << "never the row itself";
    if (p.parent == 24) {
      EXPECT_TRUE(p.neighbor == 25 || p.neighbor == 23) << p.neighbor;
      towards_copy += p.neighbor == 25 ? 1 : 0;
    }
  }
  EXPECT_GT(towards_copy, 0U);
}

}  // namespace
}  // namespace imbal
