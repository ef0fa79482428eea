// The AdaBoost engine (SAMME / SAMME.R) shared by adaboost and rus-boost; see samme.hpp.
#include "models/samme.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

#include "imbal/error.hpp"
#include "models/parallel.hpp"
#include "models/tree.hpp"
#include "core/parsed_json.hpp"

namespace imbal::detail {

namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();  // numpy's finfo(float64).eps

ParamSpec spec(std::string name, ParamType type, ParamValue default_value, std::string doc) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = type;
  p.default_value = std::move(default_value);
  p.doc = std::move(doc);
  return p;
}

/// Zhu et al.'s SAMME.R member output h_k = (K - 1) (log p_k - mean_j log p_j), p clipped at eps.
void add_samme_r(const double* p, std::size_t K, double* out) {
  double mean = 0.0;
  std::vector<double> logp(K);
  for (std::size_t k = 0; k < K; ++k) {
    logp[k] = std::log(std::max(p[k], kEps));
    mean += logp[k];
  }
  mean /= static_cast<double>(K);
  for (std::size_t k = 0; k < K; ++k) out[k] += static_cast<double>(K - 1) * (logp[k] - mean);
}

std::size_t argmax(const double* p, std::size_t K) {
  std::size_t best = 0;
  for (std::size_t k = 1; k < K; ++k) {
    if (p[k] > p[best]) best = k;
  }
  return best;
}

}  // namespace

std::vector<ParamSpec> samme_params() {
  ParamSpec estimator = spec("estimator", ParamType::Text, std::monostate{},
                             "Base estimator: a model specification ID or ID(name=value; ...); none: decision-tree(max_depth=1)");
  estimator.nullable = true;
  ParamSpec n_estimators = spec("n_estimators", ParamType::Int, std::int64_t{50}, "Most boosting rounds (members)");
  n_estimators.min = 1;
  ParamSpec learning_rate = spec("learning_rate", ParamType::Float, 1.0, "Shrinks every member's contribution");
  learning_rate.min = 0.0;
  learning_rate.min_exclusive = true;
  ParamSpec algorithm = spec("algorithm", ParamType::Choice, std::string("SAMME.R"),
                             "SAMME.R (real: class probabilities) or SAMME (discrete: predicted labels)");
  algorithm.choices = {"SAMME.R", "SAMME"};
  return {estimator, n_estimators, learning_rate, algorithm};
}

ComponentSpec boosting_estimator_spec(const Params& params) {
  if (params.is_none("estimator")) return ComponentSpec{"decision-tree", {"max_depth=1"}};
  return parse_component_spec(params.get_string("estimator"), "estimator");
}

ComponentSpec SammeBoost::estimator_spec() const { return boosting_estimator_spec(params()); }

bool SammeBoost::real() const { return params().get_string("algorithm") == "SAMME.R"; }

std::vector<std::size_t> SammeBoost::member_rows(const ModelFitInput& input, std::size_t, std::uint64_t) const {
  std::vector<std::size_t> rows(input.X.rows);
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  return rows;
}

bool SammeBoost::grows_trees() const { return component_grows_trees(estimator_spec()); }

