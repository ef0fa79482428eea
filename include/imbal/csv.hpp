// CSV in and out (RFC 4180: quoted fields, embedded separators and newlines, CRLF, UTF-8 BOM).
#pragma once

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "imbal/dataset.hpp"

namespace imbal {

struct CsvReadOptions {
  char separator = ',';
  /// Target column name; empty: a column named "target", else the last column.
  std::string target;
  /// Columns forced to categorical (overrides inference). Unknown names are an error.
  std::vector<std::string> categorical;
  /// Require at least two classes (every sampler does); false for prediction inputs.
  bool require_two_classes = true;
};

/// Non-fatal observations made while reading (a column inferred as categorical although some
/// cells are numbers, ...). The library never prints: the caller decides.
struct CsvReport {
  std::vector<std::string> warnings;
  std::size_t bytes = 0;
};

/// Reads a CSV file. Numeric columns: every cell parses as a finite number; anything else is
/// categorical. Throws DataError naming file, line and column for malformed input.
Dataset read_csv(const std::string& path, const CsvReadOptions& options = {},
                 CsvReport* report = nullptr);
/// Parses CSV text already in memory; `name` is used in error messages.
Dataset parse_csv(std::string_view text, const std::string& name, const CsvReadOptions& options = {},
                  CsvReport* report = nullptr);

struct CsvWriteOptions {
  char separator = ',';
  /// Write the target column (at its original position).
  bool include_target = true;
};

/// Writes a dataset: same column order and label spellings as it was read; numbers in the
/// shortest representation that round-trips exactly. Writes to a temporary file in the same
/// directory and renames it over `path` on success ("-" writes to stdout).
void write_csv(const Dataset& data, const std::string& path, const CsvWriteOptions& options = {});
void write_csv(const Dataset& data, std::ostream& out, const CsvWriteOptions& options = {});

/// Appends the shortest decimal spelling of `value` that parses back to the same double.
void append_number(std::string& out, double value);
/// Appends `field`, quoted when it contains the separator, a quote, CR or LF.
void append_field(std::string& out, std::string_view field, char separator);

/// Writes `content` to `path` atomically: temporary file in the same directory, then rename.
/// "-" writes to stdout. On failure no file is created or changed; throws RuntimeError.
void write_file_atomically(const std::string& path, std::string_view content);

/// A file written in pieces and published atomically: the bytes go to a temporary file in the
/// target's directory, `commit()` renames it over the target. Destroyed without commit (an
/// error while producing the content), the temporary file is removed and the target is left
/// as it was. Throws RuntimeError on I/O failure.
class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(std::string path);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
  void write(std::string_view bytes);
  void commit();

 private:
  void discard() noexcept;
  std::string path_;
  std::string temp_;
  int fd_ = -1;
};

}  // namespace imbal
