// k-means: k-means++ seeding (Arthur & Vassilvitskii, SODA 2007) and Lloyd's iterations
// (Lloyd, "Least squares quantization in PCM", IEEE Trans. Inf. Theory 28(2), 1982), following
// scikit-learn 1.2's KMeans(algorithm="lloyd") step by step (include/imbal/kmeans.hpp).
#include "imbal/kmeans.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <string>
#include <thread>

#include "imbal/error.hpp"
#include "imbal/neighbors.hpp"
#include "core/parallel.hpp"
#include "imbal/random.hpp"

namespace imbal {
namespace {

constexpr std::size_t kBlock = 2048;  // rows per block: fixed, so sums do not depend on threads
// Relative safety margin of the triangle-inequality tests (rounding errors are ~1e-15).
constexpr double kMargin = 1e-9;

double sq_dist(const double* a, const double* b, std::size_t d) {
  double s = 0.0;
  for (std::size_t j = 0; j < d; ++j) {
    const double t = a[j] - b[j];
    s += t * t;
  }
  return s;
}

// sq_dist from `a` to up to four rows at once: independent sums, each in column order (the same
// values as sq_dist, more instruction-level parallelism).
void sq_dist4(const double* a, const double* const* b, std::size_t count, std::size_t d, double* out) {
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  const double* b0 = b[0];
  const double* b1 = count > 1 ? b[1] : b[0];
  const double* b2 = count > 2 ? b[2] : b[0];
  const double* b3 = count > 3 ? b[3] : b[0];
  for (std::size_t j = 0; j < d; ++j) {
    const double x = a[j];
    const double t0 = x - b0[j];
    const double t1 = x - b1[j];
    const double t2 = x - b2[j];
    const double t3 = x - b3[j];
    s0 += t0 * t0;
    s1 += t1 * t1;
    s2 += t2 * t2;
    s3 += t3 * t3;
  }
  out[0] = s0;
  if (count > 1) out[1] = s1;
  if (count > 2) out[2] = s2;
  if (count > 3) out[3] = s3;
}

// Runs fn(block) for every block, on up to `jobs` threads.
template <class Fn>
void for_blocks(std::size_t n_blocks, std::size_t jobs, Fn&& fn) {
  const std::size_t n_threads = std::min(jobs, n_blocks);
  if (n_threads <= 1) {
    for (std::size_t b = 0; b < n_blocks; ++b) fn(b);
    return;
  }
  std::atomic<std::size_t> next{0};
  detail::run_on_threads(n_threads, [&] {
    for (std::size_t b = next++; b < n_blocks; b = next++) fn(b);
  });
}

class Runner {
 public:
  Runner(MatrixView X, const KMeansOptions& options)
      : X_(X), n_(X.rows), d_(X.cols), k_(options.n_clusters), options_(options),
        n_blocks_((X.rows + kBlock - 1) / kBlock) {
    const std::size_t hw = std::max(1U, std::thread::hardware_concurrency());
    jobs_ = options.n_jobs > 0 ? static_cast<std::size_t>(options.n_jobs) : hw;
    // An absolute margin for the bounds, far above the rounding that updating them accumulates:
    // 1e-9 of the largest row norm (every centre lies in the rows' convex hull).
    double largest = 0.0;
    for (std::size_t i = 0; i < n_; ++i) {
      double norm = 0.0;
      for (std::size_t j = 0; j < d_; ++j) norm += X_(i, j) * X_(i, j);
      largest = std::max(largest, norm);
    }
    abs_margin_ = kMargin * std::sqrt(largest);
  }

  // scikit-learn's _tolerance: mean of the per-feature variances times tol.
  double scaled_tol() const {
    double total = 0.0;
    for (std::size_t j = 0; j < d_; ++j) {
      double mean = 0.0;
      for (std::size_t i = 0; i < n_; ++i) mean += X_(i, j);
      mean /= static_cast<double>(n_);
      double var = 0.0;
      for (std::size_t i = 0; i < n_; ++i) {
        const double t = X_(i, j) - mean;
        var += t * t;
      }
      total += var / static_cast<double>(n_);
    }
    return total / static_cast<double>(d_) * options_.tol;
  }

