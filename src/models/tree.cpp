// CART classification trees: see tree.hpp. Written from the description of scikit-learn 1.2's
// tree builders and splitters (DepthFirstTreeBuilder, BestFirstTreeBuilder, BestSplitter,
// RandomSplitter, Gini / Entropy criteria); no code copied.
#include "models/tree.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <limits>
#include <string_view>

#include "imbal/error.hpp"
#include "models/parallel.hpp"

namespace imbal::detail {

namespace {

constexpr double kEpsilon = DBL_EPSILON;  // scikit-learn's EPSILON in the builders
constexpr std::int32_t kLeaf = -1;        // _TREE_LEAF
constexpr std::int32_t kUndefined = -2;   // _TREE_UNDEFINED
// A node whose feature has at most this many distinct values per node row uses the histogram
// over the feature's ranks instead of sorting the node's ranks.
constexpr std::size_t kHistogramFactor = 8;

/// Sortable key of a float (ascending as the float; -0 is 0).
std::uint32_t float_key(float v) {
  if (v == 0.0f) v = 0.0f;
  const auto bits = std::bit_cast<std::uint32_t>(v);
  return (bits & 0x80000000U) != 0 ? ~bits : (bits | 0x80000000U);
}

std::string text_of(const ParamValue& value) {
  if (std::holds_alternative<std::monostate>(value)) return "none";
  return format_value(value);
}

bool looks_float(std::string_view s) {
  return s.find_first_of(".eE") != std::string_view::npos || s == "inf" || s == "nan";
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Parameters

std::size_t MaxFeatures::resolve(std::size_t n_features, const std::string& who) const {
  const double n = static_cast<double>(n_features);
  switch (kind) {
    case Kind::All: return n_features;
    case Kind::Sqrt: return std::max<std::size_t>(1, static_cast<std::size_t>(std::sqrt(n)));
    case Kind::Log2: return std::max<std::size_t>(1, static_cast<std::size_t>(std::log2(n)));
    case Kind::Count:
      if (static_cast<std::size_t>(count) > n_features) {
        throw InvalidArgument(who + ": max_features=" + std::to_string(count) + " is more than the " +
                              std::to_string(n_features) + " features of the data; expected at most " +
                              std::to_string(n_features) + " (or a fraction such as 0.5)");
      }
      return static_cast<std::size_t>(count);
    case Kind::Fraction: return std::max<std::size_t>(1, static_cast<std::size_t>(fraction * n));
  }
  return n_features;
}

MaxFeatures parse_max_features(const ParamValue& value, const std::string& who) {
  MaxFeatures m;
  if (std::holds_alternative<std::monostate>(value)) return m;
  const std::string text = text_of(value);
  if (text == "none" || text == "None") return m;
  if (text == "sqrt") {
    m.kind = MaxFeatures::Kind::Sqrt;
    return m;
  }
  if (text == "log2") {
    m.kind = MaxFeatures::Kind::Log2;
    return m;
  }
  CountOrFraction c;
  try {
    c = parse_count_or_fraction(value, 1, true, who);
  } catch (const InvalidArgument&) {
    throw InvalidArgument(who + ": expected none, sqrt, log2, an integer >= 1 or a float in (0, 1], got '" + text + "'");
  }
  if (c.is_fraction) {
    m.kind = MaxFeatures::Kind::Fraction;
    m.fraction = c.fraction;
  } else {
    m.kind = MaxFeatures::Kind::Count;
    m.count = c.count;
  }
  return m;
}

CountOrFraction parse_count_or_fraction(const ParamValue& value, std::int64_t min_count, bool one_inclusive,
                                        const std::string& who) {
  const std::string expected = "expected an integer >= " + std::to_string(min_count) + " or a float in (0, 1" +
                               (one_inclusive ? "]" : ")");
  CountOrFraction out;
  if (const auto* i = std::get_if<std::int64_t>(&value)) {
    if (*i < min_count) throw InvalidArgument(who + ": " + expected + ", got " + std::to_string(*i));
    out.count = *i;
    return out;
  }
  std::string text = text_of(value);
  if (const auto* d = std::get_if<double>(&value)) {
    text = format_value(*d);
    if (!looks_float(text)) text += ".0";
  }
  if (looks_float(text)) {
    double v = 0.0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    const bool ok = ec == std::errc() && ptr == text.data() + text.size() && std::isfinite(v) && v > 0.0 &&
                    (one_inclusive ? v <= 1.0 : v < 1.0);
    if (!ok) throw InvalidArgument(who + ": " + expected + ", got '" + text + "'");
    out.is_fraction = true;
    out.fraction = v;
    return out;
  }
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || v < min_count) {
    throw InvalidArgument(who + ": " + expected + ", got '" + text + "'");
  }
  out.count = v;
  return out;
}

TreeSettings tree_settings_from(const Params& params, const std::string& model_name) {
  TreeSettings s;
  const MethodSchema& schema = *params.schema();
  auto who = [&](const char* p) { return "parameter '" + std::string(p) + "' of " + model_name; };
  if (schema.find("criterion") != nullptr) {
    s.criterion = params.get_string("criterion") == "gini" ? Criterion::Gini : Criterion::Entropy;
  }
  if (schema.find("splitter") != nullptr) s.random_splitter = params.get_string("splitter") == "random";
  if (schema.find("max_depth") != nullptr && !params.is_none("max_depth")) s.max_depth = params.get_int("max_depth");
  if (schema.find("min_samples_split") != nullptr) {
    s.min_samples_split = parse_count_or_fraction(params.get("min_samples_split"), 2, true, who("min_samples_split"));
  }
  if (schema.find("min_samples_leaf") != nullptr) {
    s.min_samples_leaf = parse_count_or_fraction(params.get("min_samples_leaf"), 1, false, who("min_samples_leaf"));
  }
  if (schema.find("min_weight_fraction_leaf") != nullptr) {
    s.min_weight_fraction_leaf = params.get_double("min_weight_fraction_leaf");
  }
  if (schema.find("max_features") != nullptr) {
    s.max_features = parse_max_features(params.get("max_features"), who("max_features"));
  }
  if (schema.find("max_leaf_nodes") != nullptr && !params.is_none("max_leaf_nodes")) {
    s.max_leaf_nodes = params.get_int("max_leaf_nodes");
  }
  if (schema.find("min_impurity_decrease") != nullptr) {
    s.min_impurity_decrease = params.get_double("min_impurity_decrease");
  }
  return s;
}

std::vector<ParamSpec> tree_param_specs(const std::string& max_features_default, bool with_splitter) {
  auto spec = [](std::string name, ParamType type, ParamValue default_value, std::string doc) {
    ParamSpec p;
    p.name = std::move(name);
    p.type = type;
    p.default_value = std::move(default_value);
    p.doc = std::move(doc);
    return p;
  };
  std::vector<ParamSpec> out;
  ParamSpec criterion = spec("criterion", ParamType::Choice, std::string("gini"),
                             "Impurity: gini, or entropy / log_loss (Shannon entropy in bits; the same criterion)");
  criterion.choices = {"gini", "entropy", "log_loss"};
  out.push_back(criterion);
  if (with_splitter) {
    ParamSpec splitter = spec("splitter", ParamType::Choice, std::string("best"),
                              "best: the best threshold of each drawn feature; random: one uniform random threshold "
                              "per drawn feature");
    splitter.choices = {"best", "random"};
    out.push_back(splitter);
  }
  ParamSpec max_depth = spec("max_depth", ParamType::Int, std::monostate{}, "Deepest node depth (root 0); none: no limit");
  max_depth.nullable = true;
  max_depth.min = 1;
  out.push_back(max_depth);
  out.push_back(spec("min_samples_split", ParamType::Text, std::string("2"),
                     "Fewest rows a node needs to be split: an integer >= 2, or a float in (0, 1] (ceil(f * n_samples))"));
  out.push_back(spec("min_samples_leaf", ParamType::Text, std::string("1"),
                     "Fewest rows in each child of a split: an integer >= 1, or a float in (0, 1) "
                     "(ceil(f * n_samples))"));
  ParamSpec mwfl = spec("min_weight_fraction_leaf", ParamType::Float, 0.0,
                        "Smallest weight of a leaf as a fraction of the total sample weight");
  mwfl.min = 0.0;
  mwfl.max = 0.5;
  out.push_back(mwfl);
  ParamSpec max_features =
      spec("max_features", ParamType::Text,
           max_features_default == "none" ? ParamValue(std::monostate{}) : ParamValue(max_features_default),
           "Features drawn per split: none (all), sqrt, log2, an integer count, or a float fraction in (0, 1] "
           "(max(1, int(f * n_features)))");
  max_features.nullable = true;
  out.push_back(max_features);
  ParamSpec max_leaf_nodes = spec("max_leaf_nodes", ParamType::Int, std::monostate{},
                                  "Most leaves, grown best-first by impurity decrease; none: depth-first, no limit");
  max_leaf_nodes.nullable = true;
  max_leaf_nodes.min = 2;
  out.push_back(max_leaf_nodes);
  ParamSpec mid = spec("min_impurity_decrease", ParamType::Float, 0.0,
                       "Split only when the weighted impurity decrease (N_t / N * (impurity - children)) is at least this");
  mid.min = 0.0;
  out.push_back(mid);
  return out;
}

// ---------------------------------------------------------------------------------------------
// TreeData

TreeData TreeData::build(MatrixView X, int n_jobs) {
  TreeData d;
  d.rows = X.rows;
  d.cols = X.cols;
  IMBAL_ASSERT(X.rows < (std::size_t{1} << 32));
  d.rank.resize(X.rows * X.cols);
  d.values.resize(X.cols);
  parallel_blocks(X.cols, n_jobs, [&](std::size_t f) {
    std::vector<std::uint64_t> keys(X.rows);
    for (std::size_t i = 0; i < X.rows; ++i) {
      keys[i] = (std::uint64_t{float_key(static_cast<float>(X(i, f)))} << 32) | i;
    }
    std::sort(keys.begin(), keys.end());
    auto& values = d.values[f];
    std::uint32_t* rank = d.rank.data() + f * X.rows;
    std::uint64_t previous = ~std::uint64_t{0};
    for (const auto key : keys) {
      const std::uint64_t k = key >> 32;
      const auto row = static_cast<std::size_t>(key & 0xFFFFFFFFU);
      if (k != previous) {
        float v = static_cast<float>(X(row, f));
        if (v == 0.0f) v = 0.0f;
        values.push_back(v);
        previous = k;
      }
      rank[row] = static_cast<std::uint32_t>(values.size() - 1);
    }
    values.shrink_to_fit();
  });
  d.fill_narrow_ranks();
  return d;
}

const TreeData& ranked_input(const ModelFitInput& input, TreeData& own) {
  if (input.ranked != nullptr) return *input.ranked;
  own = TreeData::build(input.X, input.n_jobs);
  return own;
}

void TreeData::fill_narrow_ranks() {
  rank8.clear();
  rank8_by_row.clear();
  bool any_narrow = false;
  for (std::size_t f = 0; f < cols; ++f) any_narrow = any_narrow || narrow(f);
  if (!any_narrow) return;  // never read
  rank8.assign(rows * cols, 0);
  rank8_by_row.assign(rows * cols, 0);
  for (std::size_t f = 0; f < cols; ++f) {
    if (!narrow(f)) continue;
    const std::uint32_t* from = rank.data() + f * rows;
    std::uint8_t* to = rank8.data() + f * rows;
    for (std::size_t i = 0; i < rows; ++i) to[i] = static_cast<std::uint8_t>(from[i]);
  }
  // Transposed in blocks of rows, so that both sides stay in cache.
  constexpr std::size_t kBlock = 256;
  for (std::size_t i0 = 0; i0 < rows; i0 += kBlock) {
    const std::size_t i1 = std::min(rows, i0 + kBlock);
    for (std::size_t f = 0; f < cols; ++f) {
      if (!narrow(f)) continue;
      const std::uint8_t* from = rank8.data() + f * rows;
      for (std::size_t i = i0; i < i1; ++i) rank8_by_row[i * cols + f] = from[i];
    }
  }
}

TreeData TreeData::subset(std::span<const std::size_t> rows_of, std::span<const std::size_t> cols_of) const {
  TreeData d;
  d.rows = rows_of.size();
  d.cols = cols_of.empty() ? cols : cols_of.size();
  d.rank.resize(d.rows * d.cols);
  d.values.resize(d.cols);
  std::vector<std::uint32_t> renumber;
  for (std::size_t j = 0; j < d.cols; ++j) {
    const std::size_t f = cols_of.empty() ? j : cols_of[j];
    IMBAL_ASSERT(f < cols);
    const std::uint32_t* from = rank.data() + f * rows;
    const auto& all_values = values[f];
    // Mark the ranks present, then number them in ascending order: the subset's distinct values.
    constexpr std::uint32_t kAbsent = std::numeric_limits<std::uint32_t>::max();
    renumber.assign(all_values.size(), kAbsent);
    for (const std::size_t i : rows_of) {
      IMBAL_ASSERT(i < rows);
      renumber[from[i]] = 0;
    }
    auto& kept = d.values[j];
    for (std::size_t r = 0; r < renumber.size(); ++r) {
      if (renumber[r] != kAbsent) {
        renumber[r] = static_cast<std::uint32_t>(kept.size());
        kept.push_back(all_values[r]);
      }
    }
    std::uint32_t* to = d.rank.data() + j * d.rows;
    for (std::size_t r = 0; r < d.rows; ++r) to[r] = renumber[from[rows_of[r]]];
  }
  d.fill_narrow_ranks();
  return d;
}

// ---------------------------------------------------------------------------------------------
// Builder

namespace {

struct SplitRecord {
  std::size_t pos = 0;  // first row of the right child; == end: no split
  std::int32_t feature = kUndefined;
  double threshold = kUndefined;
  std::uint32_t left_rank = 0;  // rows with rank <= left_rank go left
  double improvement = -std::numeric_limits<double>::infinity();
  double impurity_left = std::numeric_limits<double>::infinity();
  double impurity_right = std::numeric_limits<double>::infinity();
};

}  // namespace

class TreeBuilder {
 public:
  TreeBuilder(const TreeData& data, std::span<const std::int32_t> y, std::size_t n_classes,
              std::span<const double> weight, const TreeSettings& settings, Rng& rng, DecisionTree& tree)
      : data_(data), y_(y), w_(weight), K_(n_classes), rng_(rng), tree_(tree) {
    const std::size_t n = data.rows;
    const double n_d = static_cast<double>(n);
    min_samples_leaf_ = settings.min_samples_leaf.is_fraction
                            ? static_cast<std::size_t>(std::ceil(settings.min_samples_leaf.fraction * n_d))
                            : static_cast<std::size_t>(settings.min_samples_leaf.count);
    if (settings.min_samples_split.is_fraction) {
      min_samples_split_ = std::max<std::size_t>(
          2, static_cast<std::size_t>(std::ceil(settings.min_samples_split.fraction * n_d)));
    } else {
      min_samples_split_ = static_cast<std::size_t>(settings.min_samples_split.count);
    }
    min_samples_split_ = std::max(min_samples_split_, 2 * min_samples_leaf_);
    max_depth_ = settings.max_depth < 0 ? std::numeric_limits<std::int32_t>::max() : settings.max_depth;
    max_features_ = settings.max_features.resolve(data.cols, "parameter 'max_features'");
    max_leaf_nodes_ = settings.max_leaf_nodes;
    min_impurity_decrease_ = settings.min_impurity_decrease;
    criterion_ = settings.criterion;
    random_splitter_ = settings.random_splitter;

    samples_.reserve(n);
    weighted_n_samples_ = 0.0;
    integer_weights_ = true;
    for (std::size_t i = 0; i < n; ++i) {
      if (w_[i] != 0.0) {
        samples_.push_back(static_cast<std::uint32_t>(i));
        sample_y_.push_back(static_cast<std::uint32_t>(y_[i]));
        sample_w_.push_back(w_[i]);
        integer_weights_ = integer_weights_ && w_[i] == std::floor(w_[i]);
        weighted_n_samples_ += w_[i];
      }
    }
    // Sums of integers below 2^53 are exact in any order.
    integer_weights_ = integer_weights_ && weighted_n_samples_ <= 0x1p53;
    min_weight_leaf_ = settings.min_weight_fraction_leaf * weighted_n_samples_;
    features_.resize(data.cols);
    for (std::size_t f = 0; f < data.cols; ++f) features_[f] = static_cast<std::int32_t>(f);
    constant_features_.assign(data.cols, 0);
    std::size_t max_values = 0;
    for (const auto& v : data.values) max_values = std::max(max_values, v.size());
    bin_count_.assign(max_values, 0);
    bin_weight_.assign(max_values * K_, 0.0);
    sum_total_.assign(K_, 0.0);
    sum_left_.assign(K_, 0.0);
    best_left_.assign(K_, 0.0);
  }

