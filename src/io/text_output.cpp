// Number and field formatting, and atomic file replacement, shared by every writer.
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "imbal/csv.hpp"
#include "imbal/error.hpp"

namespace imbal {

void append_number(std::string& out, double value) {
  std::array<char, 32> buffer{};
  // std::to_chars without a precision gives the shortest spelling that round-trips exactly.
  const auto [ptr, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  IMBAL_ASSERT(ec == std::errc());
  if (value == 0.0 && std::signbit(value)) {  // "-0" would read back as 0 in some tools
    out += "-0";
    return;
  }
  out.append(buffer.data(), ptr);
}

void append_field(std::string& out, std::string_view field, char separator) {
  const bool needs_quotes = field.find_first_of(std::string{separator, '"', '\r', '\n'}) !=
                                std::string_view::npos ||
                            (!field.empty() && (field.front() == ' ' || field.back() == ' '));
  if (!needs_quotes) {
    out += field;
    return;
  }
  out += '"';
  for (const char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void write_file_atomically(const std::string& path, std::string_view content) {
  if (path == "-") {
    std::cout.write(content.data(), static_cast<std::streamsize>(content.size()));
    std::cout.flush();
    if (!std::cout) throw RuntimeError("cannot write to standard output");
    return;
  }
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  if (base.empty()) throw RuntimeError("cannot write '" + path + "': it names a directory");
  std::string temp = (slash == std::string::npos ? std::string() : dir) + "." + base + ".tmp.XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    throw RuntimeError("cannot create a file in '" + dir + "' to write '" + path +
                       "': " + std::strerror(errno));
  }
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      ::unlink(temp.c_str());
      throw RuntimeError("cannot write '" + path + "': " + std::strerror(err));
    }
    written += static_cast<std::size_t>(n);
  }
  // mkstemp creates 0600; give the file the usual permissions (subject to the umask).
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, static_cast<mode_t>(0666 & ~mask));
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    throw RuntimeError("cannot write '" + path + "': " + std::strerror(err));
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    throw RuntimeError("cannot write '" + path + "': " + std::strerror(err));
  }
}

}  // namespace imbal
