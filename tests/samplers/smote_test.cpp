#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "imbal/error.hpp"
#include "imbal/neighbors.hpp"
#include "imbal/registry.hpp"

namespace imbal {
namespace {

std::unique_ptr<Sampler> smote(std::uint64_t seed, std::vector<std::string> params = {}) {
  SamplerOptions options;
  options.random_state = seed;
  return make_sampler("smote", params, options);
}

TEST(Smote, NewRowsInterpolateTowardsAKNearestSameClassNeighbour) {
  Rng rng(1);
  const std::size_t n = 400;
  const std::size_t d = 3;
  std::vector<double> X(n * d);
  std::vector<std::int32_t> y(n, 0);
  for (auto& v : X) v = rng.normal();
  for (std::size_t i = 0; i < n; i += 10) y[i] = 1;
  const auto r = smote(2)->fit_resample(MatrixView(X.data(), n, d), y, 2);
  ASSERT_EQ(std::count(r.y.begin(), r.y.end(), 1), 360);
  std::vector<std::size_t> minority;
  for (std::size_t i = 0; i < n; ++i) {
    if (y[i] == 1) minority.push_back(i);
  }
  const NeighborIndex index(MatrixView(X.data(), n, d), minority);
  const auto knn = index.query_rows(minority, 5);
  for (std::size_t k = 0; k < r.provenance.size(); ++k) {
    const auto& p = r.provenance[k];
    const auto pos = std::find(minority.begin(), minority.end(), static_cast<std::size_t>(p.parent)) - minority.begin();
    ASSERT_LT(static_cast<std::size_t>(pos), minority.size()) << "the parent is a minority row";
    const auto nbrs = knn.indices(static_cast<std::size_t>(pos));
    EXPECT_NE(std::find(nbrs.begin(), nbrs.end(), static_cast<std::size_t>(p.neighbor)), nbrs.end());
    EXPECT_GE(p.step, 0.0);
    EXPECT_LT(p.step, 1.0);
  }
}

TEST(Smote, DuplicatesAreNeighboursAtDistanceZero) {
  // Every minority row appears twice: the duplicate (not the row itself) is a neighbour, so
  // with k = 1 each new row equals its parent.
  std::vector<double> X;
  std::vector<std::int32_t> y;
  for (int i = 0; i < 30; ++i) {
    X.push_back(i);
    y.push_back(0);
  }
  for (int i = 0; i < 5; ++i) {
    for (int copy = 0; copy < 2; ++copy) {
      X.push_back(100.0 + 10.0 * i);
      y.push_back(1);
    }
  }
  const auto r = smote(3, {"k_neighbors=1"})->fit_resample(MatrixView(X.data(), X.size(), 1), y, 2);
  ASSERT_EQ(r.provenance.size(), 20U);
  for (std::size_t k = 0; k < r.provenance.size(); ++k) {
    const auto& p = r.provenance[k];
    EXPECT_NE(p.parent, p.neighbor) << "never the row itself";
    EXPECT_EQ(X[static_cast<std::size_t>(p.parent)], X[static_cast<std::size_t>(p.neighbor)]);
    EXPECT_EQ(r.X(r.n_copied + k, 0), X[static_cast<std::size_t>(p.parent)]);
  }
}

TEST(Smote, TooSmallClassIsAClearError) {
  std::vector<double> X{0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12};
  std::vector<std::int32_t> y{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1};
  const ClassLabels labels{{"neg", "pos"}, false};
  try {
    smote(1)->fit_resample(MatrixView(X.data(), X.size(), 1), y, 2, {}, &labels);
    FAIL() << "expected an error";
  } catch (const InvalidArgument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("class 'pos' has 3 rows"), std::string::npos) << what;
    EXPECT_NE(what.find("k_neighbors=2"), std::string::npos) << what;
  }
  EXPECT_NO_THROW(smote(1, {"k_neighbors=2"})->fit_resample(MatrixView(X.data(), X.size(), 1), y, 2, {}, &labels));
}

TEST(Smote, ReduceKServesASmallClassWithFewerNeighboursAndWarns) {
  // Class 'pos' has 3 rows and class 'mid' 7: with k_neighbors=5 and reduce_k, 'pos' uses its
  // 2 other rows, 'mid' keeps k = 5, and exactly one warning names the class and both k.
  std::vector<double> X;
  std::vector<std::int32_t> y;
  for (int i = 0; i < 20; ++i) X.push_back(i), y.push_back(0);
  for (int i = 0; i < 7; ++i) X.push_back(100 + i), y.push_back(1);
  for (int i = 0; i < 3; ++i) X.push_back(200 + 3 * i), y.push_back(2);
  const ClassLabels labels{{"neg", "mid", "pos"}, false};
  SamplerOptions options;
  options.random_state = 4;
  options.reduce_k = true;
  auto sampler = make_sampler("smote", {}, options);
  const auto r = sampler->fit_resample(MatrixView(X.data(), X.size(), 1), y, 3, {}, &labels);
  EXPECT_EQ(std::count(r.y.begin(), r.y.end(), 1), 20);
  EXPECT_EQ(std::count(r.y.begin(), r.y.end(), 2), 20);
  ASSERT_EQ(r.warnings.size(), 1U);
  EXPECT_NE(r.warnings[0].find("class 'pos' has 3 rows; k_neighbors reduced from 5 to 2"), std::string::npos)
      << r.warnings[0];
  std::set<std::int64_t> pos_neighbors;
  for (std::size_t k = 0; k < r.provenance.size(); ++k) {
    const auto& p = r.provenance[k];
    ASSERT_EQ(y[static_cast<std::size_t>(p.parent)], y[static_cast<std::size_t>(p.neighbor)]);
    ASSERT_NE(p.parent, p.neighbor);
    if (y[static_cast<std::size_t>(p.parent)] == 2) pos_neighbors.insert(p.neighbor);
  }
  EXPECT_EQ(pos_neighbors.size(), 3U) << "every 'pos' row serves as a neighbour";

  // Without reduce_k the same data is an error that names the option.
  options.reduce_k = false;
  try {
    make_sampler("smote", {}, options)->fit_resample(MatrixView(X.data(), X.size(), 1), y, 3, {}, &labels);
    FAIL() << "expected an error";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("--reduce-k"), std::string::npos) << e.what();
  }
  // A class of one row cannot be interpolated even with reduce_k.
  X.resize(28), y.resize(28);
  options.reduce_k = true;
  EXPECT_THROW(make_sampler("smote", {}, options)->fit_resample(MatrixView(X.data(), X.size(), 1), y, 3, {}, &labels),
               InvalidArgument);
}