  void build() {
    tree_.n_features_ = data_.cols;
    tree_.n_classes_ = K_;
    if (samples_.empty()) throw InvalidArgument("decision tree: every row has weight 0; nothing to fit");
    if (max_leaf_nodes_ < 0) {
      build_depth_first();
    } else {
      build_best_first();
    }
  }

 private:
  // --- criterion ---------------------------------------------------------------------------
  double impurity_of(const double* counts, double weighted_n) const {
    if (criterion_ == Criterion::Gini) {
      double sq = 0.0;
      for (std::size_t k = 0; k < K_; ++k) sq += counts[k] * counts[k];
      return 1.0 - sq / (weighted_n * weighted_n);
    }
    double entropy = 0.0;
    for (std::size_t k = 0; k < K_; ++k) {
      double c = counts[k];
      if (c > 0.0) {
        c /= weighted_n;
        entropy -= c * (std::log(c) / std::log(2.0));
      }
    }
    return entropy;
  }

  /// Children impurities for a left part with class weights sum_left / weighted_n_left.
  void children_impurity(const double* left, double weighted_left, double& imp_left, double& imp_right) {
    right_buf_.resize(K_);
    for (std::size_t k = 0; k < K_; ++k) right_buf_[k] = sum_total_[k] - left[k];
    imp_left = impurity_of(left, weighted_left);
    imp_right = impurity_of(right_buf_.data(), weighted_n_node_ - weighted_left);
  }

