// logistic-regression: L2-penalised (or unpenalised) logistic regression fitted by our own
// L-BFGS, with scikit-learn 1.2's LogisticRegression(solver="lbfgs") objective:
//   sum_i s_i * loss_i + 1/(2C) * ||W||^2      (the intercepts are not penalised)
// binary (K = 2): one coefficient vector for class 1, loss_i = log(1 + exp(-t_i)), t_i = +-z_i;
// K > 2: multinomial (softmax) with K vectors, loss_i = -log p_{i,y_i}.
// Optional focal loss (Lin, Goyal, Girshick, He & Dollar, "Focal loss for dense object
// detection", ICCV 2017): loss_i = -alpha_t (1 - p_t)^gamma log p_t, p_t the probability of the
// true class; gamma = 0 and no alpha is the log loss above.
// The objective and gradient are summed over fixed row blocks combined in block order, so the
// result does not depend on the thread count.
#include <Eigen/Dense>
#include <nlohmann/json.hpp>

#include <cmath>
#include <memory>
#include <sstream>

#include "imbal/error.hpp"
#include "imbal/model.hpp"
#include "models/lbfgs.hpp"
#include "models/parallel.hpp"
#include "core/parsed_json.hpp"

namespace imbal {

namespace {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstRowMap = Eigen::Map<const RowMatrix, 0, Eigen::OuterStride<>>;

ConstRowMap rows_of(MatrixView X, std::size_t begin, std::size_t end) {
  return ConstRowMap(X.row(begin), static_cast<Eigen::Index>(end - begin), static_cast<Eigen::Index>(X.cols),
                     Eigen::OuterStride<>(static_cast<Eigen::Index>(X.stride)));
}

double sigmoid(double t) {
  if (t >= 0.0) return 1.0 / (1.0 + std::exp(-t));
  const double e = std::exp(t);
  return e / (1.0 + e);
}

/// log(1 + exp(-t)) without overflow.
double softplus_neg(double t) { return t > 0.0 ? std::log1p(std::exp(-t)) : -t + std::log1p(std::exp(t)); }

struct Objective {
  // Problem
  MatrixView X;
  std::span<const std::int32_t> y;
  std::span<const double> w;  // sample weights
  std::size_t K = 2;          // classes
  std::size_t outputs = 1;    // coefficient vectors: 1 for K = 2, else K
  bool fit_intercept = true;
  double l2 = 1.0;            // 1 / C, 0 without penalty
  bool focal = false;
  double gamma = 0.0;
  double alpha = -1.0;        // < 0: no alpha weighting
  int n_jobs = 1;

  std::size_t n_params() const { return outputs * (X.cols + (fit_intercept ? 1 : 0)); }

  /// Loss of one row and dL/dz (written to dz[0..outputs)), times the row weight.
  double row_loss(const double* z, std::int32_t label, double weight, double* dz) const {
    if (outputs == 1) {
      const bool positive = label == 1;
      const double t = positive ? z[0] : -z[0];
      const double sign = positive ? 1.0 : -1.0;
      if (!focal) {
        // One exp and one log1p: e = exp(-|t|), log(1 + exp(-t)) = max(-t, 0) + log1p(e),
        // sigmoid(-t) = e / (1 + e) for t > 0, 1 / (1 + e) otherwise.
        const double e = std::exp(-std::abs(t));
        const double sig_neg = t > 0.0 ? e / (1.0 + e) : 1.0 / (1.0 + e);
        dz[0] = -sign * sig_neg * weight;
        return weight * ((t > 0.0 ? 0.0 : -t) + std::log1p(e));
      }
      const double a = alpha < 0.0 ? 1.0 : (positive ? alpha : 1.0 - alpha);
      const double q = sigmoid(t);
      const double omq = sigmoid(-t);
      const double log_q = -softplus_neg(t);
      const double omq_g = gamma == 0.0 ? 1.0 : std::pow(omq, gamma);
      dz[0] = sign * weight * a * (gamma * omq_g * q * log_q - omq_g * omq);
      return weight * a * omq_g * (-log_q);
    }
    double zmax = z[0];
    for (std::size_t k = 1; k < K; ++k) zmax = std::max(zmax, z[k]);
    double sum = 0.0;
    for (std::size_t k = 0; k < K; ++k) {
      dz[k] = std::exp(z[k] - zmax);
      sum += dz[k];
    }
    const double log_sum = std::log(sum);
    const auto yk = static_cast<std::size_t>(label);
    const double log_q = z[yk] - zmax - log_sum;
    for (std::size_t k = 0; k < K; ++k) dz[k] /= sum;  // probabilities
    if (!focal) {
      for (std::size_t k = 0; k < K; ++k) dz[k] *= weight;
      dz[yk] -= weight;
      return -weight * log_q;
    }
    const double q = dz[yk];
    double omq = 0.0;
    for (std::size_t k = 0; k < K; ++k) {
      if (k != yk) omq += dz[k];
    }
    if (omq <= 0.0) {
      for (std::size_t k = 0; k < K; ++k) dz[k] = 0.0;
      return 0.0;
    }
    const double omq_g = std::pow(omq, gamma);
    // dL/dz_k = c * (delta_yk - p_k), c = gamma (1-q)^(gamma-1) q log q - (1-q)^gamma
    const double c = weight * (gamma * (omq_g / omq) * q * log_q - omq_g);
    for (std::size_t k = 0; k < K; ++k) dz[k] = -c * dz[k];
    dz[yk] += c;
    return weight * omq_g * (-log_q);
  }

