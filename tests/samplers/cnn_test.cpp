#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "imbal/error.hpp"
#include "imbal/neighbors.hpp"
#include "imbal/registry.hpp"

namespace imbal {
namespace {

std::unique_ptr<Sampler> cnn(std::uint64_t seed, std::vector<std::string> params = {}, SamplingStrategy strategy = {},
                             int jobs = 1) {
  SamplerOptions options;
  options.random_state = seed;
  options.n_jobs = jobs;
  options.sampling_strategy = std::move(strategy);
  return make_sampler("cnn", params, options);
}

struct Data {
  std::vector<double> X;
  std::vector<std::int32_t> y;
  std::size_t d = 0;
  std::size_t n_classes = 2;
  std::size_t rows() const { return y.size(); }
  MatrixView view() const { return {X.data(), rows(), d}; }
  const double* row(std::size_t i) const { return X.data() + i * d; }
};

// Overlapping blobs: class c centred at 1.2 * c; class 0 is the largest.
Data blobs(const std::vector<std::size_t>& counts, std::size_t d, std::uint64_t seed) {
  Data data;
  data.d = d;
  data.n_classes = counts.size();
  Rng rng(seed);
  std::vector<std::size_t> left = counts;
  std::size_t total = std::accumulate(counts.begin(), counts.end(), std::size_t{0});
  while (data.rows() < total) {
    for (std::size_t c = 0; c < counts.size(); ++c) {
      if (left[c] == 0) continue;
      --left[c];
      for (std::size_t j = 0; j < d; ++j) data.X.push_back(rng.normal() + 1.2 * static_cast<double>(c));
      data.y.push_back(static_cast<std::int32_t>(c));
    }
  }
  return data;
}

double sq(const Data& data, std::size_t a, std::size_t b) {
  return squared_euclidean_distance({data.row(a), data.d}, {data.row(b), data.d});
}

// The k-NN vote of `store` for row `r` (ties of distance by row index, of votes to the smaller class).
std::int32_t predict(const Data& data, const std::vector<std::size_t>& store, std::size_t r, std::size_t k) {
  std::vector<std::size_t> order = store;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const double da = sq(data, r, a);
    const double db = sq(data, r, b);
    return da < db || (da == db && a < b);
  });
  std::vector<std::size_t> votes(data.n_classes, 0);
  for (std::size_t j = 0; j < k; ++j) ++votes[static_cast<std::size_t>(data.y[order[j]])];
  return static_cast<std::int32_t>(std::max_element(votes.begin(), votes.end()) - votes.begin());
}

// Hart's rule as imbalanced-learn states it, naively: the store is refitted (rescanned) for
// every row. Seeds drawn as the sampler draws them.
std::vector<std::size_t> naive_cnn(const Data& data, std::int32_t target, std::int32_t minority, std::size_t k,
                                   std::size_t n_seeds, std::uint64_t seed) {
  std::vector<std::size_t> rows, store;
  for (std::size_t i = 0; i < data.rows(); ++i) {
    if (data.y[i] == target) rows.push_back(i);
    if (data.y[i] == minority) store.push_back(i);
  }
  Rng rng(seed, static_cast<std::uint64_t>(target));
  std::vector<std::size_t> kept;
  std::vector<bool> in_store(data.rows(), false);
  for (const auto p : rng.choice(rows.size(), n_seeds, false)) {
    kept.push_back(rows[p]);
    store.push_back(rows[p]);
    in_store[rows[p]] = true;
  }
  for (const auto r : rows) {
    if (in_store[r]) continue;
    if (predict(data, store, r, k) != target) {
      store.push_back(r);
      kept.push_back(r);
      in_store[r] = true;
    }
  }
  std::sort(kept.begin(), kept.end());
  return kept;
}

std::vector<std::size_t> kept_of_class(const ResampleResult& r, std::int32_t c) {
  std::vector<std::size_t> kept;
  for (std::size_t i = 0; i < r.n_copied; ++i) {
    if (r.y[i] == c) kept.push_back(r.indices[i]);
  }
  return kept;
}

TEST(Cnn, EqualsTheNaiveRuleForEveryClassAndK) {
  const Data data = blobs({400, 150, 40}, 3, 1);
  for (const std::size_t k : {1U, 2U, 3U, 5U}) {
    for (const std::size_t seeds : {1U, 4U}) {
      const std::uint64_t seed = 10 + k;
      const auto r = cnn(seed, {"n_neighbors=" + std::to_string(k), "n_seeds_S=" + std::to_string(seeds)})
                         ->fit_resample(data.view(), data.y, 3);
      for (const std::int32_t c : {0, 1}) {
        EXPECT_EQ(kept_of_class(r, c), naive_cnn(data, c, 2, k, seeds, seed)) << "k " << k << " class " << c;
      }
      EXPECT_EQ(kept_of_class(r, 2).size(), 40U) << "the minority is not targeted by auto";
    }
  }
}

