#include "imbal/class_weight.hpp"

#include <cmath>
#include <cstdlib>
#include <string>
#include <variant>

#include "imbal/error.hpp"

namespace imbal {

std::vector<double> compute_class_weight(const ParamValue& class_weight, std::span<const std::int32_t> y,
                                         std::size_t n_classes, const ClassLabels* labels,
                                         std::string_view param_name) {
  std::vector<double> weight(n_classes, 1.0);
  if (std::holds_alternative<std::monostate>(class_weight)) return weight;
  if (const auto* mode = std::get_if<std::string>(&class_weight)) {
    if (*mode != "balanced") {
      throw InvalidArgument(std::string(param_name) + ": expected none, balanced or per-class weights, got '" +
                            *mode + "'");
    }
    std::vector<std::size_t> counts(n_classes, 0);
    for (const auto c : y) {
      IMBAL_ASSERT(c >= 0 && static_cast<std::size_t>(c) < n_classes);
      ++counts[static_cast<std::size_t>(c)];
    }
    std::size_t present = 0;
    for (const auto n : counts) present += n > 0 ? 1 : 0;
    for (std::size_t c = 0; c < n_classes; ++c) {
      weight[c] = counts[c] == 0 ? 0.0
                                 : static_cast<double>(y.size()) /
                                       (static_cast<double>(present) * static_cast<double>(counts[c]));
    }
    return weight;
  }
  if (const auto* map = std::get_if<std::map<std::string, double>>(&class_weight)) {
    for (const auto& [key, value] : *map) {
      std::int32_t code = -1;
      if (labels != nullptr && labels->size() == n_classes) {
        try {
          code = labels->code_of(key);
        } catch (const InvalidArgument&) {
          std::string known;
          for (const auto& n : labels->names) known += (known.empty() ? "" : ", ") + n;
          throw InvalidArgument(std::string(param_name) + ": no class '" + key + "'; the classes are: " + known);
        }
      } else {
        char* end = nullptr;
        const long v = std::strtol(key.c_str(), &end, 10);
        if (end == key.c_str() || *end != '\0' || v < 0 || static_cast<std::size_t>(v) >= n_classes) {
          throw InvalidArgument(std::string(param_name) + ": no class '" + key + "'; the classes are 0.." +
                                std::to_string(n_classes - 1));
        }
        code = static_cast<std::int32_t>(v);
      }
      if (!std::isfinite(value) || value < 0.0) {
        throw InvalidArgument(std::string(param_name) + ": the weight of class '" + key +
                              "' must be a finite number >= 0");
      }
      weight[static_cast<std::size_t>(code)] = value;
    }
    return weight;
  }
  throw InvalidArgument(std::string(param_name) + ": expected none, balanced or per-class weights 'class:weight,...'");
}

std::vector<double> compute_sample_weight(const ParamValue& class_weight, std::span<const std::int32_t> y,
                                          std::size_t n_classes, const ClassLabels* labels,
                                          std::span<const double> sample_weight, std::string_view param_name) {
  if (!sample_weight.empty() && sample_weight.size() != y.size()) {
    throw InvalidArgument("sample_weight has " + std::to_string(sample_weight.size()) + " values for " +
                          std::to_string(y.size()) + " rows");
  }
  const auto per_class = compute_class_weight(class_weight, y, n_classes, labels, param_name);
  std::vector<double> out(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) {
    out[i] = per_class[static_cast<std::size_t>(y[i])] * (sample_weight.empty() ? 1.0 : sample_weight[i]);
  }
  return out;
}

std::vector<double> balanced_class_weight_of_draw(std::span<const std::int32_t> y, std::span<const double> counts,
                                                  std::size_t n_classes) {
  IMBAL_ASSERT(y.size() == counts.size());
  std::vector<double> drawn(n_classes, 0.0);
  double total = 0.0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    drawn[static_cast<std::size_t>(y[i])] += counts[i];
    total += counts[i];
  }
  std::size_t present = 0;
  for (const double c : drawn) present += c > 0.0 ? 1 : 0;
  std::vector<double> weight(n_classes, 0.0);
  for (std::size_t c = 0; c < n_classes; ++c) {
    if (drawn[c] > 0.0) weight[c] = total / (static_cast<double>(present) * drawn[c]);
  }
  return weight;
}

}  // namespace imbal