void SammeBoost::fit_hook(const ModelFitInput& input) {
  const ComponentSpec est = estimator_spec();
  // A bad estimator fails here, before any work. Tree members take their ranks from one ranking
  // of the rows (each member's rows are a subset of them) instead of sorting them every round.
  const bool trees = component_grows_trees(est);
  TreeData own;
  const TreeData* ranked = trees ? &ranked_input(input, own) : nullptr;
  const std::size_t n = input.X.rows;
  const std::size_t K = input.n_classes;
  const auto n_estimators = static_cast<std::size_t>(params().get_int("n_estimators"));
  const double lr = params().get_double("learning_rate");
  const bool is_real = real();

  std::vector<double> w(input.sample_weight.begin(), input.sample_weight.end());
  double total = 0.0;
  for (const double v : w) total += v;
  for (auto& v : w) v /= total;
  std::vector<char> zero(n);
  for (std::size_t i = 0; i < n; ++i) zero[i] = w[i] == 0.0 ? 1 : 0;

  members_.clear();
  weights_.clear();
  errors_.clear();
  std::vector<char> incorrect(n);
  for (std::size_t iboost = 0; iboost < n_estimators; ++iboost) {
    for (std::size_t i = 0; i < n; ++i) w[i] = zero[i] != 0 ? 0.0 : std::max(w[i], kEps);
    Member member;
    const std::uint64_t seed = member_seed(input.seed, iboost, 0);
    const std::vector<std::size_t> rows = member_rows(input, iboost, member_seed(input.seed, iboost, 1));
    member.fit(est, "estimator", input.X, input.y, w, K, rows, {}, seed, input.n_jobs, ranked);
    const Matrix P = member.proba(input.X, K, input.n_jobs);
    double err = 0.0, wsum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      incorrect[i] = static_cast<std::int32_t>(argmax(P.row(i), K)) != input.y[i] ? 1 : 0;
      err += incorrect[i] != 0 ? w[i] : 0.0;
      wsum += w[i];
    }
    err /= wsum;
    const bool last = iboost + 1 == n_estimators;
    double member_weight = 1.0;
    if (err <= 0.0) {
      // A perfect member: kept with weight 1, and boosting stops.
      members_.push_back(std::move(member));
      weights_.push_back(1.0);
      errors_.push_back(0.0);
      break;
    }
    if (is_real) {
      // y coding: 1 for the true class, -1 / (K - 1) for the others.
      const double off = -1.0 / static_cast<double>(K - 1);
      const double scale = -lr * (static_cast<double>(K) - 1.0) / static_cast<double>(K);
      if (!last) {
        for (std::size_t i = 0; i < n; ++i) {
          const double* p = P.row(i);
          double s = 0.0;
          for (std::size_t k = 0; k < K; ++k) {
            const double code = static_cast<std::int32_t>(k) == input.y[i] ? 1.0 : off;
            s += code * std::log(std::max(p[k], kEps));
          }
          const double ew = scale * s;
          if (w[i] > 0.0 || ew < 0.0) w[i] *= std::exp(ew);
        }
      }
    } else {
      if (err >= 1.0 - 1.0 / static_cast<double>(K)) {
        // Worse than random guessing: dropped, and boosting stops.
        if (members_.empty()) {
          throw InvalidArgument(schema().name + ": the first member (" + est.id + ") is worse than random guessing "
                                "(weighted error " + std::to_string(err) + "); the ensemble cannot be fitted");
        }
        input.warn(schema().name + ": boosting stopped after " + std::to_string(members_.size()) +
                   " members: member " + std::to_string(iboost + 1) + " was worse than random guessing");
        break;
      }
      member_weight = lr * (std::log((1.0 - err) / err) + std::log(static_cast<double>(K) - 1.0));
      if (!last) {
        for (std::size_t i = 0; i < n; ++i) {
          if (incorrect[i] != 0 && w[i] > 0.0) w[i] = std::exp(std::log(w[i]) + member_weight);
        }
      }
    }
    members_.push_back(std::move(member));
    weights_.push_back(member_weight);
    errors_.push_back(err);
    double sum = 0.0;
    for (const double v : w) sum += v;
    if (!std::isfinite(sum)) {
      input.warn(schema().name + ": sample weights overflowed at iteration " + std::to_string(iboost) +
                 "; boosting stopped. Lower learning_rate");
      break;
    }
    if (sum <= 0.0) break;
    if (!last) {
      for (auto& v : w) v /= sum;
    }
  }
}

