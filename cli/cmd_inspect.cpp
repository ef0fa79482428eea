// imbal inspect DATA: class counts, proportions, imbalance ratio, a bar chart in the terminal,
// optionally an SVG chart and the plan a sampling strategy would resolve to.
#include <nlohmann/json.hpp>

#include <cstdio>

#include "common.hpp"
#include "imbal/csv.hpp"
#include "imbal/error.hpp"
#include "svg.hpp"

namespace imbal::cli {

namespace {

struct InspectOptions {
  DataOptions data;
  std::string plot;
  bool json = false;
  std::string strategy;
  std::string sampling_type = "over";
};

SamplingType parse_sampling_type(const std::string& text) {
  if (text == "over" || text == "over-sampling") return SamplingType::OverSampling;
  if (text == "under" || text == "under-sampling") return SamplingType::UnderSampling;
  if (text == "clean" || text == "clean-sampling" || text == "cleaning") return SamplingType::CleanSampling;
  throw UsageError("--sampling-type: expected over, under or clean, got '" + text + "'");
}

nlohmann::json plan_json(const ResamplePlan& plan, const ClassLabels& classes) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : plan.classes) {
    out.push_back({{"class", classes.names[static_cast<std::size_t>(c.label)]},
                   {"n_in", c.n_in},
                   {"n_out", c.n_out},
                   {"targeted", c.targeted}});
  }
  return out;
}

void run_inspect(const InspectOptions& opt) {
  const bool quiet = global_options().quiet;
  const auto type = parse_sampling_type(opt.sampling_type);
  Dataset data = load_data(opt.data, quiet);
  const auto counts = data.class_counts();
  const ClassLabels& classes = data.classes();

  std::optional<ResamplePlan> plan;
  if (!opt.strategy.empty()) {
    SamplingStrategy strategy;
    try {
      strategy = SamplingStrategy::parse(opt.strategy, classes);
    } catch (const InvalidArgument& e) {
      throw UsageError(std::string("--strategy: ") + e.what());
    }
    plan = resolve_strategy(strategy, counts, type, &classes);
  }
  std::size_t n_categorical = 0;
  for (const auto& c : data.columns()) n_categorical += c.categorical();

  if (!opt.plot.empty()) {
    std::vector<BarSeries> series{{"rows", counts}};
    write_file_atomically(opt.plot, svg_bar_chart("Class distribution of " + opt.data.path,
                                                   classes.names, series, "class", "rows"));
  }

  // Ties: the majority is the first largest class in class order, the minority the last smallest,
  // so two or more classes always name two different classes (a balanced file: first vs last).
  std::size_t majority = 0;
  std::size_t minority = 0;
  for (std::size_t c = 0; c < counts.size(); ++c) {
    if (counts[c] > counts[majority]) majority = c;
    if (counts[c] <= counts[minority]) minority = c;
  }
  if (opt.json) {
    nlohmann::json out;
    out["file"] = opt.data.path;
    out["rows"] = data.rows();
    out["features"] = data.cols();
    out["numeric_features"] = data.cols() - n_categorical;
    out["categorical_features"] = n_categorical;
    out["target"] = data.target_name();
    out["imbalance_ratio"] = imbalance_ratio(counts);
    out["majority"] = classes.names[majority];
    out["minority"] = classes.names[minority];
    auto& cls = out["classes"] = nlohmann::json::array();
    for (std::size_t c = 0; c < counts.size(); ++c) {
      cls.push_back({{"class", classes.names[c]},
                     {"count", counts[c]},
                     {"share", static_cast<double>(counts[c]) / static_cast<double>(data.rows())}});
    }
    auto& cols = out["columns"] = nlohmann::json::array();
    for (const auto& c : data.columns()) {
      nlohmann::json col{{"name", c.name}, {"kind", c.categorical() ? "categorical" : "numeric"}};
      if (c.categorical()) col["levels"] = c.levels.size();
      cols.push_back(col);
    }
    if (plan) {
      out["sampling_type"] = std::string(to_string(type));
      out["strategy"] = opt.strategy;
      out["plan"] = plan_json(*plan, classes);
    }
    std::printf("%s\n", out.dump(2).c_str());
    return;
  }
  std::printf("%s: %zu rows, %zu features (%zu numeric, %zu categorical), target '%s', %zu classes\n",
              opt.data.path.c_str(), data.rows(), data.cols(), data.cols() - n_categorical,
              n_categorical, data.target_name().c_str(), classes.size());
  print_class_table(stdout, classes, counts);
  std::printf("imbalance ratio %.2f (majority '%s' %zu : minority '%s' %zu)\n", imbalance_ratio(counts),
              classes.names[majority].c_str(), counts[majority], classes.names[minority].c_str(),
              counts[minority]);
  if (plan) {
    std::printf("\nstrategy '%s' for %s:\n", opt.strategy.c_str(), std::string(to_string(type)).c_str());
    std::vector<std::size_t> after;
    for (const auto& c : plan->classes) after.push_back(c.n_out);
    print_class_table(stdout, classes, counts, &after);
    if (type == SamplingType::CleanSampling) {
      std::printf("(cleaning methods remove rows of the targeted classes only; 'after' is an upper bound)\n");
    }
  }
  if (!opt.plot.empty() && !quiet) std::printf("chart written to %s\n", opt.plot.c_str());
}

}  // namespace

void register_inspect(CLI::App& app) {
  auto opt = std::make_shared<InspectOptions>();
  auto* cmd = app.add_subcommand("inspect", "Class counts, proportions and imbalance ratio of a CSV file");
  add_data_options(*cmd, opt->data);
  cmd->add_option("--plot", opt->plot, "Also write the class distribution as an SVG chart");
  cmd->add_flag("--json", opt->json, "Print JSON instead of a table");
  cmd->add_option("--strategy", opt->strategy,
                  "Show the per-class plan this sampling strategy resolves to");
  cmd->add_option("--sampling-type", opt->sampling_type,
                  "How --strategy is read: over, under or clean")
      ->capture_default_str();
  cmd->callback([opt] { run_inspect(*opt); });
}

}  // namespace imbal::cli
