// What `imbal train` writes and `imbal predict` reads: the fitted imbal::Pipeline's versioned
// JSON (include/imbal/pipeline.hpp: preprocessing, model(s), calibration, priors, decision rule;
// samplers are fit-time only) plus the training columns (names, kinds, categorical levels), the
// target name and the sample-weight column. Version-1 files (a model only) are still read.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "imbal/dataset.hpp"
#include "imbal/matrix.hpp"
#include "imbal/model.hpp"
#include "imbal/pipeline.hpp"

namespace imbal::cli {

struct TrainedPipeline {
  std::vector<Column> columns;  // feature columns, in training order
  std::string target;
  ClassLabels classes;
  std::string sample_weight_column;  // empty: none
  Pipeline pipeline;

  std::string to_json() const;
  /// Reads a file written by to_json; a malformed, truncated or mismatched text throws
  /// InvalidArgument naming `source` and what is wrong.
  static TrainedPipeline from_json(std::string_view text, const std::string& source, int n_jobs);

  /// The feature matrix of `data` in training column order. Columns are matched by name (extra
  /// columns are ignored); categorical levels are mapped to the training codes. When the data
  /// had no target column, `data`'s target holds its last column (`target_is_feature`).
  Matrix features_of(const Dataset& data, bool target_is_feature, const std::string& source) const;
};

}  // namespace imbal::cli
