#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "imbal/error.hpp"
#include "imbal/neighbors.hpp"
#include "imbal/registry.hpp"
#include "samplers/near_miss.hpp"

namespace imbal {
namespace {

std::unique_ptr<Sampler> near_miss(std::vector<std::string> params = {}, SamplingStrategy strategy = {},
                                   int jobs = 1) {
  SamplerOptions options;
  options.random_state = 1;
  options.n_jobs = jobs;
  options.sampling_strategy = std::move(strategy);
  return make_sampler("near-miss", params, options);
}

struct Data {
  std::vector<double> X;
  std::vector<std::int32_t> y;
  std::size_t d = 0;
  std::size_t rows() const { return y.size(); }
  MatrixView view() const { return {X.data(), rows(), d}; }
  std::vector<std::size_t> of_class(std::int32_t c) const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < rows(); ++i) {
      if (y[i] == c) out.push_back(i);
    }
    return out;
  }
};

Data random_data(std::size_t n, std::size_t d, std::size_t every, std::uint64_t seed) {
  Data data;
  data.d = d;
  Rng rng(seed);
  for (std::size_t i = 0; i < n; ++i) {
    const bool minority = i % every == 0;
    for (std::size_t j = 0; j < d; ++j) data.X.push_back(rng.normal() + (minority ? 1.0 : 0.0));
    data.y.push_back(minority ? 1 : 0);
  }
  return data;
}

// Every distance from row `a` to the rows `pool`, ascending (the plain definition).
std::vector<double> sorted_distances(const Data& data, std::size_t a, const std::vector<std::size_t>& pool) {
  std::vector<double> dist;
  for (const auto b : pool) {
    dist.push_back(euclidean_distance({data.X.data() + a * data.d, data.d}, {data.X.data() + b * data.d, data.d}));
  }
  std::sort(dist.begin(), dist.end());
  return dist;
}

// The kept rows of class 0 by the plain definition: the n best scores, ties to the lower row.
std::vector<std::size_t> plain_selection(const std::vector<std::size_t>& rows, const std::vector<double>& score,
                                         std::size_t n, bool largest) {
  std::vector<std::size_t> order(rows.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return largest ? score[a] > score[b] : score[a] < score[b];
  });
  std::vector<std::size_t> kept;
  for (std::size_t i = 0; i < std::min(n, order.size()); ++i) kept.push_back(rows[order[i]]);
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

