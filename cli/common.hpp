// Shared pieces of the imbal command-line tool: options every command takes, loading data,
// printing class tables, progress on stderr, and the mapping of errors to exit codes.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "imbal/csv.hpp"
#include "imbal/dataset.hpp"
#include "imbal/strategy.hpp"

namespace imbal::cli {

/// A usage error found after CLI11 parsing (bad parameter value, unknown method): exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Options for reading a data file.
struct DataOptions {
  std::string path;
  std::string target;
  std::vector<std::string> categorical;
  std::string separator = ",";
};

/// Registers DATA, --target, --categorical and --sep on `command`.
void add_data_options(CLI::App& command, DataOptions& options, bool data_required = true);
/// Reads the data file, reporting warnings on stderr (unless quiet).
Dataset load_data(const DataOptions& options, bool quiet, bool require_two_classes = true);
/// The separator character of `--sep` (",", ";", "\t" or "tab").
char separator_char(const std::string& text);

struct GlobalOptions {
  bool quiet = false;
  int jobs = 0;
};
GlobalOptions& global_options();

/// Prints a per-class table (count, share, bar) of `counts` to `out`.
void print_class_table(std::FILE* out, const ClassLabels& classes,
                       const std::vector<std::size_t>& counts,
                       const std::vector<std::size_t>* after = nullptr);
/// Imbalance ratio: largest class count / smallest non-empty class count.
double imbalance_ratio(const std::vector<std::size_t>& counts);

/// Progress on stderr, drawn only when stderr is a terminal and --quiet is off.
class Progress {
 public:
  Progress(std::string label, std::size_t total);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  void update(std::size_t done);
  void step(const std::string& phase);
  void finish();

 private:
  void draw();
  std::string label_;
  std::string phase_;
  std::size_t total_;
  std::size_t done_ = 0;
  bool enabled_;
  bool finished_ = false;
  double start_;
};

/// The command registry of the CLI: each command file defines one `register_*` function.
void register_inspect(CLI::App& app);
void register_resample(CLI::App& app);
void register_make_classification(CLI::App& app);
void register_make_imbalance(CLI::App& app);
void register_list(CLI::App& app);
void register_demo(CLI::App& app);
void register_train(CLI::App& app);
void register_predict(CLI::App& app);
void register_metrics(CLI::App& app);
void register_split(CLI::App& app);
void register_evaluate(CLI::App& app);
void register_compare(CLI::App& app);

/// The embedded default dataset (UCI Ecoli as served by imbalanced-learn, imU vs rest).
std::string_view demo_data_csv();
inline constexpr const char* kDemoDataName = "ecoli (embedded: imbalanced-learn's ecoli, imU vs rest)";

}  // namespace imbal::cli
