#include <nlohmann/json.hpp>

#include <array>

#include "imbal/error.hpp"
#include "imbal/model_registry.hpp"
#include "core/parsed_json.hpp"

namespace imbal {

namespace detail {
#define IMBAL_MODEL(id)              \
  const MethodSchema& id##_schema(); \
  std::unique_ptr<Model> id##_create(Params params, ModelOptions options);
#include "models/models.def"
#undef IMBAL_MODEL
}  // namespace detail

namespace {
const std::array kModels = {
#define IMBAL_MODEL(id) ModelEntry{&detail::id##_schema, &detail::id##_create},
#include "models/models.def"
#undef IMBAL_MODEL
};
}  // namespace

std::span<const ModelEntry> models() { return kModels; }

const ModelEntry& find_model(std::string_view name) {
  for (const auto& entry : kModels) {
    if (entry.schema().name == name) return entry;
  }
  std::string known;
  for (const auto& entry : kModels) known += (known.empty() ? "" : ", ") + entry.schema().name;
  throw InvalidArgument("unknown model '" + std::string(name) + "'; the models are: " + known);
}

std::unique_ptr<Model> make_model(std::string_view name, ModelOptions options) {
  const auto& entry = find_model(name);
  return entry.create(Params(entry.schema()), options);
}

std::unique_ptr<Model> make_model(std::string_view name, const std::vector<std::string>& assignments,
                                  ModelOptions options) {
  const auto& entry = find_model(name);
  Params params(entry.schema());
  for (const auto& a : assignments) {
    const auto [key, value] = split_assignment(a);
    params.set(key, value);
  }
  return entry.create(std::move(params), options);
}

std::unique_ptr<Model> load_model_json(std::string_view text, std::string_view source, ModelOptions options) {
  return detail::load_model_parsed(detail::parse_model_file(text, source), source, options);
}

std::unique_ptr<Model> detail::load_model_parsed(const nlohmann::json& j, std::string_view source,
                                                 ModelOptions options) {
  const std::string where(source);
  if (!j.is_object() || !j.contains("model") || !j.at("model").is_string()) {
    throw InvalidArgument(where + ": not a valid model file (no 'model' field naming the model)");
  }
  const std::string name = j.at("model").get<std::string>();
  const ModelEntry* entry = nullptr;
  try {
    entry = &find_model(name);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(where + ": " + e.what());
  }
  auto model = entry->create(Params(entry->schema()), options);
  model->load_parsed(ParsedJson{j}, source);
  return model;
}

}  // namespace imbal
