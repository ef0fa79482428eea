// Label-based scores of scikit-learn 1.2: accuracy, precision / recall / F-beta (with every
// average and zero_division), balanced accuracy, Matthews correlation, Cohen's kappa and the
// class likelihood ratios.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>

#include "metrics/metrics_internal.hpp"

namespace imbal::metrics {

using detail::warn;

double accuracy_score(Codes y_true, Codes y_pred, bool normalize, Weights sample_weight) {
  detail::check_labels(y_true, y_pred, sample_weight, "accuracy_score");
  std::vector<double> score(y_true.size());
  for (std::size_t i = 0; i < y_true.size(); ++i) score[i] = y_true[i] == y_pred[i] ? 1.0 : 0.0;
  if (normalize) {
    if (y_true.empty()) throw InvalidArgument("accuracy_score: empty input");
    if (sample_weight.empty()) return detail::mean(score);
    return detail::weighted_average(score, std::vector<double>(sample_weight.begin(), sample_weight.end()));
  }
  if (sample_weight.empty()) return detail::pairwise_sum(score);
  double dot = 0.0;
  for (std::size_t i = 0; i < score.size(); ++i) dot += score[i] * sample_weight[i];
  return dot;
}

PrecisionRecallF precision_recall_fscore_support(Codes y_true, Codes y_pred, double beta,
                                                 const LabelOptions& options,
                                                 std::span<const std::string> warn_for) {
  static const std::array<std::string, 3> kAll = {"precision", "recall", "f-score"};
  if (warn_for.empty()) warn_for = kAll;
  if (!(beta >= 0)) throw InvalidArgument("beta should be >= 0 in the F-beta score");
  if (options.average == Average::Multiclass)
    throw InvalidArgument("average='multiclass' is only for geometric_mean_score");
  detail::check_labels(y_true, y_pred, options.sample_weight, "precision_recall_fscore_support");
  const auto labels = detail::set_wise_labels(y_true, y_pred, options, "precision_recall_fscore_support");
  const auto mcm = multilabel_confusion_matrix(y_true, y_pred, labels, options.sample_weight);
  const std::size_t l = mcm.labels.size();
  std::vector<double> tp_sum = mcm.tp, pred_sum(l), true_sum(l);
  for (std::size_t i = 0; i < l; ++i) {
    pred_sum[i] = tp_sum[i] + mcm.fp[i];
    true_sum[i] = tp_sum[i] + mcm.fn[i];
  }
  if (options.average == Average::Micro) {
    tp_sum = {detail::pairwise_sum(tp_sum)};
    pred_sum = {detail::pairwise_sum(pred_sum)};
    true_sum = {detail::pairwise_sum(true_sum)};
  }
  const double beta2 = beta * beta;
  auto precision = detail::prf_divide(tp_sum, pred_sum, "precision", "predicted", options.average, warn_for,
                                      options.zero_division, options.warnings);
  auto recall = detail::prf_divide(tp_sum, true_sum, "recall", "true", options.average, warn_for,
                                   options.zero_division, options.warnings);
  if (options.zero_division == ZeroDivision::Warn && warn_for.size() == 1 && warn_for[0] == "f-score") {
    bool ill = false;
    for (std::size_t i = 0; i < true_sum.size(); ++i) ill = ill || (true_sum[i] == 0 && pred_sum[i] == 0);
    if (ill) detail::warn_prf(options.average, "true nor predicted", "F-score is", true_sum.size(), options.warnings);
  }
  std::vector<double> f(precision.size());
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (std::isinf(beta)) {
      f[i] = recall[i];
    } else {
      double denom = beta2 * precision[i] + recall[i];
      if (denom == 0.0) denom = 1;
      f[i] = (1 + beta2) * precision[i] * recall[i] / denom;
    }
  }
  PrecisionRecallF out;
  if (options.average == Average::None) {
    out.precision = std::move(precision);
    out.recall = std::move(recall);
    out.fscore = std::move(f);
    out.support = std::move(true_sum);
    out.labels = mcm.labels;
    return out;
  }
  if (options.average == Average::Weighted) {
    double total = detail::pairwise_sum(true_sum);
    if (total == 0) {
      const double z = options.zero_division == ZeroDivision::One ? 1.0 : 0.0;
      if (detail::pairwise_sum(pred_sum) == 0) {
        out.precision = out.recall = out.fscore = {z};
      } else {
        out.precision = {0.0};
        out.recall = {z};
        out.fscore = {0.0};
      }
      return out;
    }
    out.precision = {detail::weighted_average(precision, true_sum)};
    out.recall = {detail::weighted_average(recall, true_sum)};
    out.fscore = {detail::weighted_average(f, true_sum)};
    return out;
  }
  out.precision = {detail::mean(precision)};
  out.recall = {detail::mean(recall)};
  out.fscore = {detail::mean(f)};
  return out;
}

