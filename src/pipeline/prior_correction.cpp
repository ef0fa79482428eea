// Prior correction (Saerens, Latinne & Decaestecker 2002; Elkan 2001).
#include "imbal/prior_correction.hpp"

#include <cmath>
#include <string>

#include "imbal/error.hpp"

namespace imbal {

std::vector<double> priors_from_mass(std::span<const double> mass) {
  double total = 0.0;
  for (double m : mass) {
    if (!(m >= 0.0) || !std::isfinite(m)) throw InvalidArgument("priors: class masses must be finite and >= 0");
    total += m;
  }
  if (!(total > 0.0)) throw InvalidArgument("priors: the class masses sum to 0");
  std::vector<double> p(mass.size());
  for (std::size_t k = 0; k < mass.size(); ++k) p[k] = mass[k] / total;
  return p;
}

void correct_priors(Matrix& proba, std::span<const double> target, std::span<const double> fitted) {
  const std::size_t K = proba.cols();
  if (target.size() != K || fitted.size() != K) {
    throw InvalidArgument("prior correction: " + std::to_string(K) + " probability columns but " +
                          std::to_string(target.size()) + " true and " + std::to_string(fitted.size()) +
                          " fitted priors");
  }
  std::vector<double> ratio(K);
  for (std::size_t k = 0; k < K; ++k) {
    if (!(target[k] >= 0.0) || !(fitted[k] >= 0.0) || !std::isfinite(target[k]) || !std::isfinite(fitted[k])) {
      throw InvalidArgument("prior correction: priors must be finite and >= 0");
    }
    ratio[k] = fitted[k] > 0.0 ? target[k] / fitted[k] : 0.0;
  }
  for (std::size_t i = 0; i < proba.rows(); ++i) {
    double* p = proba.row(i);
    double sum = 0.0;
    for (std::size_t k = 0; k < K; ++k) sum += p[k] * ratio[k];
    if (!(sum > 0.0)) continue;
    for (std::size_t k = 0; k < K; ++k) p[k] = p[k] * ratio[k] / sum;
  }
}

}  // namespace imbal