  // k-means++ (scikit-learn's _kmeans_plusplus): the first centre uniformly, then each centre
  // the best of 2 + floor(ln k) candidates drawn with probability proportional to the squared
  // distance to the nearest chosen centre; the best lowers the potential (the sum of those
  // distances) most (the first such).
  //
  // Rows are kept in groups by their nearest chosen centre (the owner), with each group's largest
  // squared distance to it. A candidate q can bring a row x nearer only if |q - owner| <
  // 2 |x - owner| (triangle inequality), so a group with |q - c_j|^2 >= 4 max_j is skipped whole,
  // then rows one by one (Elkan 2003's centre-to-centre test): late candidates visit a few groups
  // instead of every row. Without bounds every row is visited: the same sums in the same order,
  // so the same centres bit for bit. Sampling walks per-block sums of the distances, updated
  // only where rows changed.
  Matrix seed_centers(Rng& rng) const {
    constexpr std::size_t kSampleBlock = 128;
    Matrix centers(k_, d_);
    const std::size_t first = static_cast<std::size_t>(rng.below(n_));
    std::copy_n(X_.row(first), d_, centers.row(0));
    const bool bounds = options_.use_bounds;
    std::vector<double> closest(n_);
    std::vector<std::uint32_t> owner(n_, 0);
    std::vector<std::vector<std::uint32_t>> members(k_);
    std::vector<double> radius2(k_, 0.0);  // largest `closest` of each group
    members[0].resize(n_);
    for (std::size_t i = 0; i < n_; ++i) {
      members[0][i] = static_cast<std::uint32_t>(i);
      closest[i] = sq_dist(X_.row(i), centers.row(0), d_);
      radius2[0] = std::max(radius2[0], closest[i]);
    }
    const std::size_t n_sample_blocks = (n_ + kSampleBlock - 1) / kSampleBlock;
    std::vector<double> block_sum(n_sample_blocks, 0.0);
    std::vector<char> dirty(n_sample_blocks, 1);
    auto refresh_sums = [&] {
      for (std::size_t b = 0; b < n_sample_blocks; ++b) {
        if (dirty[b] == 0) continue;
        double sum = 0.0;
        for (std::size_t i = b * kSampleBlock; i < std::min(n_, (b + 1) * kSampleBlock); ++i) sum += closest[i];
        block_sum[b] = sum;
        dirty[b] = 0;
      }
    };
    // First row whose cumulative distance reaches r (numpy's searchsorted, side="left"); whole
    // blocks are skipped by their sums, rows are accumulated one by one from there.
    auto draw = [&](double r) {
      double acc = 0.0;
      std::size_t b = 0;
      while (b + 1 < n_sample_blocks && acc + block_sum[b] < r) acc += block_sum[b++];
      for (std::size_t i = b * kSampleBlock; i < n_; ++i) {
        acc += closest[i];
        if (acc >= r) return i;
      }
      return n_ - 1;
    };
    const std::size_t trials = 2 + static_cast<std::size_t>(std::log(static_cast<double>(k_)));
    std::vector<std::size_t> candidate(trials);
    std::vector<double> gain(trials);
    std::vector<std::vector<std::uint32_t>> nearer(trials);  // rows the candidate is nearer to
    std::vector<char> lost(k_, 0);
    for (std::size_t c = 1; c < k_; ++c) {
      refresh_sums();
      double potential = 0.0;
      for (const double v : block_sum) potential += v;
      for (std::size_t t = 0; t < trials; ++t) candidate[t] = draw(rng.uniform() * potential);
      auto evaluate = [&](std::size_t t) {
        const double* q = X_.row(candidate[t]);
        double total = 0.0;
        auto& rows = nearer[t];
        rows.clear();
        std::array<const double*, 4> batch{};
        std::array<std::uint32_t, 4> batch_rows{};
        std::size_t filled = 0;
        auto flush = [&] {
          double sq[4];
          sq_dist4(q, batch.data(), filled, d_, sq);
          for (std::size_t u = 0; u < filled; ++u) {
            const std::uint32_t i = batch_rows[u];
            if (sq[u] < closest[i]) {
              total += closest[i] - sq[u];
              rows.push_back(i);
            }
          }
          filled = 0;
        };
        for (std::size_t j = 0; j < c; ++j) {
          const auto& group = members[j];
          if (group.empty()) continue;
          double limit = -1.0;  // a row with 4 closest < limit cannot come nearer
          if (bounds) {
            limit = sq_dist(q, centers.row(j), d_) * (1.0 - kMargin);
            if (limit > 4.0 * radius2[j]) continue;
          }
          for (const std::uint32_t i : group) {
            if (limit > 4.0 * closest[i]) continue;
            batch[filled] = X_.row(i);
            batch_rows[filled++] = i;
            if (filled == 4) flush();
          }
          if (filled > 0) flush();  // sums stay in group order, whatever was skipped
        }
        gain[t] = total;
      };
      if (jobs_ > 1 && n_ >= 4 * kBlock) {
        for_blocks(trials, jobs_, evaluate);
      } else {
        for (std::size_t t = 0; t < trials; ++t) evaluate(t);
      }
      std::size_t best = 0;
      for (std::size_t t = 1; t < trials; ++t) {
        if (gain[t] > gain[best]) best = t;
      }
      // The rows the chosen centre is nearer to join its group.
      const double* q = X_.row(candidate[best]);
      std::copy_n(q, d_, centers.row(c));
      for (const std::uint32_t i : nearer[best]) {
        lost[owner[i]] = 1;
        owner[i] = static_cast<std::uint32_t>(c);
        closest[i] = sq_dist(X_.row(i), q, d_);
        members[c].push_back(i);
        radius2[c] = std::max(radius2[c], closest[i]);
        dirty[i / kSampleBlock] = 1;
      }
      for (std::size_t j = 0; j < c; ++j) {
        if (lost[j] == 0) continue;
        lost[j] = 0;
        auto& group = members[j];
        std::erase_if(group, [&](std::uint32_t i) { return owner[i] != j; });
        double r2 = 0.0;
        for (const std::uint32_t i : group) r2 = std::max(r2, closest[i]);
        radius2[j] = r2;
      }
    }
    return centers;
  }

