// imbal train DATA --model L [--param name=value ...] -o MODEL.json: fit a model on a CSV file
// and save it (with the training columns) as a versioned JSON file for `imbal predict`.
// Structured as the first stage of the pipeline command of issue 7: read, (resample), fit,
// write; samplers and thresholds become further steps of TrainedPipeline.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>

#include "common.hpp"
#include "imbal/csv.hpp"
#include "imbal/error.hpp"
#include "imbal/model_registry.hpp"
#include "imbal/random.hpp"
#include "trained_pipeline.hpp"

namespace imbal::cli {

namespace {

struct TrainOptions {
  DataOptions data;
  std::string model;
  std::vector<std::string> params;
  std::string class_weight;
  std::string sample_weight_column;
  std::optional<std::uint64_t> seed;
  std::string output;
  bool json = false;
};

/// Removes column `name` from `data`'s features and returns its values (numeric only).
std::vector<double> take_weight_column(Dataset& data, const std::string& name, const std::string& path) {
  std::size_t found = data.cols();
  for (std::size_t k = 0; k < data.cols(); ++k) {
    if (data.columns()[k].name == name) found = k;
  }
  if (found == data.cols()) {
    std::string known;
    for (const auto& c : data.columns()) known += (known.empty() ? "" : ", ") + c.name;
    throw UsageError("--sample-weight-column: no feature column '" + name + "' in " + path + "; the columns are: " +
                     known);
  }
  if (data.columns()[found].categorical()) {
    throw DataError(path, 0, found + 1, "sample weight column '" + name + "' must be numeric");
  }
  std::vector<double> weights(data.rows());
  Matrix X(data.rows(), data.cols() - 1);
  for (std::size_t i = 0; i < data.rows(); ++i) {
    const double* row = data.X().row(i);
    weights[i] = row[found];
    double* out = X.row(i);
    for (std::size_t k = 0, o = 0; k < data.cols(); ++k) {
      if (k != found) out[o++] = row[k];
    }
  }
  std::vector<Column> columns = data.columns();
  columns.erase(columns.begin() + static_cast<std::ptrdiff_t>(found));
  std::vector<std::int32_t> y(data.y().begin(), data.y().end());
  data = Dataset(std::move(X), std::move(y), std::move(columns), data.classes(), data.target_name());
  return weights;
}

void run_train(const TrainOptions& opt) {
  const bool quiet = global_options().quiet;
  if (opt.output.empty()) throw UsageError("train needs an output file: -o MODEL.json");
  std::unique_ptr<Model> model;
  try {
    ModelOptions options;
    options.n_jobs = global_options().jobs;
    options.random_state = opt.seed ? *opt.seed : random_seed();
    std::vector<std::string> params = opt.params;
    if (!opt.class_weight.empty()) {
      if (find_model(opt.model).schema().find("class_weight") == nullptr) {
        throw InvalidArgument("--class-weight: model '" + opt.model + "' takes no class weights");
      }
      params.push_back("class_weight=" + opt.class_weight);
    }
    model = make_model(opt.model, params, options);
  } catch (const InvalidArgument& e) {
    throw UsageError(e.what());
  }
  Dataset data = load_data(opt.data, quiet);
  std::vector<double> weights;
  if (!opt.sample_weight_column.empty()) weights = take_weight_column(data, opt.sample_weight_column, opt.data.path);
  if (!quiet) {
    for (const auto& c : data.columns()) {
      if (c.categorical()) {
        std::fprintf(stderr,
                     "imbal: warning: column '%s' is categorical: the model sees its level codes 0..%zu "
                     "(one-hot encoding comes with pipelines)\n",
                     c.name.c_str(), c.levels.empty() ? std::size_t{0} : c.levels.size() - 1);
      }
    }
  }
  const auto start = std::chrono::steady_clock::now();
  model->fit(data, weights);
  const double fit_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const auto& w : model->warnings()) std::fprintf(stderr, "imbal: warning: %s\n", w.c_str());

  TrainedPipeline pipeline;
  pipeline.columns = data.columns();
  pipeline.target = data.target_name();
  pipeline.classes = data.classes();
  pipeline.sample_weight_column = opt.sample_weight_column;
  pipeline.model = std::move(model);
  write_file_atomically(opt.output, pipeline.to_json());

  std::FILE* info = opt.output == "-" ? stderr : stdout;
  if (opt.json) {
    nlohmann::json j{{"model", opt.model},
                     {"rows", data.rows()},
                     {"features", data.cols()},
                     {"classes", data.classes().names},
                     {"seed", pipeline.model->last_seed()},
                     {"warnings", pipeline.model->warnings()},
                     {"fit_seconds", fit_seconds},
                     {"output", opt.output}};
    std::fprintf(info, "%s\n", j.dump(2).c_str());
    return;
  }
  if (quiet) return;
  std::fprintf(info, "%s fitted on %zu rows x %zu features, %zu classes", opt.model.c_str(), data.rows(), data.cols(),
               data.n_classes());
  if (opt.output != "-") std::fprintf(info, "; written to %s", opt.output.c_str());
  std::fprintf(info, "\n");
}

}  // namespace

void register_train(CLI::App& app) {
  auto opt = std::make_shared<TrainOptions>();
  auto* cmd = app.add_subcommand("train", "Fit a model on a CSV file and save it as JSON (see `imbal list`)");
  add_data_options(*cmd, opt->data);
  cmd->add_option("-m,--model", opt->model, "Model id (imbal list), e.g. logistic-regression")->required();
  cmd->add_option("-p,--param", opt->params, "Model parameter name=value (repeatable)");
  cmd->add_option("--class-weight", opt->class_weight,
                  "Class weights: none, balanced or per-class 'class:weight,...' (the class_weight parameter)");
  cmd->add_option("--sample-weight-column", opt->sample_weight_column,
                  "Numeric column holding a weight per row (not used as a feature)");
  cmd->add_option("--seed", opt->seed, "Random seed of randomised models (default: a fresh one)");
  cmd->add_option("-o,--output", opt->output, "Output model file (JSON; '-' for stdout)");
  cmd->add_flag("--json", opt->json, "Print the summary as JSON");
  cmd->callback([opt] { run_train(*opt); });
}

}  // namespace imbal::cli
