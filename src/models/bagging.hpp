// The bagging engine shared by balanced-bagging and easy-ensemble (imbalanced-learn 0.10's
// BalancedBaggingClassifier / EasyEnsembleClassifier, built on scikit-learn's bagging): every
// member draws rows (a bootstrap, or a subset without replacement) and features, resamples the
// drawn rows with a sampler (random-under by default) and fits a registered model on the result.
// Members are independent: they are fitted in parallel, each from its own seed, so the ensemble
// is the same at any thread count. Probabilities are the members' mean.
//   Breiman, "Bagging predictors", Machine Learning 24 (1996); Wang & Yao, "Diversity analysis
//   on imbalanced data sets by using ensemble models", CIDM 2009 (balanced bagging);
//   Liu, Wu & Zhou, "Exploratory undersampling for class-imbalance learning", IEEE Trans. SMC-B
//   39 (2009) (EasyEnsemble).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "imbal/model.hpp"
#include "models/ensemble.hpp"

namespace imbal::detail {

struct BaggingConfig {
  ComponentSpec estimator;
  ComponentSpec sampler;
  std::string sampling_strategy = "auto";
  std::size_t n_estimators = 10;
  double max_samples = 1.0;   // <= 1: a fraction of the rows; > 1: a row count
  double max_features = 1.0;  // the same for features
  bool bootstrap = true;
  bool bootstrap_features = false;
  bool oob_score = false;
};

class Bagging : public Model {
 public:
  using Model::Model;
  /// The out-of-bag accuracy of the last fit (oob_score=true), else NaN.
  double oob_score() const { return oob_score_; }

 protected:
  virtual BaggingConfig config() const = 0;

  void fit_hook(const ModelFitInput& input) override;
  void proba_hook(MatrixView X, Matrix& out, int n_jobs) const override;
  std::string state_json() const override;
  void load_state(const ParsedJson& state) override;

 private:
  std::vector<Member> members_;
  double oob_score_ = 0.0;
  bool has_oob_ = false;
};

/// A count from a fraction (<= 1) or an absolute count (> 1, a whole number) of `n`, as
/// scikit-learn's max_samples / max_features; `param` names it in errors.
std::size_t bagging_count(double value, std::size_t n, const char* param, const std::string& model);

}  // namespace imbal::detail
