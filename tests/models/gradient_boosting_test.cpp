// gradient-boosting: the focal-loss gradient and Hessian against finite differences of the loss
// written out independently here, the log-loss limit, determinism across thread counts in every
// randomised mode, weighting rules and errors. Quality against xgboost.XGBClassifier:
// tests/python/test_boosting_quality.py.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "imbal/error.hpp"
#include "imbal/model_registry.hpp"
#include "imbal/random.hpp"
#include "models/focal_gradient.hpp"

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

Data blobs(const std::vector<std::size_t>& counts, std::size_t cols, std::uint64_t seed, double shift = 1.2) {
  Data d;
  d.cols = cols;
  d.K = counts.size();
  Rng rng(seed);
  for (std::size_t c = 0; c < counts.size(); ++c) {
    for (std::size_t i = 0; i < counts[c]; ++i) {
      for (std::size_t j = 0; j < cols; ++j) d.X.push_back(rng.normal() + (j % counts.size() == c ? shift : 0.0));
      d.y.push_back(static_cast<std::int32_t>(c));
      ++d.rows;
    }
  }
  return d;
}

std::unique_ptr<Model> gb(std::vector<std::string> params, int jobs = 1, std::uint64_t seed = 3) {
  ModelOptions options;
  options.n_jobs = jobs;
  options.random_state = seed;
  return make_model("gradient-boosting", params, options);
}

// The focal loss of a softmax model, straight from its definition (no shared code with the model).
double focal_softmax_loss(const std::vector<double>& z, std::size_t y, double gamma) {
  double sum = 0.0;
  for (const double v : z) sum += std::exp(v);
  const double q = std::exp(z[y]) / sum;
  return -std::pow(1.0 - q, gamma) * std::log(q);
}

double focal_binary_loss(double z, bool positive, double gamma, double a) {
  const double p = 1.0 / (1.0 + std::exp(-z));
  const double q = positive ? p : 1.0 - p;
  return -a * std::pow(1.0 - q, gamma) * std::log(q);
}

TEST(GradientBoostingFocal, BinaryGradientAndHessianMatchFiniteDifferences) {
  const double h = 1e-4;
  for (const double gamma : {0.0, 0.5, 1.0, 2.0, 3.5}) {
    for (const double z : {-6.0, -2.5, -0.7, 0.0, 0.3, 1.9, 5.0}) {
      for (const bool positive : {false, true}) {
        const double a = positive ? 0.25 : 0.75;
        double g = 0.0, hs = 0.0;
        detail::focal_binary_grad_hess(z, positive, gamma, a, g, hs);
        const double fd_g = (focal_binary_loss(z + h, positive, gamma, a) - focal_binary_loss(z - h, positive, gamma, a)) / (2 * h);
        const double fd_h = (focal_binary_loss(z + h, positive, gamma, a) - 2 * focal_binary_loss(z, positive, gamma, a) +
                             focal_binary_loss(z - h, positive, gamma, a)) / (h * h);
        EXPECT_NEAR(g, fd_g, 1e-7 + 1e-6 * std::abs(fd_g)) << "gamma " << gamma << " z " << z << " pos " << positive;
        EXPECT_NEAR(hs, fd_h, 1e-5 + 1e-4 * std::abs(fd_h)) << "gamma " << gamma << " z " << z << " pos " << positive;
      }
    }
  }
}

TEST(GradientBoostingFocal, SoftmaxGradientAndDiagonalHessianMatchFiniteDifferences) {
  const double h = 1e-4;
  Rng rng(5);
  for (const double gamma : {0.0, 0.5, 1.0, 2.0, 3.0}) {
    for (int trial = 0; trial < 20; ++trial) {
      const std::size_t K = 3 + static_cast<std::size_t>(trial % 3);
      std::vector<double> z(K);
      for (auto& v : z) v = 3.0 * rng.normal();
      const std::size_t y = static_cast<std::size_t>(rng.below(K));
      std::vector<double> p(K), g(K), hs(K);
      detail::focal_softmax_grad_hess(z.data(), K, y, gamma, 1.0, p.data(), g.data(), hs.data());
      for (std::size_t k = 0; k < K; ++k) {
        auto at = [&](double dz) {
          auto zz = z;
          zz[k] += dz;
          return focal_softmax_loss(zz, y, gamma);
        };
        const double fd_g = (at(h) - at(-h)) / (2 * h);
        const double fd_h = (at(h) - 2 * at(0.0) + at(-h)) / (h * h);
        EXPECT_NEAR(g[k], fd_g, 1e-7 + 1e-6 * std::abs(fd_g)) << "gamma " << gamma << " trial " << trial << " k " << k;
        EXPECT_NEAR(hs[k], fd_h, 1e-5 + 1e-4 * std::abs(fd_h)) << "gamma " << gamma << " trial " << trial << " k " << k;
      }
    }
  }
}

