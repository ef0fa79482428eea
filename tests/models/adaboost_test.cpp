// adaboost: the SAMME / SAMME.R rules (member weights and errors recomputed here from the saved
// members), early stops, any registered base estimator, and the one specification parser of the
// ensembles. Stump-by-stump agreement with scikit-learn: tests/python/test_boosting_quality.py.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cmath>

#include "imbal/error.hpp"
#include "models/ensemble.hpp"
#include "models/ensemble_test_data.hpp"
#include "models/tree.hpp"

namespace imbal {
namespace {

using testdata::accuracy;
using testdata::blobs;
using testdata::make;

TEST(EnsembleSpec, ParsesIdsParametersAndNesting) {
  auto s = detail::parse_component_spec("decision-tree", "estimator");
  EXPECT_EQ(s.id, "decision-tree");
  EXPECT_TRUE(s.assignments.empty());
  s = detail::parse_component_spec(" decision-tree( max_depth = 1 ; criterion=entropy ) ", "estimator");
  EXPECT_EQ(s.id, "decision-tree");
  EXPECT_EQ(s.assignments, (std::vector<std::string>{"max_depth=1", "criterion=entropy"}));
  s = detail::parse_component_spec("adaboost(estimator=decision-tree(max_depth=2; splitter=random); n_estimators=5)",
                                   "estimator");
  EXPECT_EQ(s.id, "adaboost");
  EXPECT_EQ(s.assignments,
            (std::vector<std::string>{"estimator=decision-tree(max_depth=2; splitter=random)", "n_estimators=5"}));
  s = detail::parse_component_spec("logistic-regression(class_weight=0:1,1:5)", "estimator");
  EXPECT_EQ(s.assignments, (std::vector<std::string>{"class_weight=0:1,1:5"}));
  EXPECT_EQ(detail::parse_component_spec("decision-tree()", "estimator").assignments.size(), 0U);
  for (const char* bad : {"", "(max_depth=1)", "decision-tree(max_depth=1", "decision-tree max_depth=1)",
                          "decision-tree(max_depth)", "decision-tree(;;)", "decision tree", "tree(a=(1)"}) {
    EXPECT_THROW(detail::parse_component_spec(bad, "estimator"), InvalidArgument) << bad;
  }
}

TEST(EnsembleMember, RankedRowsGiveTheSameMemberAsCopiedRows) {
  // Ensembles rank X once and fit tree members from the subset's ranks (TreeData::subset): the
  // member must equal one fitted on its copied rows, with repeats, a column subset, rows of weight
  // 0 and a class absent from the rows.
  const testdata::Data d = blobs({120, 60, 30}, 5, 7);
  const MatrixView X(d.X.data(), d.y.size(), 5);
  const auto ranked = detail::TreeData::build(X, 1);
  std::vector<double> w(d.y.size(), 1.0);
  for (std::size_t i = 0; i < w.size(); i += 7) w[i] = 0.0;
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < d.y.size(); ++i) {
    if (d.y[i] != 2) rows.push_back((i * 37) % d.y.size());
  }
  rows.push_back(rows.front());  // a repeat
  for (const auto& features : {std::vector<std::size_t>{}, std::vector<std::size_t>{4, 0, 2}}) {
    const detail::ComponentSpec spec{"decision-tree", {"max_depth=4"}};
    detail::Member copied;
    detail::Member from_ranks;
    copied.fit(spec, "estimator", X, d.y, w, 3, rows, features, 11, 1);
    from_ranks.fit(spec, "estimator", X, d.y, w, 3, rows, features, 11, 1, &ranked);
    ASSERT_NE(copied.model, nullptr);
    EXPECT_EQ(copied.classes, from_ranks.classes);
    EXPECT_EQ(copied.features, from_ranks.features);
    EXPECT_EQ(copied.model->save_json(), from_ranks.model->save_json()) << features.size();
  }
}

TEST(AdaBoost, BadEstimatorsAreErrorsWhenTheModelIsMade) {
  EXPECT_THROW(make("adaboost", {"estimator=no-such-model"}), InvalidArgument);
  EXPECT_THROW(make("adaboost", {"estimator=decision-tree(max_depth=-1)"}), InvalidArgument);
  EXPECT_THROW(make("adaboost", {"estimator=decision-tree(no_such_param=1)"}), InvalidArgument);
  EXPECT_THROW(make("adaboost", {"estimator=decision-tree(max_depth=1"}), InvalidArgument);
  EXPECT_THROW(make("adaboost", {"algorithm=samme"}), InvalidArgument);
  try {
    const auto d = blobs({30, 20}, 2, 1);
    make("adaboost", {"estimator=no-such-model"})->fit(d.view(), d.y, d.K);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("estimator"), std::string::npos) << e.what();
  }
}

