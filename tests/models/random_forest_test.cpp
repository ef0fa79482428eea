// random-forest and balanced-random-forest (src/models/forest.{hpp,cpp}): the bootstrap as
// weights, max_samples, balanced_subsample, out-of-bag score, the per-tree under-sample of the
// balanced forest, agreement with a single decision tree, bad parameters. Parity with
// scikit-learn / imbalanced-learn: tests/python/test_forest_parity.py.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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

Data imbalanced(const std::vector<std::size_t>& counts, std::size_t cols, std::uint64_t seed) {
  Data d;
  d.cols = cols;
  Rng rng(seed);
  for (std::size_t c = 0; c < counts.size(); ++c) {
    for (std::size_t i = 0; i < counts[c]; ++i) {
      for (std::size_t j = 0; j < cols; ++j) d.X.push_back(rng.normal() + (j % counts.size() == c ? 1.5 : 0.0));
      d.y.push_back(static_cast<std::int32_t>(c));
      ++d.rows;
    }
  }
  return d;
}

std::unique_ptr<Model> make(const std::string& name, std::vector<std::string> params, std::uint64_t seed = 5,
                            int jobs = 2) {
  ModelOptions options;
  options.random_state = seed;
  options.n_jobs = jobs;
  return make_model(name, params, options);
}

nlohmann::json state(const Model& m) { return nlohmann::json::parse(m.save_json())["state"]; }

std::vector<double> root_value(const nlohmann::json& tree, std::size_t K) {
  std::vector<double> v;
  for (std::size_t k = 0; k < K; ++k) v.push_back(tree["value"][k].get<double>());
  return v;
}

TEST(RandomForest, OneTreeWithoutBootstrapIsTheDecisionTree) {
  const Data d = imbalanced({200, 80}, 5, 1);
  auto forest = make("random-forest", {"n_estimators=1", "bootstrap=false", "max_features=none"});
  auto tree = make("decision-tree", {});
  forest->fit(d.view(), d.y, 2);
  tree->fit(d.view(), d.y, 2);
  EXPECT_EQ(forest->predict_proba(d.view()).storage(), tree->predict_proba(d.view()).storage());
}

TEST(RandomForest, BootstrapCountsAreRowWeights) {
  const Data d = imbalanced({300, 100}, 4, 2);
  for (const auto& [ms, expected] : std::vector<std::pair<std::string, double>>{
           {"max_samples=none", 400.0}, {"max_samples=0.25", 100.0}, {"max_samples=57", 57.0}}) {
    auto m = make("random-forest", {"n_estimators=7", ms});
    m->fit(d.view(), d.y, 2);
    const auto s = state(*m);
    ASSERT_EQ(s["trees"].size(), 7U);
    for (const auto& t : s["trees"]) {
      const auto v = root_value(t, 2);
      EXPECT_EQ(v[0] + v[1], expected) << ms;
    }
  }
}

TEST(RandomForest, BalancedSubsampleBalancesEveryBootstrap) {
  const Data d = imbalanced({300, 60, 40}, 4, 3);
  auto m = make("random-forest", {"n_estimators=5", "class_weight=balanced_subsample"});
  m->fit(d.view(), d.y, 3);
  for (const auto& t : nlohmann::json(state(*m)["trees"])) {
    const auto v = root_value(t, 3);
    EXPECT_NEAR(v[0], 400.0 / 3.0, 1e-9);
    EXPECT_NEAR(v[1], 400.0 / 3.0, 1e-9);
    EXPECT_NEAR(v[2], 400.0 / 3.0, 1e-9);
  }
  // Without bootstrap it is "balanced" on all rows (scikit-learn's rule).
  auto a = make("random-forest", {"n_estimators=3", "class_weight=balanced_subsample", "bootstrap=false"});
  auto b = make("random-forest", {"n_estimators=3", "class_weight=balanced", "bootstrap=false"});
  a->fit(d.view(), d.y, 3);
  b->fit(d.view(), d.y, 3);
  EXPECT_EQ(state(*a), state(*b));
  // balanced: on all rows, then bootstrap counts.
  auto c = make("random-forest", {"n_estimators=3", "class_weight=balanced", "bootstrap=false"});
  c->fit(d.view(), d.y, 3);
  const auto v = root_value(state(*c)["trees"][0], 3);
  EXPECT_NEAR(v[0], 400.0 / 3.0, 1e-9);
  EXPECT_NEAR(v[2], 400.0 / 3.0, 1e-9);
}

