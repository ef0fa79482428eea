// iht: numpy's percentile rule, the cross-validated probabilities, estimators by name.
#include <gtest/gtest.h>

#include <algorithm>

#include "cleaning_oracle.hpp"
#include "imbal/error.hpp"
#include "imbal/model_registry.hpp"
#include "imbal/model_selection.hpp"
#include "imbal/registry.hpp"
#include "samplers/iht.hpp"

namespace imbal {
namespace {

namespace to = testing_oracle;

ResampleResult run(const to::Data& d, std::vector<std::string> params = {}, SamplingStrategy strategy = {},
                   int jobs = 1, std::uint64_t seed = 3) {
  SamplerOptions options;
  options.random_state = seed;
  options.n_jobs = jobs;
  options.sampling_strategy = std::move(strategy);
  auto s = make_sampler("iht", params, options);
  return s->fit_resample(d.view(), d.y, d.n_classes);
}

TEST(Iht, NumpyPercentile) {
  // Values printed by numpy 1.24: np.percentile(v, q).
  EXPECT_EQ(detail::numpy_percentile({0.2, 0.4, 0.4, 0.6, 1.0}, (1 - 3.0 / 5) * 100), 0.4);
  EXPECT_EQ(detail::numpy_percentile({0.1, 0.9, 0.3, 0.7}, (1 - 1.0 / 4) * 100), 0.75);
  EXPECT_EQ(detail::numpy_percentile({0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, (1 - 2.0 / 6) * 100), 0.5);
  EXPECT_EQ(detail::numpy_percentile({0.3, 0.1, 0.2}, (1 - 0.3 / 3) * 100), 0.28);
  EXPECT_EQ(detail::numpy_percentile({0.11, 0.27, 0.93, 0.55, 0.42, 0.61, 0.08}, (1 - 0.7) * 100), 0.23800000000000004);
  EXPECT_EQ(detail::numpy_percentile({0.4, 0.2}, 100.0), 0.4);
  EXPECT_EQ(detail::numpy_percentile({0.4, 0.2}, 0.0), 0.2);
}

TEST(Iht, ParseEstimator) {
  auto [name, params] = detail::parse_estimator("logistic-regression:C=0.5;max_iter=200");
  EXPECT_EQ(name, "logistic-regression");
  EXPECT_EQ(params, (std::vector<std::string>{"C=0.5", "max_iter=200"}));
  auto [plain, none] = detail::parse_estimator("k-neighbors");
  EXPECT_EQ(plain, "k-neighbors");
  EXPECT_TRUE(none.empty());
}

// The probabilities of the true class by the same folds and models, recomputed here.
std::vector<double> cv_proba(const to::Data& d, const std::string& model, const std::vector<std::string>& params,
                             std::uint64_t seed) {
  const auto splits = model_selection::StratifiedKFold(5, true, seed).split(d.y);
  std::vector<double> p(d.rows);
  for (const auto& s : splits) {
    std::vector<double> Xtr, Xte;
    std::vector<std::int32_t> ytr;
    for (const auto r : s.train) {
      Xtr.insert(Xtr.end(), d.X.begin() + static_cast<std::ptrdiff_t>(r * d.cols),
                 d.X.begin() + static_cast<std::ptrdiff_t>((r + 1) * d.cols));
      ytr.push_back(d.y[r]);
    }
    for (const auto r : s.test) {
      Xte.insert(Xte.end(), d.X.begin() + static_cast<std::ptrdiff_t>(r * d.cols),
                 d.X.begin() + static_cast<std::ptrdiff_t>((r + 1) * d.cols));
    }
    auto m = make_model(model, params, ModelOptions{1, 1});
    m->fit(MatrixView(Xtr.data(), s.train.size(), d.cols), ytr, d.n_classes);
    const Matrix pr = m->predict_proba(MatrixView(Xte.data(), s.test.size(), d.cols));
    for (std::size_t i = 0; i < s.test.size(); ++i) p[s.test[i]] = pr(i, static_cast<std::size_t>(d.y[s.test[i]]));
  }
  return p;
}

TEST(Iht, KeepsTheRowsAtOrAboveThePercentileOfCrossValidatedProbabilities) {
  const auto d = to::blobs({300, 60, 40}, 3, 1);
  for (const auto& [model, params] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"logistic-regression", {}}, {"k-neighbors", {}}, {"k-neighbors", {"n_neighbors=7", "weights=distance"}}}) {
    std::string spec = model;
    for (std::size_t i = 0; i < params.size(); ++i) spec += (i == 0 ? ":" : ";") + params[i];
    const auto r = run(d, {"estimator=" + spec}, {}, 1, 9);
    const auto p = cv_proba(d, model, params, 9);
    std::vector<double> p0, p1;
    for (std::size_t i = 0; i < d.rows; ++i) {
      if (d.y[i] < 2) (d.y[i] == 0 ? p0 : p1).push_back(p[i]);
    }
    const double t0 = detail::numpy_percentile(p0, (1.0 - 40.0 / 300.0) * 100.0);
    const double t1 = detail::numpy_percentile(p1, (1.0 - 40.0 / 60.0) * 100.0);
    std::vector<std::size_t> expected;
    for (std::size_t i = 0; i < d.rows; ++i) {
      if (d.y[i] == 2 || (d.y[i] == 0 && p[i] >= t0) || (d.y[i] == 1 && p[i] >= t1)) expected.push_back(i);
    }
    std::size_t ours1 = 0, exp1 = 0;
    for (const auto i : r.indices) ours1 += d.y[i] == 1;
    for (const auto i : expected) exp1 += d.y[i] == 1;
    std::string w;
    for (const auto& x : r.warnings) w += x + " | ";
    EXPECT_EQ(r.indices, expected) << spec << " class 1: ours " << ours1 << " expected " << exp1 << " t1 " << t1
                                   << " warnings " << w;
    ASSERT_TRUE(r.sample_indices.has_value());
    std::vector<std::size_t> counts(3, 0);
    for (const auto c : r.y) ++counts[static_cast<std::size_t>(c)];
    EXPECT_GE(counts[0], 40U);
    EXPECT_EQ(counts[2], 40U);
    if (counts[0] != 40 || counts[1] != 40) {
      EXPECT_FALSE(r.warnings.empty()) << "ties kept more rows: said so";
    }
  }
}

TEST(Iht, DefaultEstimatorIsKNeighborsUntilARandomForestIsRegistered) {
  const auto& schema = find_sampler("iht").schema();
  const auto* p = schema.find("estimator");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(std::get<std::string>(p->default_value), "random-forest");
  EXPECT_EQ(std::get<std::int64_t>(schema.find("cv")->default_value), 5);
}

TEST(Iht, SameOutputAtAnyThreadCount) {
  const auto d = to::blobs({3000, 400}, 4, 2);
  EXPECT_EQ(run(d, {}, {}, 1).indices, run(d, {}, {}, 2).indices);
  EXPECT_EQ(run(d, {"estimator=logistic-regression"}, {}, 1).indices,
            run(d, {"estimator=logistic-regression"}, {}, 2).indices);
}

TEST(Iht, BadEstimatorsAreClearErrors) {
  const auto d = to::blobs({60, 20}, 2, 3);
  auto expect_error = [&](const std::string& spec, const std::string& words) {
    try {
      run(d, {"estimator=" + spec});
      ADD_FAILURE() << "accepted " << spec;
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  };
  expect_error("random-tree", "unknown model");
  expect_error("logistic-regression:C=-1", "C");
  expect_error("logistic-regression:nope=1", "nope");
  expect_error("k-neighbors:n_neighbors=100", "n_neighbors");
  EXPECT_THROW(run(d, {"cv=1"}), InvalidArgument);
}

}  // namespace
}  // namespace imbal
