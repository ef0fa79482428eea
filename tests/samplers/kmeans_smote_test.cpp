#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include "imbal/csv.hpp"
#include "imbal/error.hpp"
#include "imbal/neighbors.hpp"
#include "imbal/registry.hpp"
#include "samplers/kmeans_smote.hpp"

namespace imbal {
namespace {

std::unique_ptr<Sampler> kmeans_smote(std::uint64_t seed, std::vector<std::string> params = {}, int jobs = 1) {
  SamplerOptions options;
  options.random_state = seed;
  options.n_jobs = jobs;
  return make_sampler("kmeans-smote", params, options);
}

SamplerInput input_of(const Dataset& data, std::uint64_t seed) {
  SamplerInput in;
  in.X = data.X();
  in.y = data.y();
  in.n_classes = data.n_classes();
  in.class_rows.resize(in.n_classes);
  for (std::size_t i = 0; i < data.rows(); ++i) in.class_rows[static_cast<std::size_t>(data.y()[i])].push_back(i);
  in.seed = seed;
  in.n_jobs = 1;
  return in;
}

TEST(KMeansSmote, LargestRemainderSplitIsExact) {
  const std::vector<double> w{0.5, 0.3, 0.2};
  EXPECT_EQ(detail::largest_remainder_split(w, 10), (std::vector<std::size_t>{5, 3, 2}));
  EXPECT_EQ(detail::largest_remainder_split(w, 1), (std::vector<std::size_t>{1, 0, 0}));
  const std::vector<double> thirds{1.0 / 3, 1.0 / 3, 1.0 / 3};
  const auto parts = detail::largest_remainder_split(thirds, 7);
  EXPECT_EQ(std::accumulate(parts.begin(), parts.end(), std::size_t{0}), 7u);
  EXPECT_EQ(parts, (std::vector<std::size_t>{3, 2, 2})) << "ties go to the lowest position";
}

TEST(KMeansSmote, AutoExponentAndMeanDistanceAreImbalancedLearns) {
  // math.log(10, 1.6) ** 1.8 * 0.16
  EXPECT_NEAR(detail::kmeans_smote_auto_exponent(10), 2.794641099223867, 1e-12);
  const std::vector<double> X{0, 0, 3, 4, 6, 8};
  const std::vector<std::size_t> rows{0, 1, 2};
  // pairs: 5, 10, 5 -> mean over ordered pairs = 2 * 20 / 6
  EXPECT_DOUBLE_EQ(detail::mean_pairwise_distance(MatrixView(X.data(), 3, 2), rows, 1), 40.0 / 6.0);
  EXPECT_DOUBLE_EQ(detail::mean_pairwise_distance(MatrixView(X.data(), 3, 2), rows, 2), 40.0 / 6.0);
}

// ecoli (shared dataset): exact counts; every new row lies between a parent and one of the
// parent's k nearest rows of the same class AND the same cluster.
TEST(KMeansSmote, NeighbourIsAmongTheKNearestOfTheSameClusterOnEcoli) {
  const Dataset data = read_csv(std::string(IMBAL_DATASETS_DIR) + "/imb_ecoli.csv");
  const std::int32_t minority = data.classes().code_of("1");
  for (const std::string threshold : {"auto", "0.2"}) {
    ResampleResult r;
    const Dataset out = kmeans_smote(5, {"cluster_balance_threshold=" + threshold})->fit_resample(data, &r);
    ASSERT_EQ(out.class_counts()[static_cast<std::size_t>(minority)], 301u);
    const auto clusters = detail::kmeans_smote_clusters(input_of(data, 5), 8);
    std::map<std::int32_t, std::vector<std::size_t>> members;
    for (std::size_t i = 0; i < data.rows(); ++i) {
      if (data.y()[i] == minority) members[clusters[i]].push_back(i);
    }
    std::map<std::size_t, std::set<std::size_t>> knn;
    for (const auto& [c, rows] : members) {
      if (rows.size() < 3) continue;
      const NeighborIndex index(data.X(), rows);
      const Neighbors nn = index.query_rows(rows, 2, true);
      for (std::size_t i = 0; i < rows.size(); ++i) knn[rows[i]] = {nn(i, 0), nn(i, 1)};
    }
    std::set<std::int32_t> used;
    for (std::size_t t = 0; t < r.provenance.size(); ++t) {
      const auto& p = r.provenance[t];
      const auto parent = static_cast<std::size_t>(p.parent);
      ASSERT_EQ(data.y()[parent], minority);
      ASSERT_TRUE(knn[parent].count(static_cast<std::size_t>(p.neighbor))) << "row " << t;
      ASSERT_GE(p.step, 0.0);
      ASSERT_LT(p.step, 1.0);
      used.insert(clusters[parent]);
    }
    EXPECT_GE(used.size(), 1u);
  }
}

TEST(KMeansSmote, NoQualifyingClusterIsAClearError) {
  // Minority rows spread thinly among the majority: no cluster is half minority.
  std::vector<double> X;
  std::vector<std::int32_t> y;
  Rng rng(3);
  for (int i = 0; i < 400; ++i) {
    X.push_back(rng.normal());
    X.push_back(rng.normal());
    y.push_back(i % 40 == 0 ? 1 : 0);
  }
  const ClassLabels labels{{"neg", "pos"}, false};
  try {
    kmeans_smote(1)->fit_resample(MatrixView(X.data(), y.size(), 2), y, 2, {}, &labels);
    FAIL() << "expected an error";
  } catch (const InvalidArgument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("kmeans-smote: no cluster qualifies for class 'pos'"), std::string::npos) << what;
    EXPECT_NE(what.find("cluster_balance_threshold=0.5"), std::string::npos) << what;
    EXPECT_NE(what.find("Lower cluster_balance_threshold"), std::string::npos) << what;
  }
  // One cluster: every row in it, the threshold does not apply (imbalanced-learn: -inf).
  const auto out = kmeans_smote(1, {"kmeans_estimator=1"})->fit_resample(MatrixView(X.data(), y.size(), 2), y, 2);
  EXPECT_EQ(out.y.size(), 780u);
  // A threshold of 0 accepts every cluster with k + 1 rows of the class.
  const auto zero = kmeans_smote(1, {"cluster_balance_threshold=0"})->fit_resample(MatrixView(X.data(), y.size(), 2), y, 2);
  EXPECT_EQ(zero.y.size(), 780u);
}

TEST(KMeansSmote, BadParametersAreClearErrors) {
  EXPECT_THROW(kmeans_smote(1, {"cluster_balance_threshold=often"}), InvalidArgument);
  EXPECT_THROW(kmeans_smote(1, {"kmeans_estimator=0"}), InvalidArgument);
  std::vector<double> X{0, 1, 2, 3, 4, 5, 6};
  std::vector<std::int32_t> y{0, 0, 0, 0, 1, 1, 1};
  try {
    kmeans_smote(1, {"kmeans_estimator=9"})->fit_resample(MatrixView(X.data(), 7, 1), y, 2);
    FAIL() << "expected an error";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("kmeans_estimator=9"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace imbal
