// For tests: k-means's internals that the public header does not show.
#pragma once

#include <cstddef>
#include <cstdint>

#include "imbal/matrix.hpp"

namespace imbal::detail {

/// The k-means++ centres of run 0 of kmeans(X, {n_clusters, use_bounds}, seed), before any
/// Lloyd step.
Matrix kmeans_seeds_for_testing(MatrixView X, std::size_t n_clusters, std::uint64_t seed, bool use_bounds);

/// Forces the k-means++ scan kernel: 1 = SSE2 (baseline), 2 = AVX2, 3 = AVX-512 (each at most
/// what the CPU has), 0 = the best. Returns the kernel that will run.
int set_kmeans_kernel_for_testing(int kernel);

/// Turns on (or off) the tracking of the k-means++ packed groups' memory, and returns (and
/// resets) the largest number of bytes their rows held at once in one run since the last call.
std::size_t kmeans_packed_peak_for_testing(bool track);

/// Makes the k-means++ arena of packed groups start at `blocks` blocks of 16 rows (0: its usual
/// size), so that a test can make it slide and grow at almost every step.
void set_kmeans_arena_start_for_testing(std::size_t blocks);

}  // namespace imbal::detail
