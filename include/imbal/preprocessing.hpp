// Preprocessing steps of a Pipeline (include/imbal/pipeline.hpp): scaling of the numeric columns
// (scikit-learn's StandardScaler / MinMaxScaler) and one-hot encoding of the categorical columns
// (OneHotEncoder, every level kept). Scaling is fitted on the training rows before any sampler
// runs; one-hot encoding is applied after the samplers, just before the model, so that
// category-aware samplers (smote-nc, smoten) still see the categorical columns as level codes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "imbal/dataset.hpp"
#include "imbal/matrix.hpp"

namespace imbal {

enum class Scaling { None, Standard, MinMax };
/// "none", "standard", "minmax"; InvalidArgument otherwise.
Scaling parse_scaling(std::string_view text);
std::string_view to_string(Scaling scaling);

class Preprocessor {
 public:
  Preprocessor() = default;
  Preprocessor(Scaling scaling, bool one_hot) : scaling_(scaling), one_hot_(one_hot) {}

  /// Learns the scaling of every numeric column of X (`columns`: one per column of X, may be
  /// empty: all numeric). Standard: (x - mean) / std (population std; a constant column keeps
  /// scale 1). MinMax: (x - min) / (max - min) (a constant column keeps scale 1).
  void fit(MatrixView X, const std::vector<Column>& columns);

  /// Scaled numeric columns; categorical columns keep their level codes. Same shape as X.
  Matrix scale(MatrixView X) const;
  /// Expands every categorical column into one 0/1 column per level (in place of the column),
  /// when one-hot encoding is on; a copy of X otherwise. A level code outside the column's
  /// levels throws InvalidArgument.
  Matrix encode(MatrixView X) const;
  /// Both steps (what prediction does).
  Matrix transform(MatrixView X) const { return encode(scale(X)); }

  std::size_t n_input_features() const { return columns_.size(); }
  std::size_t n_output_features() const;
  const std::vector<Column>& columns() const { return columns_; }
  Scaling scaling() const { return scaling_; }
  bool one_hot() const { return one_hot_; }
  /// Per numeric column: x' = (x - offset) / scale (identity for categorical columns).
  const std::vector<double>& offset() const { return offset_; }
  const std::vector<double>& scale_factors() const { return scale_; }

  /// The fitted state as a JSON object text, and back (throws InvalidArgument naming `source`).
  std::string save_json() const;
  void load_json(std::string_view text, std::string_view source);

 private:
  void check(MatrixView X) const;

  Scaling scaling_ = Scaling::None;
  bool one_hot_ = true;
  std::vector<Column> columns_;
  std::vector<double> offset_;
  std::vector<double> scale_;
};

}  // namespace imbal
