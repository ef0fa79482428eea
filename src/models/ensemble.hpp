// What the ensembles (adaboost, rus-boost, balanced-bagging, easy-ensemble) share: the one
// parser of base-estimator / sampler specifications, and ensemble members, which are registered
// models fitted on a subset of rows (and features) in which some classes may be missing.
//
// Specification syntax (docs/models.md, "Base estimators"):
//   ID                                e.g. decision-tree
//   ID(name=value; name=value ...)    e.g. decision-tree(max_depth=1; criterion=entropy)
// ID is a registry id (a model, or a sampler for balanced-bagging's `sampler`). Values may
// themselves be specifications with parentheses (adaboost(estimator=decision-tree(max_depth=2))):
// only a ';' outside parentheses separates parameters. Whitespace around parts is ignored.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "imbal/matrix.hpp"
#include "imbal/model.hpp"
#include "imbal/sampler.hpp"

namespace imbal::detail {

struct TreeData;

struct ComponentSpec {
  std::string id;
  std::vector<std::string> assignments;  // "name=value"
};

/// Parses a specification; `param` names the parameter in error messages.
ComponentSpec parse_component_spec(std::string_view text, std::string_view param);

/// Creates the model of a specification (checks the id and every parameter now, so that a bad
/// estimator is an error at construction time, not in the middle of a fit).
std::unique_ptr<Model> make_component_model(const ComponentSpec& spec, std::string_view param, ModelOptions options);

/// Whether the model of a specification grows trees on ranked features (Model::grows_trees):
/// then an ensemble ranks its rows once (TreeData) for all its members.
bool component_grows_trees(const ComponentSpec& spec);

/// Creates the sampler of a specification; `sampling_strategy` is the sampler's strategy.
std::unique_ptr<Sampler> make_component_sampler(const ComponentSpec& spec, std::string_view param,
                                                SamplerOptions options);

/// One fitted member of an ensemble: a model, the classes it saw (its codes map to these
/// ensemble codes) and the feature columns it saw (empty: all, in order).
struct Member {
  std::unique_ptr<Model> model;
  std::vector<std::int32_t> classes;   // member code -> ensemble code
  std::vector<std::size_t> features;   // empty: every feature

  /// Fits `spec` on rows `rows` of (X, y, w) restricted to `features` (empty: all). Classes
  /// absent from those rows are left out of the member; a single present class makes a
  /// constant member (no model) that gives it probability 1. `ranked` (optional) is
  /// TreeData::build(X): a tree model then takes its ranks from it instead of sorting its rows.
  void fit(const ComponentSpec& spec, std::string_view param, MatrixView X, std::span<const std::int32_t> y,
           std::span<const double> w, std::size_t n_classes, std::span<const std::size_t> rows,
           std::vector<std::size_t> feature_subset, std::uint64_t seed, int n_jobs,
           const TreeData* ranked = nullptr);
  /// Fits on an already assembled (X, y, w) (e.g. a sampler's output); `ranked` as for fit.
  void fit_rows(const ComponentSpec& spec, std::string_view param, MatrixView X, std::span<const std::int32_t> y,
                std::span<const double> w, std::size_t n_classes, std::vector<std::size_t> feature_subset,
                std::uint64_t seed, int n_jobs, const TreeData* ranked = nullptr);

  /// Probabilities over all `n_classes` ensemble classes (0 for classes the member never saw).
  Matrix proba(MatrixView X, std::size_t n_classes, int n_jobs) const;

  nlohmann::json to_json() const;
  /// Restores a member; `where` prefixes error messages. Checks the member against the
  /// ensemble's feature and class counts.
  static Member from_json(const nlohmann::json& j, std::size_t n_features, std::size_t n_classes,
                          const std::string& where);
};

/// The columns `features` of X (all rows), as a new matrix.
Matrix select_columns(MatrixView X, std::span<const std::size_t> features);

/// A seed for member / sampler `index` of an ensemble fitted with `seed`: independent of the
/// thread count and of the other members.
std::uint64_t member_seed(std::uint64_t seed, std::uint64_t index, std::uint64_t purpose);

}  // namespace imbal::detail
