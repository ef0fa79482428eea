// Shared pieces of the cleaning rules: Tomek links and passes of Wilson's editing. See
// cleaning.hpp for the contract and docs/methods/enn.md for the algorithm.
#include "samplers/cleaning.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <thread>

#include "core/parallel.hpp"
#include "imbal/error.hpp"
#include "imbal/matrix.hpp"
#include "imbal/neighbors.hpp"
#include "neighbors/neighbors_internal.hpp"

namespace imbal::detail {

namespace {

constexpr std::size_t kCellSize = 256;

std::size_t resolve_jobs(int n_jobs) {
  if (n_jobs > 0) return static_cast<std::size_t>(n_jobs);
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : hw;
}

// Runs fn(begin, end) over [0, n) in chunks on up to n_jobs threads. Each index's work writes only
// its own outputs, so the result does not depend on the thread count.
template <class Fn>
void parallel_chunks(std::size_t n, int n_jobs, std::size_t chunk, Fn fn) {
  if (n == 0) return;
  const std::size_t n_chunks = (n + chunk - 1) / chunk;
  const std::size_t n_threads = std::min(resolve_jobs(n_jobs), n_chunks);
  if (n_threads <= 1) {
    fn(std::size_t{0}, n);
    return;
  }
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (;;) {
      const std::size_t begin = next.fetch_add(chunk);
      if (begin >= n) return;
      fn(begin, std::min(n, begin + chunk));
    }
  };
  run_on_threads(n_threads, work);
}

// (squared distance, row) order: the neighbour engine's order.
struct Ranked {
  double sq;
  std::size_t row;
  bool operator<(const Ranked& o) const { return sq < o.sq || (sq == o.sq && row < o.row); }
};

NeighborIndex index_over(MatrixView X, std::span<const std::size_t> rows, int n_jobs) {
  NeighborOptions options;
  options.n_jobs = n_jobs;
  if (rows.size() == X.rows) return NeighborIndex(X, options);
  return NeighborIndex(X, rows, options);
}

}  // namespace

void require_numeric_for_cleaning(const SamplerInput& in, const std::string& method) {
  std::string categorical;
  for (std::size_t j = 0; j < in.categorical.size(); ++j) {
    if (in.categorical[j]) categorical += (categorical.empty() ? "" : ", ") + std::to_string(j);
  }
  if (!categorical.empty()) {
    throw InvalidArgument(method + " compares rows by Euclidean distance, but feature column(s) " + categorical +
                          " are categorical; encode them as numbers first (for example one-hot) or drop them");
  }
}

void require_rows_for_neighbors(const std::string& method, std::size_t n_rows, std::size_t k,
                                const std::string& when) {
  if (n_rows < k + 1) {
    throw InvalidArgument(method + ": n_neighbors=" + std::to_string(k) + " needs at least " + std::to_string(k + 1) +
                          " rows (each row's " + std::to_string(k) + " nearest others), but " +
                          (when.empty() ? std::string("the data has ") : when + " ") + std::to_string(n_rows) +
                          "; use a smaller n_neighbors");
  }
}

std::vector<std::size_t> class_counts(std::span<const std::int32_t> y, std::size_t n_classes,
                                      std::span<const std::size_t> rows) {
  std::vector<std::size_t> counts(n_classes, 0);
  for (const auto r : rows) ++counts[static_cast<std::size_t>(y[r])];
  return counts;
}

ModeTie mode_tie_for(const SamplerInput& in) {
  return in.labels != nullptr && !in.labels->numeric ? ModeTie::NearestFirst : ModeTie::SmallestClass;
}

KindSel parse_kind_sel(const std::string& text) {
  if (text == "all") return KindSel::All;
  if (text == "mode") return KindSel::Mode;
  throw InvalidArgument("kind_sel must be 'all' or 'mode'; got '" + text + "'");
}

ParamSpec kind_sel_param() {
  return ParamSpec{"kind_sel", ParamType::Choice, std::string{"all"},
                   "all: remove a row unless all its neighbours share its class; mode: unless the most common "
                   "class among them is its class",
                   false, std::nullopt, std::nullopt, false, false, {"all", "mode"}};
}

ParamSpec n_neighbors_param(const char* doc) {
  return ParamSpec{"n_neighbors", ParamType::Int, std::int64_t{3}, doc, false, 1.0, std::nullopt, false, false, {}};
}

// ---------------------------------------------------------------------------------------------
// Tomek links