  double operator()(std::span<const double> x, std::span<double> g) const {
    const std::size_t d = X.cols;
    const std::size_t n = X.rows;
    const std::size_t P = n_params();
    const std::size_t rows_per_block = detail::block_rows(n);
    const std::size_t n_blocks = (n + rows_per_block - 1) / rows_per_block;
    // Per block: loss, then the gradient (coefficients, then intercepts).
    std::vector<double> partial(n_blocks * (P + 1), 0.0);
    const Eigen::Map<const RowMatrix> W(x.data(), static_cast<Eigen::Index>(outputs), static_cast<Eigen::Index>(d));
    detail::parallel_blocks(n_blocks, n_jobs, [&](std::size_t b) {
      const std::size_t begin = b * rows_per_block;
      const std::size_t end = std::min(n, begin + rows_per_block);
      const auto Xb = rows_of(X, begin, end);
      RowMatrix Z = Xb * W.transpose();
      if (fit_intercept) {
        for (std::size_t k = 0; k < outputs; ++k) Z.col(static_cast<Eigen::Index>(k)).array() += x[outputs * d + k];
      }
      RowMatrix dZ(Z.rows(), Z.cols());
      std::vector<double> z(K), dz(K);
      double loss = 0.0;
      for (Eigen::Index r = 0; r < Z.rows(); ++r) {
        const std::size_t i = begin + static_cast<std::size_t>(r);
        for (std::size_t k = 0; k < outputs; ++k) z[k] = Z(r, static_cast<Eigen::Index>(k));
        loss += row_loss(z.data(), y[i], w[i], dz.data());
        for (std::size_t k = 0; k < outputs; ++k) dZ(r, static_cast<Eigen::Index>(k)) = dz[k];
      }
      double* out = partial.data() + b * (P + 1);
      out[0] = loss;
      Eigen::Map<RowMatrix> G(out + 1, static_cast<Eigen::Index>(outputs), static_cast<Eigen::Index>(d));
      G.noalias() = dZ.transpose() * Xb;
      if (fit_intercept) {
        for (std::size_t k = 0; k < outputs; ++k) out[1 + outputs * d + k] = dZ.col(static_cast<Eigen::Index>(k)).sum();
      }
    });
    double f = 0.0;
    for (std::size_t j = 0; j < P; ++j) g[j] = 0.0;
    for (std::size_t b = 0; b < n_blocks; ++b) {
      const double* part = partial.data() + b * (P + 1);
      f += part[0];
      for (std::size_t j = 0; j < P; ++j) g[j] += part[1 + j];
    }
    if (l2 > 0.0) {
      double sq = 0.0;
      for (std::size_t j = 0; j < outputs * d; ++j) {
        sq += x[j] * x[j];
        g[j] += l2 * x[j];
      }
      f += 0.5 * l2 * sq;
    }
    return f;
  }
};

constexpr double kScipyFtol = 1e7 * 2.220446049250313e-16;
constexpr std::size_t kParallelWork = 1000000;

class LogisticRegression final : public Model {
 public:
  using Model::Model;

