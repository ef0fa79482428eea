// imbal list: every registered method with its parameters, defaults and one-line docs, all
// taken from the parameter schemas.
#include <nlohmann/json.hpp>

#include <cstdio>

#include "common.hpp"
#include "imbal/metrics.hpp"
#include "imbal/registry.hpp"

namespace imbal::cli {

namespace {

struct ListOptions {
  bool json = false;
  bool markdown = false;
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
      for (const auto& p : s.params) params += (params.empty() ? "" : ", ") + ("`" + p.name + "=" + format_value(p.default_value) + "`");
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

void run_list(const ListOptions& opt) {
  if (opt.metrics) {
    list_metrics(opt);
    return;
  }
  std::vector<const MethodSchema*> schemas;
  for (const auto& entry : samplers()) {
    if (opt.method.empty() || entry.schema().name == opt.method) schemas.push_back(&entry.schema());
  }
  if (!opt.method.empty() && schemas.empty()) (void)find_sampler(opt.method);  // throws with the list
  if (opt.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto* s : schemas) {
      nlohmann::json m{{"name", s->name},       {"python_class", s->python_class},
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
  if (opt.method.empty()) {
    std::printf("\n");
    list_metrics(opt);
  }
}

}  // namespace

void register_list(CLI::App& app) {
  auto opt = std::make_shared<ListOptions>();
  auto* cmd = app.add_subcommand("list", "List methods with their parameters, defaults and docs");
  cmd->add_option("METHOD", opt->method, "Show only this method");
  cmd->add_flag("--json", opt->json, "Print JSON");
  cmd->add_flag("--metrics", opt->metrics, "List the metrics (with --json / --markdown too)");
  cmd->add_flag("--markdown", opt->markdown, "Print Markdown (used for the reference docs)");
  cmd->callback([opt] { run_list(*opt); });
}

}  // namespace imbal::cli
