#include "imbal/model.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <thread>

#include "core/json_splice.hpp"
#include "core/parsed_json.hpp"
#include "imbal/class_weight.hpp"
#include "imbal/error.hpp"
#include "imbal/random.hpp"
#include "imbal/version.hpp"
#include "models/tree.hpp"

namespace imbal {

using nlohmann::json;

Model::Model(const MethodSchema& schema, Params params, ModelOptions options)
    : schema_(&schema), params_(std::move(params)), options_(options) {
  IMBAL_ASSERT(params_.schema() == schema_);
}

int Model::resolved_jobs() const {
  return options_.n_jobs > 0 ? options_.n_jobs : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
}

namespace {

void check_finite(MatrixView X, const char* what) {
  for (std::size_t i = 0; i < X.rows; ++i) {
    const double* row = X.row(i);
    for (std::size_t j = 0; j < X.cols; ++j) {
      if (!std::isfinite(row[j])) {
        throw InvalidArgument(std::string(what) + " holds a non-finite value (" + std::to_string(row[j]) +
                              ") at row " + std::to_string(i) + ", column " + std::to_string(j) +
                              "; remove or impute missing values first");
      }
    }
  }
}

ClassLabels default_labels(std::size_t n_classes) {
  ClassLabels labels;
  labels.numeric = true;
  for (std::size_t c = 0; c < n_classes; ++c) labels.names.push_back(std::to_string(c));
  return labels;
}

}  // namespace

void Model::fit(MatrixView X, std::span<const std::int32_t> y, std::size_t n_classes,
                std::span<const double> sample_weight, const ClassLabels* labels) {
  fit_impl(X, y, n_classes, sample_weight, labels, nullptr);
}

void Model::fit_ranked(MatrixView X, std::span<const std::int32_t> y, std::size_t n_classes,
                       std::span<const double> sample_weight, const detail::TreeData& ranked) {
  fit_impl(X, y, n_classes, sample_weight, nullptr, &ranked);
}

void Model::fit_impl(MatrixView X, std::span<const std::int32_t> y, std::size_t n_classes,
                     std::span<const double> sample_weight, const ClassLabels* labels,
                     const detail::TreeData* ranked) {
  const std::string who = "model '" + schema_->name + "'";
  if (X.rows != y.size()) {
    throw InvalidArgument(who + ": X has " + std::to_string(X.rows) + " rows but y has " + std::to_string(y.size()) +
                          " labels; they must match");
  }
  if (X.rows == 0) throw InvalidArgument(who + ": cannot fit on an empty dataset (0 rows)");
  if (X.cols == 0) throw InvalidArgument(who + ": cannot fit on a dataset without feature columns");
  if (labels != nullptr && labels->size() != n_classes) {
    throw InvalidArgument(who + ": class labels name " + std::to_string(labels->size()) +
                          " classes but n_classes is " + std::to_string(n_classes));
  }
  if (n_classes < 2) {
    throw InvalidArgument(who + ": needs at least 2 classes, got " + std::to_string(n_classes));
  }
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (y[i] < 0 || static_cast<std::size_t>(y[i]) >= n_classes) {
      throw InvalidArgument(who + ": label code " + std::to_string(y[i]) + " of row " + std::to_string(i) +
                            " is outside [0, " + std::to_string(n_classes) + ")");
    }
  }
  if (ranked == nullptr) check_finite(X, "X");  // fit_ranked: rows of data an ensemble checked
  ClassLabels names = labels != nullptr ? *labels : default_labels(n_classes);

