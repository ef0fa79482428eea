// PCA through the eigen-decomposition of the d x d covariance matrix (d is the number of
// features: small for the data imbal handles; n x d is never copied). See include/imbal/pca.hpp.
#include "imbal/pca.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <string>

#include "imbal/error.hpp"

namespace imbal {

Pca Pca::fit(MatrixView X, PcaOptions options) {
  const std::size_t n = X.rows;
  const std::size_t d = X.cols;
  if (n < 2) throw InvalidArgument("PCA needs at least 2 rows, got " + std::to_string(n));
  if (d == 0) throw InvalidArgument("PCA needs at least one column");
  if (options.n_components == 0 || options.n_components > std::min(n, d)) {
    throw InvalidArgument("n_components must be in [1, min(rows, columns)] = [1, " +
                          std::to_string(std::min(n, d)) + "], got " + std::to_string(options.n_components));
  }
  Pca p;
  p.mean_.assign(d, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double* x = X.row(i);
    for (std::size_t j = 0; j < d; ++j) {
      if (!std::isfinite(x[j])) {
        throw InvalidArgument("PCA input has a non-finite value at row " + std::to_string(i) + ", column " +
                              std::to_string(j));
      }
      p.mean_[j] += x[j];
    }
  }
  for (double& m : p.mean_) m /= static_cast<double>(n);

  // Covariance (n - 1 denominator), accumulated from centred rows.
  Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(d));
  Eigen::VectorXd c(static_cast<Eigen::Index>(d));
  for (std::size_t i = 0; i < n; ++i) {
    const double* x = X.row(i);
    for (std::size_t j = 0; j < d; ++j) c(static_cast<Eigen::Index>(j)) = x[j] - p.mean_[j];
    cov.selfadjointView<Eigen::Lower>().rankUpdate(c);
  }
  cov = cov.selfadjointView<Eigen::Lower>();
  cov /= static_cast<double>(n - 1);

  p.scale_.assign(d, 1.0);
  if (options.standardize) {
    for (std::size_t j = 0; j < d; ++j) {
      const auto jj = static_cast<Eigen::Index>(j);
      // Population standard deviation, as StandardScaler.
      const double sd = std::sqrt(cov(jj, jj) * static_cast<double>(n - 1) / static_cast<double>(n));
      p.scale_[j] = sd > 0 ? sd : 1.0;
    }
    for (std::size_t a = 0; a < d; ++a) {
      for (std::size_t b = 0; b < d; ++b) {
        cov(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) /= p.scale_[a] * p.scale_[b];
      }
    }
  }

  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(cov);
  if (solver.info() != Eigen::Success) throw InvalidArgument("PCA: the eigen-decomposition did not converge");
  const Eigen::VectorXd& values = solver.eigenvalues();  // ascending
  const Eigen::MatrixXd& vectors = solver.eigenvectors();
  double total = 0.0;
  for (Eigen::Index j = 0; j < values.size(); ++j) total += std::max(values(j), 0.0);

  const std::size_t k = options.n_components;
  p.components_ = Matrix(k, d);
  for (std::size_t r = 0; r < k; ++r) {
    const Eigen::Index col = static_cast<Eigen::Index>(d - 1 - r);
    for (std::size_t j = 0; j < d; ++j) p.components_(r, j) = vectors(static_cast<Eigen::Index>(j), col);
    const double var = std::max(values(col), 0.0);
    p.explained_variance_.push_back(var);
    p.explained_variance_ratio_.push_back(total > 0 ? var / total : 0.0);
  }

  // Sign rule: the score of largest magnitude (first such row) on every component is positive.
  const Matrix scores = p.transform(X);
  for (std::size_t r = 0; r < k; ++r) {
    double best = -1.0;
    double sign = 1.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double s = scores(i, r);
      if (std::abs(s) > best) {
        best = std::abs(s);
        sign = s < 0 ? -1.0 : 1.0;
      }
    }
    if (sign < 0) {
      for (std::size_t j = 0; j < d; ++j) p.components_(r, j) = -p.components_(r, j);
    }
  }
  return p;
}

Matrix Pca::transform(MatrixView X) const {
  const std::size_t d = mean_.size();
  if (X.cols != d) {
    throw InvalidArgument("PCA was fitted on " + std::to_string(d) + " columns, got rows with " +
                          std::to_string(X.cols));
  }
  const std::size_t k = components_.rows();
  Matrix out(X.rows, k);
  std::vector<double> z(d);
  for (std::size_t i = 0; i < X.rows; ++i) {
    const double* x = X.row(i);
    for (std::size_t j = 0; j < d; ++j) z[j] = (x[j] - mean_[j]) / scale_[j];
    for (std::size_t r = 0; r < k; ++r) {
      const double* comp = components_.row(r);
      double s = 0.0;
      for (std::size_t j = 0; j < d; ++j) s += z[j] * comp[j];
      out(i, r) = s;
    }
  }
  return out;
}

}  // namespace imbal