TEST(NearMiss, NumpyPairwiseSumBitForBit) {
  // Expected values printed by numpy 1.24 (np.sum over a row).
  std::vector<double> a;
  for (int i = 1; i <= 20; ++i) a.push_back(0.1 * i + 1e-3 * i * i);
  EXPECT_EQ(detail::numpy_pairwise_sum(a.data(), a.size()), 0x1.7deb851eb851ep+4);
  const std::vector<double> b{1e16, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  EXPECT_EQ(detail::numpy_pairwise_sum(b.data(), b.size()), 0x1.1c37937e08004p+53);
  const std::vector<double> c{0.1, 0.2, 0.3};
  EXPECT_EQ(detail::numpy_pairwise_sum(c.data(), c.size()), 0x1.3333333333334p-1);
  std::vector<double> e;
  for (int i = 1; i <= 300; ++i) e.push_back(0.1 * i + 1e-3 * i * i);
  EXPECT_EQ(detail::numpy_pairwise_sum(e.data(), e.size()), 0x1.a7c0666666666p+13);
}

TEST(NearMiss, Version1And2EqualThePlainDefinition) {
  const Data data = random_data(900, 5, 9, 3);
  const auto maj = data.of_class(0);
  const auto mino = data.of_class(1);
  for (const int version : {1, 2}) {
    for (const std::size_t k : {1U, 3U, 12U}) {
      std::vector<double> score;
      for (const auto r : maj) {
        const auto dist = sorted_distances(data, r, mino);
        const double* first = version == 1 ? dist.data() : dist.data() + dist.size() - k;
        score.push_back(detail::numpy_pairwise_sum(first, k));
      }
      const auto expected = plain_selection(maj, score, mino.size(), false);
      const auto r = near_miss({"version=" + std::to_string(version), "n_neighbors=" + std::to_string(k)})
                         ->fit_resample(data.view(), data.y, 2);
      EXPECT_EQ(kept_of_class(r, 0), expected) << "version " << version << " k " << k;
      EXPECT_EQ(kept_of_class(r, 1), mino);
    }
  }
}

TEST(NearMiss, FarthestSumsEqualBruteForceAtAnyThreadCount) {
  // A pool larger than one tile (256) and odd-sized; a query set not a multiple of the chunk.
  const Data data = random_data(3001, 7, 5, 4);
  const auto maj = data.of_class(0);
  const auto mino = data.of_class(1);
  ASSERT_GT(mino.size(), 513U);
  for (const std::size_t k : {1U, 3U, 9U, 700U}) {
    const auto one = detail::farthest_distance_sums(data.view(), maj, mino, k, 1);
    const auto two = detail::farthest_distance_sums(data.view(), maj, mino, k, 2);
    const auto three = detail::farthest_distance_sums(data.view(), maj, mino, k, 3);
    EXPECT_EQ(one, two);
    EXPECT_EQ(one, three);
    for (std::size_t q = 0; q < maj.size(); q += 37) {
      const auto dist = sorted_distances(data, maj[q], mino);
      const std::size_t kk = std::min(k, dist.size());
      EXPECT_EQ(one[q], detail::numpy_pairwise_sum(dist.data() + dist.size() - kk, kk)) << q;
    }
  }
}

TEST(NearMiss, Version2WithMoreNeighboursThanMinorityRowsSumsThemAll) {
  // imbalanced-learn asks for all minority rows and sums the last n_neighbors columns: all of them.
  const Data data = random_data(60, 2, 10, 5);
  const auto maj = data.of_class(0);
  const auto mino = data.of_class(1);
  std::vector<double> score;
  for (const auto r : maj) {
    const auto dist = sorted_distances(data, r, mino);
    score.push_back(detail::numpy_pairwise_sum(dist.data(), dist.size()));
  }
  const auto r = near_miss({"version=2", "n_neighbors=50"})->fit_resample(data.view(), data.y, 2);
  EXPECT_EQ(kept_of_class(r, 0), plain_selection(maj, score, mino.size(), false));
}

TEST(NearMiss, Version3ScoresTheNeighboursOfMinorityRowsAndKeepsTheFarthest) {
  const Data data = random_data(1200, 4, 12, 6);
  const auto maj = data.of_class(0);
  const auto mino = data.of_class(1);
  // Candidates: the 3 nearest class-0 rows of each minority row, by (distance, index).
  const NeighborIndex class_index(data.view(), maj);
  const auto near = class_index.query_rows(mino, 3, false);
  std::vector<std::size_t> cands(near.index.begin(), near.index.end());
  std::sort(cands.begin(), cands.end());
  cands.erase(std::unique(cands.begin(), cands.end()), cands.end());
  std::vector<double> score;
  for (const auto r : cands) score.push_back(detail::numpy_pairwise_sum(sorted_distances(data, r, mino).data(), 3));
  const auto r = near_miss({"version=3"})->fit_resample(data.view(), data.y, 2);
  EXPECT_EQ(kept_of_class(r, 0), plain_selection(cands, score, mino.size(), true));
  EXPECT_TRUE(r.warnings.empty());
}

TEST(NearMiss, Version3ShortfallKeepsEveryCandidateAndWarns) {
  // Two minority rows, each with the same 1 nearest class-0 row: 1 candidate for 2 wanted.
  const std::vector<double> X{0.0, 0.1, 5, 6, 7, 8, 9, 1.0};
  const std::vector<std::int32_t> y{1, 1, 0, 0, 0, 0, 0, 0};
  const ClassLabels labels{{"neg", "pos"}, false};
  const auto r = near_miss({"version=3", "n_neighbors_ver3=1", "n_neighbors=1"})
                     ->fit_resample(MatrixView(X.data(), 8, 1), y, 2, {}, &labels);
  EXPECT_EQ(kept_of_class(r, 0), std::vector<std::size_t>{7});
  ASSERT_EQ(r.warnings.size(), 1U);
  EXPECT_NE(r.warnings[0].find("keeps 1 rows of class 'neg', fewer than the 2 requested"), std::string::npos)
      << r.warnings[0];
}

TEST(NearMiss, EqualScoresGoToTheLowerRow) {
  // Rows 1..4 of class 0 are duplicates two by two; the minority sits at 0.
  const std::vector<double> X{0.0, 3.0, 2.0, 3.0, 2.0, 9.0, 0.5, 0.5};
  const std::vector<std::int32_t> y{1, 0, 0, 0, 0, 0, 1, 1};
  for (const int version : {1, 2}) {
    const auto r = near_miss({"version=" + std::to_string(version), "n_neighbors=1"})
                       ->fit_resample(MatrixView(X.data(), 8, 1), y, 2);
    // Scores: row 2 and 4 tie (nearest), then rows 1 and 3 tie: 3 kept = 2, 4, then 1 (lower of 1, 3).
    EXPECT_EQ(kept_of_class(r, 0), (std::vector<std::size_t>{1, 2, 4})) << version;
  }
  // Version 3, n_neighbors_ver3 = 1: the minority row at 0 has two nearest class-0 rows at
  // distance 2 (rows 2 and 4, duplicates): the candidate is the lower row, 2 (imbalanced-learn's
  // tree may report either).
  const std::vector<double> X3{0.0, 2.0, -2.0, 2.0, 7.0};
  const std::vector<std::int32_t> y3{1, 0, 0, 0, 0};
  const auto r3 = near_miss({"version=3", "n_neighbors_ver3=1", "n_neighbors=1"})
                      ->fit_resample(MatrixView(X3.data(), 5, 1), y3, 2);
  EXPECT_EQ(kept_of_class(r3, 0), std::vector<std::size_t>{1});
}

TEST(NearMiss, MinorityTieGoesToTheClassSeenFirst) {
  // Classes 1 and 2 have 3 rows each; class 2 appears first, so it is the minority (imblearn's
  // Counter order) although the strategy's tie rule (sorted order) leaves class 1 untargeted.
  const std::vector<double> X{10, 0, 0.5, 1, 5, 6, 10.2, 10.4, 2, 7, 8, 9};
  const std::vector<std::int32_t> y{2, 0, 0, 0, 0, 0, 2, 2, 1, 1, 1, 0};
  const auto r = near_miss({"n_neighbors=1"})->fit_resample(MatrixView(X.data(), 12, 1), y, 3);
  // Scores of class 0 against the minority {10, 10.2, 10.4}: row 11 (9), 5 (6), 4 (5) nearest.
  EXPECT_EQ(kept_of_class(r, 0), (std::vector<std::size_t>{4, 5, 11}));
  EXPECT_EQ(kept_of_class(r, 1), (std::vector<std::size_t>{8, 9, 10}));
}

TEST(NearMiss, TargetingTheMinorityScoresItAgainstItself) {
  // imbalanced-learn does not exclude the row itself when the minority class is targeted.
  const std::vector<double> X{0, 1, 2, 3, 4, 10, 10.5, 11, 30};
  const std::vector<std::int32_t> y{0, 0, 0, 0, 0, 1, 1, 1, 1};
  const auto r = near_miss({"n_neighbors=2"}, SamplingStrategy::from_counts({{1, 3}}))
                     ->fit_resample(MatrixView(X.data(), 9, 1), y, 2);
  // Self at 0 plus nearest other: 10 -> 0.5, 10.5 -> 0.5, 11 -> 0.5, 30 -> 19.
  EXPECT_EQ(kept_of_class(r, 1), (std::vector<std::size_t>{5, 6, 7}));
}

TEST(NearMiss, ClearErrors) {
  const std::vector<double> X{0, 1, 2, 3, 4, 5, 10, 11};
  const std::vector<std::int32_t> y{0, 0, 0, 0, 0, 0, 1, 1};
  const ClassLabels labels{{"neg", "pos"}, false};
  const MatrixView view(X.data(), 8, 1);
  try {
    near_miss()->fit_resample(view, y, 2, {}, &labels);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("n_neighbors=3 but the minority class 'pos' has only 2 rows"),
              std::string::npos)
        << e.what();
  }
  EXPECT_NO_THROW(near_miss({"version=2"})->fit_resample(view, y, 2, {}, &labels));
  try {
    near_miss({"version=3", "n_neighbors=1", "n_neighbors_ver3=7"})->fit_resample(view, y, 2, {}, &labels);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("n_neighbors_ver3=7 but class 'neg' has only 6 rows"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(near_miss({"version=4"}), InvalidArgument);
  EXPECT_THROW(near_miss({"n_neighbors=0"}), InvalidArgument);
  EXPECT_THROW(near_miss()->fit_resample(view, y, 2, {true}, &labels), InvalidArgument);
}

}  // namespace
}  // namespace imbal
