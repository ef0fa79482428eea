// Probabilistic losses of scikit-learn 1.2: Brier score (Brier 1950) and log loss
// (cross-entropy) with its clipping to [eps, 1 - eps] and row renormalisation.
#include <algorithm>
#include <cmath>
#include <limits>

#include "metrics/metrics_internal.hpp"

namespace imbal::metrics {

double brier_score_loss(Codes y_true, std::span<const double> y_prob, std::int32_t pos_label, Weights sample_weight) {
  if (y_prob.size() != y_true.size())
    throw InvalidArgument("brier_score_loss: y_prob has " + std::to_string(y_prob.size()) + " values, expected " +
                          std::to_string(y_true.size()));
  detail::check_weights(y_true.size(), sample_weight, "brier_score_loss");
  detail::check_finite(y_prob, "y_prob", "brier_score_loss");
  if (y_true.empty()) throw InvalidArgument("brier_score_loss: empty input");
  if (unique_labels(y_true, {}).size() > 2)
    throw InvalidArgument("brier_score_loss: only binary classification is supported; y_true holds more than two classes");
  for (double p : y_prob) {
    if (p > 1) throw InvalidArgument("brier_score_loss: y_prob contains values greater than 1");
    if (p < 0) throw InvalidArgument("brier_score_loss: y_prob contains values less than 0");
  }
  std::vector<double> sq(y_true.size());
  for (std::size_t i = 0; i < sq.size(); ++i) {
    const double d = (y_true[i] == pos_label ? 1.0 : 0.0) - y_prob[i];
    sq[i] = d * d;
  }
  if (sample_weight.empty()) return detail::mean(sq);
  return detail::weighted_average(sq, std::vector<double>(sample_weight.begin(), sample_weight.end()));
}

double log_loss(Codes y_true, std::span<const double> y_prob, std::size_t n_columns, std::optional<double> eps,
                bool normalize, Weights sample_weight) {
  const std::size_t n = y_true.size();
  if (n_columns == 0) throw InvalidArgument("log_loss: y_prob needs at least one column");
  if (y_prob.size() != n * n_columns)
    throw InvalidArgument("log_loss: y_prob has " + std::to_string(y_prob.size()) + " values, expected " +
                          std::to_string(n) + " x " + std::to_string(n_columns));
  detail::check_weights(n, sample_weight, "log_loss");
  detail::check_finite(y_prob, "y_prob", "log_loss");
  if (n == 0) throw InvalidArgument("log_loss: empty input");
  const std::size_t k = n_columns == 1 ? 2 : n_columns;
  for (auto c : y_true)
    if (c < 0 || static_cast<std::size_t>(c) >= k)
      throw InvalidArgument("log_loss: y_true contains class code " + std::to_string(c) + " but there are " +
                            std::to_string(k) + " classes (columns of y_prob)");
  const double e = eps.value_or(std::numeric_limits<double>::epsilon());
  std::vector<double> loss(n), row(k);
  for (std::size_t i = 0; i < n; ++i) {
    if (n_columns == 1) {
      const double p = std::clamp(y_prob[i], e, 1 - e);
      row[0] = 1 - p;
      row[1] = p;
    } else {
      for (std::size_t c = 0; c < k; ++c) row[c] = std::clamp(y_prob[i * k + c], e, 1 - e);
    }
    const double total = detail::pairwise_sum(row);
    // xlogy(t, p) summed over the row: only the true class contributes.
    loss[i] = -std::log(row[static_cast<std::size_t>(y_true[i])] / total);
  }
  if (normalize) {
    if (sample_weight.empty()) return detail::mean(loss);
    return detail::weighted_average(loss, std::vector<double>(sample_weight.begin(), sample_weight.end()));
  }
  if (sample_weight.empty()) return detail::pairwise_sum(loss);
  double dot = 0.0;
  for (std::size_t i = 0; i < n; ++i) dot += loss[i] * sample_weight[i];
  return dot;
}

}  // namespace imbal::metrics