  double proxy_improvement(const double* left, double weighted_left) {
    double il = 0.0;
    double ir = 0.0;
    children_impurity(left, weighted_left, il, ir);
    return -(weighted_n_node_ - weighted_left) * ir - weighted_left * il;
  }

  double impurity_improvement(double impurity, double weighted_left, double il, double ir) const {
    const double wr = weighted_n_node_ - weighted_left;
    return (weighted_n_node_ / weighted_n_samples_) *
           (impurity - (wr / weighted_n_node_) * ir - (weighted_left / weighted_n_node_) * il);
  }

  /// The node's class weights and weight; points node_y_ / node_w_ at its rows' classes and
  /// weights.
  void node_reset(std::size_t start, std::size_t end) {
    std::fill(sum_total_.begin(), sum_total_.end(), 0.0);
    weighted_n_node_ = 0.0;
    node_y_ = sample_y_.data() + start;
    node_w_ = sample_w_.data() + start;
    for (std::size_t j = 0; j < end - start; ++j) {
      sum_total_[node_y_[j]] += node_w_[j];
      weighted_n_node_ += node_w_[j];
    }
  }

  double node_impurity() const { return impurity_of(sum_total_.data(), weighted_n_node_); }

  // --- split search --------------------------------------------------------------------------

  /// A candidate split with `n_left` rows and class weights sum_left_ (weight wl) on the left:
  /// checks the leaf limits and keeps it if its proxy beats the best so far.
  bool consider(std::size_t n_left, std::size_t n_node, double wl) {
    if (n_left < min_samples_leaf_ || n_node - n_left < min_samples_leaf_) return false;
    if (wl < min_weight_leaf_ || weighted_n_node_ - wl < min_weight_leaf_) return false;
    const double proxy = proxy_improvement(sum_left_.data(), wl);
    if (proxy > best_proxy_) {
      best_proxy_ = proxy;
      return true;
    }
    return false;
  }

