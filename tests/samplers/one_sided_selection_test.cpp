// one-sided-selection against a naive oracle of imbalanced-learn's algorithm with our seeds.
#include <gtest/gtest.h>

#include <algorithm>

#include "cleaning_oracle.hpp"
#include "imbal/error.hpp"
#include "imbal/registry.hpp"

namespace imbal {
namespace {

namespace to = testing_oracle;

std::unique_ptr<Sampler> oss(std::uint64_t seed, std::vector<std::string> params = {}, SamplingStrategy strategy = {},
                             int jobs = 1) {
  SamplerOptions options;
  options.random_state = seed;
  options.n_jobs = jobs;
  options.sampling_strategy = std::move(strategy);
  return make_sampler("one-sided-selection", params, options);
}

// imbalanced-learn's minority: the smallest class, the first to appear among equals.
std::int32_t minority_of(const to::Data& d) {
  const auto counts = to::counts_over(d, [&] {
    std::vector<std::size_t> all(d.rows);
    for (std::size_t i = 0; i < d.rows; ++i) all[i] = i;
    return all;
  }());
  std::int32_t m = -1;
  for (const auto c : d.y) {
    if (m < 0 || counts[static_cast<std::size_t>(c)] < counts[static_cast<std::size_t>(m)]) m = c;
  }
  return m;
}

// The k-NN vote of `store` for row r: ties of distance by row, of votes to the smaller class.
std::int32_t vote(const to::Data& d, const std::vector<std::size_t>& store, std::size_t r, std::size_t k) {
  std::vector<std::pair<double, std::size_t>> all;
  for (const auto s : store) all.emplace_back(squared_euclidean_distance(d.row(r), d.row(s)), s);
  std::sort(all.begin(), all.end());
  std::vector<std::size_t> votes(d.n_classes, 0);
  for (std::size_t j = 0; j < k; ++j) ++votes[static_cast<std::size_t>(d.y[all[j].second])];
  return static_cast<std::int32_t>(std::max_element(votes.begin(), votes.end()) - votes.begin());
}

// The algorithm as imbalanced-learn states it, naively, with the sampler's seed draws.
std::vector<std::size_t> naive_oss(const to::Data& d, std::size_t k, std::size_t n_seeds, std::uint64_t seed,
                                   SamplingStrategy strategy = {}) {
  std::vector<std::size_t> all(d.rows);
  for (std::size_t i = 0; i < d.rows; ++i) all[i] = i;
  const auto plan = resolve_strategy(strategy, to::counts_over(d, all), SamplingType::CleanSampling);
  const std::int32_t minority = minority_of(d);
  std::vector<std::size_t> kept;
  for (const auto& cls : plan.classes) {
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < d.rows; ++i) {
      if (d.y[i] == cls.label) rows.push_back(i);
    }
    if (!cls.targeted) {
      kept.insert(kept.end(), rows.begin(), rows.end());
      continue;
    }
    Rng rng(seed, static_cast<std::uint64_t>(cls.label));
    const auto pos = rng.choice(rows.size(), n_seeds, false);
    std::vector<std::size_t> store;
    for (std::size_t i = 0; i < d.rows; ++i) {
      if (d.y[i] == minority) store.push_back(i);
    }
    std::vector<bool> seed_row(d.rows, false);
    for (const auto p : pos) {
      seed_row[rows[p]] = true;
      kept.push_back(rows[p]);
      if (cls.label != minority) store.push_back(rows[p]);
    }
    for (const auto r : rows) {
      if (seed_row[r]) continue;
      if (vote(d, store, r, k) != cls.label) kept.push_back(r);
    }
  }
  std::sort(kept.begin(), kept.end());
  const auto ends = to::tomek_ends(d, kept);
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < kept.size(); ++i) {
    if (ends[i] && plan.classes[static_cast<std::size_t>(d.y[kept[i]])].targeted) continue;
    out.push_back(kept[i]);
  }
  return out;
}

