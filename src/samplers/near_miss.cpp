// near-miss: NearMiss under-sampling (Mani & Zhang, "kNN approach to unbalanced data
// distributions: a case study involving information extraction", ICML 2003 Workshop on
// Learning from Imbalanced Datasets), as imbalanced-learn's NearMiss (0.10) does it.
//
// Every targeted class keeps n_out of its rows, scored against the rows of the minority class
// (the smallest class; on a tie, the one whose first row comes first, as imbalanced-learn's
// Counter order gives):
//   version 1: score = sum of the distances to the n_neighbors NEAREST minority rows; keep the
//              n_out rows with the smallest scores;
//   version 2: score = sum of the distances to the n_neighbors FARTHEST minority rows; keep the
//              n_out smallest (all minority rows when n_neighbors exceeds their number);
//   version 3: candidates = the rows of the class among the n_neighbors_ver3 nearest rows of
//              the class of some minority row; score candidates as version 1 and keep the n_out
//              LARGEST scores. Fewer candidates than n_out: all are kept and a warning says so.
// Scores are sums of Euclidean distances in ascending order with numpy's pairwise summation
// (imbalanced-learn's np.sum), so that equal distance multisets give equal scores; ties between
// scores go to the lower row index (Python's stable sort). Kept rows are listed in input order.
//
// Memory: version 2 never holds the n_class x n_minority distance matrix imbalanced-learn builds
// (1.7 GB at 100k rows): a blocked, multi-threaded scan keeps the k largest (squared distance,
// index) pairs per row.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <thread>

#include "imbal/error.hpp"
#include "imbal/neighbors.hpp"
#include "imbal/sampler.hpp"
#include "samplers/interpolation.hpp"
#include "samplers/near_miss.hpp"

