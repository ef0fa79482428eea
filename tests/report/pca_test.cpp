// PCA against scikit-learn 1.2's PCA(2) (values frozen below: the script is in the comment).
#include "imbal/pca.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "imbal/error.hpp"

namespace imbal {
namespace {

// /usr/bin/python3 -c "from sklearn.decomposition import PCA; import numpy as np;
//   p = PCA(2).fit(X); print(p.components_, p.explained_variance_, p.explained_variance_ratio_,
//   p.transform(X)[:3])"   with X below (scikit-learn 1.2.1, Debian 12).
const std::vector<double> kX = {2.5, 2.4, 0.5,  0.5, 0.7, 1.5, 2.2, 2.9, 0.1,  1.9, 2.2, 0.3, 3.1, 3.0, -0.2,
                                2.3, 2.7, 0.0,  2.0, 1.6, 0.9, 1.0, 1.1, 1.2,  1.5, 1.6, 0.8, 1.1, 0.9, 1.1};

TEST(Pca, EqualsScikitLearn) {
  const MatrixView X(kX.data(), 10, 3);
  const Pca p = Pca::fit(X);
  const double components[2][3] = {{-0.6047924780347935, -0.6642423780524719, 0.43932689618521076},
                                   {0.7952152906084304, -0.4738378868466651, 0.3782992183064044}};
  for (int r = 0; r < 2; ++r) {
    for (int j = 0; j < 3; ++j) EXPECT_NEAR(p.components()(r, j), components[r][j], 1e-12) << r << "," << j;
  }
  EXPECT_NEAR(p.explained_variance()[0], 1.5864506076555527, 1e-12);
  EXPECT_NEAR(p.explained_variance()[1], 0.05732840794690898, 1e-12);
  EXPECT_NEAR(p.explained_variance_ratio()[0], 0.95864478776017, 1e-12);
  EXPECT_NEAR(p.explained_variance_ratio()[1], 0.0346418471547053, 1e-12);
  const Matrix s = p.transform(X);
  const double scores[3][2] = {{-0.7955048026319441, 0.2711220797681825},
                               {1.982619092312056, -0.1354848755029433},
                               {-1.1219190067218263, -0.35568113816024083}};
  for (int i = 0; i < 3; ++i) {
    for (int r = 0; r < 2; ++r) EXPECT_NEAR(s(i, r), scores[i][r], 1e-12);
  }
}

TEST(Pca, StandardizedScoresHaveTheExplainedVariance) {
  std::vector<double> x;
  for (int i = 0; i < 200; ++i) {
    const double t = std::sin(i * 1.3);
    x.insert(x.end(), {1000.0 * t, t + 0.01 * std::cos(i), 5.0, std::cos(i * 0.4)});
  }
  const MatrixView X(x.data(), 200, 4);
  const Pca p = Pca::fit(X, {2, true});
  EXPECT_DOUBLE_EQ(p.scale()[2], 1.0);  // constant column
  const Matrix s = p.transform(X);
  for (std::size_t r = 0; r < 2; ++r) {
    double mean = 0.0;
    for (std::size_t i = 0; i < 200; ++i) mean += s(i, r);
    mean /= 200;
    double var = 0.0;
    for (std::size_t i = 0; i < 200; ++i) var += (s(i, r) - mean) * (s(i, r) - mean);
    var /= 199;
    EXPECT_NEAR(mean, 0.0, 1e-9);
    EXPECT_NEAR(var, p.explained_variance()[r], 1e-9);
    double norm = 0.0;
    for (std::size_t j = 0; j < 4; ++j) norm += p.components()(r, j) * p.components()(r, j);
    EXPECT_NEAR(norm, 1.0, 1e-12);
  }
  // The two correlated columns dominate the first component after standardising.
  EXPECT_GT(std::abs(p.components()(0, 0)), 0.6);
  EXPECT_GT(std::abs(p.components()(0, 1)), 0.6);
}

TEST(Pca, BadInput) {
  const std::vector<double> one = {1.0, 2.0};
  EXPECT_THROW((void)Pca::fit(MatrixView(one.data(), 1, 2)), InvalidArgument);
  EXPECT_THROW((void)Pca::fit(MatrixView(kX.data(), 10, 3), {4, false}), InvalidArgument);
  std::vector<double> bad = kX;
  bad[4] = std::nan("");
  EXPECT_THROW((void)Pca::fit(MatrixView(bad.data(), 10, 3)), InvalidArgument);
  const Pca p = Pca::fit(MatrixView(kX.data(), 10, 3));
  EXPECT_THROW((void)p.transform(MatrixView(one.data(), 1, 2)), InvalidArgument);
}

}  // namespace
}  // namespace imbal