  ModelFitInput input;
  input.X = X;
  input.y = y;
  input.n_classes = n_classes;
  input.class_rows.resize(n_classes);
  for (std::size_t i = 0; i < y.size(); ++i) input.class_rows[static_cast<std::size_t>(y[i])].push_back(i);
  for (std::size_t c = 0; c < n_classes; ++c) {
    if (input.class_rows[c].empty()) {
      throw InvalidArgument(who + ": class '" + names.names[c] + "' has no rows; every class must have at least one " +
                            "(the data has " + std::to_string(n_classes) + " classes)");
    }
  }
  if (!sample_weight.empty()) {
    if (sample_weight.size() != y.size()) {
      throw InvalidArgument(who + ": sample_weight has " + std::to_string(sample_weight.size()) + " values for " +
                            std::to_string(y.size()) + " rows");
    }
    for (std::size_t i = 0; i < sample_weight.size(); ++i) {
      if (!std::isfinite(sample_weight[i]) || sample_weight[i] < 0.0) {
        throw InvalidArgument(who + ": sample_weight of row " + std::to_string(i) +
                              " must be a finite number >= 0, got " + std::to_string(sample_weight[i]));
      }
    }
  }
  // The one place where class weights become sample weights.
  const ParamValue class_weight = fit_class_weight();
  const std::vector<double> weights =
      compute_sample_weight(class_weight, y, n_classes, labels, sample_weight, "class_weight of " + who);
  double total = 0.0;
  for (const double w : weights) total += w;
  if (!(total > 0.0)) throw InvalidArgument(who + ": the sample weights sum to 0; nothing to fit");
  input.sample_weight = weights;
  input.labels = labels;
  if (ranked != nullptr) {
    IMBAL_ASSERT(ranked->rows == X.rows && ranked->cols == X.cols);
    input.ranked = ranked;
  }
  input.seed = options_.random_state ? *options_.random_state : random_seed();
  input.n_jobs = resolved_jobs();
  last_seed_ = input.seed;

  std::vector<std::string> warnings;
  input.warnings = &warnings;
  fitted_ = false;
  n_features_ = X.cols;
  classes_ = std::move(names);
  fit_hook(input);
  warnings_ = std::move(warnings);
  fitted_ = true;
}

void Model::fit(const Dataset& data, std::span<const double> sample_weight) {
  fit(data.X(), data.y(), data.n_classes(), sample_weight, &data.classes());
}

void Model::check_rows(MatrixView X, const char* what) const {
  if (!fitted_) {
    throw InvalidArgument("model '" + schema_->name + "' is not fitted: call fit before " + what);
  }
  if (X.cols != n_features_) {
    throw InvalidArgument("model '" + schema_->name + "' was fitted on " + std::to_string(n_features_) +
                          " features but " + what + " got " + std::to_string(X.cols));
  }
  check_finite(X, "X");
}

Matrix Model::predict_proba(MatrixView X) const {
  check_rows(X, "predict_proba");
  Matrix out(X.rows, classes_.size());
  if (X.rows > 0) proba_hook(X, out, resolved_jobs());
  return out;
}

ParamValue Model::fit_class_weight() const {
  return schema_->find("class_weight") != nullptr ? params_.get("class_weight") : ParamValue{};
}

Matrix Model::decision_hook(MatrixView X, int n_jobs) const {
  Matrix out(X.rows, classes_.size());
  proba_hook(X, out, n_jobs);
  return out;
}

Matrix Model::decision_function(MatrixView X) const {
  check_rows(X, "decision_function");
  if (X.rows == 0) return Matrix(0, classes_.size() == 2 ? 1 : classes_.size());
  return decision_hook(X, resolved_jobs());
}

std::vector<std::int32_t> Model::predict(MatrixView X) const {
  const Matrix p = predict_proba(X);
  std::vector<std::int32_t> out(X.rows);
  for (std::size_t i = 0; i < X.rows; ++i) {
    const double* row = p.row(i);
    std::size_t best = 0;
    for (std::size_t c = 1; c < p.cols(); ++c) {
      if (row[c] > row[best]) best = c;
    }
    out[i] = static_cast<std::int32_t>(best);
  }
  return out;
}

// ---- JSON -------------------------------------------------------------------------------

namespace {

json param_json(const ParamValue& v) {
  if (std::holds_alternative<std::monostate>(v)) return nullptr;
  if (const auto* b = std::get_if<bool>(&v)) return *b;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  json m = json::object();
  for (const auto& [k, x] : std::get<std::map<std::string, double>>(v)) m[k] = x;
  return m;
}

ParamValue param_value(const json& j, const std::string& what) {
  if (j.is_null()) return std::monostate{};
  if (j.is_boolean()) return j.get<bool>();
  if (j.is_number_integer()) return j.get<std::int64_t>();
  if (j.is_number_float()) return j.get<double>();
  if (j.is_string()) return j.get<std::string>();
  if (j.is_object()) {
    std::map<std::string, double> m;
    for (const auto& [k, x] : j.items()) {
      if (!x.is_number()) throw InvalidArgument(what + ": per-class value of '" + k + "' is not a number");
      m[k] = x.get<double>();
    }
    return m;
  }
  throw InvalidArgument(what + ": unsupported value " + j.dump());
}

}  // namespace

