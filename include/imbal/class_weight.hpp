// Class weights become sample weights here and nowhere else (DESIGN.md B): learners take only
// sample weights. Semantics of scikit-learn 1.2's compute_class_weight / compute_sample_weight.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "imbal/dataset.hpp"
#include "imbal/params.hpp"

namespace imbal {

/// One weight per class code 0..n_classes-1:
/// - none (monostate): every class weighs 1;
/// - "balanced": n_samples / (n_present * count[c]), counted on `y` (n_present = classes with
///   at least one row; a class without rows gets 0, it has no row to weigh);
/// - a per-class map {"class": weight}: keys are class spellings (resolved through `labels`,
///   else the class code as a decimal number); classes not named weigh 1. A key that names no
///   class is an error (scikit-learn ignores it only when every class is named: we always
///   report the likely typo).
/// Weights must be finite and >= 0. Throws InvalidArgument naming `param_name`.
std::vector<double> compute_class_weight(const ParamValue& class_weight, std::span<const std::int32_t> y,
                                         std::size_t n_classes, const ClassLabels* labels = nullptr,
                                         std::string_view param_name = "class_weight");

/// The sample weight of every row: class_weight[y[i]] * sample_weight[i] (sample_weight empty:
/// 1). This is the one place where class weights turn into sample weights.
std::vector<double> compute_sample_weight(const ParamValue& class_weight, std::span<const std::int32_t> y,
                                          std::size_t n_classes, const ClassLabels* labels = nullptr,
                                          std::span<const double> sample_weight = {},
                                          std::string_view param_name = "class_weight");

/// scikit-learn's compute_sample_weight("balanced", y, indices=...) for a bootstrap drawn with
/// `counts[i]` copies of row i (forests' class_weight="balanced_subsample"): the class weights
/// n_drawn / (n_present * drawn[c]) counted on the drawn copies (a class not drawn weighs 0),
/// returned per class code.
std::vector<double> balanced_class_weight_of_draw(std::span<const std::int32_t> y, std::span<const double> counts,
                                                  std::size_t n_classes);

}  // namespace imbal
