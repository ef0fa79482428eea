// Sigmoid (Platt 1999) and isotonic (pool adjacent violators) calibration, scikit-learn 1.2's
// _SigmoidCalibration / IsotonicRegression(out_of_bounds="clip") / _CalibratedClassifier.
#include "imbal/calibration.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "imbal/error.hpp"

namespace imbal {

using nlohmann::json;

CalibrationMethod parse_calibration(std::string_view text) {
  if (text == "none") return CalibrationMethod::None;
  if (text == "sigmoid") return CalibrationMethod::Sigmoid;
  if (text == "isotonic") return CalibrationMethod::Isotonic;
  throw InvalidArgument("calibration: expected none, sigmoid or isotonic, got '" + std::string(text) + "'");
}

std::string_view to_string(CalibrationMethod method) {
  switch (method) {
    case CalibrationMethod::Sigmoid: return "sigmoid";
    case CalibrationMethod::Isotonic: return "isotonic";
    case CalibrationMethod::None: break;
  }
  return "none";
}

namespace {

// log(1 + exp(z)) without overflow.
double log1pexp(double z) { return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }
// 1 / (1 + exp(z)) without overflow.
double sigmoid_neg(double z) {
  if (z >= 0) {
    const double e = std::exp(-z);
    return e / (1.0 + e);
  }
  return 1.0 / (1.0 + std::exp(z));
}

}  // namespace

void SigmoidCalibrator::fit(std::span<const double> f, std::span<const std::uint8_t> target,
                            std::span<const double> weight) {
  const std::size_t n = f.size();
  if (target.size() != n || (!weight.empty() && weight.size() != n)) {
    throw InvalidArgument("sigmoid calibration: scores, targets and weights differ in length");
  }
  if (n == 0) throw InvalidArgument("sigmoid calibration: no rows to fit on");
  auto w = [&](std::size_t i) { return weight.empty() ? 1.0 : weight[i]; };
  double prior0 = 0.0, prior1 = 0.0;
  for (std::size_t i = 0; i < n; ++i) (target[i] != 0 ? prior1 : prior0) += w(i);
  const double hi = (prior1 + 1.0) / (prior1 + 2.0);
  const double lo = 1.0 / (prior0 + 2.0);
  std::vector<double> t(n);
  for (std::size_t i = 0; i < n; ++i) t[i] = target[i] != 0 ? hi : lo;
  // Loss with P = 1 / (1 + exp(z)), z = A f + B: -t log P - (1 - t) log(1 - P)
  //   = t log1pexp(z) + (1 - t) log1pexp(-z).
  auto loss = [&](double A, double B) {
    double s = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double z = A * f[i] + B;
      s += w(i) * (t[i] * log1pexp(z) + (1.0 - t[i]) * log1pexp(-z));
    }
    return s;
  };
  double A = 0.0, B = std::log((prior0 + 1.0) / (prior1 + 1.0));
  double current = loss(A, B);
  double scale = 0.0;
  for (std::size_t i = 0; i < n; ++i) scale += w(i);
  for (int iter = 0; iter < 200; ++iter) {
    double gA = 0.0, gB = 0.0, hAA = 0.0, hAB = 0.0, hBB = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double p = sigmoid_neg(A * f[i] + B);
      const double d1 = w(i) * (t[i] - p);  // dLoss/dz
      const double d2 = w(i) * p * (1.0 - p);
      gA += d1 * f[i];
      gB += d1;
      hAA += d2 * f[i] * f[i];
      hAB += d2 * f[i];
      hBB += d2;
    }
    if (std::max(std::abs(gA), std::abs(gB)) <= 1e-13 * std::max(1.0, scale)) break;
    // Newton direction with a small ridge (Lin, Lin & Weng 2007) for a flat Hessian.
    hAA += 1e-12;
    hBB += 1e-12;
    const double det = hAA * hBB - hAB * hAB;
    double dA = -(hBB * gA - hAB * gB) / det;
    double dB = -(-hAB * gA + hAA * gB) / det;
    if (!std::isfinite(dA) || !std::isfinite(dB)) {
      dA = -gA;
      dB = -gB;
    }
    double step = 1.0;
    bool moved = false;
    while (step >= 1e-12) {
      const double na = A + step * dA, nb = B + step * dB;
      const double next = loss(na, nb);
      if (next <= current + 1e-4 * step * (gA * dA + gB * dB)) {
        moved = next < current || (na != A || nb != B);
        A = na;
        B = nb;
        current = next;
        break;
      }
      step *= 0.5;
    }
    if (!moved || step * std::max(std::abs(dA), std::abs(dB)) < 1e-15 * std::max(1.0, std::abs(A) + std::abs(B))) {
      break;
    }
  }
  a = A;
  b = B;
}

