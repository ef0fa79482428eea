// imbal make-classification / make-imbalance: scikit-learn's and imbalanced-learn's generators.
#include <cmath>
#include <cstdio>

#include "common.hpp"
#include "imbal/csv.hpp"
#include "imbal/error.hpp"
#include "imbal/generators.hpp"
#include "imbal/random.hpp"

namespace imbal::cli {

namespace {

struct MakeClassificationCli {
  MakeClassificationOptions o;
  std::vector<double> weights;
  std::string shift = "0";
  std::string scale = "1";
  std::string hypercube = "true";
  std::string shuffle = "true";
  std::optional<std::uint64_t> seed;
  std::string output;
};

bool parse_bool(const std::string& flag, const std::string& text) {
  if (text == "true" || text == "True" || text == "1" || text == "yes") return true;
  if (text == "false" || text == "False" || text == "0" || text == "no") return false;
  throw UsageError(flag + ": expected true or false, got '" + text + "'");
}

std::optional<double> parse_optional_number(const std::string& flag, const std::string& text) {
  if (text == "none" || text == "None") return std::nullopt;
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == text.size() && std::isfinite(v)) return v;
  } catch (const std::exception&) {
  }
  throw UsageError(flag + ": expected a number or none, got '" + text + "'");
}

void run_make_classification(MakeClassificationCli& cli) {
  auto o = cli.o;
  o.weights = cli.weights;
  o.shift = parse_optional_number("--shift", cli.shift);
  o.scale = parse_optional_number("--scale", cli.scale);
  o.hypercube = parse_bool("--hypercube", cli.hypercube);
  o.shuffle = parse_bool("--shuffle", cli.shuffle);
  o.seed = cli.seed ? *cli.seed : random_seed();
  Dataset data;
  try {
    data = make_classification(o);
  } catch (const InvalidArgument& e) {
    throw UsageError(e.what());
  }
  write_csv(data, cli.output);
  if (!global_options().quiet) {
    std::FILE* info = cli.output == "-" ? stderr : stdout;
    std::fprintf(info, "make-classification (seed %llu): %zu rows x %zu features\n",
                 static_cast<unsigned long long>(o.seed), data.rows(), data.cols());
    print_class_table(info, data.classes(), data.class_counts());
    if (cli.output != "-") std::fprintf(info, "written to %s\n", cli.output.c_str());
  }
}

struct MakeImbalanceCli {
  DataOptions data;
  std::string strategy;
  std::optional<std::uint64_t> seed;
  std::string output;
};

void run_make_imbalance(const MakeImbalanceCli& cli) {
  const bool quiet = global_options().quiet;
  Dataset data = load_data(cli.data, quiet);
  SamplingStrategy strategy;
  try {
    strategy = SamplingStrategy::parse(cli.strategy, data.classes());
  } catch (const InvalidArgument& e) {
    throw UsageError(std::string("--strategy: ") + e.what());
  }
  const std::uint64_t seed = cli.seed ? *cli.seed : random_seed();
  Dataset out = make_imbalance(data, strategy, seed);
  write_csv(out, cli.output);
  if (!quiet) {
    std::FILE* info = cli.output == "-" ? stderr : stdout;
    std::fprintf(info, "make-imbalance (strategy '%s', seed %llu): %zu rows -> %zu rows\n",
                 cli.strategy.c_str(), static_cast<unsigned long long>(seed), data.rows(), out.rows());
    const auto after = out.class_counts();
    print_class_table(info, data.classes(), data.class_counts(), &after);
    if (cli.output != "-") std::fprintf(info, "written to %s\n", cli.output.c_str());
  }
}

}  // namespace

void register_make_classification(CLI::App& app) {
  auto cli = std::make_shared<MakeClassificationCli>();
  auto& o = cli->o;
  auto* cmd = app.add_subcommand("make-classification",
                                 "Generate a classification problem (scikit-learn's make_classification)");
  cmd->add_option("--samples", o.n_samples, "Number of rows")->capture_default_str();
  cmd->add_option("--features", o.n_features, "Number of features")->capture_default_str();
  cmd->add_option("--informative", o.n_informative, "Informative features")->capture_default_str();
  cmd->add_option("--redundant", o.n_redundant, "Linear combinations of informative features")
      ->capture_default_str();
  cmd->add_option("--repeated", o.n_repeated, "Copies of informative/redundant features")
      ->capture_default_str();
  cmd->add_option("--classes", o.n_classes, "Number of classes")->capture_default_str();
  cmd->add_option("--clusters-per-class", o.n_clusters_per_class, "Gaussian clusters per class")
      ->capture_default_str();
  cmd->add_option("--weights", cli->weights,
                  "Class proportions, n_classes or n_classes-1 values (e.g. 0.95,0.05 or 0.99)")
      ->delimiter(',');
  cmd->add_option("--flip-y", o.flip_y, "Fraction of labels replaced at random")->capture_default_str();
  cmd->add_option("--class-sep", o.class_sep, "Hypercube size factor (larger = easier)")
      ->capture_default_str();
  cmd->add_option("--hypercube", cli->hypercube, "Clusters on hypercube vertices (true) or a random polytope")
      ->capture_default_str();
  cmd->add_option("--shift", cli->shift, "Shift added to features, or none for random in [-class_sep, class_sep]")
      ->capture_default_str();
  cmd->add_option("--scale", cli->scale, "Feature scale, or none for random in [1, 101]")->capture_default_str();
  cmd->add_option("--shuffle", cli->shuffle, "Shuffle rows and columns")->capture_default_str();
  cmd->add_option("--seed", cli->seed, "Random seed (default: a fresh one, printed)");
  cmd->add_option("-o,--output", cli->output, "Output CSV file ('-' for stdout)")->required();
  cmd->callback([cli] { run_make_classification(*cli); });
}

void register_make_imbalance(CLI::App& app) {
  auto cli = std::make_shared<MakeImbalanceCli>();
  auto* cmd = app.add_subcommand("make-imbalance",
                                 "Under-sample classes to given counts (imbalanced-learn's make_imbalance)");
  add_data_options(*cmd, cli->data);
  cmd->add_option("-s,--strategy", cli->strategy,
                  "Counts per class, e.g. 'pos:50,neg:1000' (or any under-sampling strategy)")
      ->required();
  cmd->add_option("--seed", cli->seed, "Random seed (default: a fresh one, printed)");
  cmd->add_option("-o,--output", cli->output, "Output CSV file ('-' for stdout)")->required();
  cmd->callback([cli] { run_make_imbalance(*cli); });
}

}  // namespace imbal::cli
