// imbal list: every registered method with its parameters, defaults and one-line docs, all
// taken from the parameter schemas.
#include <nlohmann/json.hpp>

#include <cstdio>

#include "common.hpp"
#include "imbal/model_registry.hpp"
#include "imbal/registry.hpp"

namespace imbal::cli {

namespace {

struct ListOptions {
  bool json = false;
  bool markdown = false;
  bool models = false;
  std::string method;
};

nlohmann::json value_json(const ParamValue& v) {
  if (std::holds_alternative<std::monostate>(v)) return nullptr;
  if (const auto* b = std::get_if<bool>(&v)) return *b;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return format_value(v);
}

const char* kCommonParams[][3] = {
    {"sampling_strategy", "auto", "Which classes to resample and to what size (CLI: --strategy)"},
    {"random_state", "none", "Seed of the random engine (CLI: --seed)"},
};

const char* kModelCommonParams[][3] = {
    {"random_state", "none", "Seed of randomised models (CLI: imbal train --seed)"},
};

void print_models_text(const std::vector<const MethodSchema*>& schemas) {
  std::printf("Models (imbal train DATA --model NAME [--param name=value ...] -o MODEL.json):\n");
  for (const auto* s : schemas) {
    std::printf("\n  %-20s %s\n  %-20s family: %s; scikit-learn: %s\n", s->name.c_str(), s->summary.c_str(), "",
                s->family.c_str(), s->python_class.c_str());
    for (const auto& p : s->params) {
      std::printf("  %-20s   %s = %s  (%s)\n  %-20s     %s\n", "", p.name.c_str(),
                  format_value(p.default_value).c_str(), p.expectation().c_str(), "", p.doc.c_str());
    }
  }
}

void run_list(const ListOptions& opt) {
  std::vector<const MethodSchema*> schemas;
  std::vector<const MethodSchema*> model_schemas;
  if (!opt.models) {
    for (const auto& entry : samplers()) {
      if (opt.method.empty() || entry.schema().name == opt.method) schemas.push_back(&entry.schema());
    }
  }
  if (opt.models || !opt.json || !opt.method.empty()) {
    for (const auto& entry : models()) {
      if (opt.method.empty() || entry.schema().name == opt.method) model_schemas.push_back(&entry.schema());
    }
  }
  if (!opt.method.empty() && schemas.empty() && model_schemas.empty()) {
    if (opt.models) (void)find_model(opt.method);  // throws with the list
    std::string known;
    for (const auto& entry : samplers()) known += (known.empty() ? "" : ", ") + entry.schema().name;
    for (const auto& entry : models()) known += ", " + entry.schema().name;
    throw UsageError("unknown method or model '" + opt.method + "'; they are: " + known);
  }
  if ((opt.models || (schemas.empty() && !model_schemas.empty())) && opt.markdown) {
    for (const auto* s : model_schemas) {
      std::printf("### `%s` (%s)\n\n%s\n\n", s->name.c_str(), s->python_class.c_str(), s->summary.c_str());
      std::printf("Family: %s. scikit-learn: `sklearn.%s.%s`.\n\n", s->family.c_str(), s->python_module.c_str(),
                  s->python_class.c_str());
      if (!s->reference.empty()) std::printf("Reference: %s.\n\n", s->reference.c_str());
      std::printf("| parameter | default | expects | description |\n|---|---|---|---|\n");
      for (const auto& p : s->params) {
        std::printf("| `%s` | `%s` | %s | %s |\n", p.name.c_str(), format_value(p.default_value).c_str(),
                    p.expectation().c_str(), p.doc.c_str());
      }
      for (const auto& c : kModelCommonParams) std::printf("| `%s` | `%s` | | %s |\n", c[0], c[1], c[2]);
      std::printf("\n");
    }
    return;
  }
  const bool model_entries = opt.models || (schemas.empty() && !model_schemas.empty());
  if (opt.json && model_entries) schemas = model_schemas;
  if (opt.models && !opt.json) {
    print_models_text(model_schemas);
    return;
  }
  if (opt.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto* s : schemas) {
      nlohmann::json m{{"kind", model_entries ? "model" : "sampler"}, {"name", s->name},       {"python_class", s->python_class},
                       {"module", s->python_module}, {"family", s->family},
                       {"summary", s->summary}, {"reference", s->reference},
                       {"sample_indices", s->provides_sample_indices}};
      auto& params = m["params"] = nlohmann::json::array();
      for (const auto& p : s->params) {
        params.push_back({{"name", p.name},
                          {"type", std::string(to_string(p.type))},
                          {"default", value_json(p.default_value)},
                          {"expects", p.expectation()},
                          {"doc", p.doc}});
      }
      out.push_back(m);
    }
    std::printf("%s\n", out.dump(2).c_str());
    return;
  }
  if (opt.markdown) {
    for (const auto* s : schemas) {
      std::printf("### `%s` (%s)\n\n%s\n\n", s->name.c_str(), s->python_class.c_str(), s->summary.c_str());
      std::printf("Family: %s. imbalanced-learn: `imblearn.%s.%s`.%s\n\n", s->family.c_str(),
                  s->python_module.c_str(), s->python_class.c_str(),
                  s->provides_sample_indices ? " Provides `sample_indices`." : "");
      if (!s->reference.empty()) std::printf("Reference: %s.\n\n", s->reference.c_str());
      std::printf("| parameter | default | expects | description |\n|---|---|---|---|\n");
      for (const auto& p : s->params) {
        std::printf("| `%s` | `%s` | %s | %s |\n", p.name.c_str(), format_value(p.default_value).c_str(),
                    p.expectation().c_str(), p.doc.c_str());
      }
      for (const auto& c : kCommonParams) std::printf("| `%s` | `%s` | | %s |\n", c[0], c[1], c[2]);
      std::printf("\n");
    }
    return;
  }
  if (schemas.empty()) {  // METHOD names a model
    print_models_text(model_schemas);
    return;
  }
  std::printf("Methods (imbal resample DATA --method NAME [--param name=value ...]):\n");
  for (const auto* s : schemas) {
    std::printf("\n  %-18s %s\n  %-18s family: %s; imbalanced-learn: %s\n", s->name.c_str(), s->summary.c_str(),
                "", s->family.c_str(), s->python_class.c_str());
    for (const auto& p : s->params) {
      std::printf("  %-18s   %s = %s  (%s)\n  %-18s     %s\n", "", p.name.c_str(),
                  format_value(p.default_value).c_str(), p.expectation().c_str(), "", p.doc.c_str());
    }
  }
  std::printf("\nEvery method also takes --strategy (sampling_strategy, default auto) and --seed (random_state).\n");
  if (!model_schemas.empty()) {
    std::printf("\n");
    print_models_text(model_schemas);
  }
}

}  // namespace

void register_list(CLI::App& app) {
  auto opt = std::make_shared<ListOptions>();
  auto* cmd = app.add_subcommand("list", "List methods and models with their parameters, defaults and docs");
  cmd->add_option("METHOD", opt->method, "Show only this method or model");
  cmd->add_flag("--models", opt->models, "Only the models (imbal train --model); --json and --markdown list "
                "the resampling methods unless this is given");
  cmd->add_flag("--json", opt->json, "Print JSON");
  cmd->add_flag("--markdown", opt->markdown, "Print Markdown (used for the reference docs)");
  cmd->callback([opt] { run_list(*opt); });
}

}  // namespace imbal::cli
