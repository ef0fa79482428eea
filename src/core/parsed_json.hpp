// A parsed JSON value handed between the model loaders, so that a model file is parsed once:
// Pipeline::load_json and the ensembles give each member model its part of the parsed file, and
// Model::load_json gives the model its parsed state (Model::load_state). The public headers only
// name this struct (nlohmann-json stays a private dependency).
#pragma once

#include <memory>
#include <string_view>

#include <nlohmann/json.hpp>

#include "imbal/model.hpp"

namespace imbal::detail {

struct ParsedJson {
  const nlohmann::json& json;
};

/// Parses the text of a model file; malformed or truncated JSON is an InvalidArgument naming
/// `source`.
nlohmann::json parse_model_file(std::string_view text, std::string_view source);

/// load_model_json on an already parsed model object.
std::unique_ptr<Model> load_model_parsed(const nlohmann::json& model, std::string_view source, ModelOptions options);

}  // namespace imbal::detail
