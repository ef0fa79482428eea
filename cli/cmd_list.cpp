// imbal list: every registered method, model and metric with its parameters, defaults and one-line docs, all
// taken from the parameter schemas.
#include <nlohmann/json.hpp>

#include <cstdio>

#include "common.hpp"
#include "imbal/metrics.hpp"
#include "imbal/model_registry.hpp"
#include "imbal/registry.hpp"

namespace imbal::cli {

namespace {

struct ListOptions {
  bool json = false;
  bool markdown = false;
  bool models = false;
  bool metrics = false;
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

nlohmann::json schema_json(const MethodSchema& s) {
  nlohmann::json params = nlohmann::json::array();
  for (const auto& p : s.params) {
    params.push_back({{"name", p.name},
                      {"type", std::string(to_string(p.type))},
                      {"default", value_json(p.default_value)},
                      {"expects", p.expectation()},
                      {"doc", p.doc}});
  }
  return params;
}

// The metric registry: text, JSON or Markdown.
void list_metrics(const ListOptions& opt) {
  const auto all = metrics::registered_metrics();
  if (opt.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : all) {
      const auto& s = e.schema();
      out.push_back({{"name", s.name}, {"python_function", s.python_class}, {"module", s.python_module},
                     {"input", s.family}, {"greater_is_better", e.greater_is_better}, {"summary", s.summary},
                     {"params", schema_json(s)}});
    }
    std::printf("%s\n", out.dump(2).c_str());
    return;
  }
  if (opt.markdown) {
    std::printf("### Metrics\n\n| metric | Python | input | parameters | description |\n|---|---|---|---|---|\n");
    for (const auto& e : all) {
      const auto& s = e.schema();
      std::string params;
      for (const auto& p : s.params) {
        if (!params.empty()) params += ", ";
        params.append("`").append(p.name).append("=").append(format_value(p.default_value)).append("`");
      }
      std::printf("| `%s` | `%s.%s` | %s | %s | %s |\n", s.name.c_str(), s.python_module.c_str(),
                  s.python_class.c_str(), s.family.c_str(), params.c_str(), s.summary.c_str());
    }
    std::printf("\n");
    return;
  }
  std::printf("Metrics (imbal metrics FILE --metric NAME [--param name=value ...]):\n");
  for (const auto& e : all) {
    const auto& s = e.schema();
    std::printf("\n  %-18s %s\n  %-18s input: %s; %s: %s.%s\n", s.name.c_str(), s.summary.c_str(), "",
                s.family.c_str(), e.greater_is_better ? "higher is better" : "lower is better",
                s.python_module.c_str(), s.python_class.c_str());
    for (const auto& p : s.params) {
      std::printf("  %-18s   %s = %s  (%s)\n  %-18s     %s\n", "", p.name.c_str(),
                  format_value(p.default_value).c_str(), p.expectation().c_str(), "", p.doc.c_str());
    }
  }
}

// Samplers (is_model false) or models: JSON entries.
nlohmann::json schemas_json(const std::vector<const MethodSchema*>& schemas, bool is_model) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto* s : schemas) {
    nlohmann::json m{{"kind", is_model ? "model" : "sampler"}, {"name", s->name},
                     {"python_class", s->python_class},        {"module", s->python_module},
                     {"family", s->family},                    {"summary", s->summary},
                     {"reference", s->reference},              {"sample_indices", s->provides_sample_indices}};
    m["params"] = schema_json(*s);
    out.push_back(m);
  }
  return out;
}

void print_markdown(const std::vector<const MethodSchema*>& schemas, bool is_model) {
  for (const auto* s : schemas) {
    std::printf("### `%s` (%s)\n\n%s\n\n", s->name.c_str(), s->python_class.c_str(), s->summary.c_str());
    if (is_model) {
      std::printf("Family: %s. scikit-learn: `sklearn.%s.%s`.\n\n", s->family.c_str(), s->python_module.c_str(),
                  s->python_class.c_str());
    } else {
      std::printf("Family: %s. imbalanced-learn: `imblearn.%s.%s`.%s\n\n", s->family.c_str(),
                  s->python_module.c_str(), s->python_class.c_str(),
                  s->provides_sample_indices ? " Provides `sample_indices`." : "");
    }
    if (!s->reference.empty()) std::printf("Reference: %s.\n\n", s->reference.c_str());
    std::printf("| parameter | default | expects | description |\n|---|---|---|---|\n");
    for (const auto& p : s->params) {
      std::printf("| `%s` | `%s` | %s | %s |\n", p.name.c_str(), format_value(p.default_value).c_str(),
                  p.expectation().c_str(), p.doc.c_str());
    }
    if (is_model) {
      for (const auto& c : kModelCommonParams) std::printf("| `%s` | `%s` | | %s |\n", c[0], c[1], c[2]);
    } else {
      for (const auto& c : kCommonParams) std::printf("| `%s` | `%s` | | %s |\n", c[0], c[1], c[2]);
    }
    std::printf("\n");
  }
}