  /// Best threshold on feature f over rows [start, end); returns false when f is constant there.
  bool best_on_feature(std::size_t f, std::size_t start, std::size_t end, SplitRecord& best) {
    const std::size_t n_node = end - start;
    const auto& values = data_.values[f];
    const std::uint32_t* rank = data_.rank.data() + f * data_.rows;
    std::fill(sum_left_.begin(), sum_left_.end(), 0.0);
    double wl = 0.0;
    std::size_t n_left = 0;
    auto take = [&](std::uint32_t r_prev, std::uint32_t r) {
      if (consider(n_left, n_node, wl)) {
        best.pos = start + n_left;
        best.feature = static_cast<std::int32_t>(f);
        best.left_rank = r_prev;
        const double a = values[r_prev];
        const double b = values[r];
        double t = a / 2.0 + b / 2.0;
        if (t == b || std::isinf(t)) t = a;
        best.threshold = t;
      }
    };
    if (values.size() <= kHistogramFactor * n_node) {
      // The rows' ranks first, in one pass of independent loads (scattered rows of a column that
      // often misses the cache: many loads in flight), then the histogram in the same row order.
      std::uint32_t lo = 0;
      std::uint32_t hi = 0;
      gather_ranks(f, start, end, lo, hi);
      if (lo == hi) return false;
      if (K_ == 2 && hi == lo + 1 && integer_weights_) {
        two_bin_histogram(n_node, lo);
      } else {
        // Locals: the compiler cannot tell that the stores leave K_ and the vectors alone.
        const std::size_t K = K_;
        const std::uint32_t* ranks = node_ranks_.data();
        const std::uint32_t* ys = node_y_;
        const double* ws = node_w_;
        std::uint32_t* counts = bin_count_.data();
        double* weights = bin_weight_.data();
        for (std::size_t j = 0; j < n_node; ++j) {
          const std::uint32_t r = ranks[j];
          ++counts[r];
          weights[std::size_t{r} * K + ys[j]] += ws[j];
        }
      }
      std::uint32_t prev = lo;
      for (std::uint32_t r = lo; r <= hi; ++r) {
        const std::uint32_t c = bin_count_[r];
        if (c == 0) continue;
        double* bw = bin_weight_.data() + std::size_t{r} * K_;
        if (r != lo) take(prev, r);
        n_left += c;
        for (std::size_t k = 0; k < K_; ++k) {
          sum_left_[k] += bw[k];
          wl += bw[k];
          bw[k] = 0.0;
        }
        bin_count_[r] = 0;
        prev = r;
      }
      return true;
    }
    // Rows of equal rank stay in samples_ order, which is ascending row order (see node_split).
    keys_.resize(n_node);
    for (std::size_t p = start; p < end; ++p) {
      keys_[p - start] = (std::uint64_t{rank[samples_[p]]} << 32) | (p - start);
    }
    std::sort(keys_.begin(), keys_.end());
    const auto first_rank = static_cast<std::uint32_t>(keys_.front() >> 32);
    const auto last_rank = static_cast<std::uint32_t>(keys_.back() >> 32);
    if (first_rank == last_rank) return false;
    std::uint32_t prev = first_rank;
    for (const auto key : keys_) {
      const auto r = static_cast<std::uint32_t>(key >> 32);
      const auto j = static_cast<std::size_t>(key & 0xFFFFFFFFU);
      if (r != prev) {
        take(prev, r);
        prev = r;
      }
      ++n_left;
      sum_left_[node_y_[j]] += node_w_[j];
      wl += node_w_[j];
    }
    return true;
  }

