// The learner interface. Model::fit is a template method, like Sampler::fit_resample: it
// validates the input, turns class weights into sample weights (one helper:
// compute_sample_weight), picks the seed and thread count, and calls the model's single fit
// hook, which only ever sees sample weights. Prediction validates the rows and calls the
// prediction hooks. Every model saves and loads itself as versioned JSON.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "imbal/dataset.hpp"
#include "imbal/matrix.hpp"
#include "imbal/params.hpp"

namespace imbal {

namespace detail {
struct TreeData;  // src/models/tree.hpp: the features ranked for growing trees
struct Member;    // src/models/ensemble.hpp: a model inside an ensemble
struct ParsedJson;  // src/core/parsed_json.hpp: a parsed JSON value (the file is parsed once)
}

/// Settings every model has (not part of its parameter schema).
struct ModelOptions {
  std::optional<std::uint64_t> random_state;  // none: a fresh seed from the OS
  int n_jobs = 0;                             // 0: all cores
};

/// What the fit hook reads: validated data, the final per-row weights and the run's settings.
struct ModelFitInput {
  MatrixView X;
  std::span<const std::int32_t> y;
  std::size_t n_classes = 0;
  /// One weight per row: class weight x user sample weight (all >= 0, positive sum).
  std::span<const double> sample_weight;
  /// Rows of each class, ascending, indexed by class code.
  std::vector<std::vector<std::size_t>> class_rows;
  const ClassLabels* labels = nullptr;
  std::uint64_t seed = 0;
  int n_jobs = 1;
  std::vector<std::string>* warnings = nullptr;
  /// X already ranked for growing trees (detail::TreeData::build(X)), or null: set by ensembles
  /// that fit many trees on the same rows, so that a tree model does not rank X again.
  const detail::TreeData* ranked = nullptr;

  /// Records a warning for the caller (Model::warnings()).
  void warn(std::string message) const {
    if (warnings != nullptr) warnings->push_back(std::move(message));
  }
};

/// The model-file format written by save_json (docs/models.md).
inline constexpr std::string_view kModelFormat = "imbal-model";
inline constexpr int kModelFormatVersion = 1;

class Model {
 public:
  Model(const MethodSchema& schema, Params params, ModelOptions options);
  virtual ~Model() = default;
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  const MethodSchema& schema() const { return *schema_; }
  const Params& params() const { return params_; }
  const ModelOptions& options() const { return options_; }
  void set_options(ModelOptions options) { options_ = options; }

  /// Fits on (X, y) where y holds class codes in [0, n_classes) and every class has a row.
  /// `sample_weight` (empty: all 1) multiplies the class weights of the `class_weight`
  /// parameter, when the model has one. `labels` names the classes (may be null: "0", "1", ...).
  void fit(MatrixView X, std::span<const std::int32_t> y, std::size_t n_classes,
           std::span<const double> sample_weight = {}, const ClassLabels* labels = nullptr);
  void fit(const Dataset& data, std::span<const double> sample_weight = {});
  /// fit() with X already ranked (`ranked` = detail::TreeData::build(X), for these rows and
  /// columns): tree models grow on it instead of ranking X again; the others ignore it.
  /// Internal, for ensembles, whose own fit checked that X is finite (not checked again); the
  /// result equals fit()'s.
  void fit_ranked(MatrixView X, std::span<const std::int32_t> y, std::size_t n_classes,
                  std::span<const double> sample_weight, const detail::TreeData& ranked);
  /// Whether the fit hook reads ModelFitInput::ranked (tree models).
  virtual bool grows_trees() const { return false; }

  bool is_fitted() const { return fitted_; }
  std::size_t n_features() const { return n_features_; }
  std::size_t n_classes() const { return classes_.size(); }
  /// The classes in code order (scikit-learn's classes_).
  const ClassLabels& classes() const { return classes_; }
  /// What the last fit did differently from what was asked (e.g. max_iter reached).
  const std::vector<std::string>& warnings() const { return warnings_; }
  /// The seed of the last fit.
  std::uint64_t last_seed() const { return last_seed_; }

  /// Class probabilities: n x n_classes, row-major, each row sums to 1.
  Matrix predict_proba(MatrixView X) const;
  /// Decision scores: n x 1 for binary models with a single score (that of class 1, as
  /// scikit-learn's decision_function), else n x n_classes.
  Matrix decision_function(MatrixView X) const;
  /// The class code of highest probability (the lowest code among ties).
  std::vector<std::int32_t> predict(MatrixView X) const;

  /// The fitted model as versioned JSON: format, format_version, imbal_version, model (the
  /// registry id), params, classes, n_features and the model's own state.
  std::string save_json() const;
  /// Restores a model saved by save_json of the same registry id. A malformed, truncated or
  /// mismatched text throws InvalidArgument naming what is wrong (`source` names the file).
  void load_json(std::string_view text, std::string_view source = "model");
  /// load_json on the already parsed file (for the loaders of pipelines and ensembles, which
  /// hand each member its part of the file they parsed; src/core/parsed_json.hpp).
  void load_parsed(const detail::ParsedJson& model, std::string_view source);

 protected:
  /// The single fit hook: fit on an already validated input; weights are final.
  virtual void fit_hook(const ModelFitInput& input) = 0;
  /// Writes probabilities of validated rows into `out` (n x n_classes, preallocated).
  virtual void proba_hook(MatrixView X, Matrix& out, int n_jobs) const = 0;
  /// Decision scores; the default is the probabilities.
  virtual Matrix decision_hook(MatrixView X, int n_jobs) const;
  /// The class weights fit turns into sample weights: by default the `class_weight` parameter
  /// (none when the model has none). Forests return none for `balanced_subsample` with
  /// bootstrap, which they apply per tree through the same helper (class_weight.hpp).
  virtual ParamValue fit_class_weight() const;
  /// The fitted state as a JSON object text. save_json writes it into the model file as is (it
  /// is not parsed again), so it must be valid JSON: serialise it with nlohmann-json.
  virtual std::string state_json() const = 0;
  /// Restores the state written by state_json; throws InvalidArgument when it does not fit
  /// n_features() / n_classes() or is malformed. A model overrides one of the two: load_state
  /// reads the state load_json parsed (every built-in model: the file is parsed once);
  /// load_state_json reads its text (for a model written without nlohmann-json: the default
  /// load_state serialises the parsed state for it).
  virtual void load_state(const detail::ParsedJson& state);
  /// The default throws std::logic_error: a model must override load_state or this.
  virtual void load_state_json(std::string_view state);

  int resolved_jobs() const;

 private:
  // Ensemble members predict on rows their ensemble has validated: they call proba_hook directly.
  friend struct detail::Member;

  void check_rows(MatrixView X, const char* what) const;
  void fit_impl(MatrixView X, std::span<const std::int32_t> y, std::size_t n_classes,
                std::span<const double> sample_weight, const ClassLabels* labels, const detail::TreeData* ranked);

  const MethodSchema* schema_;
  Params params_;
  ModelOptions options_;
  bool fitted_ = false;
  std::size_t n_features_ = 0;
  ClassLabels classes_;
  std::vector<std::string> warnings_;
  std::uint64_t last_seed_ = 0;
};

}  // namespace imbal
