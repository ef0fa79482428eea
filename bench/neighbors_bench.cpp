// Exact k-NN engine benchmarks (docs/neighbors.md has the results and the commands).
//
//   BM_KnnAllVsAll/<backend>/<k>/<jobs> 100,000 x 20 standard normal rows, every row against all
//                                      rows (query_rows with exclude_self), build included
//   BM_KnnMinorityVsAll/<backend>/<k>  1 % of the rows (every 100th) against all rows
//   BM_KnnCrossover/<n>/<d>/<k>/<b>    all-vs-all at smaller sizes, to set the Auto rule
//   BM_KnnFewQueries/<n>/<d>/<q>/<b>   q queries against n points, build included
//   BM_PeakFma/<threads>               this machine's measured double-precision FMA peak
//
// Counters: "GFLOP/s" counts 2 flops per multiply-add of the n_queries * n * d limit (the work
// a brute force must do); "peak_frac" divides it by the measured peak of BM_PeakFma/2
// (run it first; otherwise the theoretical 2 cores x 2 FMA units x 8 lanes x 2 flops x clock
// is not assumed and the counter is omitted).
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <numeric>
#include <thread>
#include <tuple>
#include <vector>

#include "imbal/matrix.hpp"
#include "imbal/neighbors.hpp"
#include "imbal/random.hpp"

namespace {

using imbal::Matrix;
using imbal::NeighborBackend;
using imbal::NeighborIndex;
using imbal::NeighborOptions;

constexpr std::size_t kRows = 100000;
constexpr std::size_t kCols = 20;
constexpr std::uint64_t kSeed = 20240601;

const Matrix& normal_data(std::size_t n, std::size_t d) {
  static std::map<std::pair<std::size_t, std::size_t>, Matrix> cache;
  auto it = cache.find({n, d});
  if (it == cache.end()) {
    imbal::Rng rng(kSeed);
    Matrix m(n, d);
    for (double& x : m.storage()) x = rng.normal();
    it = cache.emplace(std::make_pair(n, d), std::move(m)).first;
  }
  return it->second;
}

double g_peak_gflops = 0.0;  // set by BM_PeakFma/2

NeighborBackend backend_of(std::int64_t b) {
  return b == 0 ? NeighborBackend::BruteForce
                : (b == 1 ? NeighborBackend::KdTree : NeighborBackend::Auto);
}

void set_counters(benchmark::State& state, std::size_t n_queries, std::size_t n, std::size_t d) {
  const double flops = 2.0 * static_cast<double>(n_queries) * static_cast<double>(n) *
                       static_cast<double>(d);
  state.counters["GFLOP/s"] =
      benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  if (g_peak_gflops > 0.0) {
    // Fraction of the measured peak: (flops / time) / peak.
    state.counters["peak_frac"] = benchmark::Counter(
        flops * 1e-9 / g_peak_gflops, benchmark::Counter::kIsIterationInvariantRate);
  }
}

void run_rows(benchmark::State& state, const Matrix& data, const std::vector<std::size_t>& rows,
              std::size_t k, NeighborBackend backend, int jobs = 0) {
  for (auto _ : state) {
    // Build included (the tree or the packed copy is made on the first query), as in
    // scikit-learn's fit(X).kneighbors(X).
    NeighborIndex index(data.view(), NeighborOptions{backend, jobs});
    auto nb = index.query_rows(rows, k, true);
    benchmark::DoNotOptimize(nb.index.data());
  }
  set_counters(state, rows.size(), data.rows(), data.cols());
}

void BM_KnnAllVsAll(benchmark::State& state) {
  const Matrix& data = normal_data(kRows, kCols);
  std::vector<std::size_t> rows(data.rows());
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  run_rows(state, data, rows, static_cast<std::size_t>(state.range(1)), backend_of(state.range(0)),
           static_cast<int>(state.range(2)));
}

void BM_KnnMinorityVsAll(benchmark::State& state) {
  const Matrix& data = normal_data(kRows, kCols);
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < data.rows(); i += 100) rows.push_back(i);
  run_rows(state, data, rows, static_cast<std::size_t>(state.range(1)), backend_of(state.range(0)));
}

void BM_KnnCrossover(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto d = static_cast<std::size_t>(state.range(1));
  const Matrix& data = normal_data(n, d);
  std::vector<std::size_t> rows(n);
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  run_rows(state, data, rows, static_cast<std::size_t>(state.range(2)), backend_of(state.range(3)));
}

