// Confusion matrices: the L x L matrix (scikit-learn's confusion_matrix, optionally normalised)
// and the per-label one-vs-rest counts (multilabel_confusion_matrix for 1-D targets).
#include <algorithm>
#include <unordered_map>

#include "metrics/metrics_internal.hpp"

namespace imbal::metrics {

namespace {
// Index of each code in `labels` (-1 when absent).
std::unordered_map<std::int32_t, std::size_t> index_of(std::span<const std::int32_t> labels) {
  std::unordered_map<std::int32_t, std::size_t> map;
  for (std::size_t i = 0; i < labels.size(); ++i) map.emplace(labels[i], i);
  return map;
}
}  // namespace

ConfusionMatrix confusion_matrix(Codes y_true, Codes y_pred, std::span<const std::int32_t> labels,
                                 Weights sample_weight, Normalize normalize) {
  detail::check_labels(y_true, y_pred, sample_weight, "confusion_matrix");
  ConfusionMatrix cm;
  if (labels.empty()) {
    cm.labels = unique_labels(y_true, y_pred);
  } else {
    cm.labels.assign(labels.begin(), labels.end());
    const std::size_t l = cm.labels.size();
    if (y_true.empty()) {
      cm.values.assign(l * l, 0.0);
      return cm;
    }
    const bool any = std::any_of(y_true.begin(), y_true.end(), [&](std::int32_t c) {
      return std::find(labels.begin(), labels.end(), c) != labels.end();
    });
    if (!any) throw InvalidArgument("confusion_matrix: at least one label specified must be in y_true");
  }
  const std::size_t l = cm.labels.size();
  cm.values.assign(l * l, 0.0);
  const auto map = index_of(cm.labels);
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    const auto t = map.find(y_true[i]);
    const auto p = map.find(y_pred[i]);
    if (t == map.end() || p == map.end()) continue;
    cm.values[t->second * l + p->second] += detail::weight(sample_weight, i);
  }
  if (normalize == Normalize::None) return cm;
  std::vector<double> rows(l, 0.0), cols(l, 0.0);
  double all = 0.0;
  for (std::size_t i = 0; i < l; ++i)
    for (std::size_t j = 0; j < l; ++j) {
      rows[i] += cm.values[i * l + j];
      cols[j] += cm.values[i * l + j];
    }
  all = detail::pairwise_sum(cm.values);
  for (std::size_t i = 0; i < l; ++i)
    for (std::size_t j = 0; j < l; ++j) {
      const double d = normalize == Normalize::True ? rows[i] : normalize == Normalize::Pred ? cols[j] : all;
      double& v = cm.values[i * l + j];
      v = d == 0.0 ? 0.0 : v / d;  // nan_to_num(0/0) = 0
    }
  return cm;
}

LabelCounts multilabel_confusion_matrix(Codes y_true, Codes y_pred, std::span<const std::int32_t> labels,
                                        Weights sample_weight) {
  detail::check_labels(y_true, y_pred, sample_weight, "multilabel_confusion_matrix");
  LabelCounts out;
  out.labels = labels.empty() ? unique_labels(y_true, y_pred)
                              : std::vector<std::int32_t>(labels.begin(), labels.end());
  // Every present code gets a slot (scikit-learn stacks the present labels after the given ones).
  const auto present = unique_labels(y_true, y_pred);
  std::int32_t max_code = present.empty() ? -1 : present.back();
  for (auto c : out.labels) max_code = std::max(max_code, c);
  const std::size_t slots = static_cast<std::size_t>(max_code + 1);
  std::vector<double> tp(slots, 0.0), pred(slots, 0.0), truth(slots, 0.0);
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    const double w = detail::weight(sample_weight, i);
    const auto t = static_cast<std::size_t>(y_true[i]);
    const auto p = static_cast<std::size_t>(y_pred[i]);
    if (t == p) tp[t] += w;
    pred[p] += w;
    truth[t] += w;
  }
  double total = 0.0;
  if (sample_weight.empty()) {
    total = static_cast<double>(y_true.size());
  } else {
    for (double w : sample_weight) total += w;  // Python's sum(): sequential
  }
  for (auto c : out.labels) {
    if (c < 0) throw InvalidArgument("labels: class codes must be >= 0");
    const auto k = static_cast<std::size_t>(c);
    const double fp = pred[k] - tp[k];
    const double fn = truth[k] - tp[k];
    out.tp.push_back(tp[k]);
    out.fp.push_back(fp);
    out.fn.push_back(fn);
    out.tn.push_back(total - tp[k] - fp - fn);
  }
  return out;
}

}  // namespace imbal::metrics
