// Ranking metrics of scikit-learn 1.2: ROC curve (with drop_intermediate), precision-recall curve,
// trapezoidal AUC, ROC AUC (binary with McClish-corrected partial AUC, McClish 1989; multi-class
// one-vs-rest and one-vs-one after Hand & Till 2001) and average precision.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "metrics/metrics_internal.hpp"

namespace imbal::metrics {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct ClfCurve {
  std::vector<double> fps, tps, thresholds;
};

// scikit-learn's _binary_clf_curve: scores sorted in decreasing order (a stable ascending sort,
// reversed), cumulative weighted positives / negatives at each distinct score.
ClfCurve binary_clf_curve(std::span<const char> positive, std::span<const double> score, Weights sample_weight) {
  std::vector<std::size_t> order;
  order.reserve(score.size());
  for (std::size_t i = 0; i < score.size(); ++i)
    if (sample_weight.empty() || sample_weight[i] != 0) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] < score[b]; });
  std::reverse(order.begin(), order.end());
  const std::size_t n = order.size();
  ClfCurve c;
  double tp = 0.0, fp = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = order[k];
    const double w = detail::weight(sample_weight, i);
    const double y = positive[i] ? 1.0 : 0.0;
    tp += y * w;
    fp += (1.0 - y) * w;
    if (k + 1 == n || score[order[k + 1]] != score[i]) {
      c.tps.push_back(tp);
      c.fps.push_back(sample_weight.empty() ? static_cast<double>(k + 1) - tp : fp);
      c.thresholds.push_back(score[i]);
    }
  }
  return c;
}

std::vector<char> is_positive(Codes y_true, std::int32_t pos_label) {
  std::vector<char> out(y_true.size());
  for (std::size_t i = 0; i < y_true.size(); ++i) out[i] = y_true[i] == pos_label;
  return out;
}

RocCurve roc_from_flags(std::span<const char> positive, std::span<const double> y_score, Weights sample_weight,
                        bool drop_intermediate, Warnings* warnings) {
  auto c = binary_clf_curve(positive, y_score, sample_weight);
  if (c.tps.empty()) throw InvalidArgument("roc_curve: no rows with a non-zero weight");
  if (drop_intermediate && c.fps.size() > 2) {
    ClfCurve kept;
    const std::size_t n = c.fps.size();
    for (std::size_t i = 0; i < n; ++i) {
      bool keep = i == 0 || i + 1 == n;
      if (!keep) {
        const double dfp = (c.fps[i + 1] - c.fps[i]) - (c.fps[i] - c.fps[i - 1]);
        const double dtp = (c.tps[i + 1] - c.tps[i]) - (c.tps[i] - c.tps[i - 1]);
        keep = dfp != 0 || dtp != 0;
      }
      if (keep) {
        kept.fps.push_back(c.fps[i]);
        kept.tps.push_back(c.tps[i]);
        kept.thresholds.push_back(c.thresholds[i]);
      }
    }
    c = std::move(kept);
  }
  // The curve starts at (0, 0), at a threshold above every score.
  auto prepend = [](std::vector<double>& v, double first) {
    std::vector<double> out;
    out.reserve(v.size() + 1);
    out.push_back(first);
    out.insert(out.end(), v.begin(), v.end());
    v = std::move(out);
  };
  prepend(c.tps, 0.0);
  prepend(c.fps, 0.0);
  prepend(c.thresholds, c.thresholds.front() + 1);
  RocCurve r;
  r.thresholds = std::move(c.thresholds);
  const double fmax = c.fps.back(), tmax = c.tps.back();
  r.fpr.assign(c.fps.size(), 0.0);
  r.tpr.assign(c.tps.size(), 0.0);
  if (fmax <= 0) {
    detail::warn(warnings, "No negative samples in y_true, false positive value should be meaningless");
    std::fill(r.fpr.begin(), r.fpr.end(), kNaN);
  } else {
    for (std::size_t i = 0; i < r.fpr.size(); ++i) r.fpr[i] = c.fps[i] / fmax;
  }
  if (tmax <= 0) {
    detail::warn(warnings, "No positive samples in y_true, true positive value should be meaningless");
    std::fill(r.tpr.begin(), r.tpr.end(), kNaN);
  } else {
    for (std::size_t i = 0; i < r.tpr.size(); ++i) r.tpr[i] = c.tps[i] / tmax;
  }
  return r;
}

