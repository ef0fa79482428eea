// Synthetic data generators: scikit-learn's make_classification and imbalanced-learn's
// make_imbalance, with our own random engine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "imbal/dataset.hpp"
#include "imbal/strategy.hpp"

namespace imbal {

/// Parameters and defaults of sklearn.datasets.make_classification (scikit-learn 1.2).
struct MakeClassificationOptions {
  std::size_t n_samples = 100;
  std::size_t n_features = 20;
  std::size_t n_informative = 2;
  std::size_t n_redundant = 2;
  std::size_t n_repeated = 0;
  std::size_t n_classes = 2;
  std::size_t n_clusters_per_class = 2;
  std::vector<double> weights;  // empty: balanced; n_classes or n_classes - 1 values
  double flip_y = 0.01;
  double class_sep = 1.0;
  bool hypercube = true;
  std::optional<double> shift = 0.0;  // none: random shift in [-class_sep, class_sep]
  std::optional<double> scale = 1.0;  // none: random scale in [1, 101]
  bool shuffle = true;
  std::uint64_t seed = 0;
};

/// Generates a classification problem. Columns are named x0..x{d-1}, the target "target" with
/// classes 0..n_classes-1. Throws InvalidArgument on inconsistent parameters.
Dataset make_classification(const MakeClassificationOptions& options);

/// imbalanced-learn's make_imbalance: randomly under-samples `data` to the per-class counts of
/// `strategy` (counts, or any under-sampling strategy); rows keep their original order.
Dataset make_imbalance(const Dataset& data, const SamplingStrategy& strategy, std::uint64_t seed);

}  // namespace imbal
