// The sampler template method: fit_resample validates the input, resolves the sampling strategy
// into an explicit per-class plan, calls the sampler's single hook and assembles the output.
// A sampler never re-does validation or output assembly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "imbal/dataset.hpp"
#include "imbal/matrix.hpp"
#include "imbal/params.hpp"
#include "imbal/random.hpp"
#include "imbal/strategy.hpp"

namespace imbal {

/// Where a synthetic row came from: new = parent + step * (neighbor - parent) for
/// interpolating methods; neighbor == kNoNeighbor for methods that perturb one parent
/// (smoothed bootstrap) or build rows otherwise (centroids: parent == kNoParent).
struct Provenance {
  static constexpr std::int64_t kNoNeighbor = -1;
  static constexpr std::int64_t kNoParent = -1;
  std::int64_t parent = kNoParent;
  std::int64_t neighbor = kNoNeighbor;
  double step = 0.0;
};

/// What every sampler reads: the data, its class structure and the run's settings.
struct SamplerInput {
  MatrixView X;
  std::span<const std::int32_t> y;
  std::size_t n_classes = 0;
  /// Rows of each class, ascending, indexed by class code.
  std::vector<std::vector<std::size_t>> class_rows;
  /// One flag per feature column (empty: all numeric).
  std::vector<bool> categorical;
  /// Class spellings for messages and per-class parameters (may be empty).
  const ClassLabels* labels = nullptr;
  /// Column metadata (names, category spellings) when the caller has it (may be null).
  const std::vector<Column>* columns = nullptr;
  std::uint64_t seed = 0;
  int n_jobs = 1;
  /// SamplerOptions::reduce_k: a class too small for the method's neighbour count is served
  /// with fewer neighbours (and a warning) instead of an error.
  bool reduce_k = false;
  /// Where warn() puts its messages (owned by fit_resample; may be null).
  std::vector<std::string>* warnings = nullptr;

  /// Records a warning for the caller (ResampleResult::warnings).
  void warn(std::string message) const {
    if (warnings != nullptr) warnings->push_back(std::move(message));
  }
  /// A display name for class `code` ("pos" or "class 1").
  std::string class_name(std::int32_t code) const;
  /// The same in a sentence: "class 'pos'" or "class 1".
  std::string class_words(std::int32_t code) const;
};

/// What the hook returns: rows of the input copied to the output, in output order, then a
/// block of new rows with their labels (and provenance, one entry per new row).
struct SamplerOutput {
  /// Over-samplers keep every input row first, in input order.
  void keep_all_rows(std::size_t n_rows) {
    indices.resize(n_rows);
    for (std::size_t i = 0; i < n_rows; ++i) indices[i] = i;
  }

  std::vector<std::size_t> indices;
  /// Classes the method cleaned beyond the plan's targeted ones: renn and all-knn resolve the
  /// sampling strategy again on every pass, as imbalanced-learn does, so a later pass can target
  /// a class the first did not. The base marks them targeted in the result's plan.
  std::vector<std::int32_t> also_targeted;
  Matrix synthetic;
  /// Set by the interpolating over-samplers (detail::append_interpolated): the new rows are not
  /// stored in `synthetic` (which stays empty) but defined by `provenance`, row s being
  /// parent + step * (neighbor - parent); fit_resample writes them straight into the output, on
  /// all threads, instead of building them here and copying them again.
  bool synthetic_from_provenance = false;
  std::vector<std::int32_t> synthetic_labels;
  std::vector<Provenance> provenance;
  /// Non-fatal notes for the user (imbalanced-learn's warnings), e.g. fewer rows than planned.
  std::vector<std::string> warnings;
  /// Set by a method whose schema has no sample indices when this run's output does have them
  /// (cluster-centroids with voting="hard" returns real rows): every output row is an input row.
  bool provides_sample_indices = false;
  /// imbalanced-learn's fitted attributes beyond sample_indices_, by their Python name (renn:
  /// "n_iter_", the passes that ran). Copied to ResampleResult::attributes.
  std::map<std::string, std::int64_t> attributes;
};

struct ResampleResult {
  Matrix X;
  std::vector<std::int32_t> y;
  ResamplePlan plan;
  /// Rows 0..n_copied-1 of X are copies of input rows `indices`; the rest are new.
  std::vector<std::size_t> indices;
  std::size_t n_copied = 0;
  std::vector<Provenance> provenance;
  /// imbalanced-learn's `sample_indices_`, when the method defines it (selection methods and
  /// random-over): the input row behind every output row.
  std::optional<std::vector<std::size_t>> sample_indices;
  /// What the method did differently from what was asked (e.g. a neighbour count reduced for
  /// a small class), one sentence each.
  std::vector<std::string> warnings;
  /// imbalanced-learn's fitted attributes the method exposes, by their Python name (renn:
  /// "n_iter_"); empty for most methods.
  std::map<std::string, std::int64_t> attributes;
};

/// Settings every sampler has.
struct SamplerOptions {
  SamplingStrategy sampling_strategy;  // default: auto
  std::optional<std::uint64_t> random_state;  // none: a fresh seed from the OS
  int n_jobs = 0;  // 0: all cores
  /// Neighbour-based methods: when a class has fewer than k + 1 rows, use the k its size allows
  /// (at least 1) and add a warning, instead of failing. Off by default: a silently smaller k
  /// changes the method.
  bool reduce_k = false;
};

class Sampler {
 public:
  Sampler(const MethodSchema& schema, Params params, SamplerOptions options);
  virtual ~Sampler() = default;
  Sampler(const Sampler&) = delete;
  Sampler& operator=(const Sampler&) = delete;

  const MethodSchema& schema() const { return *schema_; }
  const Params& params() const { return params_; }
  const SamplerOptions& options() const { return options_; }
  void set_options(SamplerOptions options) { options_ = std::move(options); }
  virtual SamplingType sampling_type() const = 0;

  /// Resamples (X, y) where y holds class codes in [0, n_classes). `categorical` flags feature
  /// columns (may be empty), `labels` names the classes (may be null), `columns` describes the
  /// feature columns (may be null; one entry per column otherwise).
  ResampleResult fit_resample(MatrixView X, std::span<const std::int32_t> y, std::size_t n_classes,
                              const std::vector<bool>& categorical = {},
                              const ClassLabels* labels = nullptr,
                              const std::vector<Column>* columns = nullptr);
  /// Resamples a dataset, keeping its columns and classes.
  Dataset fit_resample(const Dataset& data, ResampleResult* details = nullptr);

  /// The seed of the last fit_resample (useful when random_state was not given).
  std::uint64_t last_seed() const { return last_seed_; }

 protected:
  /// The single hook: produce the output for an already validated input and plan.
  virtual SamplerOutput resample(const SamplerInput& input, const ResamplePlan& plan) = 0;

 private:
  const MethodSchema* schema_;
  Params params_;
  SamplerOptions options_;
  std::uint64_t last_seed_ = 0;
};

}  // namespace imbal
