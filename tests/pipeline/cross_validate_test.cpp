// cross_validate: a sampler inside it never sees a test-fold row (instrumented sampler, with a
// negative control showing the check catches a leak), fold scores equal the metrics of a pipeline
// fitted by hand on the fold, and results are identical at 1 and 2 threads.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <set>

#include "imbal/cross_validation.hpp"
#include "imbal/error.hpp"
#include "imbal/metrics.hpp"
#include "imbal/model_selection.hpp"
#include "pipeline/pipeline_fixtures.hpp"

namespace imbal {
namespace {

/// Records the row ids (feature 0) of every input it is given; keeps every row.
struct RecordingLog {
  std::mutex mutex;
  std::vector<std::set<std::size_t>> calls;
};

const MethodSchema& recorder_schema() {
  static const MethodSchema s = [] {
    MethodSchema m;
    m.name = "recorder";
    m.python_class = "Recorder";
    m.python_module = "tests";
    m.family = "over-sampling";
    return m;
  }();
  return s;
}

class Recorder final : public Sampler {
 public:
  Recorder(RecordingLog& log, SamplerOptions options)
      : Sampler(recorder_schema(), Params(recorder_schema()), std::move(options)), log_(log) {}
  SamplingType sampling_type() const override { return SamplingType::OverSampling; }

 protected:
  SamplerOutput resample(const SamplerInput& in, const ResamplePlan&) override {
    std::set<std::size_t> ids;
    for (std::size_t i = 0; i < in.X.rows; ++i) ids.insert(static_cast<std::size_t>(in.X(i, 0)));
    {
      std::lock_guard<std::mutex> lock(log_.mutex);
      log_.calls.push_back(std::move(ids));
    }
    SamplerOutput out;
    out.keep_all_rows(in.X.rows);
    return out;
  }