// Recomputes SAMME's member weights and errors from the saved members' own predictions.
TEST(AdaBoost, SammeWeightsAndErrorsFollowTheRule) {
  const auto d = blobs({120, 60, 40}, 3, 2, 1.0);
  auto m = make("adaboost", {"algorithm=SAMME", "n_estimators=8", "learning_rate=0.7"});
  m->fit(d.view(), d.y, d.K);
  const auto j = nlohmann::json::parse(m->save_json());
  const auto& members = j["state"]["members"];
  ASSERT_GE(members.size(), 2U);
  std::vector<double> w(d.rows, 1.0 / static_cast<double>(d.rows));
  const double K = 3.0;
  for (std::size_t t = 0; t < members.size(); ++t) {
    auto member = load_model_json(members[t]["model"].dump());
    const auto pred = member->predict(d.view());
    double err = 0.0, sum = 0.0;
    for (std::size_t i = 0; i < d.rows; ++i) {
      err += pred[i] != d.y[i] ? w[i] : 0.0;
      sum += w[i];
    }
    err /= sum;
    const double alpha = 0.7 * (std::log((1 - err) / err) + std::log(K - 1));
    EXPECT_NEAR(j["state"]["estimator_errors"][t].get<double>(), err, 1e-12) << t;
    EXPECT_NEAR(j["state"]["estimator_weights"][t].get<double>(), alpha, 1e-9) << t;
    for (std::size_t i = 0; i < d.rows; ++i) {
      if (pred[i] != d.y[i]) w[i] *= std::exp(alpha);
    }
    double s = 0.0;
    for (const double v : w) s += v;
    for (auto& v : w) v /= s;
  }
  EXPECT_GT(accuracy(*m, d), 0.6);
}

TEST(AdaBoost, SammeRIsTheDefaultAndLearns) {
  const auto d = blobs({300, 40}, 4, 3, 1.5);
  auto m = make("adaboost", {});
  m->fit(d.view(), d.y, d.K);
  const auto j = nlohmann::json::parse(m->save_json());
  EXPECT_EQ(j["params"]["algorithm"], "SAMME.R");
  EXPECT_EQ(j["state"]["members"].size(), 50U);
  for (const auto& w : j["state"]["estimator_weights"]) EXPECT_EQ(w.get<double>(), 1.0);
  // Stumps: every member is a depth-1 decision tree.
  EXPECT_EQ(j["state"]["members"][0]["model"]["model"], "decision-tree");
  EXPECT_EQ(j["state"]["members"][0]["model"]["params"]["max_depth"], 1);
  EXPECT_GT(accuracy(*m, d), 0.93);
  const Matrix s = m->decision_function(d.view());
  const Matrix p = m->predict_proba(d.view());
  ASSERT_EQ(s.cols(), 1U);
  for (std::size_t i = 0; i < d.rows; ++i) {
    // scikit-learn: p1 = softmax([-s, s] / 2)_1 = sigmoid(s).
    EXPECT_NEAR(p(i, 1), 1.0 / (1.0 + std::exp(-s(i, 0))), 1e-12);
  }
}

TEST(AdaBoost, APerfectFirstMemberStopsBoosting) {
  const auto d = blobs({50, 50}, 1, 4, 40.0);  // separable on the only feature
  for (const char* algorithm : {"algorithm=SAMME", "algorithm=SAMME.R"}) {
    auto m = make("adaboost", {algorithm});
    m->fit(d.view(), d.y, d.K);
    const auto j = nlohmann::json::parse(m->save_json());
    EXPECT_EQ(j["state"]["members"].size(), 1U) << algorithm;
    EXPECT_EQ(j["state"]["estimator_errors"][0], 0.0);
    EXPECT_EQ(accuracy(*m, d), 1.0);
  }
}

// Members see AdaBoost's weights, which sum to 1 (as in scikit-learn): models whose behaviour
// depends on the weights' scale (a penalty, a least leaf weight) need it set accordingly.
TEST(AdaBoost, AnyRegisteredModelIsABaseEstimator) {
  const auto d = blobs({150, 50}, 3, 5, 1.5);
  for (const char* est : {"estimator=logistic-regression(penalty=none)", "estimator=decision-tree(max_depth=3; criterion=entropy)",
                          "estimator=gradient-boosting(n_estimators=5; max_depth=2; min_child_weight=0)"}) {
    auto m = make("adaboost", {est, "n_estimators=5"});
    m->fit(d.view(), d.y, d.K);
    EXPECT_GT(accuracy(*m, d), 0.8) << est;
    auto loaded = load_model_json(m->save_json());
    EXPECT_EQ(loaded->predict_proba(d.view()).storage(), m->predict_proba(d.view()).storage()) << est;
  }
}

TEST(AdaBoost, SampleWeightsMatter) {
  const auto d = blobs({200, 30}, 3, 6, 0.8);
  std::vector<double> w(d.rows, 1.0);
  for (std::size_t i = 200; i < d.rows; ++i) w[i] = 8.0;
  auto plain = make("adaboost", {"n_estimators=10"});
  auto weighted = make("adaboost", {"n_estimators=10"});
  auto balanced = make("adaboost", {"n_estimators=10"});
  plain->fit(d.view(), d.y, d.K);
  weighted->fit(d.view(), d.y, d.K, w);
  EXPECT_NE(plain->save_json(), weighted->save_json());
  // More minority weight: more rows predicted as the minority.
  auto count1 = [&](const Model& m) {
    std::size_t c = 0;
    for (const auto v : m.predict(d.view())) c += v == 1 ? 1 : 0;
    return c;
  };
  EXPECT_GT(count1(*weighted), count1(*plain));
  (void)balanced;
}

}  // namespace
}  // namespace imbal
