// A leak-free modelling pipeline: preprocessing, zero or more samplers applied during fit ONLY,
// a model, and optionally calibration, prior correction and a decision rule (threshold or
// expected cost). docs/pipeline.md describes every step and the saved format.
//
// fit order: scale numeric columns (fitted on the training rows) -> one-hot encoding -> samplers
// -> model. When a sampler stage needs the categories themselves (smote-nc, smoten), one-hot
// encoding moves after the samplers, which then see the categorical columns as level codes.
// With calibration, CalibratedClassifierCV(cv=calibration_cv, ensemble=True): the sampler+model
// part is fitted on each training fold of StratifiedKFold(calibration_cv) (no shuffle) and a
// calibrator on the held-out fold's decision scores; probabilities are the mean over the folds.
// A tuned threshold comes from out-of-fold probabilities of the same pipeline (without the
// threshold) over StratifiedKFold(threshold.cv, shuffle) of the training rows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "imbal/calibration.hpp"
#include "imbal/dataset.hpp"
#include "imbal/matrix.hpp"
#include "imbal/model.hpp"
#include "imbal/preprocessing.hpp"
#include "imbal/sampler.hpp"
#include "imbal/threshold.hpp"

namespace imbal {

/// One sampler of a pipeline: a registered method or a chain "a+b", its "name=value"
/// parameters and its sampling strategy text (empty: the method's default, "auto").
struct SamplerStep {
  std::string method;
  std::vector<std::string> params;
  std::string strategy;
};

/// How predict turns probabilities into classes.
enum class DecisionRule {
  Argmax,          // the most probable class (lowest code among ties)
  FixedThreshold,  // binary: class 1 when p1 >= threshold.value
  TunedThreshold,  // binary: as FixedThreshold, the threshold tuned by cross-validation at fit
  ExpectedCost,    // any number of classes: argmin_k sum_j p_j C[j][k] (threshold.cost)
};

struct ThresholdConfig {
  DecisionRule rule = DecisionRule::Argmax;
  double value = 0.5;  // FixedThreshold
  ThresholdObjective objective = ThresholdObjective::FBeta;  // TunedThreshold
  double beta = 1.0;
  CostMatrix cost;     // TunedThreshold with the Cost objective, ExpectedCost
  std::size_t cv = 5;  // folds of the threshold search
};

/// Makes the sampler of a step (the default uses the sampler registry). Tests substitute their
/// own, e.g. to record which rows a sampler saw.
using SamplerFactory = std::function<std::unique_ptr<Sampler>(const SamplerStep& step, SamplerOptions options)>;

struct PipelineConfig {
  Scaling scaling = Scaling::None;
  bool one_hot = true;  // one-hot encode categorical columns (before the samplers, see above)
  std::vector<SamplerStep> samplers;
  std::string model = "logistic-regression";
  std::vector<std::string> model_params;  // "name=value", e.g. "class_weight=balanced"
  /// Map probabilities back to the true training priors (include/imbal/prior_correction.hpp);
  /// the fitted priors count samplers and class weights. Not with calibration (which already
  /// maps to the training distribution).
  bool prior_correction = false;
  CalibrationMethod calibration = CalibrationMethod::None;
  std::size_t calibration_cv = 5;
  ThresholdConfig threshold;
  std::optional<std::uint64_t> random_state;  // none: a fresh seed from the OS
  int n_jobs = 0;                              // 0: all cores
  SamplerFactory sampler_factory;              // empty: the registry
};

/// True when a stage of `steps` (a method or a chain "a+b") needs categorical columns as such:
/// smote-nc or smoten.
bool samplers_need_categories(const std::vector<SamplerStep>& steps);

/// What a fit did, for reports.
struct PipelineFitInfo {
  std::vector<double> class_mass_before;  // per class: rows (or weight) before the samplers
  std::vector<double> class_mass_after;   // per class: weight the model fitted on (samplers and class weights)
  std::vector<std::size_t> rows_after;    // per class: rows after the samplers (first member)
  std::vector<std::string> warnings;      // samplers' and models' warnings
  std::uint64_t seed = 0;
};

inline constexpr std::string_view kPipelineFormat = "imbal-pipeline";
inline constexpr int kPipelineFormatVersion = 2;

class Pipeline {
 public:
  explicit Pipeline(PipelineConfig config = {});
  Pipeline(Pipeline&&) noexcept;
  Pipeline& operator=(Pipeline&&) noexcept;
  ~Pipeline();

