#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "imbal/csv.hpp"
#include "imbal/error.hpp"
#include "imbal/registry.hpp"
#include "samplers/nominal_golden.hpp"
#include "samplers/smoten.hpp"

namespace imbal {
namespace {

std::unique_ptr<Sampler> smoten(std::uint64_t seed, std::vector<std::string> params = {}, int jobs = 1) {
  SamplerOptions options;
  options.random_state = seed;
  options.n_jobs = jobs;
  return make_sampler("smoten", params, options);
}

TEST(Smoten, ValueDifferenceMetricByHand) {
  // One feature, values a (code 0) and b (code 1); classes 0/1.
  // a: 3 rows of class 0, 1 of class 1 -> P = (3/4, 1/4); b: 1 / 1 -> (1/2, 1/2).
  // d(a, b) = (|3/4 - 1/2| + |1/4 - 1/2|)^2 = 0.25.
  std::vector<double> X{0, 0, 0, 0, 1, 1};
  std::vector<std::int32_t> y{0, 0, 0, 1, 0, 1};
  SamplerInput in;
  in.X = MatrixView(X.data(), 6, 1);
  in.y = y;
  in.n_classes = 2;
  in.categorical = std::vector<bool>(1, true);
  const auto codes = detail::ordinal_encode(in, {0});
  const detail::ValueDifferenceMetric vdm(codes, y, 2);
  const std::int32_t a = 0;
  const std::int32_t b = 1;
  EXPECT_DOUBLE_EQ(vdm.distance(&a, &b), 0.25);
  EXPECT_DOUBLE_EQ(vdm.distance(&a, &a), 0.0);
}

TEST(Smoten, CategoriesOrderedAsImbalancedLearnSortsThem) {
  // Spellings in first-appearance order "z", "b", "m": ordinals follow the sorted spellings.
  const Dataset data = parse_csv("c,n,target\nz,10,p\nb,2,p\nm,2,q\nz,1,q\n", "t.csv");
  ASSERT_TRUE(data.columns()[0].categorical());
  SamplerInput in = testing_nominal::input_of(data, data.categorical_mask());
  const auto codes = detail::ordinal_encode(in, {0, 1});
  EXPECT_EQ(codes(0, 0), 2);  // z
  EXPECT_EQ(codes(1, 0), 0);  // b
  EXPECT_EQ(codes(2, 0), 1);  // m
  EXPECT_EQ(codes(0, 1), 2);  // 10 (numeric order, not "10" < "2")
  EXPECT_EQ(codes(1, 1), 1);
  EXPECT_EQ(codes(3, 1), 0);
}

TEST(Smoten, NumericSpellingsOfACategoricalColumnSortAsNumbers) {
  CsvReadOptions options;
  options.categorical = {"c"};
  const Dataset data = parse_csv("c,target\n10,p\n9,p\n100,q\n", "t.csv", options);
  SamplerInput in = testing_nominal::input_of(data, data.categorical_mask());
  const auto codes = detail::ordinal_encode(in, {0});
  EXPECT_EQ(codes(0, 0), 1);
  EXPECT_EQ(codes(1, 0), 0);
  EXPECT_EQ(codes(2, 0), 2);
}

// The plain definition, written independently: VDM per pair from counts (classes 0..C-1, all
// present).
double vdm_plain(const std::vector<std::vector<int>>& X, const std::vector<std::int32_t>& y, std::size_t C,
                 std::size_t a, std::size_t b) {
  double total = 0.0;
  for (std::size_t f = 0; f < X[0].size(); ++f) {
    std::vector<double> na(C, 0.0);
    std::vector<double> nb(C, 0.0);
    for (std::size_t i = 0; i < X.size(); ++i) {
      if (X[i][f] == X[a][f]) na[static_cast<std::size_t>(y[i])] += 1;
      if (X[i][f] == X[b][f]) nb[static_cast<std::size_t>(y[i])] += 1;
    }
    double sa = 0.0;
    double sb = 0.0;
    for (std::size_t c = 0; c < C; ++c) {
      sa += na[c];
      sb += nb[c];
    }
    double s = 0.0;
    for (std::size_t c = 0; c < C; ++c) s += std::abs(na[c] / sa - nb[c] / sb);
    total += s * s;
  }
  return total;
}

// Random nominal data with `C` classes (class c for rows i with i % (C + 5) == c, the rest class
// 0, so class 0 is the majority); resamples with `strategy` and checks every new row against the
// mode of its parent and the parent's k nearest under the plain VDM.
void check_mode_rule(std::size_t C, const SamplingStrategy& strategy) {
  Rng rng(3 + C);
  const std::size_t n = 240;
  const std::size_t d = 4;
  std::vector<std::vector<int>> cells(n, std::vector<int>(d));
  std::vector<double> X(n * d);
  std::vector<std::int32_t> y(n);
  for (std::size_t i = 0; i < n; ++i) {
    y[i] = static_cast<std::int32_t>(i % (C + 5) < C ? i % (C + 5) : 0);
    for (std::size_t j = 0; j < d; ++j) {
      cells[i][j] = static_cast<int>(rng.below(3 + j)) + (y[i] == 1 && j < 2 ? 1 : 0);
      X[i * d + j] = cells[i][j];
    }
  }
  const std::size_t k = 5;
  SamplerOptions options;
  options.random_state = 7;
  options.sampling_strategy = strategy;
  const auto r = make_sampler("smoten", options)->fit_resample(MatrixView(X.data(), n, d), y, C,
                                                                std::vector<bool>(d, true));
  ASSERT_GT(r.provenance.size(), 0U);
  for (std::size_t s = 0; s < r.provenance.size(); ++s) {
    const auto a = static_cast<std::size_t>(r.provenance[s].parent);
    EXPECT_EQ(r.provenance[s].neighbor, Provenance::kNoNeighbor);
    ASSERT_EQ(r.y[r.n_copied + s], y[a]);
    std::vector<std::pair<double, std::size_t>> all;
    for (std::size_t j = 0; j < n; ++j) {
      if (j != a && y[j] == y[a]) all.emplace_back(vdm_plain(cells, y, C, a, j), j);
    }
    std::sort(all.begin(), all.end());
    for (std::size_t j = 0; j < d; ++j) {
      std::map<int, int> votes;
      ++votes[cells[a][j]];
      for (std::size_t t = 0; t < k; ++t) ++votes[cells[all[t].second][j]];
      int best = -1;
      int best_count = 0;
      for (const auto& [v, c] : votes) {
        if (c > best_count) {  // ascending values: the first maximum is the smallest category
          best = v;
          best_count = c;
        }
      }
      ASSERT_EQ(r.X(r.n_copied + s, j), best) << "new row " << s << ", feature " << j;
    }
  }
}

TEST(Smoten, NewRowsAreTheModeOfTheParentAndItsKNearestUnderVdm) {
  check_mode_rule(2, SamplingStrategy{});
}

TEST(Smoten, ModeRuleWithThreeClasses) { check_mode_rule(3, SamplingStrategy{}); }

TEST(Smoten, ModeRuleWhenTheMajorityGrows) {
  // A large targeted class (180 of 240 rows, 3 classes) takes the table look-up path: its
  // embedding (rows x features x classes) would exceed the input's size.
  check_mode_rule(3, SamplingStrategy::from_counts({{0, 200}}));
}

TEST(Smoten, NumericColumnsAreTreatedAsCategories) {
  std::vector<double> X;
  std::vector<std::int32_t> y;
  for (int i = 0; i < 60; ++i) {
    X.push_back(0.5 * (i % 7));
    y.push_back(i % 4 == 0 ? 1 : 0);
  }
  const auto r = smoten(2, {"k_neighbors=3"})->fit_resample(MatrixView(X.data(), 60, 1), y, 2);
  for (std::size_t row = r.n_copied; row < r.y.size(); ++row) {
    EXPECT_NE(std::find(X.begin(), X.end(), r.X(row, 0)), X.end()) << "an existing value";
  }
}

TEST(Smoten, SmallClassNamesTheFix) {
  std::vector<double> X{0, 1, 2, 0, 1, 2, 1, 2};
  std::vector<std::int32_t> y{0, 0, 0, 0, 0, 0, 1, 1};
  try {
    smoten(1)->fit_resample(MatrixView(X.data(), 8, 1), y, 2, {true});
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("k_neighbors=1"), std::string::npos) << e.what();
  }
}

TEST(Smoten, SameOutputAtOneAndTwoThreads) {
  Rng rng(8);
  std::vector<double> X(2000 * 3);
  std::vector<std::int32_t> y(2000);
  for (std::size_t i = 0; i < 2000; ++i) {
    y[i] = i % 5 == 0 ? 1 : 0;
    for (std::size_t j = 0; j < 3; ++j) X[i * 3 + j] = static_cast<double>(rng.below(5));
  }
  const auto a = smoten(9, {}, 1)->fit_resample(MatrixView(X.data(), 2000, 3), y, 2);
  const auto b = smoten(9, {}, 2)->fit_resample(MatrixView(X.data(), 2000, 3), y, 2);
  EXPECT_EQ(a.X.storage(), b.X.storage());
}

TEST(Smoten, VdmDistancesEqualImbalancedLearnOnTheSharedDatasets) {
  if (!testing_nominal::have_datasets()) GTEST_SKIP() << "shared datasets not found";
  std::map<std::string, std::vector<testing_nominal::GoldenLine>> by_dataset;
  for (const auto& g : testing_nominal::golden()) {
    if (g.kind == "vdm") by_dataset[g.dataset].push_back(g);
  }
  ASSERT_EQ(by_dataset.size(), 3U);
  for (const auto& [name, lines] : by_dataset) {
    const Dataset data = testing_nominal::load(name);
    const SamplerInput in = testing_nominal::input_of(data, data.categorical_mask());
    std::vector<std::size_t> all(data.cols());
    for (std::size_t j = 0; j < all.size(); ++j) all[j] = j;
    const auto codes = detail::ordinal_encode(in, all);
    const detail::ValueDifferenceMetric vdm(codes, in.y, in.n_classes);
    for (const auto& g : lines) {
      const double mine = vdm.distance(codes.codes.data() + g.i * codes.cols, codes.codes.data() + g.j * codes.cols);
      EXPECT_EQ(mine, g.value) << name << " rows " << g.i << ", " << g.j;  // bit for bit
    }
  }
}

}  // namespace
}  // namespace imbal
