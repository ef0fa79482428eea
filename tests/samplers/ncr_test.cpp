// ncr against a naive oracle of imbalanced-learn 0.10's NeighbourhoodCleaningRule.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "cleaning_oracle.hpp"
#include "imbal/error.hpp"
#include "imbal/registry.hpp"

namespace imbal {
namespace {

namespace to = testing_oracle;

std::vector<std::size_t> run(const to::Data& d, std::vector<std::string> params = {}, SamplingStrategy strategy = {},
                             int jobs = 1, const ClassLabels* labels = nullptr) {
  SamplerOptions options;
  options.random_state = 1;
  options.n_jobs = jobs;
  options.sampling_strategy = std::move(strategy);
  auto s = make_sampler("ncr", params, options);
  const auto r = s->fit_resample(d.view(), d.y, d.n_classes, {}, labels);
  EXPECT_TRUE(r.sample_indices.has_value());
  return r.indices;
}

// The rule as imbalanced-learn 0.10 runs it; `falsy[c]`: the label of class c is 0 (np.all).
std::vector<std::size_t> naive_ncr(const to::Data& d, std::size_t k, bool mode, double threshold,
                                   const std::vector<bool>& falsy, SamplingStrategy strategy = {}) {
  std::vector<std::size_t> all(d.rows);
  for (std::size_t i = 0; i < d.rows; ++i) all[i] = i;
  const auto counts = to::counts_over(d, all);
  const auto plan = resolve_strategy(strategy, counts, SamplingType::CleanSampling);
  std::vector<bool> clean(d.n_classes, false);
  for (const auto& c : plan.classes) clean[static_cast<std::size_t>(c.label)] = c.targeted;
  const auto a1_kept = to::enn_pass(d, all, clean, k, /*mode=*/true);
  std::set<std::size_t> removed(all.begin(), all.end());
  for (const auto r : a1_kept) removed.erase(r);
  std::int32_t minority = -1;
  for (const auto c : d.y) {
    if (minority < 0 || counts[static_cast<std::size_t>(c)] < counts[static_cast<std::size_t>(minority)]) minority = c;
  }
  for (std::size_t x = 0; x < d.rows; ++x) {
    if (d.y[x] != minority) continue;
    const auto nb = to::knn(d, all, x, k);
    bool fails = false;
    if (mode) {
      std::vector<std::size_t> votes(d.n_classes, 0);
      for (const auto r : nb) ++votes[static_cast<std::size_t>(d.y[r])];
      fails = static_cast<std::int32_t>(std::max_element(votes.begin(), votes.end()) - votes.begin()) != minority;
    } else {
      for (const auto r : nb) fails = fails || falsy[static_cast<std::size_t>(d.y[r])];
    }
    if (!fails) continue;
    for (const auto r : nb) {
      const auto c = static_cast<std::size_t>(d.y[r]);
      if (clean[c] && static_cast<double>(counts[c]) > static_cast<double>(d.rows) * threshold) removed.insert(r);
    }
  }
  std::vector<std::size_t> kept;
  for (std::size_t i = 0; i < d.rows; ++i) {
    if (!removed.count(i)) kept.push_back(i);
  }
  return kept;
}

TEST(Ncr, EqualsTheNaiveRuleModeAndAll) {
  for (std::uint64_t seed : {1, 2}) {
    const auto d = to::blobs({400, 70}, 3, seed);
    const std::vector<bool> code_zero = {true, false};  // no labels: the codes are the labels
    EXPECT_EQ(run(d, {"kind_sel=mode"}), naive_ncr(d, 3, true, 0.5, code_zero));
    EXPECT_EQ(run(d), naive_ncr(d, 3, false, 0.5, code_zero));
    EXPECT_EQ(run(d, {"n_neighbors=5", "kind_sel=mode"}), naive_ncr(d, 5, true, 0.5, code_zero));
  }
}

TEST(Ncr, MulticlassThresholdAndTies) {
  const auto g = to::grid(500, 2, 4, 3);
  const std::vector<bool> code_zero = {true, false, false, false};
  EXPECT_EQ(run(g, {"kind_sel=mode"}), naive_ncr(g, 3, true, 0.5, code_zero));
  EXPECT_EQ(run(g, {"kind_sel=all"}), naive_ncr(g, 3, false, 0.5, code_zero));
  const auto b = to::blobs({300, 200, 120, 40}, 3, 4);
  for (const double t : {0.1, 0.3, 0.5}) {
    const std::string p = "threshold_cleaning=" + std::to_string(t);
    EXPECT_EQ(run(b, {"kind_sel=mode", p}), naive_ncr(b, 3, true, t, code_zero)) << t;
    EXPECT_EQ(run(b, {"kind_sel=all", p}), naive_ncr(b, 3, false, t, code_zero)) << t;
  }
}

TEST(Ncr, KindSelAllTestsLabelValuesAsImblearn010) {
  // imbalanced-learn 0.10 evaluates np.all(neighbour labels): with labels -1 / 1 no neighbourhood
  // fails and ncr is the enn (mode) step alone; with labels 0 / 1 a neighbourhood fails when it
  // holds a class-0 row; string labels never count as zero.
  const auto d = to::blobs({400, 70}, 2, 5);
  ClassLabels pm;
  pm.names = {"-1", "1"};
  pm.numeric = true;
  ClassLabels zo;
  zo.names = {"0", "1"};
  zo.numeric = true;
  ClassLabels text;
  text.names = {"neg", "pos"};
  const auto with_pm = run(d, {}, {}, 1, &pm);
  EXPECT_EQ(with_pm, naive_ncr(d, 3, false, 0.5, {false, false}));
  EXPECT_EQ(run(d, {}, {}, 1, &text), with_pm);
  std::vector<std::size_t> all(d.rows);
  for (std::size_t i = 0; i < d.rows; ++i) all[i] = i;
  EXPECT_EQ(with_pm, to::enn_pass(d, all, {true, false}, 3, true)) << "the enn step alone";
  const auto with_zo = run(d, {}, {}, 1, &zo);
  EXPECT_EQ(with_zo, naive_ncr(d, 3, false, 0.5, {true, false}));
  EXPECT_LT(with_zo.size(), with_pm.size()) << "the second step removed rows";
}

TEST(Ncr, SameOutputAtAnyThreadCount) {
  const auto d = to::blobs({4000, 500, 300}, 5, 6);
  EXPECT_EQ(run(d, {"kind_sel=mode"}, {}, 1), run(d, {"kind_sel=mode"}, {}, 2));
}

TEST(Ncr, BadParametersAreClearErrors) {
  const auto d = to::blobs({2, 1}, 2, 7);
  EXPECT_THROW(run(d), InvalidArgument) << "n_neighbors=3 needs 4 rows";
  const auto e = to::blobs({30, 5}, 2, 7);
  EXPECT_THROW(run(e, {"threshold_cleaning=0"}), InvalidArgument);
  EXPECT_THROW(run(e, {"threshold_cleaning=1"}), InvalidArgument);
  EXPECT_THROW(run(e, {"kind_sel=some"}), InvalidArgument);
}

}  // namespace
}  // namespace imbal
