// The HTML report of `imbal compare` and `imbal evaluate --report`: one self-contained file
// (inline CSS and SVG, no script, no external font), readable offline and printable.
//
// The report only renders what it is given: the caller (compare / evaluate) fills a ReportData
// with measured numbers and curves. Sections without data are left out, so one method's report
// (evaluate) and the many-method study (compare) share the code.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "imbal/matrix.hpp"

namespace imbal::report {

/// A metric's mean and standard deviation over the cross-validation folds.
struct Score {
  double mean = 0.0;
  double std = 0.0;
};

/// A curve sampled at points (x ascending or as the curve runs).
struct Curve {
  std::vector<double> x;
  std::vector<double> y;
};

/// Everything measured for one method (a sampler and/or model configuration).
struct MethodResult {
  std::string name;         ///< e.g. "smote + logistic-regression"
  std::string description;  ///< one line: what it does
  /// Metric values in the order of ReportData::metric_names (NaN: not available).
  std::vector<Score> scores;
  std::optional<double> threshold;  ///< the tuned decision threshold, if any
  Curve pr;                         ///< recall (x) vs precision (y), out-of-fold
  Curve roc;                        ///< false positive rate (x) vs true positive rate (y)
  Curve calibration;                ///< mean predicted probability (x) vs observed frequency (y)
  /// Metric-versus-threshold curves (x: threshold), e.g. precision, recall, F1.
  std::vector<std::pair<std::string, Curve>> threshold_curves;
  /// Confusion matrix at the tuned (or default) threshold, row-major n_classes x n_classes,
  /// summed over the out-of-fold predictions.
  std::vector<double> confusion;
  /// Class counts of the training data after the method's resampling (empty: no resampling),
  /// in ReportData::class_names order (one fold's, or averaged over folds; say which in note).
  std::vector<double> resampled_counts;
  std::string note;
};

/// Original rows and (optionally) one method's synthetic rows projected on two principal
/// components.
struct Projection {
  std::string method;  ///< whose synthetic rows are shown
  Matrix original;     ///< n x 2
  std::vector<std::size_t> original_class;  ///< class code per original row
  Matrix synthetic;    ///< m x 2
  std::vector<std::size_t> synthetic_class;
  double explained_variance_ratio[2] = {0.0, 0.0};
};

struct ReportData {
  std::string title = "imbal report";
  std::string dataset;  ///< file name or "embedded default data"
  std::size_t rows = 0;
  std::size_t features = 0;
  std::vector<std::string> class_names;
  std::vector<double> class_counts;
  std::size_t positive_class = 1;  ///< code of the class the curves and F1 are about
  std::string protocol;            ///< how it was measured (folds, seed, threshold rule)
  std::string recommendation;      ///< the paragraph grounded in the numbers
  std::vector<std::string> metric_names;
  /// Metrics where lower is better (e.g. brier, fit time): best-in-column marks the minimum.
  std::vector<bool> lower_is_better;
  std::vector<MethodResult> methods;  ///< ranked, best first
  std::optional<Projection> projection;
  std::vector<std::string> warnings;
  std::string footer;  ///< e.g. imbal version and the command line
};

/// The whole report as one HTML document. Deterministic: the same data gives the same bytes.
std::string render_html(const ReportData& data);

/// Formats mean ± std with `digits` decimals ("0.812 ± 0.031"); NaN gives "–".
std::string format_score(const Score& s, int digits = 3);

}  // namespace imbal::report
