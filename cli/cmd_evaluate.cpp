// imbal evaluate DATA --model L [--sampler M] [--class-weight balanced] [--cv K] [--threshold ...]
// [--calibrate ...] [--prior-correction] [--metrics a,b] [--json]: leak-free stratified
// cross-validation of a pipeline (samplers run inside the training folds only); prints every
// metric's mean ± std over the folds, the fit time and the tuned threshold (docs/evaluation.md).
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>

#include "common.hpp"
#include "evaluate_report.hpp"
#include "imbal/cross_validation.hpp"
#include "imbal/error.hpp"
#include "imbal/metrics.hpp"
#include "imbal/model_registry.hpp"
#include "imbal/model_selection.hpp"
#include "imbal/random.hpp"
#include "pipeline_options.hpp"

namespace imbal::cli {

EvaluationReportWriter& evaluation_report_writer() {
  static EvaluationReportWriter writer;
  return writer;
}

namespace {

struct EvaluateOptions {
  DataOptions data;
  PipelineOptions pipeline;
  std::size_t cv = 5;
  std::size_t repeats = 1;
  bool no_shuffle = false;
  std::string metrics;
  bool json = false;
  std::string report;
};

std::vector<MetricSpec> metric_specs(const std::string& text, std::size_t n_classes) {
  std::vector<std::string> names;
  if (text.empty()) {
    if (n_classes == 2) {
      names = {"average-precision", "roc-auc", "f1", "recall", "precision", "balanced-accuracy", "geometric-mean",
               "mcc", "brier"};
    } else {
      names = {"balanced-accuracy", "f1:average=macro", "geometric-mean", "mcc", "roc-auc", "log-loss"};
    }
  } else {
    std::size_t start = 0;
    while (true) {
      const std::size_t pos = text.find(',', start);
      std::string part = text.substr(start, pos == std::string::npos ? std::string::npos : pos - start);
      while (!part.empty() && part.front() == ' ') part.erase(part.begin());
      while (!part.empty() && part.back() == ' ') part.pop_back();
      if (part.empty()) throw UsageError("--metrics: an empty metric name in '" + text + "'");
      names.push_back(part);
      if (pos == std::string::npos) break;
      start = pos + 1;
    }
  }
  std::vector<MetricSpec> specs;
  for (const auto& n : names) {
    try {
      specs.push_back(MetricSpec::parse(n));
    } catch (const InvalidArgument& e) {
      throw UsageError(std::string("--metrics: ") + e.what());
    }
  }
  return specs;
}

double mean_of(const std::vector<double>& v) {
  double s = 0.0;
  for (double x : v) s += x;
  return v.empty() ? 0.0 : s / static_cast<double>(v.size());
}
double std_of(const std::vector<double>& v) {
  const double m = mean_of(v);
  double s = 0.0;
  for (double x : v) s += (x - m) * (x - m);
  return v.empty() ? 0.0 : std::sqrt(s / static_cast<double>(v.size()));
}

void run_evaluate(const EvaluateOptions& opt) {
  const bool quiet = global_options().quiet;
  if (opt.cv < 2) throw UsageError("--cv: needs at least 2 folds, got " + std::to_string(opt.cv));
  if (opt.repeats < 1) throw UsageError("--repeats: needs at least 1");
  if (!opt.report.empty() && !evaluation_report_writer()) {
    throw UsageError("--report: the HTML report is not part of this imbal build yet (it comes with `imbal compare`)");
  }
  try {
    find_model(opt.pipeline.model);
  } catch (const InvalidArgument& e) {
    throw UsageError(e.what());
  }
  const Dataset data = load_data(opt.data, quiet);
  PipelineOptions popt = opt.pipeline;
  if (!popt.seed) popt.seed = random_seed();
  const std::uint64_t seed = *popt.seed;
  const PipelineConfig config = pipeline_config(popt, data);
  const auto specs = metric_specs(opt.metrics, data.n_classes());

  // Leak-free: the splits are made once; every fold fits the whole pipeline on its training rows.
  std::vector<std::string> split_warnings;
  std::vector<model_selection::Split> splits;
  if (opt.no_shuffle && opt.repeats > 1) throw UsageError("--no-shuffle: repeated folds are always shuffled");
  if (opt.repeats == 1) {
    const auto fold_seed = opt.no_shuffle ? std::nullopt : std::optional<std::uint64_t>(Rng(seed, 7).next());
    splits = model_selection::StratifiedKFold(opt.cv, !opt.no_shuffle, fold_seed).split(data.y(), &split_warnings);
  } else {
    splits = model_selection::RepeatedStratifiedKFold(opt.cv, opt.repeats, Rng(seed, 7).next())
                 .split(data.y(), &split_warnings);
  }
  CrossValidateOptions cvo;
  cvo.metrics = specs;
  cvo.random_state = Rng(seed, 8).next();
  cvo.n_jobs = global_options().jobs;
  const auto start = std::chrono::steady_clock::now();
  CrossValidateResult cv;
  try {
    cv = cross_validate(config, data, splits, cvo);
  } catch (const InvalidArgument& e) {
    throw DataError(opt.data.path, 0, 0, e.what());
  }
  // The threshold a pipeline fitted on all rows would use (what `imbal train` would save).
  std::optional<Pipeline> final_pipeline;
  if (config.threshold.rule == DecisionRule::TunedThreshold) {
    PipelineConfig c = config;
    c.random_state = Rng(seed, 9).next();
    final_pipeline.emplace(std::move(c));
    try {
      final_pipeline->fit(data);
    } catch (const InvalidArgument& e) {
      throw DataError(opt.data.path, 0, 0, e.what());
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::vector<std::string> warnings = split_warnings;
  for (const auto& f : cv.folds) {
    for (const auto& w : f.warnings) {
      if (std::find(warnings.begin(), warnings.end(), w) == warnings.end()) warnings.push_back(w);
    }
  }
  std::vector<double> fit_times, thresholds;
  for (const auto& f : cv.folds) {
    fit_times.push_back(f.fit_seconds);
    if (f.threshold) thresholds.push_back(*f.threshold);
  }

  if (!opt.report.empty()) {
    EvaluationRecord record{&data, opt.data.path, &config, &cv, final_pipeline ? &*final_pipeline : nullptr,
                            splits.size()};
    evaluation_report_writer()(opt.report, record);
  }

  const std::string cv_text = std::to_string(opt.cv) + "-fold stratified CV" +
                              (opt.repeats > 1 ? " x " + std::to_string(opt.repeats) + " repeats" : std::string());
  if (opt.json) {
    nlohmann::json j;
    j["data"] = opt.data.path;
    j["rows"] = data.rows();
    j["features"] = data.cols();
    j["classes"] = data.classes().names;
    j["class_counts"] = data.class_counts();
    j["model"] = config.model;
    j["model_params"] = config.model_params;
    j["sampler"] = opt.pipeline.sampler.empty() ? nlohmann::json(nullptr) : nlohmann::json(opt.pipeline.sampler);
    j["sampler_params"] = opt.pipeline.sampler_params;
    j["strategy"] = opt.pipeline.strategy.empty() ? nlohmann::json(nullptr) : nlohmann::json(opt.pipeline.strategy);
    j["scaling"] = std::string(to_string(config.scaling));
    j["one_hot"] = config.one_hot;
    j["calibration"] = std::string(to_string(config.calibration));
    j["prior_correction"] = config.prior_correction;
    j["decision"] = describe_decision(config);
    j["cv"] = {{"n_splits", opt.cv}, {"n_repeats", opt.repeats}, {"shuffle", !opt.no_shuffle},
               {"folds", splits.size()}};
    j["seed"] = seed;
    auto& m = j["metrics"] = nlohmann::json::object();
    for (std::size_t k = 0; k < specs.size(); ++k) {
      std::vector<double> folds;
      for (const auto& f : cv.folds) folds.push_back(f.scores[k]);
      m[specs[k].label()] = {{"mean", cv.mean[k]}, {"std", cv.std[k]}, {"folds", folds}};
    }
    j["fit_seconds"] = {{"mean", mean_of(fit_times)}, {"std", std_of(fit_times)}, {"folds", fit_times}};
    nlohmann::json t = nullptr;
    if (config.threshold.rule == DecisionRule::FixedThreshold) {
      t = {{"rule", "fixed"}, {"value", config.threshold.value}};
    } else if (config.threshold.rule == DecisionRule::TunedThreshold) {
      t = {{"rule", "tuned"},
           {"objective", std::string(to_string(config.threshold.objective))},
           {"folds", thresholds},
           {"mean", mean_of(thresholds)},
           {"std", std_of(thresholds)},
           {"final", *final_pipeline->threshold()},
           {"final_objective", final_pipeline->threshold_objective()}};
    } else if (config.threshold.rule == DecisionRule::ExpectedCost) {
      t = {{"rule", "expected-cost"}, {"cost", format_cost_matrix(config.threshold.cost)}};
    }
    j["threshold"] = t;
    j["warnings"] = warnings;
    j["seconds"] = seconds;
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  if (!quiet) {
    for (const auto& w : warnings) std::fprintf(stderr, "imbal: warning: %s\n", w.c_str());
  }
  std::printf("%s: %zu rows, %zu features, %zu classes; %s, seed %llu\n", opt.data.path.c_str(), data.rows(),
              data.cols(), data.n_classes(), cv_text.c_str(), static_cast<unsigned long long>(seed));
  std::printf("pipeline: ");
  if (config.scaling != Scaling::None) std::printf("%s scaling -> ", std::string(to_string(config.scaling)).c_str());
  if (!opt.pipeline.sampler.empty()) {
    std::printf("%s (strategy %s, training folds only) -> ", opt.pipeline.sampler.c_str(),
                opt.pipeline.strategy.empty() ? "auto" : opt.pipeline.strategy.c_str());
  }
  std::printf("%s", config.model.c_str());
  for (const auto& p : config.model_params) std::printf(" %s", p.c_str());
  if (config.calibration != CalibrationMethod::None) {
    std::printf(" -> %s calibration (%zu-fold)", std::string(to_string(config.calibration)).c_str(),
                config.calibration_cv);
  }
  if (config.prior_correction) std::printf(" -> prior correction");
  std::printf("\ndecision: %s\n\n", describe_decision(config).c_str());
  std::size_t width = 14;
  for (const auto& s : specs) width = std::max(width, s.label().size() + 2);
  std::printf("%-*s %8s   %s\n", static_cast<int>(width), "metric", "mean", "std");
  for (std::size_t k = 0; k < specs.size(); ++k) {
    std::printf("%-*s %8.4f ± %.4f\n", static_cast<int>(width), specs[k].label().c_str(), cv.mean[k], cv.std[k]);
  }
  std::printf("%-*s %8.4f ± %.4f\n", static_cast<int>(width), "fit time (s)", mean_of(fit_times),
              std_of(fit_times));
  if (config.threshold.rule == DecisionRule::TunedThreshold) {
    std::printf("\ntuned threshold: %.4f ± %.4f over the folds; %.6g when fitted on all rows (%s %.4f out of fold)\n",
                mean_of(thresholds), std_of(thresholds), *final_pipeline->threshold(),
                std::string(to_string(config.threshold.objective)).c_str(), final_pipeline->threshold_objective());
  }
}

}  // namespace

void register_evaluate(CLI::App& app) {
  auto opt = std::make_shared<EvaluateOptions>();
  auto* cmd = app.add_subcommand(
      "evaluate", "Leak-free stratified cross-validation of a pipeline: metrics table (mean ± std over folds)");
  add_data_options(*cmd, opt->data);
  add_pipeline_options(*cmd, opt->pipeline);
  cmd->add_option("--cv", opt->cv, "Number of stratified folds")->capture_default_str();
  cmd->add_flag("--no-shuffle", opt->no_shuffle,
                "Folds in row order, identical to scikit-learn's StratifiedKFold(shuffle=False)");
  cmd->add_option("--repeats", opt->repeats, "Repetitions of the K folds with other shuffles")->capture_default_str();
  cmd->add_option("--metrics", opt->metrics,
                  "Comma-separated metric ids (imbal list), parameters after ':' e.g. fbeta:beta=2 (default: "
                  "average-precision, roc-auc, f1, recall, precision, balanced-accuracy, geometric-mean, mcc, brier "
                  "for two classes)");
  cmd->add_flag("--json", opt->json, "Print the results as JSON");
  cmd->add_option("--report", opt->report, "Write the HTML report of this evaluation (docs/compare.md)");
  cmd->callback([opt] { run_evaluate(*opt); });
}

}  // namespace imbal::cli
