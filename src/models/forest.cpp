// Forest engine: see forest.hpp. Behaviour from scikit-learn 1.2's BaseForest /
// ForestClassifier (bootstrap counts as sample weights, _get_n_samples_bootstrap,
// balanced_subsample, out-of-bag predictions and accuracy); no code copied.
#include "models/forest.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

#include "imbal/class_weight.hpp"
#include "imbal/error.hpp"
#include "models/parallel.hpp"
#include "core/parsed_json.hpp"

namespace imbal::detail {

ForestSettings forest_settings_from(const Params& params, const std::string& model_name) {
  ForestSettings s;
  s.tree = tree_settings_from(params, model_name);
  s.n_estimators = static_cast<std::size_t>(params.get_int("n_estimators"));
  s.bootstrap = params.get_bool("bootstrap");
  s.oob_score = params.get_bool("oob_score");
  if (!params.is_none("max_samples")) {
    s.max_samples = parse_count_or_fraction(params.get("max_samples"), 1, true,
                                            "parameter 'max_samples' of " + model_name);
    if (!s.bootstrap) {
      throw InvalidArgument(model_name + ": max_samples cannot be set when bootstrap=false (every tree sees every row)");
    }
  }
  if (s.oob_score && !s.bootstrap) {
    throw InvalidArgument(model_name + ": oob_score=true needs bootstrap=true (without a bootstrap no row is out of bag)");
  }
  const ParamValue& cw = params.get("class_weight");
  const auto* text = std::get_if<std::string>(&cw);
  s.balanced_subsample = text != nullptr && *text == "balanced_subsample" && s.bootstrap;
  return s;
}

void Forest::fit(const ModelFitInput& input, const ForestSettings& settings, const std::string& model_name,
                 const RowSubset& subset) {
  const std::size_t n = input.X.rows;
  const std::size_t K = input.n_classes;
  TreeData own;
  const TreeData& data = ranked_input(input, own);
  std::size_t n_bootstrap = n;
  if (settings.max_samples) {
    if (settings.max_samples->is_fraction) {
      n_bootstrap = std::max<std::size_t>(
          1, static_cast<std::size_t>(std::round(static_cast<double>(n) * settings.max_samples->fraction)));
    } else {
      n_bootstrap = static_cast<std::size_t>(settings.max_samples->count);
      if (n_bootstrap > n) {
        throw InvalidArgument(model_name + ": max_samples=" + std::to_string(n_bootstrap) + " is more than the " +
                              std::to_string(n) + " rows; expected at most n_samples (or a fraction)");
      }
    }
  }
  const std::size_t T = settings.n_estimators;
  std::vector<DecisionTree> trees(T);
  std::vector<std::vector<std::uint8_t>> oob_rows(settings.oob_score ? T : 0);
  parallel_blocks(T, input.n_jobs, [&](std::size_t t) {
    Rng rng(input.seed, t);
    std::vector<std::size_t> rows;
    if (subset) rows = subset(rng);
    const bool all_rows = !subset;
    const std::size_t n_sub = all_rows ? n : rows.size();
    std::vector<double> weight(n, 0.0);
    if (settings.bootstrap) {
      const std::size_t draws = std::min(n_bootstrap, n_sub);
      std::vector<double> counts(n, 0.0);
      for (std::size_t k = 0; k < draws; ++k) {
        const auto pick = static_cast<std::size_t>(rng.below(n_sub));
        counts[all_rows ? pick : rows[pick]] += 1.0;
      }
      std::vector<double> class_weight(K, 1.0);
      if (settings.balanced_subsample) class_weight = balanced_class_weight_of_draw(input.y, counts, K);
      for (std::size_t i = 0; i < n; ++i) {
        if (counts[i] != 0.0) {
          weight[i] = input.sample_weight[i] * counts[i] * class_weight[static_cast<std::size_t>(input.y[i])];
        }
      }
      if (settings.oob_score) {
        auto& oob = oob_rows[t];
        oob.assign(n, 0);
        if (all_rows) {
          for (std::size_t i = 0; i < n; ++i) oob[i] = counts[i] == 0.0 ? 1 : 0;
        } else {
          for (const auto i : rows) oob[i] = counts[i] == 0.0 ? 1 : 0;
        }
      }
    } else if (all_rows) {
      std::copy(input.sample_weight.begin(), input.sample_weight.end(), weight.begin());
    } else {
      for (const auto i : rows) weight[i] += input.sample_weight[i];
    }
    trees[t].fit(data, input.y, K, weight, settings.tree, rng);
  });
  trees_ = std::move(trees);

  importances_.assign(input.X.cols, 0.0);
  std::size_t contributing = 0;
  for (const auto& tree : trees_) {
    if (tree.node_count() <= 1) continue;
    auto dec = tree.impurity_decrease_per_feature();
    double total = 0.0;
    for (const double v : dec) total += v;
    if (!(total > 0.0)) continue;
    ++contributing;
    for (std::size_t f = 0; f < dec.size(); ++f) importances_[f] += dec[f] / total;
  }
  if (contributing > 0) {
    double total = 0.0;
    for (auto& v : importances_) v /= static_cast<double>(contributing);
    for (const double v : importances_) total += v;
    if (total > 0.0) {
      for (auto& v : importances_) v /= total;
    }
  }

  has_oob_ = settings.oob_score;
  oob_decision_ = Matrix();
  oob_score_ = 0.0;
  if (!settings.oob_score) return;
  oob_decision_ = Matrix(n, K, 0.0);
  std::vector<std::size_t> n_oob(n, 0);
  const std::size_t rows_per_block = block_rows(n, 1024);
  const std::size_t n_blocks = (n + rows_per_block - 1) / rows_per_block;
  parallel_blocks(n_blocks, input.n_jobs, [&](std::size_t b) {
    const std::size_t begin = b * rows_per_block;
    const std::size_t end = std::min(n, begin + rows_per_block);
    std::vector<double> p(K);
    for (std::size_t t = 0; t < T; ++t) {
      for (std::size_t i = begin; i < end; ++i) {
        if (oob_rows[t][i] == 0) continue;
        trees_[t].predict_proba_row(input.X.row(i), p.data());
        double* o = oob_decision_.row(i);
        for (std::size_t k = 0; k < K; ++k) o[k] += p[k];
        ++n_oob[i];
      }
    }
  });
  std::size_t correct = 0;
  std::size_t missing = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double* o = oob_decision_.row(i);
    if (n_oob[i] == 0) {
      ++missing;
    } else {
      for (std::size_t k = 0; k < K; ++k) o[k] /= static_cast<double>(n_oob[i]);
    }
    std::size_t best = 0;
    for (std::size_t k = 1; k < K; ++k) {
      if (o[k] > o[best]) best = k;
    }
    correct += static_cast<std::int32_t>(best) == input.y[i] ? 1 : 0;
  }
  oob_score_ = static_cast<double>(correct) / static_cast<double>(n);
  if (missing > 0) {
    input.warn(model_name + ": " + std::to_string(missing) +
               " rows were in every tree's sample and have no out-of-bag prediction (their oob decision is 0, "
               "predicted as the first class); use more trees for a reliable oob_score");
  }
}

