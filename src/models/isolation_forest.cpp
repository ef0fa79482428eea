// isolation-forest: scikit-learn 1.2's IsolationForest (Liu, Ting & Zhou, "Isolation forest",
// ICDM 2008) as a classifier for extreme imbalance. The forest is fitted on the rows without
// their labels, as scikit-learn fits it (labels only say which class is the anomaly: the
// `positive_class`, by default the smallest class). Each tree isolates max_samples rows drawn
// without replacement (bootstrap: with, duplicates counted once, as scikit-learn's bagging
// weights), splitting a uniformly drawn non-constant feature at a uniform threshold between its
// node minimum and maximum (float32 values, as ExtraTreeRegressor(max_features=1,
// splitter='random')), down to depth ceil(log2(max_samples)). The anomaly score of a row is
// s = 2^(-E[h] / c(max_samples)) (h: leaf depth + c(leaf rows); scikit-learn's score_samples is
// -s), and becomes the probability of the anomaly class through a monotone map with
// p = 1/2 at the decision threshold t = -offset_ (t = 1/2 for contamination='auto', where the map
// is p = s): p = s / (2t) for s <= t, 1/2 + (s - t) / (2 (1 - t)) above. Rankings, hence ROC-AUC
// and average precision, are those of scikit-learn's score_samples; predict agrees with
// scikit-learn's predict (outlier iff decision_function < 0). With more than two classes the
// other classes share 1 - p in proportion to their training counts.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numbers>

#include "imbal/error.hpp"
#include "imbal/model.hpp"
#include "models/parallel.hpp"
#include "core/parsed_json.hpp"
#include "models/tree.hpp"  // parse_count_or_fraction

namespace imbal {

namespace {

/// c(n): the average path length of an unsuccessful search in a binary search tree of n keys.
double average_path_length(double n) {
  if (n <= 1.0) return 0.0;
  if (n <= 2.0) return 1.0;
  return 2.0 * (std::log(n - 1.0) + std::numbers::egamma) - 2.0 * (n - 1.0) / n;
}

struct IsolationTree {
  std::vector<std::int32_t> left, right, feature;
  std::vector<double> threshold;
  std::vector<std::int64_t> n_node_samples;

