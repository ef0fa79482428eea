// The Value Difference Metric of smoten, exposed for the tests.
#pragma once

#include <cstddef>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "samplers/nominal.hpp"

namespace imbal::detail {

/// The Value Difference Metric (Stanfill & Waltz 1986) as imbalanced-learn 0.10 computes it
/// (imblearn.metrics.ValueDifferenceMetric with k=1, r=2), fitted on ALL rows:
///   P_f(c | v) = (rows of class c with value v in feature f) / (rows with value v),
///   d(a, b) = sum over features f of ( sum over classes c of |P_f(c | a_f) - P_f(c | b_f)| )^2,
/// classes in code order (only classes present in y), features in column order, accumulated
/// from 0 in double as numpy does. Rows with ordinal -1 (values no row of interest holds, see
/// ordinal_encode) are left out: they only count towards their own value.
class ValueDifferenceMetric {
 public:
  ValueDifferenceMetric(const OrdinalColumns& X, std::span<const std::int32_t> y, std::size_t n_classes);

  /// The contribution of feature f for ordinals a and b: (sum_c |P(c|a) - P(c|b)|)^2.
  double term(std::size_t f, std::int32_t a, std::int32_t b) const;
  /// d(a, b) for two rows of ordinals (one per feature). With a `limit`, stops early and returns
  /// a partial sum >= limit as soon as one reaches it (the terms are non-negative).
  double distance(const std::int32_t* a, const std::int32_t* b,
                  double limit = std::numeric_limits<double>::infinity()) const {
    double acc = 0.0;
    for (std::size_t f = 0; f < n_features_; ++f) {
      const auto& t = table_[f];
      acc += t.empty() ? term(f, a[f], b[f])
                       : t[static_cast<std::size_t>(a[f]) * levels_[f] + static_cast<std::size_t>(b[f])];
      if (acc >= limit) return acc;
    }
    return acc;
  }
  /// Writes row `codes` as its class probabilities, feature by feature (n_features x classes
  /// doubles): `embedded_distance` of two such rows equals `distance` of the rows, bit for bit,
  /// and reads memory in order instead of looking tables up.
  void embed(const std::int32_t* codes, double* out) const {
    for (std::size_t f = 0; f < n_features_; ++f) {
      const double* p = proba_[f].data() + static_cast<std::size_t>(codes[f]) * n_present_;
      for (std::size_t c = 0; c < n_present_; ++c) out[f * n_present_ + c] = p[c];
    }
  }
  /// Like `embed`, for the features `features` in that order (`codes[t]` is the ordinal of
  /// feature features[t]).
  void embed_features(const std::int32_t* codes, std::span<const std::size_t> features, double* out) const {
    for (std::size_t t = 0; t < features.size(); ++t) {
      const double* p = proba_[features[t]].data() + static_cast<std::size_t>(codes[t]) * n_present_;
      for (std::size_t c = 0; c < n_present_; ++c) out[t * n_present_ + c] = p[c];
    }
  }
  /// One feature's term from the two probability rows (what `term` computes).
  static double term_of(const double* pa, const double* pb, std::size_t n_classes) {
    // numpy's add.reduce over the class axis: the first element, plus the sum of the rest
    // accumulated from 0 (exact for the usual 2 or 3 classes; within an ulp beyond 8).
    double rest = 0.0;
    for (std::size_t c = 1; c < n_classes; ++c) rest += std::abs(pb[c] - pa[c]);
    const double s = n_classes == 0 ? 0.0 : std::abs(pb[0] - pa[0]) + rest;
    return s * s;
  }
  /// d(a, b) from two embedded rows; same early exit as `distance`.
  double embedded_distance(const double* a, const double* b,
                           double limit = std::numeric_limits<double>::infinity()) const {
    double acc = 0.0;
    for (std::size_t f = 0; f < n_features_; ++f) {
      acc += term_of(a + f * n_present_, b + f * n_present_, n_present_);
      if (acc >= limit) return acc;
    }
    return acc;
  }
  std::size_t n_features() const { return n_features_; }
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
