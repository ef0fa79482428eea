// Every call to libsvm (Chang & Lin, "LIBSVM: A library for support vector machines", ACM TIST
// 2(3), 2011; Debian's libsvm-dev 3.24) is in this file. See svm.hpp for why the rows are
// handed over grouped by class.
#include <libsvm/svm.h>

#include <algorithm>
#include <memory>
#include <string>

#include "imbal/error.hpp"
#include "samplers/svm.hpp"

#include "core/numpy_sum.hpp"

namespace imbal::detail {

namespace {


void silent(const char*) {}

struct ModelDeleter {
  void operator()(svm_model* model) const { svm_free_and_destroy_model(&model); }
};

}  // namespace

double numpy_sum(const double* values, std::size_t n) {
  constexpr std::size_t kBlock = 8192;  // numpy's default ufunc buffer size
  double sum = 0.0;
  for (std::size_t start = 0; start < n; start += kBlock) sum += numpy_pairwise_sum(values + start, std::min(kBlock, n - start));
  return sum;
}

double svc_scale_gamma(MatrixView X) {
  // X.var() of the C-contiguous copy scikit-learn makes: elements in row-major order, summed
  // in numpy's blocks.
  const std::size_t n = X.rows * X.cols;
  if (n == 0) return 1.0;
  constexpr std::size_t kBlock = 8192;
  std::vector<double> block(std::min(n, kBlock));
  const auto load = [&](std::size_t start, std::size_t len) {
    for (std::size_t i = 0; i < len; ++i) block[i] = X((start + i) / X.cols, (start + i) % X.cols);
  };
  const double count = static_cast<double>(n);
  double sum = 0.0;
  for (std::size_t start = 0; start < n; start += kBlock) {
    const std::size_t len = std::min(kBlock, n - start);
    load(start, len);
    sum += numpy_pairwise_sum(block.data(), len);
  }
  const double mean = sum / count;
  double total = 0.0;
  for (std::size_t start = 0; start < n; start += kBlock) {
    const std::size_t len = std::min(kBlock, n - start);
    load(start, len);
    for (std::size_t i = 0; i < len; ++i) {
      const double t = block[i] - mean;
      block[i] = t * t;
    }
    total += numpy_pairwise_sum(block.data(), len);
  }
  const double var = total / count;
  return var != 0.0 ? 1.0 / (static_cast<double>(X.cols) * var) : 1.0;
}

std::vector<std::size_t> svc_support_rows(MatrixView X, std::span<const std::int32_t> y, const SvcSettings& settings) {
  const std::size_t n = X.rows;
  IMBAL_ASSERT(y.size() == n);
  // Rows grouped by class code, input order within a class (scikit-learn's order).
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return y[a] < y[b]; });
  if (n == 0 || y[order.front()] == y[order.back()]) {
    throw InvalidArgument("the support vector machine needs rows of at least two classes");
  }
  // Sparse rows without the zeros: adding a zero product does not change libsvm's dot products.
  std::size_t nonzero = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < X.cols; ++j) nonzero += X(i, j) != 0.0;
  }
  std::vector<svm_node> nodes;
  nodes.reserve(nonzero + n);
  std::vector<std::size_t> starts(n);
  std::vector<double> labels(n);
  for (std::size_t t = 0; t < n; ++t) {
    const double* row = X.row(order[t]);
    starts[t] = nodes.size();
    for (std::size_t j = 0; j < X.cols; ++j) {
      if (row[j] != 0.0) nodes.push_back(svm_node{static_cast<int>(j + 1), row[j]});
    }
    nodes.push_back(svm_node{-1, 0.0});
    labels[t] = static_cast<double>(y[order[t]]);
  }
  std::vector<svm_node*> rows(n);
  for (std::size_t t = 0; t < n; ++t) rows[t] = nodes.data() + starts[t];

  svm_problem problem{};
  problem.l = static_cast<int>(n);
  problem.y = labels.data();
  problem.x = rows.data();
  svm_parameter param{};
  param.svm_type = C_SVC;
  param.kernel_type = RBF;
  param.degree = 3;
  param.gamma = settings.gamma > 0.0 ? settings.gamma : svc_scale_gamma(X);
  param.coef0 = 0.0;
  // The kernel cache changes speed only, never the result: scikit-learn's 200 MB. libsvm fills it
  // column by column as the solver asks, so small problems use little of it. (Capped at twice
  // the input's size, svm-smote took 22.5 s instead of 14.7 s at 100k x 20.)
  param.cache_size = 200.0;
  param.eps = settings.tol;
  param.C = settings.C;
  param.nr_weight = 0;
  param.shrinking = settings.shrinking ? 1 : 0;
  param.probability = 0;
  if (const char* error = svm_check_parameter(&problem, &param)) {
    throw InvalidArgument(std::string("support vector machine: ") + error);
  }
  svm_set_print_string_function(&silent);
  const std::unique_ptr<svm_model, ModelDeleter> model(svm_train(&problem, &param));
  if (!model) throw RuntimeError("support vector machine: libsvm failed to train");
  const int n_sv = svm_get_nr_sv(model.get());
  std::vector<int> sv(static_cast<std::size_t>(std::max(n_sv, 0)));
  if (n_sv > 0) svm_get_sv_indices(model.get(), sv.data());
  std::vector<std::size_t> support;
  support.reserve(sv.size());
  for (const int one_based : sv) support.push_back(order[static_cast<std::size_t>(one_based - 1)]);
  std::sort(support.begin(), support.end());
  return support;
}

}  // namespace imbal::detail
