// logistic-regression: optimality of the fitted coefficients against an objective written out
// independently here (so a wrong gradient in the model cannot hide), class weights, focal loss,
// convergence warnings. Parity with scikit-learn: tests/python/test_logistic_parity.py.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "imbal/class_weight.hpp"
#include "imbal/error.hpp"
#include "imbal/focal_loss.hpp"
#include "imbal/model_registry.hpp"
#include "imbal/random.hpp"

namespace imbal {
namespace {

struct Data {
  std::vector<double> X;
  std::vector<std::int32_t> y;
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::size_t K = 0;
  MatrixView view() const { return {X.data(), rows, cols}; }
};

Data blobs(const std::vector<std::size_t>& counts, std::size_t cols, std::uint64_t seed) {
  Data d;
  d.cols = cols;
  d.K = counts.size();
  Rng rng(seed);
  for (std::size_t c = 0; c < counts.size(); ++c) {
    for (std::size_t i = 0; i < counts[c]; ++i) {
      for (std::size_t j = 0; j < cols; ++j) d.X.push_back(rng.normal() + (j % counts.size() == c ? 1.2 : 0.0));
      d.y.push_back(static_cast<std::int32_t>(c));
      ++d.rows;
    }
  }
  return d;
}

std::unique_ptr<Model> lr(std::vector<std::string> params, int jobs = 1) {
  ModelOptions options;
  options.n_jobs = jobs;
  return make_model("logistic-regression", params, options);
}

/// The fitted parameters in the layout [W (outputs x d) row-major, b].
std::vector<double> parameters(const Model& m) {
  const auto j = nlohmann::json::parse(m.save_json());
  std::vector<double> theta;
  for (const auto& row : j["state"]["coef"]) {
    for (const auto& v : row) theta.push_back(v.get<double>());
  }
  for (const auto& v : j["state"]["intercept"]) theta.push_back(v.get<double>());
  return theta;
}

/// The objective, written out plainly: sum_i s_i loss_i + ||W||^2 / (2C).
double objective(const Data& d, const std::vector<double>& theta, const std::vector<double>& s, double C,
                 double gamma, double alpha) {
  const std::size_t outputs = d.K == 2 ? 1 : d.K;
  double f = 0.0;
  for (std::size_t i = 0; i < d.rows; ++i) {
    std::vector<double> z(outputs);
    for (std::size_t k = 0; k < outputs; ++k) {
      z[k] = theta[outputs * d.cols + k];
      for (std::size_t j = 0; j < d.cols; ++j) z[k] += theta[k * d.cols + j] * d.X[i * d.cols + j];
    }
    double pt = 0.0;
    double at = 1.0;
    if (outputs == 1) {
      const double p1 = 1.0 / (1.0 + std::exp(-z[0]));
      pt = d.y[i] == 1 ? p1 : 1.0 - p1;
      if (alpha >= 0) at = d.y[i] == 1 ? alpha : 1.0 - alpha;
    } else {
      double sum = 0.0;
      for (const double v : z) sum += std::exp(v);
      pt = std::exp(z[static_cast<std::size_t>(d.y[i])]) / sum;
    }
    f += s[i] * at * std::pow(1.0 - pt, gamma) * -std::log(pt);
  }
  double sq = 0.0;
  for (std::size_t j = 0; j < outputs * d.cols; ++j) sq += theta[j] * theta[j];
  return f + sq / (2.0 * C);
}

/// Largest central-difference gradient component of the objective at the fitted parameters.
double gradient_max(const Data& d, const std::vector<double>& theta, const std::vector<double>& s, double C,
                    double gamma = 0.0, double alpha = -1.0) {
  double worst = 0.0;
  for (std::size_t j = 0; j < theta.size(); ++j) {
    auto plus = theta;
    auto minus = theta;
    const double h = 1e-5;
    plus[j] += h;
    minus[j] -= h;
    const double g = (objective(d, plus, s, C, gamma, alpha) - objective(d, minus, s, C, gamma, alpha)) / (2 * h);
    worst = std::max(worst, std::abs(g));
  }
  return worst;
}

TEST(LogisticRegression, BinaryOptimumOfTheDocumentedObjective) {
  const Data d = blobs({120, 40}, 3, 1);
  auto m = lr({"tol=1e-9", "C=0.5"});
  m->fit(d.view(), d.y, d.K);
  EXPECT_TRUE(m->warnings().empty());
  const auto theta = parameters(*m);
  ASSERT_EQ(theta.size(), 4U) << "one coefficient vector and one intercept for K = 2";
  EXPECT_LT(gradient_max(d, theta, std::vector<double>(d.rows, 1.0), 0.5), 1e-5);
}

TEST(LogisticRegression, MultinomialOptimumAndInterceptsSumToZero) {
  const Data d = blobs({80, 50, 30}, 4, 2);
  auto m = lr({"tol=1e-9"});
  m->fit(d.view(), d.y, d.K);
  const auto theta = parameters(*m);
  ASSERT_EQ(theta.size(), 3U * 5U);
  EXPECT_LT(gradient_max(d, theta, std::vector<double>(d.rows, 1.0), 1.0), 1e-5);
  // Unpenalised intercepts are fixed up to a common shift; starting from 0, L-BFGS keeps
  // their sum at 0 (as scikit-learn's does).
  EXPECT_NEAR(theta[12] + theta[13] + theta[14], 0.0, 1e-9);
}

TEST(LogisticRegression, FocalLossOptimum) {
  const Data b = blobs({150, 30}, 3, 3);
  auto m = lr({"tol=1e-9", "focal_gamma=2", "focal_alpha=0.25"});
  m->fit(b.view(), b.y, b.K);
  EXPECT_LT(gradient_max(b, parameters(*m), std::vector<double>(b.rows, 1.0), 1.0, 2.0, 0.25), 1e-5);
  const Data c = blobs({60, 40, 20}, 3, 4);
  auto mc = lr({"tol=1e-9", "focal_gamma=1.5"});
  mc->fit(c.view(), c.y, c.K);
  EXPECT_LT(gradient_max(c, parameters(*mc), std::vector<double>(c.rows, 1.0), 1.0, 1.5, -1.0), 1e-5);
  auto bad = lr({"focal_alpha=0.25"});
  EXPECT_THROW(bad->fit(c.view(), c.y, c.K), InvalidArgument) << "focal_alpha is binary only";
}

TEST(LogisticRegression, GammaZeroIsTheLogLoss) {
  const Data d = blobs({100, 30}, 3, 5);
  auto plain = lr({});
  auto focal0 = lr({"focal_gamma=0"});
  auto half = lr({"focal_gamma=0", "focal_alpha=0.5", "C=2"});
  plain->fit(d.view(), d.y, d.K);
  focal0->fit(d.view(), d.y, d.K);
  half->fit(d.view(), d.y, d.K);
  EXPECT_EQ(plain->predict_proba(d.view()).storage(), focal0->predict_proba(d.view()).storage());
  // alpha = 0.5 halves the data term; with C doubled the optimum is the same.
  const auto a = parameters(*plain);
  const auto b = parameters(*half);
  for (std::size_t j = 0; j < a.size(); ++j) EXPECT_NEAR(a[j], b[j], 1e-3);
}

TEST(LogisticRegression, BalancedClassWeightEqualsExplicitSampleWeights) {
  const Data d = blobs({90, 20, 10}, 3, 6);
  auto balanced = lr({"class_weight=balanced"});
  balanced->fit(d.view(), d.y, d.K);
  std::vector<double> w(d.rows);
  for (std::size_t i = 0; i < d.rows; ++i) {
    const double count = d.y[i] == 0 ? 90 : d.y[i] == 1 ? 20 : 10;
    w[i] = 120.0 / (3.0 * count);
  }
  auto explicit_weights = lr({});
  explicit_weights->fit(d.view(), d.y, d.K, w);
  EXPECT_EQ(balanced->predict_proba(d.view()).storage(), explicit_weights->predict_proba(d.view()).storage());
  // class_weight and sample_weight multiply.
  auto dict = lr({"class_weight=0:1,1:4.5,2:9"});
  std::vector<double> sw(d.rows, 2.0);
  dict->fit(d.view(), d.y, d.K, sw);
  std::vector<double> product(d.rows);
  for (std::size_t i = 0; i < d.rows; ++i) product[i] = 2.0 * (d.y[i] == 0 ? 1.0 : d.y[i] == 1 ? 4.5 : 9.0);
  auto manual = lr({});
  manual->fit(d.view(), d.y, d.K, product);
  EXPECT_EQ(dict->predict_proba(d.view()).storage(), manual->predict_proba(d.view()).storage());
}

TEST(LogisticRegression, ParametersSurviveSaveAndLoad) {
  const Data d = blobs({40, 20}, 2, 10);
  ClassLabels labels;
  labels.names = {"neg", "pos"};
  for (const auto& params : std::vector<std::vector<std::string>>{
           {"class_weight=pos:2.5", "C=0.1", "focal_gamma=1.5", "focal_alpha=0.3"},
           {"class_weight=balanced", "penalty=none", "fit_intercept=false", "max_iter=7", "tol=1e-6"}}) {
    auto m = lr(params);
    m->fit(d.view(), d.y, d.K, {}, &labels);
    const std::string text = m->save_json();
    auto back = load_model_json(text);
    EXPECT_EQ(back->save_json(), text);
    for (const auto& [name, value] : m->params().values()) EXPECT_EQ(back->params().get(name), value) << name;
  }
}

TEST(LogisticRegression, MaxIterReachedGivesAWarning) {
  const Data d = blobs({100, 30}, 3, 7);
  auto m = lr({"max_iter=1"});
  m->fit(d.view(), d.y, d.K);
  ASSERT_EQ(m->warnings().size(), 1U);
  EXPECT_NE(m->warnings()[0].find("max_iter=1"), std::string::npos) << m->warnings()[0];
  // Separable data without a penalty: the coefficients grow until the gradient vanishes below
  // tol (or max_iter); no crash, finite probabilities, a perfect fit.
  Data sep;
  sep.cols = 1;
  sep.K = 2;
  for (int i = 0; i < 20; ++i) {
    sep.X.push_back(i < 10 ? -1.0 - i : 1.0 + i);
    sep.y.push_back(i < 10 ? 0 : 1);
    ++sep.rows;
  }
  auto none = lr({"penalty=none"});
  none->fit(sep.view(), sep.y, 2);
  const auto p = none->predict_proba(sep.view());
  for (const double v : p.storage()) EXPECT_TRUE(std::isfinite(v));
  EXPECT_EQ(none->predict(sep.view()), sep.y);
}

TEST(LogisticRegression, NoInterceptKeepsItZero) {
  const Data d = blobs({50, 50}, 2, 8);
  auto m = lr({"fit_intercept=false"});
  m->fit(d.view(), d.y, d.K);
  EXPECT_EQ(parameters(*m).back(), 0.0);
}

TEST(LogisticRegression, ParametersAreValidated) {
  EXPECT_THROW(lr({"C=0"}), InvalidArgument);
  EXPECT_THROW(lr({"penalty=l1"}), InvalidArgument);
  EXPECT_THROW(lr({"max_iter=-1"}), InvalidArgument);
  EXPECT_THROW(lr({"focal_alpha=1.5"}), InvalidArgument);
  EXPECT_THROW(lr({"focal_gamma=-1"}), InvalidArgument);
  EXPECT_THROW(lr({"class_weight=heavy"}), InvalidArgument);
  EXPECT_THROW(lr({"class_weight=a:-1"}), InvalidArgument);
  const Data d = blobs({20, 10}, 2, 9);
  auto m = lr({"class_weight=0:1,7:2"});
  EXPECT_THROW(m->fit(d.view(), d.y, d.K), InvalidArgument) << "class 7 does not exist";
}

TEST(ClassWeight, ScikitLearnSemantics) {
  const std::vector<std::int32_t> y = {0, 0, 0, 0, 1, 1, 2};
  const auto balanced = compute_class_weight(std::string("balanced"), y, 3);
  EXPECT_DOUBLE_EQ(balanced[0], 7.0 / (3 * 4));
  EXPECT_DOUBLE_EQ(balanced[1], 7.0 / (3 * 2));
  EXPECT_DOUBLE_EQ(balanced[2], 7.0 / (3 * 1));
  EXPECT_EQ(compute_class_weight(std::monostate{}, y, 3), std::vector<double>(3, 1.0));
  ClassLabels labels;
  labels.names = {"neg", "pos", "rare"};
  const auto dict = compute_class_weight(std::map<std::string, double>{{"rare", 5.0}}, y, 3, &labels);
  EXPECT_EQ(dict, (std::vector<double>{1.0, 1.0, 5.0}));
  EXPECT_THROW(compute_class_weight(std::map<std::string, double>{{"other", 5.0}}, y, 3, &labels), InvalidArgument);
  const std::vector<double> sw = {1, 2, 1, 1, 1, 1, 3};
  const auto w = compute_sample_weight(std::string("balanced"), y, 3, nullptr, sw);
  EXPECT_DOUBLE_EQ(w[1], 2.0 * 7.0 / 12.0);
  EXPECT_DOUBLE_EQ(w[6], 3.0 * 7.0 / 3.0);
}

TEST(FocalLossMetric, SeedTutorialFormula) {
  // -mean(alpha_t (1 - p_t)^gamma log p_t), alpha_t = alpha for y = 1, 1 - alpha otherwise.
  const std::vector<std::int32_t> y = {1, 0, 1, 0};
  const std::vector<double> p = {0.9, 0.2, 0.3, 0.0};
  const double expected = -(0.25 * std::pow(0.1, 2) * std::log(0.9) + 0.75 * std::pow(0.2, 2) * std::log(0.8) +
                            0.25 * std::pow(0.7, 2) * std::log(0.3) + 0.75 * std::pow(1e-15, 2) * std::log(1 - 1e-15)) /
                          4.0;
  EXPECT_NEAR(focal_loss(y, p), expected, 1e-15);
  // gamma = 0, alpha = 0.5: half the log loss.
  const double log_loss = -(std::log(0.9) + std::log(0.8) + std::log(0.3) + std::log(1 - 1e-15)) / 4.0;
  EXPECT_NEAR(focal_loss(y, p, 0.0, 0.5), 0.5 * log_loss, 1e-15);
  EXPECT_THROW(focal_loss(y, std::vector<double>{0.5}), InvalidArgument);
  EXPECT_THROW(focal_loss(std::vector<std::int32_t>{2}, std::vector<double>{0.5}), InvalidArgument);
  EXPECT_THROW(focal_loss(y, std::vector<double>{0.5, 1.5, 0.1, 0.1}), InvalidArgument);
  EXPECT_THROW(focal_loss(y, p, -1.0), InvalidArgument);
}

}  // namespace
}  // namespace imbal
