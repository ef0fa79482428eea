// kd-tree backend over Debian's nanoflann 1.4.3 (header version 0x142). Every nanoflann call
// of imbal is in this file.
//
// The kd-tree: Friedman, Bentley & Finkel, "An algorithm for finding best matches in
// logarithmic expected time", ACM TOMS 3(3), 1977; nanoflann adds the incremental
// distance-to-cell bound of Arya & Mount (1993).
//
// Exactness. nanoflann's own KNNResultSet keeps the first k points it meets among equal
// distances (not the smallest indices), and its pruning compares floating-point lower bounds.
// We pass our own result set instead:
//   - the distance functor computes the exact definition (nn::exact_sq: column order, each
//     square rounded), so every distance nanoflann reports is already the final value;
//   - the result set keeps the k best points by (distance, row id) -- nanoflann's own keeps
//     the first met among equal distances;
//   - worstDist() (nanoflann's pruning radius) is the k-th distance inflated by a relative
//     margin that bounds the rounding of nanoflann's incremental cell bounds (the error grows
//     with the tree depth and the dimension), plus an absolute margin for underflow, so no cell
//     holding a point at the k-th distance is pruned;
//   - the query's own row is skipped by index when excluded.
// Every point at or below the final k-th distance is offered to the result set, which keeps
// the first k by (distance, row id): the plain definition's answer.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <numeric>
#include <vector>

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wnull-dereference"
#endif
#include <nanoflann.hpp>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#include "neighbors/neighbors_internal.hpp"

namespace imbal::nn {

namespace {

// Points per leaf; measured on the development machine (docs/neighbors.md).
constexpr std::size_t kLeafSize = 32;
// Queries per chunk handed to a thread.
constexpr std::size_t kChunk = 64;

/// nanoflann's dataset adaptor: contiguous rows (the caller's matrix or our compact copy).
struct Dataset {
  const double* base = nullptr;
  std::size_t stride = 0;
  std::size_t n = 0;

  std::size_t kdtree_get_point_count() const { return n; }
  double kdtree_get_pt(std::size_t idx, std::size_t dim) const { return base[idx * stride + dim]; }
  const double* row(std::size_t idx) const { return base + idx * stride; }
  template <class BBox>
  bool kdtree_get_bbox(BBox& /*bb*/) const {
    return false;
  }
};

/// nanoflann distance functor computing the exact definition.
struct ExactL2 {
  using ElementType = double;
  using DistanceType = double;

  const Dataset& data;
  explicit ExactL2(const Dataset& ds) : data(ds) {}

  double evalMetric(const double* a, std::size_t b, std::size_t size) const {
    return exact_sq(a, data.row(b), size);
  }
  template <typename U, typename V>
  double accum_dist(const U a, const V b, std::size_t /*dim*/) const {
    const double t = a - b;
    return t * t;
  }
};


/// Result set for nanoflann's findNeighbors: the k best points so far by (distance, row id),
/// sorted. Points are identified by their position in the tree's storage order; `row_id` maps
/// a position to its row id. Distances are exact, so the k best by (distance, id) among the
/// points seen are final candidates; the margin only widens nanoflann's pruning radius so that
/// cells holding points at exactly the k-th distance (possibly with smaller ids) are visited.
class TiedKnnResultSet {
 public:
  using DistanceType = double;
  using IndexType = std::size_t;
  using CountType = std::size_t;

  TiedKnnResultSet(const std::size_t* row_id, double rel_margin, double abs_margin)
      : row_id_(row_id), rel_margin_(rel_margin), abs_margin_(abs_margin) {}

  void reset(std::size_t k, std::size_t self) {
    k_ = k;
    self_ = self;
    items_.clear();
    worst_ = kAcceptAll;
  }

  // Interface used by nanoflann.
  std::size_t size() const { return items_.size(); }
  bool full() const { return items_.size() >= k_; }
  double worstDist() const { return worst_; }
  bool addPoint(double dist, std::size_t pos) {
    if (pos == self_) return true;
    const std::size_t id = row_id_[pos];
    if (items_.size() == k_ && !before(dist, id, items_.back())) return true;
    if (items_.size() < k_) items_.push_back(Candidate{dist, pos});
    std::size_t i = items_.size() - 1;
    while (i > 0 && before(dist, id, items_[i - 1])) {
      items_[i] = items_[i - 1];
      --i;
    }
    items_[i] = Candidate{dist, pos};
    if (items_.size() == k_) worst_ = items_.back().key * (1.0 + rel_margin_) + abs_margin_;
    return true;
  }

  /// The k best (keys: exact squared distances, `local`: tree positions), in order.
  std::vector<Candidate>& finish() { return items_; }

 private:
  bool before(double dist, std::size_t id, const Candidate& c) const {
    return dist < c.key || (dist == c.key && id < row_id_[c.local]);
  }

