// CSV reader: RFC 4180 (quoted fields, "" escapes, separators and newlines inside quotes,
// CRLF / LF / CR line ends), UTF-8 BOM, per-column type inference.
//
// The whole file is read into memory once and parsed in one pass: numeric cells go straight from
// the buffer into the row-major matrix (an exact fast path for short decimals, std::from_chars
// for the rest; no per-cell allocation); categorical cells and labels are interned per column.
// A column that turns out to hold text after some numbers ("deferred") is re-split in a second
// pass over all rows, so that its levels keep the order of first appearance and their spellings.
// The format and its rules are documented in docs/data-format.md.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "imbal/csv.hpp"
#include "imbal/error.hpp"

namespace imbal {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool is_blank(char c) { return c == ' ' || c == '\t'; }

bool all_blank(std::string_view s) {
  for (const char c : s) {
    if (!is_blank(c)) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// A character as it should appear in an error message.
std::string describe_char(char c) {
  if (c == '\t') return "tab";
  if (c == ' ') return "space";
  const auto u = static_cast<unsigned char>(c);
  if (u < 0x20 || u >= 0x7f) {
    static constexpr char kHex[] = "0123456789abcdef";
    return std::string("byte 0x") + kHex[u >> 4] + kHex[u & 15];
  }
  return std::string("'") + c + "'";
}

// A cell as it should appear in an error message (shortened when long).
std::string quote_cell(std::string_view s) {
  constexpr std::size_t kMax = 40;
  std::string out(1, '\'');
  out.append(s.substr(0, kMax));
  if (s.size() > kMax) out.append("...");
  out.push_back('\'');
  return out;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

enum class NumberKind { Finite, NonFinite, OutOfRange, Text };

// True when an out-of-range decimal `s` (from_chars reported result_out_of_range) is too large
// rather than too small: the decimal exponent of its first significant digit is positive for
// overflow (~1e309) and very negative for underflow (~1e-400), so a rough estimate decides.
bool overflows(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  long long int_digits = 0;     // digits before the point, from the first non-zero one
  long long leading_zeros = 0;  // zeros after the point before the first non-zero digit
  bool seen_point = false;
  bool seen_nonzero = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '.') {
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    if (c != '0') seen_nonzero = true;
    if (!seen_point) {
      if (seen_nonzero) ++int_digits;
    } else if (!seen_nonzero) {
      ++leading_zeros;
    }
  }
  long long magnitude = int_digits > 0 ? int_digits : -leading_zeros;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    std::string_view e = s.substr(i + 1);
    const bool negative = !e.empty() && e.front() == '-';
    if (!e.empty() && (e.front() == '+' || e.front() == '-')) e.remove_prefix(1);
    long long exponent = 0;
    const auto r = std::from_chars(e.data(), e.data() + e.size(), exponent);
    if (r.ec != std::errc()) exponent = 1000000;  // absurdly long exponent: saturate
    magnitude += negative ? -exponent : exponent;
  }
  return magnitude > 0;
}

// Parses a whole (already trimmed) cell as a number: a leading '+' is accepted.
NumberKind parse_number(std::string_view s, double& value) {
  if (s.empty()) return NumberKind::Text;
  std::string_view body = s;
  if (body.front() == '+') {
    body.remove_prefix(1);
    if (body.empty() || body.front() == '-' || body.front() == '+') return NumberKind::Text;
  }
  const char* first = body.data();
  const char* last = first + body.size();
  const auto [ptr, ec] = std::from_chars(first, last, value);
  if (ptr != last || ptr == first) return NumberKind::Text;
  if (ec == std::errc::result_out_of_range) {
    if (overflows(body)) return NumberKind::OutOfRange;
    value = body.front() == '-' ? -0.0 : 0.0;  // underflow: rounds to zero, as strtod does
    return NumberKind::Finite;
  }
  if (ec != std::errc()) return NumberKind::Text;
  return std::isfinite(value) ? NumberKind::Finite : NumberKind::NonFinite;
}

// Exact powers of ten (every one up to 1e22 is a double).
constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

bool is_digit(char c) { return static_cast<unsigned>(c - '0') < 10u; }

// Eight ASCII digits at once (SWAR, as in fast_float). Only used on little-endian machines.
std::uint64_t load8(const char* p) {
  std::uint64_t v = 0;
  std::memcpy(&v, p, sizeof v);
  return v;
}
bool eight_digits(std::uint64_t v) {
  return (((v & 0xF0F0F0F0F0F0F0F0) | (((v + 0x0606060606060606) & 0xF0F0F0F0F0F0F0F0) >> 4)) ==
          0x3333333333333333);
}
std::uint64_t eight_digits_value(std::uint64_t v) {
  constexpr std::uint64_t kMask = 0x000000FF000000FF;
  constexpr std::uint64_t kMul1 = 0x000F424000000064;  // 100 + (1000000 << 32)
  constexpr std::uint64_t kMul2 = 0x0000271000000001;  // 1 + (10000 << 32)
  v -= 0x3030303030303030;
  v = (v * 10) + (v >> 8);
  return (((v & kMask) * kMul1) + (((v >> 16) & kMask) * kMul2)) >> 32;
}

// Bytes that end an unquoted field: the separator, CR and LF.
using StopTable = std::array<bool, 256>;
StopTable stop_table(char separator) {
  StopTable t{};
  t[static_cast<unsigned char>(separator)] = true;
  t['\n'] = true;
  t['\r'] = true;
  return t;
}
bool ends_field(const StopTable& stop, const char* q, const char* end) {
  return q == end || stop[static_cast<unsigned char>(*q)];
}

// The common case, decided without std::from_chars: [-]digits[.digits][e[+-]digits] with at most
// 19 significant digits, a mantissa up to 2^53 and a decimal exponent within +-22, followed by the
// end of the field. Then the value is mantissa * 10^e or mantissa / 10^-e, one correctly rounded
// operation on exact operands (Clinger's fast path, as in fast_float), so the result is
// bit-identical to std::from_chars. Returns the end of the number, or nullptr when the general
// path must decide.
const char* parse_simple_number(const char* p, const char* end, const StopTable& stop, double& value) {
  const char* q = p;
  const bool negative = q < end && *q == '-';
  q += negative ? 1 : 0;
  std::uint64_t mantissa = 0;
  const char* digits = q;
  while (q < end && is_digit(*q)) {
    mantissa = mantissa * 10 + static_cast<std::uint64_t>(*q - '0');
    ++q;
  }
  auto n_digits = q - digits;
  if (ends_field(stop, q, end)) {  // an integer
    if (n_digits == 0 || n_digits > 19 || mantissa > (std::uint64_t{1} << 53)) return nullptr;
    const auto v = static_cast<double>(mantissa);
    value = negative ? -v : v;
    return q;
  }
  long exponent = 0;
  if (*q == '.') {
    ++q;
    const char* fraction = q;
    if constexpr (std::endian::native == std::endian::little) {
      // Long fractions (shortest round-trip spellings have up to 17 digits) eight at a time.
      // Past 19 digits the mantissa wraps around, which is harmless: the digit count rejects it.
      while (end - q >= 8 && eight_digits(load8(q))) {
        mantissa = mantissa * 100000000 + eight_digits_value(load8(q));
        q += 8;
      }
    }
    while (q < end && is_digit(*q)) {
      mantissa = mantissa * 10 + static_cast<std::uint64_t>(*q - '0');
      ++q;
    }
    exponent = -(q - fraction);
    n_digits += q - fraction;
  }
  // Beyond 19 digits the mantissa may have wrapped around.
  if (n_digits == 0 || n_digits > 19) return nullptr;
  if (q < end && (*q == 'e' || *q == 'E')) {
    ++q;
    bool negative_exponent = false;
    if (q < end && (*q == '-' || *q == '+')) {
      negative_exponent = *q == '-';
      ++q;
    }
    const char* exponent_digits = q;
    long e = 0;
    while (q < end && is_digit(*q) && q - exponent_digits < 4) {
      e = e * 10 + (*q - '0');
      ++q;
    }
    if (q == exponent_digits || (q < end && is_digit(*q))) return nullptr;
    exponent += negative_exponent ? -e : e;
  }
  if (!ends_field(stop, q, end)) return nullptr;
  if (mantissa > (std::uint64_t{1} << 53) || exponent < -22 || exponent > 22) return nullptr;
  double v = static_cast<double>(mantissa);
  v = exponent < 0 ? v / kPow10[-exponent] : v * kPow10[exponent];
  value = negative ? -v : v;
  return q;
}

// Line ends in [p, end): an upper bound for the number of records.
std::size_t count_newlines(const char* p, const char* end) {
  std::size_t n = 0;
  while (p < end) {
    const void* hit = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    if (hit == nullptr) break;
    ++n;
    p = static_cast<const char*>(hit) + 1;
  }
  return n;
}

// Transparent hashing so that lookups by string_view do not allocate.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// Distinct spellings in order of first appearance.
class Interner {
 public:
  std::int32_t intern(std::string_view s) {
    // Runs of equal values are common (files sorted by class): try the last one first.
    if (s.size() == last_text_.size() && equal_bytes(s, last_text_)) return last_;
    const auto it = codes_.find(s);
    if (it != codes_.end()) {
      last_ = it->second;
      last_text_ = it->first;
      return last_;
    }
    const auto code = static_cast<std::int32_t>(spellings_.size());
    spellings_.emplace_back(s);
    const auto inserted = codes_.emplace(std::string(s), code).first;
    last_ = code;
    last_text_ = inserted->first;  // map keys do not move
    return code;
  }
  std::vector<std::string>& spellings() { return spellings_; }
  void clear() {
    codes_.clear();
    spellings_.clear();
    last_ = -1;
    last_text_ = {};
  }

 private:
  std::unordered_map<std::string, std::int32_t, StringHash, std::equal_to<>> codes_;
  std::vector<std::string> spellings_;
  std::int32_t last_ = -1;
  std::string_view last_text_;  // the spelling of last_ (a key of codes_)

  static bool equal_bytes(std::string_view a, std::string_view b) {
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }
};

struct Field {
  std::string_view text;   // unescaped contents (points into the input or into scratch)
  std::size_t line = 0;    // line where the field starts
  bool end_of_record = false;
};

// Splits the input into fields. Keeps the current position and physical line number.
class Scanner {
 public:
  Scanner(std::string_view text, char separator, const std::string& name)
      : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()), sep_(separator),
        name_(name) {}

  const char* begin() const { return begin_; }
  const char* end() const { return end_; }
  const char*& pos() { return p_; }
  std::size_t& line() { return line_; }
  char separator() const { return sep_; }

  // Reads the field starting at the current position (which may be the end of the input).
  // `column` is the 0-based field index, for error messages.
  Field next(std::size_t column) {
    Field f;
    f.line = line_;
    if (p_ < end_ && *p_ == '"') {
      read_quoted(f, column);
    } else {
      const char* start = p_;
      while (p_ < end_ && *p_ != sep_ && *p_ != '\n' && *p_ != '\r') ++p_;
      f.text = std::string_view(start, static_cast<std::size_t>(p_ - start));
      finish(f);
    }
    return f;
  }

  // Consumes a line end at the current position (the caller knows there is one).
  void end_line() {
    if (*p_ == '\r' && p_ + 1 < end_ && p_[1] == '\n') ++p_;
    ++p_;
    ++line_;
  }

 private:
  // After a field: a separator (consumed), a line end (consumed) or the end of the input.
  void finish(Field& f) {
    if (p_ == end_) {
      f.end_of_record = true;
    } else if (*p_ == sep_) {
      ++p_;
    } else {
      end_line();
      f.end_of_record = true;
    }
  }

  void read_quoted(Field& f, std::size_t column) {
    const std::size_t open_line = line_;
    ++p_;
    const char* start = p_;
    bool escaped = false;
    for (;;) {
      if (p_ == end_) {
        throw DataError(name_, open_line, column + 1,
                        "unterminated quoted field: the quote opened here is never closed");
      }
      const char c = *p_;
      if (c == '"') {
        if (p_ + 1 < end_ && p_[1] == '"') {
          escaped = true;
          p_ += 2;
          continue;
        }
        break;
      }
      if (c == '\n' || (c == '\r' && (p_ + 1 == end_ || p_[1] != '\n'))) ++line_;
      ++p_;
    }
    const std::string_view raw(start, static_cast<std::size_t>(p_ - start));
    ++p_;  // the closing quote
    if (escaped) {
      scratch_.clear();
      for (std::size_t i = 0; i < raw.size(); ++i) {
        scratch_ += raw[i];
        if (raw[i] == '"') ++i;  // "" -> "
      }
      f.text = scratch_;
    } else {
      f.text = raw;
    }
    if (p_ < end_ && *p_ != sep_ && *p_ != '\n' && *p_ != '\r') {
      std::string sep = describe_char(sep_);
      throw DataError(name_, open_line, column + 1,
                      "unexpected " + describe_char(*p_) +
                          " after the closing quote of a quoted field (expected the separator " +
                          sep + " or the end of the line; write a quote inside a quoted field as \"\")");
    }
    finish(f);
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  char sep_;
  const std::string& name_;
  std::size_t line_ = 1;
  std::string scratch_;
};

enum class Role { Numeric, Categorical, Deferred, Target };

struct ColumnState {
  std::string name;
  Role role = Role::Numeric;
  bool forced = false;          // categorical by request
  bool long_numbers = false;    // the last cell needed std::from_chars
  std::size_t feature = 0;      // index among the feature columns
  std::size_t numeric_cells = 0;
  std::size_t text_cells = 0;
  std::size_t first_text_line = 0;
  std::string first_text;
  std::size_t bad_number_line = 0;  // first NaN/inf/out-of-range cell (0 = none)
  std::string bad_number;
  bool bad_number_out_of_range = false;
  Interner levels;
};

[[noreturn]] void throw_ragged(const std::string& name, std::size_t line, std::size_t expected,
                               std::size_t found) {
  throw DataError(name, line, 0,
                  "expected " + std::to_string(expected) + " fields, found " + std::to_string(found));
}

[[noreturn]] void throw_empty(const std::string& name, std::size_t line, std::size_t column,
                              const std::string& column_name) {
  throw DataError(name, line, column + 1, "empty cell in column '" + column_name + "'");
}

// Whether the fast path (from_chars straight on the buffer) is safe: the separator cannot be part
// of a number.
bool separator_fits_fast_path(char sep) {
  return std::string_view("0123456789.+-eEiInNfFaAtTyY(").find(sep) == std::string_view::npos;
}

class Reader {
 public:
  Reader(std::string_view text, const std::string& name, const CsvReadOptions& options,
         CsvReport* report)
      : text_(text), name_(name), options_(options), report_(report),
        scan_(text, options.separator, name) {}

  Dataset run() {
    const char sep = options_.separator;
    if (sep == '"' || sep == '\n' || sep == '\r' || sep == '\0') {
      throw InvalidArgument("CSV separator " + describe_char(sep) +
                            " is not allowed (use a character such as ',', ';' or tab)");
    }
    if (text_.substr(0, kBom.size()) == kBom) scan_.pos() += kBom.size();
    read_header();
    read_rows();
    check_numbers();
    if (std::any_of(cols_.begin(), cols_.end(), [](const ColumnState& c) { return c.role == Role::Deferred; })) {
      reread_deferred();
    }
    make_warnings();
    return assemble();
  }

 private:
  void read_header() {
    const char* p = scan_.pos();
    const char* end = scan_.end();
    if (std::all_of(p, end, [](char c) { return c == '\n' || c == '\r'; })) {
      throw DataError(name_, 0, 0, "file is empty (expected a header line)");
    }
    if (*p == '\n' || *p == '\r') {
      throw DataError(name_, 1, 0, "the header line is empty (expected the column names)");
    }
    std::vector<std::string> names;
    std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>> seen;
    for (std::size_t j = 0;; ++j) {
      const Field f = scan_.next(j);
      const std::string_view n = trim(f.text);
      if (n.empty()) {
        throw DataError(name_, f.line, j + 1,
                        "empty column name in the header (every column needs a unique name)");
      }
      const auto [it, inserted] = seen.try_emplace(std::string(n), j);
      if (!inserted) {
        throw DataError(name_, f.line, j + 1,
                        "duplicate column name '" + std::string(n) + "' (also column " +
                            std::to_string(it->second + 1) + ")");
      }
      names.emplace_back(n);
      if (f.end_of_record) break;
    }

    // The target: by name, else "target", else the last column.
    std::size_t target = names.size() - 1;
    if (!options_.target.empty()) {
      const std::string_view want = trim(options_.target);
      const auto it = std::find(names.begin(), names.end(), want);
      if (it == names.end()) {
        throw DataError(name_, 0, 0,
                        "no target column '" + options_.target + "'; the columns are: " + join_names(names));
      }
      target = static_cast<std::size_t>(it - names.begin());
    } else {
      const auto it = std::find(names.begin(), names.end(), "target");
      if (it != names.end()) target = static_cast<std::size_t>(it - names.begin());
    }
    target_ = target;

    cols_.resize(names.size());
    std::size_t feature = 0;
    for (std::size_t j = 0; j < names.size(); ++j) {
      cols_[j].name = std::move(names[j]);
      if (j == target) {
        cols_[j].role = Role::Target;
      } else {
        cols_[j].feature = feature++;
      }
    }
    n_features_ = feature;
    for (const auto& requested : options_.categorical) {
      const std::string_view want = trim(requested);
      const auto it = std::find_if(cols_.begin(), cols_.end(),
                                   [&](const ColumnState& c) { return c.name == want; });
      if (it == cols_.end()) {
        std::vector<std::string> all;
        for (const auto& c : cols_) all.push_back(c.name);
        throw DataError(name_, 0, 0,
                        "unknown categorical column '" + requested + "'; the columns are: " + join_names(all));
      }
      if (it->role != Role::Target) {
        it->role = Role::Categorical;
        it->forced = true;
      }
    }
  }

  void grow(std::size_t min_rows) {
    std::size_t rows = std::max<std::size_t>(capacity_rows_ * 2, min_rows);
    rows = std::max<std::size_t>(rows, 16);
    data_.resize(rows * n_features_);
    capacity_rows_ = rows;
  }

  // Cell in a column that is numeric so far, found by the slow path.
  void numeric_cell(ColumnState& c, const Field& f, std::size_t j, double* out) {
    const std::string_view t = trim(f.text);
    if (t.empty()) throw_empty(name_, f.line, j, c.name);
    double v = 0.0;
    const NumberKind kind = parse_number(t, v);
    switch (kind) {
      case NumberKind::Finite:
        out[c.feature] = v;
        return;
      case NumberKind::NonFinite:
      case NumberKind::OutOfRange:
        if (c.bad_number_line == 0) {
          c.bad_number_line = f.line;
          c.bad_number = std::string(t);
          c.bad_number_out_of_range = kind == NumberKind::OutOfRange;
        }
        out[c.feature] = 0.0;
        return;
      case NumberKind::Text:
        break;
    }
    // Text: the column is categorical. Every earlier cell of it was a number.
    c.first_text_line = f.line;
    c.first_text = std::string(f.text);
    c.numeric_cells = row_;
    if (c.numeric_cells == 0) {
      c.role = Role::Categorical;
      categorical_cell(c, f, j, out);
    } else {
      c.role = Role::Deferred;  // levels rebuilt in order by reread_deferred()
      ++c.text_cells;
    }
  }

  void categorical_cell(ColumnState& c, const Field& f, std::size_t j, double* out) {
    const std::string_view t = trim(f.text);
    if (t.empty()) throw_empty(name_, f.line, j, c.name);
    out[c.feature] = static_cast<double>(c.levels.intern(f.text));
    if (!c.forced) {
      // Counted for the "mostly numbers" warning. A finite number starts with one of these.
      double v = 0.0;
      const bool may_be_number = is_digit(t.front()) || t.front() == '-' || t.front() == '+' || t.front() == '.';
      if (may_be_number && parse_number(t, v) == NumberKind::Finite) {
        ++c.numeric_cells;
      } else {
        ++c.text_cells;
      }
    }
  }

  void read_rows() {
    const char sep = options_.separator;
    const bool fast = separator_fits_fast_path(sep);
    const StopTable stop = stop_table(sep);
    const std::size_t n_cols = cols_.size();
    const char* const begin = scan_.begin();
    const char* const end = scan_.end();
    const char*& p = scan_.pos();
    std::size_t& line = scan_.line();

    // Upper bound for the rows: the line ends left (quoted newlines only make it larger).
    const std::size_t estimate = count_newlines(p, end) + 1;
    grow(estimate);
    offsets_.reserve(estimate);
    labels_.reserve(estimate);

    std::size_t& row = row_;
    while (p < end) {
      if (*p == '\n' || *p == '\r') {
        // A blank line: fine at the end of the file, a ragged row elsewhere.
        const std::size_t blank_line = line;
        while (p < end && (*p == '\n' || *p == '\r')) scan_.end_line();
        if (p == end) break;
        throw DataError(name_, blank_line, 0,
                        "expected " + std::to_string(n_cols) +
                            " fields, found an empty line (blank lines are only allowed at the end of the file)");
      }
      if (row == capacity_rows_) grow(row + 1);
      const std::size_t record_line = line;
      offsets_.push_back(static_cast<std::size_t>(p - begin));
      double* out = data_.data() + row * n_features_;
      std::size_t j = 0;
      for (;; ++j) {
        if (j == n_cols) {
          std::size_t found = n_cols;
          for (;;) {
            ++found;
            if (scan_.next(found - 1).end_of_record) break;
          }
          throw_ragged(name_, record_line, n_cols, found);
        }
        ColumnState& c = cols_[j];
        if (c.role == Role::Numeric && fast) {
          // Short numbers go through parse_simple_number; long ones (17 significant digits, as
          // random doubles written in their shortest form have) need std::from_chars anyway, so
          // a column whose last cell was long tries from_chars first.
          double v = 0.0;
          const char* q = c.long_numbers ? nullptr : parse_simple_number(p, end, stop, v);
          if (q == nullptr) {
            const auto r = std::from_chars(p, end, v);
            if (r.ec == std::errc() && r.ptr != p && ends_field(stop, r.ptr, end)) {
              q = r.ptr;
              c.long_numbers = q - p > 12;
              if (!std::isfinite(v) && c.bad_number_line == 0) {
                c.bad_number_line = line;
                c.bad_number = std::string(p, q);
              }
            }
          }
          if (q != nullptr) {
            out[c.feature] = v;
            p = q;
            if (p == end) break;
            if (*p == sep) {
              ++p;
              continue;
            }
            scan_.end_line();
            break;
          }
        }
        if (c.role == Role::Target && p < end && *p != '"') {
          // An unquoted label: no copy, no unescaping.
          const char* q = p;
          while (q < end && !stop[static_cast<unsigned char>(*q)]) ++q;
          const std::string_view text(p, static_cast<std::size_t>(q - p));
          if (all_blank(text)) throw_empty(name_, line, j, c.name);
          labels_.push_back(label_codes_.intern(text));
          p = q;
          if (p == end) break;
          if (*p == sep) {
            ++p;
            continue;
          }
          scan_.end_line();
          break;
        }
        const Field f = scan_.next(j);
        switch (c.role) {
          case Role::Numeric:
            numeric_cell(c, f, j, out);
            break;
          case Role::Categorical:
            categorical_cell(c, f, j, out);
            break;
          case Role::Deferred:
            if (all_blank(f.text)) throw_empty(name_, f.line, j, c.name);
            break;
          case Role::Target:
            if (all_blank(f.text)) throw_empty(name_, f.line, j, c.name);
            labels_.push_back(label_codes_.intern(f.text));
            break;
        }
        if (f.end_of_record) break;
      }
      if (j + 1 != n_cols) throw_ragged(name_, record_line, n_cols, j + 1);
      ++row;
    }
    rows_ = row;
    if (rows_ == 0) throw DataError(name_, 0, 0, "no data rows after the header");
  }

  // NaN, infinity or out-of-range numbers in a column whose other cells are all numbers.
  void check_numbers() const {
    const ColumnState* worst = nullptr;
    for (std::size_t j = 0; j < cols_.size(); ++j) {
      const ColumnState& c = cols_[j];
      if (c.role != Role::Numeric || c.bad_number_line == 0) continue;
      if (worst == nullptr || c.bad_number_line < worst->bad_number_line) worst = &c;
    }
    if (worst == nullptr) return;
    const auto column = static_cast<std::size_t>(worst - cols_.data()) + 1;
    const std::string what =
        worst->bad_number_out_of_range
            ? "number " + quote_cell(worst->bad_number) + " in column '" + worst->name +
                  "' is out of the range of a double"
            : "non-finite number " + quote_cell(worst->bad_number) + " in column '" + worst->name +
                  "' (NaN and infinity are not allowed; the other cells of this column are numbers)";
    throw DataError(name_, worst->bad_number_line, column, what);
  }

  // Second pass for the columns that held numbers before their first text cell: levels in order
  // of first appearance, with their original spellings.
  void reread_deferred() {
    std::vector<std::size_t> deferred;
    for (std::size_t j = 0; j < cols_.size(); ++j) {
      if (cols_[j].role == Role::Deferred) {
        deferred.push_back(j);
        cols_[j].role = Role::Categorical;
        cols_[j].numeric_cells = 0;
        cols_[j].text_cells = 0;
        cols_[j].levels.clear();
      }
    }
    std::vector<bool> wanted(cols_.size(), false);
    for (const auto j : deferred) wanted[j] = true;
    const std::size_t last_wanted = deferred.back();
    for (std::size_t r = 0; r < rows_; ++r) {
      scan_.pos() = scan_.begin() + offsets_[r];
      double* out = data_.data() + r * n_features_;
      for (std::size_t j = 0; j <= last_wanted; ++j) {
        const Field f = scan_.next(j);
        if (wanted[j]) categorical_cell(cols_[j], f, j, out);
      }
    }
  }

  void make_warnings() {
    if (report_ == nullptr) return;
    for (std::size_t j = 0; j < cols_.size(); ++j) {
      const ColumnState& c = cols_[j];
      if (c.role != Role::Categorical || c.forced) continue;
      if (c.text_cells == 0 || c.numeric_cells < c.text_cells) continue;
      report_->warnings.push_back(
          "column '" + c.name + "' (column " + std::to_string(j + 1) +
          ") is read as categorical although most of its cells are numbers: " +
          std::to_string(c.text_cells) + " of " + std::to_string(rows_) +
          " cells are not numbers, the first is " + quote_cell(c.first_text) + " on line " +
          std::to_string(c.first_text_line) + "; use --categorical " + c.name +
          " to confirm, or fix those cells if the column is numeric");
    }
  }

  Dataset assemble() {
    data_.resize(rows_ * n_features_);
    if (data_.capacity() > data_.size() + data_.size() / 4) data_.shrink_to_fit();

    std::vector<Column> columns;
    columns.reserve(n_features_);
    for (auto& c : cols_) {
      if (c.role == Role::Target) continue;
      Column col;
      col.name = c.name;
      if (c.role == Role::Categorical) {
        col.kind = ColumnKind::Categorical;
        col.levels = std::move(c.levels.spellings());
      }
      columns.push_back(std::move(col));
    }

    // Labels: encode the distinct spellings, then map every row.
    const std::vector<std::string>& distinct = label_codes_.spellings();
    const std::string& target_name = cols_[target_].name;
    if (options_.require_two_classes && distinct.size() < 2) {
      throw DataError(name_, 0, 0,
                      "only one class ('" + distinct.front() + "') in column " + target_name +
                          ": resampling needs at least two");
    }
    std::vector<std::int32_t> distinct_codes;
    ClassLabels classes = ClassLabels::encode(distinct, distinct_codes);
    std::vector<std::int32_t> y(rows_);
    for (std::size_t r = 0; r < rows_; ++r) {
      y[r] = distinct_codes[static_cast<std::size_t>(labels_[r])];
    }
    if (report_ != nullptr) report_->bytes = text_.size();
    return Dataset(Matrix(rows_, n_features_, std::move(data_)), std::move(y), std::move(columns),
                   std::move(classes), target_name, target_);
  }

  std::string_view text_;
  const std::string& name_;
  const CsvReadOptions& options_;
  CsvReport* report_;
  Scanner scan_;

  std::vector<ColumnState> cols_;
  std::size_t target_ = 0;
  std::size_t n_features_ = 0;
  std::size_t rows_ = 0;
  std::size_t row_ = 0;  // the row being read
  std::size_t capacity_rows_ = 0;
  Matrix::Storage data_;
  std::vector<std::size_t> offsets_;  // byte offset of every record, for reread_deferred()
  Interner label_codes_;
  std::vector<std::int32_t> labels_;  // provisional label codes (order of first appearance)
};

// The whole content of a file (or of standard input for "-").
std::string read_all(const std::string& path) {
  const bool stdin_input = path == "-";
  const int fd = stdin_input ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw RuntimeError("cannot open '" + path + "': " + std::strerror(errno));
  struct FdCloser {
    int fd;
    bool owned;
    ~FdCloser() {
      if (owned) ::close(fd);
    }
  } closer{fd, !stdin_input};
  const auto fail = [&path]() -> void {
    throw RuntimeError("cannot read '" + path + "': " + std::strerror(errno));
  };

  std::string content;
  std::size_t size = 0;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    // A regular file: read it straight into a buffer of its size.
    content.resize(static_cast<std::size_t>(st.st_size));
    while (size < content.size()) {
      const ssize_t n = ::read(fd, content.data() + size, content.size() - size);
      if (n < 0) {
        if (errno == EINTR) continue;
        fail();
      }
      if (n == 0) break;
      size += static_cast<std::size_t>(n);
    }
    content.resize(size);
  }
  // A pipe, or a file that grew while being read: read in chunks until the end.
  char chunk[65536];
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail();
    }
    if (n == 0) break;
    content.append(chunk, static_cast<std::size_t>(n));
  }
  return content;
}

}  // namespace

Dataset parse_csv(std::string_view text, const std::string& name, const CsvReadOptions& options,
                  CsvReport* report) {
  Reader reader(text, name, options, report);
  return reader.run();
}

Dataset read_csv(const std::string& path, const CsvReadOptions& options, CsvReport* report) {
  const std::string content = read_all(path);
  return parse_csv(content, path == "-" ? std::string("<stdin>") : path, options, report);
}

}  // namespace imbal
