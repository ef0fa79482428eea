// k-means clustering (Lloyd's iterations from k-means++ seeds), as scikit-learn's KMeans
// (algorithm="lloyd") does it: k-means++ with 2 + floor(ln k) local trials per centre (Arthur &
// Vassilvitskii, "k-means++: the advantages of careful seeding", SODA 2007), Lloyd iterations
// until the labels stop changing or the centres move less than `tol` (relative to the mean
// variance of the features), empty clusters re-seeded with the rows farthest from their centre,
// and the best of `n_init` runs by inertia. Used by kmeans-smote and cluster-centroids.
//
// The k-means++ seeding compares its candidates in single precision (on the rows centred and
// scaled by a power of two: coordinates within 2^-24 of the largest centred value, arithmetic
// within about (d + 2) 2^-24 relative - errors of the kind scikit-learn's own distance formula
// makes in double); the centres it picks are rows of X, and the Lloyd steps are exact in double
// precision.
//
// Deterministic: run r draws from Rng(seed, r); every sum is taken in a fixed order (each
// cluster's rows in row order, the inertia over fixed blocks of rows in block order), so the
// result is the same at any thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "imbal/matrix.hpp"

namespace imbal {

struct KMeansOptions {
  std::size_t n_clusters = 8;
  std::size_t n_init = 10;    // scikit-learn 1.2's KMeans default
  std::size_t max_iter = 300;
  /// Convergence when the sum of squared centre moves is <= tol * (mean of the per-feature
  /// variances), as scikit-learn.
  double tol = 1e-4;
  /// Worker threads; 0 or negative = all cores. Results never depend on it.
  int n_jobs = 0;
  /// Skip the distance computations that provably cannot change a row's nearest centre
  /// (triangle-inequality bounds, with a safety margin far above rounding: Hamerly 2010 for the
  /// Lloyd steps, plus a test against the step's 8 fastest centres only - one group of Yinyang
  /// k-means, Ding et al. 2015 - and Elkan 2003's centre-to-centre test for the k-means++
  /// candidates). The result is that of plain Lloyd bit for bit, only faster; false runs the
  /// plain loops (for tests).
  bool use_bounds = true;
};

struct KMeansResult {
  Matrix centers;                    ///< n_clusters x n_features
  std::vector<std::int32_t> labels;  ///< nearest centre of every row (ties: lowest cluster)
  double inertia = 0.0;              ///< sum of squared distances of the rows to their centre
  std::size_t n_iter = 0;            ///< Lloyd iterations of the best run
};

/// Clusters the rows of X. Throws InvalidArgument when X is empty, n_clusters is 0 or larger
/// than the number of rows, n_init or max_iter is 0, tol is negative, or X has non-finite values.
KMeansResult kmeans(MatrixView X, const KMeansOptions& options, std::uint64_t seed);

/// Clusters the listed rows of X (rows[p] is the p-th row to cluster; labels[p] is its cluster),
/// reading them in place: the same result as kmeans() on a matrix of those rows, without the
/// copy. Also throws InvalidArgument when an index is not a row of X; non-finite values are
/// reported with X's row index.
KMeansResult kmeans(MatrixView X, std::span<const std::size_t> rows, const KMeansOptions& options,
                    std::uint64_t seed);

}  // namespace imbal
