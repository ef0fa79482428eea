// Report sections from cross-validation results (see study_report.hpp).
#include "study_report.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common.hpp"
#include "imbal/csv.hpp"
#include "imbal/error.hpp"
#include "imbal/metrics.hpp"
#include "imbal/random.hpp"
#include "imbal/registry.hpp"
#include "imbal/version.hpp"
#include "pipeline_options.hpp"

namespace imbal::cli {

namespace {

constexpr std::size_t kCalibrationBins = 10;

/// Rows that were in a test fold, their true classes and the out-of-fold probability of `positive`.
struct OutOfFold {
  std::vector<std::int32_t> y;
  std::vector<double> score;
  std::vector<std::int32_t> pred;
  std::vector<double> p1;  // probability of class code 1 (what binary thresholds compare)
};

OutOfFold out_of_fold(const Dataset& data, const CrossValidateResult& cv, std::size_t positive) {
  OutOfFold o;
  const auto y = data.y();
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (i >= cv.oof_fold.size() || cv.oof_fold[i] < 0) continue;
    o.y.push_back(y[i]);
    o.score.push_back(cv.oof_proba(i, positive));
    o.pred.push_back(cv.oof_pred[i]);
    o.p1.push_back(cv.oof_proba.cols() > 1 ? cv.oof_proba(i, 1) : cv.oof_proba(i, 0));
  }
  return o;
}

report::Curve calibration_bins(const OutOfFold& o, std::size_t positive) {
  // scikit-learn's calibration_curve(strategy="uniform"): equal-width bins on [0, 1], empty bins
  // left out, x = mean predicted probability, y = fraction of positives.
  std::vector<double> sum_p(kCalibrationBins, 0.0), hits(kCalibrationBins, 0.0), count(kCalibrationBins, 0.0);
  for (std::size_t i = 0; i < o.score.size(); ++i) {
    const double p = std::clamp(o.score[i], 0.0, 1.0);
    const auto b = std::min(kCalibrationBins - 1, static_cast<std::size_t>(p * static_cast<double>(kCalibrationBins)));
    sum_p[b] += p;
    count[b] += 1.0;
    if (static_cast<std::size_t>(o.y[i]) == positive) hits[b] += 1.0;
  }
  report::Curve c;
  for (std::size_t b = 0; b < kCalibrationBins; ++b) {
    if (count[b] == 0.0) continue;
    c.x.push_back(sum_p[b] / count[b]);
    c.y.push_back(hits[b] / count[b]);
  }
  return c;
}

}  // namespace

std::size_t report_positive_class(const Dataset& data) {
  const auto counts = data.class_counts();
  std::size_t best = 0;
  for (std::size_t k = 1; k < counts.size(); ++k) {
    if (counts[k] < counts[best]) best = k;
  }
  return best;
}

report::ReportData report_header(const Dataset& data, const std::string& data_path, const std::string& title) {
  report::ReportData d;
  d.title = title;
  d.dataset = data_path;
  d.rows = data.rows();
  d.features = data.cols();
  d.class_names = data.classes().names;
  for (const auto c : data.class_counts()) d.class_counts.push_back(static_cast<double>(c));
  d.positive_class = report_positive_class(data);
  d.footer = "Made by imbal " + std::string(kVersion) + ". Every number is measured on out-of-fold predictions.";
  return d;
}

report::MethodResult method_result(const std::string& name, const std::string& description, const Dataset& data,
                                   const CrossValidateResult& cv, std::size_t positive,
                                   std::optional<double> threshold, bool with_fit_time) {
  report::MethodResult r;
  r.name = name;
  r.description = description;
  for (std::size_t k = 0; k < cv.metrics.size(); ++k) r.scores.push_back({cv.mean[k], cv.std[k]});
  if (with_fit_time) {
    double mean = 0.0;
    for (const auto& f : cv.folds) mean += f.fit_seconds;
    mean /= static_cast<double>(std::max<std::size_t>(cv.folds.size(), 1));
    double var = 0.0;
    for (const auto& f : cv.folds) var += (f.fit_seconds - mean) * (f.fit_seconds - mean);
    r.scores.push_back({mean, std::sqrt(var / static_cast<double>(std::max<std::size_t>(cv.folds.size(), 1)))});
  }
  r.threshold = threshold;

  const OutOfFold o = out_of_fold(data, cv, positive);
  const auto pos = static_cast<std::int32_t>(positive);
  bool both = false;
  for (const auto v : o.y) both = both || v != pos;
  bool any = std::find(o.y.begin(), o.y.end(), pos) != o.y.end();
  if (both && any) {
    const auto pr = metrics::precision_recall_curve(o.y, o.score, pos);
    r.pr = {pr.recall, pr.precision};
    const auto roc = metrics::roc_curve(o.y, o.score, pos);
    r.roc = {roc.fpr, roc.tpr};
    // Metric-versus-threshold curves from the PR curve: thresholds ascend, precision[i] and
    // recall[i] belong to thresholds[i].
    report::Curve precision, recall, f1;
    for (std::size_t i = 0; i < pr.thresholds.size(); ++i) {
      const double t = pr.thresholds[i];
      if (!std::isfinite(t)) continue;
      precision.x.push_back(t);
      precision.y.push_back(pr.precision[i]);
      recall.x.push_back(t);
      recall.y.push_back(pr.recall[i]);
      const double s = pr.precision[i] + pr.recall[i];
      f1.x.push_back(t);
      f1.y.push_back(s > 0 ? 2 * pr.precision[i] * pr.recall[i] / s : 0.0);
    }
    r.threshold_curves = {{"precision", precision}, {"recall", recall}, {"F1", f1}};
    r.calibration = calibration_bins(o, positive);
  }
  // Confusion matrix: at the threshold (binary), else the folds' own decisions.
  const std::size_t K = data.n_classes();
  r.confusion.assign(K * K, 0.0);
  for (std::size_t i = 0; i < o.y.size(); ++i) {
    std::int32_t pred = o.pred[i];
    if (threshold && K == 2) pred = o.p1[i] >= *threshold ? 1 : 0;
    r.confusion[static_cast<std::size_t>(o.y[i]) * K + static_cast<std::size_t>(pred)] += 1.0;
  }
  return r;
}