PrecisionRecallCurve pr_from_flags(std::span<const char> positive, std::span<const double> y_score,
                                   Weights sample_weight, Warnings* warnings) {
  const auto c = binary_clf_curve(positive, y_score, sample_weight);
  if (c.tps.empty()) throw InvalidArgument("precision_recall_curve: no rows with a non-zero weight");
  const std::size_t n = c.tps.size();
  std::vector<double> precision(n), recall(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double ps = c.tps[i] + c.fps[i];
    precision[i] = ps != 0 ? c.tps[i] / ps : 0.0;
  }
  if (c.tps.back() == 0) {
    detail::warn(warnings, "No positive class found in y_true, recall is set to one for all thresholds.");
    std::fill(recall.begin(), recall.end(), 1.0);
  } else {
    for (std::size_t i = 0; i < n; ++i) recall[i] = c.tps[i] / c.tps.back();
  }
  PrecisionRecallCurve out;
  out.precision.assign(precision.rbegin(), precision.rend());
  out.precision.push_back(1.0);
  out.recall.assign(recall.rbegin(), recall.rend());
  out.recall.push_back(0.0);
  out.thresholds.assign(c.thresholds.rbegin(), c.thresholds.rend());
  return out;
}

// np.interp(x, [x0, x1], [y0, y1]) for x0 <= x < x1.
double interp(double x, double x0, double x1, double y0, double y1) {
  if (x == x0) return y0;
  const double slope = (y1 - y0) / (x1 - x0);
  double r = slope * (x - x0) + y0;
  if (std::isnan(r)) {
    r = slope * (x - x1) + y1;
    if (std::isnan(r) && y0 == y1) r = y0;
  }
  return r;
}

// scikit-learn's _binary_roc_auc_score on positive flags.
double binary_roc_auc(std::span<const char> positive, std::span<const double> score, Weights sample_weight,
                      std::optional<double> max_fpr) {
  bool has_pos = false, has_neg = false;
  for (char p : positive) (p ? has_pos : has_neg) = true;
  if (!(has_pos && has_neg))
    throw InvalidArgument("roc_auc_score: only one class present in y_true; ROC AUC is not defined in that case");
  auto roc = roc_from_flags(positive, score, sample_weight, true, nullptr);
  if (!max_fpr || *max_fpr == 1) return auc(roc.fpr, roc.tpr);
  const double m = *max_fpr;
  if (!(m > 0 && m <= 1)) throw InvalidArgument("roc_auc_score: expected max_fpr in range (0, 1]");
  const std::size_t stop =
      static_cast<std::size_t>(std::upper_bound(roc.fpr.begin(), roc.fpr.end(), m) - roc.fpr.begin());
  const double t = interp(m, roc.fpr[stop - 1], roc.fpr[stop], roc.tpr[stop - 1], roc.tpr[stop]);
  roc.tpr.resize(stop);
  roc.fpr.resize(stop);
  roc.tpr.push_back(t);
  roc.fpr.push_back(m);
  const double partial = auc(roc.fpr, roc.tpr);
  const double min_area = 0.5 * m * m;
  const double max_area = m;
  return 0.5 * (1 + (partial - min_area) / (max_area - min_area));
}

double binary_average_precision(std::span<const char> positive, std::span<const double> score,
                                Weights sample_weight, Warnings* warnings) {
  const auto pr = pr_from_flags(positive, score, sample_weight, warnings);
  std::vector<double> terms(pr.recall.size() - 1);
  for (std::size_t i = 0; i + 1 < pr.recall.size(); ++i)
    terms[i] = (pr.recall[i + 1] - pr.recall[i]) * pr.precision[i];
  return -detail::pairwise_sum(terms);
}

void check_scores(std::size_t n, std::span<const double> y_score, std::size_t n_columns, const char* function) {
  if (n_columns == 0) throw InvalidArgument(std::string(function) + ": y_score needs at least one column");
  if (y_score.size() != n * n_columns)
    throw InvalidArgument(std::string(function) + ": y_score has " + std::to_string(y_score.size()) +
                          " values, expected " + std::to_string(n) + " x " + std::to_string(n_columns));
  detail::check_finite(y_score, "y_score", function);
}

