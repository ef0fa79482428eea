// CSV throughput: parse and write a generated numeric CSV (200,000 rows x 20 random doubles plus
// a label column), and read the shared skin_segmentation.csv / adult.csv from disk.
//
//   build-csv/imbal_bench --benchmark_filter=Csv
//
// Rates are bytes of CSV text per second of CPU time.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <random>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include "imbal/csv.hpp"

namespace {

constexpr std::size_t kRows = 200000;
constexpr std::size_t kCols = 20;

// The generated CSV text: random doubles in their shortest spelling, labels "0"/"1" (1 in 10).
const std::string& numeric_csv() {
  static const std::string text = [] {
    std::mt19937_64 gen(12345);
    std::normal_distribution<double> normal(0.0, 100.0);
    std::uniform_int_distribution<int> label(0, 9);
    std::string out;
    out.reserve(kRows * kCols * 20);
    for (std::size_t j = 0; j < kCols; ++j) out += "f" + std::to_string(j) + ",";
    out += "target\n";
    for (std::size_t i = 0; i < kRows; ++i) {
      for (std::size_t j = 0; j < kCols; ++j) {
        imbal::append_number(out, normal(gen));
        out += ',';
      }
      out += label(gen) == 0 ? "1\n" : "0\n";
    }
    return out;
  }();
  return text;
}

// The same shape with small integers (pixel-like values 0..255), the short-cell worst case.
const std::string& integer_csv() {
  static const std::string text = [] {
    std::mt19937_64 gen(6789);
    std::uniform_int_distribution<int> value(0, 255);
    std::string out;
    for (std::size_t j = 0; j < kCols; ++j) out += "f" + std::to_string(j) + ",";
    out += "target\n";
    for (std::size_t i = 0; i < kRows; ++i) {
      for (std::size_t j = 0; j < kCols; ++j) {
        out += std::to_string(value(gen));
        out += ',';
      }
      out += i % 10 == 0 ? "1\n" : "0\n";
    }
    return out;
  }();
  return text;
}

// An output stream that only counts bytes, so that the write case measures formatting.
class CountingBuffer : public std::streambuf {
 public:
  std::size_t count = 0;

 protected:
  std::streamsize xsputn(const char*, std::streamsize n) override {
    count += static_cast<std::size_t>(n);
    return n;
  }
  int_type overflow(int_type c) override {
    ++count;
    return c;
  }
};

void BM_CsvParseNumeric(benchmark::State& state) {
  const std::string& text = numeric_csv();
  for (auto _ : state) {
    imbal::Dataset d = imbal::parse_csv(text, "generated.csv");
    benchmark::DoNotOptimize(d.X().data);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(text.size()));
  state.counters["MB"] = static_cast<double>(text.size()) / 1e6;
}
BENCHMARK(BM_CsvParseNumeric)->Unit(benchmark::kMillisecond);

void BM_CsvParseSmallIntegers(benchmark::State& state) {
  const std::string& text = integer_csv();
  for (auto _ : state) {
    imbal::Dataset d = imbal::parse_csv(text, "generated.csv");
    benchmark::DoNotOptimize(d.X().data);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(text.size()));
  state.counters["MB"] = static_cast<double>(text.size()) / 1e6;
}
BENCHMARK(BM_CsvParseSmallIntegers)->Unit(benchmark::kMillisecond);

void BM_CsvWriteNumeric(benchmark::State& state) {
  const imbal::Dataset d = imbal::parse_csv(numeric_csv(), "generated.csv");
  std::size_t bytes = 0;
  for (auto _ : state) {
    CountingBuffer sink;
    std::ostream out(&sink);
    imbal::write_csv(d, out);
    bytes += sink.count;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_CsvWriteNumeric)->Unit(benchmark::kMillisecond);

void read_shared(benchmark::State& state, const char* file) {
  const std::string path = std::string(IMBAL_DATASETS_DIR) + "/" + file;
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    std::fclose(f);
  } else {
    state.SkipWithError(("not found: " + path).c_str());
    return;
  }
  std::size_t bytes = 0;
  for (auto _ : state) {
    imbal::CsvReport report;
    imbal::Dataset d = imbal::read_csv(path, {}, &report);
    benchmark::DoNotOptimize(d.X().data);
    bytes += report.bytes;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void BM_CsvReadSkinSegmentation(benchmark::State& state) { read_shared(state, "skin_segmentation.csv"); }
BENCHMARK(BM_CsvReadSkinSegmentation)->Unit(benchmark::kMillisecond);

void BM_CsvReadAdult(benchmark::State& state) { read_shared(state, "adult.csv"); }
BENCHMARK(BM_CsvReadAdult)->Unit(benchmark::kMillisecond);

}  // namespace