TEST(Cnn, DefaultIsOneNeighbourAndKeptSetClassifiesEveryRemovedRow) {
  // The defining property of Hart's rule (binary data, n_neighbors = 1): the kept rows classify
  // every removed row correctly with 1-NN.
  const Data data = blobs({2000, 120}, 4, 2);
  const auto r = cnn(3)->fit_resample(data.view(), data.y, 2);
  ASSERT_TRUE(r.sample_indices.has_value());
  const auto kept = r.indices;
  EXPECT_LT(kept.size(), data.rows());
  EXPECT_EQ(kept_of_class(r, 1).size(), 120U);
  std::vector<bool> is_kept(data.rows(), false);
  for (const auto i : kept) is_kept[i] = true;
  const NeighborIndex index(data.view(), kept);
  std::vector<std::size_t> removed;
  for (std::size_t i = 0; i < data.rows(); ++i) {
    if (!is_kept[i]) removed.push_back(i);
  }
  ASSERT_FALSE(removed.empty());
  const auto nn = index.query_rows(removed, 1, false);
  for (std::size_t t = 0; t < removed.size(); ++t) {
    EXPECT_EQ(data.y[nn(t, 0)], data.y[removed[t]]) << "removed row " << removed[t];
  }
  // n_neighbors=none and n_neighbors=1 are the same rule.
  EXPECT_EQ(cnn(3, {"n_neighbors=1"})->fit_resample(data.view(), data.y, 2).indices, r.indices);
}

TEST(Cnn, ResultDoesNotDependOnThreads) {
  const Data data = blobs({3000, 200}, 5, 4);
  const auto a = cnn(5, {}, {}, 1)->fit_resample(data.view(), data.y, 2);
  const auto b = cnn(5, {}, {}, 2)->fit_resample(data.view(), data.y, 2);
  EXPECT_EQ(a.indices, b.indices);
  const auto c = cnn(6, {}, {}, 1)->fit_resample(data.view(), data.y, 2);
  EXPECT_NE(a.indices, c.indices) << "the seed row is random";
}

TEST(Cnn, DuplicateOfAMinorityRowTiesByIndex) {
  // Row 3 (class 0) duplicates minority row 1: at distance 0 the tie goes to the lower row, the
  // minority row, so row 3 is misclassified and kept, whichever class-0 row is the seed.
  const std::vector<double> X{5.0, 1.0, 9.0, 1.0, 5.1};
  const std::vector<std::int32_t> y{0, 1, 1, 0, 0};
  for (std::uint64_t seed = 0; seed < 8; ++seed) {
    const auto r = cnn(seed)->fit_resample(MatrixView(X.data(), 5, 1), y, 2);
    const auto kept = kept_of_class(r, 0);
    EXPECT_NE(std::find(kept.begin(), kept.end(), 3U), kept.end()) << "seed " << seed;
  }
}

TEST(Cnn, TargetingTheMinorityKeepsOnlyItsSeeds) {
  // imbalanced-learn's store already holds every minority row, so each classifies itself.
  const Data data = blobs({100, 30}, 2, 5);
  const auto r = cnn(1, {"n_seeds_S=2"}, SamplingStrategy::named(SamplingStrategy::Kind::All))
                     ->fit_resample(data.view(), data.y, 2);
  EXPECT_EQ(kept_of_class(r, 1).size(), 2U);
}

TEST(Cnn, ClearErrors) {
  const std::vector<double> X{0, 1, 2, 3, 4, 10, 11};
  const std::vector<std::int32_t> y{0, 0, 0, 0, 0, 1, 1};
  const ClassLabels labels{{"neg", "pos"}, false};
  const MatrixView view(X.data(), 7, 1);
  try {
    cnn(1, {"n_seeds_S=6"})->fit_resample(view, y, 2, {}, &labels);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("n_seeds_S=6 but class 'neg' has only 5 rows"), std::string::npos)
        << e.what();
  }
  try {
    cnn(1, {"n_neighbors=4"})->fit_resample(view, y, 2, {}, &labels);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("n_neighbors=4 but the initial store"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(cnn(1, {"n_neighbors=3"})->fit_resample(view, y, 2, {}, &labels));
  EXPECT_THROW(cnn(1, {"n_neighbors=0"}), InvalidArgument);
  EXPECT_THROW(cnn(1, {"n_seeds_S=0"}), InvalidArgument);
  EXPECT_THROW(cnn(1)->fit_resample(view, y, 2, {true}, &labels), InvalidArgument);
}

}  // namespace
}  // namespace imbal