// One-vs-rest average of a binary metric over the columns of an n x K score matrix
// (scikit-learn's _average_binary_score on a label-binarised y_true).
template <class BinaryMetric>
double average_ovr(Codes y_true, std::span<const double> y_score, std::size_t k, Average average,
                   Weights sample_weight, BinaryMetric metric, const char* function) {
  const std::size_t n = y_true.size();
  if (average == Average::Micro) {
    std::vector<char> flags(n * k);
    std::vector<double> weights;
    if (!sample_weight.empty()) weights.resize(n * k);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t c = 0; c < k; ++c) {
        flags[i * k + c] = static_cast<std::size_t>(y_true[i]) == c;
        if (!weights.empty()) weights[i * k + c] = sample_weight[i];
      }
    return metric(flags, y_score, Weights(weights));
  }
  if (average != Average::Macro && average != Average::Weighted)
    throw InvalidArgument(std::string(function) + ": average must be one of micro, macro, weighted");
  std::vector<double> scores(k), average_weight(k, 0.0), column(n);
  std::vector<char> flags(n);
  for (std::size_t i = 0; i < n; ++i) average_weight[static_cast<std::size_t>(y_true[i])] += detail::weight(sample_weight, i);
  if (average == Average::Weighted) {
    const double total = detail::pairwise_sum(average_weight);
    if (std::abs(total) <= 1e-8) return 0.0;  // np.isclose(sum, 0)
  }
  for (std::size_t c = 0; c < k; ++c) {
    for (std::size_t i = 0; i < n; ++i) {
      flags[i] = static_cast<std::size_t>(y_true[i]) == c;
      column[i] = y_score[i * k + c];
    }
    scores[c] = metric(flags, column, sample_weight);
  }
  if (average == Average::Macro) return detail::mean(scores);
  for (std::size_t c = 0; c < k; ++c)
    if (average_weight[c] == 0) scores[c] = 0;
  return detail::weighted_average(scores, average_weight);
}

}  // namespace

RocCurve roc_curve(Codes y_true, std::span<const double> y_score, std::int32_t pos_label, Weights sample_weight,
                   bool drop_intermediate, Warnings* warnings) {
  detail::check_weights(y_true.size(), sample_weight, "roc_curve");
  check_scores(y_true.size(), y_score, 1, "roc_curve");
  const auto flags = is_positive(y_true, pos_label);
  return roc_from_flags(flags, y_score, sample_weight, drop_intermediate, warnings);
}

PrecisionRecallCurve precision_recall_curve(Codes y_true, std::span<const double> y_score, std::int32_t pos_label,
                                            Weights sample_weight, Warnings* warnings) {
  detail::check_weights(y_true.size(), sample_weight, "precision_recall_curve");
  check_scores(y_true.size(), y_score, 1, "precision_recall_curve");
  const auto flags = is_positive(y_true, pos_label);
  return pr_from_flags(flags, y_score, sample_weight, warnings);
}

double auc(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size()) throw InvalidArgument("auc: x and y have different lengths");
  if (x.size() < 2) throw InvalidArgument("auc: at least 2 points are needed to compute area under curve");
  bool any_decrease = false, all_nonincreasing = true;
  for (std::size_t i = 1; i < x.size(); ++i) {
    const double d = x[i] - x[i - 1];
    if (d < 0) any_decrease = true;
    if (d > 0) all_nonincreasing = false;
  }
  double direction = 1;
  if (any_decrease) {
    if (!all_nonincreasing) throw InvalidArgument("auc: x is neither increasing nor decreasing");
    direction = -1;
  }
  std::vector<double> terms(x.size() - 1);
  for (std::size_t i = 0; i + 1 < x.size(); ++i) terms[i] = (x[i + 1] - x[i]) * (y[i + 1] + y[i]) / 2.0;
  return direction * detail::pairwise_sum(terms);
}

