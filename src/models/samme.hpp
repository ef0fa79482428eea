// The AdaBoost engine shared by adaboost and rus-boost: multi-class AdaBoost, SAMME (discrete)
// and SAMME.R (real), as scikit-learn 1.2's AdaBoostClassifier runs them.
//   Freund & Schapire, "A decision-theoretic generalization of on-line learning and an
//   application to boosting", J. Comput. Syst. Sci. 55 (1997);
//   Zhu, Zou, Rosset & Hastie, "Multi-class AdaBoost", Statistics and Its Interface 2 (2009).
// rus-boost (Seiffert et al. 2010) fits every member on a random under-sample of the rows
// (the `member_rows` hook), and measures its error on all rows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "imbal/model.hpp"
#include "models/ensemble.hpp"

namespace imbal::detail {

class SammeBoost : public Model {
 public:
  using Model::Model;

  /// True when the members grow trees: an ensemble fitting this model can hand it ranked rows.
  bool grows_trees() const override;

 protected:
  /// The rows member `iboost` is fitted on (may repeat rows); the default: every row.
  virtual std::vector<std::size_t> member_rows(const ModelFitInput& input, std::size_t iboost, std::uint64_t seed) const;

  void fit_hook(const ModelFitInput& input) override;
  void proba_hook(MatrixView X, Matrix& out, int n_jobs) const override;
  /// scikit-learn's decision_function: n x 1 (binary) or n x K.
  Matrix decision_hook(MatrixView X, int n_jobs) const override;
  std::string state_json() const override;
  void load_state(const ParsedJson& state) override;

 private:
  /// Sum over members of their (weighted) votes, divided by the sum of member weights: n x K.
  Matrix votes(MatrixView X) const;
  ComponentSpec estimator_spec() const;
  bool real() const;

  std::vector<Member> members_;
  std::vector<double> weights_;  // estimator_weights_ (1 for every member under SAMME.R)
  std::vector<double> errors_;   // estimator_errors_
};

/// The `estimator` text of an AdaBoost-like model: `none` (the default: decision-tree(max_depth=1))
/// or a specification.
ComponentSpec boosting_estimator_spec(const Params& params);

/// Parameters every AdaBoost-like model has: estimator, n_estimators, learning_rate, algorithm.
std::vector<ParamSpec> samme_params();

}  // namespace imbal::detail
