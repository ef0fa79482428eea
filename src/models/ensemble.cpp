// Shared parts of the ensembles: specification parsing and members (see ensemble.hpp).
#include "models/ensemble.hpp"

#include <algorithm>
#include <cctype>

#include "imbal/error.hpp"
#include "imbal/model_registry.hpp"
#include "core/parsed_json.hpp"
#include "imbal/random.hpp"
#include "imbal/registry.hpp"
#include "models/tree.hpp"

namespace imbal::detail {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  return s;
}

[[noreturn]] void bad_spec(std::string_view param, std::string_view text, const std::string& why) {
  throw InvalidArgument("parameter '" + std::string(param) + "': '" + std::string(text) + "' is not a valid specification (" +
                        why + "); expected ID or ID(name=value; name=value), e.g. decision-tree(max_depth=1)");
}

}  // namespace

ComponentSpec parse_component_spec(std::string_view text, std::string_view param) {
  const std::string_view s = trim(text);
  ComponentSpec spec;
  const auto open = s.find('(');
  if (open == std::string_view::npos) {
    if (s.find(')') != std::string_view::npos) bad_spec(param, text, "')' without '('");
    spec.id = std::string(s);
  } else {
    if (s.back() != ')') bad_spec(param, text, "it must end with ')'");
    spec.id = std::string(trim(s.substr(0, open)));
    const std::string_view inner = s.substr(open + 1, s.size() - open - 2);
    int depth = 0;
    std::size_t start = 0;
    auto add = [&](std::size_t end) {
      const std::string_view part = trim(inner.substr(start, end - start));
      if (part.empty()) {
        if (end == inner.size() && !spec.assignments.empty()) return;  // a trailing ';'
        if (end == inner.size() && inner.find_first_not_of(" \t") == std::string_view::npos) return;  // ID()
        bad_spec(param, text, "an empty parameter");
      }
      const auto eq = part.find('=');
      if (eq == std::string_view::npos || trim(part.substr(0, eq)).empty()) {
        bad_spec(param, text, "'" + std::string(part) + "' is not name=value");
      }
      spec.assignments.push_back(std::string(trim(part.substr(0, eq))) + "=" + std::string(trim(part.substr(eq + 1))));
    };
    for (std::size_t i = 0; i < inner.size(); ++i) {
      if (inner[i] == '(') ++depth;
      if (inner[i] == ')' && --depth < 0) bad_spec(param, text, "unbalanced parentheses");
      if (inner[i] == ';' && depth == 0) {
        add(i);
        start = i + 1;
      }
    }
    if (depth != 0) bad_spec(param, text, "unbalanced parentheses");
    add(inner.size());
  }
  if (spec.id.empty()) bad_spec(param, text, "no registry id");
  for (const char c : spec.id) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-' && c != '_') {
      bad_spec(param, text, "'" + spec.id + "' is not a registry id");
    }
  }
  return spec;
}

std::unique_ptr<Model> make_component_model(const ComponentSpec& spec, std::string_view param, ModelOptions options) {
  try {
    return make_model(spec.id, spec.assignments, options);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument("parameter '" + std::string(param) + "': " + e.what());
  }
}

std::unique_ptr<Sampler> make_component_sampler(const ComponentSpec& spec, std::string_view param,
                                                SamplerOptions options) {
  try {
    return make_sampler(spec.id, spec.assignments, std::move(options));
  } catch (const InvalidArgument& e) {
    throw InvalidArgument("parameter '" + std::string(param) + "': " + e.what());
  }
}

Matrix select_columns(MatrixView X, std::span<const std::size_t> features) {
  Matrix out(X.rows, features.size());
  for (std::size_t i = 0; i < X.rows; ++i) {
    const double* src = X.row(i);
    double* dst = out.row(i);
    for (std::size_t j = 0; j < features.size(); ++j) dst[j] = src[features[j]];
  }
  return out;
}

std::uint64_t member_seed(std::uint64_t seed, std::uint64_t index, std::uint64_t purpose) {
  Rng rng(seed, 1 + 2 * index + purpose);
  return rng.next() >> 1;  // 63 bits: any model's random_state
}