double SigmoidCalibrator::predict(double score) const { return sigmoid_neg(a * score + b); }

void IsotonicCalibrator::fit(std::span<const double> score, std::span<const std::uint8_t> target,
                             std::span<const double> weight) {
  const std::size_t n = score.size();
  if (target.size() != n || (!weight.empty() && weight.size() != n)) {
    throw InvalidArgument("isotonic calibration: scores, targets and weights differ in length");
  }
  std::vector<std::size_t> order;
  order.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(score[i])) throw InvalidArgument("isotonic calibration: a score is not finite");
    if (weight.empty() || weight[i] > 0) order.push_back(i);
  }
  if (order.empty()) throw InvalidArgument("isotonic calibration: no rows of positive weight to fit on");
  // numpy's lexsort((y, X)): by score, then target; stable.
  std::stable_sort(order.begin(), order.end(), [&](std::size_t p, std::size_t q) {
    if (score[p] != score[q]) return score[p] < score[q];
    return target[p] < target[q];
  });
  // _make_unique: merge scores within the float64 resolution (1e-15) of a group's first score.
  std::vector<double> ux, uy, uw;
  double cx = score[order[0]], cy = 0.0, cw = 0.0;
  constexpr double kResolution = 1e-15;
  for (std::size_t i : order) {
    const double wi = weight.empty() ? 1.0 : weight[i];
    const double yi = target[i] != 0 ? 1.0 : 0.0;
    if (score[i] - cx >= kResolution) {
      ux.push_back(cx);
      uw.push_back(cw);
      uy.push_back(cy / cw);
      cx = score[i];
      cw = wi;
      cy = yi * wi;
    } else {
      cw += wi;
      cy += yi * wi;
    }
  }
  ux.push_back(cx);
  uw.push_back(cw);
  uy.push_back(cy / cw);
  // Pool adjacent violators: blocks of (value, weight, length).
  const std::size_t m = ux.size();
  std::vector<double> bv, bw;
  std::vector<std::size_t> bl;
  for (std::size_t i = 0; i < m; ++i) {
    bv.push_back(uy[i]);
    bw.push_back(uw[i]);
    bl.push_back(1);
    while (bv.size() >= 2 && bv[bv.size() - 2] >= bv.back()) {
      const std::size_t k = bv.size() - 1;
      // Merge only strict violations, and equal neighbours too: the fitted values are the same.
      const double wsum = bw[k - 1] + bw[k];
      bv[k - 1] = (bw[k - 1] * bv[k - 1] + bw[k] * bv[k]) / wsum;
      bw[k - 1] = wsum;
      bl[k - 1] += bl[k];
      bv.pop_back();
      bw.pop_back();
      bl.pop_back();
    }
  }
  std::vector<double> fitted;
  fitted.reserve(m);
  for (std::size_t b = 0; b < bv.size(); ++b) fitted.insert(fitted.end(), bl[b], bv[b]);
  // Keep the first and last point of every run of equal values (the interpolation is the same).
  x.clear();
  y.clear();
  for (std::size_t i = 0; i < m; ++i) {
    const bool keep = i == 0 || i + 1 == m || fitted[i] != fitted[i - 1] || fitted[i] != fitted[i + 1];
    if (keep) {
      x.push_back(ux[i]);
      y.push_back(fitted[i]);
    }
  }
}

double IsotonicCalibrator::predict(double score) const {
  if (x.size() == 1) return y[0];
  const double v = std::clamp(score, x.front(), x.back());
  // scipy's interp1d(kind="linear"): the interval [x[k-1], x[k]] with k = searchsorted(x, v).
  std::size_t k = static_cast<std::size_t>(std::lower_bound(x.begin(), x.end(), v) - x.begin());
  k = std::clamp<std::size_t>(k, 1, x.size() - 1);
  const double slope = (y[k] - y[k - 1]) / (x[k] - x[k - 1]);
  return slope * (v - x[k - 1]) + y[k - 1];
}

