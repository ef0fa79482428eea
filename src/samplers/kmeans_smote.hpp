// Internals of kmeans-smote (src/samplers/kmeans_smote.cpp), exposed for its tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "imbal/matrix.hpp"
#include "imbal/sampler.hpp"

namespace imbal::detail {

/// Mean Euclidean distance between distinct rows `rows` of X (sum over ordered pairs i != j
/// divided by n^2 - n, as imbalanced-learn's _find_cluster_sparsity); 0 for fewer than 2 rows.
double mean_pairwise_distance(MatrixView X, std::span<const std::size_t> rows, int n_jobs);

/// imbalanced-learn's density_exponent="auto": 0.16 * log_1.6(n_rows)^1.8.
double kmeans_smote_auto_exponent(std::size_t n_rows);

/// Splits `total` into parts proportional to `weights` (summing to 1): floors, then one more to
/// the largest remainders (ties: lowest position). The parts sum to `total` exactly.
std::vector<std::size_t> largest_remainder_split(std::span<const double> weights, std::size_t total);

/// The cluster of every row as kmeans-smote computes it (k-means with n_init = 3 from a seed
/// derived from in.seed).
std::vector<std::int32_t> kmeans_smote_clusters(const SamplerInput& in, std::size_t n_clusters);

}  // namespace imbal::detail