std::optional<report::Projection> original_projection(const Dataset& data, std::optional<Pca>* fitted) {
  if (data.cols() < 2 || data.rows() < 3) return std::nullopt;
  try {
    fitted->emplace(Pca::fit(data.X(), {2, true}));
  } catch (const InvalidArgument&) {
    return std::nullopt;
  }
  report::Projection p;
  p.original = (*fitted)->transform(data.X());
  for (const auto c : data.y()) p.original_class.push_back(static_cast<std::size_t>(c));
  p.explained_variance_ratio[0] = (*fitted)->explained_variance_ratio()[0];
  p.explained_variance_ratio[1] = (*fitted)->explained_variance_ratio()[1];
  return p;
}

void add_resampling(report::MethodResult& method, const std::string& method_name, const PipelineConfig& config,
                    const Dataset& data, std::uint64_t seed, std::optional<report::Projection>* projection,
                    const Pca* pca) {
  if (config.samplers.empty()) return;
  // The samplers alone on all rows, in the original feature space (the pipeline runs them after
  // scaling: the counts are the same, the rows are shown where the user's data lives).
  Matrix X(data.rows(), data.cols(), std::vector<double>(data.X().data, data.X().data + data.rows() * data.cols()));
  std::vector<std::int32_t> y(data.y().begin(), data.y().end());
  std::size_t n_copied = data.rows();  // of the last stage: the rows after it are new
  try {
    for (std::size_t k = 0; k < config.samplers.size(); ++k) {
      const SamplerStep& step = config.samplers[k];
      SamplerOptions so;
      if (!step.strategy.empty()) so.sampling_strategy = SamplingStrategy::parse(step.strategy, data.classes());
      so.random_state = Rng(seed, 10 + k).next();
      so.n_jobs = config.n_jobs;
      const auto sampler = make_sampler(step.method, step.params, so);
      ResampleResult r = sampler->fit_resample(X.view(), y, data.n_classes(), data.categorical_mask(),
                                               &data.classes(), &data.columns());
      n_copied = r.n_copied;
      X = std::move(r.X);
      y = std::move(r.y);
    }
  } catch (const InvalidArgument&) {
    return;  // e.g. a numeric-only sampler on categorical columns: the pipeline encodes first
  }
  std::vector<std::size_t> counts(data.n_classes(), 0);
  for (const auto c : y) ++counts[static_cast<std::size_t>(c)];
  for (const auto c : counts) method.resampled_counts.push_back(static_cast<double>(c));
  if (projection == nullptr || !projection->has_value() || pca == nullptr) return;
  auto& p = **projection;
  // A single stage's new rows follow its copies (a chain's later stages may drop some: not shown).
  if (p.synthetic.rows() > 0 || config.samplers.size() != 1 || X.rows() <= n_copied) return;
  const MatrixView synthetic(X.row(n_copied), X.rows() - n_copied, X.cols());
  p.synthetic = pca->transform(synthetic);
  for (std::size_t i = n_copied; i < y.size(); ++i) p.synthetic_class.push_back(static_cast<std::size_t>(y[i]));
  p.method = method_name;
}

void write_report(const std::string& path, const report::ReportData& data) {
  write_file_atomically(path, report::render_html(data));
}

void install_evaluate_report() {
  evaluation_report_writer() = [](const std::string& path, const EvaluationRecord& record) {
    const Dataset& data = *record.data;
    report::ReportData d = report_header(data, record.data_path, "imbal evaluate: " + record.data_path);
    for (const auto& m : record.cv->metrics) {
      d.metric_names.push_back(m.label());
      d.lower_is_better.push_back(!metrics::find_metric(m.name).greater_is_better);
    }
    d.metric_names.push_back("fit time (s)");
    d.lower_is_better.push_back(true);
    const PipelineConfig& config = *record.config;
    std::optional<double> threshold;
    if (record.final_pipeline != nullptr) threshold = record.final_pipeline->threshold();
    if (config.threshold.rule == DecisionRule::FixedThreshold) threshold = config.threshold.value;
    std::string name = config.model;
    for (auto it = config.samplers.rbegin(); it != config.samplers.rend(); ++it) name = it->method + " + " + name;
    report::MethodResult r =
        method_result(name, describe_decision(config), data, *record.cv, d.positive_class, threshold, true);
    std::optional<Pca> pca;
    d.projection = original_projection(data, &pca);
    add_resampling(r, name, config, data, record.cv->seed, &d.projection, pca ? &*pca : nullptr);
    if (d.projection && d.projection->synthetic.rows() == 0 && config.samplers.empty()) d.projection.reset();
    d.protocol = std::to_string(record.n_splits) + " stratified folds; every fold fits the whole pipeline on its " +
                 "training rows only (samplers included) and scores its test rows; decision: " +
                 describe_decision(config) + ".";
    d.methods.push_back(std::move(r));
    write_report(path, d);
  };
}

}  // namespace imbal::cli
