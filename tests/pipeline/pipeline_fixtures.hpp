// Shared data for the pipeline tests: an imbalanced make_classification problem with an extra
// categorical column.
#pragma once

#include <string>
#include <vector>

#include "imbal/dataset.hpp"
#include "imbal/generators.hpp"

namespace imbal::testing {

/// n rows, 4 numeric features, a 3-level categorical column (in position 2) tied to the class,
/// minority share ~ `minority`.
inline Dataset mixed_dataset(std::size_t n, double minority, std::uint64_t seed, std::size_t n_classes = 2) {
  MakeClassificationOptions o;
  o.n_samples = n;
  o.n_features = 4;
  o.n_informative = 3;
  o.n_redundant = 1;
  o.n_classes = n_classes;
  o.n_clusters_per_class = 1;
  o.weights = n_classes == 2 ? std::vector<double>{1.0 - minority} : std::vector<double>{};
  o.flip_y = 0.02;
  o.class_sep = 0.8;
  o.seed = seed;
  const Dataset base = make_classification(o);
  Matrix X(base.rows(), 5);
  for (std::size_t i = 0; i < base.rows(); ++i) {
    const double* r = base.X().row(i);
    X(i, 0) = r[0];
    X(i, 1) = r[1];
    X(i, 2) = static_cast<double>((static_cast<std::size_t>(base.y()[i]) + (r[3] > 0.5 ? 1 : 0) + (i % 7 == 0)) % 3);
    X(i, 3) = r[2] * 10.0 + 3.0;
    X(i, 4) = r[3];
  }
  std::vector<Column> cols = {{"x0", ColumnKind::Numeric, {}},
                              {"x1", ColumnKind::Numeric, {}},
                              {"colour", ColumnKind::Categorical, {"red", "green", "blue"}},
                              {"x2", ColumnKind::Numeric, {}},
                              {"x3", ColumnKind::Numeric, {}}};
  std::vector<std::int32_t> y(base.y().begin(), base.y().end());
  return Dataset(std::move(X), std::move(y), std::move(cols), base.classes());
}

}  // namespace imbal::testing