std::vector<std::size_t> run(const to::Data& d, std::uint64_t seed, std::vector<std::string> params = {},
                             SamplingStrategy strategy = {}, int jobs = 1) {
  auto s = oss(seed, std::move(params), std::move(strategy), jobs);
  const auto r = s->fit_resample(d.view(), d.y, d.n_classes);
  EXPECT_TRUE(r.sample_indices.has_value());
  EXPECT_EQ(*r.sample_indices, r.indices);
  return r.indices;
}

TEST(OneSidedSelection, EqualsTheNaiveAlgorithmWithOurSeeds) {
  for (std::uint64_t seed : {1, 2, 3}) {
    const auto d = to::blobs({300, 60}, 3, seed);
    EXPECT_EQ(run(d, seed), naive_oss(d, 1, 1, seed)) << "seed " << seed;
    EXPECT_EQ(run(d, seed, {"n_neighbors=3", "n_seeds_S=5"}), naive_oss(d, 3, 5, seed)) << "seed " << seed;
  }
}

TEST(OneSidedSelection, MulticlassTiesAndDuplicates) {
  const auto d = to::grid(400, 2, 3, 4);  // integer grid: distance ties, repeated rows with other labels
  EXPECT_EQ(run(d, 9), naive_oss(d, 1, 1, 9));
  EXPECT_EQ(run(d, 9, {"n_neighbors=4", "n_seeds_S=3"}), naive_oss(d, 4, 3, 9));
  const auto b = to::blobs({200, 90, 40, 25}, 4, 5);
  EXPECT_EQ(run(b, 3), naive_oss(b, 1, 1, 3));
  const auto all = SamplingStrategy::named(SamplingStrategy::Kind::All);
  EXPECT_EQ(run(b, 3, {}, all), naive_oss(b, 1, 1, 3, all)) << "the minority itself targeted: only its seeds stay";
}

TEST(OneSidedSelection, SameOutputAtAnyThreadCountAndSeedMatters) {
  const auto d = to::blobs({3000, 300}, 4, 6);
  EXPECT_EQ(run(d, 5, {}, {}, 1), run(d, 5, {}, {}, 2));
  EXPECT_NE(run(d, 5), run(d, 6));
}

TEST(OneSidedSelection, DefiningProperty) {
  // Every row of the cleaned class that is gone was either classified correctly by 1-NN over
  // (minority + kept rows of its class before the Tomek step) or ended a Tomek link.
  const auto d = to::blobs({500, 80}, 2, 7);
  const auto kept = run(d, 11);
  std::vector<bool> is_kept(d.rows, false);
  for (const auto r : kept) is_kept[r] = true;
  std::size_t removed = 0;
  for (std::size_t i = 0; i < d.rows; ++i) {
    if (d.y[i] == 1) {
      EXPECT_TRUE(is_kept[i]) << "the minority is never cleaned";
    }
    removed += is_kept[i] ? 0 : 1;
  }
  EXPECT_GT(removed, 50U) << "the majority rows far from the minority go";
  // Kept majority rows lie nearer the minority than removed ones on average.
  double kept_mean = 0, gone_mean = 0;
  std::size_t nk = 0, ng = 0;
  for (std::size_t i = 0; i < d.rows; ++i) {
    if (d.y[i] != 0) continue;
    double best = 1e300;
    for (std::size_t j = 0; j < d.rows; ++j) {
      if (d.y[j] == 1) best = std::min(best, squared_euclidean_distance(d.row(i), d.row(j)));
    }
    (is_kept[i] ? kept_mean : gone_mean) += best;
    (is_kept[i] ? nk : ng) += 1;
  }
  EXPECT_LT(kept_mean / static_cast<double>(nk), gone_mean / static_cast<double>(ng));
}

TEST(OneSidedSelection, BadParametersAreClearErrors) {
  const auto d = to::blobs({30, 5}, 2, 8);
  try {
    run(d, 1, {"n_seeds_S=31"});
    FAIL() << "accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("n_seeds_S"), std::string::npos) << e.what();
  }
  try {
    run(d, 1, {"n_neighbors=7"});  // C holds 5 minority rows + 1 seed
    FAIL() << "accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("n_neighbors"), std::string::npos) << e.what();
  }
  EXPECT_THROW(oss(1, {"n_neighbors=0"}), InvalidArgument);
}

}  // namespace
}  // namespace imbal
