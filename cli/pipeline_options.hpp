// The pipeline options shared by `imbal train` and `imbal evaluate`: model, class weights,
// sampler, preprocessing, calibration, prior correction and the decision rule, turned into an
// imbal::PipelineConfig (include/imbal/pipeline.hpp).
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "imbal/dataset.hpp"
#include "imbal/pipeline.hpp"

namespace imbal::cli {

struct PipelineOptions {
  std::string model;
  std::vector<std::string> params;
  std::string class_weight;
  std::string sampler;
  std::vector<std::string> sampler_params;
  std::string strategy;
  std::string scale = "none";
  bool no_one_hot = false;
  std::string calibrate = "none";
  std::size_t calibration_cv = 5;
  bool prior_correction = false;
  std::string threshold;
  double beta = 1.0;
  std::string cost;
  std::size_t threshold_cv = 5;
  std::optional<std::uint64_t> seed;
};

/// Registers --model, --param, --class-weight, --sampler, --sampler-param, --strategy, --scale,
/// --no-one-hot, --calibrate, --calibration-cv, --prior-correction, --threshold, --beta, --cost,
/// --threshold-cv and --seed on `command`.
void add_pipeline_options(CLI::App& command, PipelineOptions& options);

/// The configuration for `data` (its classes resolve strategies and costs); bad values throw
/// UsageError naming the option.
PipelineConfig pipeline_config(const PipelineOptions& options, const Dataset& data);

/// One line describing the decision rule ("argmax", "threshold 0.3", "threshold tuned for f1").
std::string describe_decision(const PipelineConfig& config);

}  // namespace imbal::cli
