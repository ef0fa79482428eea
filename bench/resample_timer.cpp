// imbal_resample_timer: the C++ side of bench/run.py's comparison with imbalanced-learn.
//
//   imbal_resample_timer DATA.csv --method M [--param k=v ...] [--strategy S] [--seed N]
//                        [--repeat R] [--max-seconds T] [--categorical c1,c2] [--target COL]
//                        [--jobs N]
//
// Reads the CSV once (timed separately), then runs the sampler's fit_resample R times (fewer when
// the runs so far took T seconds or more in total; at least once) and prints one JSON line:
//   load_seconds, best_seconds, median_seconds, times (every run), rows_in, cols, rows_out,
//   rss_after_load_bytes   VmRSS just after loading and malloc_trim(0) (/proc/self/status),
//   hwm_after_load_bytes   VmHWM just after loading (the peak of the loading phase),
//   hwm_after_runs_bytes   VmHWM after the runs, the high-water mark having been reset to the
//                          current RSS right after loading (/proc/self/clear_refs "5"); null
//                          when the kernel refuses the reset,
//   peak_rss_bytes         getrusage ru_maxrss (whole process, loading included).
// bench/run.py reports the memory the method adds as hwm_after_runs - rss_after_load (or
// peak_rss - rss_after_load when the reset is unavailable). The Python side does the same.
// Exit codes: 0 ok, 1 data/runtime error, 2 usage error.
#include <sys/resource.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "imbal/csv.hpp"
#include "imbal/error.hpp"
#include "imbal/registry.hpp"
#include "imbal/strategy.hpp"

namespace {

constexpr const char* kUsage =
    "usage: imbal_resample_timer DATA.csv --method M [--param name=value ...] [--strategy S]\n"
    "                            [--seed N] [--repeat R] [--max-seconds T] [--categorical c1,c2]\n"
    "                            [--target COL] [--jobs N]\n";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Args {
  std::string path;
  std::string method;
  std::vector<std::string> params;
  std::string strategy = "auto";
  std::uint64_t seed = 0;
  int repeat = 5;
  double max_seconds = 0;  // 0: no limit
  std::vector<std::string> categorical;
  std::string target;
  int jobs = 0;
};

template <typename T>
T parse_number(std::string_view flag, std::string_view text) {
  T value{};
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) {
    throw UsageError(std::string(flag) + ": expected an integer, got '" + std::string(text) + "'");
  }
  return value;
}

double parse_seconds(std::string_view flag, std::string_view text) {
  double value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty() || !(value >= 0)) {
    throw UsageError(std::string(flag) + ": expected a number of seconds >= 0, got '" + std::string(text) + "'");
  }
  return value;
}

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto item = text.substr(0, comma);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

Args parse_args(int argc, char** argv) {
  Args args;
  const std::vector<std::string_view> argl(argv + 1, argv + argc);
  for (std::size_t i = 0; i < argl.size(); ++i) {
    const std::string_view a = argl[i];
    if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    if (!a.starts_with("--")) {
      if (!args.path.empty()) throw UsageError("more than one data file: '" + std::string(a) + "'");
      args.path = std::string(a);
      continue;
    }
    if (i + 1 >= argl.size()) throw UsageError(std::string(a) + " needs a value");
    const std::string_view v = argl[++i];
    if (a == "--method") {
      args.method = std::string(v);
    } else if (a == "--param") {
      args.params.emplace_back(v);
    } else if (a == "--strategy") {
      args.strategy = std::string(v);
    } else if (a == "--seed") {
      args.seed = parse_number<std::uint64_t>(a, v);
    } else if (a == "--repeat") {
      args.repeat = parse_number<int>(a, v);
      if (args.repeat < 1) throw UsageError("--repeat: expected an integer >= 1");
    } else if (a == "--max-seconds") {
      args.max_seconds = parse_seconds(a, v);
    } else if (a == "--categorical") {
      args.categorical = split_commas(v);
    } else if (a == "--target") {
      args.target = std::string(v);
    } else if (a == "--jobs") {
      args.jobs = parse_number<int>(a, v);
      if (args.jobs < 0) throw UsageError("--jobs: expected an integer >= 0 (0: all cores)");
    } else {
      throw UsageError("unknown option '" + std::string(a) + "'");
    }
  }
  if (args.path.empty()) throw UsageError("missing the data file");
  if (args.method.empty()) throw UsageError("missing --method");
  return args;
}

