// Scaling (scikit-learn's StandardScaler, MinMaxScaler) and one-hot encoding (OneHotEncoder with
// every level kept) of a Pipeline's input.
#include "imbal/preprocessing.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "imbal/error.hpp"

namespace imbal {

using nlohmann::json;

Scaling parse_scaling(std::string_view text) {
  if (text == "none") return Scaling::None;
  if (text == "standard") return Scaling::Standard;
  if (text == "minmax") return Scaling::MinMax;
  throw InvalidArgument("scaling: expected none, standard or minmax, got '" + std::string(text) + "'");
}

std::string_view to_string(Scaling scaling) {
  switch (scaling) {
    case Scaling::Standard: return "standard";
    case Scaling::MinMax: return "minmax";
    case Scaling::None: break;
  }
  return "none";
}

void Preprocessor::fit(MatrixView X, const std::vector<Column>& columns) {
  if (!columns.empty() && columns.size() != X.cols) {
    throw InvalidArgument("preprocessing: " + std::to_string(columns.size()) + " column descriptions for " +
                          std::to_string(X.cols) + " feature columns");
  }
  if (X.rows == 0) throw InvalidArgument("preprocessing: no rows to fit on");
  columns_ = columns;
  if (columns_.empty()) {
    columns_.resize(X.cols);
    for (std::size_t j = 0; j < X.cols; ++j) {
      columns_[j].name = "x";
      columns_[j].name += std::to_string(j);
    }
  }
  offset_.assign(X.cols, 0.0);
  scale_.assign(X.cols, 1.0);
  const double n = static_cast<double>(X.rows);
  for (std::size_t j = 0; j < X.cols; ++j) {
    if (columns_[j].categorical()) continue;
    if (scaling_ == Scaling::Standard) {
      double mean = 0.0;
      for (std::size_t i = 0; i < X.rows; ++i) mean += X(i, j);
      mean /= n;
      double var = 0.0;
      for (std::size_t i = 0; i < X.rows; ++i) var += (X(i, j) - mean) * (X(i, j) - mean);
      var /= n;
      offset_[j] = mean;
      // scikit-learn's _handle_zeros_in_scale: a (near) constant column keeps scale 1.
      const double sd = std::sqrt(var);
      scale_[j] = sd < 10.0 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::abs(mean)) ? 1.0 : sd;
    } else if (scaling_ == Scaling::MinMax) {
      double lo = X(0, j), hi = X(0, j);
      for (std::size_t i = 1; i < X.rows; ++i) {
        lo = std::min(lo, X(i, j));
        hi = std::max(hi, X(i, j));
      }
      offset_[j] = lo;
      scale_[j] = hi - lo < 10.0 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::abs(hi)) ? 1.0 : hi - lo;
    }
  }
}

void Preprocessor::check(MatrixView X) const {
  if (X.cols != columns_.size()) {
    throw InvalidArgument("preprocessing: expected " + std::to_string(columns_.size()) + " feature columns, got " +
                          std::to_string(X.cols));
  }
}

Matrix Preprocessor::scale(MatrixView X) const {
  check(X);
  Matrix out(X.rows, X.cols);
  for (std::size_t i = 0; i < X.rows; ++i) {
    const double* in = X.row(i);
    double* o = out.row(i);
    for (std::size_t j = 0; j < X.cols; ++j) {
      o[j] = scaling_ == Scaling::None || columns_[j].categorical() ? in[j] : (in[j] - offset_[j]) / scale_[j];
    }
  }
  return out;
}

std::size_t Preprocessor::n_output_features() const {
  std::size_t n = 0;
  for (const auto& c : columns_) n += one_hot_ && c.categorical() ? c.levels.size() : 1;
  return n;
}

Matrix Preprocessor::encode(MatrixView X) const {
  check(X);
  Matrix out(X.rows, n_output_features());
  for (std::size_t i = 0; i < X.rows; ++i) {
    const double* in = X.row(i);
    double* o = out.row(i);
    std::size_t k = 0;
    for (std::size_t j = 0; j < X.cols; ++j) {
      const Column& c = columns_[j];
      if (!(one_hot_ && c.categorical())) {
        o[k++] = in[j];
        continue;
      }
      const double code = in[j];
      if (!(code >= 0.0) || code >= static_cast<double>(c.levels.size()) || code != std::floor(code)) {
        throw InvalidArgument("one-hot encoding: column '" + c.name + "' holds level code " + std::to_string(code) +
                              " but has " + std::to_string(c.levels.size()) + " levels");
      }
      o[k + static_cast<std::size_t>(code)] = 1.0;
      k += c.levels.size();
    }
  }
  return out;
}

std::string Preprocessor::save_json() const {
  json j;
  j["scaling"] = std::string(to_string(scaling_));
  j["one_hot"] = one_hot_;
  auto& cols = j["columns"] = json::array();
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    json col{{"name", columns_[c].name}, {"kind", columns_[c].categorical() ? "categorical" : "numeric"}};
    if (columns_[c].categorical()) {
      col["levels"] = columns_[c].levels;
    } else {
      col["offset"] = offset_[c];
      col["scale"] = scale_[c];
    }
    cols.push_back(std::move(col));
  }
  return j.dump();
}

void Preprocessor::load_json(std::string_view text, std::string_view source) {
  const std::string where(source);
  try {
    const json j = json::parse(text.begin(), text.end());
    scaling_ = parse_scaling(j.at("scaling").get<std::string>());
    one_hot_ = j.at("one_hot").get<bool>();
    columns_.clear();
    offset_.clear();
    scale_.clear();
    for (const auto& c : j.at("columns")) {
      Column col;
      col.name = c.at("name").get<std::string>();
      const auto kind = c.at("kind").get<std::string>();
      double offset = 0.0, scale = 1.0;
      if (kind == "categorical") {
        col.kind = ColumnKind::Categorical;
        col.levels = c.at("levels").get<std::vector<std::string>>();
      } else if (kind == "numeric") {
        offset = c.at("offset").get<double>();
        scale = c.at("scale").get<double>();
        if (!std::isfinite(offset) || !std::isfinite(scale) || scale == 0.0) {
          throw InvalidArgument(where + ": column '" + col.name + "' has an invalid scaling");
        }
      } else {
        throw InvalidArgument(where + ": column '" + col.name + "' has unknown kind '" + kind + "'");
      }
      columns_.push_back(std::move(col));
      offset_.push_back(offset);
      scale_.push_back(scale);
    }
  } catch (const json::exception& e) {
    throw InvalidArgument(where + ": malformed preprocessing step (" + e.what() + ")");
  }
}

}  // namespace imbal
