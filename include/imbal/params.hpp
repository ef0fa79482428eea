// Parameter schemas: one per method. A schema drives validation, CLI parsing, `imbal list`,
// JSON (de)serialisation, Python signatures and the reference docs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace imbal {

enum class ParamType {
  Int,          // integer, with optional bounds
  Float,        // real number, with optional bounds
  Bool,         // true/false
  Choice,       // one of `choices` (a string or an integer spelled as text)
  FloatPerClass, // a real number, or a per-class map "class:value,class:value"
  Text,          // free text, checked by the method when it runs (e.g. a sampling strategy)
  ClassWeight    // scikit-learn's class_weight: none, one of `choices` ("balanced", ...) or a
                 // per-class map "class:weight,class:weight" (classes not named weigh 1)
};
std::string_view to_string(ParamType type);

/// A parameter value. monostate is `None` (only for nullable parameters).
using ParamValue = std::variant<std::monostate, bool, std::int64_t, double, std::string,
                                std::map<std::string, double>>;

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::Int;
  ParamValue default_value;
  std::string doc;
  bool nullable = false;  // accepts "none"
  std::optional<double> min;
  std::optional<double> max;
  bool min_exclusive = false;
  bool max_exclusive = false;
  /// Choice: the accepted spellings. Float: words accepted besides numbers (e.g. "auto"),
  /// stored as strings.
  std::vector<std::string> choices;

  /// The expectation in words, for error messages and docs ("an integer >= 1").
  std::string expectation() const;
};

/// Formats a value the way the CLI accepts it back (round-trips through parse_value).
std::string format_value(const ParamValue& value);

/// What a method is: its registry id, the imbalanced-learn class it mirrors, a one-line
/// description, its paper, and its parameters (without sampling_strategy / random_state,
/// which every sampler has).
struct MethodSchema {
  std::string name;          // registry id, kebab-case: "random-over"
  std::string python_class;  // "RandomOverSampler"
  std::string python_module; // "over_sampling"
  std::string family;        // "over-sampling", "under-sampling", "cleaning", "combined"
  std::string summary;
  std::string reference;
  std::vector<ParamSpec> params;
  bool provides_sample_indices = false;

  const ParamSpec* find(std::string_view param) const;
};

/// Validated parameter values of one method: every parameter of the schema has a value.
class Params {
 public:
  Params() = default;
  /// Defaults of every parameter of `schema`.
  explicit Params(const MethodSchema& schema);

  /// Sets `name` from its text spelling; validates type and bounds against the schema.
  void set(std::string_view name, std::string_view text);
  /// Sets `name` from a typed value; validates it.
  void set_value(std::string_view name, ParamValue value);

  const ParamValue& get(std::string_view name) const;
  std::int64_t get_int(std::string_view name) const;
  double get_double(std::string_view name) const;
  bool get_bool(std::string_view name) const;
  const std::string& get_string(std::string_view name) const;
  bool is_none(std::string_view name) const;
  const std::map<std::string, ParamValue, std::less<>>& values() const { return values_; }
  const MethodSchema* schema() const { return schema_; }

 private:
  const MethodSchema* schema_ = nullptr;
  std::map<std::string, ParamValue, std::less<>> values_;
};

/// Parses "name=value" into its two halves; throws InvalidArgument on a missing '='.
std::pair<std::string, std::string> split_assignment(std::string_view text);

}  // namespace imbal
