#include "imbal/matrix.hpp"

#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "imbal/error.hpp"

namespace imbal {

namespace detail {

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;
// Blocks from this size on get huge pages: below it the 4 KiB faults cost little.
constexpr std::size_t kHugeThreshold = std::size_t{8} << 20;
}  // namespace

void* allocate_matrix_storage(std::size_t bytes) {
  if (bytes >= kHugeThreshold) {
    const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* p = std::aligned_alloc(kHugePage, rounded);
    if (p == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    (void)madvise(p, rounded, MADV_HUGEPAGE);  // a hint: failure only costs speed
#endif
    return p;
  }
  return ::operator new(bytes == 0 ? 1 : bytes);
}

void deallocate_matrix_storage(void* p, std::size_t bytes) noexcept {
  if (p == nullptr) return;
  if (bytes >= kHugeThreshold) {
    std::free(p);  // NOLINT(cppcoreguidelines-no-malloc): pairs with aligned_alloc above
  } else {
    ::operator delete(p);
  }
}

}  // namespace detail

Matrix::Matrix(std::size_t rows, std::size_t cols, Storage data)
    : rows_(rows), cols_(cols), data_(std::move(data)) {
  IMBAL_ASSERT(data_.size() == rows * cols);
}

Matrix::Matrix(std::size_t rows, std::size_t cols, const std::vector<double>& data)
    : rows_(rows), cols_(cols), data_(data.begin(), data.end()) {
  IMBAL_ASSERT(data_.size() == rows * cols);
}

Matrix::Matrix(std::size_t rows, std::size_t cols, std::initializer_list<double> data)
    : rows_(rows), cols_(cols), data_(data.begin(), data.end()) {
  IMBAL_ASSERT(data_.size() == rows * cols);
}

Matrix Matrix::uninitialized(std::size_t rows, std::size_t cols) {
  Storage data;
  data.resize(rows * cols);  // default-initialised: not written
  return Matrix(rows, cols, std::move(data));
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
  Matrix::Storage data;
  data.reserve((indices.size() + spare_rows) * source.cols);
  for (const auto i : indices) {
    IMBAL_ASSERT(i < source.rows);
    const double* r = source.row(i);
    data.insert(data.end(), r, r + source.cols);
  }
  return Matrix(indices.size(), source.cols, std::move(data));
}

}  // namespace imbal