void BM_KnnFewQueries(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto d = static_cast<std::size_t>(state.range(1));
  const auto q = static_cast<std::size_t>(state.range(2));
  const Matrix& data = normal_data(n, d);
  std::vector<std::size_t> rows(q);
  for (std::size_t i = 0; i < q; ++i) rows[i] = i * (n / q);
  run_rows(state, data, rows, 5, backend_of(state.range(3)));
}

// ---- Peak: independent FMA chains, 24 zmm accumulators per thread (AVX-512 when available).

template <int W>
struct VectorOf {
  typedef double type __attribute__((vector_size(W * sizeof(double))));
};

template <int W>
[[gnu::always_inline]] inline double fma_loop(std::int64_t iters) {
  using V = typename VectorOf<W>::type;
  constexpr int kAcc = 24;
  V acc[kAcc];
  V a;
  V b;
  for (int l = 0; l < W; ++l) {
    a[l] = 0.999999;
    b[l] = 1e-7;
  }
#pragma GCC unroll 24
  for (int i = 0; i < kAcc; ++i) acc[i] = a * static_cast<double>(i);
  for (std::int64_t it = 0; it < iters; ++it) {
#pragma GCC unroll 24
    for (int i = 0; i < kAcc; ++i) acc[i] = acc[i] * a + b;  // contracted to an FMA
  }
  double s = 0.0;
  for (int i = 0; i < kAcc; ++i) {
    for (int l = 0; l < W; ++l) s += acc[i][l];
  }
  return s;
}

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
__attribute__((target("avx512f,fma"))) double fma_avx512(std::int64_t iters) {
  return fma_loop<8>(iters);
}
__attribute__((target("avx2,fma"))) double fma_avx2(std::int64_t iters) {
  return fma_loop<4>(iters);
}
#endif

// Flops per iteration of fma_loop on this CPU and the function to run.
std::pair<double (*)(std::int64_t), double> fma_kernel() {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return {fma_avx512, 24.0 * 8 * 2};
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    return {fma_avx2, 24.0 * 4 * 2};
  }
#endif
  return {[](std::int64_t iters) { return fma_loop<2>(iters); }, 24.0 * 2 * 2};  // mul + add
}

void BM_PeakFma(benchmark::State& state) {
  const auto threads = static_cast<std::size_t>(state.range(0));
  const auto [kernel, flops_per_iter] = fma_kernel();
  constexpr std::int64_t kIters = 50'000'000;
  std::atomic<double> sink{0.0};
  double best = 0.0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; ++t) {
      pool.emplace_back([&sink, k = kernel] {
        const double v = k(kIters);
        double cur = sink.load();
        while (!sink.compare_exchange_weak(cur, cur + v)) {
        }
      });
    }
    for (auto& th : pool) th.join();
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::max(best, flops_per_iter * static_cast<double>(kIters) *
                              static_cast<double>(threads) / secs * 1e-9);
  }
  benchmark::DoNotOptimize(sink.load());
  state.counters["GFLOP/s"] = best;
  if (threads == 2) g_peak_gflops = best;
}

// backends: 0 = brute force, 1 = kd-tree, 2 = auto
BENCHMARK(BM_PeakFma)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
// Auto picks the brute force at d = 20; the kd-tree takes minutes at d = 20 and runs for k = 5
// only (its per-query cost is the same as in BM_KnnMinorityVsAll). jobs: 0 = all cores.
BENCHMARK(BM_KnnAllVsAll)
    ->ArgNames({"backend", "k", "jobs"})
    ->Args({0, 1, 0})
    ->Args({0, 3, 0})
    ->Args({0, 5, 0})
    ->Args({0, 5, 1})
    ->Args({1, 5, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);
BENCHMARK(BM_KnnMinorityVsAll)
    ->ArgNames({"backend", "k"})
    ->ArgsProduct({{0, 1, 2}, {1, 3, 5}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
// The kd-tree at n = 100,000 and d >= 12 takes minutes and is left out.
void crossover_args(benchmark::internal::Benchmark* b) {
  for (std::int64_t n : {2000, 20000, 100000}) {
    for (std::int64_t d : {2, 4, 6, 8, 10, 12, 16}) {
      for (std::int64_t k : {5, 30}) {
        for (std::int64_t backend : {0, 1}) {
          if (n == 100000 && backend == 1 && d >= 12) continue;
          b->Args({n, d, k, backend});
        }
      }
    }
  }
}
BENCHMARK(BM_KnnCrossover)
    ->ArgNames({"n", "d", "k", "backend"})
    ->Apply(crossover_args)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_KnnFewQueries)
    ->ArgNames({"n", "d", "q", "backend"})
    ->ArgsProduct({{100000}, {4, 8}, {1, 10, 100, 1000}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
