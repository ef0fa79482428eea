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

AtomicFileWriter::AtomicFileWriter(std::string path) : path_(std::move(path)) {
  const auto slash = path_.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path_.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? path_ : path_.substr(slash + 1);
  if (base.empty()) throw RuntimeError("cannot write '" + path_ + "': it names a directory");
  temp_ = (slash == std::string::npos ? std::string() : dir) + "." + base + ".tmp.XXXXXX";
  fd_ = ::mkstemp(temp_.data());
  if (fd_ < 0) {
    throw RuntimeError("cannot create a file in '" + dir + "' to write '" + path_ +
                       "': " + std::strerror(errno));
  }
}

AtomicFileWriter::~AtomicFileWriter() { discard(); }

void AtomicFileWriter::discard() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(temp_.c_str());
    fd_ = -1;
  }
}

void AtomicFileWriter::write(std::string_view bytes) {
  IMBAL_ASSERT(fd_ >= 0);
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd_, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      discard();
      throw RuntimeError("cannot write '" + path_ + "': " + std::strerror(err));
    }
    written += static_cast<std::size_t>(n);
  }
}

void AtomicFileWriter::commit() {
  IMBAL_ASSERT(fd_ >= 0);
  // mkstemp creates 0600; give the file the usual permissions (subject to the umask).
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd_, static_cast<mode_t>(0666 & ~mask));
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(temp_.c_str());
    throw RuntimeError("cannot write '" + path_ + "': " + std::strerror(err));
  }
  if (std::rename(temp_.c_str(), path_.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp_.c_str());
    throw RuntimeError("cannot write '" + path_ + "': " + std::strerror(err));
  }
}

void write_file_atomically(const std::string& path, std::string_view content) {
  if (path == "-") {
    std::cout.write(content.data(), static_cast<std::streamsize>(content.size()));
    std::cout.flush();
    if (!std::cout) throw RuntimeError("cannot write to standard output");
    return;
  }
  AtomicFileWriter file(path);
  file.write(content);
  file.commit();
}

}  // namespace imbal
