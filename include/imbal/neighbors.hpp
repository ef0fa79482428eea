// Exact k-nearest-neighbour search: the engine under SMOTE, ENN, Tomek links, NearMiss, ...
//
// Results equal the plain definition, bit for bit: the distance between rows a and b is
//     sqrt(sum_j (a_j - b_j)^2), accumulated in column order in double, each square rounded
//     separately (no fused multiply-add),
// and the k neighbours of a query are the first k points in the order (squared distance, index)
// (the square root is only taken for the reported distances: two squared distances one ulp
// apart can share a root, and the order stays the squared one).
// Both backends (a kd-tree over nanoflann and a blocked brute force with matrix-product
// distances) only *select candidates* with their own arithmetic, keep a proven error margin,
// and re-rank the candidates with that exact formula. See docs/neighbors.md.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "imbal/matrix.hpp"

namespace imbal {

enum class NeighborBackend {
  Auto,        ///< chosen per query call from (points, dimension, k, queries): see docs/neighbors.md
  KdTree,      ///< kd-tree (nanoflann 1.4), best in low dimension
  BruteForce,  ///< blocked matrix-product brute force, best in higher dimension / large k
};

/// Short name of a backend ("auto", "kd-tree", "brute-force").
const char* to_string(NeighborBackend backend);

struct NeighborOptions {
  NeighborBackend backend = NeighborBackend::Auto;
  /// Worker threads for queries; 0 or negative = all cores (std::thread::hardware_concurrency).
  /// Results never depend on it.
  int n_jobs = 0;
  /// Report squared distances in Neighbors::distance: the exact sums of
  /// squared_euclidean_distance, bit for bit, before any square root (k-means keeps them as the
  /// rows' distances to their centre).
  bool squared = false;
};

/// Result of a k-NN query: row-major n_queries x k.
struct Neighbors {
  std::size_t n_queries = 0;
  std::size_t k = 0;
  /// Indices of the neighbours: row numbers of the matrix the index was built from (for a
  /// subset index too). Ascending by (squared distance, index) within each query row: two squared
  /// distances one ulp apart may have the same square root, and the order is then still the
  /// squared distances' one.
  std::vector<std::size_t> index;
  /// Euclidean distances (not squared, unless NeighborOptions::squared), same layout as `index`.
  std::vector<double> distance;

  /// Neighbour indices of query i.
  std::span<const std::size_t> indices(std::size_t i) const { return {index.data() + i * k, k}; }
  /// Neighbour distances of query i.
  std::span<const double> distances(std::size_t i) const { return {distance.data() + i * k, k}; }
  /// Index of the j-th neighbour (0 = nearest) of query i.
  std::size_t operator()(std::size_t i, std::size_t j) const { return index[i * k + j]; }
};

/// Squared Euclidean distance by the exact definition used everywhere in imbal: column order,
/// double, each square rounded separately. `euclidean_distance` is its square root.
double squared_euclidean_distance(std::span<const double> a, std::span<const double> b);
double euclidean_distance(std::span<const double> a, std::span<const double> b);

/// An index over a set of points for exact k-NN queries.
///
/// The index keeps a *view*: the matrix behind `points` is not copied and must outlive the
/// index and stay unchanged. (The brute-force backend keeps its own packed copy as well; the
/// exact re-ranking reads the original rows.)
///
/// Thread safety: `query` and `query_rows` may be called concurrently on one index. Auxiliary
/// structures (the kd-tree, the packed copy) are built on first use, once.
class NeighborIndex {
 public:
  /// Indexes every row of `points`. Throws InvalidArgument on an empty set, zero columns,
  /// non-finite values or values of magnitude above 1e100 (their squares would overflow).
  explicit NeighborIndex(MatrixView points, NeighborOptions options = {});

  /// Indexes only the rows `subset` of `points` (e.g. the minority class); results report row
  /// numbers of `points`, and ties are broken by those row numbers. `subset` must be non-empty,
  /// in range and free of repeats; it is copied.
  NeighborIndex(MatrixView points, std::span<const std::size_t> subset,
                NeighborOptions options = {});

  ~NeighborIndex();
  NeighborIndex(NeighborIndex&&) noexcept;
  NeighborIndex& operator=(NeighborIndex&&) noexcept;
  NeighborIndex(const NeighborIndex&) = delete;
  NeighborIndex& operator=(const NeighborIndex&) = delete;

  /// Number of indexed points.
  std::size_t size() const;
  /// Number of columns.
  std::size_t dim() const;
  /// Row numbers (of the matrix given to the constructor) of the indexed points, in index order.
  std::span<const std::size_t> ids() const;
  /// Whether row `row` of the constructor's matrix is one of the indexed points.
  bool contains(std::size_t row) const;

  /// The k nearest indexed points of each row of `queries` (same number of columns).
  Neighbors query(MatrixView queries, std::size_t k) const;

  /// The same answer as query(queries, k), given for each query i a guess `bounds[i]` of the
  /// squared distance of its k-th nearest point that is at least that distance (e.g. the
  /// squared distances to k points known to be near: their largest). The brute-force backend then
  /// skips the bookkeeping of points farther than the guess (much faster when the indexed points
  /// are few, e.g. cluster centres). A guess that is too small (or NaN) costs a second,
  /// exhaustive search for that query, never a wrong answer; +infinity means no guess.
  /// `bounds` has one value per query row.
  Neighbors query(MatrixView queries, std::size_t k, std::span<const double> bounds) const;

  /// The k nearest indexed points of rows `rows` of the constructor's matrix. With
  /// `exclude_self`, a query row that is itself indexed is left out of its own answer *by its
  /// index*: a duplicate of it (another row with the same values) is kept, at distance 0.
  /// Rows need not be indexed (e.g. majority rows queried against a minority subset index).
  Neighbors query_rows(std::span<const std::size_t> rows, std::size_t k,
                       bool exclude_self = true) const;

  /// The backend `query`/`query_rows` would use for `n_queries` queries of k neighbours.
  NeighborBackend backend_for(std::size_t n_queries, std::size_t k) const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

/// The automatic choice (never returns Auto): kd-tree for low dimension and small k when
/// there are enough queries to pay for building the tree, brute force otherwise. `tree_built`:
/// whether the tree already exists (no build cost to pay).
NeighborBackend choose_neighbor_backend(std::size_t n_points, std::size_t dim,
                                        std::size_t n_queries, std::size_t k, bool tree_built);

}  // namespace imbal