namespace imbal {

namespace {

constexpr const char* kMethod = "near-miss";

// Keeps a value in a register so the compiler cannot fuse the square into the following
// addition (an FMA rounds differently from the exact definition of the distance).
template <class T>
inline T opaque(T x) {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  asm("" : "+x"(x));
#elif defined(__GNUC__) && defined(__aarch64__)
  asm("" : "+w"(x));
#endif
  return x;
}

std::string class_words(const SamplerInput& in, std::int32_t label) {
  std::string name = in.class_name(label);
  return name.rfind("class ", 0) == 0 ? name : std::string("class ").append(name);
}

}  // namespace

namespace detail {


std::int32_t minority_class(const SamplerInput& in) {
  std::int32_t best = -1;
  for (std::size_t c = 0; c < in.n_classes; ++c) {
    const auto& rows = in.class_rows[c];
    if (rows.empty()) continue;
    if (best < 0) {
      best = static_cast<std::int32_t>(c);
      continue;
    }
    const auto& b = in.class_rows[static_cast<std::size_t>(best)];
    if (rows.size() < b.size() || (rows.size() == b.size() && rows.front() < b.front())) {
      best = static_cast<std::int32_t>(c);
    }
  }
  IMBAL_ASSERT(best >= 0);
  return best;
}

std::vector<double> farthest_distance_sums(MatrixView X, std::span<const std::size_t> queries,
                                           std::span<const std::size_t> pool, std::size_t k, int n_jobs) {
  IMBAL_ASSERT(!pool.empty());
  k = std::min(k, pool.size());
  const std::size_t d = X.cols;
  const std::size_t n_pool = pool.size();
  // The pool packed by tiles of kTile rows, each tile column-major (d x kTile), so that the
  // inner loop runs over pool rows with two lanes at a time.
  constexpr std::size_t kTile = 256;
  const std::size_t n_tiles = (n_pool + kTile - 1) / kTile;
  std::vector<double> packed(n_tiles * d * kTile, 0.0);
  for (std::size_t p = 0; p < n_pool; ++p) {
    const double* row = X.row(pool[p]);
    double* tile = packed.data() + (p / kTile) * d * kTile;
    for (std::size_t j = 0; j < d; ++j) tile[j * kTile + p % kTile] = row[j];
  }
  std::vector<double> scores(queries.size());
  std::atomic<std::size_t> next{0};
  constexpr std::size_t kChunk = 16;
  // Queries go by groups of kGroup: each pool value loaded is used by every query of the group,
  // and a group's accumulators stay in registers (sum over columns in order, squares rounded).
  constexpr std::size_t kGroup = 4;
  auto worker = [&]() {
    typedef double v2d __attribute__((vector_size(16)));
    // Per query of the group: a min-heap of the k largest squared distances seen so far (only
    // the values matter: the score depends on the multiset of the k largest distances, not on
    // which of several equidistant rows is counted) and its smallest value (-1 until full).
    std::vector<double> heaps[kGroup];
    double threshold[kGroup];
    for (auto& h : heaps) h.reserve(k);
    const auto greater = std::greater<double>();
    std::vector<v2d> abroad(kGroup * d);  // each query's columns, broadcast to both lanes
    std::vector<double> dist(k);
    const auto offer = [&](std::size_t g, double sq) {
      auto& heap = heaps[g];
      if (heap.size() < k) {
        heap.push_back(sq);
        std::push_heap(heap.begin(), heap.end(), greater);
        if (heap.size() == k) threshold[g] = heap.front();
      } else {
        std::pop_heap(heap.begin(), heap.end(), greater);
        heap.back() = sq;
        std::push_heap(heap.begin(), heap.end(), greater);
        threshold[g] = heap.front();
      }
    };
    for (;;) {
      const std::size_t begin = next.fetch_add(kChunk, std::memory_order_relaxed);
      if (begin >= queries.size()) break;
      const std::size_t end = std::min(queries.size(), begin + kChunk);
      for (std::size_t q0 = begin; q0 < end; q0 += kGroup) {
        const std::size_t group = std::min(kGroup, end - q0);
        for (std::size_t g = 0; g < kGroup; ++g) {
          // Missing members of a short group repeat the first query (results discarded).
          const double* a = X.row(queries[q0 + (g < group ? g : 0)]);
          for (std::size_t j = 0; j < d; ++j) abroad[g * d + j] = v2d{a[j], a[j]};
          heaps[g].clear();
          threshold[g] = -1.0;
        }
        const v2d* a0 = abroad.data();
        const v2d* a1 = a0 + d;
        const v2d* a2 = a1 + d;
        const v2d* a3 = a2 + d;
        for (std::size_t t = 0; t < n_tiles; ++t) {
          const double* tile = packed.data() + t * d * kTile;
          const std::size_t count = std::min(kTile, n_pool - t * kTile);
          for (std::size_t i = 0; i < count; i += 2) {
            v2d s0 = {0.0, 0.0};
            v2d s1 = s0;
            v2d s2 = s0;
            v2d s3 = s0;
            const double* col = tile + i;
            for (std::size_t j = 0; j < d; ++j, col += kTile) {
              v2d b;
              __builtin_memcpy(&b, col, sizeof b);
              const v2d e0 = a0[j] - b;
              const v2d e1 = a1[j] - b;
              const v2d e2 = a2[j] - b;
              const v2d e3 = a3[j] - b;
              s0 += opaque(e0 * e0);
              s1 += opaque(e1 * e1);
              s2 += opaque(e2 * e2);
              s3 += opaque(e3 * e3);
            }
            const v2d sums[kGroup] = {s0, s1, s2, s3};
            const std::size_t lanes = std::min<std::size_t>(2, count - i);
            for (std::size_t g = 0; g < group; ++g) {
              for (std::size_t lane = 0; lane < lanes; ++lane) {
                const double sq = sums[g][lane];
                if (sq > threshold[g]) offer(g, sq);
              }
            }
          }
        }
        for (std::size_t g = 0; g < group; ++g) {
          for (std::size_t i = 0; i < k; ++i) dist[i] = heaps[g][i];
          std::sort(dist.begin(), dist.end());
          for (auto& v : dist) v = std::sqrt(v);
          scores[q0 + g] = numpy_pairwise_sum(dist.data(), k);
        }
      }
    }
  };
  const std::size_t n_threads =
      std::max<std::size_t>(1, std::min<std::size_t>(static_cast<std::size_t>(std::max(1, n_jobs)),
                                                      (queries.size() + kChunk - 1) / kChunk));
  std::vector<std::thread> threads;
  for (std::size_t t = 1; t < n_threads; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  return scores;
}

}  // namespace detail

namespace {

// Sums of the distances to the k nearest rows of `index` (ascending, numpy's summation).
std::vector<double> nearest_distance_sums(const NeighborIndex& index, std::span<const std::size_t> rows,
                                          std::size_t k) {
  const Neighbors nn = index.query_rows(rows, k, /*exclude_self=*/false);
  std::vector<double> scores(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) scores[i] = detail::numpy_pairwise_sum(nn.distances(i).data(), k);
  return scores;
}

// Positions (into `scores`) of the `n` best scores: smallest first (or largest first when
// `largest`), ties to the lower position; returned in ascending position order.
std::vector<std::size_t> select_best(const std::vector<double>& scores, std::size_t n, bool largest) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  n = std::min(n, order.size());
  const auto better = [&](std::size_t a, std::size_t b) {
    if (scores[a] != scores[b]) return largest ? scores[a] > scores[b] : scores[a] < scores[b];
    return a < b;
  };
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(), better);
  order.resize(n);
  std::sort(order.begin(), order.end());
  return order;
}

class NearMiss final : public Sampler {
 public:
  using Sampler::Sampler;
  SamplingType sampling_type() const override { return SamplingType::UnderSampling; }