TEST(GradientBoostingFocal, GammaZeroIsTheLogLoss) {
  for (const double z : {-3.0, 0.0, 2.0}) {
    double g = 0.0, hs = 0.0;
    detail::focal_binary_grad_hess(z, true, 0.0, 1.0, g, hs);
    const double p = 1.0 / (1.0 + std::exp(-z));
    EXPECT_NEAR(g, p - 1.0, 1e-15);
    EXPECT_NEAR(hs, p * (1.0 - p), 1e-15);
  }
}

TEST(GradientBoosting, LearnsSeparableClassesAndStoresTheBoosterJson) {
  const Data d = blobs({300, 60}, 4, 1, 3.0);
  auto model = gb({"n_estimators=20"});
  model->fit(d.view(), d.y, d.K);
  const auto pred = model->predict(d.view());
  std::size_t right = 0;
  for (std::size_t i = 0; i < d.rows; ++i) right += pred[i] == d.y[i] ? 1 : 0;
  EXPECT_GT(right, d.rows * 97 / 100);
  const auto j = nlohmann::json::parse(model->save_json());
  EXPECT_EQ(j["state"]["booster"]["learner"]["objective"]["name"], "binary:logistic");
  EXPECT_EQ(j["state"]["booster"]["learner"]["gradient_booster"]["model"]["trees"].size(), 20U);
  const Data m = blobs({100, 80, 60}, 4, 2, 3.0);
  model->fit(m.view(), m.y, m.K);
  const auto jm = nlohmann::json::parse(model->save_json());
  EXPECT_EQ(jm["state"]["booster"]["learner"]["objective"]["name"], "multi:softprob");
  EXPECT_EQ(jm["state"]["booster"]["learner"]["gradient_booster"]["model"]["trees"].size(), 60U) << "a tree per class per round";
}

TEST(GradientBoosting, SameSeedSameBytesAtOneAndTwoThreadsInEveryRandomisedMode) {
  // Above 100k feature values, so that XGBoost runs on 2 threads.
  const Data d = blobs({12000, 3000}, 8, 4, 0.8);
  const Data m = blobs({10000, 3000, 2000}, 8, 5, 0.8);
  for (const std::vector<std::string>& params :
       {std::vector<std::string>{"n_estimators=8", "subsample=0.7", "colsample_bytree=0.6"},
        std::vector<std::string>{"n_estimators=8", "focal_gamma=2", "focal_alpha=0.25", "subsample=0.8"},
        std::vector<std::string>{"n_estimators=6", "tree_method=approx", "subsample=0.8"},
        std::vector<std::string>{"n_estimators=6", "tree_method=exact", "colsample_bytree=0.5"}}) {
    auto one = gb(params, 1, 11);
    auto two = gb(params, 2, 11);
    one->fit(d.view(), d.y, d.K);
    two->fit(d.view(), d.y, d.K);
    EXPECT_EQ(one->save_json(), two->save_json()) << params[1];
    if (params[2].rfind("focal_alpha", 0) == 0) continue;  // binary only
    one->fit(m.view(), m.y, m.K);
    two->fit(m.view(), m.y, m.K);
    EXPECT_EQ(one->save_json(), two->save_json()) << params[1] << " (3 classes)";
  }
  // Another seed, another model (subsampling is random).
  auto a = gb({"n_estimators=5", "subsample=0.5"}, 1, 1);
  auto b = gb({"n_estimators=5", "subsample=0.5"}, 1, 2);
  a->fit(d.view(), d.y, d.K);
  b->fit(d.view(), d.y, d.K);
  EXPECT_NE(a->save_json(), b->save_json());
}