Matrix SammeBoost::votes(MatrixView X) const {
  const std::size_t K = n_classes();
  Matrix out(X.rows, K, 0.0);
  const bool is_real = real();
  double norm = 0.0;
  for (const double v : weights_) norm += v;
  const std::size_t rows_per_block = block_rows(X.rows, 2048);
  const std::size_t n_blocks = (X.rows + rows_per_block - 1) / rows_per_block;
  parallel_blocks(n_blocks, X.rows < 4096 ? 1 : resolved_jobs(), [&](std::size_t b) {
    const std::size_t begin = b * rows_per_block;
    const std::size_t end = std::min(X.rows, begin + rows_per_block);
    const MatrixView part(X.row(begin), end - begin, X.cols, X.stride);
    for (std::size_t m = 0; m < members_.size(); ++m) {
      const Matrix P = members_[m].proba(part, K, 1);
      for (std::size_t r = 0; r < part.rows; ++r) {
        double* o = out.row(begin + r);
        if (is_real) {
          add_samme_r(P.row(r), K, o);
        } else {
          o[argmax(P.row(r), K)] += weights_[m];
        }
      }
    }
  });
  for (auto& v : out.storage()) v /= norm;
  return out;
}

Matrix SammeBoost::decision_hook(MatrixView X, int) const {
  const Matrix f = votes(X);
  if (n_classes() != 2) return f;
  Matrix out(X.rows, 1);
  for (std::size_t i = 0; i < X.rows; ++i) out(i, 0) = f(i, 1) - f(i, 0);
  return out;
}

void SammeBoost::proba_hook(MatrixView X, Matrix& out, int) const {
  const Matrix f = votes(X);
  const std::size_t K = n_classes();
  for (std::size_t i = 0; i < X.rows; ++i) {
    // softmax(f / (K - 1)); binary: softmax([-d, d] / 2) with d = f1 - f0.
    std::vector<double> z(K);
    if (K == 2) {
      const double d = f(i, 1) - f(i, 0);
      z[0] = -d / 2.0;
      z[1] = d / 2.0;
    } else {
      for (std::size_t k = 0; k < K; ++k) z[k] = f(i, k) / static_cast<double>(K - 1);
    }
    double zmax = z[0];
    for (std::size_t k = 1; k < K; ++k) zmax = std::max(zmax, z[k]);
    double sum = 0.0;
    for (std::size_t k = 0; k < K; ++k) {
      z[k] = std::exp(z[k] - zmax);
      sum += z[k];
    }
    for (std::size_t k = 0; k < K; ++k) out(i, k) = z[k] / sum;
  }
}

std::string SammeBoost::state_json() const {
  nlohmann::json members = nlohmann::json::array();
  for (const auto& m : members_) members.push_back(m.to_json());
  return nlohmann::json{{"members", members}, {"estimator_weights", weights_}, {"estimator_errors", errors_}}.dump();
}

void SammeBoost::load_state(const ParsedJson& state) {
  const nlohmann::json& j = state.json;
  const std::string where = schema().name + " state";
  if (!j.contains("members") || !j["members"].is_array() || j["members"].empty()) {
    throw InvalidArgument(where + ": 'members' must be a non-empty array");
  }
  const std::size_t n = j["members"].size();
  auto numbers = [&](const char* key) {
    if (!j.contains(key) || !j[key].is_array() || j[key].size() != n) {
      throw InvalidArgument(where + ": '" + key + "' must hold one number per member (" + std::to_string(n) + ")");
    }
    std::vector<double> out;
    for (const auto& v : j[key]) {
      if (!v.is_number() || !std::isfinite(v.get<double>())) {
        throw InvalidArgument(where + ": '" + key + "' holds a value that is not a finite number");
      }
      out.push_back(v.get<double>());
    }
    return out;
  };
  std::vector<double> weights = numbers("estimator_weights");
  std::vector<double> errors = numbers("estimator_errors");
  double norm = 0.0;
  for (const double v : weights) norm += v;
  if (!(norm > 0.0)) throw InvalidArgument(where + ": the estimator weights must have a positive sum");
  std::vector<Member> members;
  for (const auto& m : j["members"]) members.push_back(Member::from_json(m, n_features(), n_classes(), where));
  members_ = std::move(members);
  weights_ = std::move(weights);
  errors_ = std::move(errors);
}

}  // namespace imbal::detail
