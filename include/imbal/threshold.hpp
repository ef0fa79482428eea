// Decision rules on class probabilities: a fixed threshold on the probability of the positive
// class (binary), a threshold tuned on out-of-fold probabilities to maximise F-beta or balanced
// accuracy or to minimise a cost, and the expected-cost rule for any number of classes
// (Elkan 2001: predict argmin_k sum_j p(j|x) C[j][k]). docs/evaluation.md describes the search.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "imbal/dataset.hpp"
#include "imbal/matrix.hpp"

namespace imbal {

/// Misclassification costs: at(j, k) is the cost of predicting class k for a row of class j.
struct CostMatrix {
  std::size_t n_classes = 0;
  std::vector<double> values;  // n_classes^2, row-major (rows: true class)
  double at(std::size_t j, std::size_t k) const { return values[j * n_classes + k]; }
  bool empty() const { return n_classes == 0; }
};

/// Parses a cost text for `n_classes` classes:
///  - binary "fn=10,fp=1" (also tp=, tn=; unnamed costs are 0): fn = cost of predicting the
///    negative class (code 0) for a positive row (code 1), fp the converse;
///  - a full matrix, rows separated by ';' and entries by ',', one row per true class in class
///    code order: "0,1,1;5,0,1;10,2,0".
/// Costs must be finite and >= 0. Throws InvalidArgument naming `option` and what was expected.
CostMatrix parse_cost_matrix(std::string_view text, std::size_t n_classes, std::string_view option = "cost");
std::string format_cost_matrix(const CostMatrix& cost);

enum class ThresholdObjective { FBeta, BalancedAccuracy, Cost };
/// "f1", "fbeta", "balanced-accuracy", "cost" (f1 is fbeta with beta 1).
ThresholdObjective parse_threshold_objective(std::string_view text);
std::string_view to_string(ThresholdObjective objective);

struct ThresholdSearch {
  double threshold = 0.5;       // predict the positive class when p >= threshold
  double objective = 0.0;       // the objective at that threshold (a cost for Cost)
  std::size_t n_candidates = 0;  // distinct scores tried
};

/// Tunes a threshold on scores of the positive class (code 1) of binary rows `y` (codes 0/1):
/// every distinct score s is a candidate ("positive when score >= s"); the best objective wins;
/// among candidates whose objective is exactly equal, the one nearest 0.5, then the lower.
/// `cost` is needed for ThresholdObjective::Cost (2 x 2). `weight` may be empty.
ThresholdSearch tune_threshold(std::span<const double> score, std::span<const std::int32_t> y,
                               ThresholdObjective objective, double beta = 1.0, const CostMatrix* cost = nullptr,
                               std::span<const double> weight = {});

/// Codes 1 where p1 >= threshold, else 0.
std::vector<std::int32_t> apply_threshold(std::span<const double> p1, double threshold);
/// Codes of the expected-cost rule on probabilities (n x K): argmin_k sum_j p_j C[j][k], the
/// lowest code among equal expected costs.
std::vector<std::int32_t> expected_cost_decision(MatrixView proba, const CostMatrix& cost);

}  // namespace imbal
