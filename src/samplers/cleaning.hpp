// Pieces shared by the neighbourhood cleaning rules (tomek-links, enn, renn, all-knn, and later
// one-sided-selection, ncr, smote-enn, smote-tomek):
//
// - Tomek links (Tomek 1976): pairs of rows of different classes that are each other's nearest
//   neighbour, found from the side of the classes other than the largest one;
// - one pass of Wilson's editing (Wilson 1972) over a subset of the rows, with a cache that makes
//   repeated passes over shrinking subsets (renn, all-knn) cheap.
//
// Neighbours follow the plain definition everywhere: Euclidean distance as the neighbour engine
// computes it, ties broken by (squared distance, row index), a row excluded from its own
// neighbours by its index (a duplicate of it stays a neighbour, at distance 0). imbalanced-learn
// drops the first column of `kneighbors` instead, which differs when rows repeat.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "imbal/matrix.hpp"
#include "imbal/sampler.hpp"

namespace imbal::detail {

/// Throws InvalidArgument when a feature column is categorical: the cleaning rules measure
/// Euclidean distances between numeric rows.
void require_numeric_for_cleaning(const SamplerInput& in, const std::string& method);

/// For every position i of `rows` (a subset of the rows of X: distinct, ascending), whether
/// rows[i] is an end of a Tomek link *within that subset*: its nearest row of the subset (itself
/// excluded by index, ties by (distance, index)) has another class and has rows[i] as its own
/// nearest row. `rows.size() >= 2`.
std::vector<bool> tomek_link_ends(MatrixView X, std::span<const std::int32_t> y, std::size_t n_classes,
                                  std::span<const std::size_t> rows, int n_jobs);

/// Wilson's selection rule: "all" keeps a row when every one of its k nearest rows has its class;
/// "mode" when the most common class among them (ties: see ModeTie) is its class.
enum class KindSel { All, Mode };
KindSel parse_kind_sel(const std::string& text);

/// Which class wins a tie for the most common class under kind_sel="mode". imbalanced-learn 0.10
/// takes scipy.stats.mode of the neighbours' labels, whose tie rule depends on the labels' dtype:
/// numeric labels -> the smallest label (np.unique); string labels (object arrays) -> the label
/// met first among the neighbours, nearest first (collections.Counter's insertion order).
enum class ModeTie { SmallestClass, NearestFirst };
/// The rule imbalanced-learn applies to these labels: NearestFirst for string labels.
ModeTie mode_tie_for(const SamplerInput& in);

/// The schema entries shared by enn, renn and all-knn: kind_sel ('all' | 'mode', default 'all')
/// and n_neighbors (an integer >= 1, default 3) with its one-line doc.
ParamSpec kind_sel_param();
ParamSpec n_neighbors_param(const char* doc);

/// Repeated passes of the edited nearest-neighbour rule over shrinking subsets of the rows of X.
///
/// `pass(rows, clean, k)`: for every row x of `rows` whose class c has clean[c] set, x is removed
/// when its k nearest rows among `rows` (x excluded by index) fail the kind_sel rule. Returns the
/// kept rows, ascending (every row of the other classes is kept).
///
/// How (the result is always the plain definition's): with f = the nearest row of another class
/// (by (squared distance, index)), x is kept whenever k rows of its own class come before f;
/// such "witnesses" are looked for among the rows of x's cell in a spatial partition (median
/// splits, ~256 rows per cell) after one query against the *other* classes' rows - cheap when c
/// is the large class, which is the point of cleaning. Rows without k witnesses get an exact k-NN
/// query against all of `rows`. Each row's witnesses or neighbours are remembered: when the next
/// pass's `rows` is a subset of this one, a row whose remembered rows are (enough of them) still
/// present has the same answer, so only rows near removed rows are looked at again.
class EnnEditor {
 public:
  /// `max_k`: the largest k that `pass` will be called with.
  EnnEditor(MatrixView X, std::span<const std::int32_t> y, std::size_t n_classes, std::size_t max_k,
            KindSel kind, int n_jobs, ModeTie tie = ModeTie::SmallestClass);

