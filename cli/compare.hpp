// imbal compare, shared with imbal demo (which runs it on the embedded dataset).
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "common.hpp"
#include "imbal/dataset.hpp"

namespace imbal::cli {

struct CompareOptions {
  DataOptions data;
  std::string methods;  // empty: the default study
  std::string models;   // empty: the default study; "none": no model entries
  std::string base_model = "logistic-regression";
  std::size_t cv = 5;
  std::optional<std::uint64_t> seed;
  std::string report;  // empty: no HTML report
  bool json = false;
};

/// Registers --methods, --models, --base-model, --cv and --json.
void add_compare_options(CLI::App& command, CompareOptions& options);

/// Runs the study on `data` (null: read options.data.path) and prints the ranked table.
void run_compare(const CompareOptions& options, const Dataset* data);

}  // namespace imbal::cli