std::vector<bool> tomek_link_ends(MatrixView X, std::span<const std::int32_t> y, std::size_t n_classes,
                                  std::span<const std::size_t> rows, int n_jobs) {
  IMBAL_ASSERT(rows.size() >= 2);
  const auto counts = class_counts(y, n_classes, rows);
  const auto largest = static_cast<std::int32_t>(std::max_element(counts.begin(), counts.end()) - counts.begin());
  // Every link has an end outside the largest class: query those rows, then the rows of the
  // largest class that are the nearest row of one of them (the only possible partners).
  std::vector<std::size_t> small;  // ascending
  for (const auto r : rows) {
    if (y[r] != largest) small.push_back(r);
  }
  std::vector<bool> ends(rows.size(), false);
  if (small.empty()) return ends;
  const NeighborIndex index = index_over(X, rows, n_jobs);
  const Neighbors near_small = index.query_rows(small, 1, /*exclude_self=*/true);
  std::vector<std::size_t> partners;
  for (std::size_t i = 0; i < small.size(); ++i) {
    const std::size_t b = near_small(i, 0);
    if (y[b] == largest) partners.push_back(b);
  }
  std::sort(partners.begin(), partners.end());
  partners.erase(std::unique(partners.begin(), partners.end()), partners.end());
  Neighbors near_partners;
  if (!partners.empty()) near_partners = index.query_rows(partners, 1, /*exclude_self=*/true);
  auto nearest_of = [&](std::size_t b) -> std::size_t {
    if (y[b] == largest) {
      const auto it = std::lower_bound(partners.begin(), partners.end(), b);
      IMBAL_ASSERT(it != partners.end() && *it == b);
      return near_partners(static_cast<std::size_t>(it - partners.begin()), 0);
    }
    const auto it = std::lower_bound(small.begin(), small.end(), b);
    IMBAL_ASSERT(it != small.end() && *it == b);
    return near_small(static_cast<std::size_t>(it - small.begin()), 0);
  };
  auto position = [&](std::size_t r) {
    return static_cast<std::size_t>(std::lower_bound(rows.begin(), rows.end(), r) - rows.begin());
  };
  for (std::size_t i = 0; i < small.size(); ++i) {
    const std::size_t a = small[i];
    const std::size_t b = near_small(i, 0);
    if (y[b] == y[a] || nearest_of(b) != a) continue;
    ends[position(a)] = true;
    ends[position(b)] = true;
  }
  return ends;
}

// ---------------------------------------------------------------------------------------------
// Edited nearest neighbours

EnnEditor::EnnEditor(MatrixView X, std::span<const std::int32_t> y, std::size_t n_classes, std::size_t max_k,
                     KindSel kind, int n_jobs, ModeTie tie)
    : X_(X), y_(y), n_classes_(n_classes), max_k_(max_k), kind_(kind), n_jobs_(n_jobs), tie_(tie) {
  IMBAL_ASSERT(max_k_ >= 1);
  IMBAL_ASSERT(X_.rows == y_.size());
  alive_.assign(X_.rows, 0);
  memo_.assign(X_.rows, Memo::None);
  memo_count_.assign(X_.rows, 0);
  memo_rows_.assign(X_.rows * max_k_, 0);
  build_cells();
}

// Median splits on the widest column until cells hold at most kCellSize rows. Rows of a cell
// are close in every split column: good candidates for each other's neighbours.
void EnnEditor::build_cells() {
  const std::size_t n = X_.rows;
  const std::size_t d = X_.cols;
  cell_order_.resize(n);
  for (std::size_t i = 0; i < n; ++i) cell_order_[i] = i;
  cell_of_.assign(n, 0);
  cell_begin_.clear();
  struct Range {
    std::size_t begin, end;
  };
  std::vector<Range> stack{{0, n}};
  std::vector<Range> cells;
  while (!stack.empty()) {
    const Range r = stack.back();
    stack.pop_back();
    if (r.end - r.begin <= kCellSize) {
      cells.push_back(r);
      continue;
    }
    // Spread of every column over the range, reading rows contiguously.
    std::vector<double> lo(X_.row(cell_order_[r.begin]), X_.row(cell_order_[r.begin]) + d);
    std::vector<double> hi = lo;
    for (std::size_t t = r.begin + 1; t < r.end; ++t) {
      const double* row = X_.row(cell_order_[t]);
      for (std::size_t j = 0; j < d; ++j) {
        lo[j] = std::min(lo[j], row[j]);
        hi[j] = std::max(hi[j], row[j]);
      }
    }
    std::size_t best_col = 0;
    for (std::size_t j = 1; j < d; ++j) {
      if (hi[j] - lo[j] > hi[best_col] - lo[best_col]) best_col = j;
    }
    const std::size_t mid = r.begin + (r.end - r.begin) / 2;
    const auto first = cell_order_.begin() + static_cast<std::ptrdiff_t>(r.begin);
    std::nth_element(first, cell_order_.begin() + static_cast<std::ptrdiff_t>(mid),
                     cell_order_.begin() + static_cast<std::ptrdiff_t>(r.end), [&](std::size_t a, std::size_t b) {
                       const double va = X_(a, best_col);
                       const double vb = X_(b, best_col);
                       return va < vb || (va == vb && a < b);
                     });
    stack.push_back({mid, r.end});
    stack.push_back({r.begin, mid});
  }
  std::sort(cells.begin(), cells.end(), [](const Range& a, const Range& b) { return a.begin < b.begin; });
  for (std::size_t c = 0; c < cells.size(); ++c) {
    cell_begin_.push_back(cells[c].begin);
    for (std::size_t t = cells[c].begin; t < cells[c].end; ++t) cell_of_[cell_order_[t]] = static_cast<std::uint32_t>(c);
  }
  cell_begin_.push_back(n);
}

