// cluster-centroids: counts, centroids as cluster means, hard voting's real rows.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "cleaning_oracle.hpp"
#include "imbal/error.hpp"
#include "imbal/registry.hpp"

namespace imbal {
namespace {

namespace to = testing_oracle;

ResampleResult run(const to::Data& d, std::vector<std::string> params = {}, SamplingStrategy strategy = {},
                   int jobs = 1, std::uint64_t seed = 3) {
  SamplerOptions options;
  options.random_state = seed;
  options.n_jobs = jobs;
  options.sampling_strategy = std::move(strategy);
  auto s = make_sampler("cluster-centroids", params, options);
  return s->fit_resample(d.view(), d.y, d.n_classes);
}

std::vector<std::size_t> counts(const std::vector<std::int32_t>& y, std::size_t k) {
  std::vector<std::size_t> c(k, 0);
  for (const auto v : y) ++c[static_cast<std::size_t>(v)];
  return c;
}

TEST(ClusterCentroids, CountsEqualThePlanExactly) {
  const auto d = to::blobs({500, 120, 40}, 3, 1);
  for (const std::string voting : {"auto", "soft", "hard"}) {
    const auto r = run(d, {"voting=" + voting});
    EXPECT_EQ(counts(r.y, 3), (std::vector<std::size_t>{40, 40, 40})) << voting;
    const auto s = run(d, {"voting=" + voting}, SamplingStrategy::from_counts({{0, 77}, {1, 5}}));
    EXPECT_EQ(counts(s.y, 3), (std::vector<std::size_t>{77, 5, 40})) << voting;
  }
}

TEST(ClusterCentroids, SoftCentroidsAreTheMeansOfTheirClusters) {
  // Class 0: 30 separated clumps of 20 rows, so that k-means converges to a fixed point; class 1:
  // 30 rows in between.
  to::Data d;
  d.cols = 2;
  d.n_classes = 2;
  Rng rng(2);
  for (std::size_t g = 0; g < 30; ++g) {
    for (std::size_t i = 0; i < 20; ++i) {
      d.X.push_back(100.0 * static_cast<double>(g % 6) + rng.normal());
      d.X.push_back(100.0 * static_cast<double>(g / 6) + rng.normal());
      d.y.push_back(0);
    }
    d.X.push_back(100.0 * static_cast<double>(g % 6) + 50.0 + rng.normal());
    d.X.push_back(100.0 * static_cast<double>(g / 6) + 50.0 + rng.normal());
    d.y.push_back(1);
  }
  d.rows = d.y.size();
  const auto r = run(d);  // auto = soft for dense input
  EXPECT_FALSE(r.sample_indices.has_value()) << "centroids are new rows";
  ASSERT_EQ(r.n_copied, 30U) << "the minority rows are kept";
  ASSERT_EQ(r.provenance.size(), 30U);
  for (const auto& p : r.provenance) EXPECT_EQ(p.parent, Provenance::kNoParent);
  const std::size_t k = 30;
  std::vector<std::vector<double>> sum(k, std::vector<double>(2, 0.0));
  std::vector<std::size_t> n(k, 0);
  for (std::size_t i = 0; i < d.rows; ++i) {
    if (d.y[i] != 0) continue;
    std::size_t best = 0;
    double best_sq = 1e300;
    for (std::size_t c = 0; c < k; ++c) {
      const double* ctr = r.X.row(r.n_copied + c);
      const double sq = squared_euclidean_distance(d.row(i), {ctr, 2});
      if (sq < best_sq) {
        best_sq = sq;
        best = c;
      }
    }
    for (std::size_t j = 0; j < 2; ++j) sum[best][j] += d.X[i * 2 + j];
    ++n[best];
  }
  for (std::size_t c = 0; c < k; ++c) {
    ASSERT_GT(n[c], 0U) << "no empty cluster";
    for (std::size_t j = 0; j < 2; ++j) {
      EXPECT_NEAR(r.X(r.n_copied + c, j), sum[c][j] / static_cast<double>(n[c]), 1e-9) << "centroid " << c;
    }
    EXPECT_EQ(r.y[r.n_copied + c], 0);
  }
}

TEST(ClusterCentroids, HardVotingReturnsRealRowsNearestTheCentroids) {
  const auto d = to::blobs({400, 50}, 3, 4);
  const auto soft = run(d, {"voting=soft"});
  const auto hard = run(d, {"voting=hard"});
  ASSERT_TRUE(hard.sample_indices.has_value());
  EXPECT_EQ(*hard.sample_indices, hard.indices);
  EXPECT_TRUE(hard.provenance.empty());
  ASSERT_EQ(hard.indices.size(), 100U);
  // Same seed: the same clustering; each chosen row is the class's row nearest to its centroid.
  std::vector<std::size_t> chosen;
  for (std::size_t i = 0; i < hard.indices.size(); ++i) {
    if (d.y[hard.indices[i]] == 0) chosen.push_back(hard.indices[i]);
  }
  ASSERT_EQ(chosen.size(), 50U);
  for (std::size_t c = 0; c < 50; ++c) {
    const double* ctr = soft.X.row(soft.n_copied + c);
    std::size_t best = 0;
    double best_sq = 1e300;
    for (std::size_t i = 0; i < d.rows; ++i) {
      if (d.y[i] != 0) continue;
      const double sq = squared_euclidean_distance(d.row(i), {ctr, 3});
      if (sq < best_sq) {
        best_sq = sq;
        best = i;
      }
    }
    EXPECT_EQ(chosen[c], best) << "centroid " << c;
  }
  for (std::size_t i = 0; i < hard.indices.size(); ++i) {
    for (std::size_t j = 0; j < 3; ++j) EXPECT_EQ(hard.X(i, j), d.X[hard.indices[i] * 3 + j]);
  }
}

TEST(ClusterCentroids, SameOutputAtAnyThreadCountAndSeedMatters) {
  const auto d = to::blobs({5000, 200}, 4, 5);
  const auto a = run(d, {}, {}, 1);
  const auto b = run(d, {}, {}, 2);
  EXPECT_EQ(a.X.storage(), b.X.storage());
  EXPECT_NE(a.X.storage(), run(d, {}, {}, 1, 4).X.storage());
}

TEST(ClusterCentroids, BadParametersAreClearErrors) {
  const auto d = to::blobs({30, 5}, 2, 6);
  EXPECT_THROW(run(d, {"voting=majority"}), InvalidArgument);
  EXPECT_THROW(run(d, {"estimator=dbscan"}), InvalidArgument);
  EXPECT_NO_THROW(run(d, {"estimator=kmeans"}));
}

}  // namespace
}  // namespace imbal
