// Limited-memory BFGS with a strong-Wolfe line search, for smooth unconstrained objectives
// (Nocedal & Wright, "Numerical Optimization", 2nd ed., 2006: Algorithm 7.4 (two-loop
// recursion), Algorithms 3.5/3.6 (line search and zoom with cubic interpolation)). Internal.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace imbal::detail {

struct LbfgsOptions {
  int max_iter = 100;       // L-BFGS iterations (one line search each)
  double gtol = 1e-4;       // converged when max_i |g_i| <= gtol (scipy's pgtol)
  double ftol = 0.0;        // or when (f_old - f) / max(|f_old|, |f|, 1) <= ftol (scipy's
                            // factr * eps); 0: off
  int memory = 10;          // correction pairs kept (scipy's default m)
  int max_linesearch = 20;  // function evaluations per line search (scipy's maxls)
  double c1 = 1e-4;         // sufficient decrease
  double c2 = 0.9;          // curvature (strong Wolfe)
};

enum class LbfgsStatus {
  Converged,         // gradient or relative-decrease criterion met
  MaxIter,           // max_iter iterations done without meeting it
  NoProgress,        // the objective stopped decreasing (rounding level): as good as it gets
  LineSearchFailed,  // no step satisfying the Wolfe conditions was found
};

struct LbfgsResult {
  LbfgsStatus status = LbfgsStatus::MaxIter;
  int iterations = 0;
  int evaluations = 0;
  double f = 0.0;
  double grad_max = 0.0;  // max_i |g_i| at the returned point
};

/// f(x) and its gradient (written into g). Must be deterministic.
using Objective = std::function<double(std::span<const double> x, std::span<double> g)>;

/// Minimises from `x` (updated in place to the returned point).
LbfgsResult lbfgs_minimize(const Objective& fg, std::vector<double>& x, const LbfgsOptions& options);

std::string to_string(LbfgsStatus status);

}  // namespace imbal::detail