  /// The histogram of node_ranks_ when they take two values, lo and lo + 1, there are two
  /// classes and every weight is an integer (a bootstrap count, say): the common case of a
  /// one-hot column. The general loop adds each row into memory that the previous row of the
  /// same bin and class just wrote, a chain of store-to-load waits; here four independent
  /// register sums of the upper bin's weight and class-1 weight do it, and the lower bin is the
  /// node's total minus the upper. Sums of integers below 2^53 are exact in any order, so the
  /// bins equal the row-by-row sums.
  void two_bin_histogram(std::size_t n_node, std::uint32_t lo) {
    const std::uint32_t* ranks = node_ranks_.data();
    const std::uint32_t* ys = node_y_;
    const double* ws = node_w_;
    constexpr std::size_t kLanes = 4;
    std::uint32_t n_upper = 0;
    std::array<double, kLanes> upper{};
    std::array<double, kLanes> upper_class1{};
    std::size_t j = 0;
    // b and the class are 0 or 1: products instead of branches (which would mispredict).
    auto add = [&](std::size_t row, std::size_t lane) {
      const std::uint32_t b = ranks[row] - lo;
      n_upper += b;
      const double w_b = ws[row] * static_cast<double>(b);
      upper[lane] += w_b;
      upper_class1[lane] += w_b * static_cast<double>(ys[row]);
    };
    for (; j + kLanes <= n_node; j += kLanes) {
      for (std::size_t lane = 0; lane < kLanes; ++lane) add(j + lane, lane);
    }
    for (; j < n_node; ++j) add(j, 0);
    const double w_upper = (upper[0] + upper[1]) + (upper[2] + upper[3]);
    const double w_upper1 = (upper_class1[0] + upper_class1[1]) + (upper_class1[2] + upper_class1[3]);
    const std::uint32_t hi = lo + 1;
    bin_count_[lo] = static_cast<std::uint32_t>(n_node) - n_upper;
    bin_count_[hi] = n_upper;
    bin_weight_[std::size_t{hi} * 2 + 1] = w_upper1;
    bin_weight_[std::size_t{hi} * 2] = w_upper - w_upper1;
    bin_weight_[std::size_t{lo} * 2 + 1] = sum_total_[1] - w_upper1;
    bin_weight_[std::size_t{lo} * 2] = sum_total_[0] - (w_upper - w_upper1);
  }

  /// Whether a node this large reads narrow features from TreeData::rank8_by_row: its rows'
  /// lines (cols bytes each) stay in cache while the split search visits several features, so
  /// only the first feature misses; a larger node reads the columns, front to back.
  bool reads_by_row(std::size_t n_node) const { return n_node * data_.cols <= kRowReadBytes; }

  /// Calls read(base, stride) with the ranks of feature f laid out as a node of n_node rows
  /// reads them best: row i's rank is base[i * stride] (32-bit ranks for wide features; one-byte
  /// ranks by row or by column for narrow ones).
  template <class Read>
  void with_ranks_of(std::size_t f, std::size_t n_node, Read&& read) const {
    if (!data_.narrow(f)) {
      read(data_.rank.data() + f * data_.rows, std::size_t{1});
    } else if (reads_by_row(n_node)) {
      read(data_.rank8_by_row.data() + f, data_.cols);
    } else {
      read(data_.rank8.data() + f * data_.rows, std::size_t{1});
    }
  }

  /// node_ranks_[p - start] = rank of row samples_[p] on feature f, for p in [start, end), and
  /// their smallest and largest.
  void gather_ranks(std::size_t f, std::size_t start, std::size_t end, std::uint32_t& lo, std::uint32_t& hi) {
    node_ranks_.resize(end - start);
    std::uint32_t* out = node_ranks_.data();
    with_ranks_of(f, end - start, [&](const auto* base, std::size_t stride) {
      std::uint32_t min_r = std::numeric_limits<std::uint32_t>::max();
      std::uint32_t max_r = 0;
      for (std::size_t p = start; p < end; ++p) {
        const std::uint32_t r = base[std::size_t{samples_[p]} * stride];
        out[p - start] = r;
        min_r = std::min(min_r, r);
        max_r = std::max(max_r, r);
      }
      lo = min_r;
      hi = max_r;
    });
  }

  /// One random threshold on feature f; returns false when f is constant there.
  bool random_on_feature(std::size_t f, std::size_t start, std::size_t end, SplitRecord& best) {
    const std::size_t n_node = end - start;
    const auto& values = data_.values[f];
    std::uint32_t lo = 0;
    std::uint32_t hi = 0;
    gather_ranks(f, start, end, lo, hi);
    if (lo == hi) return false;
    const double min_v = values[lo];
    const double max_v = values[hi];
    double threshold = min_v + (max_v - min_v) * rng_.uniform();
    if (threshold == max_v) threshold = min_v;
    // Rows with value <= threshold go left: ranks up to the last value <= threshold.
    const auto it = std::upper_bound(values.begin(), values.end(), threshold,
                                     [](double t, float v) { return t < static_cast<double>(v); });
    const auto left_rank = static_cast<std::uint32_t>((it - values.begin()) - 1);
    std::fill(sum_left_.begin(), sum_left_.end(), 0.0);
    double wl = 0.0;
    std::size_t n_left = 0;
    for (std::size_t j = 0; j < n_node; ++j) {
      if (node_ranks_[j] <= left_rank) {
        ++n_left;
        sum_left_[node_y_[j]] += node_w_[j];
        wl += node_w_[j];
      }
    }
    if (consider(n_left, n_node, wl)) {
      best.pos = start + n_left;
      best.feature = static_cast<std::int32_t>(f);
      best.left_rank = left_rank;
      best.threshold = threshold;
    }
    return true;
  }

