// The bagging engine of balanced-bagging and easy-ensemble; see bagging.hpp.
#include "models/bagging.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

#include "imbal/error.hpp"
#include "imbal/random.hpp"
#include "imbal/strategy.hpp"
#include "models/parallel.hpp"
#include "models/tree.hpp"
#include "core/parsed_json.hpp"

namespace imbal::detail {

std::size_t bagging_count(double value, std::size_t n, const char* param, const std::string& model) {
  if (value <= 1.0) {
    // scikit-learn: int(fraction * n), at least 1 feature; 0 rows is an error.
    const auto count = static_cast<std::size_t>(value * static_cast<double>(n));
    if (count == 0) {
      throw InvalidArgument(model + ": " + param + "=" + std::to_string(value) + " of " + std::to_string(n) +
                            " gives 0; raise " + param);
    }
    return count;
  }
  if (value != std::floor(value)) {
    throw InvalidArgument(model + ": " + param + " above 1 is a count and must be a whole number, got " +
                          std::to_string(value));
  }
  const auto count = static_cast<std::size_t>(value);
  if (count > n) {
    throw InvalidArgument(model + ": " + param + "=" + std::to_string(count) + " is more than the " + std::to_string(n) +
                          " available");
  }
  return count;
}

namespace {

ClassLabels labels_or_codes(const ModelFitInput& input) {
  if (input.labels != nullptr && input.labels->size() == input.n_classes) return *input.labels;
  ClassLabels codes;
  for (std::size_t c = 0; c < input.n_classes; ++c) codes.names.push_back(std::to_string(c));
  codes.numeric = true;
  return codes;
}

}  // namespace

void Bagging::fit_hook(const ModelFitInput& input) {
  const BaggingConfig cfg = config();
  const std::string& who = schema().name;
  const std::size_t n = input.X.rows;
  const std::size_t d = input.X.cols;
  const std::size_t K = input.n_classes;
  const std::size_t n_rows = bagging_count(cfg.max_samples, n, "max_samples", who);
  std::size_t n_feat = cfg.max_features <= 1.0 ? std::max<std::size_t>(1, static_cast<std::size_t>(cfg.max_features * static_cast<double>(d)))
                                               : bagging_count(cfg.max_features, d, "max_features", who);
  if (cfg.oob_score && !cfg.bootstrap) {
    throw InvalidArgument(who + ": oob_score=true needs bootstrap=true (without it no row is out of bag)");
  }
  const ClassLabels labels = labels_or_codes(input);
  SamplerOptions sampler_options;
  sampler_options.sampling_strategy = SamplingStrategy::parse(cfg.sampling_strategy, labels);
  sampler_options.n_jobs = 1;
  (void)make_component_sampler(cfg.sampler, "sampler", sampler_options);  // bad specs fail now
  // A bad estimator fails now. Tree members of samplers that only copy rows take their ranks
  // from one ranking of all rows (TreeData::subset) instead of sorting their rows.
  const bool trees = component_grows_trees(cfg.estimator);
  TreeData own;
  const TreeData* ranked = trees ? &ranked_input(input, own) : nullptr;
  const bool all_features = n_feat == d && !cfg.bootstrap_features;

  std::vector<Member> members(cfg.n_estimators);
  std::vector<std::vector<std::size_t>> drawn(cfg.n_estimators);
  // Members in parallel, one thread each, when there are several; else the member gets them all.
  const int member_jobs = cfg.n_estimators >= static_cast<std::size_t>(input.n_jobs) ? 1 : input.n_jobs;
  parallel_blocks(cfg.n_estimators, input.n_jobs, [&](std::size_t m) {
    Rng rng(input.seed, 2 * m + 1);
    std::vector<std::size_t> features;
    if (!all_features) features = rng.choice(d, n_feat, cfg.bootstrap_features);
    std::vector<std::size_t> rows = rng.choice(n, n_rows, cfg.bootstrap);
    // The drawn rows, as the member's training set before resampling.
    Matrix Xb(rows.size(), features.empty() ? d : features.size());
    std::vector<std::int32_t> yb(rows.size());
    std::vector<double> wb(rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const double* src = input.X.row(rows[r]);
      double* dst = Xb.row(r);
      if (features.empty()) {
        std::copy(src, src + d, dst);
      } else {
        for (std::size_t j = 0; j < features.size(); ++j) dst[j] = src[features[j]];
      }
      yb[r] = input.y[rows[r]];
      wb[r] = input.sample_weight[rows[r]];
    }
    SamplerOptions so = sampler_options;
    so.random_state = member_seed(input.seed, m, 1);
    auto sampler = make_component_sampler(cfg.sampler, "sampler", so);
    const ResampleResult res = sampler->fit_resample(Xb.view(), yb, K, {}, &labels);
    // Rows copied from the drawn set keep their weight; new (synthetic) rows weigh 1.
    std::vector<double> wr(res.y.size(), 1.0);
    for (std::size_t r = 0; r < res.n_copied; ++r) wr[r] = wb[res.indices[r]];
    if (ranked != nullptr && res.n_copied == res.y.size()) {
      // Every row is a copy of a drawn row: rank the member's rows from the ranking of X.
      std::vector<std::size_t> source(res.y.size());
      for (std::size_t r = 0; r < source.size(); ++r) source[r] = rows[res.indices[r]];
      const TreeData member_ranked = ranked->subset(source, features);
      members[m].fit_rows(cfg.estimator, "estimator", res.X.view(), res.y, wr, K, std::move(features),
                          member_seed(input.seed, m, 0), member_jobs, &member_ranked);
    } else {
      members[m].fit_rows(cfg.estimator, "estimator", res.X.view(), res.y, wr, K, std::move(features),
                          member_seed(input.seed, m, 0), member_jobs);
    }
    if (cfg.oob_score) drawn[m] = std::move(rows);
  });
  members_ = std::move(members);
  has_oob_ = cfg.oob_score;
  oob_score_ = 0.0;
  if (cfg.oob_score) {
    // scikit-learn's oob_score_: accuracy of the summed out-of-bag probabilities.
    Matrix sum(n, K, 0.0);
    std::vector<char> seen(n, 0);
    for (std::size_t m = 0; m < members_.size(); ++m) {
      std::vector<char> in_bag(n, 0);
      for (const auto r : drawn[m]) in_bag[r] = 1;
      std::vector<std::size_t> oob;
      for (std::size_t i = 0; i < n; ++i) {
        if (in_bag[i] == 0) oob.push_back(i);
      }
      if (oob.empty()) continue;
      Matrix Xo(oob.size(), d);
      for (std::size_t r = 0; r < oob.size(); ++r) std::copy(input.X.row(oob[r]), input.X.row(oob[r]) + d, Xo.row(r));
      const Matrix P = members_[m].proba(Xo.view(), K, 1);
      for (std::size_t r = 0; r < oob.size(); ++r) {
        seen[oob[r]] = 1;
        for (std::size_t k = 0; k < K; ++k) sum(oob[r], k) += P(r, k);
      }
    }
    std::size_t right = 0, counted = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (seen[i] == 0) continue;
      ++counted;
      std::size_t best = 0;
      for (std::size_t k = 1; k < K; ++k) {
        if (sum(i, k) > sum(i, best)) best = k;
      }
      right += static_cast<std::int32_t>(best) == input.y[i] ? 1 : 0;
    }
    if (counted < n) {
      input.warn(who + ": " + std::to_string(n - counted) +
                 " rows were in every bootstrap sample; the out-of-bag score leaves them out (use more estimators)");
    }
    oob_score_ = counted == 0 ? 0.0 : static_cast<double>(right) / static_cast<double>(counted);
  }
}

