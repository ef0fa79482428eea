// Preprocessing: StandardScaler / MinMaxScaler semantics on numeric columns, categorical columns
// untouched by scaling and expanded by one-hot encoding, JSON round trip, bad codes.
#include <gtest/gtest.h>

#include <cmath>

#include "imbal/error.hpp"
#include "imbal/preprocessing.hpp"

namespace imbal {
namespace {

std::vector<Column> mixed_columns() {
  Column a{"a", ColumnKind::Numeric, {}};
  Column c{"colour", ColumnKind::Categorical, {"red", "blue", "green"}};
  Column b{"b", ColumnKind::Numeric, {}};
  Column k{"const", ColumnKind::Numeric, {}};
  return {a, c, b, k};
}

Matrix mixed_X() {
  return Matrix(4, 4, {1.0, 0, 10.0, 5.0,  //
                       2.0, 2, 20.0, 5.0,  //
                       3.0, 1, 40.0, 5.0,  //
                       6.0, 0, 10.0, 5.0});
}

TEST(Preprocessing, StandardScalingUsesPopulationStdAndLeavesCategoricalCodes) {
  Preprocessor p(Scaling::Standard, true);
  const Matrix X = mixed_X();
  p.fit(X, mixed_columns());
  const Matrix S = p.scale(X);
  // Column a: mean 3, population std sqrt(3.5).
  EXPECT_NEAR(S(0, 0), (1.0 - 3.0) / std::sqrt(3.5), 1e-15);
  EXPECT_NEAR(S(3, 0), (6.0 - 3.0) / std::sqrt(3.5), 1e-15);
  EXPECT_EQ(S(1, 1), 2.0);  // categorical code kept
  // A constant column keeps scale 1: (x - mean) / 1 = 0.
  EXPECT_EQ(S(2, 3), 0.0);
  double mean = 0, sq = 0;
  for (std::size_t i = 0; i < 4; ++i) mean += S(i, 2);
  for (std::size_t i = 0; i < 4; ++i) sq += S(i, 2) * S(i, 2);
  EXPECT_NEAR(mean, 0.0, 1e-14);
  EXPECT_NEAR(sq / 4, 1.0, 1e-14);
}

TEST(Preprocessing, MinMaxScalingMapsToUnitInterval) {
  Preprocessor p(Scaling::MinMax, false);
  const Matrix X = mixed_X();
  p.fit(X, mixed_columns());
  const Matrix S = p.scale(X);
  EXPECT_EQ(S(0, 0), 0.0);
  EXPECT_EQ(S(3, 0), 1.0);
  EXPECT_EQ(S(1, 2), 1.0 / 3.0);
  EXPECT_EQ(S(0, 3), 0.0);
}

TEST(Preprocessing, OneHotExpandsCategoricalColumnsInPlace) {
  Preprocessor p(Scaling::None, true);
  const Matrix X = mixed_X();
  p.fit(X, mixed_columns());
  EXPECT_EQ(p.n_output_features(), 6U);
  const Matrix E = p.transform(X);
  ASSERT_EQ(E.cols(), 6U);
  // Row 1: a=2, colour=green (code 2) -> 0,0,1, b=20, const=5.
  const std::vector<double> row1 = {2.0, 0.0, 0.0, 1.0, 20.0, 5.0};
  for (std::size_t j = 0; j < 6; ++j) EXPECT_EQ(E(1, j), row1[j]) << j;
  Preprocessor codes(Scaling::None, false);
  codes.fit(X, mixed_columns());
  EXPECT_EQ(codes.transform(X).storage(), X.storage());
  Matrix bad = X;
  bad(0, 1) = 3.0;
  EXPECT_THROW(p.encode(bad), InvalidArgument);
  bad(0, 1) = 0.5;
  EXPECT_THROW(p.encode(bad), InvalidArgument);
  EXPECT_THROW(p.scale(Matrix(2, 3)), InvalidArgument);
}

TEST(Preprocessing, JsonRoundTripIsExact) {
  Preprocessor p(Scaling::Standard, true);
  const Matrix X = mixed_X();
  p.fit(X, mixed_columns());
  Preprocessor q;
  q.load_json(p.save_json(), "test");
  EXPECT_EQ(q.transform(X).storage(), p.transform(X).storage());
  EXPECT_THROW(q.load_json("{\"scaling\": \"zscore\"}", "test"), InvalidArgument);
  EXPECT_THROW(q.load_json("{", "test"), std::exception);
  EXPECT_THROW(parse_scaling("robust"), InvalidArgument);
}

}  // namespace
}  // namespace imbal
