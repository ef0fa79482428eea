// Focal loss as a metric: Lin et al., "Focal loss for dense object detection", ICCV 2017.
#include "imbal/focal_loss.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "imbal/error.hpp"

namespace imbal {

double focal_loss(std::span<const std::int32_t> y_true, std::span<const double> p, double gamma, double alpha,
                  std::span<const double> sample_weight) {
  if (y_true.size() != p.size()) {
    throw InvalidArgument("focal_loss: y_true has " + std::to_string(y_true.size()) + " labels but there are " +
                          std::to_string(p.size()) + " probabilities");
  }
  if (y_true.empty()) throw InvalidArgument("focal_loss: no samples");
  if (!sample_weight.empty() && sample_weight.size() != y_true.size()) {
    throw InvalidArgument("focal_loss: sample_weight has " + std::to_string(sample_weight.size()) +
                          " values for " + std::to_string(y_true.size()) + " samples");
  }
  if (!(gamma >= 0.0) || !std::isfinite(gamma)) throw InvalidArgument("focal_loss: gamma must be a number >= 0");
  if (!(alpha >= 0.0 && alpha <= 1.0)) throw InvalidArgument("focal_loss: alpha must be in [0, 1]");
  constexpr double kEps = 1e-15;
  double total = 0.0;
  double weight_sum = 0.0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (y_true[i] != 0 && y_true[i] != 1) {
      throw InvalidArgument("focal_loss: label " + std::to_string(y_true[i]) + " of sample " + std::to_string(i) +
                            " is not 0 or 1");
    }
    if (!(p[i] >= 0.0 && p[i] <= 1.0)) {
      throw InvalidArgument("focal_loss: probability of sample " + std::to_string(i) + " is not in [0, 1]");
    }
    const double w = sample_weight.empty() ? 1.0 : sample_weight[i];
    if (!(w >= 0.0) || !std::isfinite(w)) {
      throw InvalidArgument("focal_loss: sample_weight of sample " + std::to_string(i) + " must be finite and >= 0");
    }
    const double q = std::clamp(p[i], kEps, 1.0 - kEps);
    const double pt = y_true[i] == 1 ? q : 1.0 - q;
    const double at = y_true[i] == 1 ? alpha : 1.0 - alpha;
    total += w * (-at * std::pow(1.0 - pt, gamma) * std::log(pt));
    weight_sum += w;
  }
  if (!(weight_sum > 0.0)) throw InvalidArgument("focal_loss: the sample weights sum to 0");
  return total / weight_sum;
}

}  // namespace imbal
