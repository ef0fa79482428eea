// Calibration: Platt's sigmoid reaches the optimum of his smoothed objective; isotonic
// regression is the weighted pool-adjacent-violators solution with scikit-learn's tie merging and
// clipped linear interpolation; the multi-class normalisation.
#include <gtest/gtest.h>

#include <cmath>

#include "imbal/calibration.hpp"
#include "imbal/error.hpp"
#include "imbal/random.hpp"

namespace imbal {
namespace {

TEST(Calibration, SigmoidGradientVanishesAtTheFit) {
  Rng rng(3);
  std::vector<double> f(200);
  std::vector<std::uint8_t> t(200);
  for (std::size_t i = 0; i < f.size(); ++i) {
    f[i] = rng.normal() * 2.0;
    t[i] = rng.uniform() < 1.0 / (1.0 + std::exp(-1.5 * f[i] + 0.3)) ? 1 : 0;
  }
  SigmoidCalibrator s;
  s.fit(f, t);
  double n1 = 0, n0 = 0;
  for (auto v : t) (v ? n1 : n0) += 1;
  double gA = 0, gB = 0;
  for (std::size_t i = 0; i < f.size(); ++i) {
    const double target = t[i] ? (n1 + 1) / (n1 + 2) : 1 / (n0 + 2);
    const double p = 1.0 / (1.0 + std::exp(s.a * f[i] + s.b));
    gA += (target - p) * f[i];
    gB += target - p;
  }
  EXPECT_LT(std::abs(gA), 1e-9);
  EXPECT_LT(std::abs(gB), 1e-9);
  EXPECT_LT(s.a, 0.0);  // higher score, higher probability
  EXPECT_NEAR(s.predict(0.0), 1.0 / (1.0 + std::exp(s.b)), 1e-15);
}

TEST(Calibration, SigmoidOnSeparableDataStaysFinite) {
  const std::vector<double> f = {-3, -2, -1, 1, 2, 3};
  const std::vector<std::uint8_t> t = {0, 0, 0, 1, 1, 1};
  SigmoidCalibrator s;
  s.fit(f, t);
  EXPECT_TRUE(std::isfinite(s.a));
  EXPECT_TRUE(std::isfinite(s.b));
  // Smoothed targets keep the fit finite; scikit-learn's _sigmoid_calibration gives
  // A = -0.6214000828966534, B = 0 (its BFGS stops at a gradient of 1e-5).
  EXPECT_NEAR(s.a, -0.6214000828966534, 1e-5);
  EXPECT_NEAR(s.b, 0.0, 1e-9);
  EXPECT_NEAR(s.predict(3), 0.8657857704842411, 1e-5);
}

TEST(Calibration, IsotonicIsPoolAdjacentViolators) {
  // Scores 1..6 with targets 1,0,1,0,0,1 (weights 1): PAV pools (1,0) -> 0.5, then (1,0,0) -> 1/3
  // which violates 0.5, pools to (1,0,1,0,0) -> 0.4, and 1 stays.
  const std::vector<double> f = {1, 2, 3, 4, 5, 6};
  const std::vector<std::uint8_t> t = {1, 0, 1, 0, 0, 1};
  IsotonicCalibrator iso;
  iso.fit(f, t);
  for (double x : {1.0, 2.0, 3.0, 4.0, 5.0}) EXPECT_NEAR(iso.predict(x), 0.4, 1e-15) << x;
  EXPECT_EQ(iso.predict(6), 1.0);
  EXPECT_NEAR(iso.predict(5.5), 0.7, 1e-15);  // linear between knots
  EXPECT_EQ(iso.predict(-10), 0.4);           // clipped
  EXPECT_EQ(iso.predict(10), 1.0);
  // Runs of equal values keep their first and last knot only.
  EXPECT_EQ(iso.x, (std::vector<double>{1, 5, 6}));
}

TEST(Calibration, IsotonicMergesTiedScoresAndUsesWeights) {
  const std::vector<double> f = {0.2, 0.2, 0.2, 0.9};
  const std::vector<std::uint8_t> t = {1, 0, 0, 1};
  const std::vector<double> w = {3, 1, 0, 1};  // weight 0 rows are ignored
  IsotonicCalibrator iso;
  iso.fit(f, t, w);
  EXPECT_NEAR(iso.predict(0.2), 0.75, 1e-15);
  EXPECT_EQ(iso.predict(0.9), 1.0);
}

TEST(Calibration, MultiClassRowsAreNormalisedAndBinaryUsesOneCalibrator) {
  Matrix scores(6, 3, {3, 0, 0, 0, 3, 0, 0, 0, 3, 2, 1, 0, 0, 2, 1, 1, 0, 2});
  const std::vector<std::int32_t> y = {0, 1, 2, 0, 1, 2};
  Calibrator c(CalibrationMethod::Sigmoid);
  c.fit(scores, y, 3);
  const Matrix p = c.predict_proba(scores);
  for (std::size_t i = 0; i < 6; ++i) EXPECT_NEAR(p(i, 0) + p(i, 1) + p(i, 2), 1.0, 1e-15);
  Calibrator loaded;
  loaded.load_json(c.save_json(), "test");
  EXPECT_EQ(loaded.predict_proba(scores).storage(), p.storage());

  Matrix binary(4, 1, {-1, 0.5, 2, -2});
  Calibrator b(CalibrationMethod::Isotonic);
  b.fit(binary, std::vector<std::int32_t>{0, 1, 1, 0}, 2);
  const Matrix q = b.predict_proba(binary);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(q(i, 0), 1.0 - q(i, 1));
  EXPECT_THROW(b.predict_proba(Matrix(2, 3)), InvalidArgument);
  EXPECT_THROW(parse_calibration("beta"), InvalidArgument);
}

}  // namespace
}  // namespace imbal