 protected:
  SamplerOutput resample(const SamplerInput& in, const ResamplePlan& plan) override {
    detail::require_numeric_features(in, kMethod);
    const auto version = params().get_int("version");
    const auto k = static_cast<std::size_t>(params().get_int("n_neighbors"));
    const auto k3 = static_cast<std::size_t>(params().get_int("n_neighbors_ver3"));
    const std::int32_t minority = detail::minority_class(in);
    const auto& min_rows = in.class_rows[static_cast<std::size_t>(minority)];
    NeighborOptions nn_options;
    nn_options.n_jobs = in.n_jobs;

    const bool any_targeted = std::any_of(plan.classes.begin(), plan.classes.end(),
                                          [](const ClassPlan& c) { return c.targeted; });
    if (any_targeted && version != 2 && k > min_rows.size()) {
      throw InvalidArgument(std::string(kMethod) + ": n_neighbors=" + std::to_string(k) + " but the minority " +
                            class_words(in, minority) + " has only " + std::to_string(min_rows.size()) +
                            " rows; version " + std::to_string(version) +
                            " averages the distances to the n_neighbors nearest minority rows, so n_neighbors "
                            "must be at most " + std::to_string(min_rows.size()));
    }
    std::unique_ptr<NeighborIndex> minority_index;
    if (any_targeted && version != 2) {
      minority_index = std::make_unique<NeighborIndex>(in.X, min_rows, nn_options);
    }

    SamplerOutput out;
    out.indices.reserve(plan.total_out());
    for (const auto& cls : plan.classes) {
      const auto& rows = in.class_rows[static_cast<std::size_t>(cls.label)];
      if (!cls.targeted) {
        out.indices.insert(out.indices.end(), rows.begin(), rows.end());
        continue;
      }
      std::vector<std::size_t> kept;
      if (version == 1) {
        const auto scores = nearest_distance_sums(*minority_index, rows, k);
        for (const auto p : select_best(scores, cls.n_out, false)) kept.push_back(rows[p]);
      } else if (version == 2) {
        const auto scores = detail::farthest_distance_sums(in.X, rows, min_rows, k, in.n_jobs);
        for (const auto p : select_best(scores, cls.n_out, false)) kept.push_back(rows[p]);
      } else {
        if (k3 > rows.size()) {
          throw InvalidArgument(std::string(kMethod) + ": n_neighbors_ver3=" + std::to_string(k3) + " but " +
                                class_words(in, cls.label) + " has only " + std::to_string(rows.size()) +
                                " rows; version 3 first keeps the n_neighbors_ver3 nearest rows of the class of "
                                "every minority row, so n_neighbors_ver3 must be at most " +
                                std::to_string(rows.size()));
        }
        const NeighborIndex class_index(in.X, rows, nn_options);
        const Neighbors near = class_index.query_rows(min_rows, k3, /*exclude_self=*/false);
        std::vector<std::size_t> candidates(near.index.begin(), near.index.end());
        std::sort(candidates.begin(), candidates.end());
        candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
        const auto scores = nearest_distance_sums(*minority_index, candidates, k);
        for (const auto p : select_best(scores, cls.n_out, true)) kept.push_back(candidates[p]);
        if (candidates.size() < cls.n_out) {
          out.warnings.push_back(std::string(kMethod) + ": version 3 keeps " + std::to_string(candidates.size()) +
                                 " rows of " + class_words(in, cls.label) + ", fewer than the " +
                                 std::to_string(cls.n_out) + " requested: only these rows are among the "
                                 "n_neighbors_ver3=" + std::to_string(k3) +
                                 " nearest rows of the class of some minority row (raise n_neighbors_ver3 to "
                                 "keep more)");
        }
      }
      std::sort(kept.begin(), kept.end());
      out.indices.insert(out.indices.end(), kept.begin(), kept.end());
    }
    return out;
  }
};

}  // namespace

namespace detail {

const MethodSchema& near_miss_schema() {
  static const MethodSchema schema{
      kMethod,
      "NearMiss",
      "under_sampling",
      "under-sampling",
      "Keep the rows of each class nearest to the minority class (by the distances to their nearest or farthest "
      "minority rows).",
      "Mani & Zhang, kNN approach to unbalanced data distributions: a case study involving information "
      "extraction, ICML 2003 Workshop on Learning from Imbalanced Datasets",
      {ParamSpec{"version", ParamType::Int, std::int64_t{1},
                 "1: smallest mean distance to the n_neighbors nearest minority rows; 2: to the n_neighbors "
                 "farthest; 3: among the n_neighbors_ver3 nearest rows of each minority row, the largest mean "
                 "distance to the n_neighbors nearest minority rows",
                 false, 1.0, 3.0, false, false, {}},
       ParamSpec{"n_neighbors", ParamType::Int, std::int64_t{3},
                 "Minority rows whose distances are averaged to score a row", false, 1.0, std::nullopt, false,
                 false, {}},
       ParamSpec{"n_neighbors_ver3", ParamType::Int, std::int64_t{3},
                 "Version 3: nearest rows of the class kept around each minority row before scoring", false, 1.0,
                 std::nullopt, false, false, {}}},
      /*provides_sample_indices=*/true};
  return schema;
}

std::unique_ptr<Sampler> near_miss_create(Params params, SamplerOptions options) {
  return std::make_unique<NearMiss>(near_miss_schema(), std::move(params), std::move(options));
}

}  // namespace detail
}  // namespace imbal