  const std::size_t* row_id_;
  double rel_margin_;
  double abs_margin_;
  std::size_t k_ = 0;
  std::size_t self_ = kNone;   // position of the excluded point
  std::vector<Candidate> items_;
  double worst_ = kAcceptAll;  // nanoflann's pruning radius
};

template <class Node>
std::size_t tree_depth(const Node* node) {
  if (node == nullptr) return 0;
  return 1 + std::max(tree_depth(node->child1), tree_depth(node->child2));
}

/// DIM > 0: dimension fixed at compile time (nanoflann unrolls its loops); -1: any.
template <int DIM>
class KdTreeBackend final : public Backend {
  using Tree = nanoflann::KDTreeSingleIndexAdaptor<ExactL2, Dataset, DIM, std::size_t>;

 public:
  explicit KdTreeBackend(const NeighborIndex::Impl& index) : index_(index) {
    const std::size_t n = index.n;
    const std::size_t d = index.d;
    std::vector<double> copy(n * d);
    for (std::size_t i = 0; i < n; ++i) std::copy_n(index.point(i), d, copy.data() + i * d);
    data_ = Dataset{copy.data(), d, n};
    tree_ = std::make_unique<Tree>(static_cast<int>(d), data_,
                                   nanoflann::KDTreeSingleIndexAdaptorParams(kLeafSize));
    // Store the points in the tree's leaf order, so that a leaf is one contiguous block, and
    // make nanoflann's index array the identity: its "indices" are then storage positions.
    order_.assign(tree_->vAcc.begin(), tree_->vAcc.end());
    position_.assign(n, 0);
    storage_.resize(n * d);
    for (std::size_t pos = 0; pos < n; ++pos) {
      std::copy_n(copy.data() + order_[pos] * d, d, storage_.data() + pos * d);
      position_[order_[pos]] = pos;
    }
    row_id_.resize(n);
    for (std::size_t pos = 0; pos < n; ++pos) row_id_[pos] = index.ids[order_[pos]];
    std::iota(tree_->vAcc.begin(), tree_->vAcc.end(), std::size_t{0});
    data_.base = storage_.data();
    // nanoflann's cell bound is updated incrementally along the path (one add and one
    // subtract per level) from squares of rounded differences; its relative error is below
    // (2 * depth + d + 4) units of roundoff. Take four times that, plus an absolute margin for
    // gradual underflow (DBL_MIN rather than denorm_min: larger is safe, and subnormal
    // arithmetic is slow on x86).
    const double ops = static_cast<double>(2 * tree_depth(tree_->root_node) + d + 4);
    rel_margin_ = 4.0 * ops * kUnit;
    abs_margin_ = 4.0 * ops * std::numeric_limits<double>::min();
  }

  std::size_t chunk_size(std::size_t /*n_queries*/, std::size_t /*n_threads*/) const override {
    return kChunk;
  }

  void search(const QueryBatch& batch, Output out, ChunkQueue& queue) const override {
    TiedKnnResultSet result(row_id_.data(), rel_margin_, abs_margin_);
    const nanoflann::SearchParams params(32, 0.0F, false);
    std::size_t begin = 0;
    std::size_t end = 0;
    while (queue.pop(begin, end)) {
      for (std::size_t q = begin; q < end; ++q) {
        const std::size_t self = batch.self_of(q);
        result.reset(out.k, self == kNone ? kNone : position_[self]);
        tree_->findNeighbors(result, batch.row(q), params);
        auto& cands = result.finish();
        for (auto& c : cands) c.local = order_[c.local];
        write_best(index_, cands, out, q);
      }
    }
  }

 private:
  const NeighborIndex::Impl& index_;
  std::vector<double> storage_;       // points in tree order
  std::vector<std::size_t> order_;    // position -> local
  std::vector<std::size_t> row_id_;   // position -> row id
  std::vector<std::size_t> position_; // local -> position
  Dataset data_;
  std::unique_ptr<Tree> tree_;
  double rel_margin_ = 0.0;
  double abs_margin_ = 0.0;
};

}  // namespace

std::unique_ptr<Backend> make_kdtree(const NeighborIndex::Impl& index) {
  // Compile-time dimensions for the low dimensions where the kd-tree is chosen.
  switch (index.d) {
    case 1:
      return std::make_unique<KdTreeBackend<1>>(index);
    case 2:
      return std::make_unique<KdTreeBackend<2>>(index);
    case 3:
      return std::make_unique<KdTreeBackend<3>>(index);
    case 4:
      return std::make_unique<KdTreeBackend<4>>(index);
    case 5:
      return std::make_unique<KdTreeBackend<5>>(index);
    case 6:
      return std::make_unique<KdTreeBackend<6>>(index);
    case 7:
      return std::make_unique<KdTreeBackend<7>>(index);
    case 8:
      return std::make_unique<KdTreeBackend<8>>(index);
    default:
      return std::make_unique<KdTreeBackend<-1>>(index);
  }
}

}  // namespace imbal::nn
