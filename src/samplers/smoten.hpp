// The Value Difference Metric of smoten, exposed for the tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "samplers/nominal.hpp"

namespace imbal::detail {

/// The Value Difference Metric (Stanfill & Waltz 1986) as imbalanced-learn 0.10 computes it
/// (imblearn.metrics.ValueDifferenceMetric with k=1, r=2), fitted on ALL rows:
///   P_f(c | v) = (rows of class c with value v in feature f) / (rows with value v),
///   d(a, b) = sum over features f of ( sum over classes c of |P_f(c | a_f) - P_f(c | b_f)| )^2,
/// classes in code order (only classes present in y), features in column order, accumulated
/// from 0 in double as numpy does.
class ValueDifferenceMetric {
 public:
  ValueDifferenceMetric(const OrdinalColumns& X, std::span<const std::int32_t> y, std::size_t n_classes);

  /// The contribution of feature f for ordinals a and b: (sum_c |P(c|a) - P(c|b)|)^2.
  double term(std::size_t f, std::int32_t a, std::int32_t b) const;
  /// d(a, b) for two rows of ordinals (one per feature).
  double distance(const std::int32_t* a, const std::int32_t* b) const {
    double acc = 0.0;
    for (std::size_t f = 0; f < n_features_; ++f) {
      const auto& t = table_[f];
      acc += t.empty() ? term(f, a[f], b[f])
                       : t[static_cast<std::size_t>(a[f]) * levels_[f] + static_cast<std::size_t>(b[f])];
    }
    return acc;
  }
  /// P(class | value) of feature f, one row per ordinal, one column per present class.
  std::span<const double> probabilities(std::size_t f) const { return proba_[f]; }
  std::size_t n_present_classes() const { return n_present_; }

 private:
  std::size_t n_features_ = 0;
  std::size_t n_present_ = 0;
  std::vector<std::size_t> levels_;
  std::vector<std::vector<double>> proba_;  // per feature: levels x n_present
  std::vector<std::vector<double>> table_;  // per feature: levels x levels terms (small features only)
};

}  // namespace imbal::detail
