// CSV writer: header, then one line per row in the column order of the source (the target put back
// at its original position), numbers in their shortest round-trip spelling, categorical levels
// and labels as they were read, quoted when needed; '\n' line ends.
#include <cmath>
#include <cstdint>
#include <iostream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "imbal/csv.hpp"
#include "imbal/error.hpp"

namespace imbal {

namespace {

constexpr std::size_t kChunkBytes = std::size_t{1} << 20;

class Writer {
 public:
  Writer(const Dataset& data, const CsvWriteOptions& options) : data_(data), sep_(options.separator) {
    if (sep_ == '"' || sep_ == '\n' || sep_ == '\r' || sep_ == '\0') {
      throw InvalidArgument("CSV separator '" + std::string(1, sep_) +
                            "' is not allowed (use a character such as ',', ';' or tab)");
    }
    // A separator that can occur inside a number forces numbers to be quoted.
    quote_numbers_ = std::string_view("0123456789.+-einfa").find(sep_) != std::string_view::npos;
    const std::size_t n = data.cols();
    const std::size_t target = std::min(data.target_position(), n);
    for (std::size_t k = 0; k <= n; ++k) {
      if (k == target && options.include_target) order_.push_back(kTarget);
      if (k < n) order_.push_back(static_cast<std::ptrdiff_t>(k));
    }
  }

  void header(std::string& out) const {
    bool first = true;
    for (const auto k : order_) {
      if (!first) out += sep_;
      first = false;
      append_field(out, k == kTarget ? data_.target_name() : data_.columns()[static_cast<std::size_t>(k)].name,
                   sep_);
    }
    out += '\n';
  }

  void row(std::string& out, std::size_t i) const {
    const double* x = data_.X().row(i);
    bool first = true;
    for (const auto k : order_) {
      if (!first) out += sep_;
      first = false;
      if (k == kTarget) {
        append_field(out, label(i), sep_);
        continue;
      }
      const auto j = static_cast<std::size_t>(k);
      const Column& column = data_.columns()[j];
      if (column.categorical()) {
        append_field(out, level(column, x[j]), sep_);
      } else if (quote_numbers_) {
        number_.clear();
        append_number(number_, x[j]);
        append_field(out, number_, sep_);
      } else {
        append_number(out, x[j]);
      }
    }
    out += '\n';
  }

  std::size_t rows() const { return data_.rows(); }

 private:
  static constexpr std::ptrdiff_t kTarget = -1;

  const std::string& label(std::size_t i) const {
    const std::int32_t code = data_.y()[i];
    if (code < 0 || static_cast<std::size_t>(code) >= data_.classes().size()) {
      throw InvalidArgument("row " + std::to_string(i) + ": label code " + std::to_string(code) +
                            " is not one of the " + std::to_string(data_.classes().size()) + " classes");
    }
    return data_.classes().names[static_cast<std::size_t>(code)];
  }

  static const std::string& level(const Column& column, double code) {
    if (!(code >= 0.0) || code >= static_cast<double>(column.levels.size()) || code != std::floor(code)) {
      std::string value;
      append_number(value, code);
      throw InvalidArgument("column '" + column.name + "': value " + value +
                            " is not a level code (0.." + std::to_string(column.levels.size()) +
                            "-1 expected)");
    }
    return column.levels[static_cast<std::size_t>(code)];
  }

  const Dataset& data_;
  char sep_;
  bool quote_numbers_ = false;
  std::vector<std::ptrdiff_t> order_;  // feature index, or kTarget
  mutable std::string number_;
};

}  // namespace

void write_csv(const Dataset& data, const std::string& path, const CsvWriteOptions& options) {
  if (path == "-") {
    write_csv(data, std::cout, options);
    std::cout.flush();
    if (!std::cout) throw RuntimeError("cannot write to standard output");
    return;
  }
  // Streamed in chunks to a temporary file, renamed on success: memory stays one chunk, and an
  // error (bad level code, full disk) leaves no trace.
  AtomicFileWriter file(path);
  const Writer writer(data, options);
  std::string chunk;
  chunk.reserve(kChunkBytes + 4096);
  writer.header(chunk);
  for (std::size_t i = 0; i < writer.rows(); ++i) {
    writer.row(chunk, i);
    if (chunk.size() >= kChunkBytes) {
      file.write(chunk);
      chunk.clear();
    }
  }
  file.write(chunk);
  file.commit();
}

void write_csv(const Dataset& data, std::ostream& out, const CsvWriteOptions& options) {
  const Writer writer(data, options);
  std::string chunk;
  chunk.reserve(kChunkBytes + 4096);
  const auto flush = [&]() {
    out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    if (!out) throw RuntimeError("cannot write the CSV output: the stream failed");
    chunk.clear();
  };
  writer.header(chunk);
  for (std::size_t i = 0; i < writer.rows(); ++i) {
    writer.row(chunk, i);
    if (chunk.size() >= kChunkBytes) flush();
  }
  flush();
}

}  // namespace imbal
