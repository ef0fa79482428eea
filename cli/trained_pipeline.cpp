#include "trained_pipeline.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>

#include "imbal/error.hpp"
#include "imbal/model_registry.hpp"
#include "imbal/pipeline.hpp"
#include "imbal/version.hpp"

namespace imbal::cli {

using nlohmann::json;

std::string TrainedPipeline::to_json() const {
  json extra;
  extra["target"] = target;
  auto& cols = extra["columns"] = json::array();
  for (const auto& c : columns) {
    json col{{"name", c.name}, {"kind", c.categorical() ? "categorical" : "numeric"}};
    if (c.categorical()) col["levels"] = c.levels;
    cols.push_back(col);
  }
  extra["sample_weight_column"] = sample_weight_column.empty() ? json(nullptr) : json(sample_weight_column);
  return pipeline.save_json(extra.dump());
}

namespace {

std::vector<Column> read_columns(const json& j, const std::string& source) {
  std::vector<Column> columns;
  for (const auto& c : j.at("columns")) {
    Column col;
    col.name = c.at("name").get<std::string>();
    const auto kind = c.at("kind").get<std::string>();
    if (kind == "categorical") {
      col.kind = ColumnKind::Categorical;
      col.levels = c.at("levels").get<std::vector<std::string>>();
    } else if (kind != "numeric") {
      throw InvalidArgument(source + ": column '" + col.name + "' has unknown kind '" + kind + "'");
    }
    columns.push_back(std::move(col));
  }
  return columns;
}

}  // namespace

TrainedPipeline TrainedPipeline::from_json(std::string_view text, const std::string& source, int n_jobs) {
  json j;
  try {
    j = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    throw InvalidArgument(source + ": not a valid imbal model file (malformed or truncated JSON: " + e.what() + ")");
  }
  TrainedPipeline p;
  try {
    const auto string_field = [&j](const char* key) {
      const auto it = j.find(key);
      return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    if (!j.is_object() || string_field("format") != kPipelineFormat) {
      throw InvalidArgument(source + ": not an imbal model file (no \"format\": \"imbal-pipeline\"; write one with "
                            "`imbal train`)");
    }
    const int version = j.value("format_version", -1);
    if (version != 1 && version != kPipelineFormatVersion) {
      throw InvalidArgument(source + ": model file format version " + j["format_version"].dump() +
                            " is not supported (imbal " + std::string(kVersion) + " reads versions 1 and " +
                            std::to_string(kPipelineFormatVersion) + ")");
    }
    p.target = j.at("target").get<std::string>();
    p.classes.names = j.at("classes").get<std::vector<std::string>>();
    p.columns = read_columns(j, source);
    if (j.contains("sample_weight_column") && j["sample_weight_column"].is_string()) {
      p.sample_weight_column = j["sample_weight_column"].get<std::string>();
    }
    if (version == 1) {
      // Version 1: one model on the raw columns.
      const auto& steps = j.at("steps");
      if (!steps.is_array() || steps.size() != 1 || steps.at(0).value("step", std::string()) != "model") {
        throw InvalidArgument(source + ": expected one 'model' step (a version-1 file holds a model only)");
      }
      ModelOptions options;
      options.n_jobs = n_jobs;
      auto model = load_model_json(steps.at(0).at("model").dump(), source, options);
      if (model->n_features() != p.columns.size()) {
        throw InvalidArgument(source + ": the model has " + std::to_string(model->n_features()) + " features but the "
                              "file lists " + std::to_string(p.columns.size()) + " columns");
      }
      p.pipeline = Pipeline::from_model(std::move(model), p.columns);
    } else {
      p.pipeline = Pipeline::load_json(text, source, n_jobs);
      const auto& pre = p.pipeline.preprocessor().columns();
      bool same = pre.size() == p.columns.size();
      for (std::size_t c = 0; same && c < pre.size(); ++c) {
        same = pre[c].name == p.columns[c].name && pre[c].kind == p.columns[c].kind &&
               pre[c].levels == p.columns[c].levels;
      }
      if (!same) throw InvalidArgument(source + ": the columns of the file and of its preprocessing differ");
    }
  } catch (const json::exception& e) {
    throw InvalidArgument(source + ": not a valid imbal model file (" + e.what() + ")");
  }
  if (p.pipeline.classes().names != p.classes.names) {
    throw InvalidArgument(source + ": the classes of the model and of the file differ");
  }
  return p;
}

Matrix TrainedPipeline::features_of(const Dataset& data, bool target_is_feature, const std::string& source) const {
  Matrix X(data.rows(), columns.size());
  for (std::size_t j = 0; j < columns.size(); ++j) {
    const Column& want = columns[j];
    std::size_t found = data.cols();
    for (std::size_t k = 0; k < data.cols(); ++k) {
      if (data.columns()[k].name == want.name) found = k;
    }
    const bool from_target = found == data.cols() && target_is_feature && data.target_name() == want.name;
    if (found == data.cols() && !from_target) {
      throw DataError(source, 1, 0, "no column '" + want.name + "' (the model was trained on it)");
    }
    for (std::size_t i = 0; i < data.rows(); ++i) {
      // The cell as a number (numeric columns) or a spelling (categorical ones).
      std::string spelling;
      double number = 0.0;
      bool is_number = false;
      if (from_target) {
        spelling = data.classes().names[static_cast<std::size_t>(data.y()[i])];
      } else if (data.columns()[found].categorical()) {
        spelling = data.columns()[found].levels[static_cast<std::size_t>(data.X()(i, found))];
      } else {
        number = data.X()(i, found);
        is_number = true;
      }
      if (want.categorical()) {
        if (is_number) {
          throw DataError(source, 0, 0, "column '" + want.name + "' is numeric here but was categorical in training; "
                          "pass --categorical " + want.name);
        }
        std::size_t level = want.levels.size();
        for (std::size_t l = 0; l < want.levels.size(); ++l) {
          if (want.levels[l] == spelling) level = l;
        }
        if (level == want.levels.size()) {
          throw DataError(source, i + 2, 0, "column '" + want.name + "': level '" + spelling +
                          "' was not seen in training");
        }
        X(i, j) = static_cast<double>(level);
      } else {
        if (!is_number) {
          const auto [ptr, ec] = std::from_chars(spelling.data(), spelling.data() + spelling.size(), number);
          if (ec != std::errc() || ptr != spelling.data() + spelling.size() || !std::isfinite(number)) {
            throw DataError(source, i + 2, 0, "column '" + want.name + "': expected a number, got '" + spelling + "'");
          }
        }
        X(i, j) = number;
      }
    }
  }
  return X;
}

}  // namespace imbal::cli
