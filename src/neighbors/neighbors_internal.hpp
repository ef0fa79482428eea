// Internals of the k-NN engine shared by neighbors.cpp (API, validation, backend choice,
// threading), brute_force.cpp and kdtree_nanoflann.cpp. Not installed.
#pragma once

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "imbal/cancel.hpp"
#include "imbal/error.hpp"
#include "imbal/matrix.hpp"
#include "imbal/neighbors.hpp"

namespace imbal::nn {

inline constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
/// Unit roundoff of double, 2^-53.
inline constexpr double kUnit = 0x1p-53;
/// "No threshold yet": larger than any squared distance of accepted data (|x| <= 1e100, so a
/// squared distance is at most ~4e200 * d), yet finite so that threshold arithmetic never
/// produces inf - inf.
inline constexpr double kAcceptAll = 1e300;
/// Largest accepted magnitude of a coordinate.
inline constexpr double kMaxAbsValue = 1e100;

/// Keeps a computed square from being fused into the following addition (an FMA would round
/// differently from the definition); costs nothing.
inline double opaque(double x) {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  asm("" : "+x"(x));
#elif defined(__GNUC__) && defined(__aarch64__)
  asm("" : "+w"(x));
#endif
  return x;
}

/// The exact squared distance: sum over columns in order, in double, each square rounded.
/// Every distance imbal reports is sqrt of this.
inline double exact_sq(const double* a, const double* b, std::size_t d) {
  double s = 0.0;
  for (std::size_t j = 0; j < d; ++j) {
    const double t = a[j] - b[j];
    s += opaque(t * t);
  }
  return s;
}

/// A batch of queries: row i is `source.row(rows ? rows[i] : i)`; query i must not report the
/// indexed point `self[i]` (local position in the index; kNone = none).
struct QueryBatch {
  MatrixView source;
  const std::size_t* rows = nullptr;
  const std::size_t* self = nullptr;
  std::size_t count = 0;
  const double* bounds = nullptr;  // per query: a guess >= the k-th squared distance, or null

  const double* row(std::size_t i) const { return source.row(rows != nullptr ? rows[i] : i); }
  std::size_t self_of(std::size_t i) const { return self != nullptr ? self[i] : kNone; }
  double bound_of(std::size_t i) const {
    return bounds != nullptr ? bounds[i] : std::numeric_limits<double>::infinity();
  }
};

/// Where query i's answer goes: index[i*k .. i*k+k), distance[...] (row ids and distances).
struct Output {
  std::size_t k = 0;
  std::size_t* index = nullptr;
  double* distance = nullptr;
  bool squared = false;  // squared distances (NeighborOptions::squared)
};

/// Hands out [begin, end) chunks of queries to worker threads.
class ChunkQueue {
 public:
  ChunkQueue(std::size_t total, std::size_t chunk) : total_(total), chunk_(chunk) {}
  std::size_t chunk() const { return chunk_; }
  bool pop(std::size_t& begin, std::size_t& end) {
    throw_if_cancelled();  // Ctrl-C from the Python module (imbal/cancel.hpp)
    begin = next_.fetch_add(chunk_, std::memory_order_relaxed);
    if (begin >= total_) return false;
    end = std::min(total_, begin + chunk_);
    return true;
  }

 private:
  std::atomic<std::size_t> next_{0};
  std::size_t total_;
  std::size_t chunk_;
};

/// A candidate: `key` is a bound or a distance (see the users), `local` a position in the index.
struct Candidate {
  double key;
  std::size_t local;
};

/// Column means (summed per fixed block of rows, so the same on any number of threads), the
/// largest |x_j - mean_j| over the points, and whether every value is finite and within
/// +-kMaxAbsValue (the NeighborIndex requirement). One pass, on up to n_jobs threads.
struct ColumnStats {
  std::vector<double> mean;
  double max_abs = 0.0;
  bool values_ok = true;
};
ColumnStats column_stats(const NeighborIndex::Impl& index, int n_jobs);

class Backend {
 public:
  virtual ~Backend() = default;
  /// Answers the queries of the chunks popped from `queue` (one worker's share).
  virtual void search(const QueryBatch& batch, Output out, ChunkQueue& queue) const = 0;
  /// Number of queries per chunk for a batch of n_queries on n_threads threads.
  virtual std::size_t chunk_size(std::size_t n_queries, std::size_t n_threads) const = 0;
};

}  // namespace imbal::nn