 protected:
  void fit_hook(const ModelFitInput& input) override {
    const auto& p = params();
    Objective obj;
    obj.X = input.X;
    obj.y = input.y;
    obj.w = input.sample_weight;
    obj.K = input.n_classes;
    obj.outputs = input.n_classes == 2 ? 1 : input.n_classes;
    obj.fit_intercept = p.get_bool("fit_intercept");
    obj.l2 = p.get_string("penalty") == "l2" ? 1.0 / p.get_double("C") : 0.0;
    obj.gamma = p.get_double("focal_gamma");
    obj.alpha = p.is_none("focal_alpha") ? -1.0 : p.get_double("focal_alpha");
    obj.focal = obj.gamma > 0.0 || obj.alpha >= 0.0;
    if (obj.alpha >= 0.0 && input.n_classes != 2) {
      throw InvalidArgument("parameter 'focal_alpha' of logistic-regression applies to binary problems only (this one has " +
                            std::to_string(input.n_classes) +
                            " classes); weigh classes with class_weight instead");
    }
    // Threads are started per evaluation: worth it only from ~1M multiply-adds (a millisecond).
    const std::size_t work = input.X.rows * (input.X.cols + 1) * obj.outputs;
    obj.n_jobs = work < kParallelWork ? 1 : input.n_jobs;

    std::vector<double> x(obj.n_params(), 0.0);
    detail::LbfgsOptions opt;
    opt.max_iter = static_cast<int>(p.get_int("max_iter"));
    opt.gtol = p.get_double("tol");
    // scipy's L-BFGS-B (what scikit-learn runs) also stops when one iteration lowers the
    // objective by a relative 2.22e-9 (factr 1e7 x machine epsilon), whatever tol is. We take
    // the same rule at the default tol and scale it with tol^2 (near the optimum the excess of f
    // goes as the square of the gradient), so that a smaller tol really converges further.
    opt.ftol = kScipyFtol * (opt.gtol / 1e-4) * (opt.gtol / 1e-4);
    const auto result = detail::lbfgs_minimize(std::cref(obj), x, opt);
    n_iter_ = result.iterations;
    if (result.status != detail::LbfgsStatus::Converged) {
      std::ostringstream msg;
      msg.precision(3);
      msg << "logistic-regression: lbfgs failed to converge (" << detail::to_string(result.status) << ", "
          << result.iterations << " iterations with max_iter=" << opt.max_iter
          << "; largest gradient component " << result.grad_max << " > tol=" << opt.gtol
          << "). Increase max_iter or scale the data (e.g. standardise the features)";
      input.warn(msg.str());
    }
    const std::size_t d = input.X.cols;
    coef_.assign(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(obj.outputs * d));
    intercept_.assign(obj.outputs, 0.0);
    if (obj.fit_intercept) {
      for (std::size_t k = 0; k < obj.outputs; ++k) intercept_[k] = x[obj.outputs * d + k];
    }
  }

  Matrix decision_hook(MatrixView X, int n_jobs) const override {
    const std::size_t outputs = intercept_.size();
    Matrix out(X.rows, outputs);
    const std::size_t d = X.cols;
    const Eigen::Map<const RowMatrix> W(coef_.data(), static_cast<Eigen::Index>(outputs), static_cast<Eigen::Index>(d));
    const std::size_t rows_per_block = detail::block_rows(X.rows, 4096);
    const std::size_t n_blocks = (X.rows + rows_per_block - 1) / rows_per_block;
    const int jobs = X.rows * d * outputs < kParallelWork ? 1 : n_jobs;
    detail::parallel_blocks(n_blocks, jobs, [&](std::size_t b) {
      const std::size_t begin = b * rows_per_block;
      const std::size_t end = std::min(X.rows, begin + rows_per_block);
      Eigen::Map<RowMatrix> Z(out.row(begin), static_cast<Eigen::Index>(end - begin), static_cast<Eigen::Index>(outputs));
      Z.noalias() = rows_of(X, begin, end) * W.transpose();
      for (std::size_t k = 0; k < outputs; ++k) Z.col(static_cast<Eigen::Index>(k)).array() += intercept_[k];
    });
    return out;
  }

  void proba_hook(MatrixView X, Matrix& out, int n_jobs) const override {
    const Matrix z = decision_hook(X, n_jobs);
    const std::size_t K = out.cols();
    for (std::size_t i = 0; i < X.rows; ++i) {
      double* p = out.row(i);
      const double* zi = z.row(i);
      if (K == 2) {
        p[1] = sigmoid(zi[0]);
        p[0] = 1.0 - p[1];  // as scikit-learn: [1 - p, p]
        continue;
      }
      double zmax = zi[0];
      for (std::size_t k = 1; k < K; ++k) zmax = std::max(zmax, zi[k]);
      double sum = 0.0;
      for (std::size_t k = 0; k < K; ++k) {
        p[k] = std::exp(zi[k] - zmax);
        sum += p[k];
      }
      for (std::size_t k = 0; k < K; ++k) p[k] /= sum;
    }
  }

  std::string state_json() const override {
    const std::size_t outputs = intercept_.size();
    const std::size_t d = outputs == 0 ? 0 : coef_.size() / outputs;
    nlohmann::json coef = nlohmann::json::array();
    for (std::size_t k = 0; k < outputs; ++k) {
      coef.push_back(std::vector<double>(coef_.begin() + static_cast<std::ptrdiff_t>(k * d),
                                         coef_.begin() + static_cast<std::ptrdiff_t>((k + 1) * d)));
    }
    return nlohmann::json{{"coef", coef}, {"intercept", intercept_}, {"n_iter", n_iter_}}.dump();
  }

