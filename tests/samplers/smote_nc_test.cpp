#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "imbal/error.hpp"
#include "imbal/registry.hpp"
#include "samplers/nominal_golden.hpp"
#include "samplers/smote_nc.hpp"

namespace imbal {
namespace {

std::unique_ptr<Sampler> smote_nc(std::uint64_t seed, std::vector<std::string> params = {}, int jobs = 1) {
  SamplerOptions options;
  options.random_state = seed;
  options.n_jobs = jobs;
  return make_sampler("smote-nc", params, options);
}

// Mixed data: columns 0, 1 numeric, column 2 categorical (4 levels), column 3 categorical (2).
struct Mixed {
  std::vector<double> X;
  std::vector<std::int32_t> y;
  std::size_t n = 0;
  static constexpr std::size_t d = 4;
  std::vector<bool> categorical{false, false, true, true};
  MatrixView view() const { return {X.data(), n, d}; }
};

Mixed mixed(std::size_t n_major, std::size_t n_minor, std::uint64_t seed) {
  Mixed m;
  Rng rng(seed);
  for (std::size_t i = 0; i < n_major; ++i) {
    m.X.insert(m.X.end(), {rng.normal(), rng.normal(), static_cast<double>(rng.below(4)),
                           static_cast<double>(rng.below(2))});
    m.y.push_back(0);
  }
  for (std::size_t i = 0; i < n_minor; ++i) {
    m.X.insert(m.X.end(), {1 + 0.5 * rng.normal(), 2 * rng.normal(), static_cast<double>(rng.below(3)),
                           static_cast<double>(rng.below(2))});
    m.y.push_back(1);
  }
  m.n = n_major + n_minor;
  return m;
}

// The squared distance imbalanced-learn's encoding gives, written independently.
double encoded_sq(const Mixed& m, std::size_t a, std::size_t b, double median_std) {
  double s = 0.0;
  for (std::size_t j = 0; j < 2; ++j) s += (m.X[a * 4 + j] - m.X[b * 4 + j]) * (m.X[a * 4 + j] - m.X[b * 4 + j]);
  for (std::size_t j = 2; j < 4; ++j) {
    if (m.X[a * 4 + j] != m.X[b * 4 + j]) s += 2 * (median_std / 2) * (median_std / 2);
  }
  return s;
}

double median_std_of(const Mixed& m, std::int32_t cls) {
  std::vector<double> stds;
  for (std::size_t j = 0; j < 2; ++j) {
    double sum = 0, sq = 0, cnt = 0;
    for (std::size_t i = 0; i < m.n; ++i) {
      if (m.y[i] != cls) continue;
      sum += m.X[i * 4 + j];
      cnt += 1;
    }
    const double mean = sum / cnt;
    for (std::size_t i = 0; i < m.n; ++i) {
      if (m.y[i] == cls) sq += (m.X[i * 4 + j] - mean) * (m.X[i * 4 + j] - mean);
    }
    stds.push_back(std::sqrt(sq / cnt));
  }
  return (stds[0] + stds[1]) / 2;
}

TEST(SmoteNc, NeighboursUnderTheEncodedMetricAndCategoriesByMajority) {
  const Mixed m = mixed(300, 60, 1);
  const std::size_t k = 5;
  const auto r = smote_nc(3)->fit_resample(m.view(), m.y, 2, m.categorical);
  ASSERT_EQ(r.provenance.size(), 240U);
  const double ms = median_std_of(m, 1);
  std::vector<std::size_t> minority;
  for (std::size_t i = 0; i < m.n; ++i) {
    if (m.y[i] == 1) minority.push_back(i);
  }
  std::size_t ties = 0;
  for (std::size_t s = 0; s < r.provenance.size(); ++s) {
    const auto& p = r.provenance[s];
    const auto a = static_cast<std::size_t>(p.parent);
    const auto b = static_cast<std::size_t>(p.neighbor);
    ASSERT_EQ(m.y[a], 1);
    ASSERT_EQ(m.y[b], 1);
    ASSERT_NE(a, b);
    // The k nearest by (distance, index), the parent excluded by index.
    std::vector<std::pair<double, std::size_t>> all;
    for (const auto j : minority) {
      if (j != a) all.emplace_back(encoded_sq(m, a, j, ms), j);
    }
    std::sort(all.begin(), all.end());
    std::vector<std::size_t> nn;
    for (std::size_t t = 0; t < k; ++t) nn.push_back(all[t].second);
    ASSERT_NE(std::find(nn.begin(), nn.end(), b), nn.end()) << "neighbour among the k nearest";
    const std::size_t row = r.n_copied + s;
    for (std::size_t j = 0; j < 2; ++j) {
      EXPECT_DOUBLE_EQ(r.X(row, j), m.X[a * 4 + j] + p.step * (m.X[b * 4 + j] - m.X[a * 4 + j]));
    }
    for (std::size_t j = 2; j < 4; ++j) {
      std::map<double, int> votes;
      for (const auto q : nn) ++votes[m.X[q * 4 + j]];
      int best = 0;
      for (const auto& [v, c] : votes) best = std::max(best, c);
      ASSERT_EQ(votes[r.X(row, j)], best) << "the category is a most frequent one among the neighbours";
      int n_best = 0;
      for (const auto& [v, c] : votes) n_best += c == best ? 1 : 0;
      ties += n_best > 1 ? 1 : 0;
    }
  }
  EXPECT_GT(ties, 0U) << "the data should exercise ties";
}

TEST(SmoteNc, TiesAreBrokenAtRandomAmongTheTiedCategoriesOnly) {
  // k = 2 and a class whose rows alternate categories 0 / 1 along a line: each row's two nearest
  // neighbours disagree, so both categories must appear and no other.
  std::vector<double> X;
  std::vector<std::int32_t> y;
  for (int i = 0; i < 40; ++i) {
    X.insert(X.end(), {static_cast<double>(i), 2.0});
    y.push_back(0);
  }
  for (int i = 0; i < 9; ++i) {
    X.insert(X.end(), {100.0 + i, static_cast<double>(i % 2)});
    y.push_back(1);
  }
  const auto r = smote_nc(5, {"k_neighbors=2"})->fit_resample(MatrixView(X.data(), 49, 2), y, 2, {false, true});
  std::map<double, int> seen;
  for (std::size_t row = r.n_copied; row < r.y.size(); ++row) {
    const auto& p = r.provenance[row - r.n_copied];
    const auto a = static_cast<std::size_t>(p.parent) - 40;
    if (a == 0 || a == 8) continue;  // end rows: both neighbours on one side
    ++seen[r.X(row, 1)];
  }
  EXPECT_EQ(seen.size(), 2U);
  EXPECT_GT(seen[0.0], 3);
  EXPECT_GT(seen[1.0], 3);
}

TEST(SmoteNc, MedianStdComesFromTheMinorityClassForEveryTargetedClass) {
  Mixed m = mixed(200, 50, 2);
  // A third class (middle size) targeted as well: median_std is still the minority's.
  for (std::size_t i = 0; i < 80; ++i) {
    m.X.insert(m.X.end(), {5.0 * static_cast<double>(i), -3.0 * static_cast<double>(i), 1.0, 0.0});
    m.y.push_back(2);
  }
  m.n += 80;
  SamplerInput in;
  in.X = m.view();
  in.y = m.y;
  in.n_classes = 3;
  in.class_rows.resize(3);
  for (std::size_t i = 0; i < m.n; ++i) in.class_rows[static_cast<std::size_t>(m.y[i])].push_back(i);
  in.categorical = m.categorical;
  std::int32_t minority = -1;
  EXPECT_NEAR(detail::smote_nc_median_std(in, &minority), median_std_of(m, 1), 1e-12);
  EXPECT_EQ(minority, 1);
  const auto r = smote_nc(1)->fit_resample(m.view(), m.y, 3, m.categorical);
  EXPECT_EQ(r.y.size(), 600U);
}

TEST(SmoteNc, MedianStdTiesGoToTheClassSeenFirst) {
  // Two classes of 10 rows and one of 30; class 1 appears first in y: Counter order.
  std::vector<double> X;
  std::vector<std::int32_t> y;
  Rng rng(4);
  const std::int32_t order[] = {2, 1, 0};
  const std::size_t sizes[] = {30, 10, 10};
  for (int c = 0; c < 3; ++c) {
    for (std::size_t i = 0; i < sizes[c]; ++i) {
      X.insert(X.end(), {rng.normal() * (1 + order[c]), static_cast<double>(rng.below(2))});
      y.push_back(order[c]);
    }
  }
  SamplerInput in;
  in.X = MatrixView(X.data(), y.size(), 2);
  in.y = y;
  in.n_classes = 3;
  in.class_rows.resize(3);
  for (std::size_t i = 0; i < y.size(); ++i) in.class_rows[static_cast<std::size_t>(y[i])].push_back(i);
  in.categorical = {false, true};
  std::int32_t minority = -1;
  (void)detail::smote_nc_median_std(in, &minority);
  EXPECT_EQ(minority, 1);
}

TEST(SmoteNc, RefusesDataWithoutCategoricalOrWithoutNumericColumns) {
  const Mixed m = mixed(50, 10, 3);
  try {
    smote_nc(1)->fit_resample(m.view(), m.y, 2);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("use smote "), std::string::npos) << e.what();
  }
  try {
    smote_nc(1)->fit_resample(m.view(), m.y, 2, {true, true, true, true});
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("use smoten"), std::string::npos) << e.what();
  }
}

