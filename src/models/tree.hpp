// CART classification trees (Breiman, Friedman, Olshen & Stone, "Classification and Regression
// Trees", 1984) with the semantics of scikit-learn 1.2's DecisionTreeClassifier: gini / entropy
// impurity on weighted class counts, best or random splitter, thresholds at the midpoint of two
// neighbouring float32 feature values, depth-first growth or best-first growth under
// max_leaf_nodes, the same stopping rules (min_samples_split / leaf, min_weight_fraction_leaf,
// min_impurity_decrease) and the same feature sampling without replacement, constant features
// skipped (docs/models/decision-tree.md).
//
// A tree is a reusable class: forests and boosting build many trees on one TreeData (the
// features cast to float32 and ranked once: every feature's sorted distinct values and each
// row's rank among them) from per-row weights (bootstrap counts x class weights x sample
// weights; rows of weight 0 are left out, as scikit-learn does). A node's best split on a
// feature never re-sorts raw values: large nodes accumulate weighted class counts per rank (a
// histogram over the feature's distinct values), small nodes sort the ranks of their rows.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "imbal/matrix.hpp"
#include "imbal/model.hpp"
#include "imbal/params.hpp"
#include "imbal/random.hpp"

namespace imbal::detail {

/// The features of a training set as float32 ranks, shared by every tree fitted on it.
struct TreeData {
  std::size_t rows = 0;
  std::size_t cols = 0;
  /// rank[f * rows + i]: index of float(X(i, f)) in values[f].
  std::vector<std::uint32_t> rank;
  /// Distinct float32 values of every feature, ascending.
  std::vector<std::vector<float>> values;
  /// rank8[f * rows + i] = rank[f * rows + i] for the narrow features (at most 256 distinct
  /// values, e.g. one-hot columns), 0 for the others: a quarter of the bytes for the node loops
  /// that gather scattered rows' ranks, so more of a column stays in cache.
  std::vector<std::uint8_t> rank8;
  /// The same one-byte ranks row by row: rank8_by_row[i * cols + f]. A small node reads several
  /// features of the same rows, which then share cache lines (see TreeBuilder::gather_ranks).
  /// Both one-byte copies are left empty when no feature is narrow.
  std::vector<std::uint8_t> rank8_by_row;

  bool narrow(std::size_t feature) const { return values[feature].size() <= 256; }

  /// Builds the ranks (features in parallel on up to n_jobs threads; the result does not depend
  /// on n_jobs).
  static TreeData build(MatrixView X, int n_jobs = 1);
  /// The TreeData of rows `rows` (in that order, repeats allowed) and columns `cols` (empty: all)
  /// of the data this was built from: equal to build() on those rows and columns, without
  /// sorting anything (each feature's ranks are renumbered over the values present).
  TreeData subset(std::span<const std::size_t> rows, std::span<const std::size_t> cols = {}) const;
  std::uint32_t rank_of(std::size_t row, std::size_t feature) const { return rank[feature * rows + row]; }
  /// Fills rank8 and rank8_by_row from rank (build and subset call it).
  void fill_narrow_ranks();
};

/// The ranking a tree model grows on: the one its caller handed over (ModelFitInput::ranked), else
/// X ranked now into `own`.
const TreeData& ranked_input(const ModelFitInput& input, TreeData& own);

enum class Criterion { Gini, Entropy };

/// An integer count or a fraction of the training rows / features, as scikit-learn's int-or-float
/// parameters ("2" is a count, "0.5" or "1.0" a fraction).
struct CountOrFraction {
  bool is_fraction = false;
  std::int64_t count = 0;
  double fraction = 0.0;
};

/// max_features: none (all), sqrt, log2, a count or a fraction.
struct MaxFeatures {
  enum class Kind { All, Sqrt, Log2, Count, Fraction } kind = Kind::All;
  std::int64_t count = 0;
  double fraction = 1.0;
  /// Features to draw per node (scikit-learn's max_features_); throws if a count exceeds n.
  std::size_t resolve(std::size_t n_features, const std::string& who) const;
};

/// Growth settings of one tree, as given (fractions are resolved at fit time).
struct TreeSettings {
  Criterion criterion = Criterion::Gini;
  bool random_splitter = false;
  std::int64_t max_depth = -1;  // -1: none
  CountOrFraction min_samples_split{false, 2, 0.0};
  CountOrFraction min_samples_leaf{false, 1, 0.0};
  double min_weight_fraction_leaf = 0.0;
  MaxFeatures max_features;
  std::int64_t max_leaf_nodes = -1;  // -1: none (depth-first growth)
  double min_impurity_decrease = 0.0;
};

/// Parses "none", "sqrt", "log2", an integer >= 1 or a float in (0, 1]; `who` names the
/// parameter and model in the error.
MaxFeatures parse_max_features(const ParamValue& value, const std::string& who);
/// Parses an int-or-float parameter: an integer >= min_count, or a float in (0, 1] (or (0, 1)
/// when !one_inclusive).
CountOrFraction parse_count_or_fraction(const ParamValue& value, std::int64_t min_count, bool one_inclusive,
                                        const std::string& who);

/// Tree settings from a model's parameters: criterion, splitter, max_depth, min_samples_split,
/// min_samples_leaf, min_weight_fraction_leaf, max_features, max_leaf_nodes,
/// min_impurity_decrease (those the schema has; the others keep their defaults).
TreeSettings tree_settings_from(const Params& params, const std::string& model_name);

/// The schema entries of the tree parameters, with scikit-learn's defaults (max_features'
/// default differs between trees and forests).
std::vector<ParamSpec> tree_param_specs(const std::string& max_features_default, bool with_splitter);

/// A fitted classification tree in contiguous node arrays (scikit-learn's tree_ layout: node 0
/// is the root; a leaf has left = right = -1 and feature = -2).
class DecisionTree {
 public:
  /// Fits on `data` with one label (class code < n_classes) and weight per row of `data`.
  /// Rows of weight 0 take no part. The random draws (feature order, random thresholds) come
  /// from `rng`.
  void fit(const TreeData& data, std::span<const std::int32_t> y, std::size_t n_classes,
           std::span<const double> weight, const TreeSettings& settings, Rng& rng);

