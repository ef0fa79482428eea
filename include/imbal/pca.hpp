// Principal component analysis (Pearson 1901; Hotelling 1933): the 2-D projection the report draws
// of original and synthetic rows, and a reusable transform. Matches scikit-learn 1.2's
// PCA(n_components) on centred data: the same components up to rounding, with its sign rule (each
// component's largest-magnitude score on the fitted rows is positive, as svd_flip with U-based
// decision makes it).
#pragma once

#include <cstddef>
#include <vector>

#include "imbal/matrix.hpp"

namespace imbal {

struct PcaOptions {
  std::size_t n_components = 2;
  /// Divide each centred column by its standard deviation first (PCA on the correlation
  /// matrix, i.e. StandardScaler then PCA). Constant columns are left at 0.
  bool standardize = false;
};

class Pca {
 public:
  /// Fits on the rows of X (at least 2 rows; n_components <= min(rows, cols)). Throws
  /// InvalidArgument naming the problem (non-finite values, too many components).
  static Pca fit(MatrixView X, PcaOptions options = {});

  /// Scores of rows (rows x n_components): ((x - mean) / scale) . components^T.
  Matrix transform(MatrixView X) const;

  std::size_t n_components() const { return components_.rows(); }
  /// n_components x n_features, unit rows, by decreasing explained variance.
  const Matrix& components() const { return components_; }
  const std::vector<double>& mean() const { return mean_; }
  /// Per-column divisor (1 unless standardize).
  const std::vector<double>& scale() const { return scale_; }
  /// Variance along each component (denominator n - 1, as scikit-learn).
  const std::vector<double>& explained_variance() const { return explained_variance_; }
  /// Share of the total variance along each component.
  const std::vector<double>& explained_variance_ratio() const { return explained_variance_ratio_; }

 private:
  Matrix components_;
  std::vector<double> mean_;
  std::vector<double> scale_;
  std::vector<double> explained_variance_;
  std::vector<double> explained_variance_ratio_;
};

}  // namespace imbal
