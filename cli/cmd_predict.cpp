// imbal predict MODEL.json DATA -o PRED.csv: apply a pipeline written by `imbal train` to a CSV
// file (preprocessing, model, calibration, prior correction, decision rule; never a sampler).
// The output has the predicted label and one probability column per class, one row per
// input row, in input order. The target column of DATA is optional (ignored when present).
#include <cstdio>
#include <fstream>
#include <sstream>

#include "common.hpp"
#include "imbal/csv.hpp"
#include "imbal/error.hpp"
#include "trained_pipeline.hpp"

namespace imbal::cli {

namespace {

struct PredictOptions {
  std::string model_path;
  DataOptions data;
  std::string output;
};

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RuntimeError("cannot read model file " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void run_predict(const PredictOptions& opt) {
  const bool quiet = global_options().quiet;
  if (opt.output.empty()) throw UsageError("predict needs an output file: -o PRED.csv (or -o - for stdout)");
  const TrainedPipeline pipeline =
      TrainedPipeline::from_json(read_text(opt.model_path), opt.model_path, global_options().jobs);

  // The target column is optional: read with the trained target name, else without one (the
  // reader then holds the last column as the target: features_of takes it back as a feature).
  DataOptions data_options = opt.data;
  if (data_options.target.empty()) data_options.target = pipeline.target;
  bool target_is_feature = false;
  Dataset data;
  try {
    data = load_data(data_options, quiet, false);
  } catch (const DataError& e) {
    if (!opt.data.target.empty() || std::string(e.what()).find("no target column") == std::string::npos) throw;
    data_options.target.clear();
    data = load_data(data_options, quiet, false);
    target_is_feature = true;
  }
  const Matrix X = pipeline.features_of(data, target_is_feature, opt.data.path);
  const Matrix proba = pipeline.pipeline.predict_proba(X);
  const auto predicted = pipeline.pipeline.decide(proba);

  const auto& names = pipeline.classes.names;
  std::string out = "prediction";
  for (const auto& n : names) {
    out += ',';
    append_field(out, "proba_" + n, ',');
  }
  out += '\n';
  for (std::size_t i = 0; i < X.rows(); ++i) {
    append_field(out, names[static_cast<std::size_t>(predicted[i])], ',');
    for (std::size_t c = 0; c < names.size(); ++c) {
      out += ',';
      append_number(out, proba(i, c));
    }
    out += '\n';
  }
  write_file_atomically(opt.output, out);
  if (!quiet && opt.output != "-") {
    std::printf("%s: %zu rows predicted with %s; written to %s\n", opt.data.path.c_str(), X.rows(),
                pipeline.pipeline.config().model.c_str(), opt.output.c_str());
  }
}

}  // namespace

void register_predict(CLI::App& app) {
  auto opt = std::make_shared<PredictOptions>();
  auto* cmd = app.add_subcommand("predict", "Apply a model saved by `imbal train` to a CSV file");
  cmd->add_option("MODEL", opt->model_path, "Model file written by imbal train")->required();
  add_data_options(*cmd, opt->data);
  cmd->add_option("-o,--output", opt->output,
                  "Output CSV: prediction, then proba_<class> per class ('-' for stdout)");
  cmd->callback([opt] { run_predict(*opt); });
}

}  // namespace imbal::cli
