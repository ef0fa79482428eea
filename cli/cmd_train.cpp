// imbal train DATA --model L [pipeline options] -o MODEL.json: fit a pipeline (preprocessing,
// samplers at fit time only, model, calibration, prior correction, decision rule) on a CSV file
// and save it with the training columns as a versioned JSON file for `imbal predict`.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>

#include "common.hpp"
#include "imbal/csv.hpp"
#include "imbal/error.hpp"
#include "imbal/model_registry.hpp"
#include "imbal/random.hpp"
#include "pipeline_options.hpp"
#include "trained_pipeline.hpp"

namespace imbal::cli {

namespace {

struct TrainOptions {
  DataOptions data;
  PipelineOptions pipeline;
  std::string sample_weight_column;
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
  try {
    find_model(opt.pipeline.model);
  } catch (const InvalidArgument& e) {
    throw UsageError(e.what());
  }
  Dataset data = load_data(opt.data, quiet);
  std::vector<double> weights;
  if (!opt.sample_weight_column.empty()) weights = take_weight_column(data, opt.sample_weight_column, opt.data.path);
  PipelineOptions popt = opt.pipeline;
  if (!popt.seed) popt.seed = random_seed();
  const PipelineConfig config = pipeline_config(popt, data);
  if (!quiet && !config.one_hot) {
    for (const auto& c : data.columns()) {
      if (c.categorical()) {
        std::fprintf(stderr, "imbal: warning: column '%s' is categorical: the model sees its level codes 0..%zu\n",
                     c.name.c_str(), c.levels.empty() ? std::size_t{0} : c.levels.size() - 1);
      }
    }
  }
  TrainedPipeline trained;
  trained.pipeline = Pipeline(config);
  const auto start = std::chrono::steady_clock::now();
  trained.pipeline.fit(data, weights);
  const double fit_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto& info = trained.pipeline.fit_info();
  if (!quiet) {
    for (const auto& w : info.warnings) std::fprintf(stderr, "imbal: warning: %s\n", w.c_str());
  }
  trained.columns = data.columns();
  trained.target = data.target_name();
  trained.classes = data.classes();
  trained.sample_weight_column = opt.sample_weight_column;
  write_file_atomically(opt.output, trained.to_json());

  std::FILE* out = opt.output == "-" ? stderr : stdout;
  const auto threshold = trained.pipeline.threshold();
  if (opt.json) {
    nlohmann::json j{{"model", opt.pipeline.model},
                     {"sampler", opt.pipeline.sampler.empty() ? nlohmann::json(nullptr)
                                                              : nlohmann::json(opt.pipeline.sampler)},
                     {"rows", data.rows()},
                     {"features", data.cols()},
                     {"classes", data.classes().names},
                     {"rows_after_sampling", info.rows_after},
                     {"seed", info.seed},
                     {"threshold", threshold ? nlohmann::json(*threshold) : nlohmann::json(nullptr)},
                     {"decision", describe_decision(config)},
                     {"warnings", info.warnings},
                     {"fit_seconds", fit_seconds},
                     {"output", opt.output}};
    std::fprintf(out, "%s\n", j.dump(2).c_str());
    return;
  }
  if (quiet) return;
  std::fprintf(out, "%s fitted on %zu rows x %zu features, %zu classes", opt.pipeline.model.c_str(), data.rows(),
               data.cols(), data.n_classes());
  if (!opt.pipeline.sampler.empty()) std::fprintf(out, " (resampled by %s at fit time)", opt.pipeline.sampler.c_str());
  if (threshold) std::fprintf(out, "; threshold %.6g", *threshold);
  if (opt.output != "-") std::fprintf(out, "; written to %s", opt.output.c_str());
  std::fprintf(out, "\n");
}

}  // namespace

void register_train(CLI::App& app) {
  auto opt = std::make_shared<TrainOptions>();
  auto* cmd = app.add_subcommand("train", "Fit a pipeline (sampler at fit time, model, calibration, threshold) and save it as JSON");
  add_data_options(*cmd, opt->data);
  add_pipeline_options(*cmd, opt->pipeline);
  cmd->add_option("--sample-weight-column", opt->sample_weight_column,
                  "Numeric column holding a weight per row (not used as a feature)");
  cmd->add_option("-o,--output", opt->output, "Output model file (JSON; '-' for stdout)");
  cmd->add_flag("--json", opt->json, "Print the summary as JSON");
  cmd->callback([opt] { run_train(*opt); });
}

}  // namespace imbal::cli