TEST(RandomForest, OutOfBagScore) {
  const Data d = imbalanced({400, 200}, 4, 4);
  auto m = make("random-forest", {"n_estimators=40", "oob_score=true"});
  m->fit(d.view(), d.y, 2);
  const auto s = state(*m);
  const double score = s["oob_score"];
  EXPECT_GT(score, 0.75);
  EXPECT_LE(score, 1.0);
  ASSERT_EQ(s["oob_decision_function"].size(), 1200U);
  std::size_t correct = 0;
  for (std::size_t i = 0; i < 600; ++i) {
    const double p0 = s["oob_decision_function"][2 * i];
    const double p1 = s["oob_decision_function"][2 * i + 1];
    EXPECT_NEAR(p0 + p1, 1.0, 1e-12) << "40 trees: every row is out of bag somewhere";
    correct += (p1 > p0 ? 1 : 0) == d.y[i] ? 1 : 0;
  }
  EXPECT_DOUBLE_EQ(score, static_cast<double>(correct) / 600.0);
  EXPECT_TRUE(m->warnings().empty());
  // Too few trees: rows never out of bag, a warning.
  auto few = make("random-forest", {"n_estimators=2", "oob_score=true"});
  few->fit(d.view(), d.y, 2);
  ASSERT_EQ(few->warnings().size(), 1U);
  EXPECT_NE(few->warnings()[0].find("out-of-bag"), std::string::npos);
  // The OOB accuracy is an honest estimate: close to the accuracy on fresh data.
  const Data fresh = imbalanced({400, 200}, 4, 40);
  const auto pred = m->predict(fresh.view());
  std::size_t ok = 0;
  for (std::size_t i = 0; i < fresh.rows; ++i) ok += pred[i] == fresh.y[i] ? 1 : 0;
  EXPECT_NEAR(score, static_cast<double>(ok) / static_cast<double>(fresh.rows), 0.06);
}

TEST(RandomForest, MoreTreesAverageProbabilities) {
  const Data d = imbalanced({200, 100}, 3, 5);
  auto m = make("random-forest", {"n_estimators=10", "max_depth=3"});
  m->fit(d.view(), d.y, 2);
  // Probabilities are multiples of 1/10 of leaf fractions: check the mean of tree predictions
  // equals the forest's by recomputing from the saved trees.
  const auto s = state(*m);
  const Matrix p = m->predict_proba(d.view());
  for (std::size_t i = 0; i < 20; ++i) {
    double sum1 = 0.0;
    for (const auto& t : s["trees"]) {
      std::size_t node = 0;
      while (t["children_left"][node].get<int>() != -1) {
        const auto f = t["feature"][node].get<std::size_t>();
        const double x = static_cast<float>(d.X[i * 3 + f]);
        node = x <= t["threshold"][node].get<double>() ? t["children_left"][node].get<std::size_t>()
                                                       : t["children_right"][node].get<std::size_t>();
      }
      const double v0 = t["value"][2 * node];
      const double v1 = t["value"][2 * node + 1];
      sum1 += v1 / (v0 + v1);
    }
    EXPECT_NEAR(p(i, 1), sum1 / 10.0, 1e-15);
  }
}