TEST(BorderlineSmoteAndAdasyn, ReduceKAppliesToTheSameClassNeighbours) {
  std::vector<double> X;
  std::vector<std::int32_t> y;
  for (int i = 0; i < 30; ++i) X.push_back(i), y.push_back(0);
  for (int i = 0; i < 3; ++i) X.push_back(29.5 + 0.5 * i), y.push_back(1);  // at the edge: all in danger
  SamplerOptions options;
  options.random_state = 9;
  options.reduce_k = true;
  for (const char* method : {"borderline-smote", "adasyn"}) {
    for (const char* kind : {"borderline-1", "borderline-2"}) {
      std::vector<std::string> params;
      if (std::string(method) == "borderline-smote") params = {std::string("kind=") + kind, "m_neighbors=4"};
      const auto r = make_sampler(method, params, options)->fit_resample(MatrixView(X.data(), X.size(), 1), y, 2);
      EXPECT_EQ(std::count(r.y.begin(), r.y.end(), 1), 30) << method << " " << kind;
      ASSERT_EQ(r.warnings.size(), 1U) << method << " " << kind;
      EXPECT_NE(r.warnings[0].find("reduced from 5 to 2"), std::string::npos) << r.warnings[0];
      if (std::string(method) == "adasyn") break;
    }
  }
}

TEST(Smote, CategoricalColumnsPointToSmoteNc) {
  std::vector<double> X(40);
  std::vector<std::int32_t> y(20, 0);
  for (std::size_t i = 0; i < 20; ++i) {
    X[2 * i] = static_cast<double>(i);
    X[2 * i + 1] = static_cast<double>(i % 3);
    if (i % 4 == 0) y[i] = 1;
  }
  try {
    smote(1, {"k_neighbors=2"})->fit_resample(MatrixView(X.data(), 20, 2), y, 2, {false, true});
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("smote-nc"), std::string::npos);
  }
}

}  // namespace
}  // namespace imbal
