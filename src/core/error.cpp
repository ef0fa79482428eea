#include "imbal/error.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace imbal {

namespace {
std::string located_message(const std::string& file, std::size_t line, std::size_t column,
                            const std::string& what) {
  std::string out = file.empty() ? std::string("<input>") : file;
  if (line > 0) {
    out.append(", line ").append(std::to_string(line));
    if (column > 0) out.append(", column ").append(std::to_string(column));
  }
  out.append(": ").append(what);
  return out;
}
}  // namespace

DataError::DataError(std::string file, std::size_t line, std::size_t column, const std::string& what)
    : std::invalid_argument(located_message(file, line, column, what)),
      file_(std::move(file)),
      line_(line),
      column_(column) {}

void assertion_failed(const char* expr, const char* file, int line) {
  std::fprintf(stderr, "imbal: internal error: assertion '%s' failed at %s:%d\n", expr, file, line);
  std::abort();
}

}  // namespace imbal
