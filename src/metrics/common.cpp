// Shared pieces of the metrics: option parsing, input checks, numpy-like reductions and
// scikit-learn's zero-division rule (_prf_divide).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include "metrics/metrics_internal.hpp"

#include "core/numpy_sum.hpp"

namespace imbal::metrics {

Average parse_average(std::string_view text) {
  if (text == "none" || text == "None") return Average::None;
  if (text == "binary") return Average::Binary;
  if (text == "micro") return Average::Micro;
  if (text == "macro") return Average::Macro;
  if (text == "weighted") return Average::Weighted;
  if (text == "multiclass") return Average::Multiclass;
  throw InvalidArgument("average: expected one of none, binary, micro, macro, weighted, multiclass; got '" +
                        std::string(text) + "'");
}

std::string_view to_string(Average average) {
  switch (average) {
    case Average::None: return "none";
    case Average::Binary: return "binary";
    case Average::Micro: return "micro";
    case Average::Macro: return "macro";
    case Average::Weighted: return "weighted";
    case Average::Multiclass: return "multiclass";
  }
  return "?";
}

ZeroDivision parse_zero_division(std::string_view text) {
  if (text == "warn") return ZeroDivision::Warn;
  if (text == "0" || text == "0.0") return ZeroDivision::Zero;
  if (text == "1" || text == "1.0") return ZeroDivision::One;
  throw InvalidArgument("zero_division: expected warn, 0 or 1; got '" + std::string(text) + "'");
}

Normalize parse_normalize(std::string_view text) {
  if (text == "none" || text == "None") return Normalize::None;
  if (text == "true") return Normalize::True;
  if (text == "pred") return Normalize::Pred;
  if (text == "all") return Normalize::All;
  throw InvalidArgument("normalize: expected none, true, pred or all; got '" + std::string(text) + "'");
}

KappaWeights parse_kappa_weights(std::string_view text) {
  if (text == "none" || text == "None") return KappaWeights::None;
  if (text == "linear") return KappaWeights::Linear;
  if (text == "quadratic") return KappaWeights::Quadratic;
  throw InvalidArgument("weights: expected none, linear or quadratic; got '" + std::string(text) + "'");
}

MultiClass parse_multi_class(std::string_view text) {
  if (text == "raise") return MultiClass::Raise;
  if (text == "ovr") return MultiClass::Ovr;
  if (text == "ovo") return MultiClass::Ovo;
  throw InvalidArgument("multi_class: expected raise, ovr or ovo; got '" + std::string(text) + "'");
}

std::vector<std::int32_t> unique_labels(Codes y_true, Codes y_pred) {
  std::int32_t max_code = -1;
  for (auto c : y_true) max_code = std::max(max_code, c);
  for (auto c : y_pred) max_code = std::max(max_code, c);
  std::vector<char> seen(static_cast<std::size_t>(max_code + 1), 0);
  for (auto c : y_true) seen[static_cast<std::size_t>(c)] = 1;
  for (auto c : y_pred) seen[static_cast<std::size_t>(c)] = 1;
  std::vector<std::int32_t> out;
  for (std::size_t c = 0; c < seen.size(); ++c)
    if (seen[c]) out.push_back(static_cast<std::int32_t>(c));
  return out;
}

namespace detail {

void check_weights(std::size_t n, Weights sample_weight, const char* function) {
  if (sample_weight.empty()) return;
  if (sample_weight.size() != n)
    throw InvalidArgument(std::string(function) + ": sample_weight has " + std::to_string(sample_weight.size()) +
                          " values, expected " + std::to_string(n) + " (one per row)");
  for (double w : sample_weight)
    if (!std::isfinite(w)) throw InvalidArgument(std::string(function) + ": sample_weight must be finite");
}

void check_labels(Codes y_true, Codes y_pred, Weights sample_weight, const char* function) {
  if (y_true.size() != y_pred.size())
    throw InvalidArgument(std::string(function) + ": y_true has " + std::to_string(y_true.size()) +
                          " values but y_pred has " + std::to_string(y_pred.size()));
  for (auto c : y_true)
    if (c < 0) throw InvalidArgument(std::string(function) + ": class codes must be >= 0");
  for (auto c : y_pred)
    if (c < 0) throw InvalidArgument(std::string(function) + ": class codes must be >= 0");
  check_weights(y_true.size(), sample_weight, function);
}

void check_finite(std::span<const double> values, const char* what, const char* function) {
  for (double v : values)
    if (!std::isfinite(v))
      throw InvalidArgument(std::string(function) + ": " + what + " contains NaN or infinity");
}

double pairwise_sum(const double* a, std::size_t n) { return imbal::detail::numpy_pairwise_sum(a, n); }

double mean(const std::vector<double>& v) { return pairwise_sum(v) / static_cast<double>(v.size()); }

double weighted_average(const std::vector<double>& values, const std::vector<double>& weights) {
  const double scale = pairwise_sum(weights);
  if (scale == 0.0) throw InvalidArgument("weights sum to zero, can't be normalized");
  std::vector<double> product(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) product[i] = values[i] * weights[i];
  return pairwise_sum(product) / scale;
}

bool is_binary(Codes y_true, Codes y_pred) { return unique_labels(y_true, y_pred).size() <= 2; }

std::string label_list(std::span<const std::int32_t> labels) {
  std::string out = "[";
  for (std::size_t i = 0; i < labels.size(); ++i) out += (i ? ", " : "") + std::to_string(labels[i]);
  return out + "]";
}

static std::string title(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

void warn_prf(Average average, const std::string& modifier, const std::string& msg_start, std::size_t result_size,
              Warnings* warnings) {
  (void)average;  // 'samples' (multilabel) is not supported, so the axes are always sample/label
  std::string where = result_size == 1 ? "due to" : "in labels with";
  warn(warnings, msg_start + " ill-defined and being set to 0.0 " + where + " no " + modifier +
                     " samples. Use `zero_division` parameter to control this behavior.");
}

std::vector<double> prf_divide(const std::vector<double>& numerator, const std::vector<double>& denominator,
                               const std::string& metric, const std::string& modifier, Average average,
                               std::span<const std::string> warn_for, ZeroDivision zero_division,
                               Warnings* warnings) {
  std::vector<double> result(numerator.size());
  bool any = false;
  for (std::size_t i = 0; i < numerator.size(); ++i) {
    if (denominator[i] == 0.0) {
      any = true;
      result[i] = zero_division == ZeroDivision::One ? 1.0 : 0.0;
    } else {
      result[i] = numerator[i] / denominator[i];
    }
  }
  if (!any || zero_division != ZeroDivision::Warn) return result;
  const bool metric_warned = std::find(warn_for.begin(), warn_for.end(), metric) != warn_for.end();
  if (!metric_warned) return result;
  const bool f_warned = std::find(warn_for.begin(), warn_for.end(), "f-score") != warn_for.end();
  const std::string msg_start = f_warned ? title(metric) + " and F-score are" : title(metric) + " is";
  warn_prf(average, modifier, msg_start, result.size(), warnings);
  return result;
}

std::vector<std::int32_t> set_wise_labels(Codes y_true, Codes y_pred, const LabelOptions& options,
                                          const char* function) {
  const auto present = unique_labels(y_true, y_pred);
  if (options.average == Average::Binary) {
    if (present.size() > 2)
      throw InvalidArgument(std::string(function) +
                            ": target is multiclass but average='binary'; choose another average setting, one "
                            "of none, micro, macro, weighted");
    if (std::find(present.begin(), present.end(), options.pos_label) == present.end() && present.size() >= 2)
      throw InvalidArgument(std::string(function) + ": pos_label=" + std::to_string(options.pos_label) +
                            " is not a valid label; it should be one of " + label_list(present));
    return {options.pos_label};
  }
  return options.labels;
}

}  // namespace detail
}  // namespace imbal::metrics