TEST(SmoteNc, SmallClassNamesTheFix) {
  const Mixed m = mixed(50, 4, 3);
  try {
    smote_nc(1)->fit_resample(m.view(), m.y, 2, m.categorical);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("k_neighbors=3"), std::string::npos) << e.what();
  }
}

TEST(SmoteNc, SameOutputAtOneAndTwoThreads) {
  const Mixed m = mixed(500, 120, 6);
  const auto a = smote_nc(9, {}, 1)->fit_resample(m.view(), m.y, 2, m.categorical);
  const auto b = smote_nc(9, {}, 2)->fit_resample(m.view(), m.y, 2, m.categorical);
  EXPECT_EQ(a.X.storage(), b.X.storage());
}

TEST(SmoteNc, MedianStdEqualsImbalancedLearnOnTheSharedDatasets) {
  if (!testing_nominal::have_datasets()) GTEST_SKIP() << "shared datasets not found";
  std::size_t checked = 0;
  for (const auto& g : testing_nominal::golden()) {
    if (g.kind != "median_std") continue;
    const Dataset data = testing_nominal::load(g.dataset);
    const SamplerInput in = testing_nominal::input_of(data, data.categorical_mask());
    EXPECT_NEAR(detail::smote_nc_median_std(in), g.value, 1e-12 * g.value) << g.dataset;
    ++checked;
  }
  EXPECT_EQ(checked, 2U);
}

}  // namespace
}  // namespace imbal
