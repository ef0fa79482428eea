// imbal split: stratified splits of a data file as JSON (per split: class counts of train and
// test, and with --indices the row indices). Mirrors scikit-learn's StratifiedKFold,
// RepeatedStratifiedKFold, StratifiedShuffleSplit and train_test_split(stratify=y)
// (docs/splitting.md); used by the parity tests. --train-out / --test-out write the train and test
// rows of a single split as CSV files (same columns as the input, rows in file order).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "common.hpp"
#include "imbal/csv.hpp"
#include "imbal/error.hpp"
#include "imbal/matrix.hpp"
#include "imbal/model_selection.hpp"

namespace imbal::cli {

namespace {

namespace ms = imbal::model_selection;

struct SplitOptions {
  DataOptions data;
  std::string kind = "stratified-kfold";
  std::size_t n_splits = 5;
  std::size_t n_repeats = 10;
  bool shuffle = false;
  std::optional<std::uint64_t> seed;
  std::string test_size;
  std::string train_size;
  bool indices = false;
  std::string train_out;
  std::string test_out;
};

// The rows `rows` of `data` (in file order) as CSV text with the input's columns.
std::string rows_csv(const Dataset& data, std::vector<std::size_t> rows, char separator) {
  std::sort(rows.begin(), rows.end());
  std::vector<std::int32_t> y;
  y.reserve(rows.size());
  for (auto r : rows) y.push_back(data.y()[r]);
  const Dataset part = data.with_rows(gather_rows(data.X(), rows), std::move(y));
  std::ostringstream out;
  CsvWriteOptions o;
  o.separator = separator;
  write_csv(part, out, o);
  return out.str();
}

ms::SplitSize size_of(const std::string& text, const char* option) {
  if (text.empty()) return {};
  try {
    std::size_t used = 0;
    if (text.find_first_of(".eE") != std::string::npos) {
      const double v = std::stod(text, &used);
      if (used == text.size()) return ms::SplitSize::fraction(v);
    } else {
      const long long v = std::stoll(text, &used);
      if (used == text.size() && v >= 0) return ms::SplitSize::count(static_cast<std::size_t>(v));
    }
  } catch (const std::exception&) {
  }
  throw UsageError(std::string(option) + ": expected a fraction like 0.25 or a row count, got '" + text + "'");
}

void check_outputs(const SplitOptions& opt) {
  if (opt.train_out.empty() && opt.test_out.empty()) return;
  const bool single = opt.kind == "train-test-split" || (opt.kind == "stratified-shuffle-split" && opt.n_splits == 1);
  if (!single)
    throw UsageError("--train-out / --test-out: need a single train/test split (--kind train-test-split, or "
                     "stratified-shuffle-split with --n-splits 1), got --kind " + opt.kind);
  for (const auto* p : {&opt.train_out, &opt.test_out})
    if (*p == "-") throw UsageError("--train-out / --test-out: give a file name ('-' is not accepted: the JSON goes "
                                    "to stdout)");
  if (!opt.train_out.empty() && opt.train_out == opt.test_out)
    throw UsageError("--train-out and --test-out name the same file '" + opt.train_out + "'");
  if (!opt.train_out.empty() && opt.train_out == opt.data.path)
    throw UsageError("--train-out would overwrite the input file '" + opt.data.path + "'");
  if (!opt.test_out.empty() && opt.test_out == opt.data.path)
    throw UsageError("--test-out would overwrite the input file '" + opt.data.path + "'");
}

// Both files go to temporary files first and are renamed only when both were written: on an
// error neither output is created or changed.
void write_outputs(const SplitOptions& opt, const Dataset& data, const ms::Split& split) {
  if (opt.train_out.empty() && opt.test_out.empty()) return;
  const char sep = separator_char(opt.data.separator);
  std::optional<AtomicFileWriter> train, test;
  if (!opt.train_out.empty()) {
    train.emplace(opt.train_out);
    train->write(rows_csv(data, split.train, sep));
  }
  if (!opt.test_out.empty()) {
    test.emplace(opt.test_out);
    test->write(rows_csv(data, split.test, sep));
  }
  if (train) train->commit();
  if (test) test->commit();
}

void run_split(const SplitOptions& opt) {
  check_outputs(opt);
  const Dataset data = load_data(opt.data, global_options().quiet, false);
  const auto y = data.y();
  const std::size_t k = data.n_classes();
  std::vector<ms::Split> splits;
  std::vector<std::string> warnings;
  if (opt.kind == "stratified-kfold") {
    splits = ms::StratifiedKFold(opt.n_splits, opt.shuffle, opt.seed).split(y, &warnings);
  } else if (opt.kind == "repeated-stratified-kfold") {
    splits = ms::RepeatedStratifiedKFold(opt.n_splits, opt.n_repeats, opt.seed).split(y, &warnings);
  } else if (opt.kind == "stratified-shuffle-split") {
    splits = ms::StratifiedShuffleSplit(opt.n_splits, size_of(opt.test_size, "--test-size"),
                                        size_of(opt.train_size, "--train-size"), opt.seed)
                 .split(y);
  } else if (opt.kind == "train-test-split") {
    splits = {ms::train_test_split(y.size(), size_of(opt.test_size, "--test-size"),
                                   size_of(opt.train_size, "--train-size"), opt.seed, true, y)};
  } else {
    throw UsageError("--kind: expected stratified-kfold, repeated-stratified-kfold, stratified-shuffle-split or "
                     "train-test-split, got '" + opt.kind + "'");
  }
  nlohmann::json out;
  out["classes"] = data.classes().names;
  out["warnings"] = warnings;
  auto& arr = out["splits"] = nlohmann::json::array();
  for (const auto& s : splits) {
    std::vector<std::size_t> train_counts(k, 0), test_counts(k, 0);
    for (auto i : s.train) ++train_counts[static_cast<std::size_t>(y[i])];
    for (auto i : s.test) ++test_counts[static_cast<std::size_t>(y[i])];
    nlohmann::json e{{"train_counts", train_counts}, {"test_counts", test_counts}};
    if (opt.indices) {
      e["train"] = s.train;
      e["test"] = s.test;
    }
    arr.push_back(e);
  }
  write_outputs(opt, data, splits.front());
  std::printf("%s\n", out.dump().c_str());
}

}  // namespace

void register_split(CLI::App& app) {
  auto opt = std::make_shared<SplitOptions>();
  auto* cmd = app.add_subcommand("split", "Stratified splits of a data file as JSON (docs/splitting.md)");
  add_data_options(*cmd, opt->data);
  cmd->add_option("--kind", opt->kind,
                  "stratified-kfold, repeated-stratified-kfold, stratified-shuffle-split or train-test-split")
      ->capture_default_str();
  cmd->add_option("--n-splits", opt->n_splits, "Number of folds / splits")->capture_default_str();
  cmd->add_option("--n-repeats", opt->n_repeats, "Repetitions (repeated-stratified-kfold)")->capture_default_str();
  cmd->add_flag("--shuffle", opt->shuffle, "Shuffle each class before assigning folds (stratified-kfold)");
  cmd->add_option("--seed", opt->seed, "random_state");
  cmd->add_option("--test-size", opt->test_size, "Fraction (0.25) or number of test rows");
  cmd->add_option("--train-size", opt->train_size, "Fraction or number of train rows");
  cmd->add_flag("--indices", opt->indices, "Also print the row indices of every split");
  cmd->add_option("--train-out", opt->train_out,
                  "Write the train rows as CSV (input's columns, file order; single train/test split only)");
  cmd->add_option("--test-out", opt->test_out,
                  "Write the test rows as CSV (input's columns, file order; single train/test split only)");
  cmd->callback([opt] { run_split(*opt); });
}

}  // namespace imbal::cli
