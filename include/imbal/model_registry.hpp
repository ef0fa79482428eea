// The registry of models, built from one X-macro list (src/models/models.def), like the
// sampler registry.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "imbal/model.hpp"
#include "imbal/params.hpp"

namespace imbal {

struct ModelEntry {
  const MethodSchema& (*schema)();
  std::unique_ptr<Model> (*create)(Params params, ModelOptions options);
};

/// Every registered model, in registry order.
std::span<const ModelEntry> models();
/// The entry of `name`; throws InvalidArgument listing the valid names when unknown.
const ModelEntry& find_model(std::string_view name);
/// Creates a model by name with its default parameters.
std::unique_ptr<Model> make_model(std::string_view name, ModelOptions options = {});
/// Creates a model by name with parameters given as "name=value" texts.
std::unique_ptr<Model> make_model(std::string_view name, const std::vector<std::string>& assignments,
                                  ModelOptions options = {});
/// Loads any registered model from the JSON text of Model::save_json.
std::unique_ptr<Model> load_model_json(std::string_view text, std::string_view source = "model",
                                       ModelOptions options = {});

}  // namespace imbal
