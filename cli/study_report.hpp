// From cross-validation results to the HTML report's sections (include/imbal/report.hpp): the
// curves, confusion matrices and calibration bins of out-of-fold predictions, the class counts a
// method's samplers produce, and the PCA projection of original and synthetic rows. Shared by
// `imbal evaluate --report` (one method) and `imbal compare` (many).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "evaluate_report.hpp"
#include "imbal/cross_validation.hpp"
#include "imbal/dataset.hpp"
#include "imbal/pca.hpp"
#include "imbal/pipeline.hpp"
#include "imbal/report.hpp"

namespace imbal::cli {

/// The class the curves, F1 and thresholds are about: the least frequent class (lowest code among
/// equals), i.e. the minority a user of imbal cares about.
std::size_t report_positive_class(const Dataset& data);

/// The report's header: dataset, sizes, classes and their counts.
report::ReportData report_header(const Dataset& data, const std::string& data_path, const std::string& title);

/// One method's results: mean ± std of every metric (and fit time, appended as "fit_seconds"
/// when `with_fit_time`), PR / ROC / calibration / metric-versus-threshold curves of the
/// out-of-fold probabilities of `positive`, and the confusion matrix of the out-of-fold
/// predictions at `threshold` (binary: class 1 when p1 >= threshold; none: the folds' own
/// predictions).
report::MethodResult method_result(const std::string& name, const std::string& description, const Dataset& data,
                                   const CrossValidateResult& cv, std::size_t positive,
                                   std::optional<double> threshold, bool with_fit_time);

/// Runs the samplers of `config` once on all rows (seed `seed`) and records the class counts they
/// produce into `method.resampled_counts`; when `projection` is given and it has no synthetic rows
/// yet, the synthetic rows are projected with it and stored (the first over-sampler wins).
void add_resampling(report::MethodResult& method, const std::string& method_name, const PipelineConfig& config,
                    const Dataset& data, std::uint64_t seed, std::optional<report::Projection>* projection,
                    const Pca* pca);

/// The PCA (2 components, standardized features) of the data's original rows, stored in `fitted`;
/// none when the data has fewer than 2 columns or 3 rows.
std::optional<report::Projection> original_projection(const Dataset& data, std::optional<Pca>* fitted);

/// Installs the report writer of `imbal evaluate --report` (called from main).
void install_evaluate_report();

/// Writes the report atomically (a temporary file renamed over `path`).
void write_report(const std::string& path, const report::ReportData& data);

}  // namespace imbal::cli