void Forest::predict_proba(MatrixView X, Matrix& out, int n_jobs) const {
  const std::size_t K = out.cols();
  const std::size_t rows_per_block = block_rows(X.rows, 256);
  const std::size_t n_blocks = (X.rows + rows_per_block - 1) / rows_per_block;
  const double T = static_cast<double>(trees_.size());
  parallel_blocks(n_blocks, n_jobs, [&](std::size_t b) {
    const std::size_t begin = b * rows_per_block;
    const std::size_t end = std::min(X.rows, begin + rows_per_block);
    double* o = out.row(begin);
    std::fill(o, o + (end - begin) * K, 0.0);
    for (const auto& tree : trees_) tree.add_proba(X, begin, end, o);
    for (std::size_t v = 0; v < (end - begin) * K; ++v) o[v] /= T;
  });
}

nlohmann::json Forest::to_json() const {
  nlohmann::json trees = nlohmann::json::array();
  for (const auto& t : trees_) trees.push_back(t.to_json(false));
  nlohmann::json j{{"trees", std::move(trees)}};
  if (!importances_.empty()) j["feature_importances"] = importances_;
  if (has_oob_) {
    j["oob_score"] = oob_score_;
    j["oob_decision_function"] = oob_decision_.storage();
  }
  return j;
}