namespace {
double scalar(const std::vector<double>& v, const char* function) {
  if (v.size() != 1)
    throw InvalidArgument(std::string(function) + ": average=none gives one value per label; use the *_scores form");
  return v[0];
}
const std::string kPrecision[] = {"precision"};
const std::string kRecall[] = {"recall"};
const std::string kF[] = {"f-score"};
}  // namespace

std::vector<double> precision_scores(Codes y_true, Codes y_pred, const LabelOptions& options) {
  return precision_recall_fscore_support(y_true, y_pred, 1.0, options, kPrecision).precision;
}
std::vector<double> recall_scores(Codes y_true, Codes y_pred, const LabelOptions& options) {
  return precision_recall_fscore_support(y_true, y_pred, 1.0, options, kRecall).recall;
}
std::vector<double> fbeta_scores(Codes y_true, Codes y_pred, double beta, const LabelOptions& options) {
  return precision_recall_fscore_support(y_true, y_pred, beta, options, kF).fscore;
}
double precision_score(Codes y_true, Codes y_pred, const LabelOptions& options) {
  return scalar(precision_scores(y_true, y_pred, options), "precision_score");
}
double recall_score(Codes y_true, Codes y_pred, const LabelOptions& options) {
  return scalar(recall_scores(y_true, y_pred, options), "recall_score");
}
double f1_score(Codes y_true, Codes y_pred, const LabelOptions& options) {
  return scalar(fbeta_scores(y_true, y_pred, 1.0, options), "f1_score");
}
double fbeta_score(Codes y_true, Codes y_pred, double beta, const LabelOptions& options) {
  return scalar(fbeta_scores(y_true, y_pred, beta, options), "fbeta_score");
}

double balanced_accuracy_score(Codes y_true, Codes y_pred, Weights sample_weight, bool adjusted,
                               Warnings* warnings) {
  const auto cm = confusion_matrix(y_true, y_pred, {}, sample_weight);
  const std::size_t l = cm.labels.size();
  std::vector<double> per_class;
  bool dropped = false;
  for (std::size_t i = 0; i < l; ++i) {
    double row = 0.0;
    for (std::size_t j = 0; j < l; ++j) row += cm.at(i, j);
    const double v = cm.at(i, i) / row;
    if (std::isnan(v)) {
      dropped = true;
      continue;
    }
    per_class.push_back(v);
  }
  if (dropped) warn(warnings, "y_pred contains classes not in y_true");
  if (per_class.empty()) return std::numeric_limits<double>::quiet_NaN();
  double score = detail::mean(per_class);
  if (adjusted) {
    const double chance = 1.0 / static_cast<double>(per_class.size());
    score -= chance;
    score /= 1 - chance;
  }
  return score;
}

