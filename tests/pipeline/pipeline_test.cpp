// Pipeline: save/load reproduces predictions exactly for every combination of steps, samplers
// are fit-time only, the same seed gives the same pipeline at 1 and 2 threads, calibration is the
// mean of per-fold calibrated models, and bad configurations are clear errors.
#include <gtest/gtest.h>

#include "imbal/error.hpp"
#include "imbal/model_registry.hpp"
#include "imbal/model_selection.hpp"
#include "imbal/pipeline.hpp"
#include "pipeline/pipeline_fixtures.hpp"

namespace imbal {
namespace {

PipelineConfig full_config() {
  PipelineConfig c;
  c.scaling = Scaling::Standard;
  c.samplers = {SamplerStep{"smote-nc", {"k_neighbors=3"}, ""}};  // colour is categorical
  c.model_params = {"C=0.5"};
  c.calibration = CalibrationMethod::Sigmoid;
  c.calibration_cv = 3;
  c.threshold.rule = DecisionRule::TunedThreshold;
  c.threshold.cv = 3;
  c.random_state = 42;
  c.n_jobs = 1;
  return c;
}

void expect_round_trip(const Pipeline& p, const Dataset& data) {
  const std::string text = p.save_json();
  const Pipeline q = Pipeline::load_json(text, "test.json", 1);
  EXPECT_EQ(q.save_json(), text);
  const Matrix a = p.predict_proba(data.X());
  const Matrix b = q.predict_proba(data.X());
  EXPECT_EQ(a.storage(), b.storage());
  EXPECT_EQ(p.predict(data.X()), q.predict(data.X()));
  for (std::size_t i = 0; i < a.rows(); ++i) {
    double sum = 0;
    for (std::size_t k = 0; k < a.cols(); ++k) sum += a(i, k);
    EXPECT_NEAR(sum, 1.0, 1e-12);
  }
}

TEST(Pipeline, SaveLoadReproducesPredictionsExactly) {
  const Dataset data = testing::mixed_dataset(240, 0.2, 5);
  {
    Pipeline p(full_config());
    p.fit(data);
    ASSERT_TRUE(p.threshold().has_value());
    EXPECT_EQ(p.n_members(), 3U);
    expect_round_trip(p, data);
  }
  {
    PipelineConfig c = full_config();
    c.calibration = CalibrationMethod::Isotonic;
    c.threshold = ThresholdConfig{};
    c.threshold.rule = DecisionRule::FixedThreshold;
    c.threshold.value = 0.3;
    Pipeline p(c);
    p.fit(data);
    EXPECT_EQ(*p.threshold(), 0.3);
    expect_round_trip(p, data);
  }
  {
    PipelineConfig c = full_config();
    c.scaling = Scaling::MinMax;
    c.samplers = {SamplerStep{"random-under", {}, ""}};
    c.calibration = CalibrationMethod::None;
    c.prior_correction = true;
    c.threshold = ThresholdConfig{};
    c.threshold.rule = DecisionRule::TunedThreshold;
    c.threshold.objective = ThresholdObjective::Cost;
    c.threshold.cost = parse_cost_matrix("fn=5,fp=1", 2);
    c.threshold.cv = 3;
    Pipeline p(c);
    p.fit(data);
    expect_round_trip(p, data);
  }
}

TEST(Pipeline, SamplersRunAtFitOnlyAndChangeTheFittedPriors) {
  const Dataset data = testing::mixed_dataset(300, 0.15, 6);
  PipelineConfig c;
  c.samplers = {SamplerStep{"random-under", {}, ""}};
  c.random_state = 1;
  c.n_jobs = 1;
  Pipeline p(c);
  p.fit(data);
  const auto counts = data.class_counts();
  const auto& info = p.fit_info();
  EXPECT_EQ(info.rows_after[0], counts[1]);
  EXPECT_EQ(info.rows_after[1], counts[1]);
  EXPECT_EQ(info.class_mass_before[0], static_cast<double>(counts[0]));
  // Predicting gives one row per input row: nothing is resampled.
  EXPECT_EQ(p.predict_proba(data.X()).rows(), data.rows());
  // Without samplers the model is the plain model on the encoded features.
  PipelineConfig plain;
  plain.one_hot = false;
  plain.random_state = 1;
  Pipeline q(plain);
  q.fit(data);
  auto model = make_model("logistic-regression", ModelOptions{1, 1});
  model->fit(data);
  EXPECT_EQ(q.predict_proba(data.X()).storage(), model->predict_proba(data.X()).storage());
  EXPECT_EQ(q.predict(data.X()), model->predict(data.X()));
}

TEST(Pipeline, NumericSamplersSeeOneHotColumnsCategoryAwareOnesSeeCategories) {
  const Dataset data = testing::mixed_dataset(200, 0.2, 11);
  PipelineConfig c;
  c.samplers = {SamplerStep{"smote", {}, ""}};  // numeric only: gets the one-hot columns
  c.random_state = 2;
  Pipeline p(c);
  p.fit(data);
  expect_round_trip(p, data);
  c.samplers = {SamplerStep{"random-under+smote-nc", {}, "0.5"}};  // needs the categories
  Pipeline q(c);
  q.fit(data);
  expect_round_trip(q, data);
  c.samplers = {SamplerStep{"smote", {}, ""}};
  c.one_hot = false;  // level codes stay categorical: smote refuses them and says what to use
  try {
    Pipeline(c).fit(data);
    FAIL() << "smote accepted categorical codes";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("smote-nc"), std::string::npos) << e.what();
  }
}

TEST(Pipeline, SameSeedSameResultAtAnyThreadCount) {
  const Dataset data = testing::mixed_dataset(200, 0.25, 7);
  PipelineConfig c = full_config();
  c.n_jobs = 1;
  Pipeline a(c);
  a.fit(data);
  c.n_jobs = 2;
  Pipeline b(c);
  b.fit(data);
  EXPECT_EQ(a.save_json(), b.save_json());
}

TEST(Pipeline, CalibratedProbabilitiesAreTheMeanOfTheFoldMembers) {
  const Dataset data = testing::mixed_dataset(150, 0.3, 8);
  PipelineConfig c;
  c.one_hot = false;
  c.calibration = CalibrationMethod::Sigmoid;
  c.calibration_cv = 3;
  c.random_state = 3;
  Pipeline p(c);
  p.fit(data);
  const auto splits = model_selection::StratifiedKFold(3).split(data.y());
  Matrix mean(data.rows(), 2);
  for (const auto& s : splits) {
    auto model = make_model("logistic-regression", ModelOptions{1, 1});
    const Matrix Xtr = gather_rows(data.X(), s.train);
    std::vector<std::int32_t> ytr, yte;
    for (auto r : s.train) ytr.push_back(data.y()[r]);
    for (auto r : s.test) yte.push_back(data.y()[r]);
    model->fit(Xtr, ytr, 2, {}, &data.classes());
    Calibrator cal(CalibrationMethod::Sigmoid);
    cal.fit(model->decision_function(gather_rows(data.X(), s.test)), yte, 2);
    const Matrix q = cal.predict_proba(model->decision_function(data.X()));
    for (std::size_t i = 0; i < mean.storage().size(); ++i) mean.storage()[i] += q.storage()[i];
  }
  for (double& v : mean.storage()) v /= 3.0;
  EXPECT_EQ(p.predict_proba(data.X()).storage(), mean.storage());
}

TEST(Pipeline, MultiClassExpectedCostRule) {
  const Dataset data = testing::mixed_dataset(300, 0.0, 9, 3);
  PipelineConfig c;
  c.threshold.rule = DecisionRule::ExpectedCost;
  c.threshold.cost = parse_cost_matrix("0,1,1;1,0,1;20,20,0", 3);
  c.random_state = 1;
  Pipeline p(c);
  p.fit(data);
  const Matrix proba = p.predict_proba(data.X());
  EXPECT_EQ(p.predict(data.X()), expected_cost_decision(proba, c.threshold.cost));
  // Costly misses of class 2 make it predicted more often than by argmax.
  PipelineConfig argmax = c;
  argmax.threshold = ThresholdConfig{};
  Pipeline q(argmax);
  q.fit(data);
  std::size_t by_cost = 0, by_argmax = 0;
  for (auto k : p.predict(data.X())) by_cost += k == 2;
  for (auto k : q.predict(data.X())) by_argmax += k == 2;
  EXPECT_GT(by_cost, by_argmax);
  expect_round_trip(q, data);
}

TEST(Pipeline, BadConfigurationsAreClearErrors) {
  const Dataset data = testing::mixed_dataset(120, 0.3, 10);
  const Dataset three = testing::mixed_dataset(120, 0.0, 10, 3);
  auto expect_error = [](PipelineConfig c, const Dataset& d, const std::string& fragment) {
    try {
      Pipeline p(std::move(c));
      p.fit(d);
      FAIL() << "accepted; expected an error mentioning " << fragment;
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  PipelineConfig c;
  c.model = "no-such-model";
  expect_error(c, data, "no-such-model");
  c = {};
  c.samplers = {SamplerStep{"smoot", {}, ""}};
  expect_error(c, data, "smoot");
  c = {};
  c.samplers = {SamplerStep{"smote", {"k_neighbours=3"}, ""}};
  expect_error(c, data, "k_neighbours");
  c = {};
  c.threshold.rule = DecisionRule::FixedThreshold;
  expect_error(c, three, "two classes");
  c.threshold.value = 1.5;
  expect_error(c, data, "[0, 1]");
  c = {};
  c.calibration = CalibrationMethod::Sigmoid;
  c.prior_correction = true;
  expect_error(c, data, "choose one");
  c = {};
  c.threshold.rule = DecisionRule::ExpectedCost;
  c.threshold.cost = parse_cost_matrix("fn=1,fp=2", 2);
  expect_error(c, three, "3 x 3");
  EXPECT_THROW(Pipeline().predict_proba(data.X()), InvalidArgument);
  Pipeline p;
  p.fit(data);
  EXPECT_THROW(p.predict_proba(Matrix(2, 3)), InvalidArgument);
  std::string text = p.save_json();
  EXPECT_THROW(Pipeline::load_json(text.substr(0, text.size() / 2)), InvalidArgument);
  EXPECT_THROW(Pipeline::load_json("{\"format\": \"imbal-model\"}"), InvalidArgument);
  text.replace(text.find("\"rule\": \"argmax\""), 16, "\"rule\": \"vote\"  ");
  EXPECT_THROW(Pipeline::load_json(text), InvalidArgument);
}

}  // namespace
}  // namespace imbal
