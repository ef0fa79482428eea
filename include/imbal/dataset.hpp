// The data model: a row-major float64 feature matrix (categorical columns hold their level codes
// 0..L-1 as exact doubles), per-column metadata, and labels encoded as codes 0..K-1 in sorted
// order with their original spellings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "imbal/matrix.hpp"

namespace imbal {

enum class ColumnKind { Numeric, Categorical };

/// One feature column. For categorical columns `levels[code]` is the spelling of `code`;
/// levels are kept in order of first appearance in the source.
struct Column {
  std::string name;
  ColumnKind kind = ColumnKind::Numeric;
  std::vector<std::string> levels;

  bool categorical() const { return kind == ColumnKind::Categorical; }
};

/// The classes of a target: `names[code]` is the original spelling of class `code`.
/// Codes follow sorted order: numeric order when every label is a number (so -1 < 1 < 10),
/// byte-wise string order otherwise, which is the order numpy's np.unique gives.
struct ClassLabels {
  std::vector<std::string> names;
  bool numeric = false;

  std::size_t size() const { return names.size(); }
  /// The code of a class spelled `name`; also accepts a numerically equal spelling ("1.0" for
  /// "1") when labels are numeric. Throws InvalidArgument listing the classes when unknown.
  std::int32_t code_of(std::string_view name) const;
  /// Builds the labels from raw spellings: returns the code of every row.
  static ClassLabels encode(std::span<const std::string> raw, std::vector<std::int32_t>& codes);
};

/// A dataset. Features and labels are views: they point either into storage owned by the dataset
/// or into memory owned by someone else (a numpy array), kept alive through `owner`.
class Dataset {
 public:
  Dataset() = default;
  // Copies own their data (a copy of a wrapped dataset shares the owner); moves keep the views.
  Dataset(const Dataset& other);
  Dataset& operator=(const Dataset& other);
  Dataset(Dataset&&) noexcept = default;
  Dataset& operator=(Dataset&&) noexcept = default;
  ~Dataset() = default;
  /// Takes ownership of `features` (rows x columns.size()) and `labels` (codes into `classes`).
  Dataset(Matrix features, std::vector<std::int32_t> labels, std::vector<Column> columns,
          ClassLabels classes, std::string target_name = "target",
          std::size_t target_position = static_cast<std::size_t>(-1));
  /// Wraps external memory without copying; `owner` keeps it alive.
  static Dataset wrap(MatrixView features, std::span<const std::int32_t> labels,
                      std::vector<Column> columns, ClassLabels classes,
                      std::shared_ptr<const void> owner, std::string target_name = "target");

  MatrixView X() const { return X_; }
  std::span<const std::int32_t> y() const { return y_; }
  std::size_t rows() const { return X_.rows; }
  std::size_t cols() const { return X_.cols; }
  const std::vector<Column>& columns() const { return columns_; }
  const ClassLabels& classes() const { return classes_; }
  std::size_t n_classes() const { return classes_.size(); }
  const std::string& target_name() const { return target_name_; }
  /// Position of the target among all columns of the source file (features + target);
  /// equals cols() when the target is last.
  std::size_t target_position() const { return target_position_; }
  /// Per-class row counts, indexed by class code.
  std::vector<std::size_t> class_counts() const;
  /// Flags of categorical columns, one per feature column.
  std::vector<bool> categorical_mask() const;
  bool has_categorical() const;

  /// A new dataset with the same columns and classes but other rows.
  Dataset with_rows(Matrix features, std::vector<std::int32_t> labels) const;

 private:
  Matrix owned_X_;
  std::vector<std::int32_t> owned_y_;
  std::shared_ptr<const void> owner_;
  MatrixView X_;
  std::span<const std::int32_t> y_;
  std::vector<Column> columns_;
  ClassLabels classes_;
  std::string target_name_ = "target";
  std::size_t target_position_ = 0;
};

}  // namespace imbal
