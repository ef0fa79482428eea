// imbal demo: the embedded default dataset, inspected and rebalanced with the registered
// methods, class counts before and after. Needs no file from the user.
#include <cstdio>

#include "common.hpp"
#include "imbal/csv.hpp"
#include "imbal/error.hpp"
#include "imbal/registry.hpp"

namespace imbal::cli {

namespace {

void run_demo(std::uint64_t seed) {
  Dataset data = parse_csv(demo_data_csv(), kDemoDataName);
  const auto counts = data.class_counts();
  std::printf("imbal demo on %s\n%zu rows, %zu numeric features, %zu classes, imbalance ratio %.2f\n\n",
              kDemoDataName, data.rows(), data.cols(), data.n_classes(), imbalance_ratio(counts));
  print_class_table(stdout, data.classes(), counts);
  for (const auto& entry : samplers()) {
    const auto& schema = entry.schema();
    SamplerOptions options;
    options.random_state = seed;
    options.n_jobs = global_options().jobs;
    auto sampler = entry.create(Params(schema), options);
    Dataset out;
    try {
      out = sampler->fit_resample(data);
    } catch (const InvalidArgument& e) {  // e.g. smote-nc needs categorical columns
      std::printf("\n%s: %s\nnot applicable to this dataset: %s\n", schema.name.c_str(), schema.summary.c_str(),
                  e.what());
      continue;
    }
    const auto after = out.class_counts();
    std::printf("\n%s: %s\nstrategy auto, seed %llu: %zu rows -> %zu rows\n", schema.name.c_str(),
                schema.summary.c_str(), static_cast<unsigned long long>(seed), data.rows(), out.rows());
    print_class_table(stdout, data.classes(), counts, &after);
  }
  std::printf("\nTry it on your data: imbal inspect FILE.csv; imbal resample FILE.csv --method random-over -o OUT.csv\n");
}

}  // namespace

void register_demo(CLI::App& app) {
  auto seed = std::make_shared<std::uint64_t>(0);
  auto* cmd = app.add_subcommand("demo", "Run imbal on its embedded default dataset (no file needed)");
  cmd->add_option("--seed", *seed, "Random seed")->capture_default_str();
  cmd->callback([seed] { run_demo(*seed); });
}

}  // namespace imbal::cli