  /// scikit-learn's node_split: draws features without replacement (Fisher-Yates over
  /// features_, known constant features first) until max_features were visited and at least one
  /// was not constant; partitions the rows of the best split.
  void node_split(std::size_t start, std::size_t end, double impurity, SplitRecord& best,
                  std::size_t& n_constant_features) {
    best = SplitRecord{};
    best.pos = end;
    best_proxy_ = -std::numeric_limits<double>::infinity();
    const std::size_t n_features = data_.cols;
    std::size_t f_i = n_features;
    std::size_t n_visited = 0;
    std::size_t n_found_constants = 0;
    std::size_t n_drawn_constants = 0;
    const std::size_t n_known_constants = n_constant_features;
    std::size_t n_total_constants = n_known_constants;
    while (f_i > n_total_constants &&
           (n_visited < max_features_ || n_visited <= n_found_constants + n_drawn_constants)) {
      ++n_visited;
      std::size_t f_j = n_drawn_constants + static_cast<std::size_t>(
                                                rng_.below(f_i - n_found_constants - n_drawn_constants));
      if (f_j < n_known_constants) {
        std::swap(features_[n_drawn_constants], features_[f_j]);
        ++n_drawn_constants;
        continue;
      }
      f_j += n_found_constants;
      const auto f = static_cast<std::size_t>(features_[f_j]);
      const bool varies = random_splitter_ ? random_on_feature(f, start, end, best) : best_on_feature(f, start, end, best);
      if (!varies) {
        std::swap(features_[f_j], features_[n_total_constants]);
        ++n_found_constants;
        ++n_total_constants;
        continue;
      }
      --f_i;
      std::swap(features_[f_i], features_[f_j]);
    }
    if (best.pos < end) {
      // Stable partition of the rows (and their classes and weights): rank <= left_rank first,
      // both sides keeping ascending row order (the root's order), so a node's rows are read
      // from the columns front to back and rows of equal rank are visited in row order. The
      // left side's class weights are summed on the way, in that order.
      const auto f = static_cast<std::size_t>(best.feature);
      std::fill(sum_left_.begin(), sum_left_.end(), 0.0);
      double wl = 0.0;
      std::size_t write = start;
      right_rows_.clear();
      right_y_.clear();
      right_w_.clear();
      with_ranks_of(f, end - start, [&](const auto* rank, std::size_t stride) {
        for (std::size_t p = start; p < end; ++p) {
          const std::uint32_t i = samples_[p];
          const std::uint32_t k = sample_y_[p];
          const double w = sample_w_[p];
          if (rank[std::size_t{i} * stride] <= best.left_rank) {
            samples_[write] = i;
            sample_y_[write] = k;
            sample_w_[write] = w;
            ++write;
            sum_left_[k] += w;
            wl += w;
          } else {
            right_rows_.push_back(i);
            right_y_.push_back(k);
            right_w_.push_back(w);
          }
        }
      });
      IMBAL_ASSERT(write == best.pos);
      const auto at = static_cast<std::ptrdiff_t>(write);
      std::copy(right_rows_.begin(), right_rows_.end(), samples_.begin() + at);
      std::copy(right_y_.begin(), right_y_.end(), sample_y_.begin() + at);
      std::copy(right_w_.begin(), right_w_.end(), sample_w_.begin() + at);
      children_impurity(sum_left_.data(), wl, best.impurity_left, best.impurity_right);
      best.improvement = impurity_improvement(impurity, wl, best.impurity_left, best.impurity_right);
    }
    // Known constants keep their order for siblings and children; newly found ones follow.
    std::copy(constant_features_.begin(), constant_features_.begin() + static_cast<std::ptrdiff_t>(n_known_constants),
              features_.begin());
    std::copy(features_.begin() + static_cast<std::ptrdiff_t>(n_known_constants),
              features_.begin() + static_cast<std::ptrdiff_t>(n_known_constants + n_found_constants),
              constant_features_.begin() + static_cast<std::ptrdiff_t>(n_known_constants));
    n_constant_features = n_total_constants;
  }

  void set_node_value(std::int32_t node) {
    std::copy(sum_total_.begin(), sum_total_.end(), tree_.value_.begin() + static_cast<std::ptrdiff_t>(node) * K_);
  }

  // --- builders --------------------------------------------------------------------------------

  void build_depth_first() {
    struct Item {
      std::size_t start, end;
      std::int64_t depth;
      std::int32_t parent;
      bool is_left;
      double impurity;
      std::size_t n_constant;
    };
    std::vector<Item> stack;
    stack.push_back({0, samples_.size(), 0, kUndefined, false, std::numeric_limits<double>::infinity(), 0});
    bool first = true;
    while (!stack.empty()) {
      Item item = stack.back();
      stack.pop_back();
      const std::size_t n_node = item.end - item.start;
      node_reset(item.start, item.end);
      bool is_leaf = item.depth >= max_depth_ || n_node < min_samples_split_ || n_node < 2 * min_samples_leaf_ ||
                     weighted_n_node_ < 2 * min_weight_leaf_;
      if (first) {
        item.impurity = node_impurity();
        first = false;
      }
      is_leaf = is_leaf || item.impurity <= kEpsilon;
      SplitRecord split;
      split.pos = item.end;
      std::size_t n_constant = item.n_constant;
      if (!is_leaf) {
        node_split(item.start, item.end, item.impurity, split, n_constant);
        is_leaf = split.pos >= item.end || split.improvement + kEpsilon < min_impurity_decrease_;
      }
      const std::int32_t node = tree_.add_node(item.parent, item.is_left, is_leaf, split.feature, split.threshold,
                                               item.impurity, static_cast<std::int64_t>(n_node), weighted_n_node_);
      set_node_value(node);
      if (!is_leaf) {
        stack.push_back({split.pos, item.end, item.depth + 1, node, false, split.impurity_right, n_constant});
        stack.push_back({item.start, split.pos, item.depth + 1, node, true, split.impurity_left, n_constant});
      }
    }
  }

  struct Frontier {
    std::int32_t node;
    std::size_t start, end, pos;
    std::int64_t depth;
    bool is_leaf;
    double improvement, impurity, impurity_left, impurity_right;
  };

