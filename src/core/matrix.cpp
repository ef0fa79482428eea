#include "imbal/matrix.hpp"

#include <algorithm>

#include "imbal/error.hpp"

namespace imbal {

Matrix::Matrix(std::size_t rows, std::size_t cols, std::vector<double> data)
    : rows_(rows), cols_(cols), data_(std::move(data)) {
  IMBAL_ASSERT(data_.size() == rows * cols);
}

void Matrix::append_rows(MatrixView other) {
  if (rows_ == 0 && cols_ == 0) cols_ = other.cols;
  IMBAL_ASSERT(other.cols == cols_);
  data_.reserve(data_.size() + other.rows * cols_);
  for (std::size_t i = 0; i < other.rows; ++i) {
    const double* r = other.row(i);
    data_.insert(data_.end(), r, r + cols_);
  }
  rows_ += other.rows;
}

Matrix gather_rows(MatrixView source, std::span<const std::size_t> indices, std::size_t spare_rows) {
  // Reserve and append instead of zero-filling first: the output is written exactly once.
  std::vector<double> data;
  data.reserve((indices.size() + spare_rows) * source.cols);
  for (const auto i : indices) {
    IMBAL_ASSERT(i < source.rows);
    const double* r = source.row(i);
    data.insert(data.end(), r, r + source.cols);
  }
  return Matrix(indices.size(), source.cols, std::move(data));
}

}  // namespace imbal
