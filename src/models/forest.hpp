// Forests of CART trees (models/tree.hpp) grown on bootstrap samples: the engine behind
// random-forest (Breiman, "Random forests", Machine Learning 45, 2001) and
// balanced-random-forest (Chen, Liaw & Breiman, "Using random forest to learn imbalanced data",
// 2004), with scikit-learn 1.2's bootstrap-as-weights, max_samples, balanced_subsample class
// weights, out-of-bag score and averaged tree probabilities.
//
// Tree t draws everything from its own stream Rng(seed, t) (its row subset, its bootstrap, its
// feature draws), so trees can be grown on any number of threads and the model is the same.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "imbal/model.hpp"
#include "models/tree.hpp"

namespace imbal::detail {

struct ForestSettings {
  std::size_t n_estimators = 100;
  TreeSettings tree;
  bool bootstrap = true;
  bool oob_score = false;
  bool balanced_subsample = false;           // class_weight="balanced_subsample" with bootstrap
  std::optional<CountOrFraction> max_samples;  // none: as many draws as rows
};

/// Reads n_estimators, bootstrap, oob_score, max_samples, class_weight and the tree parameters;
/// throws InvalidArgument on the combinations scikit-learn rejects.
ForestSettings forest_settings_from(const Params& params, const std::string& model_name);

/// The parameters shared by random-forest and balanced-random-forest, in scikit-learn's order
/// (n_estimators, tree parameters with max_features='sqrt', bootstrap, oob_score, class_weight
/// with balanced_subsample, max_samples).
std::vector<ParamSpec> forest_param_specs();

/// The class weights Model::fit applies (Model::fit_class_weight): balanced_subsample is applied
/// per tree with bootstrap, and is plain balanced without (scikit-learn's rule).
ParamValue forest_fit_class_weight(const Params& params);

/// The per-tree row subset (balanced-random-forest's under-sample): the rows the tree may draw
/// from, given the tree's stream. Not set: every row.
using RowSubset = std::function<std::vector<std::size_t>(Rng& rng)>;

class Forest {
 public:
  /// Grows the trees; warnings (rows without out-of-bag prediction) go to input.warn.
  void fit(const ModelFitInput& input, const ForestSettings& settings, const std::string& model_name,
           const RowSubset& subset = {});
  /// Average of the trees' probabilities, rows in parallel blocks (trees summed in order).
  void predict_proba(MatrixView X, Matrix& out, int n_jobs) const;

  const std::vector<DecisionTree>& trees() const { return trees_; }
  bool has_oob() const { return has_oob_; }
  double oob_score() const { return oob_score_; }
  /// n x n_classes (scikit-learn's oob_decision_function_), empty without oob_score.
  const Matrix& oob_decision_function() const { return oob_decision_; }
  /// scikit-learn's feature_importances_: mean over trees of each tree's normalised impurity
  /// decrease (saved in the model file; empty after loading a file that lacks them).
  const std::vector<double>& feature_importances() const { return importances_; }

  /// State object: trees (prediction arrays), feature importances, oob score and decision
  /// function when computed.
  nlohmann::json to_json() const;
  void from_json(const nlohmann::json& j, std::size_t n_features, std::size_t n_classes, const std::string& where);

 private:
  std::vector<DecisionTree> trees_;
  bool has_oob_ = false;
  double oob_score_ = 0.0;
  Matrix oob_decision_;
  std::vector<double> importances_;
};

/// The Model around a Forest: random-forest and balanced-random-forest differ only in the row
/// subset each tree draws from (grow's `subset`) and in their schema.
class ForestModel : public Model {
 public:
  ForestModel(const MethodSchema& schema, Params params, ModelOptions options);

  const Forest& forest() const { return forest_; }
  bool grows_trees() const override { return true; }

 protected:
  /// Fits the forest on `input` with the model's settings, each tree on `subset` (all rows when
  /// unset).
  void grow(const ModelFitInput& input, const RowSubset& subset = {});

  ParamValue fit_class_weight() const override;
  void proba_hook(MatrixView X, Matrix& out, int n_jobs) const override;
  std::string state_json() const override;
  void load_state(const ParsedJson& state) override;

 private:
  Forest forest_;
};

}  // namespace imbal::detail