  /// `rows`: distinct, ascending row numbers of X, at least k + 1 of them. `clean`: one flag per
  /// class code. 1 <= k <= max_k.
  std::vector<std::size_t> pass(std::span<const std::size_t> rows, const std::vector<bool>& clean, std::size_t k);

  /// Counters of the last pass (for tests and tuning): rows decided from the cache, by
  /// witnesses found in the cell, and by an exact k-NN query.
  struct Stats {
    std::size_t cached = 0;
    std::size_t witnessed = 0;
    std::size_t exact = 0;
  };
  const Stats& last_stats() const { return stats_; }

 private:
  enum class Memo : std::uint8_t { None, Witness, Exact };

  void build_cells();
  bool decide_exact(std::size_t x, std::size_t k) const;
  void compute(std::span<const std::size_t> rows, std::span<const std::size_t> todo, std::size_t k);

  MatrixView X_;
  std::span<const std::int32_t> y_;
  std::size_t n_classes_;
  std::size_t max_k_;
  KindSel kind_;
  int n_jobs_;
  ModeTie tie_;

  std::vector<std::uint8_t> alive_;  // membership of the current pass's rows
  std::vector<std::uint8_t> prev_alive_;
  bool have_prev_ = false;

  // Per row of X: what is remembered, how many rows (<= max_k) and which.
  std::vector<Memo> memo_;
  std::vector<std::uint32_t> memo_count_;
  std::vector<std::size_t> memo_rows_;  // n x max_k

  // Spatial partition: rows of cell j are cell_order_[cell_begin_[j] .. cell_begin_[j + 1]).
  std::vector<std::size_t> cell_order_;
  std::vector<std::size_t> cell_begin_;
  std::vector<std::uint32_t> cell_of_;

  Stats stats_;
};

/// The stopping rules shared by renn and all-knn (imbalanced-learn 0.10): the class that was the
/// minority of the original data (the first, in order of first appearance, of the smallest
/// classes, as `min(Counter(y), key=...)`).
std::int32_t first_appearing_minority(std::span<const std::int32_t> y, std::size_t n_classes);

/// After a pass leaving `rows`: whether some class other than `minority` now has fewer rows
/// than the minority had originally (`minority_count`), and whether a class has vanished.
struct PassOutcome {
  bool minority_became_majority = false;  // imbalanced-learn's b_min_bec_maj
  bool class_removed = false;             // b_remove_maj_class
};
PassOutcome pass_outcome(std::span<const std::int32_t> y, std::size_t n_classes, std::span<const std::size_t> rows,
                         std::int32_t minority, std::size_t minority_count, std::size_t n_classes_present);

/// Per-class counts of y over `rows`.
std::vector<std::size_t> class_counts(std::span<const std::int32_t> y, std::size_t n_classes,
                                      std::span<const std::size_t> rows);

/// The loop of renn (`renn` = true: passes with n_neighbors until converged, max_iter) and all-knn
/// (passes with k = 1..n_neighbors), with imbalanced-learn 0.10's stopping rules and strategy
/// re-resolution on every pass. Passes after the first run on the rows grouped by class (sorted
/// codes), then by row - the order imbalanced-learn's inner EditedNearestNeighbours returns them
/// in and its next pass sees them in - so that rows at exactly equal distances are ranked as
/// scikit-learn ranks them there (by position). Returns the kept rows (ascending) and the classes
/// a later pass targeted beyond `plan`.
struct RepeatedEnn {
  bool renn = true;
  std::size_t n_neighbors = 3;
  std::size_t max_iter = 100;
  bool allow_minority = false;
  KindSel kind = KindSel::All;
};
struct RepeatedEnnResult {
  std::vector<std::size_t> kept;
  std::vector<std::int32_t> also_targeted;
  std::size_t passes = 0;
};
RepeatedEnnResult repeated_enn(const SamplerInput& in, const ResamplePlan& plan, const SamplingStrategy& strategy,
                               const std::string& method, const RepeatedEnn& options);

/// Throws InvalidArgument when `n_rows < k + 1` ("n_neighbors=3 needs at least 4 rows").
void require_rows_for_neighbors(const std::string& method, std::size_t n_rows, std::size_t k,
                                const std::string& when = "");

}  // namespace imbal::detail
