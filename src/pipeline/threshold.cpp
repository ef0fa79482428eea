// Threshold search and the expected-cost decision rule (Elkan 2001, "The foundations of
// cost-sensitive learning", IJCAI).
#include "imbal/threshold.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>

#include "imbal/error.hpp"

namespace imbal {

namespace {

double parse_cost_number(std::string_view text, std::string_view option) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  double v = 0.0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(v) || v < 0.0) {
    throw InvalidArgument(std::string(option) + ": expected a finite cost >= 0, got '" + std::string(text) + "'");
  }
  return v;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t pos = text.find(sep, start);
    parts.push_back(text.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return parts;
}

}  // namespace

CostMatrix parse_cost_matrix(std::string_view text, std::size_t n_classes, std::string_view option) {
  const std::string opt(option);
  if (n_classes < 2) throw InvalidArgument(opt + ": needs at least two classes");
  CostMatrix cost;
  cost.n_classes = n_classes;
  cost.values.assign(n_classes * n_classes, 0.0);
  if (text.find('=') != std::string_view::npos) {
    if (n_classes != 2) {
      throw InvalidArgument(opt + ": 'fn=...,fp=...' is for two classes; with " + std::to_string(n_classes) +
                            " classes give the full matrix, rows ';'-separated (true class), entries ','-separated "
                            "(predicted class), e.g. \"0,1,1;5,0,1;10,2,0\"");
    }
    bool any = false;
    for (auto part : split(text, ',')) {
      const auto eq = part.find('=');
      if (eq == std::string_view::npos) {
        throw InvalidArgument(opt + ": expected name=cost with names fn, fp, tp, tn, got '" + std::string(part) + "'");
      }
      std::string name(part.substr(0, eq));
      std::erase(name, ' ');
      const double v = parse_cost_number(part.substr(eq + 1), option);
      std::size_t idx;
      if (name == "fn") idx = 1 * 2 + 0;
      else if (name == "fp") idx = 0 * 2 + 1;
      else if (name == "tp") idx = 1 * 2 + 1;
      else if (name == "tn") idx = 0;
      else throw InvalidArgument(opt + ": unknown cost '" + name + "' (expected fn, fp, tp or tn)");
      cost.values[idx] = v;
      any = true;
    }
    if (!any) throw InvalidArgument(opt + ": no cost given");
    return cost;
  }
  const auto rows = split(text, ';');
  if (rows.size() != n_classes) {
    throw InvalidArgument(opt + ": expected " + std::to_string(n_classes) + " rows (one per true class, ';'-separated), got " +
                          std::to_string(rows.size()));
  }
  for (std::size_t j = 0; j < n_classes; ++j) {
    const auto cells = split(rows[j], ',');
    if (cells.size() != n_classes) {
      throw InvalidArgument(opt + ": row " + std::to_string(j + 1) + " has " + std::to_string(cells.size()) +
                            " entries, expected " + std::to_string(n_classes) + " (one per predicted class)");
    }
    for (std::size_t k = 0; k < n_classes; ++k) cost.values[j * n_classes + k] = parse_cost_number(cells[k], option);
  }
  return cost;
}

std::string format_cost_matrix(const CostMatrix& cost) {
  std::string out;
  for (std::size_t j = 0; j < cost.n_classes; ++j) {
    if (j) out += ';';
    for (std::size_t k = 0; k < cost.n_classes; ++k) {
      if (k) out += ',';
      char buf[32];
      const auto r = std::to_chars(buf, buf + sizeof buf, cost.at(j, k));
      out.append(buf, r.ptr);
    }
  }
  return out;
}

ThresholdObjective parse_threshold_objective(std::string_view text) {
  if (text == "f1" || text == "fbeta") return ThresholdObjective::FBeta;
  if (text == "balanced-accuracy") return ThresholdObjective::BalancedAccuracy;
  if (text == "cost") return ThresholdObjective::Cost;
  throw InvalidArgument("threshold objective: expected f1, fbeta, balanced-accuracy or cost, got '" +
                        std::string(text) + "'");
}

std::string_view to_string(ThresholdObjective objective) {
  switch (objective) {
    case ThresholdObjective::BalancedAccuracy: return "balanced-accuracy";
    case ThresholdObjective::Cost: return "cost";
    case ThresholdObjective::FBeta: break;
  }
  return "fbeta";
}

