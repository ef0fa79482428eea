// Internals of adasyn (src/samplers/adasyn.cpp), exposed for its tests: the per-row density
// ratios of He, Bai, Garcia & Li (2008) and the exact allocation of the new rows among the rows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "imbal/sampler.hpp"

namespace imbal::detail {

/// For every row of class `label` (in `in.class_rows[label]` order): the number of rows of
/// other classes among its n_neighbors nearest rows of the whole data (itself excluded by
/// index). Throws InvalidArgument when the data has fewer than n_neighbors + 1 rows, or when
/// every count is zero (imbalanced-learn raises "Not any neigbours belong to the majority
/// class" there: the ratios would be 0 / 0).
std::vector<std::size_t> adasyn_foreign_counts(const SamplerInput& in, std::int32_t label, std::size_t n_neighbors);

/// ADASYN's normalised ratios r_i = (m_i / K) / sum_j (m_j / K) = m_i / sum_j m_j, with m_i from
/// adasyn_foreign_counts (same errors). They sum to 1 (up to rounding).
std::vector<double> adasyn_ratios(const SamplerInput& in, std::int32_t label, std::size_t n_neighbors);

/// Splits `total` in proportion to `weights` by largest remainders, in exact integer
/// arithmetic: row i gets floor(w_i * total / W) (W = sum of the weights), and the rows with
/// the largest remainders (w_i * total mod W), ties by position, get one more until the parts
/// sum to `total` exactly. `weights` must not all be zero.
std::vector<std::size_t> largest_remainder_allocation(std::span<const std::size_t> weights, std::size_t total);

}  // namespace imbal::detail