bool component_grows_trees(const ComponentSpec& spec) {
  return make_component_model(spec, "estimator", {})->grows_trees();
}

void Member::fit(const ComponentSpec& spec, std::string_view param, MatrixView X, std::span<const std::int32_t> y,
                 std::span<const double> w, std::size_t n_classes, std::span<const std::size_t> rows,
                 std::vector<std::size_t> feature_subset, std::uint64_t seed, int n_jobs, const TreeData* ranked) {
  bool every_row = feature_subset.empty() && rows.size() == X.rows;
  for (std::size_t r = 0; every_row && r < rows.size(); ++r) every_row = rows[r] == r;
  if (every_row) {  // X itself (adaboost's members): no copy
    fit_rows(spec, param, X, y, w, n_classes, {}, seed, n_jobs, ranked);
    return;
  }
  const std::size_t d = feature_subset.empty() ? X.cols : feature_subset.size();
  Matrix Xs(rows.size(), d);
  std::vector<std::int32_t> ys(rows.size());
  std::vector<double> ws(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const double* src = X.row(rows[r]);
    double* dst = Xs.row(r);
    if (feature_subset.empty()) {
      std::copy(src, src + X.cols, dst);
    } else {
      for (std::size_t j = 0; j < d; ++j) dst[j] = src[feature_subset[j]];
    }
    ys[r] = y[rows[r]];
    ws[r] = w[rows[r]];
  }
  // The member sees only its columns; fit_rows records them for prediction.
  if (ranked != nullptr) {
    const TreeData ranked_rows = ranked->subset(rows, feature_subset);
    fit_rows(spec, param, Xs.view(), ys, ws, n_classes, std::move(feature_subset), seed, n_jobs, &ranked_rows);
    return;
  }
  fit_rows(spec, param, Xs.view(), ys, ws, n_classes, std::move(feature_subset), seed, n_jobs);
}

void Member::fit_rows(const ComponentSpec& spec, std::string_view param, MatrixView X, std::span<const std::int32_t> y,
                      std::span<const double> w, std::size_t n_classes, std::vector<std::size_t> feature_subset,
                      std::uint64_t seed, int n_jobs, const TreeData* ranked) {
  // Classes with at least one row of positive weight, in code order.
  std::vector<char> present(n_classes, 0);
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (w[i] > 0.0) present[static_cast<std::size_t>(y[i])] = 1;
  }
  classes.clear();
  std::vector<std::int32_t> code_of(n_classes, -1);
  for (std::size_t c = 0; c < n_classes; ++c) {
    if (present[c] != 0) {
      code_of[c] = static_cast<std::int32_t>(classes.size());
      classes.push_back(static_cast<std::int32_t>(c));
    }
  }
  features = std::move(feature_subset);
  model.reset();
  if (classes.size() < 2) return;  // constant member
  std::vector<std::size_t> keep;
  keep.reserve(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (w[i] > 0.0) keep.push_back(i);
  }
  const bool all = keep.size() == y.size() && classes.size() == n_classes;
  ModelOptions options;
  options.random_state = seed;
  options.n_jobs = n_jobs;
  model = make_component_model(spec, param, options);
  auto single_threaded = [&] {
    ModelOptions o = model->options();
    o.n_jobs = 1;
    model->set_options(o);
  };
  if (!model->grows_trees()) ranked = nullptr;
  if (all) {
    if (ranked != nullptr) {
      model->fit_ranked(X, y, n_classes, w, *ranked);
    } else {
      model->fit(X, y, n_classes, w);
    }
    single_threaded();
    return;
  }
  Matrix Xs(keep.size(), X.cols);
  std::vector<std::int32_t> ys(keep.size());
  std::vector<double> ws(keep.size());
  for (std::size_t r = 0; r < keep.size(); ++r) {
    std::copy(X.row(keep[r]), X.row(keep[r]) + X.cols, Xs.row(r));
    ys[r] = code_of[static_cast<std::size_t>(y[keep[r]])];
    ws[r] = w[keep[r]];
  }
  if (ranked != nullptr) {
    model->fit_ranked(Xs.view(), ys, classes.size(), ws, ranked->subset(keep));
  } else {
    model->fit(Xs.view(), ys, classes.size(), ws);
  }
  single_threaded();
}