double roc_auc_score(Codes y_true, std::span<const double> y_score, std::size_t n_columns,
                     const RocAucOptions& options) {
  detail::check_weights(y_true.size(), options.sample_weight, "roc_auc_score");
  check_scores(y_true.size(), y_score, n_columns, "roc_auc_score");
  for (auto c : y_true)
    if (c < 0) throw InvalidArgument("roc_auc_score: class codes must be >= 0");
  if (n_columns == 1) {
    const auto present = unique_labels(y_true, {});
    if (present.size() != 2)
      throw InvalidArgument("roc_auc_score: only one class present in y_true; ROC AUC is not defined in that case");
    const auto flags = is_positive(y_true, present[1]);
    return binary_roc_auc(flags, y_score, options.sample_weight, options.max_fpr);
  }
  const std::size_t k = n_columns;
  for (auto c : y_true)
    if (static_cast<std::size_t>(c) >= k)
      throw InvalidArgument("roc_auc_score: y_true contains class code " + std::to_string(c) + " but y_score has " +
                            std::to_string(k) + " columns");
  if (options.max_fpr && *options.max_fpr != 1.0)
    throw InvalidArgument("roc_auc_score: partial AUC computation is not available in the multiclass setting; "
                          "max_fpr must be none");
  if (options.multi_class == MultiClass::Raise)
    throw InvalidArgument("roc_auc_score: multi_class must be ovr or ovo for multiclass scores");
  const std::size_t n = y_true.size();
  for (std::size_t i = 0; i < n; ++i) {
    double s = 0;
    for (std::size_t c = 0; c < k; ++c) s += y_score[i * k + c];
    if (!(std::abs(1.0 - s) <= 1e-8 + 1e-5 * std::abs(s)))
      throw InvalidArgument("roc_auc_score: target scores need to be probabilities for multiclass roc_auc, i.e. "
                            "they should sum up to 1.0 over classes");
  }
  if (options.multi_class == MultiClass::Ovo) {
    if (!options.sample_weight.empty())
      throw InvalidArgument("roc_auc_score: sample_weight is not supported for multiclass one-vs-one ROC AUC");
    if (options.average != Average::Macro && options.average != Average::Weighted)
      throw InvalidArgument("roc_auc_score: average must be macro or weighted for multi_class='ovo'");
    const auto present = unique_labels(y_true, {});
    std::vector<double> pair_scores, prevalence;
    for (std::size_t ia = 0; ia < present.size(); ++ia)
      for (std::size_t ib = ia + 1; ib < present.size(); ++ib) {
        const auto a = present[ia], b = present[ib];
        std::vector<char> a_true, b_true;
        std::vector<double> a_score, b_score;
        for (std::size_t i = 0; i < n; ++i) {
          if (y_true[i] != a && y_true[i] != b) continue;
          a_true.push_back(y_true[i] == a);
          b_true.push_back(y_true[i] == b);
          a_score.push_back(y_score[i * k + static_cast<std::size_t>(a)]);
          b_score.push_back(y_score[i * k + static_cast<std::size_t>(b)]);
        }
        prevalence.push_back(static_cast<double>(a_true.size()) / static_cast<double>(n));
        const double sa = binary_roc_auc(a_true, a_score, {}, std::nullopt);
        const double sb = binary_roc_auc(b_true, b_score, {}, std::nullopt);
        pair_scores.push_back((sa + sb) / 2);
      }
    if (pair_scores.empty()) throw InvalidArgument("roc_auc_score: y_true holds fewer than two classes");
    return options.average == Average::Weighted ? detail::weighted_average(pair_scores, prevalence)
                                                : detail::mean(pair_scores);
  }
  return average_ovr(
      y_true, y_score, k, options.average, options.sample_weight,
      [](std::span<const char> flags, std::span<const double> s, Weights w) {
        return binary_roc_auc(flags, s, w, std::nullopt);
      },
      "roc_auc_score");
}

double average_precision_score(Codes y_true, std::span<const double> y_score, std::size_t n_columns,
                               std::int32_t pos_label, Average average, Weights sample_weight, Warnings* warnings) {
  detail::check_weights(y_true.size(), sample_weight, "average_precision_score");
  check_scores(y_true.size(), y_score, n_columns, "average_precision_score");
  if (n_columns == 1) {
    const auto present = unique_labels(y_true, {});
    if (present.size() > 2)
      throw InvalidArgument("average_precision_score: y_true is multiclass; give one score column per class");
    if (present.size() == 2 && std::find(present.begin(), present.end(), pos_label) == present.end())
      throw InvalidArgument("average_precision_score: pos_label=" + std::to_string(pos_label) +
                            " is not a valid label; it should be one of " + detail::label_list(present));
    const auto flags = is_positive(y_true, pos_label);
    return binary_average_precision(flags, y_score, sample_weight, warnings);
  }
  for (auto c : y_true)
    if (c < 0 || static_cast<std::size_t>(c) >= n_columns)
      throw InvalidArgument("average_precision_score: y_true contains class code " + std::to_string(c) +
                            " but y_score has " + std::to_string(n_columns) + " columns");
  return average_ovr(
      y_true, y_score, n_columns, average, sample_weight,
      [warnings](std::span<const char> flags, std::span<const double> s, Weights w) {
        return binary_average_precision(flags, s, w, warnings);
      },
      "average_precision_score");
}

}  // namespace imbal::metrics