  /// Depth of the leaf of x plus c(rows in that leaf).
  double path_length(const double* x) const {
    std::size_t node = 0;
    double depth = 0.0;
    while (left[node] != -1) {
      const auto f = static_cast<std::size_t>(feature[node]);
      node = static_cast<std::size_t>(static_cast<double>(static_cast<float>(x[f])) <= threshold[node] ? left[node]
                                                                                                     : right[node]);
      depth += 1.0;
    }
    return depth + average_path_length(static_cast<double>(n_node_samples[node]));
  }
};

/// Grows one isolation tree on `rows` (distinct), using only `features`. Values are compared as
/// float32, as scikit-learn's trees do.
IsolationTree grow(MatrixView X, std::vector<std::uint32_t> rows, const std::vector<std::size_t>& features,
                   std::int64_t max_depth, Rng& rng) {
  IsolationTree t;
  struct Item {
    std::size_t start, end;
    std::int64_t depth;
    std::int32_t parent;
    bool is_left;
  };
  std::vector<Item> stack{{0, rows.size(), 0, -1, false}};
  std::vector<std::size_t> candidates;
  while (!stack.empty()) {
    const Item item = stack.back();
    stack.pop_back();
    const auto id = static_cast<std::int32_t>(t.left.size());
    t.left.push_back(-1);
    t.right.push_back(-1);
    t.feature.push_back(-2);
    t.threshold.push_back(-2.0);
    t.n_node_samples.push_back(static_cast<std::int64_t>(item.end - item.start));
    if (item.parent >= 0) {
      (item.is_left ? t.left : t.right)[static_cast<std::size_t>(item.parent)] = id;
    }
    if (item.depth >= max_depth || item.end - item.start < 2) continue;
    // A uniformly drawn non-constant feature (drawing without replacement, constants dropped).
    candidates = features;
    std::size_t chosen = 0;
    float lo = 0.0f;
    float hi = 0.0f;
    bool found = false;
    while (!candidates.empty()) {
      const auto k = static_cast<std::size_t>(rng.below(candidates.size()));
      const std::size_t f = candidates[k];
      lo = std::numeric_limits<float>::infinity();
      hi = -std::numeric_limits<float>::infinity();
      for (std::size_t p = item.start; p < item.end; ++p) {
        const auto v = static_cast<float>(X(rows[p], f));
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      if (lo < hi) {
        chosen = f;
        found = true;
        break;
      }
      candidates[k] = candidates.back();
      candidates.pop_back();
    }
    if (!found) continue;  // every feature constant here: a leaf
    const double min_v = lo;
    const double max_v = hi;
    double thr = min_v + (max_v - min_v) * rng.uniform();
    if (thr == max_v) thr = min_v;
    std::size_t p = item.start;
    std::size_t end = item.end;
    while (p < end) {
      if (static_cast<double>(static_cast<float>(X(rows[p], chosen))) <= thr) {
        ++p;
      } else {
        --end;
        std::swap(rows[p], rows[end]);
      }
    }
    t.feature[static_cast<std::size_t>(id)] = static_cast<std::int32_t>(chosen);
    t.threshold[static_cast<std::size_t>(id)] = thr;
    stack.push_back({end, item.end, item.depth + 1, id, false});
    stack.push_back({item.start, end, item.depth + 1, id, true});
  }
  return t;
}

class IsolationForest final : public Model {
 public:
  IsolationForest(const MethodSchema& schema, Params params, ModelOptions options)
      : Model(schema, std::move(params), options) {
    (void)max_features_spec();
    (void)max_samples_spec();
  }

 protected:
  void fit_hook(const ModelFitInput& input) override {
    const std::size_t n = input.X.rows;
    const std::size_t d = input.X.cols;
    const std::size_t K = input.n_classes;
    // The anomaly class.
    std::int32_t anomaly = 0;
    if (params().is_none("positive_class")) {
      for (std::size_t c = 1; c < K; ++c) {
        if (input.class_rows[c].size() < input.class_rows[static_cast<std::size_t>(anomaly)].size()) {
          anomaly = static_cast<std::int32_t>(c);
        }
      }
    } else {
      anomaly = classes().code_of(params().get_string("positive_class"));
    }
    // Rows taking part (weight > 0; other weights do not change isolation trees).
    std::vector<std::uint32_t> active;
    for (std::size_t i = 0; i < n; ++i) {
      if (input.sample_weight[i] > 0.0) active.push_back(static_cast<std::uint32_t>(i));
    }
    const std::size_t n_active = active.size();
    std::size_t max_samples = 0;
    const auto ms = max_samples_spec();
    if (!ms) {
      max_samples = std::min<std::size_t>(256, n);
    } else if (ms->is_fraction) {
      max_samples = static_cast<std::size_t>(ms->fraction * static_cast<double>(n));
    } else if (static_cast<std::size_t>(ms->count) > n) {
      input.warn("isolation-forest: max_samples (" + std::to_string(ms->count) + ") is greater than the total number of "
                 "samples (" + std::to_string(n) + "); max_samples is set to n_samples");
      max_samples = n;
    } else {
      max_samples = static_cast<std::size_t>(ms->count);
    }
    if (max_samples == 0) {
      throw InvalidArgument("isolation-forest: max_samples gives 0 rows for " + std::to_string(n) +
                            " samples; expected at least 1");
    }
    const std::size_t draw = std::min(max_samples, n_active);
    const auto mf = max_features_spec();
    const std::size_t n_feat = mf.is_fraction
                                   ? std::max<std::size_t>(1, static_cast<std::size_t>(mf.fraction * static_cast<double>(d)))
                                   : static_cast<std::size_t>(mf.count);
    if (n_feat > d) {
      throw InvalidArgument("parameter 'max_features' of isolation-forest: " + std::to_string(n_feat) +
                            " features asked, the data has " + std::to_string(d));
    }
    const auto max_depth = static_cast<std::int64_t>(std::ceil(std::log2(static_cast<double>(std::max<std::size_t>(max_samples, 2)))));
    const bool bootstrap = params().get_bool("bootstrap");
    const auto T = static_cast<std::size_t>(params().get_int("n_estimators"));
    std::vector<IsolationTree> trees(T);
    detail::parallel_blocks(T, input.n_jobs, [&](std::size_t t) {
      Rng rng(input.seed, t);
      std::vector<std::size_t> features(d);
      if (n_feat < d) {
        features = rng.choice(d, n_feat, false);
      } else {
        for (std::size_t f = 0; f < d; ++f) features[f] = f;
      }
      std::vector<std::uint32_t> rows;
      rows.reserve(draw);
      for (const auto k : rng.choice(n_active, draw, bootstrap)) rows.push_back(active[k]);
      if (bootstrap) {
        std::sort(rows.begin(), rows.end());
        rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
      }
      trees[t] = grow(input.X, std::move(rows), features, max_depth, rng);
    });
    trees_ = std::move(trees);
    max_samples_ = max_samples;
    anomaly_ = anomaly;
    prior_.assign(K, 0.0);
    double others = 0.0;
    for (std::size_t c = 0; c < K; ++c) {
      if (static_cast<std::int32_t>(c) != anomaly) others += static_cast<double>(input.class_rows[c].size());
    }
    for (std::size_t c = 0; c < K; ++c) {
      if (static_cast<std::int32_t>(c) != anomaly) prior_[c] = static_cast<double>(input.class_rows[c].size()) / others;
    }
    // offset_: -0.5 for contamination 'auto', else the contamination percentile of the training
    // score_samples (numpy's linear interpolation).
    if (params().is_none("contamination") ||
        std::holds_alternative<std::string>(params().get("contamination"))) {
      offset_ = -0.5;
    } else {
      const double q = params().get_double("contamination");
      std::vector<double> scores(n);
      score_rows(input.X, scores.data(), input.n_jobs);
      for (auto& s : scores) s = -s;
      std::sort(scores.begin(), scores.end());
      const double pos = q * static_cast<double>(n - 1);
      const auto lo = static_cast<std::size_t>(std::floor(pos));
      const std::size_t hi = std::min(n - 1, lo + 1);
      const double frac = pos - static_cast<double>(lo);
      offset_ = scores[lo] + (scores[hi] - scores[lo]) * frac;
    }
  }

  void proba_hook(MatrixView X, Matrix& out, int n_jobs) const override {
    std::vector<double> s(X.rows);
    score_rows(X, s.data(), n_jobs);
    const double t = -offset_;
    const std::size_t K = out.cols();
    for (std::size_t i = 0; i < X.rows; ++i) {
      const double p = s[i] <= t ? (t > 0.0 ? s[i] / (2.0 * t) : 0.5) : 0.5 + (s[i] - t) / (2.0 * (1.0 - t));
      double* o = out.row(i);
      for (std::size_t c = 0; c < K; ++c) {
        o[c] = static_cast<std::int32_t>(c) == anomaly_ ? p : (1.0 - p) * prior_[c];
      }
    }
  }

  std::string state_json() const override {
    nlohmann::json trees = nlohmann::json::array();
    for (const auto& t : trees_) {
      trees.push_back({{"children_left", t.left},
                       {"children_right", t.right},
                       {"feature", t.feature},
                       {"threshold", t.threshold},
                       {"n_node_samples", t.n_node_samples}});
    }
    return nlohmann::json{{"trees", trees},
                          {"max_samples", max_samples_},
                          {"offset", offset_},
                          {"anomaly_class", anomaly_},
                          {"class_prior", prior_}}
        .dump();
  }

  void load_state(const detail::ParsedJson& state) override {
    const nlohmann::json& j = state.json;
    const std::string where = "isolation-forest state";
    if (!j.is_object() || !j.contains("trees") || !j["trees"].is_array() || j["trees"].empty()) {
      throw InvalidArgument(where + ": no 'trees' array (at least one tree)");
    }
    for (const char* key : {"max_samples", "offset", "anomaly_class"}) {
      if (!j.contains(key) || !j[key].is_number()) throw InvalidArgument(where + ": no number '" + key + "'");
    }
    if (!j.contains("class_prior") || !j["class_prior"].is_array() || j["class_prior"].size() != n_classes()) {
      throw InvalidArgument(where + ": 'class_prior' must hold " + std::to_string(n_classes()) + " numbers");
    }
    std::vector<IsolationTree> trees;
    for (const auto& tj : j["trees"]) {
      IsolationTree t;
      auto arr = [&](const char* key, auto& out) {
        if (!tj.is_object() || !tj.contains(key) || !tj[key].is_array()) {
          throw InvalidArgument(where + ": a tree has no array '" + key + "'");
        }
        try {
          tj[key].get_to(out);
        } catch (const nlohmann::json::exception&) {
          throw InvalidArgument(where + ": tree array '" + key + "' holds a value of the wrong type");
        }
      };
      arr("children_left", t.left);
      arr("children_right", t.right);
      arr("feature", t.feature);
      arr("threshold", t.threshold);
      arr("n_node_samples", t.n_node_samples);
      const std::size_t m = t.left.size();
      if (m == 0 || t.right.size() != m || t.feature.size() != m || t.threshold.size() != m ||
          t.n_node_samples.size() != m) {
        throw InvalidArgument(where + ": a tree's arrays differ in length");
      }
      for (std::size_t i = 0; i < m; ++i) {
        if ((t.left[i] == -1) != (t.right[i] == -1)) throw InvalidArgument(where + ": a node has one child");
        if (t.left[i] == -1) continue;
        if (t.left[i] <= static_cast<std::int32_t>(i) || t.right[i] <= static_cast<std::int32_t>(i) ||
            static_cast<std::size_t>(t.left[i]) >= m || static_cast<std::size_t>(t.right[i]) >= m) {
          throw InvalidArgument(where + ": node " + std::to_string(i) + " has a child out of range");
        }
        if (t.feature[i] < 0 || static_cast<std::size_t>(t.feature[i]) >= n_features()) {
          throw InvalidArgument(where + ": node " + std::to_string(i) + " splits on feature " +
                                std::to_string(t.feature[i]) + " but n_features is " + std::to_string(n_features()));
        }
        if (!std::isfinite(t.threshold[i])) throw InvalidArgument(where + ": a threshold is not finite");
      }
      trees.push_back(std::move(t));
    }
    const auto anomaly = j["anomaly_class"].get<std::int64_t>();
    if (anomaly < 0 || static_cast<std::size_t>(anomaly) >= n_classes()) {
      throw InvalidArgument(where + ": 'anomaly_class' is not a class code");
    }
    trees_ = std::move(trees);
    max_samples_ = j["max_samples"].get<std::size_t>();
    offset_ = j["offset"].get<double>();
    anomaly_ = static_cast<std::int32_t>(anomaly);
    prior_ = j["class_prior"].get<std::vector<double>>();
  }

 private:
  detail::CountOrFraction max_features_spec() const {
    return detail::parse_count_or_fraction(params().get("max_features"), 1, true,
                                           "parameter 'max_features' of isolation-forest");
  }
  std::optional<detail::CountOrFraction> max_samples_spec() const {
    const ParamValue& v = params().get("max_samples");
    if (const auto* s = std::get_if<std::string>(&v); s != nullptr && *s == "auto") return std::nullopt;
    return detail::parse_count_or_fraction(v, 1, true, "parameter 'max_samples' of isolation-forest");
  }

  /// The anomaly score s = 2^(-mean path length / c(max_samples)) of every row (-score_samples).
  void score_rows(MatrixView X, double* out, int n_jobs) const {
    const double denominator = static_cast<double>(trees_.size()) * average_path_length(static_cast<double>(max_samples_));
    const std::size_t rows_per_block = detail::block_rows(X.rows, 512);
    const std::size_t n_blocks = (X.rows + rows_per_block - 1) / rows_per_block;
    detail::parallel_blocks(n_blocks, n_jobs, [&](std::size_t b) {
      const std::size_t begin = b * rows_per_block;
      const std::size_t end = std::min(X.rows, begin + rows_per_block);
      std::vector<double> depth(end - begin, 0.0);
      for (const auto& t : trees_) {
        for (std::size_t i = begin; i < end; ++i) depth[i - begin] += t.path_length(X.row(i));
      }
      for (std::size_t i = begin; i < end; ++i) {
        out[i] = denominator != 0.0 ? std::exp2(-depth[i - begin] / denominator) : 1.0;
      }
    });
  }

  std::vector<IsolationTree> trees_;
  std::size_t max_samples_ = 0;
  double offset_ = -0.5;
  std::int32_t anomaly_ = 0;
  std::vector<double> prior_;
};

}  // namespace

namespace detail {

const MethodSchema& isolation_forest_schema() {
  static const MethodSchema schema = [] {
    auto spec = [](std::string name, ParamType type, ParamValue default_value, std::string doc) {
      ParamSpec p;
      p.name = std::move(name);
      p.type = type;
      p.default_value = std::move(default_value);
      p.doc = std::move(doc);
      return p;
    };
    MethodSchema s;
    s.name = "isolation-forest";
    s.python_class = "IsolationForest";
    s.python_module = "ensemble";
    s.family = "anomaly";
    s.summary = "Isolation forest (unsupervised) as a classifier: the anomaly score is the probability of the "
                "minority (or positive_class)";
    s.reference = "Liu, Ting & Zhou, Isolation forest, ICDM 2008; scikit-learn IsolationForest";
    ParamSpec n_estimators = spec("n_estimators", ParamType::Int, std::int64_t{100}, "Number of isolation trees");
    n_estimators.min = 1;
    ParamSpec max_samples = spec("max_samples", ParamType::Text, std::string("auto"),
                                 "Rows per tree: auto (min(256, n_samples)), an integer count, or a float fraction in "
                                 "(0, 1] (int(f * n_samples))");
    ParamSpec contamination = spec("contamination", ParamType::Float, std::string("auto"),
                                   "Share of outliers: auto (offset -0.5, the paper's threshold) or a float in (0, 0.5] "
                                   "(offset at that percentile of the training scores); moves where p = 0.5");
    contamination.choices = {"auto"};
    contamination.min = 0.0;
    contamination.min_exclusive = true;
    contamination.max = 0.5;
    ParamSpec max_features = spec("max_features", ParamType::Text, std::string("1.0"),
                                  "Features per tree: an integer count or a float fraction in (0, 1] "
                                  "(max(1, int(f * n_features)))");
    ParamSpec bootstrap = spec("bootstrap", ParamType::Bool, ParamValue(false),
                               "Draw each tree's rows with replacement (duplicates count once)");
    ParamSpec positive_class = spec("positive_class", ParamType::Text, std::monostate{},
                                    "The anomaly class, whose probability is the anomaly score; none: the class with "
                                    "the fewest training rows");
    positive_class.nullable = true;
    s.params = {n_estimators, max_samples, contamination, max_features, bootstrap, positive_class};
    return s;
  }();
  return schema;
}

std::unique_ptr<Model> isolation_forest_create(Params params, ModelOptions options) {
  return std::make_unique<IsolationForest>(isolation_forest_schema(), std::move(params), options);
}

}  // namespace detail

}  // namespace imbal