  // Hamerly's bounds for the E-steps: per row, a lower bound on its distance to every centre but
  // its own (not squared), and the centres it was computed for.
  struct Bounds {
    std::vector<double> lower;
    Matrix previous;
    bool valid = false;
  };

  // One E-step (labels, distances to the own centre) and, with `sums`, the per-cluster sums
  // and counts for the M-step. Returns the inertia.
  double assign(const Matrix& centers, std::vector<std::int32_t>& labels, std::vector<double>& dist,
                std::vector<double>* sums, std::vector<std::size_t>* counts, Bounds* bounds = nullptr) const {
    std::vector<double> block_sums(sums ? n_blocks_ * k_ * d_ : 0, 0.0);
    std::vector<std::size_t> block_counts(sums ? n_blocks_ * k_ : 0, 0);
    std::vector<double> block_inertia(n_blocks_, 0.0);
    // How far the centres moved since the bounds were computed: the largest move, the centre that
    // made it, and the largest move of the others.
    const bool use = bounds != nullptr && bounds->valid;
    double move1 = 0.0;
    double move2 = 0.0;
    std::size_t move1_at = 0;
    if (use) {
      for (std::size_t c = 0; c < k_; ++c) {
        const double m = std::sqrt(sq_dist(bounds->previous.row(c), centers.row(c), d_));
        if (m > move1) {
          move2 = move1;
          move1 = m;
          move1_at = c;
        } else if (m > move2) {
          move2 = m;
        }
      }
    }
    if (bounds != nullptr && bounds->lower.size() != n_) bounds->lower.assign(n_, 0.0);
    // Pass 1 (with valid bounds): rows whose own centre is certainly still the nearest are settled
    // (Hamerly's test); their distance goes to dist[i].
    std::vector<char> settled_row(use ? n_ : 0, 0);
    if (use) {
      for_blocks(n_blocks_, jobs_, [&](std::size_t b) {
        for (std::size_t i = b * kBlock; i < std::min(n_, (b + 1) * kBlock); ++i) {
          const auto own = static_cast<std::size_t>(labels[i]);
          double& lower = bounds->lower[i];
          lower -= own == move1_at ? move2 : move1;
          const double d_own = sq_dist(X_.row(i), centers.row(own), d_);
          // Every other centre is farther than `lower` > the own centre (strictly, with a margin
          // far above rounding): the plain scan would pick the own centre with this distance.
          if (std::sqrt(d_own) * (1.0 + kMargin) + abs_margin_ < lower * (1.0 - kMargin) - abs_margin_) {
            settled_row[i] = 1;
            dist[i] = d_own;
          }
        }
      });
    }
    // The rows still to scan get their nearest centre (the first of least distance) and the
    // distance to the second nearest (the new lower bound) from the neighbour engine: exact
    // distances of the same definition as sq_dist, ties by centre index - the plain scan's answer,
    // found with blocked matrix products on all cores. Rows are gathered in chunks (bounded memory).
    std::vector<std::uint32_t> nearest;
    if (bounds != nullptr) {
      std::vector<std::size_t> todo;
      for (std::size_t i = 0; i < n_; ++i) {
        if (!use || settled_row[i] == 0) todo.push_back(i);
      }
      nearest.assign(n_, 0);
      if (!todo.empty() && k_ == 1) {
        for (const auto i : todo) bounds->lower[i] = std::numeric_limits<double>::infinity();
      } else if (!todo.empty()) {
        NeighborOptions nn_options;
        nn_options.n_jobs = static_cast<int>(jobs_);
        const NeighborIndex index(centers.view(), nn_options);
        constexpr std::size_t kChunk = 8192;
        Matrix chunk(std::min(kChunk, todo.size()), d_);
        for (std::size_t begin = 0; begin < todo.size(); begin += kChunk) {
          const std::size_t m = std::min(kChunk, todo.size() - begin);
          for (std::size_t t = 0; t < m; ++t) std::copy_n(X_.row(todo[begin + t]), d_, chunk.row(t));
          const Neighbors nn = index.query(MatrixView(chunk.row(0), m, d_), 2);
          for (std::size_t t = 0; t < m; ++t) {
            const std::size_t i = todo[begin + t];
            nearest[i] = static_cast<std::uint32_t>(nn(t, 0));
            bounds->lower[i] = nn.distances(t)[1];
          }
        }
      }
    }
    for_blocks(n_blocks_, jobs_, [&](std::size_t b) {
      double inertia = 0.0;
      for (std::size_t i = b * kBlock; i < std::min(n_, (b + 1) * kBlock); ++i) {
        const double* x = X_.row(i);
        std::size_t best = 0;
        double best_d = 0.0;
        const bool settled = use && settled_row[i] != 0;
        if (settled) {
          best = static_cast<std::size_t>(labels[i]);
          best_d = dist[i];
        }
        if (!settled && bounds == nullptr) {
          best_d = sq_dist(x, centers.row(0), d_);
          double second = std::numeric_limits<double>::infinity();
          for (std::size_t c = 1; c < k_; ++c) {
            const double dc = sq_dist(x, centers.row(c), d_);
            if (dc < best_d) {
              second = best_d;
              best_d = dc;
              best = c;
            } else if (dc < second) {
              second = dc;
            }
          }
          if (bounds != nullptr) bounds->lower[i] = std::sqrt(second);
        } else if (!settled) {
          best = nearest[i];
          best_d = sq_dist(x, centers.row(best), d_);
        }
        labels[i] = static_cast<std::int32_t>(best);
        dist[i] = best_d;
        inertia += best_d;
        if (sums) {
          double* s = block_sums.data() + (b * k_ + best) * d_;
          for (std::size_t j = 0; j < d_; ++j) s[j] += x[j];
          ++block_counts[b * k_ + best];
        }
      }
      block_inertia[b] = inertia;
    });
    if (bounds != nullptr) {
      bounds->previous = centers;
      bounds->valid = true;
    }
    if (sums) {
      sums->assign(k_ * d_, 0.0);
      counts->assign(k_, 0);
      for (std::size_t b = 0; b < n_blocks_; ++b) {
        for (std::size_t t = 0; t < k_ * d_; ++t) (*sums)[t] += block_sums[b * k_ * d_ + t];
        for (std::size_t c = 0; c < k_; ++c) (*counts)[c] += block_counts[b * k_ + c];
      }
    }
    return ordered_sum(block_inertia);
  }

