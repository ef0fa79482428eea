// Gradient and (diagonal) Hessian of the focal loss with respect to the raw scores (margins),
// for gradient boosting's custom objective (src/models/gradient_boosting.cpp). Focal loss: Lin,
// Goyal, Girshick, He & Dollar, "Focal loss for dense object detection", ICCV 2017:
//   L = -a_t (1 - q)^gamma log q,   q = the probability of the row's true class.
// The derivation is in docs/models/gradient-boosting.md; tests/models/gradient_boosting_test.cpp
// checks both against finite differences. gamma = 0, a_t = 1 gives the log loss: gradient
// p - y and Hessian p (1 - p), XGBoost's own binary:logistic / multi:softprob (up to its factor 2
// on the softmax Hessian).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace imbal::detail {

/// Binary: margin z (score of class 1), label in {0, 1}, weight a_t (alpha_t x sample weight).
/// Writes dL/dz and d2L/dz2 (the exact second derivative, which is negative for badly
/// misclassified rows when gamma > 0).
inline void focal_binary_grad_hess(double z, bool positive, double gamma, double a, double& grad, double& hess) {
  const double t = positive ? z : -z;  // the margin of the true class
  const double s = positive ? 1.0 : -1.0;
  // q = sigmoid(t), u = 1 - q = sigmoid(-t), log q = -log(1 + exp(-t)), all without overflow.
  const double e = std::exp(-std::abs(t));
  const double q = t >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
  const double u = t >= 0.0 ? e / (1.0 + e) : 1.0 / (1.0 + e);
  const double log_q = -((t > 0.0 ? 0.0 : -t) + std::log1p(e));
  const double ug = gamma == 0.0 ? 1.0 : std::pow(u, gamma);  // u^gamma
  // dL/dt = gamma q u^gamma log q - u^(gamma+1)
  grad = s * a * (gamma * q * ug * log_q - ug * u);
  // d2L/dt2 = q [u^(gamma+1) (gamma log q + 2 gamma + 1) - gamma^2 q u^gamma log q]
  hess = a * q * (ug * u * (gamma * log_q + 2.0 * gamma + 1.0) - gamma * gamma * q * ug * log_q);
}

/// K classes (softmax): margins z[0..K), true class y, weight a. Writes dL/dz_k to grad[k] and
/// the diagonal d2L/dz_k^2 to hess[k]. `p` is scratch of K doubles (left holding softmax(z)).
inline void focal_softmax_grad_hess(const double* z, std::size_t K, std::size_t y, double gamma, double a,
                                    double* p, double* grad, double* hess) {
  double zmax = z[0];
  for (std::size_t k = 1; k < K; ++k) zmax = std::max(zmax, z[k]);
  double sum = 0.0;
  for (std::size_t k = 0; k < K; ++k) {
    p[k] = std::exp(z[k] - zmax);
    sum += p[k];
  }
  for (std::size_t k = 0; k < K; ++k) p[k] /= sum;
  const double q = p[y];
  const double log_q = z[y] - zmax - std::log(sum);
  double u = 0.0;  // 1 - q, summed from the other classes (exact when q is near 1)
  for (std::size_t k = 0; k < K; ++k) {
    if (k != y) u += p[k];
  }
  if (u <= 0.0) {  // a perfectly classified row: the loss and its derivatives are 0
    for (std::size_t k = 0; k < K; ++k) grad[k] = hess[k] = 0.0;
    return;
  }
  const double ug = gamma == 0.0 ? 1.0 : std::pow(u, gamma);
  // dL/dz_k = c (delta_yk - p_k), c(q) = gamma u^(gamma-1) q log q - u^gamma
  const double c = ug * (gamma * q * log_q / u - 1.0);
  // d2L/dz_k^2 = c'(q) q (delta_yk - p_k)^2 - c p_k (1 - p_k), with
  // c'(q) (delta_yk - p_k)^2 = r_k^2 [gamma (log q + 2) u^(gamma+1) - gamma (gamma - 1) q log q u^gamma],
  // r_k = (delta_yk - p_k) / u (|r_k| <= 1), which keeps u^(gamma-2) out of the arithmetic.
  const double cprime_u2 = gamma * (log_q + 2.0) * ug * u - gamma * (gamma - 1.0) * q * log_q * ug;
  for (std::size_t k = 0; k < K; ++k) {
    const double d = (k == y ? 1.0 : 0.0) - p[k];
    const double r = k == y ? 1.0 : -p[k] / u;
    grad[k] = a * c * d;
    hess[k] = a * (q * r * r * cprime_u2 - c * p[k] * (1.0 - p[k]));
  }
}

}  // namespace imbal::detail
