// cross_validate: a Pipeline fitted on the training rows of every split and scored on its test
// rows with several registered metrics at once (include/imbal/metrics.hpp, metric registry ids).
// Samplers run inside the pipeline's fit, so they only ever see training rows. Folds run in
// parallel; every fold's seed derives from (seed, fold), so results are the same at any thread
// count. docs/evaluation.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "imbal/dataset.hpp"
#include "imbal/matrix.hpp"
#include "imbal/model_selection.hpp"
#include "imbal/pipeline.hpp"

namespace imbal {

/// A metric to compute: a registry id and its "name=value" parameters.
struct MetricSpec {
  std::string name;
  std::vector<std::string> params;
  /// "id" or "id:param=value:param=value" (e.g. "fbeta:beta=2"); validated against the registry.
  static MetricSpec parse(std::string_view text);
  std::string label() const;  // the spelling parse accepts
};

struct CrossValidateOptions {
  std::vector<MetricSpec> metrics;
  std::optional<std::uint64_t> random_state;  // none: a fresh seed
  int n_jobs = 0;                              // 0: all cores
};

struct FoldResult {
  std::vector<double> scores;  // one per metric
  double fit_seconds = 0.0;
  double score_seconds = 0.0;
  std::optional<double> threshold;  // the fold pipeline's threshold (threshold rules)
  std::size_t n_train = 0, n_test = 0;
  std::vector<std::string> warnings;
};

struct CrossValidateResult {
  std::vector<MetricSpec> metrics;
  std::vector<FoldResult> folds;
  std::vector<double> mean;  // per metric, over folds
  std::vector<double> std;   // per metric, population standard deviation (numpy's std, ddof 0)
  std::uint64_t seed = 0;
  /// Every row's probabilities and prediction from the fold where it was a test row (rows in
  /// several test folds, e.g. repeated splits: the last one), and that fold (-1: never tested).
  Matrix oof_proba;
  std::vector<std::int32_t> oof_pred;
  std::vector<std::int32_t> oof_fold;
};

/// Metric values of one set of predictions: binary problems score the probability of class 1,
/// multi-class ones the full probability matrix.
std::vector<double> score_predictions(const std::vector<MetricSpec>& metrics, std::span<const std::int32_t> y_true,
                                      std::span<const std::int32_t> y_pred, MatrixView proba, std::size_t n_classes,
                                      std::vector<std::string>* warnings = nullptr);

CrossValidateResult cross_validate(const PipelineConfig& config, MatrixView X, std::span<const std::int32_t> y,
                                   std::size_t n_classes, const std::vector<Column>& columns,
                                   const ClassLabels* labels, const std::vector<model_selection::Split>& splits,
                                   const CrossValidateOptions& options);
CrossValidateResult cross_validate(const PipelineConfig& config, const Dataset& data,
                                   const std::vector<model_selection::Split>& splits,
                                   const CrossValidateOptions& options);

}  // namespace imbal
