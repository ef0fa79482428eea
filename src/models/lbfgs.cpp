// L-BFGS (Liu & Nocedal, "On the limited memory BFGS method for large scale optimization",
// Math. Programming 45, 1989) with the strong-Wolfe line search of Nocedal & Wright (2006),
// Algorithms 3.5 and 3.6. Our own implementation; the stopping rule on the gradient is
// scipy's L-BFGS-B `pgtol` (what scikit-learn passes `tol` to).
#include "models/lbfgs.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "imbal/cancel.hpp"

namespace imbal::detail {

namespace {

double dot(std::span<const double> a, std::span<const double> b) {
  double s = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

double max_abs(std::span<const double> a) {
  double m = 0.0;
  for (const double v : a) m = std::max(m, std::abs(v));
  return m;
}

/// Minimiser of the cubic interpolating (a, fa, da) and (b, fb, db); NaN when it has none.
double cubic_min(double a, double fa, double da, double b, double fb, double db) {
  const double d1 = da + db - 3.0 * (fa - fb) / (a - b);
  const double disc = d1 * d1 - da * db;
  if (!(disc >= 0.0)) return std::numeric_limits<double>::quiet_NaN();
  const double d2 = std::copysign(std::sqrt(disc), b - a);
  const double denom = db - da + 2.0 * d2;
  if (denom == 0.0) return std::numeric_limits<double>::quiet_NaN();
  return b - (b - a) * (db + d2 - d1) / denom;
}

struct Point {
  double a = 0.0;
  double f = 0.0;
  double d = 0.0;  // directional derivative
  std::vector<double> x;
  std::vector<double> g;
};

class LineSearch {
 public:
  LineSearch(const Objective& fg, const LbfgsOptions& opt, const std::vector<double>& x0, double f0,
             const std::vector<double>& direction, double d0, int& evaluations)
      : fg_(fg), opt_(opt), x0_(x0), f0_(f0), dir_(direction), d0_(d0), evaluations_(evaluations) {}

  /// Returns true with `out` at an accepted step (strong Wolfe, or sufficient decrease when
  /// the evaluation budget runs out).
  bool run(double alpha0, Point& out) {
    Point prev;
    prev.a = 0.0;
    prev.f = f0_;
    prev.d = d0_;
    double a = alpha0;
    for (int i = 0; i < opt_.max_linesearch; ++i) {
      Point cur = evaluate(a);
      if (!decreases(cur) || (i > 0 && cur.f > prev.f + rounding_)) {
        return zoom(std::move(prev), std::move(cur), out);
      }
      if (std::abs(cur.d) <= -opt_.c2 * d0_) {
        out = std::move(cur);
        return true;
      }
      if (cur.d >= 0.0) return zoom(std::move(cur), std::move(prev), out);
      remember(cur);
      prev = std::move(cur);
      a *= 4.0;
    }
    return fallback(out);
  }

 private:
  Point evaluate(double a) {
    Point p;
    p.a = a;
    p.x = x0_;
    p.g = x0_;
    for (std::size_t i = 0; i < x0_.size(); ++i) p.x[i] = x0_[i] + a * dir_[i];
    p.f = fg_(p.x, p.g);
    ++evaluations_;
    p.d = dot(p.g, dir_);
    if (!std::isfinite(p.f)) p.f = std::numeric_limits<double>::infinity();
    return p;
  }

  /// Sufficient decrease (Armijo), or, where f is flat to rounding level and cannot show the
  /// decrease, the approximate Wolfe test of Hager & Zhang (SIAM J. Optim. 16, 2005): f did not
  /// rise beyond rounding and the slope shows the decrease, d(a) <= (2 c1 - 1) d(0).
  bool decreases(const Point& p) const {
    if (!std::isfinite(p.f)) return false;
    if (p.f <= f0_ + opt_.c1 * p.a * d0_) return true;
    return p.f <= f0_ + rounding_ && p.d <= (2.0 * opt_.c1 - 1.0) * d0_;
  }

  /// Keeps the best point with sufficient decrease, for when the budget runs out.
  void remember(const Point& p) {
    if (p.a > 0.0 && decreases(p) && (!has_best_ || p.f < best_.f)) {
      best_ = p;
      has_best_ = true;
    }
  }

  bool fallback(Point& out) {
    if (!has_best_ || !(best_.f < f0_)) return false;
    out = std::move(best_);
    return true;
  }

  // Invariant: lo satisfies sufficient decrease and has the lowest f seen in the bracket;
  // lo.d * (hi.a - lo.a) < 0.
  bool zoom(Point lo, Point hi, Point& out) {
    remember(lo);
    while (evaluations_budget_left()) {
      const double left = std::min(lo.a, hi.a);
      const double right = std::max(lo.a, hi.a);
      const double width = right - left;
      if (!(width > 0.0) || width <= 1e-16 * right) break;
      double a = std::isfinite(hi.f) ? cubic_min(lo.a, lo.f, lo.d, hi.a, hi.f, hi.d)
                                     : std::numeric_limits<double>::quiet_NaN();
      if (!std::isfinite(a) || a < left + 0.1 * width || a > right - 0.1 * width) a = 0.5 * (left + right);
      Point cur = evaluate(a);
      if (!decreases(cur) || cur.f > lo.f + rounding_) {
        hi = std::move(cur);
      } else {
        if (std::abs(cur.d) <= -opt_.c2 * d0_) {
          out = std::move(cur);
          return true;
        }
        remember(cur);
        if (cur.d * (hi.a - lo.a) >= 0.0) hi = std::move(lo);
        lo = std::move(cur);
      }
    }
    return fallback(out);
  }

  bool evaluations_budget_left() const { return evaluations_ - start_evaluations_ < 2 * opt_.max_linesearch; }

  const Objective& fg_;
  const LbfgsOptions& opt_;
  const std::vector<double>& x0_;
  double f0_;
  const std::vector<double>& dir_;
  double d0_;
  int& evaluations_;
  int start_evaluations_ = evaluations_;
  double rounding_ = 1e-12 * std::max(1.0, std::abs(f0_));
  Point best_;
  bool has_best_ = false;
};

}  // namespace

std::string to_string(LbfgsStatus status) {
  switch (status) {
    case LbfgsStatus::Converged: return "converged";
    case LbfgsStatus::MaxIter: return "maximum number of iterations reached";
    case LbfgsStatus::NoProgress: return "the objective stopped decreasing (rounding level)";
    case LbfgsStatus::LineSearchFailed: return "the line search found no acceptable step";
  }
  return "?";
}

LbfgsResult lbfgs_minimize(const Objective& fg, std::vector<double>& x, const LbfgsOptions& opt) {
  const std::size_t n = x.size();
  const std::size_t m = static_cast<std::size_t>(std::max(1, opt.memory));
  LbfgsResult result;
  std::vector<double> g(n);
  double f = fg(x, g);
  result.evaluations = 1;
  result.f = f;
  result.grad_max = max_abs(g);
  if (!std::isfinite(f)) {
    result.status = LbfgsStatus::LineSearchFailed;
    return result;
  }
  if (result.grad_max <= opt.gtol) {
    result.status = LbfgsStatus::Converged;
    return result;
  }
  std::vector<std::vector<double>> S(m, std::vector<double>(n)), Y(m, std::vector<double>(n));
  std::vector<double> rho(m), alpha(m), d(n), s_new(n), y_new(n);
  std::size_t stored = 0;
  std::size_t newest = m - 1;  // ring position of the newest pair
  constexpr int kMaxStalled = 10;
  int stalled = 0;
  for (int iter = 0; iter < opt.max_iter; ++iter) {
    throw_if_cancelled();
    // Two-loop recursion: d = -H g.
    for (std::size_t i = 0; i < n; ++i) d[i] = -g[i];
    for (std::size_t k = 0; k < stored; ++k) {
      const std::size_t j = (newest + m - k) % m;
      alpha[j] = rho[j] * dot(S[j], d);
      for (std::size_t i = 0; i < n; ++i) d[i] -= alpha[j] * Y[j][i];
    }
    double step = 1.0;
    if (stored > 0) {
      const double gamma = dot(S[newest], Y[newest]) / dot(Y[newest], Y[newest]);
      for (auto& v : d) v *= gamma;
    } else {
      step = 1.0 / std::sqrt(dot(g, g));
    }
    for (std::size_t k = stored; k-- > 0;) {
      const std::size_t j = (newest + m - k) % m;
      const double beta = rho[j] * dot(Y[j], d);
      for (std::size_t i = 0; i < n; ++i) d[i] += (alpha[j] - beta) * S[j][i];
    }
    double d0 = dot(d, g);
    if (!(d0 < 0.0)) {  // not a descent direction (rounding): restart from steepest descent
      stored = 0;
      for (std::size_t i = 0; i < n; ++i) d[i] = -g[i];
      d0 = -dot(g, g);
      step = 1.0 / std::sqrt(-d0);
    }
    Point next;
    LineSearch search(fg, opt, x, f, d, d0, result.evaluations);
    if (!search.run(step, next)) {
      result.iterations = iter;
      result.status = LbfgsStatus::LineSearchFailed;
      return result;
    }
    for (std::size_t i = 0; i < n; ++i) {
      s_new[i] = next.x[i] - x[i];
      y_new[i] = next.g[i] - g[i];
    }
    const double sy = dot(s_new, y_new);
    const double yy = dot(y_new, y_new);
    // Keep the pair only when it preserves positive definiteness.
    if (sy > std::numeric_limits<double>::epsilon() * yy && yy > 0.0) {
      newest = (newest + 1) % m;
      std::swap(S[newest], s_new);
      std::swap(Y[newest], y_new);
      rho[newest] = 1.0 / sy;
      stored = std::min(stored + 1, m);
    }
    const double f_old = f;
    x = std::move(next.x);
    g = std::move(next.g);
    f = next.f;
    result.iterations = iter + 1;
    result.f = f;
    result.grad_max = max_abs(g);
    // The relative-decrease rule counts only steps that lowered f visibly (not steps taken on
    // the slope alone, where f is flat to rounding level).
    if (result.grad_max <= opt.gtol ||
        (f_old - f > 0.0 && f_old - f <= opt.ftol * std::max({std::abs(f_old), std::abs(f), 1.0}))) {
      result.status = LbfgsStatus::Converged;
      return result;
    }
    // Near the optimum single steps can change f by less than its rounding while the gradient
    // still shrinks: give up only after a run of such steps.
    if (f_old - f <= 4.0 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::abs(f))) {
      if (++stalled >= kMaxStalled) {
        result.status = LbfgsStatus::NoProgress;
        return result;
      }
    } else {
      stalled = 0;
    }
  }
  result.status = LbfgsStatus::MaxIter;
  return result;
}

}  // namespace imbal::detail