  /// Validates the configuration (model and sampler names, parameters, thresholds, costs for
  /// `n_classes` classes) without fitting; throws InvalidArgument naming the option.
  void validate(std::size_t n_classes, const ClassLabels* labels = nullptr) const;

  /// Fits on (X, y): y holds class codes in [0, n_classes), every class has a row. `columns`
  /// (one per feature column, may be empty: all numeric) drive scaling and one-hot encoding.
  void fit(MatrixView X, std::span<const std::int32_t> y, std::size_t n_classes,
           const std::vector<Column>& columns = {}, const ClassLabels* labels = nullptr,
           std::span<const double> sample_weight = {});
  void fit(const Dataset& data, std::span<const double> sample_weight = {});

  bool is_fitted() const { return fitted_; }
  const PipelineConfig& config() const { return config_; }
  std::size_t n_classes() const { return classes_.size(); }
  const ClassLabels& classes() const { return classes_; }
  const Preprocessor& preprocessor() const { return preprocessor_; }
  const PipelineFitInfo& fit_info() const { return info_; }
  /// The decision threshold in use (binary threshold rules), else none.
  std::optional<double> threshold() const;
  /// The tuned threshold's objective on the out-of-fold probabilities (TunedThreshold).
  double threshold_objective() const { return threshold_objective_; }
  /// The (first) fitted model.
  const Model& model() const;
  std::size_t n_members() const;

  /// Class probabilities n x n_classes: model (or calibrated ensemble mean), prior-corrected
  /// when asked.
  Matrix predict_proba(MatrixView X) const;
  /// The model's decision scores (uncalibrated pipelines; with calibration: the probabilities).
  Matrix decision_function(MatrixView X) const;
  /// Classes by the decision rule.
  std::vector<std::int32_t> predict(MatrixView X) const;
  /// The decision rule applied to probabilities already computed.
  std::vector<std::int32_t> decide(MatrixView proba) const;

  /// Versioned JSON (format "imbal-pipeline", version 2): classes, preprocessing, fitted models,
  /// calibrators, priors and the decision rule; the samplers are recorded as configuration only.
  /// `extra` (a JSON object text, may be empty) adds keys at the top level (the CLI's target).
  std::string save_json(std::string_view extra = {}) const;
  /// Restores a pipeline saved by save_json; a malformed, truncated or mismatched text throws
  /// InvalidArgument naming `source` and what is wrong.
  static Pipeline load_json(std::string_view text, std::string_view source = "pipeline", int n_jobs = 0);
  /// A pipeline around an already fitted model and its raw columns (no preprocessing, argmax):
  /// how version-1 model files (model only) are read.
  static Pipeline from_model(std::unique_ptr<Model> model, std::vector<Column> columns);

 private:
  struct Member;
  Member fit_member(MatrixView Xs, std::span<const std::int32_t> y, std::span<const double> w,
                    std::uint64_t seed, int n_jobs, std::vector<std::string>& warnings,
                    PipelineFitInfo* info) const;
  Matrix member_proba(const Member& m, MatrixView Xe) const;

  PipelineConfig config_;
  bool fitted_ = false;
  ClassLabels classes_;
  Preprocessor preprocessor_;
  std::vector<Member> members_;
  std::vector<double> true_priors_;
  std::vector<double> fitted_priors_;
  double threshold_value_ = 0.5;
  double threshold_objective_ = 0.0;
  PipelineFitInfo info_;
};

}  // namespace imbal