  KMeansResult run(Rng& rng, double tol) const {
    Matrix centers = seed_centers(rng);
    std::vector<std::int32_t> labels(n_, -1);
    std::vector<std::int32_t> previous(n_, -1);
    std::vector<double> dist(n_);
    std::vector<double> sums;
    std::vector<std::size_t> counts;
    bool strict = false;
    std::size_t iter = 0;
    Bounds bounds;
    Bounds* b = options_.use_bounds ? &bounds : nullptr;
    while (iter < options_.max_iter) {
      ++iter;
      assign(centers, labels, dist, &sums, &counts, b);
      relocate_empty(labels, dist, sums, counts);
      Matrix next(k_, d_);
      double shift = 0.0;
      for (std::size_t c = 0; c < k_; ++c) {
        if (counts[c] == 0) {
          std::copy_n(centers.row(c), d_, next.row(c));
          continue;
        }
        for (std::size_t j = 0; j < d_; ++j) next(c, j) = sums[c * d_ + j] / static_cast<double>(counts[c]);
        shift += sq_dist(next.row(c), centers.row(c), d_);
      }
      centers = std::move(next);
      if (labels == previous) {
        strict = true;
        break;
      }
      if (shift <= tol) break;
      previous = labels;
    }
    KMeansResult result;
    // Labels and inertia consistent with the final centres (scikit-learn's last E-step).
    result.inertia = assign(centers, labels, dist, nullptr, nullptr, b);
    (void)strict;
    result.centers = std::move(centers);
    result.labels = std::move(labels);
    result.n_iter = iter;
    return result;
  }