void print_text(const std::vector<const MethodSchema*>& schemas, bool is_model) {
  if (is_model) {
    std::printf("Models (imbal train DATA --model NAME [--param name=value ...] -o MODEL.json):\n");
  } else {
    std::printf("Methods (imbal resample DATA --method NAME [--param name=value ...]):\n");
  }
  for (const auto* s : schemas) {
    std::printf("\n  %-20s %s\n  %-20s family: %s; %s: %s\n", s->name.c_str(), s->summary.c_str(), "",
                s->family.c_str(), is_model ? "scikit-learn" : "imbalanced-learn", s->python_class.c_str());
    for (const auto& p : s->params) {
      std::printf("  %-20s   %s = %s  (%s)\n  %-20s     %s\n", "", p.name.c_str(),
                  format_value(p.default_value).c_str(), p.expectation().c_str(), "", p.doc.c_str());
    }
  }
  if (!is_model) {
    std::printf("\nEvery method also takes --strategy (sampling_strategy, default auto) and --seed (random_state).\n");
  }
}

void print_list(const std::vector<const MethodSchema*>& schemas, bool is_model, const ListOptions& opt) {
  if (opt.json) {
    std::printf("%s\n", schemas_json(schemas, is_model).dump(2).c_str());
  } else if (opt.markdown) {
    print_markdown(schemas, is_model);
  } else {
    print_text(schemas, is_model);
  }
}

void run_list(const ListOptions& opt) {
  if (opt.metrics) {
    list_metrics(opt);
    return;
  }
  std::vector<const MethodSchema*> samplers_found;
  std::vector<const MethodSchema*> models_found;
  for (const auto& entry : samplers()) {
    if (opt.method.empty() || entry.schema().name == opt.method) samplers_found.push_back(&entry.schema());
  }
  for (const auto& entry : models()) {
    if (opt.method.empty() || entry.schema().name == opt.method) models_found.push_back(&entry.schema());
  }
  if (opt.models) {
    if (!opt.method.empty() && models_found.empty()) (void)find_model(opt.method);  // throws with the list
    print_list(models_found, true, opt);
    return;
  }
  if (!opt.method.empty()) {
    if (samplers_found.empty() && models_found.empty()) {
      std::string known;
      for (const auto& entry : samplers()) known += (known.empty() ? "" : ", ") + entry.schema().name;
      for (const auto& entry : models()) known += ", " + entry.schema().name;
      throw UsageError("unknown method or model '" + opt.method + "'; they are: " + known);
    }
    if (samplers_found.empty()) {
      print_list(models_found, true, opt);
    } else {
      print_list(samplers_found, false, opt);
    }
    return;
  }
  // Everything: --json and --markdown list the resampling methods only (scripts rely on it); the text lists all.
  print_list(samplers_found, false, opt);
  if (opt.json || opt.markdown) return;
  std::printf("\n");
  print_text(models_found, true);
  std::printf("\n");
  list_metrics(opt);
}

}  // namespace

void register_list(CLI::App& app) {
  auto opt = std::make_shared<ListOptions>();
  auto* cmd = app.add_subcommand("list", "List methods, models and metrics with their parameters, defaults and docs");
  cmd->add_option("METHOD", opt->method, "Show only this method or model");
  cmd->add_flag("--models", opt->models, "Only the models (imbal train --model); --json and --markdown list "
                "the resampling methods unless this is given");
  cmd->add_flag("--metrics", opt->metrics, "List the metrics (with --json / --markdown too)");
  cmd->add_flag("--json", opt->json, "Print JSON");
  cmd->add_flag("--markdown", opt->markdown, "Print Markdown (used for the reference docs)");
  cmd->callback([opt] { run_list(*opt); });
}

}  // namespace imbal::cli