TEST(GradientBoosting, FocalMulticlassGammaRuns) {
  const Data m = blobs({200, 80, 40}, 3, 6, 2.0);
  auto model = gb({"n_estimators=30", "focal_gamma=2"});
  model->fit(m.view(), m.y, m.K);
  const auto pred = model->predict(m.view());
  std::size_t right = 0;
  for (std::size_t i = 0; i < m.rows; ++i) right += pred[i] == m.y[i] ? 1 : 0;
  EXPECT_GT(right, m.rows * 85 / 100);
}

TEST(GradientBoosting, FocalGammaZeroWithoutAlphaIsTheBuiltInObjective) {
  // focal_alpha=0.5 halves every weight: with min_child_weight and reg_lambda scaled by 1/2 the
  // trees are those of the built-in log loss (up to float rounding of the gradients).
  const Data d = blobs({400, 100}, 3, 7, 1.0);
  auto builtin = gb({"n_estimators=10", "tree_method=exact"});
  auto custom = gb({"n_estimators=10", "tree_method=exact", "focal_alpha=0.5", "min_child_weight=0.5", "reg_lambda=0.5"});
  builtin->fit(d.view(), d.y, d.K);
  custom->fit(d.view(), d.y, d.K);
  const Matrix a = builtin->predict_proba(d.view());
  const Matrix b = custom->predict_proba(d.view());
  for (std::size_t i = 0; i < a.storage().size(); ++i) ASSERT_NEAR(a.storage()[i], b.storage()[i], 1e-4) << i;
}

TEST(GradientBoosting, ScalePosWeightEqualsClassWeightOfTheSecondClass) {
  const Data d = blobs({400, 50}, 3, 8, 1.0);
  auto spw = gb({"n_estimators=10", "tree_method=exact", "scale_pos_weight=8"});
  auto cw = gb({"n_estimators=10", "tree_method=exact", "class_weight=1:8"});
  spw->fit(d.view(), d.y, d.K);
  cw->fit(d.view(), d.y, d.K);
  const Matrix a = spw->predict_proba(d.view());
  const Matrix b = cw->predict_proba(d.view());
  for (std::size_t i = 0; i < a.storage().size(); ++i) ASSERT_NEAR(a.storage()[i], b.storage()[i], 1e-5) << i;
  auto plain = gb({"n_estimators=10", "tree_method=exact"});
  plain->fit(d.view(), d.y, d.K);
  EXPECT_NE(plain->save_json(), spw->save_json()) << "the weight matters";
}

TEST(GradientBoosting, BadParametersAndValuesAreClearErrors) {
  const Data m = blobs({30, 20, 10}, 2, 9);
  EXPECT_THROW(gb({"scale_pos_weight=2"})->fit(m.view(), m.y, m.K), InvalidArgument);
  EXPECT_THROW(gb({"focal_alpha=0.3"})->fit(m.view(), m.y, m.K), InvalidArgument);
  EXPECT_THROW(gb({"subsample=0"}), InvalidArgument);
  EXPECT_THROW(gb({"tree_method=gpu_hist"}), InvalidArgument);
  EXPECT_THROW(gb({"max_depth=0"}), InvalidArgument);
  Data big = blobs({30, 20}, 2, 9);
  big.X[3] = 1e300;
  try {
    gb({})->fit(big.view(), big.y, big.K);
    FAIL() << "accepted 1e300";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("float32"), std::string::npos) << e.what();
  }
}

TEST(GradientBoosting, CorruptedBoosterIsAClearError) {
  const Data d = blobs({40, 20}, 3, 10);
  auto model = gb({"n_estimators=3"});
  model->fit(d.view(), d.y, d.K);
  auto j = nlohmann::json::parse(model->save_json());
  j["state"]["booster"]["learner"]["gradient_booster"]["model"]["trees"][0]["split_indices"] = "garbage";
  EXPECT_THROW((void)load_model_json(j.dump(), "m.json"), InvalidArgument);
  j = nlohmann::json::parse(model->save_json());
  j["state"]["booster"]["learner"]["learner_model_param"]["num_class"] = "4";
  EXPECT_THROW((void)load_model_json(j.dump(), "m.json"), InvalidArgument);
}

}  // namespace
}  // namespace imbal