 private:
  static double ordered_sum(const std::vector<double>& values) {
    double s = 0.0;
    for (const double v : values) s += v;
    return s;
  }

  // scikit-learn's _relocate_empty_clusters: each empty cluster takes one of the rows farthest
  // from their centre (farthest first, ties by row), which leaves its old cluster.
  void relocate_empty(const std::vector<std::int32_t>& labels, const std::vector<double>& dist, std::vector<double>& sums,
                      std::vector<std::size_t>& counts) const {
    std::vector<std::size_t> empty;
    for (std::size_t c = 0; c < k_; ++c) {
      if (counts[c] == 0) empty.push_back(c);
    }
    if (empty.empty()) return;
    std::vector<std::size_t> order(n_);
    for (std::size_t i = 0; i < n_; ++i) order[i] = i;
    const std::size_t take = std::min(empty.size(), n_);
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(take), order.end(),
                      [&](std::size_t a, std::size_t b) { return dist[a] > dist[b] || (dist[a] == dist[b] && a < b); });
    for (std::size_t e = 0; e < take; ++e) {
      const std::size_t row = order[e];
      const auto old = static_cast<std::size_t>(labels[row]);
      if (counts[old] <= 1) continue;  // never empty another cluster
      const std::size_t c = empty[e];
      const double* x = X_.row(row);
      for (std::size_t j = 0; j < d_; ++j) {
        sums[old * d_ + j] -= x[j];
        sums[c * d_ + j] = x[j];
      }
      --counts[old];
      counts[c] = 1;
    }
  }