  Frontier add_split_node(std::size_t start, std::size_t end, double impurity, bool is_first, bool is_left,
                          std::int32_t parent, std::int64_t depth) {
    node_reset(start, end);
    if (is_first) impurity = node_impurity();
    const std::size_t n_node = end - start;
    bool is_leaf = depth >= max_depth_ || n_node < min_samples_split_ || n_node < 2 * min_samples_leaf_ ||
                   weighted_n_node_ < 2 * min_weight_leaf_ || impurity <= kEpsilon;
    SplitRecord split;
    split.pos = end;
    std::size_t n_constant = 0;
    if (!is_leaf) {
      node_split(start, end, impurity, split, n_constant);
      is_leaf = split.pos >= end || split.improvement + kEpsilon < min_impurity_decrease_;
    }
    const std::int32_t node = tree_.add_node(parent, is_left, is_leaf, split.feature, split.threshold, impurity,
                                             static_cast<std::int64_t>(n_node), weighted_n_node_);
    set_node_value(node);
    Frontier f{node, start, end, end, depth, true, 0.0, impurity, impurity, impurity};
    if (!is_leaf) {
      f.pos = split.pos;
      f.is_leaf = false;
      f.improvement = split.improvement;
      f.impurity_left = split.impurity_left;
      f.impurity_right = split.impurity_right;
    }
    return f;
  }

  void build_best_first() {
    auto less = [](const Frontier& a, const Frontier& b) { return a.improvement < b.improvement; };
    std::vector<Frontier> frontier;
    std::int64_t max_split_nodes = max_leaf_nodes_ - 1;
    frontier.push_back(add_split_node(0, samples_.size(), std::numeric_limits<double>::infinity(), true, false,
                                      kUndefined, 0));
    while (!frontier.empty()) {
      std::pop_heap(frontier.begin(), frontier.end(), less);
      const Frontier record = frontier.back();
      frontier.pop_back();
      const auto node = static_cast<std::size_t>(record.node);
      if (record.is_leaf || max_split_nodes <= 0) {
        tree_.left_[node] = kLeaf;
        tree_.right_[node] = kLeaf;
        tree_.feature_[node] = kUndefined;
        tree_.threshold_[node] = kUndefined;
        continue;
      }
      --max_split_nodes;
      const Frontier left =
          add_split_node(record.start, record.pos, record.impurity_left, false, true, record.node, record.depth + 1);
      const Frontier right =
          add_split_node(record.pos, record.end, record.impurity_right, false, false, record.node, record.depth + 1);
      frontier.push_back(left);
      std::push_heap(frontier.begin(), frontier.end(), less);
      frontier.push_back(right);
      std::push_heap(frontier.begin(), frontier.end(), less);
    }
  }

  const TreeData& data_;
  std::span<const std::int32_t> y_;
  std::span<const double> w_;
  std::size_t K_;
  Rng& rng_;
  DecisionTree& tree_;

  std::size_t min_samples_leaf_ = 1;
  std::size_t min_samples_split_ = 2;
  std::int64_t max_depth_ = 0;
  std::size_t max_features_ = 0;
  std::int64_t max_leaf_nodes_ = -1;
  double min_impurity_decrease_ = 0.0;
  double min_weight_leaf_ = 0.0;
  Criterion criterion_ = Criterion::Gini;
  bool random_splitter_ = false;

