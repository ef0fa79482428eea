// Sampling strategies, resolved exactly as imbalanced-learn 0.10 resolves them
// (imblearn.utils.check_sampling_strategy) into an explicit per-class plan.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "imbal/dataset.hpp"

namespace imbal {

/// The three families of samplers, which read a strategy differently.
enum class SamplingType { OverSampling, UnderSampling, CleanSampling };
std::string_view to_string(SamplingType type);

struct SamplingStrategy {
  enum class Kind { Auto, Minority, Majority, NotMinority, NotMajority, All, Ratio, Counts, Classes };
  Kind kind = Kind::Auto;
  double ratio = 1.0;                           // Kind::Ratio
  std::map<std::int32_t, std::int64_t> counts;  // Kind::Counts: class code -> desired count
  std::vector<std::int32_t> classes;            // Kind::Classes: class codes to clean

  static SamplingStrategy named(Kind kind) { return SamplingStrategy{kind, 1.0, {}, {}}; }
  static SamplingStrategy from_ratio(double r) { return SamplingStrategy{Kind::Ratio, r, {}, {}}; }
  static SamplingStrategy from_counts(std::map<std::int32_t, std::int64_t> c) {
    return SamplingStrategy{Kind::Counts, 1.0, std::move(c), {}};
  }
  static SamplingStrategy from_classes(std::vector<std::int32_t> c) {
    return SamplingStrategy{Kind::Classes, 1.0, {}, std::move(c)};
  }

  /// Parses the CLI spelling: `auto`, `minority`, `majority`, `not minority` (or `not-minority`),
  /// `not majority`, `all`, a float such as `0.5`, counts `pos:500,neg:1000`, or a list of classes
  /// `pos,neg` / `[pos]`. Class names are resolved with `classes`.
  static SamplingStrategy parse(std::string_view text, const ClassLabels& classes);
  /// A readable spelling (inverse of parse given the same class labels).
  std::string to_string(const ClassLabels* classes = nullptr) const;
};

/// The plan for one class: how many rows go in and how many should come out.
/// For over-sampling `n_out - n_in` rows are generated; for under-sampling `n_out` rows are kept;
/// for cleaning `n_out` is imbalanced-learn's nominal value (the minority count) and the method
/// decides how many rows it removes. Untargeted classes have targeted == false, n_out == n_in.
struct ClassPlan {
  std::int32_t label = 0;
  std::size_t n_in = 0;
  std::size_t n_out = 0;
  bool targeted = false;
  std::size_t n_new() const { return n_out > n_in ? n_out - n_in : 0; }
};

/// One entry per class code (classes absent from the data have n_in == 0 and are never targeted).
struct ResamplePlan {
  SamplingType type = SamplingType::OverSampling;
  std::vector<ClassPlan> classes;

  std::vector<std::int32_t> targeted_classes() const;
  std::size_t total_out() const;
};

/// Resolves `strategy` for data with `class_counts[code]` rows per class. Throws InvalidArgument
/// in the cases imbalanced-learn raises, with messages naming the classes by `labels` if given.
ResamplePlan resolve_strategy(const SamplingStrategy& strategy,
                              std::span<const std::size_t> class_counts, SamplingType type,
                              const ClassLabels* labels = nullptr);

}  // namespace imbal