std::string Model::save_json() const {
  if (!fitted_) throw InvalidArgument("model '" + schema_->name + "' is not fitted: nothing to save");
  json j;
  j["format"] = std::string(kModelFormat);
  j["format_version"] = kModelFormatVersion;
  j["imbal_version"] = std::string(kVersion);
  j["model"] = schema_->name;
  json params = json::object();
  for (const auto& p : schema_->params) params[p.name] = param_json(params_.get(p.name));
  j["params"] = params;
  j["classes"] = classes_.names;
  j["classes_numeric"] = classes_.numeric;
  j["n_features"] = n_features_;
  const std::string state = state_json();
  j["state"] = detail::splice_marker(0);
  return detail::dump_with_spliced(std::move(j), {{json::json_pointer("/state"), state}}, -1);
}

void Model::load_state(const detail::ParsedJson& state) { load_state_json(state.json.dump()); }

void Model::load_state_json(std::string_view /*state*/) {
  throw std::logic_error("model '" + schema_->name + "' overrides neither load_state nor load_state_json");
}

json detail::parse_model_file(std::string_view text, std::string_view source) {
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    throw InvalidArgument(std::string(source) + ": not a valid model file (malformed or truncated JSON: " + e.what() +
                          ")");
  }
}

void Model::load_json(std::string_view text, std::string_view source) {
  const json j = detail::parse_model_file(text, source);
  load_parsed(detail::ParsedJson{j}, source);
}

void Model::load_parsed(const detail::ParsedJson& parsed, std::string_view source) {
  const std::string where(source);
  const json& j = parsed.json;
  auto field = [&](const char* name) -> const json& {
    if (!j.is_object() || !j.contains(name)) {
      throw InvalidArgument(where + ": not a valid model file (no '" + std::string(name) + "' field)");
    }
    return j.at(name);
  };
  try {
    if (field("format") != std::string(kModelFormat)) {
      throw InvalidArgument(where + ": not an imbal model file (format is " + field("format").dump() + ", expected \"" +
                            std::string(kModelFormat) + "\")");
    }
    const json& version = field("format_version");
    if (!version.is_number_integer() || version.get<int>() != kModelFormatVersion) {
      throw InvalidArgument(where + ": model format version " + version.dump() + " is not supported (imbal " +
                            std::string(kVersion) + " reads version " + std::to_string(kModelFormatVersion) + ")");
    }
    if (field("model") != schema_->name) {
      throw InvalidArgument(where + ": the file holds model " + field("model").dump() + ", not '" + schema_->name +
                            "'");
    }
    Params params(*schema_);
    const json& pj = field("params");
    if (!pj.is_object()) throw InvalidArgument(where + ": 'params' is not an object");
    for (const auto& [name, value] : pj.items()) {
      params.set_value(name, param_value(value, where + ": parameter '" + name + "'"));
    }
    const json& cj = field("classes");
    if (!cj.is_array() || cj.size() < 2) throw InvalidArgument(where + ": 'classes' must list at least 2 classes");
    ClassLabels classes;
    for (const auto& c : cj) {
      if (!c.is_string()) throw InvalidArgument(where + ": 'classes' must hold strings");
      classes.names.push_back(c.get<std::string>());
    }
    classes.numeric = field("classes_numeric").get<bool>();
    const json& nf = field("n_features");
    if (!nf.is_number_unsigned() || nf.get<std::size_t>() == 0) {
      throw InvalidArgument(where + ": 'n_features' must be a positive integer");
    }
    const json& state = field("state");
    if (!state.is_object()) throw InvalidArgument(where + ": 'state' is not an object");
    params_ = std::move(params);
    classes_ = std::move(classes);
    n_features_ = nf.get<std::size_t>();
    fitted_ = false;
    try {
      load_state(detail::ParsedJson{state});
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(where + ": " + e.what());
    }
    warnings_.clear();
    fitted_ = true;
  } catch (const json::exception& e) {
    throw InvalidArgument(where + ": not a valid model file (" + e.what() + ")");
  }
}

}  // namespace imbal
