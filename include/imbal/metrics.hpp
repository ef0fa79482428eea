// Classification metrics with scikit-learn 1.2's and imbalanced-learn 0.10's semantics and names
// (docs/metrics.md lists every function, its definition and its Python counterpart).
//
// Conventions:
// - Labels are class codes (int32 >= 0): a Dataset's codes, or any integers. Where scikit-learn
//   takes label values (labels=, pos_label=) these functions take codes; codes sort like the
//   labels they stand for (ClassLabels), so "sorted label order" is code order.
// - "present labels" = the sorted union of the codes in y_true and y_pred (unique_labels).
// - Scores / probabilities are row-major n x K (column c = class code c), or one column of n
//   scores of the positive class for binary problems.
// - An empty sample_weight means every row weighs 1.
// - Where scikit-learn raises a warning (UndefinedMetricWarning, UserWarning) the message is
//   appended to `warnings` when given; the library never prints.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "imbal/params.hpp"

namespace imbal::metrics {

using Codes = std::span<const std::int32_t>;
using Weights = std::span<const double>;
using Warnings = std::vector<std::string>;

/// scikit-learn's `average`: None (per label), 'binary', 'micro', 'macro', 'weighted';
/// Multiclass is imbalanced-learn's default for geometric_mean_score only.
enum class Average { None, Binary, Micro, Macro, Weighted, Multiclass };
/// scikit-learn's `zero_division`: 'warn' (0 and a warning), 0, 1.
enum class ZeroDivision { Warn, Zero, One };

/// Parses "none", "binary", "micro", "macro", "weighted", "multiclass"; InvalidArgument otherwise.
Average parse_average(std::string_view text);
std::string_view to_string(Average average);
/// Parses "warn", "0", "1".
ZeroDivision parse_zero_division(std::string_view text);

/// Options of the set-wise label metrics (precision, recall, F, sensitivity, ...).
struct LabelOptions {
  Average average = Average::Binary;
  std::int32_t pos_label = 1;        // code of the positive class (average == Binary)
  std::vector<std::int32_t> labels;  // empty: the present labels
  ZeroDivision zero_division = ZeroDivision::Warn;
  Weights sample_weight;
  Warnings* warnings = nullptr;
};

/// The sorted union of the codes in y_true and y_pred.
std::vector<std::int32_t> unique_labels(Codes y_true, Codes y_pred);

// ---- confusion (src/metrics/confusion.cpp) ----------------------------------------------------

enum class Normalize { None, True, Pred, All };
Normalize parse_normalize(std::string_view text);  // "none", "true", "pred", "all"

/// L x L confusion matrix, row-major: rows are true labels, columns predicted labels, in the
/// order of `labels` (empty: present labels). Rows whose true or predicted label is not in
/// `labels` are ignored. normalize: over rows (true), columns (pred) or all; 0/0 gives 0.
struct ConfusionMatrix {
  std::vector<std::int32_t> labels;
  std::vector<double> values;  // labels.size()^2, row-major
  double at(std::size_t i, std::size_t j) const { return values[i * labels.size() + j]; }
};
ConfusionMatrix confusion_matrix(Codes y_true, Codes y_pred, std::span<const std::int32_t> labels = {},
                                 Weights sample_weight = {}, Normalize normalize = Normalize::None);

/// Per-label one-vs-rest counts (scikit-learn's multilabel_confusion_matrix for 1-D targets):
/// for each of `labels` (empty: present labels), weighted tp, fp, fn and tn.
struct LabelCounts {
  std::vector<std::int32_t> labels;
  std::vector<double> tp, fp, fn, tn;
};
LabelCounts multilabel_confusion_matrix(Codes y_true, Codes y_pred, std::span<const std::int32_t> labels = {},
                                        Weights sample_weight = {});

// ---- classification scores (src/metrics/classification_scores.cpp) ---------------------------

double accuracy_score(Codes y_true, Codes y_pred, bool normalize = true, Weights sample_weight = {});

/// precision, recall, F-beta and support. Averaged: one value each and no support; Average::None:
/// one value per label (in `labels` order) and the support (weighted true count) per label.
struct PrecisionRecallF {
  std::vector<double> precision, recall, fscore, support;
  std::vector<std::int32_t> labels;  // the labels of the per-label values (Average::None)
};
/// `warn_for` is scikit-learn's: any of "precision", "recall", "f-score".
PrecisionRecallF precision_recall_fscore_support(Codes y_true, Codes y_pred, double beta,
                                                 const LabelOptions& options,
                                                 std::span<const std::string> warn_for = {});
/// Per-label values (Average::None) or one averaged value.
std::vector<double> precision_scores(Codes y_true, Codes y_pred, const LabelOptions& options);
std::vector<double> recall_scores(Codes y_true, Codes y_pred, const LabelOptions& options);
std::vector<double> fbeta_scores(Codes y_true, Codes y_pred, double beta, const LabelOptions& options);
/// Scalar forms; InvalidArgument for Average::None (use the *_scores forms).
double precision_score(Codes y_true, Codes y_pred, const LabelOptions& options = {});
double recall_score(Codes y_true, Codes y_pred, const LabelOptions& options = {});
double f1_score(Codes y_true, Codes y_pred, const LabelOptions& options = {});
double fbeta_score(Codes y_true, Codes y_pred, double beta, const LabelOptions& options = {});

double balanced_accuracy_score(Codes y_true, Codes y_pred, Weights sample_weight = {}, bool adjusted = false,
                               Warnings* warnings = nullptr);
double matthews_corrcoef(Codes y_true, Codes y_pred, Weights sample_weight = {});
enum class KappaWeights { None, Linear, Quadratic };
KappaWeights parse_kappa_weights(std::string_view text);  // "none", "linear", "quadratic"
double cohen_kappa_score(Codes y1, Codes y2, std::span<const std::int32_t> labels = {},
                         KappaWeights weights = KappaWeights::None, Weights sample_weight = {});
/// LR+ and LR- (binary only); NaN where scikit-learn gives nan (with its warnings).
struct LikelihoodRatios {
  double positive, negative;
};
LikelihoodRatios class_likelihood_ratios(Codes y_true, Codes y_pred, std::span<const std::int32_t> labels = {},
                                         Weights sample_weight = {}, Warnings* warnings = nullptr);

// ---- imbalanced-learn's scores (src/metrics/imbalanced_scores.cpp) ---------------------------

/// imblearn's sensitivity_specificity_support. Note imblearn 0.10 computes the true negatives as
/// (number of rows) - (pred + true - tp) even with sample weights; we do the same (docs/metrics.md).
struct SensitivitySpecificity {
  std::vector<double> sensitivity, specificity, support;
  std::vector<std::int32_t> labels;
};
SensitivitySpecificity sensitivity_specificity_support(Codes y_true, Codes y_pred, const LabelOptions& options,
                                                       std::span<const std::string> warn_for = {});
std::vector<double> sensitivity_scores(Codes y_true, Codes y_pred, const LabelOptions& options);
std::vector<double> specificity_scores(Codes y_true, Codes y_pred, const LabelOptions& options);
double sensitivity_score(Codes y_true, Codes y_pred, const LabelOptions& options = {});
double specificity_score(Codes y_true, Codes y_pred, const LabelOptions& options = {});
/// imblearn's geometric_mean_score. average Multiclass (its default): the geometric mean of the
/// per-class recalls, a zero recall replaced by `correction`; other averages: sqrt(sens * spec).
std::vector<double> geometric_mean_scores(Codes y_true, Codes y_pred, const LabelOptions& options,
                                          double correction = 0.0);
double geometric_mean_score(Codes y_true, Codes y_pred, const LabelOptions& options, double correction = 0.0);
/// imblearn's make_index_balanced_accuracy(alpha, squared) applied to a score already computed
/// with `options`: (1 + alpha * (sensitivity - specificity)) * score(^2). For a geometric mean
/// with Average::Multiclass the dominance uses the macro average (as imblearn does).
std::vector<double> index_balanced_accuracy(Codes y_true, Codes y_pred, std::span<const double> score,
                                            const LabelOptions& options, double alpha = 0.1,
                                            bool squared = true);
/// IBA of the geometric mean: make_index_balanced_accuracy(alpha, squared)(geometric_mean_score).
std::vector<double> iba_geometric_mean_scores(Codes y_true, Codes y_pred, const LabelOptions& options,
                                              double alpha = 0.1, bool squared = true, double correction = 0.0);

// ---- ranking curves and areas (src/metrics/ranking.cpp) ----------------------------------------

struct RocCurve {
  std::vector<double> fpr, tpr, thresholds;
};
struct PrecisionRecallCurve {
  std::vector<double> precision, recall, thresholds;
};
/// scikit-learn's roc_curve: y_true == pos_label is the positive class; drop_intermediate drops
/// collinear points; rows with zero weight are ignored.
RocCurve roc_curve(Codes y_true, std::span<const double> y_score, std::int32_t pos_label,
                   Weights sample_weight = {}, bool drop_intermediate = true, Warnings* warnings = nullptr);
PrecisionRecallCurve precision_recall_curve(Codes y_true, std::span<const double> y_score, std::int32_t pos_label,
                                            Weights sample_weight = {}, Warnings* warnings = nullptr);
/// Trapezoidal area under a monotonic curve (scikit-learn's auc).
double auc(std::span<const double> x, std::span<const double> y);

enum class MultiClass { Raise, Ovr, Ovo };
MultiClass parse_multi_class(std::string_view text);  // "raise", "ovr", "ovo"
struct RocAucOptions {
  Average average = Average::Macro;  // Macro, Weighted, Micro (ovr only)
  MultiClass multi_class = MultiClass::Raise;
  std::optional<double> max_fpr;     // binary only, McClish-corrected partial AUC
  Weights sample_weight;             // not with ovo
};
/// ROC AUC. `n_columns` == 1: binary, y_score holds the scores of the greater code of y_true (which
/// must hold exactly two codes). `n_columns` == K >= 2: probabilities of classes 0..K-1 (rows sum
/// to 1), y_true codes in [0, K), one-vs-rest or one-vs-one (Hand & Till).
double roc_auc_score(Codes y_true, std::span<const double> y_score, std::size_t n_columns,
                     const RocAucOptions& options = {});
/// Average precision (step-wise area under the PR curve). n_columns == 1: binary with the given
/// pos_label; n_columns == K: one-vs-rest over classes 0..K-1 averaged (macro, weighted, micro).
double average_precision_score(Codes y_true, std::span<const double> y_score, std::size_t n_columns,
                               std::int32_t pos_label = 1, Average average = Average::Macro,
                               Weights sample_weight = {}, Warnings* warnings = nullptr);

// ---- probabilistic losses (src/metrics/probabilistic.cpp) --------------------------------------

/// Mean squared difference between y_prob (probability of pos_label) and y_true == pos_label.
double brier_score_loss(Codes y_true, std::span<const double> y_prob, std::int32_t pos_label,
                        Weights sample_weight = {});
/// Cross-entropy. n_columns == 1: y_prob is the probability of class 1 of two classes {0, 1};
/// n_columns == K: probabilities of classes 0..K-1 (K >= 2). Probabilities are clipped to
/// [eps, 1 - eps] (eps empty: machine epsilon, scikit-learn 1.2's "auto") and rows renormalised.
double log_loss(Codes y_true, std::span<const double> y_prob, std::size_t n_columns,
                std::optional<double> eps = std::nullopt, bool normalize = true, Weights sample_weight = {});

// ---- reports (src/metrics/reports.cpp) ---------------------------------------------------------

/// scikit-learn's classification_report: one row per label, then "accuracy" (or "micro avg" when
/// labels were given and differ from the present ones), "macro avg", "weighted avg".
struct ReportRow {
  std::string name;
  double precision = 0, recall = 0, f1 = 0, support = 0;
};
struct ClassificationReport {
  std::vector<ReportRow> rows;       // per label
  std::vector<ReportRow> averages;   // "accuracy"/"micro avg", "macro avg", "weighted avg"
  bool weighted_support = false;     // support printed as float (sample weights given)
  std::string text(int digits = 2) const;
};
ClassificationReport classification_report(Codes y_true, Codes y_pred, std::span<const std::int32_t> labels = {},
                                           std::span<const std::string> target_names = {},
                                           Weights sample_weight = {}, ZeroDivision zero_division = ZeroDivision::Warn,
                                           Warnings* warnings = nullptr);
/// imblearn's classification_report_imbalanced: pre, rec, spe, f1, geo, iba, sup per label and
/// their support-weighted averages ("avg / total").
struct ImbalancedReportRow {
  std::string name;
  double pre = 0, rec = 0, spe = 0, f1 = 0, geo = 0, iba = 0, sup = 0;
};
struct ImbalancedReport {
  std::vector<ImbalancedReportRow> rows;
  ImbalancedReportRow average;  // name "avg / total"
  bool weighted_support = false;
  std::string text(int digits = 2) const;
};
ImbalancedReport classification_report_imbalanced(Codes y_true, Codes y_pred,
                                                  std::span<const std::int32_t> labels = {},
                                                  std::span<const std::string> target_names = {},
                                                  Weights sample_weight = {}, double alpha = 0.1,
                                                  ZeroDivision zero_division = ZeroDivision::Warn,
                                                  Warnings* warnings = nullptr);

/// Python's repr() of a float ("12.0", "1e-05"), used where scikit-learn prints a float.
std::string python_float_repr(double value);

// ---- the metric registry (src/metrics/registry.cpp, src/metrics/registry.def) ------------------

/// What a metric needs as input.
enum class MetricInput { Labels, Scores };
/// Everything a registered metric may read. Scores: n x n_columns, row-major.
struct MetricData {
  Codes y_true;
  Codes y_pred;                       // Labels metrics
  std::span<const double> scores;     // Scores metrics
  std::size_t n_columns = 0;
  std::size_t n_classes = 0;          // codes are in [0, n_classes)
  std::int32_t pos_label = 1;
  Weights sample_weight;
  Warnings* warnings = nullptr;
};
/// A registered metric: schema (name, Python function as python_class, module as python_module,
/// family "labels"/"scores", parameters), whether larger is better, and its evaluation.
struct MetricEntry {
  const MethodSchema& (*schema)();
  MetricInput input;
  bool greater_is_better;
  double (*compute)(const MetricData& data, const Params& params);
};
std::span<const MetricEntry> registered_metrics();
/// Throws InvalidArgument listing the metric names when unknown.
const MetricEntry& find_metric(std::string_view name);
/// Evaluates metric `name` with "param=value" assignments.
double evaluate_metric(std::string_view name, const MetricData& data,
                       const std::vector<std::string>& assignments = {});

}  // namespace imbal::metrics
