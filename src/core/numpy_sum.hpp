// numpy's pairwise summation, for results that must equal numpy's bit for bit (np.sum /
// np.add.reduce over a contiguous float64 array): a plain loop below 8 values, 8 accumulators up
// to 128, halves (multiples of 8) above. Used by near-miss (imbalanced-learn's mean distances),
// svm-smote (scikit-learn's gamma='scale') and the metrics.
#pragma once

#include <cstddef>

namespace imbal::detail {

double numpy_pairwise_sum(const double* a, std::size_t n);

}  // namespace imbal::detail