// A field of /proc/self/status ("VmRSS", "VmHWM") in bytes; nullopt when unavailable.
std::optional<std::uint64_t> proc_status_bytes(std::string_view field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with(field) || line.size() <= field.size() || line[field.size()] != ':') continue;
    std::string_view rest(line);
    rest.remove_prefix(field.size() + 1);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
    std::uint64_t kib = 0;
    const auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), kib);
    if (ec != std::errc() || ptr == rest.data()) return std::nullopt;
    return kib * 1024;
  }
  return std::nullopt;
}

// Resets the peak-RSS high-water mark (VmHWM) to the current RSS (Linux >= 4.0).
bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  if (!out) return false;
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

std::uint64_t peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;  // kilobytes on Linux
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + '"';
}

std::string json_number(double x) {
  std::string out;
  imbal::append_number(out, x);
  return out;
}

std::string json_optional(const std::optional<std::uint64_t>& x) {
  return x ? std::to_string(*x) : std::string("null");
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int run(const Args& args) {
  // Method and parameters first: a typo fails before a large file is read.
  imbal::SamplerOptions options;
  options.random_state = args.seed;
  options.n_jobs = args.jobs;
  auto sampler = imbal::make_sampler(args.method, args.params, options);

  imbal::CsvReadOptions read_options;
  read_options.categorical = args.categorical;
  read_options.target = args.target;
  const auto load_start = std::chrono::steady_clock::now();
  const imbal::Dataset data = imbal::read_csv(args.path, read_options);
  const double load_seconds = seconds_since(load_start);

  options.sampling_strategy = imbal::SamplingStrategy::parse(args.strategy, data.classes());
  sampler->set_options(options);

  // Give freed heap memory of the loading phase back to the OS, so that RSS counts live data only
  // and the runs cannot hide their allocations in it (the Python side does the same).
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
  const auto rss_after_load = proc_status_bytes("VmRSS");
  const auto hwm_after_load = proc_status_bytes("VmHWM");
  const bool hwm_reset = reset_peak_rss();

  std::vector<double> times;
  std::size_t rows_out = 0;
  double total = 0;
  for (int r = 0; r < args.repeat; ++r) {
    if (r > 0 && args.max_seconds > 0 && total >= args.max_seconds) break;
    const auto start = std::chrono::steady_clock::now();
    const imbal::Dataset out = sampler->fit_resample(data);
    times.push_back(seconds_since(start));
    total += times.back();
    rows_out = out.rows();
  }
  const std::optional<std::uint64_t> hwm_after_runs =
      hwm_reset ? proc_status_bytes("VmHWM") : std::nullopt;

  std::vector<double> sorted = times;
  std::sort(sorted.begin(), sorted.end());
  const std::size_t n = sorted.size();
  const double median = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);

  std::string line = "{\"method\":" + json_string(args.method) + ",\"file\":" + json_string(args.path);
  line += ",\"rows_in\":" + std::to_string(data.rows()) + ",\"cols\":" + std::to_string(data.cols());
  line += ",\"rows_out\":" + std::to_string(rows_out) + ",\"repeat\":" + std::to_string(times.size());
  line += ",\"jobs\":" + std::to_string(args.jobs);
  line += ",\"load_seconds\":" + json_number(load_seconds);
  line += ",\"best_seconds\":" + json_number(sorted.front());
  line += ",\"median_seconds\":" + json_number(median);
  line += ",\"times\":[";
  for (std::size_t i = 0; i < times.size(); ++i) {
    if (i > 0) line += ',';
    line += json_number(times[i]);
  }
  line += "],\"rss_after_load_bytes\":" + json_optional(rss_after_load);
  line += ",\"hwm_after_load_bytes\":" + json_optional(hwm_after_load);
  line += ",\"hwm_after_runs_bytes\":" + json_optional(hwm_after_runs);
  line += ",\"peak_rss_bytes\":" + std::to_string(peak_rss_bytes()) + "}";
  std::printf("%s\n", line.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse_args(argc, argv));
  } catch (const UsageError& e) {
    std::fprintf(stderr, "imbal_resample_timer: %s\n%s", e.what(), kUsage);
    return 2;
  } catch (const imbal::InvalidArgument& e) {
    // A bad method name, parameter or strategy: the caller's mistake.
    std::fprintf(stderr, "imbal_resample_timer: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "imbal_resample_timer: error: %s\n", e.what());
    return 1;
  }
}
