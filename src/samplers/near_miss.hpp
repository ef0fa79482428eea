// Pieces of near-miss exposed for tests (and for cnn, which shares the minority rule).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "imbal/matrix.hpp"
#include "imbal/sampler.hpp"
#include "core/numpy_sum.hpp"  // numpy_pairwise_sum

namespace imbal::detail {

/// imbalanced-learn's minority class: the smallest class; on a tie in size, the class whose first
/// row comes first (collections.Counter keeps first-seen order and min() takes the first).
std::int32_t minority_class(const SamplerInput& in);

/// For each row `queries[i]` of X: the sum (ascending, numpy_pairwise_sum) of its Euclidean
/// distances to its min(k, |pool|) farthest rows of `pool` (the k largest distances: which of
/// several equidistant rows is counted does not change the sum).
/// Exact distances (imbal's definition); blocked over the pool, no |queries| x |pool| matrix;
/// `n_jobs` threads; the result does not depend on it.
std::vector<double> farthest_distance_sums(MatrixView X, std::span<const std::size_t> queries,
                                           std::span<const std::size_t> pool, std::size_t k, int n_jobs);

}  // namespace imbal::detail
