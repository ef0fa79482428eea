// The Pipeline (include/imbal/pipeline.hpp): preprocessing, fit-time samplers, a model,
// cross-validated calibration (CalibratedClassifierCV(ensemble=True) semantics), prior
// correction and the decision rule; versioned JSON save/load.
#include "imbal/pipeline.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

#include "core/parallel.hpp"
#include "core/json_splice.hpp"
#include "core/parsed_json.hpp"
#include "imbal/class_weight.hpp"
#include "imbal/error.hpp"
#include "imbal/model_registry.hpp"
#include "imbal/model_selection.hpp"
#include "imbal/prior_correction.hpp"
#include "imbal/random.hpp"
#include "imbal/registry.hpp"
#include "imbal/version.hpp"

namespace imbal {

using nlohmann::json;

struct Pipeline::Member {
  std::unique_ptr<Model> model;
  std::optional<Calibrator> calibrator;
  std::vector<double> fitted_mass;  // per class: the weight the model was fitted on
};

Pipeline::Pipeline(PipelineConfig config) : config_(std::move(config)) {}
Pipeline::Pipeline(Pipeline&&) noexcept = default;
Pipeline& Pipeline::operator=(Pipeline&&) noexcept = default;
Pipeline::~Pipeline() = default;

namespace {

int resolve_jobs(int n_jobs) {
  return n_jobs > 0 ? n_jobs : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
}

ClassLabels default_labels(std::size_t n_classes) {
  ClassLabels l;
  l.numeric = true;
  for (std::size_t k = 0; k < n_classes; ++k) l.names.push_back(std::to_string(k));
  return l;
}

std::string_view rule_name(DecisionRule rule) {
  switch (rule) {
    case DecisionRule::FixedThreshold: return "fixed-threshold";
    case DecisionRule::TunedThreshold: return "tuned-threshold";
    case DecisionRule::ExpectedCost: return "expected-cost";
    case DecisionRule::Argmax: break;
  }
  return "argmax";
}

DecisionRule parse_rule(const std::string& text, const std::string& source) {
  if (text == "argmax") return DecisionRule::Argmax;
  if (text == "fixed-threshold") return DecisionRule::FixedThreshold;
  if (text == "tuned-threshold") return DecisionRule::TunedThreshold;
  if (text == "expected-cost") return DecisionRule::ExpectedCost;
  throw InvalidArgument(source + ": unknown decision rule '" + text + "'");
}

/// Runs fold(f, jobs) for f in [0, n_folds) on up to n_jobs threads; each fold gets its share of
/// the threads. Results must only depend on f (callers seed by fold), never on the thread.
template <class Fold>
void for_each_fold(std::size_t n_folds, int n_jobs, Fold&& fold) {
  const std::size_t threads = std::min<std::size_t>(n_folds, static_cast<std::size_t>(std::max(1, n_jobs)));
  const int per_fold = std::max(1, n_jobs / static_cast<int>(std::max<std::size_t>(1, threads)));
  std::atomic<std::size_t> next{0};
  detail::run_on_threads(threads, [&] {
    for (std::size_t f = next++; f < n_folds; f = next++) fold(f, per_fold);
  });
}

std::vector<double> class_mass(std::span<const std::int32_t> y, std::span<const double> w, std::size_t n_classes) {
  std::vector<double> mass(n_classes, 0.0);
  for (std::size_t i = 0; i < y.size(); ++i) mass[static_cast<std::size_t>(y[i])] += w.empty() ? 1.0 : w[i];
  return mass;
}

template <class T>
std::vector<T> gather(std::span<const T> v, std::span<const std::size_t> rows) {
  std::vector<T> out;
  if (v.empty()) return out;
  out.reserve(rows.size());
  for (std::size_t r : rows) out.push_back(v[r]);
  return out;
}

}  // namespace

bool samplers_need_categories(const std::vector<SamplerStep>& steps) {
  for (const auto& step : steps) {
    std::size_t start = 0;
    while (true) {
      const std::size_t plus = step.method.find('+', start);
      const std::string stage = step.method.substr(start, plus == std::string::npos ? std::string::npos : plus - start);
      if (stage == "smote-nc" || stage == "smoten") return true;
      if (plus == std::string::npos) break;
      start = plus + 1;
    }
  }
  return false;
}

void Pipeline::validate(std::size_t n_classes, const ClassLabels* labels) const {
  const ClassLabels fallback = default_labels(n_classes);
  const ClassLabels& names = labels != nullptr ? *labels : fallback;
  if (n_classes < 2) throw InvalidArgument("pipeline: needs at least two classes");
  make_model(config_.model, config_.model_params, ModelOptions{0, 1});
  for (const auto& step : config_.samplers) {
    SamplerOptions so;
    if (!step.strategy.empty()) so.sampling_strategy = SamplingStrategy::parse(step.strategy, names);
    if (!config_.sampler_factory) make_sampler(step.method, step.params, so);
  }
  const auto& t = config_.threshold;
  const bool binary_rule = t.rule == DecisionRule::FixedThreshold || t.rule == DecisionRule::TunedThreshold;
  if (binary_rule && n_classes != 2) {
    throw InvalidArgument("threshold: a threshold on the positive-class probability needs two classes (this data has " +
                          std::to_string(n_classes) + "); for more classes use a full cost matrix (expected-cost rule)");
  }
  if (t.rule == DecisionRule::FixedThreshold && !(t.value >= 0.0 && t.value <= 1.0)) {
    throw InvalidArgument("threshold: expected a probability in [0, 1], got " + std::to_string(t.value));
  }
  if (t.rule == DecisionRule::TunedThreshold) {
    if (t.cv < 2) throw InvalidArgument("threshold: the search needs at least 2 folds");
    if (t.objective == ThresholdObjective::FBeta && !(t.beta > 0.0 && std::isfinite(t.beta))) {
      throw InvalidArgument("threshold: beta must be > 0");
    }
    if (t.objective == ThresholdObjective::Cost && t.cost.n_classes != 2) {
      throw InvalidArgument("threshold: tuning for cost needs a 2 x 2 cost matrix (e.g. fn=10,fp=1)");
    }
  }
  if (t.rule == DecisionRule::ExpectedCost && t.cost.n_classes != n_classes) {
    throw InvalidArgument("cost: the expected-cost rule needs a " + std::to_string(n_classes) + " x " +
                          std::to_string(n_classes) + " cost matrix");
  }
  if (config_.calibration != CalibrationMethod::None) {
    if (config_.calibration_cv < 2) throw InvalidArgument("calibration: needs at least 2 folds");
    if (config_.prior_correction) {
      throw InvalidArgument("prior correction and calibration together: calibration already maps the probabilities "
                            "to the training distribution (it is fitted on held-out, un-resampled rows); choose one");
    }
  }
}

Pipeline::Member Pipeline::fit_member(MatrixView Xs, std::span<const std::int32_t> y, std::span<const double> w,
                                      std::uint64_t seed, int n_jobs, std::vector<std::string>& warnings,
                                      PipelineFitInfo* info) const {
  const std::size_t K = classes_.size();
  // One-hot encoding runs before the samplers (they see 0/1 columns, all numeric), unless a
  // stage needs the categories themselves (smote-nc, smoten): then after them.
  bool has_categorical = false;
  for (const auto& c : preprocessor_.columns()) has_categorical = has_categorical || c.categorical();
  const bool encode_first = config_.one_hot && !samplers_need_categories(config_.samplers);
  Matrix current;
  MatrixView view = Xs;
  if (encode_first && has_categorical) {
    current = preprocessor_.encode(Xs);
    view = current.view();
  }
  std::vector<std::int32_t> yc(y.begin(), y.end());
  std::vector<double> wc(w.begin(), w.end());
  std::vector<bool> categorical;
  bool any_categorical = false;
  if (!encode_first) {
    for (const auto& c : preprocessor_.columns()) {
      categorical.push_back(c.categorical());
      any_categorical = any_categorical || c.categorical();
    }
  }
  if (!any_categorical) categorical.clear();
  for (std::size_t k = 0; k < config_.samplers.size(); ++k) {
    const SamplerStep& step = config_.samplers[k];
    SamplerOptions so;
    if (!step.strategy.empty()) so.sampling_strategy = SamplingStrategy::parse(step.strategy, classes_);
    so.random_state = Rng(seed, 10 + k).next();
    so.n_jobs = n_jobs;
    std::unique_ptr<Sampler> sampler =
        config_.sampler_factory ? config_.sampler_factory(step, so) : make_sampler(step.method, step.params, so);
    ResampleResult r = sampler->fit_resample(view, yc, K, categorical, &classes_,
                                             encode_first ? nullptr : &preprocessor_.columns());
    for (auto& message : r.warnings) warnings.push_back(step.method + ": " + message);
    if (!wc.empty()) {
      // Copied rows keep their weight; a new row takes its parent's weight (1 without a parent).
      std::vector<double> next(r.X.rows(), 1.0);
      for (std::size_t i = 0; i < r.n_copied; ++i) next[i] = wc[r.indices[i]];
      for (std::size_t i = r.n_copied; i < r.X.rows(); ++i) {
        const std::size_t p = i - r.n_copied;
        if (p < r.provenance.size() && r.provenance[p].parent >= 0) {
          next[i] = wc[static_cast<std::size_t>(r.provenance[p].parent)];
        }
      }
      wc = std::move(next);
    }
    current = std::move(r.X);
    yc = std::move(r.y);
    view = current.view();
  }
  const std::vector<double> rows_mass = class_mass(yc, {}, K);
  for (std::size_t c = 0; c < K; ++c) {
    if (rows_mass[c] == 0.0) {
      throw InvalidArgument("pipeline: class '" + classes_.names[c] + "' has no row left to fit the model on" +
                            (config_.samplers.empty() ? std::string() : std::string(" after the samplers")));
    }
  }
  Matrix encoded;
  if (!encode_first) {
    encoded = preprocessor_.encode(view);
    view = encoded.view();
  }
  Member m;
  ModelOptions mo;
  // The member's own seed: a pipeline without calibration passes its seed unchanged, so `imbal train
  // --seed N` fits the same model as the model with random_state N.
  mo.random_state = seed;
  mo.n_jobs = n_jobs;
  m.model = make_model(config_.model, config_.model_params, mo);
  m.model->fit(view, yc, K, wc, &classes_);
  for (const auto& message : m.model->warnings()) warnings.push_back(config_.model + ": " + message);
  // The priors the model saw: rows after the samplers, times sample and class weights.
  if (m.model->schema().find("class_weight") != nullptr) {
    const auto sw = compute_sample_weight(m.model->params().get("class_weight"), yc, K, &classes_, wc);
    m.fitted_mass = class_mass(yc, sw, K);
  } else {
    m.fitted_mass = class_mass(yc, wc, K);
  }
  if (info != nullptr) {
    info->rows_after.assign(K, 0);
    for (auto c : yc) ++info->rows_after[static_cast<std::size_t>(c)];
    info->class_mass_after = m.fitted_mass;
  }
  return m;
}

void Pipeline::fit(MatrixView X, std::span<const std::int32_t> y, std::size_t n_classes,
                   const std::vector<Column>& columns, const ClassLabels* labels, std::span<const double> w) {
  if (labels != nullptr && labels->size() != n_classes) {
    throw InvalidArgument("pipeline: " + std::to_string(labels->size()) + " class names for " +
                          std::to_string(n_classes) + " classes");
  }
  validate(n_classes, labels);
  if (X.rows != y.size()) throw InvalidArgument("pipeline: X has " + std::to_string(X.rows) + " rows but y has " +
                                                std::to_string(y.size()));
  if (!w.empty() && w.size() != y.size()) throw InvalidArgument("pipeline: sample_weight has the wrong length");
  for (auto c : y) {
    if (c < 0 || static_cast<std::size_t>(c) >= n_classes) throw InvalidArgument("pipeline: a label is out of range");
  }
  fitted_ = false;
  classes_ = labels != nullptr ? *labels : default_labels(n_classes);
  const std::uint64_t seed = config_.random_state ? *config_.random_state : random_seed();
  const int n_jobs = resolve_jobs(config_.n_jobs);
  info_ = {};
  info_.seed = seed;
  info_.class_mass_before = class_mass(y, w, n_classes);
  for (std::size_t c = 0; c < n_classes; ++c) {
    if (info_.class_mass_before[c] == 0.0) {
      throw InvalidArgument("pipeline: class '" + classes_.names[c] + "' has no row (of positive weight)");
    }
  }
  preprocessor_ = Preprocessor(config_.scaling, config_.one_hot);
  preprocessor_.fit(X, columns);
  const Matrix Xs = preprocessor_.scale(X);
  members_.clear();
  std::vector<std::string> warnings;
  if (config_.calibration == CalibrationMethod::None) {
    members_.push_back(fit_member(Xs, y, w, seed, n_jobs, warnings, &info_));
  } else {
    // CalibratedClassifierCV(cv=k): StratifiedKFold(k) without shuffle, one member per fold.
    std::vector<std::string> split_warnings;
    const auto splits = model_selection::StratifiedKFold(config_.calibration_cv).split(y, &split_warnings);
    std::vector<Member> members(splits.size());
    std::vector<std::vector<std::string>> fold_warnings(splits.size());
    std::vector<PipelineFitInfo> fold_info(splits.size());
    for_each_fold(splits.size(), n_jobs, [&](std::size_t f, int jobs) {
      const auto& s = splits[f];
      const Matrix Xtr = gather_rows(Xs, s.train);
      const auto ytr = gather<std::int32_t>(y, s.train);
      const auto wtr = gather<double>(w, s.train);
      Member m;
      try {
        m = fit_member(Xtr, ytr, wtr, Rng(seed, 100 + f).next(), jobs, fold_warnings[f], &fold_info[f]);
      } catch (const InvalidArgument& e) {
        throw InvalidArgument("calibration fold " + std::to_string(f + 1) + ": " + e.what());
      }
      const Matrix Xte = preprocessor_.encode(gather_rows(Xs, s.test));
      const Matrix scores = m.model->decision_function(Xte);
      const auto yte = gather<std::int32_t>(y, s.test);
      const auto wte = gather<double>(w, s.test);
      m.calibrator = Calibrator(config_.calibration);
      m.calibrator->fit(scores, yte, n_classes, wte);
      members[f] = std::move(m);
    });
    members_ = std::move(members);
    for (auto& s : split_warnings) warnings.push_back(std::move(s));
    for (auto& fw : fold_warnings) warnings.insert(warnings.end(), fw.begin(), fw.end());
    info_.rows_after = fold_info[0].rows_after;
    info_.class_mass_after = fold_info[0].class_mass_after;
  }
  true_priors_ = priors_from_mass(info_.class_mass_before);
  fitted_priors_ = priors_from_mass(members_[0].fitted_mass);
  fitted_ = true;

  if (config_.threshold.rule == DecisionRule::TunedThreshold) {
    // Out-of-fold probabilities of this pipeline without its threshold.
    PipelineConfig inner = config_;
    inner.threshold = ThresholdConfig{};
    const auto splits =
        model_selection::StratifiedKFold(config_.threshold.cv, true, Rng(seed, 2).next()).split(y, nullptr);
    Matrix oof(X.rows, n_classes);
    std::vector<std::vector<std::string>> fold_warnings(splits.size());
    for_each_fold(splits.size(), n_jobs, [&](std::size_t f, int jobs) {
      const auto& s = splits[f];
      PipelineConfig c = inner;
      c.random_state = Rng(seed, 200 + f).next();
      c.n_jobs = jobs;
      Pipeline p(std::move(c));
      const auto ytr = gather<std::int32_t>(y, s.train);
      const auto wtr = gather<double>(w, s.train);
      try {
        p.fit(gather_rows(X, s.train), ytr, n_classes, columns, &classes_, wtr);
      } catch (const InvalidArgument& e) {
        throw InvalidArgument("threshold search fold " + std::to_string(f + 1) + ": " + e.what());
      }
      fold_warnings[f] = p.fit_info().warnings;
      const Matrix proba = p.predict_proba(gather_rows(X, s.test));
      for (std::size_t r = 0; r < s.test.size(); ++r) {
        std::copy(proba.row(r), proba.row(r) + n_classes, oof.row(s.test[r]));
      }
    });
    std::vector<double> p1(X.rows);
    for (std::size_t i = 0; i < X.rows; ++i) p1[i] = oof(i, 1);
    const auto& t = config_.threshold;
    const auto search = tune_threshold(p1, y, t.objective, t.beta, &t.cost, w);
    threshold_value_ = search.threshold;
    threshold_objective_ = search.objective;
    for (auto& fw : fold_warnings) {
      for (auto& m : fw) warnings.push_back("threshold search: " + m);
    }
  } else if (config_.threshold.rule == DecisionRule::FixedThreshold) {
    threshold_value_ = config_.threshold.value;
  }
  // Identical warnings from several folds are reported once.
  std::vector<std::string> unique;
  for (auto& m : warnings) {
    if (std::find(unique.begin(), unique.end(), m) == unique.end()) unique.push_back(std::move(m));
  }
  info_.warnings = std::move(unique);
}

void Pipeline::fit(const Dataset& data, std::span<const double> sample_weight) {
  fit(data.X(), data.y(), data.n_classes(), data.columns(), &data.classes(), sample_weight);
}

std::optional<double> Pipeline::threshold() const {
  const auto rule = config_.threshold.rule;
  if (rule == DecisionRule::FixedThreshold || rule == DecisionRule::TunedThreshold) return threshold_value_;
  return std::nullopt;
}

std::size_t Pipeline::n_members() const { return members_.size(); }

const Model& Pipeline::model() const {
  if (!fitted_) throw InvalidArgument("pipeline: not fitted");
  return *members_[0].model;
}

Matrix Pipeline::member_proba(const Member& m, MatrixView Xe) const {
  if (!m.calibrator) return m.model->predict_proba(Xe);
  return m.calibrator->predict_proba(m.model->decision_function(Xe));
}

Matrix Pipeline::predict_proba(MatrixView X) const {
  if (!fitted_) throw InvalidArgument("pipeline: predict_proba before fit");
  const Matrix Xe = preprocessor_.transform(X);
  Matrix proba = member_proba(members_[0], Xe);
  if (members_.size() > 1) {
    for (std::size_t m = 1; m < members_.size(); ++m) {
      const Matrix p = member_proba(members_[m], Xe);
      for (std::size_t i = 0; i < proba.storage().size(); ++i) proba.storage()[i] += p.storage()[i];
    }
    for (double& v : proba.storage()) v /= static_cast<double>(members_.size());
  }
  if (config_.prior_correction) correct_priors(proba, true_priors_, fitted_priors_);
  return proba;
}

Matrix Pipeline::decision_function(MatrixView X) const {
  if (!fitted_) throw InvalidArgument("pipeline: decision_function before fit");
  if (members_.size() > 1 || members_[0].calibrator || config_.prior_correction) return predict_proba(X);
  return members_[0].model->decision_function(preprocessor_.transform(X));
}

std::vector<std::int32_t> Pipeline::decide(MatrixView proba) const {
  const std::size_t K = classes_.size();
  if (proba.cols != K) throw InvalidArgument("pipeline: probabilities have the wrong number of columns");
  switch (config_.threshold.rule) {
    case DecisionRule::FixedThreshold:
    case DecisionRule::TunedThreshold: {
      std::vector<double> p1(proba.rows);
      for (std::size_t i = 0; i < proba.rows; ++i) p1[i] = proba(i, 1);
      return apply_threshold(p1, threshold_value_);
    }
    case DecisionRule::ExpectedCost:
      return expected_cost_decision(proba, config_.threshold.cost);
    case DecisionRule::Argmax:
      break;
  }
  std::vector<std::int32_t> out(proba.rows);
  for (std::size_t i = 0; i < proba.rows; ++i) {
    std::size_t best = 0;
    for (std::size_t k = 1; k < K; ++k) {
      if (proba(i, k) > proba(i, best)) best = k;
    }
    out[i] = static_cast<std::int32_t>(best);
  }
  return out;
}

std::vector<std::int32_t> Pipeline::predict(MatrixView X) const { return decide(predict_proba(X)); }

std::string Pipeline::save_json(std::string_view extra) const {
  if (!fitted_) throw InvalidArgument("pipeline: save before fit");
  json j;
  if (!extra.empty()) j = json::parse(extra.begin(), extra.end());
  j["format"] = std::string(kPipelineFormat);
  j["format_version"] = kPipelineFormatVersion;
  j["imbal_version"] = std::string(kVersion);
  j["classes"] = classes_.names;
  j["classes_numeric"] = classes_.numeric;
  j["seed"] = info_.seed;
  auto& samplers = j["samplers"] = json::array();  // fit-time only: recorded, never applied
  for (const auto& s : config_.samplers) {
    samplers.push_back(json{{"method", s.method}, {"params", s.params}, {"strategy", s.strategy}});
  }
  j["preprocessing"] = json::parse(preprocessor_.save_json());
  j["model"] = config_.model;
  j["model_params"] = config_.model_params;
  j["calibration"] = {{"method", std::string(to_string(config_.calibration))}, {"cv", config_.calibration_cv}};
  // Member models go in as the text they serialise to (compact), not parsed and re-indented.
  auto& members = j["members"] = json::array();
  std::vector<std::string> model_texts;
  for (const auto& m : members_) {
    json mj{{"model", detail::splice_marker(model_texts.size())}, {"fitted_mass", m.fitted_mass}};
    model_texts.push_back(m.model->save_json());
    if (m.calibrator) mj["calibrator"] = json::parse(m.calibrator->save_json());
    members.push_back(std::move(mj));
  }
  std::vector<detail::SplicePart> parts;
  for (std::size_t i = 0; i < model_texts.size(); ++i) {
    parts.push_back({json::json_pointer("/members/" + std::to_string(i) + "/model"), model_texts[i]});
  }
  j["prior_correction"] = {{"enabled", config_.prior_correction},
                           {"true_priors", true_priors_},
                           {"fitted_priors", fitted_priors_}};
  const auto& t = config_.threshold;
  json d{{"rule", std::string(rule_name(t.rule))}};
  if (threshold()) d["threshold"] = threshold_value_;
  if (t.rule == DecisionRule::TunedThreshold) {
    d["objective"] = std::string(to_string(t.objective));
    d["beta"] = t.beta;
    d["cv"] = t.cv;
    d["objective_value"] = threshold_objective_;
  }
  if (!t.cost.empty()) d["cost"] = format_cost_matrix(t.cost);
  j["decision"] = std::move(d);
  return detail::dump_with_spliced(std::move(j), parts, 1) + "\n";
}

Pipeline Pipeline::load_json(std::string_view text, std::string_view source_view, int n_jobs) {
  const std::string source(source_view);
  json j;
  try {
    j = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    throw InvalidArgument(source + ": not a valid imbal pipeline (malformed or truncated JSON: " + e.what() + ")");
  }
  Pipeline p;
  try {
    if (!j.is_object() || j.value("format", "") != kPipelineFormat) {
      throw InvalidArgument(source + ": not an imbal pipeline (no \"format\": \"imbal-pipeline\")");
    }
    if (j.value("format_version", -1) != kPipelineFormatVersion) {
      throw InvalidArgument(source + ": pipeline format version " + j["format_version"].dump() +
                            " is not supported here (this reads version " + std::to_string(kPipelineFormatVersion) +
                            ")");
    }
    p.classes_.names = j.at("classes").get<std::vector<std::string>>();
    p.classes_.numeric = j.value("classes_numeric", false);
    const std::size_t K = p.classes_.size();
    if (K < 2) throw InvalidArgument(source + ": fewer than two classes");
    p.info_.seed = j.value("seed", std::uint64_t{0});
    PipelineConfig& c = p.config_;
    c.n_jobs = n_jobs;
    for (const auto& s : j.at("samplers")) {
      c.samplers.push_back(SamplerStep{s.at("method").get<std::string>(),
                                       s.at("params").get<std::vector<std::string>>(),
                                       s.at("strategy").get<std::string>()});
    }
    p.preprocessor_.load_json(j.at("preprocessing").dump(), source);
    c.scaling = p.preprocessor_.scaling();
    c.one_hot = p.preprocessor_.one_hot();
    c.model = j.at("model").get<std::string>();
    c.model_params = j.at("model_params").get<std::vector<std::string>>();
    c.calibration = parse_calibration(j.at("calibration").at("method").get<std::string>());
    c.calibration_cv = j.at("calibration").at("cv").get<std::size_t>();
    ModelOptions mo;
    mo.n_jobs = n_jobs;
    const auto& members = j.at("members");
    if (!members.is_array() || members.empty()) throw InvalidArgument(source + ": no fitted model");
    if (c.calibration == CalibrationMethod::None && members.size() != 1) {
      throw InvalidArgument(source + ": an uncalibrated pipeline has exactly one model");
    }
    for (const auto& mj : members) {
      Member m;
      m.model = detail::load_model_parsed(mj.at("model"), source, mo);
      if (m.model->classes().names != p.classes_.names) {
        throw InvalidArgument(source + ": the classes of a model and of the pipeline differ");
      }
      if (m.model->n_features() != p.preprocessor_.n_output_features()) {
        throw InvalidArgument(source + ": a model has " + std::to_string(m.model->n_features()) +
                              " features but the preprocessing gives " +
                              std::to_string(p.preprocessor_.n_output_features()));
      }
      m.fitted_mass = mj.at("fitted_mass").get<std::vector<double>>();
      if (m.fitted_mass.size() != K) throw InvalidArgument(source + ": fitted_mass has the wrong length");
      if (c.calibration != CalibrationMethod::None) {
        m.calibrator = Calibrator();
        m.calibrator->load_json(mj.at("calibrator").dump(), source);
        if (m.calibrator->n_classes() != K) throw InvalidArgument(source + ": a calibrator has the wrong class count");
      }
      p.members_.push_back(std::move(m));
    }
    const auto& pc = j.at("prior_correction");
    c.prior_correction = pc.at("enabled").get<bool>();
    p.true_priors_ = pc.at("true_priors").get<std::vector<double>>();
    p.fitted_priors_ = pc.at("fitted_priors").get<std::vector<double>>();
    if (p.true_priors_.size() != K || p.fitted_priors_.size() != K) {
      throw InvalidArgument(source + ": priors have the wrong length");
    }
    const auto& d = j.at("decision");
    c.threshold.rule = parse_rule(d.at("rule").get<std::string>(), source);
    if (d.contains("cost")) c.threshold.cost = parse_cost_matrix(d.at("cost").get<std::string>(), K, source + ": cost");
    if (c.threshold.rule == DecisionRule::FixedThreshold || c.threshold.rule == DecisionRule::TunedThreshold) {
      if (K != 2) throw InvalidArgument(source + ": a threshold rule needs two classes");
      p.threshold_value_ = d.at("threshold").get<double>();
      c.threshold.value = p.threshold_value_;
      if (!(p.threshold_value_ >= 0.0 && p.threshold_value_ <= 1.0)) {
        throw InvalidArgument(source + ": the threshold is not a probability");
      }
    }
    if (c.threshold.rule == DecisionRule::TunedThreshold) {
      c.threshold.objective = parse_threshold_objective(d.at("objective").get<std::string>());
      c.threshold.beta = d.at("beta").get<double>();
      c.threshold.cv = d.at("cv").get<std::size_t>();
      p.threshold_objective_ = d.at("objective_value").get<double>();
    }
    if (c.threshold.rule == DecisionRule::ExpectedCost && c.threshold.cost.n_classes != K) {
      throw InvalidArgument(source + ": the expected-cost rule has no cost matrix");
    }
  } catch (const json::exception& e) {
    throw InvalidArgument(source + ": not a valid imbal pipeline (" + e.what() + ")");
  }
  p.fitted_ = true;
  return p;
}

Pipeline Pipeline::from_model(std::unique_ptr<Model> model, std::vector<Column> columns) {
  if (!model || !model->is_fitted()) throw InvalidArgument("pipeline: from_model needs a fitted model");
  if (model->n_features() != columns.size()) {
    throw InvalidArgument("pipeline: the model has " + std::to_string(model->n_features()) + " features but " +
                          std::to_string(columns.size()) + " columns are described");
  }
  PipelineConfig c;
  c.one_hot = false;
  c.model = model->schema().name;
  Pipeline p(std::move(c));
  p.classes_ = model->classes();
  // The raw columns with identity scaling (no preprocessing).
  json pre{{"scaling", "none"}, {"one_hot", false}, {"columns", json::array()}};
  for (const auto& col : columns) {
    json cj{{"name", col.name}, {"kind", col.categorical() ? "categorical" : "numeric"}};
    if (col.categorical()) {
      cj["levels"] = col.levels;
    } else {
      cj["offset"] = 0.0;
      cj["scale"] = 1.0;
    }
    pre["columns"].push_back(std::move(cj));
  }
  p.preprocessor_.load_json(pre.dump(), "model");
  const std::size_t K = p.classes_.size();
  p.true_priors_.assign(K, 1.0 / static_cast<double>(K));
  p.fitted_priors_ = p.true_priors_;
  Member m;
  m.fitted_mass.assign(K, 1.0);
  m.model = std::move(model);
  p.members_.push_back(std::move(m));
  p.fitted_ = true;
  return p;
}

}  // namespace imbal