  std::vector<std::uint32_t> samples_;
  double weighted_n_samples_ = 0.0;
  double weighted_n_node_ = 0.0;
  std::vector<double> sum_total_;
  std::vector<double> sum_left_;
  std::vector<double> best_left_;
  std::vector<double> right_buf_;
  double best_proxy_ = 0.0;
  std::vector<std::int32_t> features_;
  std::vector<std::int32_t> constant_features_;
  std::vector<std::uint32_t> bin_count_;
  std::vector<double> bin_weight_;
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> node_ranks_;  // ranks of a node's rows on one feature
  bool integer_weights_ = false;         // every weight an integer, their total <= 2^53
  std::vector<std::uint32_t> sample_y_;  // class of samples_[p]
  std::vector<double> sample_w_;         // weight of samples_[p]
  const std::uint32_t* node_y_ = nullptr;  // sample_y_ from the current node's start
  const double* node_w_ = nullptr;         // sample_w_ from the current node's start
  std::vector<std::uint32_t> right_rows_;  // the right side of a partition, then copied back
  std::vector<std::uint32_t> right_y_;
  std::vector<double> right_w_;
  static constexpr std::size_t kRowReadBytes = std::size_t{256} << 10;
};

// ---------------------------------------------------------------------------------------------
// DecisionTree

std::int32_t DecisionTree::add_node(std::int32_t parent, bool is_left, bool is_leaf, std::int32_t feature,
                                    double threshold, double impurity, std::int64_t n_samples, double weighted_n) {
  const auto id = static_cast<std::int32_t>(feature_.size());
  left_.push_back(kLeaf);
  right_.push_back(kLeaf);
  feature_.push_back(is_leaf ? kUndefined : feature);
  threshold_.push_back(is_leaf ? static_cast<double>(kUndefined) : threshold);
  impurity_.push_back(impurity);
  n_node_samples_.push_back(n_samples);
  weighted_n_node_samples_.push_back(weighted_n);
  value_.resize(value_.size() + n_classes_, 0.0);
  if (parent != kUndefined) {
    if (is_left) {
      left_[static_cast<std::size_t>(parent)] = id;
    } else {
      right_[static_cast<std::size_t>(parent)] = id;
    }
  }
  return id;
}

void DecisionTree::fit(const TreeData& data, std::span<const std::int32_t> y, std::size_t n_classes,
                       std::span<const double> weight, const TreeSettings& settings, Rng& rng) {
  IMBAL_ASSERT(y.size() == data.rows && weight.size() == data.rows && n_classes >= 1);
  *this = DecisionTree{};
  n_classes_ = n_classes;
  n_features_ = data.cols;
  TreeBuilder builder(data, y, n_classes, weight, settings, rng, *this);
  builder.build();
}

std::int64_t DecisionTree::max_depth() const {
  if (feature_.empty()) return 0;
  std::vector<std::int64_t> depth(feature_.size(), 0);
  std::int64_t deepest = 0;
  for (std::size_t i = 0; i < feature_.size(); ++i) {
    deepest = std::max(deepest, depth[i]);
    if (left_[i] != kLeaf) {
      depth[static_cast<std::size_t>(left_[i])] = depth[i] + 1;
      depth[static_cast<std::size_t>(right_[i])] = depth[i] + 1;
    }
  }
  return deepest;
}

std::size_t DecisionTree::n_leaves() const {
  return static_cast<std::size_t>(std::count(left_.begin(), left_.end(), kLeaf));
}

std::size_t DecisionTree::apply(const double* x) const {
  std::size_t node = 0;
  while (left_[node] != kLeaf) {
    const auto f = static_cast<std::size_t>(feature_[node]);
    node = static_cast<std::size_t>(static_cast<double>(static_cast<float>(x[f])) <= threshold_[node] ? left_[node]
                                                                                                   : right_[node]);
  }
  return node;
}

void DecisionTree::predict_proba_row(const double* x, double* out) const {
  const std::size_t leaf = apply(x);
  const double* v = value_.data() + leaf * n_classes_;
  double sum = 0.0;
  for (std::size_t k = 0; k < n_classes_; ++k) sum += v[k];
  if (sum == 0.0) sum = 1.0;
  for (std::size_t k = 0; k < n_classes_; ++k) out[k] = v[k] / sum;
}

void DecisionTree::add_proba(MatrixView X, std::size_t begin, std::size_t end, double* out) const {
  std::vector<double> p(n_classes_);
  for (std::size_t i = begin; i < end; ++i) {
    predict_proba_row(X.row(i), p.data());
    double* o = out + (i - begin) * n_classes_;
    for (std::size_t k = 0; k < n_classes_; ++k) o[k] += p[k];
  }
}

std::vector<double> DecisionTree::impurity_decrease_per_feature() const {
  std::vector<double> out(n_features_, 0.0);
  if (impurity_.size() != feature_.size()) return out;
  for (std::size_t i = 0; i < feature_.size(); ++i) {
    if (left_[i] == kLeaf) continue;
    const auto l = static_cast<std::size_t>(left_[i]);
    const auto r = static_cast<std::size_t>(right_[i]);
    out[static_cast<std::size_t>(feature_[i])] += weighted_n_node_samples_[i] * impurity_[i] -
                                                  weighted_n_node_samples_[l] * impurity_[l] -
                                                  weighted_n_node_samples_[r] * impurity_[r];
  }
  return out;
}

nlohmann::json DecisionTree::to_json(bool full) const {
  nlohmann::json j{{"children_left", left_},
                   {"children_right", right_},
                   {"feature", feature_},
                   {"threshold", threshold_},
                   {"value", value_}};
  if (full) {
    j["impurity"] = impurity_;
    j["n_node_samples"] = n_node_samples_;
    j["weighted_n_node_samples"] = weighted_n_node_samples_;
  }
  return j;
}

namespace {

template <class T>
std::vector<T> read_array(const nlohmann::json& j, const char* key, std::size_t expected, const std::string& where) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_array()) {
    throw InvalidArgument(where + ": tree has no array '" + key + "'");
  }
  const auto& a = j[key];
  if (expected != static_cast<std::size_t>(-1) && a.size() != expected) {
    throw InvalidArgument(where + ": tree array '" + key + "' holds " + std::to_string(a.size()) + " values, expected " +
                          std::to_string(expected));
  }
  std::vector<T> out;
  out.reserve(a.size());
  for (const auto& v : a) {
    if constexpr (std::is_integral_v<T>) {
      if (!v.is_number_integer()) throw InvalidArgument(where + ": tree array '" + key + "' holds a non-integer");
      out.push_back(v.get<T>());
    } else {
      if (!v.is_number() || !std::isfinite(v.get<double>())) {
        throw InvalidArgument(where + ": tree array '" + key + "' holds a value that is not a finite number");
      }
      out.push_back(v.get<T>());
    }
  }
  return out;
}

}  // namespace

void DecisionTree::from_json(const nlohmann::json& j, std::size_t n_features, std::size_t n_classes,
                             const std::string& where) {
  DecisionTree t;
  t.n_features_ = n_features;
  t.n_classes_ = n_classes;
  t.left_ = read_array<std::int32_t>(j, "children_left", static_cast<std::size_t>(-1), where);
  const std::size_t n = t.left_.size();
  if (n == 0) throw InvalidArgument(where + ": tree has no nodes");
  t.right_ = read_array<std::int32_t>(j, "children_right", n, where);
  t.feature_ = read_array<std::int32_t>(j, "feature", n, where);
  t.threshold_ = read_array<double>(j, "threshold", n, where);
  t.value_ = read_array<double>(j, "value", n * n_classes, where);
  if (j.contains("impurity")) {
    t.impurity_ = read_array<double>(j, "impurity", n, where);
    t.n_node_samples_ = read_array<std::int64_t>(j, "n_node_samples", n, where);
    t.weighted_n_node_samples_ = read_array<double>(j, "weighted_n_node_samples", n, where);
  }
  for (std::size_t i = 0; i < n; ++i) {
    const bool leaf = t.left_[i] == kLeaf;
    if (leaf != (t.right_[i] == kLeaf)) throw InvalidArgument(where + ": tree node " + std::to_string(i) + " has one child");
    if (leaf) continue;
    for (const auto child : {t.left_[i], t.right_[i]}) {
      if (child <= static_cast<std::int32_t>(i) || static_cast<std::size_t>(child) >= n) {
        throw InvalidArgument(where + ": tree node " + std::to_string(i) + " has child " + std::to_string(child) +
                              " outside (" + std::to_string(i) + ", " + std::to_string(n) + ")");
      }
    }
    if (t.feature_[i] < 0 || static_cast<std::size_t>(t.feature_[i]) >= n_features) {
      throw InvalidArgument(where + ": tree node " + std::to_string(i) + " splits on feature " +
                            std::to_string(t.feature_[i]) + " but the model has n_features=" +
                            std::to_string(n_features));
    }
  }
  for (const double v : t.value_) {
    if (v < 0.0) throw InvalidArgument(where + ": tree 'value' holds a negative class weight");
  }
  *this = std::move(t);
}

}  // namespace imbal::detail