 private:
  RecordingLog& log_;
};

/// Data whose column 0 is the row id (a feature the model also sees; harmless here).
Dataset with_row_ids(const Dataset& data) {
  Matrix X(data.rows(), data.cols() + 1);
  for (std::size_t i = 0; i < data.rows(); ++i) {
    X(i, 0) = static_cast<double>(i);
    std::copy(data.X().row(i), data.X().row(i) + data.cols(), X.row(i) + 1);
  }
  std::vector<Column> cols = {{"row_id", ColumnKind::Numeric, {}}};
  cols.insert(cols.end(), data.columns().begin(), data.columns().end());
  return Dataset(std::move(X), std::vector<std::int32_t>(data.y().begin(), data.y().end()), std::move(cols),
                 data.classes());
}

/// Every recorded call saw only rows of one split's training part (never a test row of it).
bool calls_within_training_folds(const RecordingLog& log, const std::vector<model_selection::Split>& splits) {
  for (const auto& ids : log.calls) {
    bool inside_some_fold = false;
    for (const auto& s : splits) {
      const std::set<std::size_t> test(s.test.begin(), s.test.end());
      bool clean = true;
      for (auto id : ids) clean = clean && test.count(id) == 0;
      inside_some_fold = inside_some_fold || clean;
    }
    if (!inside_some_fold) return false;
  }
  return true;
}

TEST(CrossValidate, SamplerNeverSeesATestFoldRow) {
  const Dataset data = with_row_ids(testing::mixed_dataset(200, 0.2, 21));
  RecordingLog log;
  PipelineConfig c;
  c.samplers = {SamplerStep{"recorder", {}, ""}};
  c.sampler_factory = [&log](const SamplerStep&, SamplerOptions o) { return std::make_unique<Recorder>(log, o); };
  // Calibration folds and a tuned threshold make nested fits: they must stay inside the fold too.
  c.calibration = CalibrationMethod::Isotonic;
  c.calibration_cv = 3;
  c.threshold.rule = DecisionRule::TunedThreshold;
  c.threshold.cv = 3;
  const auto splits = model_selection::StratifiedKFold(4, true, 5).split(data.y());
  CrossValidateOptions o;
  o.metrics = {MetricSpec::parse("roc-auc")};
  o.random_state = 1;
  o.n_jobs = 2;
  cross_validate(c, data, splits, o);
  // 4 folds x (3 calibration fits + 3 threshold folds x 3 calibration fits).
  EXPECT_EQ(log.calls.size(), 4U * (3U + 9U));
  EXPECT_TRUE(calls_within_training_folds(log, splits));
  for (const auto& ids : log.calls) EXPECT_LT(ids.size(), data.rows() * 3 / 4 + 1);

  // Negative control: fitting the pipeline on all rows (the classic leak) is caught.
  RecordingLog leak;
  PipelineConfig l = c;
  l.calibration = CalibrationMethod::None;
  l.threshold = ThresholdConfig{};
  l.sampler_factory = [&leak](const SamplerStep&, SamplerOptions options) { return std::make_unique<Recorder>(leak, options); };
  Pipeline(l).fit(data);
  EXPECT_FALSE(calls_within_training_folds(leak, splits));
}

TEST(CrossValidate, FoldScoresEqualAHandFittedPipeline) {
  const Dataset data = testing::mixed_dataset(180, 0.25, 22);
  PipelineConfig c;
  c.scaling = Scaling::Standard;
  c.samplers = {SamplerStep{"random-over", {}, ""}};
  c.threshold.rule = DecisionRule::FixedThreshold;
  c.threshold.value = 0.4;
  const auto splits = model_selection::StratifiedKFold(3, true, 9).split(data.y());
  CrossValidateOptions o;
  o.metrics = {MetricSpec::parse("roc-auc"), MetricSpec::parse("fbeta:beta=2"), MetricSpec::parse("brier")};
  o.random_state = 77;
  o.n_jobs = 1;
  const auto r = cross_validate(c, data, splits, o);
  ASSERT_EQ(r.folds.size(), 3U);
  for (std::size_t f = 0; f < 3; ++f) {
    PipelineConfig cf = c;
    cf.random_state = Rng(77, f).next();
    Pipeline p(cf);
    std::vector<std::int32_t> ytr, yte;
    for (auto i : splits[f].train) ytr.push_back(data.y()[i]);
    for (auto i : splits[f].test) yte.push_back(data.y()[i]);
    p.fit(gather_rows(data.X(), splits[f].train), ytr, 2, data.columns(), &data.classes());
    const Matrix proba = p.predict_proba(gather_rows(data.X(), splits[f].test));
    std::vector<double> p1;
    for (std::size_t i = 0; i < proba.rows(); ++i) p1.push_back(proba(i, 1));
    const auto pred = apply_threshold(p1, 0.4);
    EXPECT_EQ(r.folds[f].scores[0], metrics::roc_auc_score(yte, p1, 1));
    EXPECT_EQ(r.folds[f].scores[1], metrics::fbeta_score(yte, pred, 2.0));
    EXPECT_EQ(r.folds[f].scores[2], metrics::brier_score_loss(yte, p1, 1));
    EXPECT_EQ(r.folds[f].threshold, 0.4);
    for (std::size_t i = 0; i < splits[f].test.size(); ++i) {
      EXPECT_EQ(r.oof_proba(splits[f].test[i], 1), p1[i]);
      EXPECT_EQ(r.oof_fold[splits[f].test[i]], static_cast<std::int32_t>(f));
    }
  }
  double mean = (r.folds[0].scores[0] + r.folds[1].scores[0] + r.folds[2].scores[0]) / 3;
  EXPECT_DOUBLE_EQ(r.mean[0], mean);
  EXPECT_GE(r.std[0], 0.0);
}

TEST(CrossValidate, SameSeedSameResultsAtOneAndTwoThreads) {
  const Dataset data = testing::mixed_dataset(200, 0.2, 23);
  PipelineConfig c;
  c.samplers = {SamplerStep{"smote-nc", {}, ""}};  // mixed data
  c.threshold.rule = DecisionRule::TunedThreshold;
  c.threshold.cv = 3;
  const auto splits = model_selection::StratifiedKFold(4, true, 3).split(data.y());
  CrossValidateOptions o;
  o.metrics = {MetricSpec::parse("average-precision"), MetricSpec::parse("f1")};
  o.random_state = 5;
  o.n_jobs = 1;
  const auto a = cross_validate(c, data, splits, o);
  o.n_jobs = 2;
  const auto b = cross_validate(c, data, splits, o);
  for (std::size_t f = 0; f < a.folds.size(); ++f) {
    EXPECT_EQ(a.folds[f].scores, b.folds[f].scores);
    EXPECT_EQ(a.folds[f].threshold, b.folds[f].threshold);
  }
  EXPECT_EQ(a.oof_proba.storage(), b.oof_proba.storage());
}

TEST(CrossValidate, BadMetricsAndSplitsAreErrors) {
  const Dataset data = testing::mixed_dataset(60, 0.3, 24);
  EXPECT_THROW(MetricSpec::parse("acuracy"), InvalidArgument);
  EXPECT_THROW(MetricSpec::parse("fbeta:gamma=2"), InvalidArgument);
  CrossValidateOptions o;
  o.metrics = {MetricSpec::parse("accuracy")};
  EXPECT_THROW(cross_validate(PipelineConfig{}, data, {}, o), InvalidArgument);
  std::vector<model_selection::Split> bad = {{{0, 1, 2}, {999}}};
  EXPECT_THROW(cross_validate(PipelineConfig{}, data, bad, o), InvalidArgument);
}

}  // namespace
}  // namespace imbal
