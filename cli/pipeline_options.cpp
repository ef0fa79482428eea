// Pipeline options of `imbal train` and `imbal evaluate`.
#include "pipeline_options.hpp"

#include <charconv>
#include <cmath>

#include "common.hpp"
#include "imbal/error.hpp"
#include "imbal/model_registry.hpp"
#include "imbal/registry.hpp"

namespace imbal::cli {

void add_pipeline_options(CLI::App& cmd, PipelineOptions& opt) {
  cmd.add_option("-m,--model", opt.model, "Model id (imbal list), e.g. logistic-regression")->required();
  cmd.add_option("-p,--param", opt.params, "Model parameter name=value (repeatable)");
  cmd.add_option("--class-weight", opt.class_weight,
                 "Class weights: none, balanced or per-class 'class:weight,...' (the class_weight parameter)");
  cmd.add_option("--sampler", opt.sampler,
                 "Sampler applied when fitting only (imbal list), or a chain 'a+b'; never applied to predictions");
  cmd.add_option("--sampler-param", opt.sampler_params, "Sampler parameter name=value (repeatable)");
  cmd.add_option("-s,--strategy", opt.strategy, "Sampling strategy of --sampler (default: auto)");
  cmd.add_option("--scale", opt.scale, "Scaling of numeric columns before the sampler: none, standard, minmax")
      ->capture_default_str();
  cmd.add_flag("--no-one-hot", opt.no_one_hot,
               "Give the model categorical columns as level codes instead of one-hot columns");
  cmd.add_option("--calibrate", opt.calibrate,
                 "Calibrate probabilities by cross-validation: none, sigmoid (Platt) or isotonic")
      ->capture_default_str();
  cmd.add_option("--calibration-cv", opt.calibration_cv, "Folds of the calibration (CalibratedClassifierCV's cv)")
      ->capture_default_str();
  cmd.add_flag("--prior-correction", opt.prior_correction,
               "Map probabilities back to the true class priors after resampling / class weights "
               "(Saerens et al. 2002); off by default");
  cmd.add_option("--threshold", opt.threshold,
                 "Decision rule (binary): a probability like 0.3 for the positive class, or tune it by "
                 "cross-validation for f1, fbeta (--beta), balanced-accuracy or cost (--cost); expected-cost "
                 "applies the cost matrix directly. Default: the most probable class");
  cmd.add_option("--beta", opt.beta, "Beta of --threshold fbeta")->capture_default_str();
  cmd.add_option("--cost", opt.cost,
                 "Misclassification costs: binary 'fn=10,fp=1' (tunes the threshold for least cost), or a full "
                 "matrix 'c00,c01,...;c10,...' (rows: true class, columns: predicted class) for the expected-cost "
                 "rule");
  cmd.add_option("--threshold-cv", opt.threshold_cv, "Folds of the threshold search")->capture_default_str();
  cmd.add_option("--seed", opt.seed, "Random seed (default: a fresh one, printed)");
}

PipelineConfig pipeline_config(const PipelineOptions& opt, const Dataset& data) {
  PipelineConfig c;
  const std::size_t K = data.n_classes();
  try {
    c.model = opt.model;
    c.model_params = opt.params;
    const auto& model = find_model(opt.model);
    if (!opt.class_weight.empty()) {
      if (model.schema().find("class_weight") == nullptr) {
        throw InvalidArgument("--class-weight: model '" + opt.model + "' takes no class weights");
      }
      c.model_params.push_back("class_weight=" + opt.class_weight);
    }
    if (!opt.sampler.empty()) {
      c.samplers.push_back(SamplerStep{opt.sampler, opt.sampler_params, opt.strategy});
    } else if (!opt.sampler_params.empty() || !opt.strategy.empty()) {
      throw InvalidArgument("--sampler-param / --strategy need --sampler");
    }
    c.scaling = parse_scaling(opt.scale);
    c.one_hot = !opt.no_one_hot;
    c.calibration = parse_calibration(opt.calibrate);
    c.calibration_cv = opt.calibration_cv;
    c.prior_correction = opt.prior_correction;
    c.threshold.cv = opt.threshold_cv;
    c.threshold.beta = opt.beta;
    if (!opt.cost.empty()) c.threshold.cost = parse_cost_matrix(opt.cost, K, "--cost");
    const std::string& t = opt.threshold;
    if (t.empty()) {
      if (!opt.cost.empty()) c.threshold.rule = K == 2 ? DecisionRule::TunedThreshold : DecisionRule::ExpectedCost;
      c.threshold.objective = ThresholdObjective::Cost;
    } else if (t == "expected-cost") {
      if (opt.cost.empty()) throw InvalidArgument("--threshold expected-cost needs --cost");
      c.threshold.rule = DecisionRule::ExpectedCost;
    } else if (t == "f1" || t == "fbeta" || t == "balanced-accuracy" || t == "cost") {
      c.threshold.rule = DecisionRule::TunedThreshold;
      c.threshold.objective = parse_threshold_objective(t);
      if (t == "f1") c.threshold.beta = 1.0;
      if (t == "cost" && opt.cost.empty()) throw InvalidArgument("--threshold cost needs --cost (e.g. fn=10,fp=1)");
      if (t != "cost" && !opt.cost.empty()) {
        throw InvalidArgument("--cost goes with --threshold cost or expected-cost, not with --threshold " + t);
      }
    } else {
      double v = 0.0;
      const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
      if (ec != std::errc() || ptr != t.data() + t.size() || !(v >= 0.0 && v <= 1.0)) {
        throw InvalidArgument("--threshold: expected a probability in [0, 1] or one of f1, fbeta, balanced-accuracy, "
                              "cost, expected-cost; got '" + t + "'");
      }
      c.threshold.rule = DecisionRule::FixedThreshold;
      c.threshold.value = v;
    }
    c.random_state = opt.seed;
    c.n_jobs = global_options().jobs;
    Pipeline(c).validate(K, &data.classes());
  } catch (const InvalidArgument& e) {
    throw UsageError(e.what());
  }
  return c;
}

std::string describe_decision(const PipelineConfig& c) {
  const auto& t = c.threshold;
  switch (t.rule) {
    case DecisionRule::FixedThreshold: {
      std::string s = "positive class when p >= ";
      char buf[32];
      const auto r = std::to_chars(buf, buf + sizeof buf, t.value);
      return s.append(buf, r.ptr);
    }
    case DecisionRule::TunedThreshold:
      if (t.objective == ThresholdObjective::Cost) return "threshold tuned by " + std::to_string(t.cv) +
                                                          "-fold CV for least cost (" + format_cost_matrix(t.cost) + ")";
      if (t.objective == ThresholdObjective::BalancedAccuracy) {
        return "threshold tuned by " + std::to_string(t.cv) + "-fold CV for balanced accuracy";
      }
      return "threshold tuned by " + std::to_string(t.cv) + "-fold CV for F-beta (beta " +
             std::to_string(t.beta).substr(0, 4) + ")";
    case DecisionRule::ExpectedCost:
      return "expected-cost rule (" + format_cost_matrix(t.cost) + ")";
    case DecisionRule::Argmax:
      break;
  }
  return "most probable class";
}

}  // namespace imbal::cli