void Bagging::proba_hook(MatrixView X, Matrix& out, int n_jobs) const {
  const std::size_t K = n_classes();
  const std::size_t rows_per_block = block_rows(X.rows, 2048);
  const std::size_t n_blocks = (X.rows + rows_per_block - 1) / rows_per_block;
  std::fill(out.storage().begin(), out.storage().end(), 0.0);
  parallel_blocks(n_blocks, X.rows < 4096 ? 1 : n_jobs, [&](std::size_t b) {
    const std::size_t begin = b * rows_per_block;
    const std::size_t end = std::min(X.rows, begin + rows_per_block);
    const MatrixView part(X.row(begin), end - begin, X.cols, X.stride);
    for (const auto& member : members_) {
      const Matrix P = member.proba(part, K, 1);
      for (std::size_t r = 0; r < part.rows; ++r) {
        for (std::size_t k = 0; k < K; ++k) out(begin + r, k) += P(r, k);
      }
    }
    const double m = static_cast<double>(members_.size());
    for (std::size_t i = begin; i < end; ++i) {
      double s = 0.0;
      for (std::size_t k = 0; k < K; ++k) s += out(i, k) /= m;
      for (std::size_t k = 0; k < K; ++k) out(i, k) /= s;  // exactly 1 up to rounding
    }
  });
}

std::string Bagging::state_json() const {
  nlohmann::json members = nlohmann::json::array();
  for (const auto& m : members_) members.push_back(m.to_json());
  nlohmann::json j{{"members", members}};
  if (has_oob_) j["oob_score"] = oob_score_;
  return j.dump();
}

void Bagging::load_state(const ParsedJson& state) {
  const nlohmann::json& j = state.json;
  const std::string where = schema().name + " state";
  if (!j.contains("members") || !j["members"].is_array() || j["members"].empty()) {
    throw InvalidArgument(where + ": 'members' must be a non-empty array");
  }
  std::vector<Member> members;
  for (const auto& m : j["members"]) members.push_back(Member::from_json(m, n_features(), n_classes(), where));
  has_oob_ = j.contains("oob_score");
  if (has_oob_) {
    if (!j["oob_score"].is_number()) throw InvalidArgument(where + ": 'oob_score' must be a number");
    oob_score_ = j["oob_score"].get<double>();
  }
  members_ = std::move(members);
}

}  // namespace imbal::detail
