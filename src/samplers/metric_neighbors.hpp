// Exact k-nearest neighbours under a caller-given distance, for metrics the Euclidean engine
// (include/imbal/neighbors.hpp) cannot serve: SMOTE-NC's mixed distance and SMOTEN's Value
// Difference Metric. Same rules as the engine: each point excluded from its own answer by its
// index (a duplicate stays, at distance 0), ties broken by (distance, index), the answer
// independent of the thread count. Brute force in query blocks over all threads; memory
// O(n * k) (no n x n matrix).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <limits>
#include <thread>
#include <vector>

#include "core/parallel.hpp"

namespace imbal::detail {

/// The k nearest points (local indices in [0, n)) of every point q in [0, n) under
/// `dist(q, j, limit)`, q itself excluded. `dist` is pure (called concurrently) and returns the
/// distance, or - its early exit - any value >= `limit` once it knows the distance is >= limit
/// (a sum of non-negative terms may stop as soon as the partial sum reaches it: rounding to
/// nearest never makes a sum smaller when a non-negative term is added, so this is exact).
/// Output row-major n x k in `index` / `distance`, ascending by (distance, index).
template <class Dist>
void exact_neighbors_by(std::size_t n, std::size_t k, int n_jobs, const Dist& dist,
                        std::vector<std::size_t>& index, std::vector<double>& distance) {
  index.assign(n * k, 0);
  distance.assign(n * k, 0.0);
  if (k == 0 || n == 0) return;
  // Query blocks of kBlock rows (the unit of work of a thread) meet candidate blocks of
  // kCandidates rows, so a candidate block is read from memory once per query block while it
  // sits in cache. Each query still sees its candidates in increasing index.
  constexpr std::size_t kBlock = 32;
  constexpr std::size_t kCandidates = 256;
  const std::size_t n_blocks = (n + kBlock - 1) / kBlock;
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    std::vector<std::size_t> filled(kBlock);
    for (std::size_t b = next.fetch_add(1); b < n_blocks; b = next.fetch_add(1)) {
      const std::size_t begin = b * kBlock;
      const std::size_t end = std::min(n, begin + kBlock);
      std::fill(filled.begin(), filled.end(), std::size_t{0});
      for (std::size_t j0 = 0; j0 < n; j0 += kCandidates) {
        const std::size_t j1 = std::min(n, j0 + kCandidates);
        for (std::size_t q = begin; q < end; ++q) {
          std::size_t* best_i = index.data() + q * k;
          double* best_d = distance.data() + q * k;
          std::size_t& count = filled[q - begin];
          // Candidates come in increasing index, so a candidate at the same distance as the
          // current k-th never displaces it: "strictly closer" implements ties by index.
          for (std::size_t j = j0; j < j1; ++j) {
            if (j == q) continue;
            const double limit = count == k ? best_d[k - 1] : std::numeric_limits<double>::infinity();
            const double d = dist(q, j, limit);
            if (!(d < limit)) continue;
            std::size_t pos = count < k ? count++ : k - 1;
            while (pos > 0 && d < best_d[pos - 1]) {
              best_d[pos] = best_d[pos - 1];
              best_i[pos] = best_i[pos - 1];
              --pos;
            }
            best_d[pos] = d;
            best_i[pos] = j;
          }
        }
      }
    }
  };
  const std::size_t hw = std::max(1U, std::thread::hardware_concurrency());
  const std::size_t jobs = std::min<std::size_t>(n_jobs > 0 ? static_cast<std::size_t>(n_jobs) : hw, n_blocks);
  run_on_threads(jobs, work);
}

}  // namespace imbal::detail