// Whether x is kept, from its remembered exact neighbours (the memo must decide: see pass()).
bool EnnEditor::decide_exact(std::size_t x, std::size_t k) const {
  // The first k remembered neighbours that are still present are x's k nearest.
  const std::int32_t c = y_[x];
  const std::size_t* list = memo_rows_.data() + x * max_k_;
  std::size_t seen = 0;
  std::vector<std::size_t> votes;
  std::vector<std::int32_t> order;  // the neighbours' classes, nearest first
  if (kind_ == KindSel::Mode) votes.assign(n_classes_, 0);
  bool all_same = true;
  for (std::size_t t = 0; t < memo_count_[x] && seen < k; ++t) {
    const std::size_t r = list[t];
    if (!alive_[r]) continue;
    ++seen;
    if (y_[r] != c) all_same = false;
    if (kind_ == KindSel::Mode) {
      ++votes[static_cast<std::size_t>(y_[r])];
      order.push_back(y_[r]);
    }
  }
  IMBAL_ASSERT(seen == k);
  if (kind_ == KindSel::All) return all_same;
  const std::size_t top = *std::max_element(votes.begin(), votes.end());
  if (tie_ == ModeTie::SmallestClass) {
    const auto mode = static_cast<std::int32_t>(std::find(votes.begin(), votes.end(), top) - votes.begin());
    return mode == c;
  }
  for (const auto label : order) {
    if (votes[static_cast<std::size_t>(label)] == top) return label == c;
  }
  return false;
}

