// The support vector machine behind svm-smote: scikit-learn's SVC(gamma="scale") defaults (RBF
// kernel, C = 1, gamma = 1 / (n_features * X.var()), tolerance 1e-3, shrinking), trained by
// Debian's libsvm. Every libsvm call is in svm_libsvm.cpp.
//
// Parity with scikit-learn (whose SVC runs its own fork of libsvm): the fork sorts the class
// labels before grouping the rows by class, upstream libsvm takes the labels in order of first
// appearance. The SMO solver's working-set choice depends on that order, so we hand libsvm the
// rows grouped by class code (codes are in sorted order), each class's rows in input order:
// the sub-problems then list the same rows in the same order as scikit-learn's and the support
// vectors are the same (docs/methods/svm-smote.md lists the datasets checked).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "imbal/matrix.hpp"

namespace imbal::detail {

struct SvcSettings {
  double C = 1.0;
  /// <= 0: scikit-learn's gamma="scale".
  double gamma = 0.0;
  double tol = 1e-3;
  bool shrinking = true;
};

/// numpy's sum of `n` contiguous doubles as np.add.reduce computes it for a C-contiguous array
/// (pairwise summation, blocks of 8192 elements added to an accumulator started at 0).
double numpy_sum(const double* values, std::size_t n);

/// scikit-learn's gamma="scale" for dense X: 1 / (n_features * X.var()) with X.var() computed as
/// numpy does (mean, then mean of squared deviations, both by numpy_sum), and 1 when the variance
/// is 0.
double svc_scale_gamma(MatrixView X);

/// Rows of X that are support vectors of the RBF C-SVC fitted on (X, y) (one-vs-one when there
/// are more than two classes: a row counts when it is a support vector of any pair), ascending.
/// y holds class codes (sorted label order). Throws InvalidArgument when fewer than two classes
/// are present.
std::vector<std::size_t> svc_support_rows(MatrixView X, std::span<const std::int32_t> y, const SvcSettings& settings);

}  // namespace imbal::detail