namespace imbal {

struct NeighborIndex::Impl {
  MatrixView points;                   // the constructor's matrix (not copied)
  std::vector<std::size_t> ids;        // local position -> row of `points`
  std::vector<std::size_t> local_of;   // row -> local position (kNone); only for subsets
  bool subset = false;
  std::optional<nn::ColumnStats> stats;  // computed with the values' check (whole matrices)
  std::size_t n = 0;
  std::size_t d = 0;
  NeighborOptions options;

  mutable std::once_flag kd_once;
  mutable std::once_flag bf_once;
  mutable std::unique_ptr<nn::Backend> kd;
  mutable std::unique_ptr<nn::Backend> bf;

  const double* point(std::size_t local) const { return points.row(ids[local]); }
  std::size_t local(std::size_t row) const { return subset ? local_of[row] : row; }
  bool kd_built() const { return kd != nullptr; }
};

namespace nn {

std::unique_ptr<Backend> make_kdtree(const NeighborIndex::Impl& index);
/// `first_batch`: the number of queries of the call that builds it, `bounded`: whether that call
/// gives the caller's bounds (the 8-bit filter's set-up pays off only for enough work).
std::unique_ptr<Backend> make_brute_force(const NeighborIndex::Impl& index, std::size_t first_batch, bool bounded);

/// Test hook: the micro-kernel used by brute-force backends built from now on: 0 = the best
/// the CPU supports (default), 1 = baseline SSE2, 2 = AVX2 + FMA, 3 = AVX-512 (a kernel the CPU
/// lacks falls back to the best supported one). Returns the kernel that will actually be used.
int set_brute_force_kernel_for_testing(int kernel);

/// Test hook: how many brute-force backends so far turned their 8-bit grid filter off because
/// it flagged too many pairs (the flood fallback).
int brute_force_grid_fallbacks_for_testing();

/// Test hook: how many pairs the 8-bit grid filter has flagged so far, all backends together.
std::size_t brute_force_grid_flagged_for_testing();

/// Test hook: the filter precision of brute-force backends built from now on: 0 = automatic
/// (the 8-bit grid filter where it pays and the CPU has AVX-512 VNNI, else float when the data's
/// scale allows it), 1 = double, 2 = float whenever the data's scale
/// allows it, 3 = the 8-bit grid filter whatever the dimension (with the portable kernel on CPUs
/// without AVX-512 VNNI, so its logic is tested everywhere). Results never depend on it.
int set_brute_force_precision_for_testing(int precision);

/// Test hook: true = brute-force backends built from now on run the 8-bit grid filter's portable
/// kernel (the same flagged pairs as the VNNI one, slower) wherever they would use the grid, and
/// may use it in automatic mode on any CPU; false = the VNNI kernel, only on CPUs that have it.
void set_brute_force_grid_kernel_for_testing(bool portable);

/// Final step shared by both backends: `cands` hold (exact squared distance, local) of a
/// superset of the answer that contains every point at or below the k-th exact distance.
/// Writes the first k by (distance, row id) to out row `q`. Reorders `cands`.
inline void write_best(const NeighborIndex::Impl& index, std::vector<Candidate>& cands,
                       Output out, std::size_t q) {
  const std::size_t k = out.k;
  IMBAL_ASSERT(cands.size() >= k);
  const auto& ids = index.ids;
  const auto less = [&ids](const Candidate& a, const Candidate& b) {
    return a.key < b.key || (a.key == b.key && ids[a.local] < ids[b.local]);
  };
  if (cands.size() > k) {
    std::partial_sort(cands.begin(), cands.begin() + static_cast<std::ptrdiff_t>(k), cands.end(),
                      less);
  } else {
    std::sort(cands.begin(), cands.end(), less);
  }
  for (std::size_t j = 0; j < k; ++j) {
    out.index[q * k + j] = ids[cands[j].local];
    out.distance[q * k + j] = out.squared ? cands[j].key : std::sqrt(cands[j].key);
  }
}

}  // namespace nn
}  // namespace imbal
