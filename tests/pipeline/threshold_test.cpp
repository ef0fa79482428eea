// Thresholds: the sweep equals a brute-force search over every distinct score, the tie rule
// (nearest 0.5, then lower), cost parsing and the expected-cost rule.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "imbal/error.hpp"
#include "imbal/metrics.hpp"
#include "imbal/random.hpp"
#include "imbal/threshold.hpp"

namespace imbal {
namespace {

TEST(Threshold, SweepEqualsBruteForceOverDistinctScores) {
  Rng rng(11);
  for (int trial = 0; trial < 20; ++trial) {
    const std::size_t n = 40 + static_cast<std::size_t>(rng.below(40));
    std::vector<double> s(n);
    std::vector<std::int32_t> y(n);
    for (std::size_t i = 0; i < n; ++i) {
      y[i] = rng.uniform() < 0.25 ? 1 : 0;
      s[i] = std::round((rng.uniform() * 0.6 + 0.4 * y[i]) * 20) / 20;  // many ties
    }
    for (auto objective : {ThresholdObjective::FBeta, ThresholdObjective::BalancedAccuracy}) {
      const double beta = trial % 2 ? 2.0 : 1.0;
      const auto found = tune_threshold(s, y, objective, beta);
      std::vector<double> cand = s;
      std::sort(cand.begin(), cand.end());
      cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
      EXPECT_EQ(found.n_candidates, cand.size());
      double best = -1;
      double best_t = 0;
      for (double t : cand) {
        const auto pred = apply_threshold(s, t);
        metrics::LabelOptions o;
        o.zero_division = metrics::ZeroDivision::Zero;
        const double v = objective == ThresholdObjective::FBeta ? metrics::fbeta_score(y, pred, beta, o)
                                                                : metrics::balanced_accuracy_score(y, pred);
        const bool better = v > best + 1e-12 ||
                            (std::abs(v - best) <= 1e-12 &&
                             (std::abs(t - 0.5) < std::abs(best_t - 0.5) ||
                              (std::abs(t - 0.5) == std::abs(best_t - 0.5) && t < best_t)));
        if (better) {
          best = v;
          best_t = t;
        }
      }
      EXPECT_NEAR(found.objective, best, 1e-12);
      EXPECT_EQ(found.threshold, best_t) << "trial " << trial;
    }
  }
}

TEST(Threshold, CostIsMinimisedAndTiesGoToTheCandidateNearestHalf) {
  const std::vector<double> s = {0.1, 0.2, 0.3, 0.6, 0.8, 0.9};
  const std::vector<std::int32_t> y = {0, 0, 1, 0, 1, 1};
  const CostMatrix cost = parse_cost_matrix("fn=10,fp=1", 2);
  const auto r = tune_threshold(s, y, ThresholdObjective::Cost, 1.0, &cost);
  // Threshold 0.3: one false positive (0.6) and no false negative: cost 1.
  EXPECT_EQ(r.threshold, 0.3);
  EXPECT_EQ(r.objective, 1.0);
  // All costs 0: every candidate ties; the one nearest 0.5 wins, the lower among equals.
  const CostMatrix zero = parse_cost_matrix("fn=0", 2);
  const std::vector<double> s2 = {0.6, 0.1, 0.4, 0.95};
  const std::vector<std::int32_t> y2 = {1, 0, 1, 0};
  const auto r2 = tune_threshold(s2, y2, ThresholdObjective::Cost, 1.0, &zero);
  EXPECT_EQ(r2.threshold, 0.4);
  EXPECT_THROW(tune_threshold(s, y, ThresholdObjective::Cost), InvalidArgument);
  EXPECT_THROW(tune_threshold(s, std::vector<std::int32_t>{0, 1, 2, 0, 1, 1}, ThresholdObjective::FBeta),
               InvalidArgument);
}

TEST(Threshold, CostTextsAndTheirErrors) {
  const CostMatrix c = parse_cost_matrix("fn=10, fp=1,tp=0.5", 2);
  EXPECT_EQ(c.at(1, 0), 10.0);
  EXPECT_EQ(c.at(0, 1), 1.0);
  EXPECT_EQ(c.at(1, 1), 0.5);
  EXPECT_EQ(c.at(0, 0), 0.0);
  const CostMatrix m = parse_cost_matrix("0,1,1;5,0,1;10,2,0", 3);
  EXPECT_EQ(m.at(2, 0), 10.0);
  EXPECT_EQ(parse_cost_matrix(format_cost_matrix(m), 3).values, m.values);
  for (const char* bad : {"fn=-1", "fn=x", "fq=1", "0,1;1", "0,1;1,0;1,1", "fn"}) {
    EXPECT_THROW(parse_cost_matrix(bad, 2), InvalidArgument) << bad;
  }
  try {
    parse_cost_matrix("fn=10,fp=1", 3);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("full matrix"), std::string::npos) << e.what();
  }
}

TEST(Threshold, ExpectedCostRuleIsArgminOfExpectedCost) {
  const CostMatrix c = parse_cost_matrix("0,1,1;5,0,1;10,2,0", 3);
  Matrix p(3, 3, {0.8, 0.1, 0.1, 0.7, 0.3, 0.0, 1.0 / 3, 1.0 / 3, 1.0 / 3});
  // Row 0: costs k=0: .1*5+.1*10=1.5, k=1: .8+.1*2=1.0, k=2: .8+.1=0.9 -> 2.
  // Row 1: k=0: 1.5, k=1: 0.7, k=2: 0.7+0.3=1.0 -> 1.
  // Row 2: k=0: 5, k=1: 1, k=2: 2/3 -> 2.
  EXPECT_EQ(expected_cost_decision(p, c), (std::vector<std::int32_t>{2, 1, 2}));
  // The binary rule with costs fn, fp is the threshold fp / (fp + fn).
  const CostMatrix b = parse_cost_matrix("fn=3,fp=1", 2);
  Matrix q(2, 2, {0.76, 0.24, 0.74, 0.26});
  EXPECT_EQ(expected_cost_decision(q, b), (std::vector<std::int32_t>{0, 1}));
}

}  // namespace
}  // namespace imbal