void EnnEditor::compute(std::span<const std::size_t> rows, std::span<const std::size_t> todo, std::size_t k) {
  const auto counts = class_counts(y_, n_classes_, rows);
  std::vector<std::vector<std::size_t>> by_class(n_classes_);
  for (const auto x : todo) by_class[static_cast<std::size_t>(y_[x])].push_back(x);
  std::vector<std::size_t> exact;
  std::vector<std::uint8_t> need_exact(X_.rows, 0);
  for (std::size_t c = 0; c < n_classes_; ++c) {
    auto& mine = by_class[c];
    if (mine.empty()) continue;
    const std::size_t n_foreign = rows.size() - counts[c];
    if (n_foreign == 0 || 2 * n_foreign > rows.size()) {
      // No other class (every neighbour is of class c), or the other classes are the bulk of the
      // data: the witness search would not pay; ask the exact k-NN.
      exact.insert(exact.end(), mine.begin(), mine.end());
      continue;
    }
    std::vector<std::size_t> foreign;
    foreign.reserve(n_foreign);
    for (const auto r : rows) {
      if (static_cast<std::size_t>(y_[r]) != c) foreign.push_back(r);
    }
    const NeighborIndex foreign_index = index_over(X_, foreign, n_jobs_);
    const Neighbors nearest_foreign = foreign_index.query_rows(mine, 1, /*exclude_self=*/false);
    const auto label = static_cast<std::int32_t>(c);
    // Rows in cell order, so that a cell's rows stay in cache while its queries run.
    std::vector<std::size_t> order(mine.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return cell_of_[mine[a]] < cell_of_[mine[b]] || (cell_of_[mine[a]] == cell_of_[mine[b]] && a < b);
    });
    parallel_chunks(order.size(), n_jobs_, 256, [&](std::size_t begin, std::size_t end) {
      for (std::size_t o = begin; o < end; ++o) {
        const std::size_t i = order[o];
        const std::size_t x = mine[i];
        const double* xr = X_.row(x);
        const Ranked bound{nn::exact_sq(xr, X_.row(nearest_foreign(i, 0)), X_.cols), nearest_foreign(i, 0)};
        // Any max_k rows of the class before the bound prove x is kept (for every k <= max_k);
        // they need not be its nearest, so the scan stops at the first max_k.
        std::size_t* witnesses = memo_rows_.data() + x * max_k_;
        std::size_t found = 0;
        const std::uint32_t cell = cell_of_[x];
        for (std::size_t t = cell_begin_[cell]; t < cell_begin_[cell + 1] && found < max_k_; ++t) {
          const std::size_t r = cell_order_[t];
          if (r == x || !alive_[r] || y_[r] != label) continue;
          const Ranked cand{nn::exact_sq(xr, X_.row(r), X_.cols), r};
          if (cand < bound) witnesses[found++] = r;
        }
        if (found >= k) {
          memo_[x] = Memo::Witness;
          memo_count_[x] = static_cast<std::uint32_t>(found);
        } else {
          memo_[x] = Memo::None;
          need_exact[x] = 1;
        }
      }
    });
    for (const auto x : mine) {
      if (need_exact[x]) exact.push_back(x);
    }
  }
  stats_.exact += exact.size();
  stats_.witnessed += todo.size() - exact.size();
  if (exact.empty()) return;
  std::sort(exact.begin(), exact.end());
  const std::size_t kk = std::min(max_k_, rows.size() - 1);
  const NeighborIndex all = index_over(X_, rows, n_jobs_);
  const Neighbors nb = all.query_rows(exact, kk, /*exclude_self=*/true);
  for (std::size_t i = 0; i < exact.size(); ++i) {
    const std::size_t x = exact[i];
    memo_[x] = Memo::Exact;
    memo_count_[x] = static_cast<std::uint32_t>(kk);
    for (std::size_t t = 0; t < kk; ++t) memo_rows_[x * max_k_ + t] = nb(i, t);
  }
}

std::vector<std::size_t> EnnEditor::pass(std::span<const std::size_t> rows, const std::vector<bool>& clean,
                                         std::size_t k) {
  IMBAL_ASSERT(k >= 1 && k <= max_k_);
  IMBAL_ASSERT(rows.size() >= k + 1);
  IMBAL_ASSERT(clean.size() == n_classes_);
  stats_ = Stats{};
  std::fill(alive_.begin(), alive_.end(), std::uint8_t{0});
  for (const auto r : rows) alive_[r] = 1;
  // The memos stay valid only when the rows shrink.
  if (have_prev_) {
    bool subset = true;
    for (const auto r : rows) subset = subset && prev_alive_[r] != 0;
    if (!subset) std::fill(memo_.begin(), memo_.end(), Memo::None);
  }
  // Rows whose memo decides (enough remembered rows still present).
  auto decided = [&](std::size_t x) {
    if (memo_[x] == Memo::None) return false;
    std::size_t present = 0;
    const std::size_t* list = memo_rows_.data() + x * max_k_;
    for (std::size_t t = 0; t < memo_count_[x] && present < k; ++t) present += alive_[list[t]];
    return present >= k;
  };
  std::vector<std::size_t> todo;
  for (const auto x : rows) {
    if (!clean[static_cast<std::size_t>(y_[x])]) continue;
    if (decided(x)) {
      ++stats_.cached;
    } else {
      todo.push_back(x);
    }
  }
  compute(rows, todo, k);
  std::vector<std::size_t> kept;
  kept.reserve(rows.size());
  for (const auto x : rows) {
    bool keep = true;
    if (clean[static_cast<std::size_t>(y_[x])]) {
      IMBAL_ASSERT(decided(x));
      keep = memo_[x] == Memo::Witness || decide_exact(x, k);
    }
    if (keep) kept.push_back(x);
  }
  prev_alive_ = alive_;
  have_prev_ = true;
  return kept;
}

// ---------------------------------------------------------------------------------------------
// Stopping rules of renn / all-knn

std::int32_t first_appearing_minority(std::span<const std::int32_t> y, std::size_t n_classes) {
  const auto counts = [&] {
    std::vector<std::size_t> c(n_classes, 0);
    for (const auto v : y) ++c[static_cast<std::size_t>(v)];
    return c;
  }();
  std::vector<bool> seen(n_classes, false);
  std::int32_t minority = -1;
  for (const auto v : y) {
    const auto c = static_cast<std::size_t>(v);
    if (seen[c]) continue;
    seen[c] = true;
    if (minority < 0 || counts[c] < counts[static_cast<std::size_t>(minority)]) minority = v;
  }
  return minority;
}