void Calibrator::fit(MatrixView scores, std::span<const std::int32_t> y, std::size_t n_classes,
                     std::span<const double> weight) {
  if (method_ == CalibrationMethod::None) throw InvalidArgument("calibration: no method chosen");
  if (n_classes < 2) throw InvalidArgument("calibration: needs at least two classes");
  if (scores.rows != y.size()) throw InvalidArgument("calibration: scores and labels differ in length");
  const bool binary_column = n_classes == 2;
  if (!(scores.cols == n_classes || (binary_column && scores.cols == 1))) {
    throw InvalidArgument("calibration: " + std::to_string(scores.cols) + " score columns for " +
                          std::to_string(n_classes) + " classes");
  }
  n_classes_ = n_classes;
  const std::size_t n_cal = binary_column ? 1 : n_classes;
  sigmoid_.assign(method_ == CalibrationMethod::Sigmoid ? n_cal : 0, {});
  isotonic_.assign(method_ == CalibrationMethod::Isotonic ? n_cal : 0, {});
  std::vector<double> column(y.size());
  std::vector<std::uint8_t> target(y.size());
  for (std::size_t c = 0; c < n_cal; ++c) {
    const std::int32_t cls = binary_column ? 1 : static_cast<std::int32_t>(c);
    const std::size_t col = binary_column ? scores.cols - 1 : c;
    for (std::size_t i = 0; i < y.size(); ++i) {
      column[i] = scores(i, col);
      target[i] = y[i] == cls ? 1 : 0;
    }
    if (method_ == CalibrationMethod::Sigmoid) {
      sigmoid_[c].fit(column, target, weight);
    } else {
      isotonic_[c].fit(column, target, weight);
    }
  }
}

Matrix Calibrator::predict_proba(MatrixView scores) const {
  const bool binary = n_classes_ == 2;
  const std::size_t n_cal = binary ? 1 : n_classes_;
  if (!(scores.cols == n_classes_ || (binary && scores.cols == 1))) {
    throw InvalidArgument("calibration: " + std::to_string(scores.cols) + " score columns for " +
                          std::to_string(n_classes_) + " classes");
  }
  Matrix proba(scores.rows, n_classes_);
  for (std::size_t i = 0; i < scores.rows; ++i) {
    double* p = proba.row(i);
    for (std::size_t c = 0; c < n_cal; ++c) {
      const double s = scores(i, binary ? scores.cols - 1 : c);
      const double v = method_ == CalibrationMethod::Sigmoid ? sigmoid_[c].predict(s) : isotonic_[c].predict(s);
      p[binary ? 1 : c] = v;
    }
    if (binary) {
      p[0] = 1.0 - p[1];
    } else {
      double sum = 0.0;
      for (std::size_t c = 0; c < n_classes_; ++c) sum += p[c];
      for (std::size_t c = 0; c < n_classes_; ++c) p[c] = sum != 0.0 ? p[c] / sum : 1.0 / static_cast<double>(n_classes_);
    }
    for (std::size_t c = 0; c < n_classes_; ++c) {
      if (p[c] > 1.0 && p[c] <= 1.0 + 1e-5) p[c] = 1.0;
    }
  }
  return proba;
}

std::string Calibrator::save_json() const {
  json j;
  j["method"] = std::string(to_string(method_));
  j["n_classes"] = n_classes_;
  auto& cal = j["calibrators"] = json::array();
  for (const auto& s : sigmoid_) cal.push_back(json{{"a", s.a}, {"b", s.b}});
  for (const auto& s : isotonic_) cal.push_back(json{{"x", s.x}, {"y", s.y}});
  return j.dump();
}

void Calibrator::load_json(std::string_view text, std::string_view source) {
  const std::string where(source);
  try {
    const json j = json::parse(text.begin(), text.end());
    method_ = parse_calibration(j.at("method").get<std::string>());
    if (method_ == CalibrationMethod::None) throw InvalidArgument(where + ": calibration step without a method");
    n_classes_ = j.at("n_classes").get<std::size_t>();
    if (n_classes_ < 2) throw InvalidArgument(where + ": calibration for fewer than two classes");
    const std::size_t n_cal = n_classes_ == 2 ? 1 : n_classes_;
    const auto& cal = j.at("calibrators");
    if (!cal.is_array() || cal.size() != n_cal) {
      throw InvalidArgument(where + ": expected " + std::to_string(n_cal) + " calibrators");
    }
    sigmoid_.clear();
    isotonic_.clear();
    for (const auto& c : cal) {
      if (method_ == CalibrationMethod::Sigmoid) {
        sigmoid_.push_back({c.at("a").get<double>(), c.at("b").get<double>()});
      } else {
        IsotonicCalibrator iso;
        iso.x = c.at("x").get<std::vector<double>>();
        iso.y = c.at("y").get<std::vector<double>>();
        if (iso.x.empty() || iso.x.size() != iso.y.size() || !std::is_sorted(iso.x.begin(), iso.x.end())) {
          throw InvalidArgument(where + ": malformed isotonic calibrator");
        }
        isotonic_.push_back(std::move(iso));
      }
    }
  } catch (const json::exception& e) {
    throw InvalidArgument(where + ": malformed calibration step (" + e.what() + ")");
  }
}

}  // namespace imbal