double matthews_corrcoef(Codes y_true, Codes y_pred, Weights sample_weight) {
  const auto cm = confusion_matrix(y_true, y_pred, {}, sample_weight);
  const std::size_t l = cm.labels.size();
  std::vector<double> t_sum(l, 0.0), p_sum(l, 0.0);
  double n_correct = 0.0;
  for (std::size_t i = 0; i < l; ++i) {
    for (std::size_t j = 0; j < l; ++j) {
      t_sum[i] += cm.at(i, j);
      p_sum[j] += cm.at(i, j);
    }
    n_correct += cm.at(i, i);
  }
  const double n = detail::pairwise_sum(p_sum);
  double tp = 0.0, pp = 0.0, tt = 0.0;
  for (std::size_t i = 0; i < l; ++i) {
    tp += t_sum[i] * p_sum[i];
    pp += p_sum[i] * p_sum[i];
    tt += t_sum[i] * t_sum[i];
  }
  const double cov_ytyp = n_correct * n - tp;
  const double cov_ypyp = n * n - pp;
  const double cov_ytyt = n * n - tt;
  if (cov_ypyp * cov_ytyt == 0) return 0.0;
  return cov_ytyp / std::sqrt(cov_ytyt * cov_ypyp);
}

double cohen_kappa_score(Codes y1, Codes y2, std::span<const std::int32_t> labels, KappaWeights weights,
                         Weights sample_weight) {
  const auto cm = confusion_matrix(y1, y2, labels, sample_weight);
  const std::size_t l = cm.labels.size();
  std::vector<double> sum0(l, 0.0), sum1(l, 0.0);
  for (std::size_t i = 0; i < l; ++i)
    for (std::size_t j = 0; j < l; ++j) {
      sum0[j] += cm.at(i, j);
      sum1[i] += cm.at(i, j);
    }
  const double total = detail::pairwise_sum(sum0);
  std::vector<double> wc(l * l), we(l * l);
  for (std::size_t i = 0; i < l; ++i)
    for (std::size_t j = 0; j < l; ++j) {
      const double d = static_cast<double>(i > j ? i - j : j - i);
      double w = 0;
      switch (weights) {
        case KappaWeights::None: w = i == j ? 0.0 : 1.0; break;
        case KappaWeights::Linear: w = d; break;
        case KappaWeights::Quadratic: w = d * d; break;
      }
      wc[i * l + j] = w * cm.at(i, j);
      we[i * l + j] = w * (sum0[i] * sum1[j] / total);
    }
  const double k = detail::pairwise_sum(wc) / detail::pairwise_sum(we);
  return 1 - k;
}

LikelihoodRatios class_likelihood_ratios(Codes y_true, Codes y_pred, std::span<const std::int32_t> labels,
                                         Weights sample_weight, Warnings* warnings) {
  detail::check_labels(y_true, y_pred, sample_weight, "class_likelihood_ratios");
  if (!detail::is_binary(y_true, y_pred))
    throw InvalidArgument("class_likelihood_ratios only supports binary classification problems, got multiclass targets");
  const auto cm = confusion_matrix(y_true, y_pred, labels, sample_weight);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  LikelihoodRatios out{nan, nan};
  if (cm.labels.size() == 1) {
    warn(warnings, "samples of only one class were seen during testing ");
    return out;
  }
  if (cm.labels.size() != 2) throw InvalidArgument("class_likelihood_ratios: expected two labels");
  const double tn = cm.at(0, 0), fp = cm.at(0, 1), fn = cm.at(1, 0), tp = cm.at(1, 1);
  const double support_pos = tp + fn, support_neg = tn + fp;
  if (support_pos == 0) warn(warnings, "no samples of the positive class were present in the testing set ");
  if (fp == 0) {
    warn(warnings, tp == 0 ? "no samples predicted for the positive class"
                           : "positive_likelihood_ratio ill-defined and being set to nan ");
    out.positive = nan;
  } else {
    out.positive = (tp * support_neg) / (fp * support_pos);
  }
  if (tn == 0) {
    warn(warnings, "negative_likelihood_ratio ill-defined and being set to nan ");
    out.negative = nan;
  } else {
    out.negative = (fn * support_neg) / (tn * support_pos);
  }
  return out;
}

}  // namespace imbal::metrics