Matrix Member::proba(MatrixView X, std::size_t n_classes, int n_jobs) const {
  Matrix out(X.rows, n_classes);
  std::fill(out.storage().begin(), out.storage().end(), 0.0);
  if (model == nullptr) {
    for (std::size_t i = 0; i < X.rows; ++i) out(i, static_cast<std::size_t>(classes.front())) = 1.0;
    return out;
  }
  (void)n_jobs;  // members predict on one thread each (set when fitted or loaded)
  // X was validated by the ensemble (its fit input or its own predict_proba's rows): the
  // member's hook runs without checking every value again.
  auto hook = [&](MatrixView rows) {
    IMBAL_ASSERT(model->is_fitted() && rows.cols == model->n_features());
    Matrix p(rows.rows, model->n_classes());
    if (rows.rows > 0) model->proba_hook(rows, p, model->resolved_jobs());
    return p;
  };
  Matrix p;
  if (features.empty()) {
    p = hook(X);
  } else {
    const Matrix Xs = select_columns(X, features);
    p = hook(Xs.view());
  }
  for (std::size_t i = 0; i < X.rows; ++i) {
    for (std::size_t k = 0; k < classes.size(); ++k) out(i, static_cast<std::size_t>(classes[k])) = p(i, k);
  }
  return out;
}

nlohmann::json Member::to_json() const {
  nlohmann::json j;
  j["classes"] = classes;
  j["features"] = features;
  j["model"] = model == nullptr ? nlohmann::json(nullptr) : nlohmann::json::parse(model->save_json());
  return j;
}

Member Member::from_json(const nlohmann::json& j, std::size_t n_features, std::size_t n_classes,
                         const std::string& where) {
  if (!j.is_object() || !j.contains("classes") || !j["classes"].is_array() || !j.contains("features") ||
      !j["features"].is_array() || !j.contains("model")) {
    throw InvalidArgument(where + ": a member must be an object with 'classes', 'features' and 'model'");
  }
  Member m;
  for (const auto& c : j["classes"]) {
    if (!c.is_number_integer() || c.get<std::int64_t>() < 0 || c.get<std::int64_t>() >= static_cast<std::int64_t>(n_classes)) {
      throw InvalidArgument(where + ": a member's classes must be class codes below " + std::to_string(n_classes));
    }
    m.classes.push_back(c.get<std::int32_t>());
  }
  if (m.classes.empty() || !std::is_sorted(m.classes.begin(), m.classes.end()) ||
      std::adjacent_find(m.classes.begin(), m.classes.end()) != m.classes.end()) {
    throw InvalidArgument(where + ": a member's classes must be distinct ascending class codes");
  }
  for (const auto& f : j["features"]) {
    if (!f.is_number_integer() || f.get<std::int64_t>() < 0 || f.get<std::int64_t>() >= static_cast<std::int64_t>(n_features)) {
      throw InvalidArgument(where + ": a member's features must be column indices below n_features (" +
                            std::to_string(n_features) + ")");
    }
    m.features.push_back(f.get<std::size_t>());
  }
  const std::size_t member_features = m.features.empty() ? n_features : m.features.size();
  if (j["model"].is_null()) {
    if (m.classes.size() != 1) throw InvalidArgument(where + ": a member without a model must have exactly one class");
    return m;
  }
  ModelOptions one_thread;
  one_thread.n_jobs = 1;
  m.model = load_model_parsed(j["model"], where, one_thread);
  if (m.model->n_features() != member_features) {
    throw InvalidArgument(where + ": a member has " + std::to_string(m.model->n_features()) +
                          " features, expected " + std::to_string(member_features) + " (n_features)");
  }
  if (m.model->n_classes() != m.classes.size()) {
    throw InvalidArgument(where + ": a member's model has " + std::to_string(m.model->n_classes()) +
                          " classes but lists " + std::to_string(m.classes.size()));
  }
  return m;
}

}  // namespace imbal::detail