PassOutcome pass_outcome(std::span<const std::int32_t> y, std::size_t n_classes, std::span<const std::size_t> rows,
                         std::int32_t minority, std::size_t minority_count, std::size_t n_classes_present) {
  const auto counts = class_counts(y, n_classes, rows);
  PassOutcome out;
  std::size_t present = 0;
  for (std::size_t c = 0; c < n_classes; ++c) {
    if (counts[c] == 0) continue;
    ++present;
    if (static_cast<std::int32_t>(c) != minority && counts[c] < minority_count) out.minority_became_majority = true;
  }
  out.class_removed = present < n_classes_present;
  return out;
}

// ---------------------------------------------------------------------------------------------
// The renn / all-knn loop

RepeatedEnnResult repeated_enn(const SamplerInput& in, const ResamplePlan& plan, const SamplingStrategy& strategy,
                               const std::string& method, const RepeatedEnn& options) {
  const std::size_t k_max = options.n_neighbors;
  require_rows_for_neighbors(method, in.X.rows, options.renn ? k_max : 1);
  const std::int32_t minority = first_appearing_minority(in.y, in.n_classes);
  const std::size_t minority_count = in.class_rows[static_cast<std::size_t>(minority)].size();
  std::size_t n_present = 0;
  for (const auto& r : in.class_rows) n_present += r.empty() ? 0 : 1;
  const ModeTie tie = mode_tie_for(in);

  // The rows in the order the current pass sees them: first the input order, then grouped by class.
  MatrixView X = in.X;
  std::span<const std::int32_t> y = in.y;
  Matrix grouped_X;
  std::vector<std::int32_t> grouped_y;
  std::vector<std::size_t> original;  // position in the grouped order -> input row (empty: identity)
  std::vector<std::size_t> rows(in.X.rows);
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  auto editor = std::make_unique<EnnEditor>(X, y, in.n_classes, k_max, options.kind, in.n_jobs, tie);

  RepeatedEnnResult result;
  const std::size_t n_passes = options.renn ? options.max_iter : k_max;
  ResamplePlan current = plan;
  for (std::size_t pass = 0; pass < n_passes; ++pass) {
    const std::size_t k = options.renn ? k_max : pass + 1;
    if (pass > 0) {
      // imbalanced-learn's inner EditedNearestNeighbours resolves the strategy on the data it is given.
      current = resolve_strategy(strategy, class_counts(y, in.n_classes, rows), SamplingType::CleanSampling,
                                 in.labels);
      require_rows_for_neighbors(method, rows.size(), k, "after " + std::to_string(pass) + " passes the rows left are");
    }
    if (pass == 1) {
      // Regroup the kept rows by class, as imbalanced-learn's passes after the first see them.
      original = rows;
      std::stable_sort(original.begin(), original.end(),
                       [&](std::size_t a, std::size_t b) { return in.y[a] < in.y[b]; });
      grouped_X = gather_rows(in.X, original);
      grouped_y.resize(original.size());
      for (std::size_t i = 0; i < original.size(); ++i) grouped_y[i] = in.y[original[i]];
      X = grouped_X.view();
      y = grouped_y;
      for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
      editor = std::make_unique<EnnEditor>(X, y, in.n_classes, k_max, options.kind, in.n_jobs, tie);
    }
    std::vector<bool> clean(in.n_classes, false);
    for (const auto& cls : current.classes) {
      clean[static_cast<std::size_t>(cls.label)] = cls.targeted;
      if (cls.targeted && !plan.classes[static_cast<std::size_t>(cls.label)].targeted) {
        result.also_targeted.push_back(cls.label);
      }
    }
    auto kept = editor->pass(rows, clean, k);
    ++result.passes;
    const bool converged = kept.size() == rows.size();
    const auto outcome = pass_outcome(y, in.n_classes, kept, minority, minority_count, n_present);
    rows = std::move(kept);
    if (options.renn && converged) break;
    if (outcome.minority_became_majority && !(options.allow_minority && !options.renn)) break;
    if (outcome.class_removed) break;
  }
  if (!original.empty()) {
    for (auto& r : rows) r = original[r];
    std::sort(rows.begin(), rows.end());
  }
  result.kept = std::move(rows);
  std::sort(result.also_targeted.begin(), result.also_targeted.end());
  result.also_targeted.erase(std::unique(result.also_targeted.begin(), result.also_targeted.end()),
                             result.also_targeted.end());
  return result;
}

}  // namespace imbal::detail