  MatrixView X_;
  std::size_t n_;
  std::size_t d_;
  std::size_t k_;
  KMeansOptions options_;
  std::size_t n_blocks_;
  std::size_t jobs_ = 1;
  double abs_margin_ = 0.0;
};

}  // namespace

KMeansResult kmeans(MatrixView X, const KMeansOptions& options, std::uint64_t seed) {
  if (X.rows == 0 || X.cols == 0) throw InvalidArgument("k-means: the data is empty");
  if (options.n_clusters == 0) throw InvalidArgument("k-means: n_clusters must be >= 1");
  if (options.n_clusters > X.rows) {
    throw InvalidArgument("k-means: n_clusters=" + std::to_string(options.n_clusters) + " is larger than the " +
                          std::to_string(X.rows) + " rows to cluster");
  }
  if (options.n_init == 0) throw InvalidArgument("k-means: n_init must be >= 1");
  if (options.max_iter == 0) throw InvalidArgument("k-means: max_iter must be >= 1");
  if (!(options.tol >= 0.0)) throw InvalidArgument("k-means: tol must be >= 0");
  for (std::size_t i = 0; i < X.rows; ++i) {
    for (std::size_t j = 0; j < X.cols; ++j) {
      if (!std::isfinite(X(i, j))) {
        throw InvalidArgument("k-means: row " + std::to_string(i) + ", column " + std::to_string(j) +
                              " is not a finite number");
      }
    }
  }
  const std::size_t hw = std::max(1U, std::thread::hardware_concurrency());
  const std::size_t jobs = options.n_jobs > 0 ? static_cast<std::size_t>(options.n_jobs) : hw;
  // The runs are independent (run r draws from Rng(seed, r)): with several runs and threads, each
  // thread takes whole runs, one thread per run inside (no thread start-up per seeding step, every
  // core busy from start to end); otherwise one run at a time on all threads. Either way every run
  // computes the same bits, and the best is picked in run order.
  const std::size_t outer = std::min(jobs, options.n_init);
  KMeansOptions inner_options = options;
  inner_options.n_jobs = outer > 1 ? 1 : static_cast<int>(jobs);
  const Runner runner(X, inner_options);
  const double tol = runner.scaled_tol();
  // Each thread keeps only its best run (lowest inertia, then lowest run index), so memory does
  // not grow with n_init; the overall best by the same rule is the sequential loop's.
  struct Best {
    std::size_t run = 0;
    KMeansResult result;
    bool set = false;
    void offer(std::size_t r, KMeansResult&& candidate) {
      if (!set || candidate.inertia < result.inertia || (candidate.inertia == result.inertia && r < run)) {
        run = r;
        result = std::move(candidate);
        set = true;
      }
    }
  };
  std::vector<Best> per_thread(std::max<std::size_t>(outer, 1));
  if (outer > 1) {
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> slot{0};
    detail::run_on_threads(outer, [&] {
      Best& mine = per_thread[slot++];
      for (std::size_t r = next++; r < options.n_init; r = next++) {
        Rng rng(seed, r);
        mine.offer(r, runner.run(rng, tol));
      }
    });
  } else {
    for (std::size_t r = 0; r < options.n_init; ++r) {
      Rng rng(seed, r);
      per_thread[0].offer(r, runner.run(rng, tol));
    }
  }
  Best overall;
  for (auto& b : per_thread) {
    if (b.set) overall.offer(b.run, std::move(b.result));
  }
  return std::move(overall.result);
}

}  // namespace imbal
