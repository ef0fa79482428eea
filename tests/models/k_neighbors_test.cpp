// k-neighbors: probabilities against a brute-force vote written out here (uniform and distance
// weights, exact matches), errors. Parity with scikit-learn: tests/python/test_kneighbors_iht_parity.py.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "imbal/error.hpp"
#include "imbal/model_registry.hpp"
#include "imbal/neighbors.hpp"
#include "imbal/random.hpp"

namespace imbal {
namespace {

struct Data {
  std::vector<double> X;
  std::vector<std::int32_t> y;
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::size_t K = 0;
  MatrixView view() const { return {X.data(), rows, cols}; }
};

// Rounded coordinates: many equal distances and exact matches between train and query rows.
Data grid(std::size_t n, std::size_t cols, std::size_t K, std::uint64_t seed, bool round) {
  Data d;
  d.cols = cols;
  d.K = K;
  Rng rng(seed);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<std::int32_t>(i % K);
    for (std::size_t j = 0; j < cols; ++j) {
      const double v = rng.normal() * 2.0 + (j == static_cast<std::size_t>(c) % cols ? 1.0 : 0.0);
      d.X.push_back(round ? std::round(v) : v);
    }
    d.y.push_back(c);
    ++d.rows;
  }
  return d;
}

std::vector<double> brute_proba(const Data& train, const double* q, std::size_t k, bool by_distance) {
  std::vector<std::pair<double, std::size_t>> all;
  for (std::size_t i = 0; i < train.rows; ++i) {
    all.emplace_back(squared_euclidean_distance({q, train.cols}, {train.X.data() + i * train.cols, train.cols}), i);
  }
  std::sort(all.begin(), all.end());
  bool zero = false;
  for (std::size_t j = 0; j < k; ++j) zero = zero || all[j].first == 0.0;
  std::vector<double> p(train.K, 0.0);
  for (std::size_t j = 0; j < k; ++j) {
    const double dist = std::sqrt(all[j].first);
    const double w = !by_distance ? 1.0 : zero ? (dist == 0.0 ? 1.0 : 0.0) : 1.0 / dist;
    p[static_cast<std::size_t>(train.y[all[j].second])] += w;
  }
  double total = 0;
  for (const double v : p) total += v;
  for (double& v : p) v /= total;
  return p;
}

TEST(KNeighbors, ProbabilitiesAreTheNeighboursVote) {
  for (const bool round : {false, true}) {
    const Data train = grid(300, 3, 3, 1, round);
    const Data test = grid(120, 3, 3, 2, round);
    for (const std::string weights : {"uniform", "distance"}) {
      for (const std::size_t k : {1, 5, 8}) {
        auto m = make_model("k-neighbors", {"n_neighbors=" + std::to_string(k), "weights=" + weights});
        m->fit(train.view(), train.y, train.K);
        const Matrix p = m->predict_proba(test.view());
        const auto pred = m->predict(test.view());
        for (std::size_t i = 0; i < test.rows; ++i) {
          const auto expected = brute_proba(train, test.X.data() + i * 3, k, weights == "distance");
          for (std::size_t c = 0; c < 3; ++c) ASSERT_NEAR(p(i, c), expected[c], 1e-15) << weights << " k=" << k;
          const auto best = static_cast<std::int32_t>(std::max_element(expected.begin(), expected.end()) - expected.begin());
          ASSERT_EQ(pred[i], best) << "ties to the lowest class";
        }
      }
    }
  }
}

TEST(KNeighbors, TrainingRowsPredictThemselvesWithDistanceWeights) {
  const Data train = grid(200, 2, 2, 3, false);
  auto m = make_model("k-neighbors", {"weights=distance"});
  m->fit(train.view(), train.y, 2);
  const auto pred = m->predict(train.view());
  for (std::size_t i = 0; i < train.rows; ++i) EXPECT_EQ(pred[i], train.y[i]) << "distance 0 takes the whole vote";
}

TEST(KNeighbors, ErrorsNameTheProblem) {
  const Data train = grid(4, 2, 2, 4, false);
  auto m = make_model("k-neighbors");
  try {
    m->fit(train.view(), train.y, 2);
    FAIL() << "5 neighbours from 4 rows";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("n_neighbors=5"), std::string::npos) << e.what();
  }
  const Data more = grid(40, 2, 2, 4, false);
  std::vector<double> w(40, 1.0);
  w[3] = 2.0;
  EXPECT_THROW(m->fit(more.view(), more.y, 2, w), InvalidArgument) << "no sample weights";
  std::vector<double> ones(40, 3.0);
  EXPECT_NO_THROW(m->fit(more.view(), more.y, 2, ones)) << "equal weights change nothing";
  EXPECT_THROW(make_model("k-neighbors", {"weights=gaussian"}), InvalidArgument);
  EXPECT_THROW(make_model("k-neighbors", {"n_neighbors=0"}), InvalidArgument);
}

}  // namespace
}  // namespace imbal
