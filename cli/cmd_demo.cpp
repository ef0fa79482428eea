// imbal demo: `imbal compare` on the embedded default dataset (UCI Ecoli, imU vs rest), with the
// HTML report written to imbal-demo-report.html (or --report). Needs no file from the user.
#include <cstdio>
#include <filesystem>

#include "common.hpp"
#include "compare.hpp"
#include "imbal/csv.hpp"

namespace imbal::cli {

void register_demo(CLI::App& app) {
  auto opt = std::make_shared<CompareOptions>();
  opt->seed = 0;
  opt->report = "imbal-demo-report.html";
  auto* cmd = app.add_subcommand(
      "demo", "Compare imbalance methods on the embedded default dataset and write the HTML report (no file needed)");
  add_compare_options(*cmd, *opt);
  cmd->add_option("--seed", opt->seed, "Seed of the folds, samplers and models")->capture_default_str();
  cmd->add_option("--report", opt->report, "Where to write the HTML report")->capture_default_str();
  cmd->callback([opt] {
    const Dataset data = parse_csv(demo_data_csv(), kDemoDataName);
    CompareOptions o = *opt;
    o.data.path = kDemoDataName;
    if (!o.json && !global_options().quiet) {
      std::printf("imbal demo: every method of the study on %s, leak-free %zu-fold cross-validation\n\n",
                  kDemoDataName, o.cv);
    }
    if (!o.report.empty()) {
      std::error_code ec;
      const auto absolute = std::filesystem::absolute(o.report, ec);
      if (!ec) o.report = absolute.string();
    }
    run_compare(o, &data);
    if (!o.json && !global_options().quiet) {
      std::printf("\nOn your data: imbal compare FILE.csv --report report.html (see imbal compare --help)\n");
    }
  });
}

}  // namespace imbal::cli