  std::size_t node_count() const { return feature_.size(); }
  std::size_t n_classes() const { return n_classes_; }
  std::size_t n_features() const { return n_features_; }
  std::int64_t max_depth() const;
  std::size_t n_leaves() const;

  /// The leaf reached by a row of raw features (compared as float32, like scikit-learn).
  std::size_t apply(const double* x) const;
  /// Class probabilities of a row: the leaf's weighted class counts over their sum.
  void predict_proba_row(const double* x, double* out) const;
  /// Adds (not assigns) the probabilities of rows [begin, end) of X to out (row-major, n_classes
  /// columns, row `begin` first).
  void add_proba(MatrixView X, std::size_t begin, std::size_t end, double* out) const;
  /// Impurity decrease per feature, weighted by the node weights, not normalised.
  std::vector<double> impurity_decrease_per_feature() const;

  // The node arrays (scikit-learn names).
  const std::vector<std::int32_t>& children_left() const { return left_; }
  const std::vector<std::int32_t>& children_right() const { return right_; }
  const std::vector<std::int32_t>& feature() const { return feature_; }
  const std::vector<double>& threshold() const { return threshold_; }
  /// Weighted class counts per node: node_count x n_classes.
  const std::vector<double>& value() const { return value_; }
  const std::vector<double>& impurity() const { return impurity_; }
  const std::vector<std::int64_t>& n_node_samples() const { return n_node_samples_; }
  const std::vector<double>& weighted_n_node_samples() const { return weighted_n_node_samples_; }

  /// The node arrays as JSON; !full keeps only what prediction needs (children, feature,
  /// threshold, value), for forests.
  nlohmann::json to_json(bool full = true) const;
  /// Restores a tree saved by to_json; checks shapes, ranges and that children follow their
  /// parent. Throws InvalidArgument prefixed by `where`. Arrays a compact tree lacks stay empty.
  void from_json(const nlohmann::json& j, std::size_t n_features, std::size_t n_classes, const std::string& where);

 private:
  friend class TreeBuilder;
  std::int32_t add_node(std::int32_t parent, bool is_left, bool is_leaf, std::int32_t feature, double threshold,
                        double impurity, std::int64_t n_samples, double weighted_n);

  std::size_t n_features_ = 0;
  std::size_t n_classes_ = 0;
  std::vector<std::int32_t> left_;
  std::vector<std::int32_t> right_;
  std::vector<std::int32_t> feature_;
  std::vector<double> threshold_;
  std::vector<double> value_;
  std::vector<double> impurity_;
  std::vector<std::int64_t> n_node_samples_;
  std::vector<double> weighted_n_node_samples_;
};

}  // namespace imbal::detail
