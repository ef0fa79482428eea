// Public API of the exact k-NN engine: validation, backend choice, threading.
// The backends live in brute_force.cpp and kdtree_nanoflann.cpp.
#include <algorithm>
#include <cmath>
#include <exception>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "imbal/error.hpp"
#include "imbal/neighbors.hpp"
#include "core/parallel.hpp"
#include "core/value_scan.hpp"
#include "neighbors/neighbors_internal.hpp"

namespace imbal {

namespace {

void check_view(MatrixView m, const char* what) {
  if (m.rows > 0 && m.data == nullptr) {
    throw InvalidArgument(std::string(what) + ": null data pointer with " +
                          std::to_string(m.rows) + " rows");
  }
  if (m.rows > 1 && m.stride < m.cols) {
    throw InvalidArgument(std::string(what) + ": row stride " + std::to_string(m.stride) +
                          " is smaller than the number of columns " + std::to_string(m.cols));
  }
}

// Non-finite values would make the (distance, index) order meaningless; values above 1e100
// would overflow the squared distances.
void check_values(const double* row, std::size_t cols, std::size_t r, const char* what) {
  if (imbal::detail::all_magnitudes_below_pow2(row, cols, 332)) return;  // fast path; 2^332 < 1e100
  for (std::size_t j = 0; j < cols; ++j) {
    const double v = row[j];
    if (!std::isfinite(v)) {
      throw InvalidArgument(std::string(what) + ": row " + std::to_string(r) + ", column " +
                            std::to_string(j) + " is not finite (" + std::to_string(v) + ")");
    }
    if (std::fabs(v) > nn::kMaxAbsValue) {
      throw InvalidArgument(std::string(what) + ": row " + std::to_string(r) + ", column " +
                            std::to_string(j) +
                            " has magnitude above 1e100; squared distances would overflow "
                            "(rescale the data)");
    }
  }
}

// The same for every row: branch-free (vectorised) passes over blocks of contiguous rows, the
// exact cell searched only in a failing block.
void check_all_values(MatrixView m, const char* what) {
  constexpr std::size_t kRowsPerBlock = 256;
  for (std::size_t b = 0; b < m.rows; b += kRowsPerBlock) {
    const std::size_t end = std::min(m.rows, b + kRowsPerBlock);
    // 2^332 < 1e100: values between them take the exact path below.
    if (m.stride == m.cols && imbal::detail::all_magnitudes_below_pow2(m.row(b), (end - b) * m.cols, 332)) continue;
    for (std::size_t i = b; i < end; ++i) check_values(m.row(i), m.cols, i, what);
  }
}

std::size_t resolve_jobs(int n_jobs) {
  if (n_jobs > 0) return static_cast<std::size_t>(n_jobs);
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : hw;
}

// Runs `backend` over the batch with up to n_jobs threads. Each query's answer is exact, so
// the output does not depend on how the queries are split between threads.
void run(const nn::Backend& backend, const nn::QueryBatch& batch, nn::Output out, int n_jobs) {
  const std::size_t jobs = resolve_jobs(n_jobs);
  const std::size_t chunk = backend.chunk_size(batch.count, jobs);
  const std::size_t n_chunks = (batch.count + chunk - 1) / chunk;
  const std::size_t n_threads = std::min(jobs, n_chunks);
  nn::ChunkQueue queue(batch.count, chunk);
  imbal::detail::run_on_threads(n_threads, [&] { backend.search(batch, out, queue); });
}

}  // namespace

const char* to_string(NeighborBackend backend) {
  switch (backend) {
    case NeighborBackend::Auto:
      return "auto";
    case NeighborBackend::KdTree:
      return "kd-tree";
    case NeighborBackend::BruteForce:
      return "brute-force";
  }
  return "?";
}

double squared_euclidean_distance(std::span<const double> a, std::span<const double> b) {
  if (a.size() != b.size()) {
    throw InvalidArgument("squared_euclidean_distance: vectors of different lengths (" +
                          std::to_string(a.size()) + " and " + std::to_string(b.size()) + ")");
  }
  return nn::exact_sq(a.data(), b.data(), a.size());
}

double euclidean_distance(std::span<const double> a, std::span<const double> b) {
  return std::sqrt(squared_euclidean_distance(a, b));
}

// The automatic rule, from the crossover measured on the development machine (2-core Xeon with
// AVX-512, standard normal data, all rows against all rows; docs/neighbors.md has the table):
// the kd-tree wins in low dimension, and the dimension up to which it wins grows with the
// number of points (the brute force costs n per query, the tree about log n):
//   n < 20,000: d <= 4;   20,000 <= n < 100,000: d <= 6;   n >= 100,000: d <= 7.
// Building the tree costs about as much as n / 16 brute-force queries, so with fewer queries
// (and no tree yet) the brute force is used. k >= n / 2 (most of the points): brute force, as
// in scikit-learn.
NeighborBackend choose_neighbor_backend(std::size_t n_points, std::size_t dim,
                                        std::size_t n_queries, std::size_t k, bool tree_built) {
  const std::size_t max_dim = n_points >= 100000 ? 7 : (n_points >= 20000 ? 6 : 4);
  if (dim > max_dim || 2 * k >= n_points) return NeighborBackend::BruteForce;
  if (!tree_built && 16 * n_queries < n_points) return NeighborBackend::BruteForce;
  return NeighborBackend::KdTree;
}

NeighborIndex::NeighborIndex(MatrixView points, NeighborOptions options)
    : impl_(std::make_unique<Impl>()) {
  check_view(points, "NeighborIndex");
  if (points.rows == 0) throw InvalidArgument("NeighborIndex: the point set is empty");
  if (points.cols == 0) throw InvalidArgument("NeighborIndex: the points have no columns");
  impl_->points = points;
  impl_->ids.resize(points.rows);
  std::iota(impl_->ids.begin(), impl_->ids.end(), std::size_t{0});
  impl_->n = points.rows;
  impl_->d = points.cols;
  impl_->options = options;
  // The values are checked in the pass that also gives the brute force its column statistics;
  // a failure is located (row, column) by the plain check.
  nn::ColumnStats stats = nn::column_stats(*impl_, options.n_jobs > 0 ? options.n_jobs : static_cast<int>(resolve_jobs(0)));
  if (!stats.values_ok) check_all_values(points, "NeighborIndex");
  IMBAL_ASSERT(stats.values_ok);
  impl_->stats = std::move(stats);
}

NeighborIndex::NeighborIndex(MatrixView points, std::span<const std::size_t> subset,
                             NeighborOptions options)
    : impl_(std::make_unique<Impl>()) {
  check_view(points, "NeighborIndex");
  if (subset.empty()) throw InvalidArgument("NeighborIndex: the subset of rows is empty");
  if (points.cols == 0) throw InvalidArgument("NeighborIndex: the points have no columns");
  impl_->local_of.assign(points.rows, nn::kNone);
  for (std::size_t i = 0; i < subset.size(); ++i) {
    const std::size_t r = subset[i];
    if (r >= points.rows) {
      throw InvalidArgument("NeighborIndex: subset row " + std::to_string(r) +
                            " is out of range (the matrix has " + std::to_string(points.rows) +
                            " rows)");
    }
    if (impl_->local_of[r] != nn::kNone) {
      throw InvalidArgument("NeighborIndex: row " + std::to_string(r) +
                            " appears twice in the subset");
    }
    impl_->local_of[r] = i;
    check_values(points.row(r), points.cols, r, "NeighborIndex");
  }
  impl_->points = points;
  impl_->ids.assign(subset.begin(), subset.end());
  impl_->subset = true;
  impl_->n = subset.size();
  impl_->d = points.cols;
  impl_->options = options;
}

NeighborIndex::~NeighborIndex() = default;
NeighborIndex::NeighborIndex(NeighborIndex&&) noexcept = default;
NeighborIndex& NeighborIndex::operator=(NeighborIndex&&) noexcept = default;

std::size_t NeighborIndex::size() const { return impl_->n; }
std::size_t NeighborIndex::dim() const { return impl_->d; }
std::span<const std::size_t> NeighborIndex::ids() const { return impl_->ids; }
bool NeighborIndex::contains(std::size_t row) const {
  if (row >= impl_->points.rows) return false;
  return impl_->local(row) != nn::kNone;
}

NeighborBackend NeighborIndex::backend_for(std::size_t n_queries, std::size_t k) const {
  if (impl_->options.backend != NeighborBackend::Auto) return impl_->options.backend;
  return choose_neighbor_backend(impl_->n, impl_->d, n_queries, k, impl_->kd_built());
}

namespace {

const nn::Backend& backend_of(const NeighborIndex::Impl& impl, NeighborBackend b, std::size_t n_queries,
                             bool bounded = false) {
  if (b == NeighborBackend::KdTree) {
    std::call_once(impl.kd_once, [&impl] { impl.kd = nn::make_kdtree(impl); });
    return *impl.kd;
  }
  std::call_once(impl.bf_once,
                 [&impl, n_queries, bounded] { impl.bf = nn::make_brute_force(impl, n_queries, bounded); });
  return *impl.bf;
}

void check_k(std::size_t k, std::size_t available, std::size_t n, bool excluded) {
  if (k == 0) throw InvalidArgument("k-nearest neighbours: k must be at least 1 (got 0)");
  if (k > available) {
    std::string msg = "k-nearest neighbours: k = " + std::to_string(k) +
                      " neighbours requested, but only " + std::to_string(available) +
                      (available == 1 ? " point is" : " points are") + " available";
    if (excluded) {
      msg += " (the index holds " + std::to_string(n) +
             " points and a query row is excluded from its own neighbours)";
    }
    throw InvalidArgument(msg);
  }
}

Neighbors make_result(std::size_t n_queries, std::size_t k) {
  Neighbors res;
  res.n_queries = n_queries;
  res.k = k;
  res.index.resize(n_queries * k);
  res.distance.resize(n_queries * k);
  return res;
}

}  // namespace

Neighbors NeighborIndex::query(MatrixView queries, std::size_t k) const { return query(queries, k, {}); }

Neighbors NeighborIndex::query(MatrixView queries, std::size_t k, std::span<const double> bounds) const {
  check_view(queries, "NeighborIndex::query");
  if (!bounds.empty() && bounds.size() != queries.rows) {
    throw InvalidArgument("NeighborIndex::query: " + std::to_string(bounds.size()) + " bounds for " +
                          std::to_string(queries.rows) + " queries (one per query, or none)");
  }
  if (queries.rows > 0 && queries.cols != impl_->d) {
    throw InvalidArgument("NeighborIndex::query: the queries have " +
                          std::to_string(queries.cols) + " columns but the indexed points have " +
                          std::to_string(impl_->d));
  }
  check_k(k, impl_->n, impl_->n, false);
  check_all_values(queries, "NeighborIndex::query");
  Neighbors res = make_result(queries.rows, k);
  if (queries.rows == 0) return res;
  nn::QueryBatch batch;
  batch.source = queries;
  batch.count = queries.rows;
  batch.bounds = bounds.empty() ? nullptr : bounds.data();
  const auto& backend = backend_of(*impl_, backend_for(queries.rows, k), queries.rows, !bounds.empty());
  run(backend, batch, nn::Output{k, res.index.data(), res.distance.data(), impl_->options.squared}, impl_->options.n_jobs);
  return res;
}

Neighbors NeighborIndex::query_rows(std::span<const std::size_t> rows, std::size_t k,
                                    bool exclude_self) const {
  const std::size_t n_rows = impl_->points.rows;
  std::vector<std::size_t> self;
  bool any_excluded = false;
  if (exclude_self) self.assign(rows.size(), nn::kNone);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i] >= n_rows) {
      throw InvalidArgument("NeighborIndex::query_rows: row " + std::to_string(rows[i]) +
                            " is out of range (the matrix has " + std::to_string(n_rows) +
                            " rows)");
    }
    // Rows outside a subset index were not validated by the constructor.
    if (impl_->subset && impl_->local_of[rows[i]] == nn::kNone) {
      check_values(impl_->points.row(rows[i]), impl_->d, rows[i], "NeighborIndex::query_rows");
    }
    if (exclude_self) {
      self[i] = impl_->local(rows[i]);
      any_excluded = any_excluded || self[i] != nn::kNone;
    }
  }
  check_k(k, any_excluded ? impl_->n - 1 : impl_->n, impl_->n, any_excluded);
  Neighbors res = make_result(rows.size(), k);
  if (rows.empty()) return res;
  nn::QueryBatch batch;
  batch.source = impl_->points;
  batch.rows = rows.data();
  batch.self = any_excluded ? self.data() : nullptr;
  batch.count = rows.size();
  const auto& backend = backend_of(*impl_, backend_for(rows.size(), k), rows.size());
  run(backend, batch, nn::Output{k, res.index.data(), res.distance.data(), impl_->options.squared}, impl_->options.n_jobs);
  return res;
}

}  // namespace imbal