void Forest::from_json(const nlohmann::json& j, std::size_t n_features, std::size_t n_classes,
                       const std::string& where) {
  if (!j.is_object() || !j.contains("trees") || !j["trees"].is_array() || j["trees"].empty()) {
    throw InvalidArgument(where + ": no 'trees' array (at least one tree)");
  }
  std::vector<DecisionTree> trees(j["trees"].size());
  for (std::size_t t = 0; t < trees.size(); ++t) {
    trees[t].from_json(j["trees"][t], n_features, n_classes, where + ", tree " + std::to_string(t));
  }
  Forest f;
  f.trees_ = std::move(trees);
  if (j.contains("feature_importances")) {
    const auto& imp = j["feature_importances"];
    if (!imp.is_array() || imp.size() != n_features) {
      throw InvalidArgument(where + ": 'feature_importances' must be an array of " + std::to_string(n_features) +
                            " numbers");
    }
    for (const auto& v : imp) {
      if (!v.is_number()) throw InvalidArgument(where + ": 'feature_importances' holds a non-number");
      f.importances_.push_back(v.get<double>());
    }
  }
  if (j.contains("oob_score")) {
    if (!j["oob_score"].is_number() || !j.contains("oob_decision_function") ||
        !j["oob_decision_function"].is_array() || j["oob_decision_function"].size() % n_classes != 0) {
      throw InvalidArgument(where + ": 'oob_score' needs a number and 'oob_decision_function' rows of " +
                            std::to_string(n_classes) + " values");
    }
    f.has_oob_ = true;
    f.oob_score_ = j["oob_score"].get<double>();
    std::vector<double> values;
    for (const auto& v : j["oob_decision_function"]) {
      if (!v.is_number()) throw InvalidArgument(where + ": 'oob_decision_function' holds a non-number");
      values.push_back(v.get<double>());
    }
    const std::size_t rows = values.size() / n_classes;
    f.oob_decision_ = Matrix(rows, n_classes, std::move(values));
  }
  *this = std::move(f);
}

/// The forest parameters shared by random-forest and balanced-random-forest, in scikit-learn's
/// order, with class_weight offering `balanced_subsample`.
std::vector<ParamSpec> forest_param_specs() {
  auto spec = [](std::string name, ParamType type, ParamValue default_value, std::string doc) {
    ParamSpec p;
    p.name = std::move(name);
    p.type = type;
    p.default_value = std::move(default_value);
    p.doc = std::move(doc);
    return p;
  };
  std::vector<ParamSpec> out;
  ParamSpec n_estimators = spec("n_estimators", ParamType::Int, std::int64_t{100}, "Number of trees");
  n_estimators.min = 1;
  out.push_back(n_estimators);
  for (auto& p : tree_param_specs("sqrt", false)) out.push_back(std::move(p));
  out.push_back(spec("bootstrap", ParamType::Bool, ParamValue(true),
                     "Grow each tree on a bootstrap sample (drawn rows weigh their number of draws); false: on all rows"));
  out.push_back(spec("oob_score", ParamType::Bool, ParamValue(false),
                     "Compute the out-of-bag accuracy (oob_score) and oob_decision_function (needs bootstrap)"));
  ParamSpec class_weight =
      spec("class_weight", ParamType::ClassWeight, std::monostate{},
           "Class weights: none, balanced (on all rows), balanced_subsample (on each tree's bootstrap) or "
           "'class:weight,...'");
  class_weight.nullable = true;
  class_weight.choices = {"balanced", "balanced_subsample"};
  class_weight.min = 0.0;
  out.push_back(class_weight);
  ParamSpec max_samples = spec("max_samples", ParamType::Text, std::monostate{},
                               "Bootstrap size: none (n_samples), an integer count, or a float fraction in (0, 1] "
                               "(max(round(f * n_samples), 1))");
  max_samples.nullable = true;
  out.push_back(max_samples);
  return out;
}

/// class_weight for Model::fit: balanced_subsample is applied per tree with bootstrap, and is
/// plain balanced without (scikit-learn's rule).
ParamValue forest_fit_class_weight(const Params& params) {
  const ParamValue& cw = params.get("class_weight");
  if (const auto* text = std::get_if<std::string>(&cw); text != nullptr && *text == "balanced_subsample") {
    return params.get_bool("bootstrap") ? ParamValue{} : ParamValue(std::string("balanced"));
  }
  return cw;
}


ForestModel::ForestModel(const MethodSchema& schema, Params params, ModelOptions options)
    : Model(schema, std::move(params), options) {
  (void)forest_settings_from(this->params(), schema.name);  // bad values fail here
}

void ForestModel::grow(const ModelFitInput& input, const RowSubset& subset) {
  Forest forest;
  forest.fit(input, forest_settings_from(params(), schema().name), schema().name, subset);
  forest_ = std::move(forest);
}

ParamValue ForestModel::fit_class_weight() const { return forest_fit_class_weight(params()); }

void ForestModel::proba_hook(MatrixView X, Matrix& out, int n_jobs) const { forest_.predict_proba(X, out, n_jobs); }

std::string ForestModel::state_json() const { return forest_.to_json().dump(); }

void ForestModel::load_state(const ParsedJson& state) {
  const nlohmann::json& j = state.json;
  Forest forest;
  forest.from_json(j, n_features(), n_classes(), schema().name + " state");
  forest_ = std::move(forest);
}

}  // namespace imbal::detail
