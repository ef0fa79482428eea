#include "common.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace imbal::cli {

namespace {
double now_seconds() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}
}  // namespace

GlobalOptions& global_options() {
  static GlobalOptions options;
  return options;
}

char separator_char(const std::string& text) {
  if (text == "\\t" || text == "tab" || text == "\t") return '\t';
  if (text.size() != 1 || text == "\"" || text == "\n" || text == "\r") {
    throw UsageError("--sep: expected one character such as ',' ';' or 'tab', got '" + text + "'");
  }
  return text[0];
}

void add_data_options(CLI::App& command, DataOptions& options, bool data_required) {
  auto* data = command.add_option("DATA", options.path, "Input CSV file (header required)");
  if (data_required) data->required();
  command.add_option("--target", options.target,
                     "Target column (default: a column named 'target', else the last column)");
  command.add_option("--categorical", options.categorical,
                     "Columns to treat as categorical, overriding inference (comma-separated)")
      ->delimiter(',');
  command.add_option("--sep", options.separator, "Field separator: one character, or 'tab'")
      ->capture_default_str();
}

Dataset load_data(const DataOptions& options, bool quiet, bool require_two_classes) {
  CsvReadOptions read;
  read.separator = separator_char(options.separator);
  read.target = options.target;
  read.categorical = options.categorical;
  read.require_two_classes = require_two_classes;
  CsvReport report;
  Dataset data = read_csv(options.path, read, &report);
  if (!quiet) {
    for (const auto& w : report.warnings) std::fprintf(stderr, "imbal: warning: %s\n", w.c_str());
  }
  return data;
}

double imbalance_ratio(const std::vector<std::size_t>& counts) {
  std::size_t lo = 0;
  std::size_t hi = 0;
  for (const auto c : counts) {
    if (c == 0) continue;
    hi = std::max(hi, c);
    lo = lo == 0 ? c : std::min(lo, c);
  }
  return lo == 0 ? 0.0 : static_cast<double>(hi) / static_cast<double>(lo);
}

void print_class_table(std::FILE* out, const ClassLabels& classes,
                       const std::vector<std::size_t>& counts,
                       const std::vector<std::size_t>* after) {
  std::size_t width = 5;
  for (const auto& n : classes.names) width = std::max(width, n.size());
  width = std::min<std::size_t>(width, 30);
  std::size_t total = 0;
  std::size_t total_after = 0;
  std::size_t largest = 1;
  for (std::size_t c = 0; c < counts.size(); ++c) {
    total += counts[c];
    largest = std::max(largest, counts[c]);
    if (after != nullptr) {
      total_after += (*after)[c];
      largest = std::max(largest, (*after)[c]);
    }
  }
  const int w = static_cast<int>(width);
  if (after == nullptr) {
    std::fprintf(out, "  %-*s %10s %8s\n", w, "class", "count", "share");
  } else {
    std::fprintf(out, "  %-*s %10s %8s %10s %8s\n", w, "class", "before", "share", "after", "share");
  }
  constexpr int kBar = 30;
  for (std::size_t c = 0; c < counts.size(); ++c) {
    const std::string name = classes.names[c].substr(0, width);
    const double share = total ? 100.0 * static_cast<double>(counts[c]) / static_cast<double>(total) : 0.0;
    const std::size_t shown = after != nullptr ? (*after)[c] : counts[c];
    const int bar = static_cast<int>(std::lround(kBar * static_cast<double>(shown) / static_cast<double>(largest)));
    const std::string bar_text = std::string(static_cast<std::size_t>(bar), '#');
    if (after == nullptr) {
      std::fprintf(out, "  %-*s %10zu %7.2f%% %s\n", w, name.c_str(), counts[c], share, bar_text.c_str());
    } else {
      const double share_after =
          total_after ? 100.0 * static_cast<double>((*after)[c]) / static_cast<double>(total_after) : 0.0;
      std::fprintf(out, "  %-*s %10zu %7.2f%% %10zu %7.2f%% %s\n", w, name.c_str(), counts[c], share,
                   (*after)[c], share_after, bar_text.c_str());
    }
  }
  if (after == nullptr) {
    std::fprintf(out, "  %-*s %10zu\n", w, "total", total);
  } else {
    std::fprintf(out, "  %-*s %10zu %8s %10zu\n", w, "total", total, "", total_after);
  }
}

Progress::Progress(std::string label, std::size_t total)
    : label_(std::move(label)),
      total_(total),
      enabled_(::isatty(STDERR_FILENO) == 1 && !global_options().quiet),
      start_(now_seconds()) {
  draw();
}

Progress::~Progress() { finish(); }

void Progress::update(std::size_t done) {
  done_ = std::min(done, total_);
  draw();
}

void Progress::step(const std::string& phase) {
  phase_ = phase;
  draw();
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  if (enabled_) std::fprintf(stderr, "\r\033[K");
}

void Progress::draw() {
  if (!enabled_ || finished_) return;
  const double elapsed = now_seconds() - start_;
  constexpr int kWidth = 24;
  const double fraction = total_ ? static_cast<double>(done_) / static_cast<double>(total_) : 0.0;
  const int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '=');
  bar.resize(kWidth, ' ');
  std::string eta = "--";
  if (done_ > 0 && fraction < 1.0) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.0fs", elapsed / fraction * (1.0 - fraction));
    eta = buffer;
  }
  std::fprintf(stderr, "\r\033[K%s [%s] %3.0f%% %s  eta %s", label_.c_str(), bar.c_str(),
               100.0 * fraction, phase_.c_str(), eta.c_str());
  std::fflush(stderr);
}

}  // namespace imbal::cli
