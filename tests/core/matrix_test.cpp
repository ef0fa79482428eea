#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

#include "core/value_scan.hpp"
#include "imbal/matrix.hpp"

namespace imbal {
namespace {

TEST(ValueScan, FlagsExactlyTheValuesAtOrAboveThePowerOfTwo) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const int e : {-1022, -3, 0, 1, 52, 332, 1023, 1024}) {
    const double limit = std::ldexp(1.0, e);  // inf for e = 1024
    const double below = std::nextafter(limit, 0.0);
    std::vector<double> ok = {0.0, -0.0, below, -below, std::numeric_limits<double>::denorm_min(), 1e-300};
    if (e <= 0) std::erase_if(ok, [&](double v) { return std::fabs(v) >= limit; });
    EXPECT_TRUE(detail::all_magnitudes_below_pow2(ok.data(), ok.size(), e)) << e;
    for (const double bad : {limit, -limit, std::nextafter(limit, inf), inf, -inf, nan, -nan}) {
      if (std::isinf(bad) && e == 1024 && bad == limit) continue;  // limit itself is inf here
      std::vector<double> v(37, 0.5 * below);
      v[23] = bad;
      EXPECT_FALSE(detail::all_magnitudes_below_pow2(v.data(), v.size(), e)) << e << " " << bad;
    }
  }
  EXPECT_TRUE(detail::all_magnitudes_below_pow2(nullptr, 0, 1024));
}

TEST(Matrix, LargeStorageBehavesLikeAnyVector) {
  // 2.4e6 doubles (19 MB): the huge-page path of the allocator.
  const std::size_t rows = 120000;
  const std::size_t cols = 20;
  Matrix m(rows, cols, 1.5);
  EXPECT_EQ(m(rows - 1, cols - 1), 1.5);
  Matrix u = Matrix::uninitialized(rows, cols);
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < cols; ++j) u(i, j) = static_cast<double>(i * cols + j);
  }
  const Matrix copy = u;
  EXPECT_EQ(copy.storage(), u.storage());
  Matrix moved = std::move(u);
  EXPECT_EQ(moved(rows - 1, cols - 1), static_cast<double>(rows * cols - 1));
  moved.append_rows(m.view());
  EXPECT_EQ(moved.rows(), 2 * rows);
  EXPECT_EQ(moved(2 * rows - 1, 0), 1.5);
  EXPECT_EQ(moved(rows - 1, 0), static_cast<double>((rows - 1) * cols));
}

TEST(Matrix, BracedAndVectorConstructorsCopyTheValues) {
  const Matrix a(2, 2, {1.0, 2.0, 3.0, 4.0});
  const Matrix b(2, 2, std::vector<double>{1.0, 2.0, 3.0, 4.0});
  EXPECT_EQ(a.storage(), b.storage());
  EXPECT_EQ(a(1, 0), 3.0);
}

}  // namespace
}  // namespace imbal
