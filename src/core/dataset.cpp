#include "imbal/dataset.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <unordered_map>

#include "imbal/error.hpp"

namespace imbal {

namespace {

// A label that reads as a finite number (integers like "-1" and reals like "2.5").
std::optional<double> label_number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  double value = 0.0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace

std::int32_t ClassLabels::code_of(std::string_view name) const {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<std::int32_t>(i);
  }
  if (numeric) {
    if (const auto v = label_number(name)) {
      for (std::size_t i = 0; i < names.size(); ++i) {
        if (label_number(names[i]) == v) return static_cast<std::int32_t>(i);
      }
    }
  }
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  throw InvalidArgument("unknown class '" + std::string(name) + "'; the classes are: " + known);
}

ClassLabels ClassLabels::encode(std::span<const std::string> raw, std::vector<std::int32_t>& codes) {
  std::unordered_map<std::string_view, std::int32_t> first_code;
  std::vector<std::string_view> distinct;
  std::vector<std::int32_t> provisional(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    auto [it, inserted] = first_code.try_emplace(raw[i], static_cast<std::int32_t>(distinct.size()));
    if (inserted) distinct.push_back(raw[i]);
    provisional[i] = it->second;
  }
  ClassLabels labels;
  std::vector<std::optional<double>> numbers(distinct.size());
  labels.numeric = !distinct.empty();
  for (std::size_t k = 0; k < distinct.size(); ++k) {
    numbers[k] = label_number(distinct[k]);
    if (!numbers[k]) labels.numeric = false;
  }
  std::vector<std::size_t> order(distinct.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (labels.numeric) {
    // Numeric order; spellings of the same number ("1" and "1.0") stay distinct classes,
    // ordered by spelling.
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      if (*numbers[a] != *numbers[b]) return *numbers[a] < *numbers[b];
      return distinct[a] < distinct[b];
    });
  } else {
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return distinct[a] < distinct[b]; });
  }
  std::vector<std::int32_t> remap(distinct.size());
  labels.names.reserve(distinct.size());
  for (std::size_t rank = 0; rank < order.size(); ++rank) {
    remap[order[rank]] = static_cast<std::int32_t>(rank);
    labels.names.emplace_back(distinct[order[rank]]);
  }
  codes.resize(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) codes[i] = remap[static_cast<std::size_t>(provisional[i])];
  return labels;
}

Dataset::Dataset(Matrix features, std::vector<std::int32_t> labels, std::vector<Column> columns,
                 ClassLabels classes, std::string target_name, std::size_t target_position)
    : owned_X_(std::move(features)),
      owned_y_(std::move(labels)),
      columns_(std::move(columns)),
      classes_(std::move(classes)),
      target_name_(std::move(target_name)) {
  IMBAL_ASSERT(owned_X_.rows() == owned_y_.size());
  IMBAL_ASSERT(owned_X_.cols() == columns_.size() || owned_X_.rows() == 0);
  X_ = MatrixView(owned_X_.data(), owned_X_.rows(), columns_.size());
  y_ = owned_y_;
  target_position_ = std::min(target_position, columns_.size());
}

Dataset::Dataset(const Dataset& other)
    : owned_X_(other.owned_X_),
      owned_y_(other.owned_y_),
      owner_(other.owner_),
      X_(other.X_),
      y_(other.y_),
      columns_(other.columns_),
      classes_(other.classes_),
      target_name_(other.target_name_),
      target_position_(other.target_position_) {
  if (owner_ == nullptr) {  // our own storage: point the views at the copy
    X_ = MatrixView(owned_X_.data(), other.X_.rows, other.X_.cols);
    y_ = owned_y_;
  }
}

Dataset& Dataset::operator=(const Dataset& other) {
  if (this != &other) {
    Dataset copy(other);
    *this = std::move(copy);
  }
  return *this;
}

Dataset Dataset::wrap(MatrixView features, std::span<const std::int32_t> labels,
                      std::vector<Column> columns, ClassLabels classes,
                      std::shared_ptr<const void> owner, std::string target_name) {
  IMBAL_ASSERT(features.rows == labels.size());
  IMBAL_ASSERT(features.cols == columns.size());
  Dataset d;
  d.owner_ = std::move(owner);
  d.X_ = features;
  d.y_ = labels;
  d.columns_ = std::move(columns);
  d.classes_ = std::move(classes);
  d.target_name_ = std::move(target_name);
  d.target_position_ = d.columns_.size();
  return d;
}

std::vector<std::size_t> Dataset::class_counts() const {
  std::vector<std::size_t> counts(classes_.size(), 0);
  for (const auto c : y_) ++counts[static_cast<std::size_t>(c)];
  return counts;
}

std::vector<bool> Dataset::categorical_mask() const {
  std::vector<bool> mask(columns_.size());
  for (std::size_t j = 0; j < columns_.size(); ++j) mask[j] = columns_[j].categorical();
  return mask;
}

bool Dataset::has_categorical() const {
  return std::any_of(columns_.begin(), columns_.end(), [](const Column& c) { return c.categorical(); });
}

Dataset Dataset::with_rows(Matrix features, std::vector<std::int32_t> labels) const {
  return Dataset(std::move(features), std::move(labels), columns_, classes_, target_name_,
                 target_position_);
}

}  // namespace imbal
