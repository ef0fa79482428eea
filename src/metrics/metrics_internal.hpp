// Helpers shared by the metric files: input checks, warnings, numpy-like reductions.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "imbal/error.hpp"
#include "imbal/metrics.hpp"

namespace imbal::metrics::detail {

/// Throws unless y_true, y_pred (and sample_weight, when given) have the same length, codes are
/// >= 0 and weights are finite.
void check_labels(Codes y_true, Codes y_pred, Weights sample_weight, const char* function);
void check_weights(std::size_t n, Weights sample_weight, const char* function);
/// Throws unless every score is finite.
void check_finite(std::span<const double> values, const char* what, const char* function);

inline void warn(Warnings* warnings, std::string message) {
  if (warnings != nullptr) warnings->push_back(std::move(message));
}

/// Weight of row i (1 when unweighted).
inline double weight(Weights w, std::size_t i) { return w.empty() ? 1.0 : w[i]; }

/// numpy's pairwise summation (np.sum / np.add.reduce on a contiguous float64 array).
double pairwise_sum(const double* values, std::size_t n);
inline double pairwise_sum(const std::vector<double>& v) { return pairwise_sum(v.data(), v.size()); }
/// np.mean
double mean(const std::vector<double>& v);
/// np.average(values, weights=weights): sum(v * w) / sum(w); InvalidArgument when sum(w) == 0.
double weighted_average(const std::vector<double>& values, const std::vector<double>& weights);

/// True when the union of y_true and y_pred holds at most two codes (scikit-learn's "binary").
bool is_binary(Codes y_true, Codes y_pred);
std::string label_list(std::span<const std::int32_t> labels);

/// scikit-learn's _prf_divide: numerator / denominator with zero-denominator entries set by
/// zero_division; warns (once) when zero_division is Warn and `metric` is in warn_for.
std::vector<double> prf_divide(const std::vector<double>& numerator, const std::vector<double>& denominator,
                               const std::string& metric, const std::string& modifier, Average average,
                               std::span<const std::string> warn_for, ZeroDivision zero_division,
                               Warnings* warnings);
void warn_prf(Average average, const std::string& modifier, const std::string& msg_start, std::size_t result_size,
              Warnings* warnings);

/// Resolves labels as scikit-learn's _check_set_wise_labels does for average 'binary':
/// checks pos_label and returns the labels to use ({pos_label} for binary).
std::vector<std::int32_t> set_wise_labels(Codes y_true, Codes y_pred, const LabelOptions& options,
                                          const char* function);

}  // namespace imbal::metrics::detail
