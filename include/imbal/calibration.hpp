// Probability calibration of a classifier's decision scores, scikit-learn 1.2's
// CalibratedClassifierCV semantics: one calibrator per class on the one-vs-rest target (one for a
// binary model, on the score of class 1), then binary: p0 = 1 - p1; multi-class: rows
// normalised to sum 1 (a row of zeros becomes uniform).
//   - sigmoid: Platt (1999), "Probabilistic outputs for support vector machines", with his
//     target smoothing T+ = (N+ + 1) / (N+ + 2), T- = 1 / (N- + 2); p = 1 / (1 + exp(A f + B)).
//   - isotonic: pool-adjacent-violators (Ayer et al. 1955; Zadrozny & Elkan 2002) on the scores,
//     linear interpolation between the fitted points, clipped outside them.
// The cross-validated ensemble (CalibratedClassifierCV(cv=5, ensemble=True)) is the Pipeline's
// (include/imbal/pipeline.hpp): it fits a model per fold and a calibrator on the held-out fold.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "imbal/matrix.hpp"

namespace imbal {

enum class CalibrationMethod { None, Sigmoid, Isotonic };
/// "none", "sigmoid", "isotonic"; InvalidArgument otherwise.
CalibrationMethod parse_calibration(std::string_view text);
std::string_view to_string(CalibrationMethod method);

/// Platt scaling of one score column against a 0/1 target.
struct SigmoidCalibrator {
  double a = 0.0;
  double b = 0.0;
  /// Minimises Platt's smoothed cross-entropy by Newton's method with a backtracking line search
  /// (Lin, Lin & Weng 2007) to a gradient of ~1e-12 relative; `weight` may be empty.
  void fit(std::span<const double> score, std::span<const std::uint8_t> target, std::span<const double> weight = {});
  double predict(double score) const;
};

/// Isotonic (non-decreasing) regression of a 0/1 target on one score column.
struct IsotonicCalibrator {
  std::vector<double> x;  // increasing knots
  std::vector<double> y;  // fitted values at the knots (non-decreasing)
  /// Rows with weight 0 are ignored; scores closer than 1e-15 are merged (scikit-learn's
  /// _make_unique) and their targets averaged by weight.
  void fit(std::span<const double> score, std::span<const std::uint8_t> target, std::span<const double> weight = {});
  double predict(double score) const;
};

/// The calibrators of one model: one per class (one for a binary model).
class Calibrator {
 public:
  Calibrator() = default;
  explicit Calibrator(CalibrationMethod method) : method_(method) {}

  /// `scores`: the model's decision scores of the calibration rows, n x 1 (binary, score of
  /// class 1) or n x n_classes (one column per class; for a binary problem column 1 is used).
  /// `y`: class codes in [0, n_classes).
  void fit(MatrixView scores, std::span<const std::int32_t> y, std::size_t n_classes,
           std::span<const double> weight = {});
  /// Calibrated probabilities, n x n_classes.
  Matrix predict_proba(MatrixView scores) const;

  CalibrationMethod method() const { return method_; }
  std::size_t n_classes() const { return n_classes_; }
  std::string save_json() const;
  void load_json(std::string_view text, std::string_view source);

 private:
  CalibrationMethod method_ = CalibrationMethod::Sigmoid;
  std::size_t n_classes_ = 0;
  std::vector<SigmoidCalibrator> sigmoid_;
  std::vector<IsotonicCalibrator> isotonic_;
};

}  // namespace imbal
