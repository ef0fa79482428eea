// The hook between `imbal evaluate --report FILE.html` and the HTML report (issue 7 builds the
// report; evaluate only fills this record). Until a report writer is installed, --report is a
// usage error that says so.
#pragma once

#include <functional>
#include <string>

#include "imbal/cross_validation.hpp"
#include "imbal/dataset.hpp"
#include "imbal/pipeline.hpp"

namespace imbal::cli {

/// Everything one evaluation produced: the data, the configuration, the cross-validation
/// (per-fold scores, out-of-fold probabilities and predictions) and the pipeline refitted on all
/// rows when the run needed it (tuned threshold), else null.
struct EvaluationRecord {
  const Dataset* data = nullptr;
  std::string data_path;
  const PipelineConfig* config = nullptr;
  const CrossValidateResult* cv = nullptr;
  const Pipeline* final_pipeline = nullptr;
  std::size_t n_splits = 0;
};

/// The report writer (empty until the report exists). Writes `path` or throws.
using EvaluationReportWriter = std::function<void(const std::string& path, const EvaluationRecord& record)>;
EvaluationReportWriter& evaluation_report_writer();

}  // namespace imbal::cli