  void load_state(const detail::ParsedJson& state) override {
    const nlohmann::json& j = state.json;
    const std::size_t outputs = n_classes() == 2 ? 1 : n_classes();
    const std::size_t d = n_features();
    if (!j.contains("coef") || !j["coef"].is_array() || j["coef"].size() != outputs) {
      throw InvalidArgument("logistic-regression state: 'coef' must hold " + std::to_string(outputs) + " rows");
    }
    if (!j.contains("intercept") || !j["intercept"].is_array() || j["intercept"].size() != outputs) {
      throw InvalidArgument("logistic-regression state: 'intercept' must hold " + std::to_string(outputs) + " values");
    }
    std::vector<double> coef;
    for (const auto& row : j["coef"]) {
      if (!row.is_array() || row.size() != d) {
        throw InvalidArgument("logistic-regression state: every 'coef' row must hold " + std::to_string(d) +
                              " numbers (n_features)");
      }
      for (const auto& v : row) {
        if (!v.is_number() || !std::isfinite(v.get<double>())) {
          throw InvalidArgument("logistic-regression state: 'coef' holds a value that is not a finite number");
        }
        coef.push_back(v.get<double>());
      }
    }
    std::vector<double> intercept;
    for (const auto& v : j["intercept"]) {
      if (!v.is_number() || !std::isfinite(v.get<double>())) {
        throw InvalidArgument("logistic-regression state: 'intercept' holds a value that is not a finite number");
      }
      intercept.push_back(v.get<double>());
    }
    coef_ = std::move(coef);
    intercept_ = std::move(intercept);
    n_iter_ = j.value("n_iter", 0);
  }

 private:
  std::vector<double> coef_;       // outputs x n_features, row-major
  std::vector<double> intercept_;  // outputs
  int n_iter_ = 0;
};

}  // namespace

namespace detail {

const MethodSchema& logistic_regression_schema() {
  static const MethodSchema schema = [] {
    auto spec = [](std::string name, ParamType type, ParamValue default_value, std::string doc) {
      ParamSpec p;
      p.name = std::move(name);
      p.type = type;
      p.default_value = std::move(default_value);
      p.doc = std::move(doc);
      return p;
    };
    MethodSchema s;
    s.name = "logistic-regression";
    s.python_class = "LogisticRegression";
    s.python_module = "linear_model";
    s.family = "linear";
    s.summary = "Logistic regression (L2 or no penalty, L-BFGS; binary or multinomial), optional focal loss";
    s.reference = "scikit-learn LogisticRegression(solver='lbfgs'); focal loss: Lin et al., ICCV 2017";
    ParamSpec penalty = spec("penalty", ParamType::Choice, std::string("l2"),
                      "Penalty on the coefficients (the intercept is never penalised)");
    penalty.choices = {"l2", "none"};
    ParamSpec C = spec("C", ParamType::Float, 1.0, "Inverse of the L2 penalty strength: the objective adds ||W||^2 / (2C)");
    C.min = 0.0;
    C.min_exclusive = true;
    ParamSpec fit_intercept = spec("fit_intercept", ParamType::Bool, ParamValue(true), "Fit an intercept per coefficient vector");
    ParamSpec class_weight = spec("class_weight", ParamType::ClassWeight, std::monostate{},
                           "Class weights: none, balanced (n / (K * count)) or 'class:weight,...'");
    class_weight.nullable = true;
    class_weight.choices = {"balanced"};
    class_weight.min = 0.0;
    ParamSpec max_iter = spec("max_iter", ParamType::Int, std::int64_t{100},
                       "Most L-BFGS iterations; a warning says when they did not suffice");
    max_iter.min = 0;
    ParamSpec tol = spec("tol", ParamType::Float, 1e-4,
                  "Converged when the largest gradient component is <= tol (or f stalls: see the docs)");
    tol.min = 0.0;
    ParamSpec solver = spec("solver", ParamType::Choice, std::string("lbfgs"), "Optimiser (only lbfgs: our own L-BFGS)");
    solver.choices = {"lbfgs"};
    ParamSpec gamma = spec("focal_gamma", ParamType::Float, 0.0,
                    "Focal loss focusing parameter gamma; 0 (with focal_alpha none) is the log loss");
    gamma.min = 0.0;
    ParamSpec alpha = spec("focal_alpha", ParamType::Float, std::monostate{},
                    "Focal loss alpha: weight of class 1, 1 - alpha for class 0 (binary only); none: no weighting");
    alpha.nullable = true;
    alpha.min = 0.0;
    alpha.max = 1.0;
    s.params = {penalty, C, fit_intercept, class_weight, max_iter, tol, solver, gamma, alpha};
    return s;
  }();
  return schema;
}

std::unique_ptr<Model> logistic_regression_create(Params params, ModelOptions options) {
  return std::make_unique<LogisticRegression>(logistic_regression_schema(), std::move(params), options);
}

}  // namespace detail

}  // namespace imbal