ThresholdSearch tune_threshold(std::span<const double> score, std::span<const std::int32_t> y,
                               ThresholdObjective objective, double beta, const CostMatrix* cost,
                               std::span<const double> weight) {
  const std::size_t n = score.size();
  if (y.size() != n || (!weight.empty() && weight.size() != n)) {
    throw InvalidArgument("threshold search: scores, labels and weights differ in length");
  }
  if (n == 0) throw InvalidArgument("threshold search: no rows");
  if (objective == ThresholdObjective::FBeta && !(beta > 0.0 && std::isfinite(beta))) {
    throw InvalidArgument("threshold search: beta must be > 0");
  }
  if (objective == ThresholdObjective::Cost && (cost == nullptr || cost->n_classes != 2)) {
    throw InvalidArgument("threshold search: the cost objective needs a 2 x 2 cost matrix (e.g. fn=10,fp=1)");
  }
  double pos = 0.0, neg = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    if (y[i] != 0 && y[i] != 1) throw InvalidArgument("threshold search: labels must be codes 0 and 1 (binary)");
    if (!std::isfinite(score[i])) throw InvalidArgument("threshold search: a score is not finite");
    (y[i] == 1 ? pos : neg) += weight.empty() ? 1.0 : weight[i];
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return score[a] != score[b] ? score[a] > score[b] : a < b;
  });
  const double b2 = beta * beta;
  // Value to maximise at counts (tp, fp) with every other row negative.
  auto value = [&](double tp, double fp) {
    const double fn = pos - tp, tn = neg - fp;
    switch (objective) {
      case ThresholdObjective::FBeta: {
        const double den = (1.0 + b2) * tp + b2 * fn + fp;
        return den > 0.0 ? (1.0 + b2) * tp / den : 0.0;
      }
      case ThresholdObjective::BalancedAccuracy: {
        const double tpr = pos > 0.0 ? tp / pos : 0.0, tnr = neg > 0.0 ? tn / neg : 0.0;
        return (tpr + tnr) / 2.0;
      }
      case ThresholdObjective::Cost:
        return -(tp * cost->at(1, 1) + fp * cost->at(0, 1) + fn * cost->at(1, 0) + tn * cost->at(0, 0));
    }
    return 0.0;
  };
  ThresholdSearch best;
  bool have = false;
  double best_value = 0.0;
  double tp = 0.0, fp = 0.0;
  for (std::size_t r = 0; r < n;) {
    const double s = score[order[r]];
    while (r < n && score[order[r]] == s) {
      const std::size_t i = order[r++];
      (y[i] == 1 ? tp : fp) += weight.empty() ? 1.0 : weight[i];
    }
    ++best.n_candidates;
    const double v = value(tp, fp);
    bool better = !have || v > best_value;
    if (have && v == best_value) {
      const double d_new = std::abs(s - 0.5), d_old = std::abs(best.threshold - 0.5);
      better = d_new < d_old || (d_new == d_old && s < best.threshold);
    }
    if (better) {
      have = true;
      best_value = v;
      best.threshold = s;
    }
  }
  best.objective = objective == ThresholdObjective::Cost ? -best_value : best_value;
  return best;
}

std::vector<std::int32_t> apply_threshold(std::span<const double> p1, double threshold) {
  std::vector<std::int32_t> out(p1.size());
  for (std::size_t i = 0; i < p1.size(); ++i) out[i] = p1[i] >= threshold ? 1 : 0;
  return out;
}

std::vector<std::int32_t> expected_cost_decision(MatrixView proba, const CostMatrix& cost) {
  if (proba.cols != cost.n_classes) {
    throw InvalidArgument("expected-cost rule: " + std::to_string(proba.cols) + " probability columns but a " +
                          std::to_string(cost.n_classes) + "-class cost matrix");
  }
  const std::size_t K = cost.n_classes;
  std::vector<std::int32_t> out(proba.rows);
  for (std::size_t i = 0; i < proba.rows; ++i) {
    double best = 0.0;
    std::size_t arg = 0;
    for (std::size_t k = 0; k < K; ++k) {
      double e = 0.0;
      for (std::size_t j = 0; j < K; ++j) e += proba(i, j) * cost.at(j, k);
      if (k == 0 || e < best) {
        best = e;
        arg = k;
      }
    }
    out[i] = static_cast<std::int32_t>(arg);
  }
  return out;
}

}  // namespace imbal
