#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "imbal/csv.hpp"
#include "imbal/error.hpp"
#include "imbal/neighbors.hpp"
#include "imbal/registry.hpp"
#include "samplers/svm.hpp"

namespace imbal {
namespace {

std::unique_ptr<Sampler> svm_smote(std::uint64_t seed, std::vector<std::string> params = {}, int jobs = 1) {
  SamplerOptions options;
  options.random_state = seed;
  options.n_jobs = jobs;
  return make_sampler("svm-smote", params, options);
}

TEST(SvmSmote, ScaleGammaIsOneOverFeaturesTimesVariance) {
  const std::vector<double> X{1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(detail::svc_scale_gamma(MatrixView(X.data(), 2, 2)), 1.0 / (2 * 1.25));
  const std::vector<double> constant{3, 3, 3, 3, 3, 3};
  EXPECT_EQ(detail::svc_scale_gamma(MatrixView(constant.data(), 3, 2)), 1.0) << "scikit-learn: 1 when var == 0";
  // A strided view gives the same as the packed one.
  const std::vector<double> wide{1, 2, 99, 3, 4, 99};
  EXPECT_EQ(detail::svc_scale_gamma(MatrixView(wide.data(), 2, 2, 3)), detail::svc_scale_gamma(MatrixView(X.data(), 2, 2)));
}

TEST(SvmSmote, NumpySumIsPairwiseInBlocks) {
  // 0.1 added 20000 times: a plain running sum and numpy's differ; numpy gives
  // np.full(20000, 0.1).sum() == 2000.0000000000005 (numpy 1.24), the running sum does not.
  std::vector<double> v(20000, 0.1);
  double running = 0.0;
  for (const double x : v) running += x;
  EXPECT_EQ(detail::numpy_sum(v.data(), v.size()), 2000.0000000000005);
  EXPECT_NE(running, 2000.0000000000005);
}

TEST(SvmSmote, SupportVectorsOfASeparableProblem) {
  // 1-D: class 0 at 0..4, class 1 at 10..14. The border rows (4 and 10) must be support vectors;
  // rows far from the border are not.
  std::vector<double> X;
  std::vector<std::int32_t> y;
  for (int i = 0; i < 5; ++i) {
    X.push_back(i);
    y.push_back(0);
  }
  for (int i = 10; i < 15; ++i) {
    X.push_back(i);
    y.push_back(1);
  }
  const auto sv = detail::svc_support_rows(MatrixView(X.data(), X.size(), 1), y, {});
  EXPECT_TRUE(std::binary_search(sv.begin(), sv.end(), std::size_t{4}));
  EXPECT_TRUE(std::binary_search(sv.begin(), sv.end(), std::size_t{5}));
  EXPECT_TRUE(std::is_sorted(sv.begin(), sv.end()));
  // Class order in the input does not matter (rows are grouped by class code before libsvm).
  std::vector<double> X2;
  std::vector<std::int32_t> y2;
  for (std::size_t i = 0; i < X.size(); ++i) {
    X2.push_back(X[X.size() - 1 - i]);
    y2.push_back(y[X.size() - 1 - i]);
  }
  auto sv2 = detail::svc_support_rows(MatrixView(X2.data(), X2.size(), 1), y2, {});
  for (auto& r : sv2) r = X.size() - 1 - r;
  std::sort(sv2.begin(), sv2.end());
  EXPECT_EQ(sv, sv2);
  const std::vector<std::int32_t> one(X.size(), 0);
  EXPECT_THROW(detail::svc_support_rows(MatrixView(X.data(), X.size(), 1), one, {}), InvalidArgument);
}

// ecoli (shared dataset): the rows svm-smote creates from are support vectors of the class that
// are not noise; danger ones interpolate (step in [0, 1)), safe ones extrapolate (step in
// (-out_step, 0]); the neighbour is among the parent's k nearest rows of the class.
TEST(SvmSmote, NewRowsComeFromNonNoiseSupportVectorsOnEcoli) {
  const Dataset data = read_csv(std::string(IMBAL_DATASETS_DIR) + "/imb_ecoli.csv");
  const auto sv = detail::svc_support_rows(data.X(), data.y(), {});
  const std::int32_t minority = data.classes().code_of("1");
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < data.rows(); ++i) {
    if (data.y()[i] == minority) rows.push_back(i);
  }
  const NeighborIndex all(data.X());
  const Neighbors m_nn = all.query_rows(rows, 10, true);
  const NeighborIndex same_index(data.X(), rows);
  const Neighbors k_nn = same_index.query_rows(rows, 5, true);
  std::map<std::size_t, std::size_t> foreign;
  std::map<std::size_t, std::set<std::size_t>> knn;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::size_t f = 0;
    for (const auto j : m_nn.indices(i)) f += data.y()[j] != minority;
    foreign[rows[i]] = f;
    knn[rows[i]] = std::set<std::size_t>(k_nn.indices(i).begin(), k_nn.indices(i).end());
  }
  for (const double out_step : {0.5, 2.0}) {
    const ResampleResult r =
        svm_smote(3, {"out_step=" + std::to_string(out_step)})->fit_resample(data.X(), data.y(), data.n_classes());
    ASSERT_EQ(std::count(r.y.begin(), r.y.end(), minority), 301);
    std::size_t n_safe = 0;
    std::size_t n_danger = 0;
    for (std::size_t t = 0; t < r.provenance.size(); ++t) {
      const auto& p = r.provenance[t];
      const auto parent = static_cast<std::size_t>(p.parent);
      ASSERT_TRUE(std::binary_search(sv.begin(), sv.end(), parent)) << "parent is a support vector";
      ASSERT_LT(foreign[parent], 10u) << "noise support vectors are dropped";
      const bool danger = 2 * foreign[parent] >= 10;
      if (danger) {
        ++n_danger;
        ASSERT_GE(p.step, 0.0);
        ASSERT_LT(p.step, 1.0);
      } else {
        ++n_safe;
        ASSERT_LE(p.step, 0.0);
        ASSERT_GT(p.step, -out_step);
      }
      ASSERT_TRUE(knn[parent].count(static_cast<std::size_t>(p.neighbor)));
      for (std::size_t j = 0; j < data.cols(); ++j) {
        const double a = data.X()(parent, j);
        const double b = data.X()(static_cast<std::size_t>(p.neighbor), j);
        ASSERT_DOUBLE_EQ(r.X(r.n_copied + t, j), a + p.step * (b - a));
      }
    }
    EXPECT_GT(n_safe, 0u);
    EXPECT_GT(n_danger, 0u);
  }
}

TEST(SvmSmote, AllSupportVectorsNoiseIsAClearError) {
  // Minority rows scattered one by one inside a dense majority grid: every minority row has only
  // majority rows among its 10 nearest, so every support vector of the class is noise.
  std::vector<double> X;
  std::vector<std::int32_t> y;
  for (int i = 0; i < 30; ++i) {
    for (int j = 0; j < 30; ++j) {
      X.push_back(i);
      X.push_back(j);
      y.push_back(0);
    }
  }
  for (int t = 0; t < 8; ++t) {
    X.push_back(3.5 * t + 1.5);
    X.push_back(3.5 * t + 1.5);
    y.push_back(1);
  }
  const ClassLabels labels{{"neg", "pos"}, false};
  try {
    svm_smote(1)->fit_resample(MatrixView(X.data(), y.size(), 2), y, 2, {}, &labels);
    FAIL() << "expected an error";
  } catch (const InvalidArgument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("svm-smote: class 'pos'"), std::string::npos) << what;
    EXPECT_NE(what.find("noise"), std::string::npos) << what;
    EXPECT_NE(what.find("892 requested new rows"), std::string::npos) << what;
  }
}

TEST(SvmSmote, SmallClassesAndCategoricalColumnsAreClearErrors) {
  std::vector<double> X;
  std::vector<std::int32_t> y;
  for (int i = 0; i < 40; ++i) {
    X.push_back(i % 7);
    y.push_back(i < 36 ? 0 : 1);
  }
  try {
    svm_smote(1)->fit_resample(MatrixView(X.data(), y.size(), 1), y, 2);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("k_neighbors"), std::string::npos) << e.what();
  }
  try {
    svm_smote(1, {"m_neighbors=40", "k_neighbors=2"})->fit_resample(MatrixView(X.data(), y.size(), 1), y, 2);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("m_neighbors"), std::string::npos) << e.what();
  }
  EXPECT_THROW(svm_smote(1)->fit_resample(MatrixView(X.data(), y.size(), 1), y, 2, {true}), InvalidArgument);
  EXPECT_THROW(svm_smote(1, {"out_step=-1"}), InvalidArgument);
}

}  // namespace
}  // namespace imbal
