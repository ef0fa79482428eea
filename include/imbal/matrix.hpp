// Row-major float64 matrices: an owning Matrix and a non-owning MatrixView. Row-major float64
// end to end lets C-contiguous numpy arrays pass into the engine without a copy.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace imbal {

/// Read-only view of a row-major matrix; `stride` is the distance between rows in elements.
struct MatrixView {
  const double* data = nullptr;
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::size_t stride = 0;

  MatrixView() = default;
  MatrixView(const double* d, std::size_t r, std::size_t c) : data(d), rows(r), cols(c), stride(c) {}
  MatrixView(const double* d, std::size_t r, std::size_t c, std::size_t s)
      : data(d), rows(r), cols(c), stride(s) {}

  const double* row(std::size_t i) const { return data + i * stride; }
  std::span<const double> row_span(std::size_t i) const { return {row(i), cols}; }
  double operator()(std::size_t i, std::size_t j) const { return data[i * stride + j]; }
};

/// Owning row-major matrix.
class Matrix {
 public:
  Matrix() = default;
  Matrix(std::size_t rows, std::size_t cols, double fill = 0.0)
      : rows_(rows), cols_(cols), data_(rows * cols, fill) {}
  Matrix(std::size_t rows, std::size_t cols, std::vector<double> data);

  std::size_t rows() const { return rows_; }
  std::size_t cols() const { return cols_; }
  double* data() { return data_.data(); }
  const double* data() const { return data_.data(); }
  double* row(std::size_t i) { return data_.data() + i * cols_; }
  const double* row(std::size_t i) const { return data_.data() + i * cols_; }
  double& operator()(std::size_t i, std::size_t j) { return data_[i * cols_ + j]; }
  double operator()(std::size_t i, std::size_t j) const { return data_[i * cols_ + j]; }
  MatrixView view() const { return {data_.data(), rows_, cols_, cols_}; }
  operator MatrixView() const { return view(); }  // NOLINT(google-explicit-constructor)

  /// Appends rows (must have the same number of columns).
  void append_rows(MatrixView other);
  void reserve_rows(std::size_t rows) { data_.reserve(rows * cols_); }
  /// Appends one zero-filled row and returns it (amortised O(cols)).
  double* add_row() {
    data_.resize(data_.size() + cols_, 0.0);
    ++rows_;
    return data_.data() + (rows_ - 1) * cols_;
  }
  std::vector<double>& storage() { return data_; }
  const std::vector<double>& storage() const { return data_; }

 private:
  std::size_t rows_ = 0;
  std::size_t cols_ = 0;
  std::vector<double> data_;
};

/// Copies the rows `indices` of `source` (in that order) into a new matrix, with capacity for
/// `spare_rows` more rows (appended later without reallocating).
Matrix gather_rows(MatrixView source, std::span<const std::size_t> indices, std::size_t spare_rows = 0);

}  // namespace imbal
