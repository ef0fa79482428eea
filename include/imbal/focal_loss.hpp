// Focal loss as a metric (Lin, Goyal, Girshick, He & Dollar, "Focal loss for dense object
// detection", ICCV 2017), in the form of the seeds' tutorial:
//   FL = mean_i [ -alpha_t (1 - p_t)^gamma log(p_t) ],
//   p_t = p_i when y_i = 1 else 1 - p_i,  alpha_t = alpha when y_i = 1 else 1 - alpha,
// with p clipped to [1e-15, 1 - 1e-15] as the tutorial does (np.clip(y_pred, eps, 1 - eps)).
// gamma = 0 and alpha = 0.5 give half the log loss.
#pragma once

#include <cstdint>
#include <span>

namespace imbal {

/// Binary focal loss of probabilities `p` (of class 1) against labels `y_true` in {0, 1}.
/// `sample_weight` (empty: all 1) gives a weighted mean. Throws InvalidArgument on mismatched
/// sizes, an empty input, labels other than 0/1, probabilities outside [0, 1] or NaN, gamma < 0
/// or alpha outside [0, 1].
double focal_loss(std::span<const std::int32_t> y_true, std::span<const double> p, double gamma = 2.0,
                  double alpha = 0.25, std::span<const double> sample_weight = {});

}  // namespace imbal
