// isolation-forest: the anomaly score (scikit-learn's -score_samples) as the probability of the
// anomaly class, the monotone map under contamination, labels unused by the trees,
// positive_class, max_samples / max_features, bad parameters. Ranking parity with scikit-learn:
// tests/python/test_forest_parity.py.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "imbal/error.hpp"
#include "imbal/model_registry.hpp"
#include "imbal/random.hpp"

namespace imbal {
namespace {

struct Data {
  std::vector<double> X;
  std::vector<std::int32_t> y;
  std::size_t rows = 0;
  std::size_t cols = 0;
  MatrixView view() const { return {X.data(), rows, cols}; }
};

// A dense Gaussian cloud (class 0) and scattered outliers (class 1), interleaved.
Data outliers(std::size_t inliers, std::size_t n_out, std::size_t cols, std::uint64_t seed) {
  Data d;
  d.cols = cols;
  Rng rng(seed);
  for (std::size_t i = 0; i < inliers + n_out; ++i) {
    const bool out = i % ((inliers + n_out) / n_out) == 0 && d.rows < inliers + n_out &&
                     std::count(d.y.begin(), d.y.end(), 1) < static_cast<std::ptrdiff_t>(n_out);
    for (std::size_t j = 0; j < cols; ++j) d.X.push_back(out ? rng.uniform(-6.0, 6.0) : rng.normal());
    d.y.push_back(out ? 1 : 0);
    ++d.rows;
  }
  return d;
}

std::unique_ptr<Model> forest(std::vector<std::string> params, std::uint64_t seed = 3, int jobs = 2) {
  ModelOptions options;
  options.random_state = seed;
  options.n_jobs = jobs;
  return make_model("isolation-forest", params, options);
}

double auc_of(const Model& m, const Data& d, std::size_t positive = 1) {
  const Matrix p = m.predict_proba(d.view());
  // Mann-Whitney AUC of the positive class' probability.
  double wins = 0.0;
  double pairs = 0.0;
  for (std::size_t i = 0; i < d.rows; ++i) {
    if (d.y[i] != static_cast<std::int32_t>(positive)) continue;
    for (std::size_t j = 0; j < d.rows; ++j) {
      if (d.y[j] == static_cast<std::int32_t>(positive)) continue;
      pairs += 1.0;
      wins += p(i, positive) > p(j, positive) ? 1.0 : (p(i, positive) == p(j, positive) ? 0.5 : 0.0);
    }
  }
  return wins / pairs;
}

TEST(IsolationForest, OutliersGetTheHighestMinorityProbability) {
  const Data d = outliers(1000, 30, 3, 1);
  auto m = forest({});
  m->fit(d.view(), d.y, 2);
  EXPECT_GT(auc_of(*m, d), 0.95);
  const Data fresh = outliers(1000, 30, 3, 2);
  EXPECT_GT(auc_of(*m, fresh), 0.95);
}

TEST(IsolationForest, ScoreIsTwoToTheMinusNormalisedPathLength) {
  // One tree on 2 rows: depth-1 tree with leaves of 1 row; c(2) = 1. Both rows: path 1 + c(1) = 1
  // -> s = 2^(-1/1) = 0.5.
  const std::vector<double> X = {0.0, 1.0};
  const std::vector<std::int32_t> y = {0, 1};
  auto m = forest({"n_estimators=1"});
  m->fit(MatrixView(X.data(), 2, 1), y, 2);
  const Matrix p = m->predict_proba(MatrixView(X.data(), 2, 1));
  EXPECT_DOUBLE_EQ(p(0, 1), 0.5);
  EXPECT_DOUBLE_EQ(p(1, 1), 0.5);
  // Three identical rows: no split possible, the root holds 3 rows: s = 2^(-c(3)/c(3)) = 0.5.
  const std::vector<double> same = {2.0, 2.0, 2.0};
  const std::vector<std::int32_t> y3 = {0, 0, 1};
  m->fit(MatrixView(same.data(), 3, 1), y3, 2);
  EXPECT_DOUBLE_EQ(m->predict_proba(MatrixView(same.data(), 1, 1))(0, 1), 0.5);
}

TEST(IsolationForest, LabelsDoNotShapeTheTrees) {
  const Data d = outliers(500, 20, 3, 3);
  Data shuffled = d;
  Rng rng(9);
  rng.shuffle(shuffled.y);  // same class sizes, labels on other rows
  auto a = forest({});
  auto b = forest({});
  a->fit(d.view(), d.y, 2);
  b->fit(shuffled.view(), shuffled.y, 2);
  const auto sa = nlohmann::json::parse(a->save_json())["state"];
  const auto sb = nlohmann::json::parse(b->save_json())["state"];
  EXPECT_EQ(sa["trees"], sb["trees"]);
  EXPECT_EQ(a->predict_proba(d.view()).storage(), b->predict_proba(d.view()).storage());
}

TEST(IsolationForest, PositiveClassAndMulticlassPriors) {
  Data d = outliers(600, 30, 3, 4);
  // Class 0 is the minority once rows are relabelled: the anomaly is class 0 by default.
  for (auto& c : d.y) c = 1 - c;
  auto m = forest({});
  m->fit(d.view(), d.y, 2);
  EXPECT_GT(auc_of(*m, d, 0), 0.95);
  // positive_class names the anomaly explicitly.
  ClassLabels labels;
  labels.names = {"out", "in"};
  auto named = forest({"positive_class=out"});
  named->fit(d.view(), d.y, 2, {}, &labels);
  EXPECT_EQ(named->predict_proba(d.view()).storage(), m->predict_proba(d.view()).storage());
  auto wrong = forest({"positive_class=nope"});
  EXPECT_THROW(wrong->fit(d.view(), d.y, 2, {}, &labels), InvalidArgument);
  // Three classes: the others share 1 - p by their training counts.
  Data three = outliers(600, 30, 3, 5);
  for (std::size_t i = 0; i < three.rows; ++i) {
    if (three.y[i] == 0 && i % 3 == 0) three.y[i] = 2;
  }
  auto t = forest({"positive_class=1"});
  t->fit(three.view(), three.y, 3);
  const Matrix p = t->predict_proba(three.view());
  const double n0 = static_cast<double>(std::count(three.y.begin(), three.y.end(), 0));
  const double n2 = static_cast<double>(std::count(three.y.begin(), three.y.end(), 2));
  for (std::size_t i = 0; i < 10; ++i) EXPECT_NEAR(p(i, 0) / p(i, 2), n0 / n2, 1e-9);
}

TEST(IsolationForest, ContaminationMovesTheHalfProbabilityPoint) {
  const Data d = outliers(950, 50, 2, 6);
  auto m = forest({"contamination=0.1"});
  m->fit(d.view(), d.y, 2);
  const auto pred = m->predict(d.view());
  const auto flagged = std::count(pred.begin(), pred.end(), 1);
  EXPECT_NEAR(static_cast<double>(flagged), 100.0, 2.0);
  // The map is monotone: same ranking as contamination auto.
  auto a = forest({});
  a->fit(d.view(), d.y, 2);
  const Matrix pa = a->predict_proba(d.view());
  const Matrix pm = m->predict_proba(d.view());
  for (std::size_t i = 0; i + 1 < d.rows; ++i) {
    EXPECT_EQ(pa(i, 1) < pa(i + 1, 1), pm(i, 1) < pm(i + 1, 1));
  }
}

TEST(IsolationForest, SampleSizesAndFeatures) {
  const Data d = outliers(300, 10, 4, 7);
  auto small = forest({"max_samples=0.1", "max_features=2", "n_estimators=10"});
  small->fit(d.view(), d.y, 2);
  const auto s = nlohmann::json::parse(small->save_json())["state"];
  EXPECT_EQ(s["max_samples"], 31);
  for (const auto& t : s["trees"]) {
    EXPECT_EQ(t["n_node_samples"][0], 31);
    std::vector<int> used;
    for (const auto& f : t["feature"]) {
      if (f.get<int>() >= 0) used.push_back(f.get<int>());
    }
    std::sort(used.begin(), used.end());
    used.erase(std::unique(used.begin(), used.end()), used.end());
    EXPECT_LE(used.size(), 2U);
  }
  auto big = forest({"max_samples=5000", "n_estimators=2"});
  big->fit(d.view(), d.y, 2);
  ASSERT_EQ(big->warnings().size(), 1U);
  EXPECT_NE(big->warnings()[0].find("max_samples"), std::string::npos);
  auto boot = forest({"bootstrap=true", "n_estimators=5"});
  boot->fit(d.view(), d.y, 2);
  for (const auto& t : nlohmann::json(nlohmann::json::parse(boot->save_json())["state"]["trees"])) {
    EXPECT_LE(t["n_node_samples"][0].get<int>(), 256) << "distinct rows of the bootstrap";
  }
  for (const char* bad : {"max_samples=0", "max_samples=2.0", "max_features=0", "contamination=0.6",
                          "contamination=0", "n_estimators=0"}) {
    EXPECT_THROW((void)forest({bad}), InvalidArgument) << bad;
  }
  auto too_many = forest({"max_features=9"});
  EXPECT_THROW(too_many->fit(d.view(), d.y, 2), InvalidArgument);
}

}  // namespace
}  // namespace imbal