TEST(RandomForest, BadParametersAreClearErrors) {
  for (const auto& bad : std::vector<std::vector<std::string>>{{"n_estimators=0"},
                                                               {"oob_score=true", "bootstrap=false"},
                                                               {"max_samples=0.5", "bootstrap=false"},
                                                               {"max_samples=0"},
                                                               {"max_samples=1.5"},
                                                               {"max_features=0"},
                                                               {"class_weight=subsample"}}) {
    EXPECT_THROW((void)make("random-forest", bad), InvalidArgument) << bad[0];
    EXPECT_THROW((void)make("balanced-random-forest", bad), InvalidArgument) << bad[0];
  }
  const Data d = imbalanced({30, 10}, 3, 6);
  auto m = make("random-forest", {"max_samples=41"});
  EXPECT_THROW(m->fit(d.view(), d.y, 2), InvalidArgument);
}

TEST(BalancedRandomForest, EveryTreeSeesABalancedUnderSample) {
  const Data d = imbalanced({500, 60, 30}, 4, 7);
  auto m = make("balanced-random-forest", {"n_estimators=6", "bootstrap=false"});
  m->fit(d.view(), d.y, 3);
  for (const auto& t : nlohmann::json(state(*m)["trees"])) {
    EXPECT_EQ(root_value(t, 3), (std::vector<double>{30.0, 30.0, 30.0}));
  }
  // With bootstrap (the default): a bootstrap of the 90-row under-sample.
  auto b = make("balanced-random-forest", {"n_estimators=6"});
  b->fit(d.view(), d.y, 3);
  for (const auto& t : nlohmann::json(state(*b)["trees"])) {
    const auto v = root_value(t, 3);
    EXPECT_EQ(v[0] + v[1] + v[2], 90.0);
  }
  // A ratio strategy (binary): majority down to minority / 0.5.
  const Data bin = imbalanced({500, 40}, 4, 8);
  auto r = make("balanced-random-forest", {"n_estimators=3", "bootstrap=false", "sampling_strategy=0.5"});
  r->fit(bin.view(), bin.y, 2);
  for (const auto& t : nlohmann::json(state(*r)["trees"])) EXPECT_EQ(root_value(t, 2), (std::vector<double>{80.0, 40.0}));
  // Replacement: duplicates weigh their count.
  auto w = make("balanced-random-forest", {"n_estimators=3", "bootstrap=false", "replacement=true"});
  w->fit(bin.view(), bin.y, 2);
  for (const auto& t : nlohmann::json(state(*w)["trees"])) EXPECT_EQ(root_value(t, 2), (std::vector<double>{40.0, 40.0}));
}

TEST(BalancedRandomForest, FindsTheMinorityBetterThanAPlainForest) {
  const Data d = imbalanced({2000, 60}, 4, 9);
  const Data test = imbalanced({2000, 60}, 4, 10);
  auto recall = [&](Model& m) {
    m.fit(d.view(), d.y, 2);
    const auto pred = m.predict(test.view());
    std::size_t hit = 0;
    for (std::size_t i = 2000; i < test.rows; ++i) hit += pred[i] == 1 ? 1 : 0;
    return static_cast<double>(hit) / 60.0;
  };
  auto plain = make("random-forest", {"n_estimators=30"});
  auto balanced = make("balanced-random-forest", {"n_estimators=30"});
  EXPECT_GT(recall(*balanced), recall(*plain) + 0.2);
}

TEST(BalancedRandomForest, OutOfBagRowsComeFromTheUnderSample) {
  const Data d = imbalanced({300, 100}, 4, 11);
  auto m = make("balanced-random-forest", {"n_estimators=50", "oob_score=true"});
  m->fit(d.view(), d.y, 2);
  const auto s = state(*m);
  EXPECT_GT(s["oob_score"].get<double>(), 0.6);
  EXPECT_THROW((void)make("balanced-random-forest", {"sampling_strategy=nonsense"})->fit(d.view(), d.y, 2),
               InvalidArgument);
}

}  // namespace
}  // namespace imbal
