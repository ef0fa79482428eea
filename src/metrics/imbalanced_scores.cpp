// imbalanced-learn 0.10's scores: sensitivity, specificity, geometric mean (Kubat & Matwin 1997;
// with imblearn's `correction`) and the index balanced accuracy (García, Mollineda & Sánchez,
// "Index of balanced accuracy: a performance measure for skewed class distributions", IbPRIA 2009).
#include <algorithm>
#include <array>
#include <cmath>

#include "metrics/metrics_internal.hpp"

namespace imbal::metrics {

SensitivitySpecificity sensitivity_specificity_support(Codes y_true, Codes y_pred, const LabelOptions& options,
                                                       std::span<const std::string> warn_for) {
  static const std::array<std::string, 2> kDefault = {"sensitivity", "specificity"};
  if (warn_for.empty()) warn_for = kDefault;
  if (options.average == Average::Multiclass)
    throw InvalidArgument("sensitivity_specificity_support: average='multiclass' is only for geometric_mean_score");
  detail::check_labels(y_true, y_pred, options.sample_weight, "sensitivity_specificity_support");
  const auto present = unique_labels(y_true, y_pred);
  std::vector<std::int32_t> labels = options.labels;
  SensitivitySpecificity out;
  if (options.average == Average::Binary) {
    if (present.size() > 2)
      throw InvalidArgument("sensitivity_specificity_support: target is multiclass but average='binary'; "
                            "choose another average setting");
    if (std::find(present.begin(), present.end(), options.pos_label) == present.end()) {
      if (present.size() < 2) {  // only negative labels
        out.sensitivity = {0.0};
        out.specificity = {0.0};
        return out;
      }
      throw InvalidArgument("sensitivity_specificity_support: pos_label=" + std::to_string(options.pos_label) +
                            " is not a valid label: " + detail::label_list(present));
    }
    labels = {options.pos_label};
  }
  const auto mcm = multilabel_confusion_matrix(y_true, y_pred, labels, options.sample_weight);
  const std::size_t l = mcm.labels.size();
  const double n = static_cast<double>(y_true.size());  // imblearn: y_true.size, even when weighted
  std::vector<double> tp = mcm.tp, pred(l), truth(l), tn(l);
  for (std::size_t i = 0; i < l; ++i) {
    pred[i] = mcm.tp[i] + mcm.fp[i];
    truth[i] = mcm.tp[i] + mcm.fn[i];
    tn[i] = n - (pred[i] + truth[i] - tp[i]);
  }
  if (options.average == Average::Micro) {
    tp = {detail::pairwise_sum(tp)};
    pred = {detail::pairwise_sum(pred)};
    truth = {detail::pairwise_sum(truth)};
    tn = {detail::pairwise_sum(tn)};
  }
  std::vector<double> spec_denominator(tn.size());
  for (std::size_t i = 0; i < tn.size(); ++i) spec_denominator[i] = tn[i] + pred[i] - tp[i];
  auto specificity = detail::prf_divide(tn, spec_denominator, "specificity", "predicted", options.average, warn_for,
                                        ZeroDivision::Warn, options.warnings);
  auto sensitivity = detail::prf_divide(tp, truth, "sensitivity", "true", options.average, warn_for,
                                        ZeroDivision::Warn, options.warnings);
  if (options.average == Average::None) {
    out.sensitivity = std::move(sensitivity);
    out.specificity = std::move(specificity);
    out.support = std::move(truth);
    out.labels = mcm.labels;
    return out;
  }
  if (options.average == Average::Weighted) {
    if (detail::pairwise_sum(truth) == 0) {
      out.sensitivity = {0.0};
      out.specificity = {0.0};
      return out;
    }
    out.sensitivity = {detail::weighted_average(sensitivity, truth)};
    out.specificity = {detail::weighted_average(specificity, truth)};
    return out;
  }
  out.sensitivity = {detail::mean(sensitivity)};
  out.specificity = {detail::mean(specificity)};
  return out;
}

namespace {
const std::string kSensitivity[] = {"sensitivity"};
const std::string kSpecificity[] = {"specificity"};
double scalar(const std::vector<double>& v, const char* function) {
  if (v.size() != 1)
    throw InvalidArgument(std::string(function) + ": average=none gives one value per label; use the *_scores form");
  return v[0];
}
}  // namespace

std::vector<double> sensitivity_scores(Codes y_true, Codes y_pred, const LabelOptions& options) {
  return sensitivity_specificity_support(y_true, y_pred, options, kSensitivity).sensitivity;
}
std::vector<double> specificity_scores(Codes y_true, Codes y_pred, const LabelOptions& options) {
  return sensitivity_specificity_support(y_true, y_pred, options, kSpecificity).specificity;
}
double sensitivity_score(Codes y_true, Codes y_pred, const LabelOptions& options) {
  return scalar(sensitivity_scores(y_true, y_pred, options), "sensitivity_score");
}
double specificity_score(Codes y_true, Codes y_pred, const LabelOptions& options) {
  return scalar(specificity_scores(y_true, y_pred, options), "specificity_score");
}

std::vector<double> geometric_mean_scores(Codes y_true, Codes y_pred, const LabelOptions& options,
                                          double correction) {
  if (options.average != Average::Multiclass) {
    const auto ss = sensitivity_specificity_support(y_true, y_pred, options, kSpecificity);
    std::vector<double> out(ss.sensitivity.size());
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = std::sqrt(ss.sensitivity[i] * ss.specificity[i]);
    return out;
  }
  detail::check_labels(y_true, y_pred, options.sample_weight, "geometric_mean_score");
  const auto mcm = multilabel_confusion_matrix(y_true, y_pred, options.labels, options.sample_weight);
  std::vector<double> truth(mcm.labels.size());
  for (std::size_t i = 0; i < truth.size(); ++i) truth[i] = mcm.tp[i] + mcm.fn[i];
  static const std::string kRecall[] = {"recall"};
  auto recall = detail::prf_divide(mcm.tp, truth, "recall", "true", Average::None, kRecall, ZeroDivision::Warn,
                                   options.warnings);
  std::vector<double> logs(recall.size());
  for (std::size_t i = 0; i < recall.size(); ++i) {
    if (recall[i] == 0) recall[i] = correction;
    logs[i] = std::log(recall[i]);
  }
  return {std::exp(detail::mean(logs))};
}

double geometric_mean_score(Codes y_true, Codes y_pred, const LabelOptions& options, double correction) {
  return scalar(geometric_mean_scores(y_true, y_pred, options, correction), "geometric_mean_score");
}

std::vector<double> index_balanced_accuracy(Codes y_true, Codes y_pred, std::span<const double> score,
                                            const LabelOptions& options, double alpha, bool squared) {
  LabelOptions ss_options = options;
  if (ss_options.average == Average::Multiclass) ss_options.average = Average::Macro;
  const auto ss = sensitivity_specificity_support(y_true, y_pred, ss_options);
  if (ss.sensitivity.size() != score.size())
    throw InvalidArgument("index_balanced_accuracy: the score has " + std::to_string(score.size()) +
                          " values but the sensitivity " + std::to_string(ss.sensitivity.size()));
  std::vector<double> out(score.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    const double s = squared ? std::pow(score[i], 2.0) : score[i];
    out[i] = (1.0 + alpha * (ss.sensitivity[i] - ss.specificity[i])) * s;
  }
  return out;
}

std::vector<double> iba_geometric_mean_scores(Codes y_true, Codes y_pred, const LabelOptions& options, double alpha,
                                              bool squared, double correction) {
  const auto g = geometric_mean_scores(y_true, y_pred, options, correction);
  return index_balanced_accuracy(y_true, y_pred, g, options, alpha, squared);
}

}  // namespace imbal::metrics
