// Error channels: user errors are exceptions derived from std::invalid_argument or
// std::runtime_error (pybind11 maps them to ValueError / RuntimeError); internal invariants
// use IMBAL_ASSERT. The library never prints and never exits.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace imbal {

/// A bad parameter, strategy or argument given by the caller.
class InvalidArgument : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Malformed input data. Carries the location (file, 1-based line and column; 0 = unknown).
class DataError : public std::invalid_argument {
 public:
  DataError(std::string file, std::size_t line, std::size_t column, const std::string& what);
  const std::string& file() const noexcept { return file_; }
  std::size_t line() const noexcept { return line_; }
  std::size_t column() const noexcept { return column_; }

 private:
  std::string file_;
  std::size_t line_;
  std::size_t column_;
};

/// A failure of the environment (I/O, out of disk) rather than of the input.
class RuntimeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[noreturn]] void assertion_failed(const char* expr, const char* file, int line);

}  // namespace imbal

#define IMBAL_ASSERT(expr) \
  ((expr) ? static_cast<void>(0) : ::imbal::assertion_failed(#expr, __FILE__, __LINE__))
