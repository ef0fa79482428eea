// k-means: k-means++ seeding (Arthur & Vassilvitskii, SODA 2007) and Lloyd's iterations
// (Lloyd, "Least squares quantization in PCM", IEEE Trans. Inf. Theory 28(2), 1982), following
// scikit-learn 1.2's KMeans(algorithm="lloyd") step by step (include/imbal/kmeans.hpp).
#include "imbal/kmeans.hpp"
#include "cluster/kmeans_internal.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>
#include <exception>
#include <cstdlib>
#include <limits>
#include <new>
#include <span>
#include <string>
#include <thread>
#include <utility>

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#include <immintrin.h>
#endif
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "imbal/error.hpp"
#include "imbal/neighbors.hpp"
#include "core/parallel.hpp"
#include "core/simd.hpp"
#include "imbal/random.hpp"

namespace imbal {
namespace {

constexpr std::size_t kBlock = 2048;  // rows per block: fixed, so sums do not depend on threads

// The rows to cluster: every row of X, or the listed ones in list order (read in place, so a
// class of a data set is clustered without a copy of its rows).
struct RowSource {
  MatrixView X;
  const std::size_t* index = nullptr;  // null: every row
  std::size_t rows = 0;
  const double* row(std::size_t i) const { return X.row(index != nullptr ? index[i] : i); }
  double operator()(std::size_t i, std::size_t j) const { return row(i)[j]; }
  std::size_t of_x(std::size_t i) const { return index != nullptr ? index[i] : i; }  // X's row index
};
// Relative safety margin of the triangle-inequality tests (rounding errors are ~1e-15).
constexpr double kMargin = 1e-9;

// The squared distance, column by column (the vector kernels' order of operations, lane by lane).
template <class E>
E squared_distance(const E* a, const E* b, std::size_t d) {
  E s = 0;
  for (std::size_t j = 0; j < d; ++j) {
    const E t = a[j] - b[j];
    s += t * t;
  }
  return s;
}
double sq_dist(const double* a, const double* b, std::size_t d) { return squared_distance(a, b, d); }

// out[r] = sq_dist(a[r], b[r], d) for r < count, four at a time: independent chains hide the
// additions' latency, and each sum is sq_dist's, bit for bit.
void sq_dist_many(const double* const* a, const double* const* b, std::size_t count, std::size_t d, double* out) {
  std::size_t r = 0;
  for (; r + 4 <= count; r += 4) {
    const double* a0 = a[r];
    const double* a1 = a[r + 1];
    const double* a2 = a[r + 2];
    const double* a3 = a[r + 3];
    const double* b0 = b[r];
    const double* b1 = b[r + 1];
    const double* b2 = b[r + 2];
    const double* b3 = b[r + 3];
    double s0 = 0.0;
    double s1 = 0.0;
    double s2 = 0.0;
    double s3 = 0.0;
    for (std::size_t j = 0; j < d; ++j) {
      const double t0 = a0[j] - b0[j];
      const double t1 = a1[j] - b1[j];
      const double t2 = a2[j] - b2[j];
      const double t3 = a3[j] - b3[j];
      s0 += t0 * t0;
      s1 += t1 * t1;
      s2 += t2 * t2;
      s3 += t3 * t3;
    }
    out[r] = s0;
    out[r + 1] = s1;
    out[r + 2] = s2;
    out[r + 3] = s3;
  }
  for (; r < count; ++r) out[r] = sq_dist(a[r], b[r], d);
}

// ---- Packed rows, for the vector kernels ------------------------------------------------------
// Rows packed one 64-byte line per column: lanes_of<E> rows to a block (8 doubles or 16 floats),
// column by column (block b, column j, lane l at [(b * d + j) * lanes + l]). A kernel's squared
// distance to every row of a block is the scalar loop's sum lane by lane - same operations in
// the same column order, and this file is built with -ffp-contract=off (no fused multiply-adds) -
// so the vector width (AVX-512, AVX2, SSE2) changes only the speed, never a bit of the result.
template <class E>
constexpr std::size_t lanes_of = 64 / sizeof(E);
constexpr std::size_t kLanes = lanes_of<double>;     // Lloyd's packed centres
constexpr std::size_t kSeedLanes = lanes_of<float>;  // k-means++'s packed groups

// Where value (row p, column 0) sits in a packed array of d columns; column j is lanes further
// per column.
template <class E>
inline E* packed_slot(E* packed, std::size_t p, std::size_t d) {
  constexpr std::size_t L = lanes_of<E>;
  return packed + (p / L) * d * L + p % L;
}
template <class E>
inline void pack_row(E* packed, std::size_t p, const E* row, std::size_t d) {
  E* out = packed_slot(packed, p, d);
  for (std::size_t j = 0; j < d; ++j) out[j * lanes_of<E>] = row[j];
}

// The squared distance in float (the seeding's).
float sq_dist_f(const float* a, const float* b, std::size_t d) { return squared_distance(a, b, d); }

// While alive, float results and inputs below the normal range are flushed to zero (x86: MXCSR's
// FTZ and DAZ bits set: Subnormals::flush) or kept (both cleared: Subnormals::keep); then the
// thread's mode is restored. The seeding flushes: its float squares of tiny differences would
// otherwise be subnormal, which the CPU handles in microcode (measured: 20,000 x 8 normal rows
// with one column scaled by 1e-21 seeded 2.3x slower); they are far below the rounding of any
// distance they could change (and every thread of a run computes in the same mode, so results
// stay the same at any thread count). Its conversion of rows to single precision keeps them: it
// must not depend on the mode it runs in.
class Subnormals {
 public:
  enum Mode { flush, keep };
#if defined(__SSE2__)
  explicit Subnormals(Mode mode) : saved_(_mm_getcsr()) {
    _mm_setcsr(mode == flush ? (saved_ | kFtzDaz) : (saved_ & ~kFtzDaz));
  }
  ~Subnormals() { _mm_setcsr(saved_); }
#else
  explicit Subnormals(Mode) {}
#endif
  Subnormals(const Subnormals&) = delete;
  Subnormals& operator=(const Subnormals&) = delete;

 private:
#if defined(__SSE2__)
  static constexpr unsigned kFtzDaz = 0x8040U;
  unsigned saved_;
#endif
};

// A run's large arrays (the seeding's arena, the row-sized arrays of both phases) are mapped from
// the system when 128 KiB or more (Linux), smaller ones come from malloc. Mapped pages are
// returned when freed, whatever malloc's mmap threshold has become: glibc raises it to the size
// of any mapped block the process frees (a CSV reader's buffers, say), after which such arrays
// come from the heap and runs that follow each other fragment it. gen_100k through
// imbal_resample_timer at 2 threads: 49.4 -> 38.6 MB over its data once the arena was mapped,
// 34.5 -> 32.1 MB once the row-sized arrays were too.
constexpr std::size_t kMappedBytes = std::size_t{1} << 17;
void* allocate_pages(std::size_t bytes) {
#if defined(__linux__)
  if (bytes >= kMappedBytes) {
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    return p;
  }
#endif
  void* p = std::malloc(bytes == 0 ? 1 : bytes);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
void free_pages(void* p, std::size_t bytes) noexcept {
#if defined(__linux__)
  if (bytes >= kMappedBytes) {
    munmap(p, bytes);
    return;
  }
#endif
  std::free(p);
}

// The allocator of those arrays: MatrixAllocator (elements default-initialised: RunVector<T>(n)
// and resize(n) leave new elements unwritten and their pages untouched until used - every such
// array here is written before it is read; (n, value) and assign still fill) with allocate_pages
// behind it.
template <class T>
struct PageAllocator : detail::MatrixAllocator<T> {
  using value_type = T;
  PageAllocator() = default;
  template <class U>
  PageAllocator(const PageAllocator<U>&) noexcept {}  // NOLINT(google-explicit-constructor)
  T* allocate(std::size_t n) { return static_cast<T*>(allocate_pages(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { free_pages(p, n * sizeof(T)); }
};
template <class T>
using RunVector = std::vector<T, PageAllocator<T>>;

using simd::F16;
using simd::F4;
using simd::F8;
using simd::V2;
using simd::V4;
using simd::V8;
using simd::VectorOf;

// Bit l set iff lane l of a < lane l of b.
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
__attribute__((target("avx512f"))) inline std::uint32_t lt_bits(F16 a, F16 b) {
  return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ);
}
__attribute__((target("avx"))) inline std::uint32_t lt_bits(F8 a, F8 b) {
  return static_cast<std::uint32_t>(_mm256_movemask_ps(_mm256_cmp_ps(a, b, _CMP_LT_OQ)));
}
inline std::uint32_t lt_bits(F4 a, F4 b) { return static_cast<std::uint32_t>(_mm_movemask_ps(_mm_cmplt_ps(a, b))); }
#else
template <class V>
inline std::uint32_t lt_bits(V a, V b) {
  std::uint32_t bits = 0;
  for (int l = 0; l < static_cast<int>(sizeof(V) / sizeof(a[0])); ++l) bits |= (a[l] < b[l] ? 1U : 0U) << l;
  return bits;
}
#endif

// ---- The k-means++ candidate scan -------------------------------------------------------------
// Several candidates against one packed group (floats, see seed_centers). Candidate t scans the
// group's first blocks[t] blocks; for every row it is nearer to than the row's current centre,
// the gain goes into totals[t] and the row, with its squared distance to the candidate, into
// nearer[t], in group order (per candidate, the sums and the lists are those of a row-by-row
// loop), while the list holds fewer than list_cap rows (the sums take every row). Padding lanes
// have distance -1: never nearer.
constexpr std::size_t kMaxTrials = 64;  // 2 + ln k < 47 for any k
struct Nearer {
  std::uint32_t row;
  float sq;  // sq_dist_f(row, candidate), bit for bit
};
struct GroupScan {
  std::size_t n_trials;
  const float* const* candidates;
  const std::size_t* blocks;
  const float* coords;
  const float* closest;
  const std::uint32_t* rows;
  std::size_t d;
  double* totals;
  std::vector<Nearer>* nearer;
  std::size_t list_cap;
};

// NC candidates (trials ts[0..NC)) against block b: independent sums hide the latency of each
// lane's chain of additions, and the block's rows are loaded once for all of them.
template <std::size_t W, std::size_t NC>
[[gnu::always_inline]] inline void scan_block(const GroupScan& s, std::size_t b, const std::size_t* ts) {
  using V = typename VectorOf<float, W>::type;
  constexpr std::size_t L = kSeedLanes;
  constexpr std::size_t NV = L / W;
  const std::size_t d = s.d;
  const float* q[NC];
#pragma GCC unroll 4
  for (std::size_t c = 0; c < NC; ++c) q[c] = s.candidates[ts[c]];
  V acc[NC][NV];
#pragma GCC unroll 4
  for (std::size_t c = 0; c < NC; ++c) {
#pragma GCC unroll 4
    for (std::size_t v = 0; v < NV; ++v) acc[c][v] = V{};
  }
  const float* block = s.coords + b * d * L;
  for (std::size_t j = 0; j < d; ++j) {
    V x[NV];
#pragma GCC unroll 4
    for (std::size_t v = 0; v < NV; ++v) std::memcpy(&x[v], block + j * L + v * W, sizeof(V));
#pragma GCC unroll 4
    for (std::size_t c = 0; c < NC; ++c) {
      const float qj = q[c][j];
#pragma GCC unroll 4
      for (std::size_t v = 0; v < NV; ++v) {
        const V t = x[v] - qj;
        acc[c][v] += t * t;
      }
    }
  }
  const float* closest = s.closest + b * L;
  V cv[NV];
#pragma GCC unroll 4
  for (std::size_t v = 0; v < NV; ++v) std::memcpy(&cv[v], closest + v * W, sizeof(V));
#pragma GCC unroll 4
  for (std::size_t c = 0; c < NC; ++c) {
    std::uint32_t bits = 0;
#pragma GCC unroll 4
    for (std::size_t v = 0; v < NV; ++v) bits |= lt_bits(acc[c][v], cv[v]) << (v * W);
    if (bits == 0) continue;
    float sq[L];
#pragma GCC unroll 4
    for (std::size_t v = 0; v < NV; ++v) std::memcpy(sq + v * W, &acc[c][v], sizeof(V));
    double& total = s.totals[ts[c]];
    auto& nearer = s.nearer[ts[c]];
    for (; bits != 0; bits &= bits - 1) {
      const auto l = static_cast<std::size_t>(std::countr_zero(bits));
      total += static_cast<double>(closest[l]) - static_cast<double>(sq[l]);
      if (nearer.size() < s.list_cap) nearer.push_back(Nearer{s.rows[b * L + l], sq[l]});
    }
  }
}

template <std::size_t W>
[[gnu::always_inline]] inline void scan_group(const GroupScan& s) {
  std::size_t max_blocks = 0;
  for (std::size_t t = 0; t < s.n_trials; ++t) max_blocks = std::max(max_blocks, s.blocks[t]);
  std::size_t active[kMaxTrials];
  for (std::size_t b = 0; b < max_blocks; ++b) {
    std::size_t n_active = 0;
    for (std::size_t t = 0; t < s.n_trials; ++t) {
      if (s.blocks[t] > b) active[n_active++] = t;
    }
    std::size_t i = 0;
    for (; i + 4 <= n_active; i += 4) scan_block<W, 4>(s, b, active + i);
    switch (n_active - i) {
      case 3: scan_block<W, 3>(s, b, active + i); break;
      case 2: scan_block<W, 2>(s, b, active + i); break;
      case 1: scan_block<W, 1>(s, b, active + i); break;
      default: break;
    }
  }
}

// The squared distances of q to the rows of packed block b, W lanes per vector, into acc.
template <class E, std::size_t W>
[[gnu::always_inline]] inline void packed_block_sq(const E* q, const E* coords, std::size_t b, std::size_t d,
                                                   typename VectorOf<E, W>::type* acc) {
  using V = typename VectorOf<E, W>::type;
  constexpr std::size_t L = lanes_of<E>;
  constexpr std::size_t NV = L / W;
#pragma GCC unroll 4
  for (std::size_t v = 0; v < NV; ++v) acc[v] = V{};
  for (std::size_t j = 0; j < d; ++j) {
    const E* x = coords + (b * d + j) * L;
#pragma GCC unroll 4
    for (std::size_t v = 0; v < NV; ++v) {
      V xv;
      std::memcpy(&xv, x + v * W, sizeof(V));
      const V t = xv - q[j];
      acc[v] += t * t;
    }
  }
}

// The squared distances of q to the n_blocks * lanes packed rows, into out (the scalar sums:
// sq_dist's for doubles, sq_dist_f's for floats).
template <class E, std::size_t W>
[[gnu::always_inline]] inline void packed_sq_dists(const E* q, const E* coords, std::size_t n_blocks, std::size_t d,
                                                   E* out) {
  using V = typename VectorOf<E, W>::type;
  constexpr std::size_t L = lanes_of<E>;
  constexpr std::size_t NV = L / W;
  for (std::size_t b = 0; b < n_blocks; ++b) {
    V acc[NV];
    packed_block_sq<E, W>(q, coords, b, d, acc);
#pragma GCC unroll 4
    for (std::size_t v = 0; v < NV; ++v) std::memcpy(out + b * L + v * W, &acc[v], sizeof(V));
  }
}

// The nearest and second nearest of k packed centres to q, as the plain loop over the centres
// finds them (sq_dist's sums; the nearest is the first of least distance, the second the least of
// the others): per lane, the nearest and second nearest of the centres in that lane, merged at
// the end. Returns the nearest's index and squared distance and the second's.
struct NearestTwo {
  std::size_t best;
  double best_d;
  std::size_t second;
  double second_d;
};
template <std::size_t W>
[[gnu::always_inline]] inline NearestTwo packed_nearest_two(const double* q, const double* coords, std::size_t k,
                                                            std::size_t d) {
  using V = typename VectorOf<double, W>::type;
  using I = typename VectorOf<std::int64_t, W>::type;
  constexpr std::size_t L = kLanes;
  constexpr std::size_t NV = L / W;
  constexpr double kInf = std::numeric_limits<double>::infinity();
  V best[NV];
  V second[NV];
  I best_at[NV];
  I second_at[NV];
  I at[NV];
#pragma GCC unroll 4
  for (std::size_t v = 0; v < NV; ++v) {
    best[v] = V{} + kInf;
    second[v] = V{} + kInf;
    best_at[v] = I{};
    second_at[v] = I{};
    for (std::size_t l = 0; l < W; ++l) at[v][l] = static_cast<std::int64_t>(v * W + l);
  }
  const std::size_t n_blocks = (k + L - 1) / L;
  for (std::size_t b = 0; b < n_blocks; ++b) {
    V acc[NV];
    packed_block_sq<double, W>(q, coords, b, d, acc);
    if (b + 1 == n_blocks && k % L != 0) {  // padding centres: never nearer
#pragma GCC unroll 4
      for (std::size_t v = 0; v < NV; ++v) acc[v] = at[v] < static_cast<std::int64_t>(k) ? acc[v] : kInf;
    }
#pragma GCC unroll 4
    for (std::size_t v = 0; v < NV; ++v) {
      const auto nearer = acc[v] < best[v];
      const auto second_nearer = acc[v] < second[v];
      second[v] = nearer ? best[v] : (second_nearer ? acc[v] : second[v]);
      second_at[v] = nearer ? best_at[v] : (second_nearer ? at[v] : second_at[v]);
      best[v] = nearer ? acc[v] : best[v];
      best_at[v] = nearer ? at[v] : best_at[v];
      at[v] += static_cast<std::int64_t>(L);
    }
  }
  double lane_best[L];
  double lane_second[L];
  std::int64_t lane_best_at[L];
  std::int64_t lane_second_at[L];
#pragma GCC unroll 4
  for (std::size_t v = 0; v < NV; ++v) {
    std::memcpy(lane_best + v * W, &best[v], sizeof(V));
    std::memcpy(lane_second + v * W, &second[v], sizeof(V));
    std::memcpy(lane_best_at + v * W, &best_at[v], sizeof(I));
    std::memcpy(lane_second_at + v * W, &second_at[v], sizeof(I));
  }
  std::size_t top = 0;  // the lane of the nearest: least distance, then least index
  for (std::size_t l = 1; l < L; ++l) {
    if (lane_best[l] < lane_best[top] || (lane_best[l] == lane_best[top] && lane_best_at[l] < lane_best_at[top])) top = l;
  }
  NearestTwo r{static_cast<std::size_t>(lane_best_at[top]), lane_best[top],
               static_cast<std::size_t>(lane_second_at[top]), lane_second[top]};
  for (std::size_t l = 0; l < L; ++l) {
    if (l != top && lane_best[l] < r.second_d) {
      r.second_d = lane_best[l];
      r.second = static_cast<std::size_t>(lane_best_at[l]);
    }
  }
  return r;
}

struct ScanKernels {
  void (*scan_group)(const GroupScan&);
  void (*sq_dists)(const double* q, const double* coords, std::size_t n_blocks, std::size_t d, double* out);
  void (*sq_dists_f)(const float* q, const float* coords, std::size_t n_blocks, std::size_t d, float* out);
  NearestTwo (*nearest_two)(const double* q, const double* coords, std::size_t k, std::size_t d);
};
// One kernel set per instruction set: W doubles or 2 W floats per vector.
#define IMBAL_KMEANS_KERNELS(SUFFIX, W)                                                                         \
  void scan_group_##SUFFIX(const GroupScan& s) { scan_group<2 * (W)>(s); }                                      \
  void sq_dists_##SUFFIX(const double* q, const double* coords, std::size_t n_blocks, std::size_t d, double* out) { \
    packed_sq_dists<double, W>(q, coords, n_blocks, d, out);                                                    \
  }                                                                                                             \
  void sq_dists_f_##SUFFIX(const float* q, const float* coords, std::size_t n_blocks, std::size_t d, float* out) { \
    packed_sq_dists<float, 2 * (W)>(q, coords, n_blocks, d, out);                                               \
  }                                                                                                             \
  NearestTwo nearest_two_##SUFFIX(const double* q, const double* coords, std::size_t k, std::size_t d) {        \
    return packed_nearest_two<W>(q, coords, k, d);                                                              \
  }
IMBAL_KMEANS_KERNELS(generic, 2)
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#pragma GCC push_options
#pragma GCC target("avx512f")
IMBAL_KMEANS_KERNELS(avx512, 8)
#pragma GCC pop_options
#pragma GCC push_options
#pragma GCC target("avx2")
IMBAL_KMEANS_KERNELS(avx2, 4)
#pragma GCC pop_options
#endif
#undef IMBAL_KMEANS_KERNELS

// Tests: the largest number of bytes the packed rows of one k-means++ run held at once.
std::atomic<bool> g_track_packed{false};
std::atomic<std::size_t> g_arena_start{0};  // tests: the arena's first size in blocks (0: the usual)
std::atomic<std::size_t> g_packed_peak{0};
std::atomic<int> g_kernel_override{0};  // 0: the best; 1 generic, 2 AVX2, 3 AVX-512 (at most)

ScanKernels scan_kernels(int* chosen = nullptr) {
  int best = 1;
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) {
    best = 3;
  } else if (__builtin_cpu_supports("avx2")) {
    best = 2;
  }
#endif
  const int wanted = g_kernel_override.load(std::memory_order_relaxed);
  const int use = wanted > 0 ? std::min(wanted, best) : best;
  if (chosen != nullptr) *chosen = use;
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  if (use == 3) return {scan_group_avx512, sq_dists_avx512, sq_dists_f_avx512, nearest_two_avx512};
  if (use == 2) return {scan_group_avx2, sq_dists_avx2, sq_dists_f_avx2, nearest_two_avx2};
#endif
  return {scan_group_generic, sq_dists_generic, sq_dists_f_generic, nearest_two_generic};
}

// Runs fn(block) for every block, on up to `jobs` threads.
template <class Fn>
void for_blocks(std::size_t n_blocks, std::size_t jobs, Fn&& fn) {
  const std::size_t n_threads = std::min(jobs, n_blocks);
  if (n_threads <= 1) {
    for (std::size_t b = 0; b < n_blocks; ++b) fn(b);
    return;
  }
  std::atomic<std::size_t> next{0};
  detail::run_on_threads(n_threads, [&] {
    for (std::size_t b = next++; b < n_blocks; b = next++) fn(b);
  });
}

// Whether the Lloyd steps scan every centre directly rather than through the neighbour engine,
// whose set-up per step and per row costs more when the centres are few (measured: abalone's 32
// centres 1.6x, oil's 41 x 49 columns 1.5x faster direct; pima's 268 even; mammography's 260
// x 6 columns 1.6x slower direct).
bool few_centres(std::size_t k, std::size_t d) { return k <= 128 && k * d <= 4096; }

// k-means++'s local trials per centre (scikit-learn: 2 + floor(ln k)).
std::size_t trials_of(std::size_t k) { return 2 + static_cast<std::size_t>(std::log(static_cast<double>(k))); }

class Runner {
 public:
  Runner(RowSource X, const KMeansOptions& options)
      : X_(X), n_(X.rows), d_(X.X.cols), k_(options.n_clusters), options_(options),
        n_blocks_((X.rows + kBlock - 1) / kBlock) {
    const std::size_t hw = std::max(1U, std::thread::hardware_concurrency());
    jobs_ = options.n_jobs > 0 ? static_cast<std::size_t>(options.n_jobs) : hw;
    // An absolute margin for the bounds, far above the rounding that updating them accumulates:
    // 1e-9 of the largest row norm (every centre lies in the rows' convex hull).
    double largest = 0.0;
    for (std::size_t i = 0; i < n_; ++i) {
      double norm = 0.0;
      for (std::size_t j = 0; j < d_; ++j) norm += X_(i, j) * X_(i, j);
      largest = std::max(largest, norm);
    }
    abs_margin_ = kMargin * std::sqrt(largest);
    scale_seed_rows();
  }

  // Runs side by side, one thread each: the threads with no run left to start (`idle` of
  // `threads`) help the runs still going, from 4096 rows (below, starting the threads of a step
  // cost more than they saved: thyroid's 3,541 rows 3 % slower, satimage's 5,809 3 % faster).
  // Measured at 2 threads: gen_100k 14.5 -> 13.6 s (one run was left alone for about 1 s), letter
  // 743 -> 725 ms, mammography 175 -> 167 ms. The results do not depend on the thread count.
  void share_idle_threads(const std::atomic<std::size_t>* idle, std::size_t threads, std::size_t all_jobs) {
    idle_ = idle;
    runs_side_by_side_ = threads;
    all_jobs_ = all_jobs;
  }
  std::size_t jobs() const {
    if (idle_ == nullptr || n_ < 2 * kBlock) return jobs_;
    const std::size_t idle = idle_->load(std::memory_order_relaxed);
    const std::size_t going = runs_side_by_side_ > idle ? runs_side_by_side_ - idle : 1;
    return std::min(all_jobs_, jobs_ + idle / going);
  }

  // scikit-learn's _tolerance: mean of the per-feature variances times tol.
  double scaled_tol() const {
    double total = 0.0;
    for (std::size_t j = 0; j < d_; ++j) {
      double mean = 0.0;
      for (std::size_t i = 0; i < n_; ++i) mean += X_(i, j);
      mean /= static_cast<double>(n_);
      double var = 0.0;
      for (std::size_t i = 0; i < n_; ++i) {
        const double t = X_(i, j) - mean;
        var += t * t;
      }
      total += var / static_cast<double>(n_);
    }
    return total / static_cast<double>(d_) * options_.tol;
  }

  // k-means++ (scikit-learn's _kmeans_plusplus): the first centre uniformly, then each centre
  // the best of 2 + floor(ln k) candidates drawn with probability proportional to the squared
  // distance to the nearest chosen centre; the best lowers the potential (the sum of those
  // distances) most (the first such).
  //
  // The distances of the seeding are taken in single precision, on the rows centred and scaled
  // by a power of two (seed_row): half the memory to read and twice the lanes per instruction.
  // The coordinates move by at most 2^-24 of the largest centred value, the arithmetic adds at
  // most about (d + 2) 2^-24 relative: errors of the kind scikit-learn's own
  // ||x||^2 - 2 x.c + ||c||^2 makes in double (relative to the norms, not to the distance). Only
  // the choice among the candidates can change with them (a near tie); the centres are rows of
  // X, and the Lloyd steps that follow are exact in double precision.
  //
  // Rows are kept in groups by their nearest chosen centre (the owner), sorted by their squared
  // distance to it, farthest first (ties by row). A candidate q can bring a row x nearer only if
  // |q - owner| < 2 |x - owner| (triangle inequality, Elkan 2003's centre-to-centre test), so of
  // each group only the rows with 4 |x - owner|^2 > |q - owner|^2 - a prefix, often none - are
  // scanned, 16 at a time (packed groups, see GroupScan): late candidates visit a few rows
  // instead of every row. The test keeps a margin (seed_margin_) above the rounding of the float
  // distances, so a skipped row could not have gained in the plain scan either: without bounds
  // every row is scanned and the centres are the same bit for bit. Sampling walks per-block sums
  // of the distances, updated only where rows changed.
  //
  // With `nearest`, also each row's nearest seed (by the float distances) and, in `other`, another
  // seed: the one it was nearest before, else any - hints for the first E-step.
  Matrix seed_centers(Rng& rng, RunVector<std::uint32_t>* nearest = nullptr,
                      RunVector<std::uint32_t>* other = nullptr) const {
    constexpr std::size_t kSampleBlock = 128;
    constexpr std::size_t L = kSeedLanes;
    const Subnormals flushed(Subnormals::flush);
    const ScanKernels& kernels = kernels_;
    const std::size_t d = d_;
    // Rows in single precision, written where they are needed (a packed lane, a candidate's or a
    // centre's copy) rather than kept as a copy of all the rows (8 MB on gen_100k): rows row_at(r),
    // r < count (at most kBatch), into out. In IEEE mode: the flush mode reads subnormals as 0.
    constexpr std::size_t kBatch = 256;
    std::vector<float> batch(kBatch * d);
    auto rows_f = [&](auto&& row_at, std::size_t count, float* out) {
      // (a group's rows are in distance order, scattered over X: their lines are fetched first)
      for (std::size_t r = 0; r < count; ++r) {
        const char* row = reinterpret_cast<const char*>(X_.row(row_at(r)));
        for (std::size_t byte = 0; byte < d * sizeof(double); byte += 64) __builtin_prefetch(row + byte);
      }
      const Subnormals ieee(Subnormals::keep);
      for (std::size_t r = 0; r < count; ++r) seed_row(row_at(r), out + r * d);
    };
    Matrix centers(k_, d);
    const std::size_t first = static_cast<std::size_t>(rng.below(n_));
    std::copy_n(X_.row(first), d, centers.row(0));
    const bool bounds = options_.use_bounds && seed_margin_ < 0.25;
    RunVector<float> closest(n_);
    RunVector<std::uint32_t> owner(n_, 0);
    constexpr auto kNone = std::numeric_limits<std::uint32_t>::max();
    RunVector<std::uint32_t> before(nearest != nullptr ? n_ : 0, kNone);  // the previous owner
    RunVector<std::uint32_t> everyone(n_);
    std::vector<float> first_row(d);
    rows_f([&](std::size_t) { return first; }, 1, first_row.data());
    for (std::size_t i0 = 0; i0 < n_; i0 += kBatch) {
      const std::size_t m = std::min(kBatch, n_ - i0);
      rows_f([&](std::size_t r) { return i0 + r; }, m, batch.data());
      for (std::size_t r = 0; r < m; ++r) {
        everyone[i0 + r] = static_cast<std::uint32_t>(i0 + r);
        closest[i0 + r] = sq_dist_f(batch.data() + r * d, first_row.data(), d);
      }
    }
    std::vector<RunVector<std::uint32_t>> members;  // group 0 holds every row
    members.reserve(k_);
    members.push_back(std::move(everyone));
    members.resize(k_);
    // Each group's rows and distances, packed for the scan, in one arena of blocks (L rows: d x L
    // coordinates and L distances) per run: group j owns the blocks_of(j) blocks from
    // first_block[j]. A new group goes after the last one; when there is no room, the groups
    // slide down (in creation order, their order in the arena) over the blocks that compaction
    // freed, and if that is not enough room the arena grows (by at least an eighth).
    // Compaction keeps fewer than a tenth of a group's lanes gone, so the live blocks never
    // exceed n / (0.9 L) + k (a partial block per group); in practice fewer, so the arena starts
    // at n / L blocks plus k / 2 for the groups' partial blocks (k when the groups average fewer
    // than 32 rows) plus n / (16 L) to slide into. A slide moves the rows about once per n / 16
    // rows that join new groups (gen_100k: 14 slides in a run of 2.6 s; no growth there nor on
    // the shared numeric files, 3 runs each; a test makes it grow). One buffer per run, and no
    // group-by-group allocations: on gen_100k with two runs at a time the groups' own buffers
    // made the process hold about 30 MB more than they used.
    const std::size_t slack_blocks = (n_ + 16 * L - 1) / (16 * L);
    std::size_t arena_blocks = (n_ + L - 1) / L + (n_ >= 32 * k_ ? k_ / 2 : k_) + slack_blocks;
    if (const std::size_t forced = g_arena_start.load(std::memory_order_relaxed); forced != 0) arena_blocks = forced;
    RunVector<float> arena_coords(arena_blocks * d * L);
    RunVector<float> arena_closest(arena_blocks * L);
    std::vector<std::size_t> first_block(k_, 0);
    std::size_t used_blocks = 0;
    std::size_t most_used = 0;
    auto blocks_of = [&](std::size_t j) { return (members[j].size() + L - 1) / L; };
    auto coords_of = [&](std::size_t j) { return arena_coords.data() + first_block[j] * d * L; };
    auto closest_of = [&](std::size_t j) { return arena_closest.data() + first_block[j] * L; };
    // Room for group j's blocks after groups [0, j).
    auto place = [&](std::size_t j, std::size_t blocks) {
      if (used_blocks + blocks > arena_blocks) {
        std::size_t at = 0;
        for (std::size_t g = 0; g < j; ++g) {
          const std::size_t nb = blocks_of(g);
          if (nb != 0 && first_block[g] != at) {
            std::memmove(arena_coords.data() + at * d * L, coords_of(g), nb * d * L * sizeof(float));
            std::memmove(arena_closest.data() + at * L, closest_of(g), nb * L * sizeof(float));
          }
          first_block[g] = at;
          at += nb;
        }
        used_blocks = at;
        if (used_blocks + blocks > arena_blocks) {
          arena_blocks = std::max(used_blocks + blocks + slack_blocks, arena_blocks + arena_blocks / 8);
          arena_coords.resize(arena_blocks * d * L);
          arena_closest.resize(arena_blocks * L);
        }
      }
      first_block[j] = used_blocks;
      used_blocks += blocks;
      most_used = std::max(most_used, used_blocks);
    };
    // 4 x the largest squared distance in each group (-1 when empty): a candidate q can bring a
    // row of group j nearer only if |q - c_j|^2 (1 - margin) <= reach[j].
    std::vector<float> reach(k_, -1.0F);
    RunVector<std::uint64_t> sort_keys;
    RunVector<std::uint32_t> lane_of(n_);  // each row's lane in its group's packed copy
    std::vector<std::uint32_t> gone(k_, 0);  // per group, the lanes of rows that left it
    auto pack = [&](std::size_t j) {
      auto& group = members[j];
      // Farthest first, ties by row: sorted as 64-bit keys, the distance's bits (non-negative
      // floats order as their bits) inverted above the row.
      sort_keys.resize(group.size());
      for (std::size_t p = 0; p < group.size(); ++p) {
        const auto bits = std::bit_cast<std::uint32_t>(closest[group[p]]);
        sort_keys[p] = (static_cast<std::uint64_t>(~bits) << 32) | group[p];
      }
      std::sort(sort_keys.begin(), sort_keys.end());
      for (std::size_t p = 0; p < group.size(); ++p) group[p] = static_cast<std::uint32_t>(sort_keys[p]);
      // The first groups are the largest (the first holds every row): their keys are not kept.
      if (sort_keys.capacity() > 65536) RunVector<std::uint64_t>().swap(sort_keys);
      const std::size_t blocks = blocks_of(j);
      place(j, blocks);
      float* coords = coords_of(j);
      float* cl = closest_of(j);
      if (blocks != 0) {  // the last block's padding lanes: zeros, distance -1 (never nearer)
        std::fill_n(coords + (blocks - 1) * d * L, d * L, 0.0F);
        std::fill_n(cl + (blocks - 1) * L, L, -1.0F);
      }
      for (std::size_t p0 = 0; p0 < group.size(); p0 += kBatch) {
        const std::size_t m = std::min(kBatch, group.size() - p0);
        rows_f([&](std::size_t r) { return group[p0 + r]; }, m, batch.data());
        for (std::size_t r = 0; r < m; ++r) pack_row(coords, p0 + r, batch.data() + r * d, d);
      }
      for (std::size_t p = 0; p < group.size(); ++p) {
        cl[p] = closest[group[p]];
        lane_of[group[p]] = static_cast<std::uint32_t>(p);
      }
      reach[j] = group.empty() ? -1.0F : 4.0F * cl[0];
    };
    pack(0);
    // Drops the rows that left group j from its packed copy (the order, hence the sort, stays).
    auto compact = [&](std::size_t j) {
      auto& group = members[j];
      float* coords = coords_of(j);
      float* cl = closest_of(j);
      std::size_t kept = 0;
      for (std::size_t p = 0; p < group.size(); ++p) {
        const std::uint32_t i = group[p];
        if (owner[i] != j) continue;
        if (kept != p) {
          group[kept] = i;
          cl[kept] = cl[p];
          const float* from = packed_slot(coords, p, d);
          float* to = packed_slot(coords, kept, d);
          for (std::size_t col = 0; col < d; ++col) to[col * L] = from[col * L];
          lane_of[i] = static_cast<std::uint32_t>(kept);
        }
        ++kept;
      }
      group.erase(group.begin() + static_cast<std::ptrdiff_t>(kept), group.end());
      gone[j] = 0;
      // (its freed blocks are the arena's to reuse at the next slide)
      std::fill(cl + kept, cl + blocks_of(j) * L, -1.0F);
      reach[j] = kept == 0 ? -1.0F : 4.0F * cl[0];
      if (2 * group.size() < group.capacity()) group.shrink_to_fit();
    };
    // The chosen centres, packed the same way, and one candidate's squared distances to them.
    std::vector<float> packed_centers(((k_ + L - 1) / L) * d * L, 0.0F);
    auto add_center = [&](std::size_t c, std::size_t row) {
      rows_f([&](std::size_t) { return row; }, 1, batch.data());
      pack_row(packed_centers.data(), c, batch.data(), d);
    };
    add_center(0, first);
    std::vector<std::vector<float>> center_dist(trials_of(k_), std::vector<float>(packed_centers.size() / d));
    std::vector<std::vector<char>> visit_of(trials_of(k_));  // per range of trials (its first)
    const std::size_t n_sample_blocks = (n_ + kSampleBlock - 1) / kSampleBlock;
    std::vector<double> block_sum(n_sample_blocks, 0.0);
    std::vector<char> dirty(n_sample_blocks, 1);
    auto refresh_sums = [&] {
      for (std::size_t b = 0; b < n_sample_blocks; ++b) {
        if (dirty[b] == 0) continue;
        double sum = 0.0;
        for (std::size_t i = b * kSampleBlock; i < std::min(n_, (b + 1) * kSampleBlock); ++i) {
          sum += static_cast<double>(closest[i]);
        }
        block_sum[b] = sum;
        dirty[b] = 0;
      }
    };
    // First row whose cumulative distance reaches r (numpy's searchsorted, side="left"); whole
    // blocks are skipped by their sums, rows are accumulated one by one from there.
    auto draw = [&](double r) {
      double acc = 0.0;
      std::size_t b = 0;
      while (b + 1 < n_sample_blocks && acc + block_sum[b] < r) acc += block_sum[b++];
      for (std::size_t i = b * kSampleBlock; i < n_; ++i) {
        acc += static_cast<double>(closest[i]);
        if (acc >= r) return i;
      }
      return n_ - 1;
    };
    const std::size_t trials = trials_of(k_);
    IMBAL_ASSERT(trials <= kMaxTrials);
    const auto keep = static_cast<float>(1.0 - seed_margin_);
    std::vector<std::size_t> candidate(trials);
    std::vector<float> candidate_rows(trials * d);
    std::vector<double> gain(trials);
    // The rows each candidate is nearer to. In the first steps a candidate is nearer to a large
    // share of the rows; a list stops at list_cap rows (1/16 of them: the lists of all trials
    // then hold half a row index per row), and if the best candidate's list is full, its groups are
    // scanned again without the cap (the same distances, bit for bit). On gen_100k the lists
    // held up to 8 MB per run before.
    const std::size_t list_cap = std::max<std::size_t>(4096, n_ / 16);
    std::vector<std::vector<Nearer>> nearer(trials);
    for (auto& list : nearer) list.reserve(std::min(list_cap, n_));  // (a list never holds more rows than there are)
    std::vector<char> lost(k_, 0);
    for (std::size_t c = 1; c < k_; ++c) {
      refresh_sums();
      double potential = 0.0;
      for (const double v : block_sum) potential += v;
      for (std::size_t t = 0; t < trials; ++t) candidate[t] = draw(rng.uniform() * potential);
      rows_f([&](std::size_t t) { return candidate[t]; }, trials, candidate_rows.data());
      // Trials [t0, t1) group by group: per group, each trial's prefix of rows that may gain.
      auto evaluate = [&](std::size_t t0, std::size_t t1, std::size_t cap) {
        const Subnormals flushed_here(Subnormals::flush);  // on every thread of the run
        const float* q[kMaxTrials];
        std::size_t blocks[kMaxTrials];
        // visit[j]: some trial may bring a row of group j nearer.
        std::vector<char>& visit = visit_of[t0];
        visit.assign(c, bounds ? 0 : 1);
        for (std::size_t t = t0; t < t1; ++t) {
          q[t - t0] = candidate_rows.data() + t * d;
          gain[t] = 0.0;
          // (a list that grew past the cap in a second scan gives its memory back)
          if (nearer[t].capacity() > list_cap) {
            std::vector<Nearer>().swap(nearer[t]);
            nearer[t].reserve(std::min(list_cap, n_));
          }
          nearer[t].clear();
          if (!bounds) continue;
          float* to_center = center_dist[t].data();
          kernels.sq_dists_f(q[t - t0], packed_centers.data(), (c + L - 1) / L, d, to_center);
          for (std::size_t j = 0; j < c; ++j) {
            to_center[j] *= keep;
            visit[j] |= static_cast<char>(!(to_center[j] > reach[j]));
          }
        }
        for (std::size_t j = 0; j < c; ++j) {
          if (visit[j] == 0) continue;
          const auto& group = members[j];
          const float* cl = closest_of(j);
          const std::size_t n_blocks = blocks_of(j);
          std::size_t any = 0;
          for (std::size_t t = t0; t < t1; ++t) {
            std::size_t count = n_blocks;
            if (bounds) {
              // The rows with 4 closest >= limit are a prefix (sorted, farthest first): the
              // blocks to scan are those whose first (largest) row passes.
              const float limit = center_dist[t][j];
              count = 0;
              if (!(limit > reach[j])) {
                for (std::size_t b = 0; b < n_blocks; ++b) count += static_cast<std::size_t>(!(limit > 4.0F * cl[b * L]));
              }
            }
            blocks[t - t0] = count;
            any |= count;
          }
          if (any == 0) continue;
          kernels.scan_group(GroupScan{t1 - t0, q, blocks, coords_of(j), cl, group.data(), d, gain.data() + t0,
                                       nearer.data() + t0, cap});
        }
      };
      const std::size_t jobs_now = jobs();  // read once: idle threads may join between steps
      if (jobs_now > 1 && n_ >= 4 * kBlock) {
        // Contiguous ranges of trials per thread: each trial's sums are computed as sequentially.
        const std::size_t parts = std::min(jobs_now, trials);
        for_blocks(parts, jobs_now,
                   [&](std::size_t part) { evaluate(part * trials / parts, (part + 1) * trials / parts, list_cap); });
      } else {
        evaluate(0, trials, list_cap);
      }
      std::size_t best = 0;
      for (std::size_t t = 1; t < trials; ++t) {
        if (gain[t] > gain[best]) best = t;
      }
      if (nearer[best].size() >= list_cap) evaluate(best, best + 1, n_);  // its list may be cut short
      // The rows the chosen centre is nearer to join its group.
      std::copy_n(X_.row(candidate[best]), d, centers.row(c));
      members[c].reserve(nearer[best].size());
      for (const Nearer& joined : nearer[best]) {
        const std::uint32_t i = joined.row;
        if (nearest != nullptr) before[i] = owner[i];
        lost[owner[i]] = 1;
        // Its lane in the old group stays until that group is compacted, with coordinates that
        // no candidate is ever nearer to (NaN: the comparisons are false).
        float* slot = packed_slot(coords_of(owner[i]), lane_of[i], d);
        for (std::size_t col = 0; col < d; ++col) slot[col * L] = std::numeric_limits<float>::quiet_NaN();
        ++gone[owner[i]];
        owner[i] = static_cast<std::uint32_t>(c);
        closest[i] = joined.sq;  // the scan's value: sq_dist_f's, bit for bit
        members[c].push_back(i);
        dirty[i / kSampleBlock] = 1;
      }
      if (c + 1 == k_) break;  // no candidate scans the groups again
      for (std::size_t j = 0; j < c; ++j) {
        if (lost[j] == 0) continue;
        lost[j] = 0;
        // Compacting costs the whole group: only once a tenth of its lanes are gone (a fifth:
        // the same time on letter and satimage, thyroid 4 % slower, the arena 0.5 MB larger
        // per run on gen_100k).
        if (10 * gone[j] >= members[j].size()) compact(j);
      }
      pack(c);  // after the compactions: the arena's bound needs them
      add_center(c, candidate[best]);
      if (g_track_packed.load(std::memory_order_relaxed)) {
        const std::size_t held = most_used * d * L * sizeof(float);
        std::size_t seen = g_packed_peak.load(std::memory_order_relaxed);
        while (held > seen && !g_packed_peak.compare_exchange_weak(seen, held)) {
        }
      }
    }
    if (nearest != nullptr && k_ > 1) {
      for (std::size_t i = 0; i < n_; ++i) {
        if (before[i] == kNone) before[i] = owner[i] == 0 ? 1 : 0;
      }
      *nearest = std::move(owner);
      *other = std::move(before);
    }
    return centers;
  }

  // Hamerly's bounds for the E-steps: per row, a lower bound on its distance to every centre but
  // its own (not squared), and the centres it was computed for.
  struct Bounds {
    RunVector<double> lower;
    RunVector<std::uint32_t> second;  // the second nearest centre when `lower` was computed
    Matrix previous;
    bool valid = false;
    // Before the first E-step: the labels hold each row's nearest seed and `second` another seed
    // (the one it was nearest before), from the k-means++ seeding - not bounds, but the hints.
    bool seeded = false;
    // Per-step buffers, kept from step to step (fresh ones cost page faults at every step).
    RunVector<char> settled_row;
    RunVector<double> hint;
    RunVector<std::uint32_t> todo;  // (row indices fit: n < 2^32 rows)
  };

  // The centres that moved most in a step: when one centre moves far, Hamerly's bound drops by
  // that move for every row, and most rows then fail its test; but a row whose bound less the
  // next largest move still clears its own centre can only go to one of these few, whose exact
  // distances settle it (the idea of Yinyang's groups - Ding et al., ICML 2015 - with one group:
  // the fastest centres of the step). Measured (one thread, 2 runs): the rows sent to the
  // neighbour engine after the first step fell 30 % on letter, 27 % on mammography; a run took
  // 8-12 % less time on letter, satimage, thyroid and mammography, 13-18 % on gen_100k. With 16
  // or 32 fast centres it was no faster; the direct scan (few centres) gained nothing.
  static constexpr std::size_t kFast = kLanes;  // one packed block
  struct FastCentres {
    std::array<std::uint32_t, kFast> centre{};
    std::vector<double> packed;  // empty: no test this step (too few centres, or no bounds yet)
    double next_move = 0.0;      // the largest move of the other centres
  };
  FastCentres fast_centres(const Matrix& centers, const std::vector<double>& moves) const {
    FastCentres fast;
    if (k_ <= 2 * kFast) return fast;
    std::vector<std::uint32_t> order(k_);
    for (std::size_t c = 0; c < k_; ++c) order[c] = static_cast<std::uint32_t>(c);
    // The kFast fastest (ties: lower centre), then the fastest of the rest.
    std::nth_element(order.begin(), order.begin() + kFast, order.end(), [&](std::uint32_t a, std::uint32_t b) {
      return moves[a] > moves[b] || (moves[a] == moves[b] && a < b);
    });
    fast.packed.assign(d_ * kLanes, 0.0);
    for (std::size_t f = 0; f < kFast; ++f) {
      fast.centre[f] = order[f];
      pack_row(fast.packed.data(), f, centers.row(order[f]), d_);
    }
    fast.next_move = moves[order[kFast]];
    return fast;
  }

  // Row i's nearest centre among its own and the fast ones (the first of least exact distance;
  // every other centre is strictly farther than `others_lower` > its own), its new bound and hint.
  void settle_among_fast(std::size_t i, std::size_t own, double d_own, double others_lower, const FastCentres& fast,
                         Bounds& bounds, RunVector<std::int32_t>& labels, RunVector<double>& dist) const {
    std::array<double, kFast> fast_d;
    kernels_.sq_dists(X_.row(i), fast.packed.data(), 1, d_, fast_d.data());
    std::size_t best = own;
    double best_d = d_own;
    for (std::size_t f = 0; f < kFast; ++f) {
      const std::size_t c = fast.centre[f];
      if (fast_d[f] < best_d || (fast_d[f] == best_d && c < best)) {
        best_d = fast_d[f];
        best = c;
      }
    }
    // The bound on all but the nearest.
    double second_d = best != own ? d_own : std::numeric_limits<double>::infinity();
    for (std::size_t f = 0; f < kFast; ++f) {
      if (fast.centre[f] != best) second_d = std::min(second_d, fast_d[f]);
    }
    bounds.lower[i] = std::min(others_lower, std::sqrt(second_d));
    // The engine's hint for later steps: the old own centre when the row moves; otherwise the
    // second nearest of the last search still (likely nearer than any fast centre).
    if (best != own) bounds.second[i] = static_cast<std::uint32_t>(own);
    labels[i] = static_cast<std::int32_t>(best);
    dist[i] = best_d;
  }

  // The centres packed kLanes to a block, column by column (the layout of the scan kernels).
  std::vector<double> pack_centers(const Matrix& centers) const {
    std::vector<double> packed(((k_ + kLanes - 1) / kLanes) * d_ * kLanes, 0.0);
    for (std::size_t c = 0; c < k_; ++c) pack_row(packed.data(), c, centers.row(c), d_);
    return packed;
  }

  // Per centre, half its distance to the nearest other centre (packed exact kernel).
  std::vector<double> half_gaps(const Matrix& centers, const std::vector<double>& packed_centers) const {
    const ScanKernels& kernels = kernels_;
    const std::size_t blocks = (k_ + kLanes - 1) / kLanes;
    std::vector<double> half(k_);
    const std::size_t tasks = (k_ + 63) / 64;
    for_blocks(tasks, jobs(), [&](std::size_t task) {
      std::vector<double> to_center(blocks * kLanes);
      for (std::size_t c = task * 64; c < std::min(k_, (task + 1) * 64); ++c) {
        kernels.sq_dists(centers.row(c), packed_centers.data(), blocks, d_, to_center.data());
        double least = std::numeric_limits<double>::infinity();
        for (std::size_t o = 0; o < k_; ++o) {
          if (o != c) least = std::min(least, to_center[o]);
        }
        half[c] = 0.5 * std::sqrt(least);
      }
    });
    return half;
  }

  // One E-step (labels, distances to the own centre) and, with `sums`, the per-cluster sums
  // and counts for the M-step. Returns the inertia.
  double assign(const Matrix& centers, RunVector<std::int32_t>& labels, RunVector<double>& dist,
                std::vector<double>* sums, std::vector<std::size_t>* counts, Bounds* bounds = nullptr) const {
    std::vector<double> block_inertia(n_blocks_, 0.0);
    // How far the centres moved since the bounds were computed: the largest move, the centre that
    // made it, and the largest move of the others.
    const bool use = bounds != nullptr && bounds->valid;
    double move1 = 0.0;
    double move2 = 0.0;
    std::size_t move1_at = 0;
    std::vector<double> moves(use ? k_ : 0);
    if (use) {
      for (std::size_t c = 0; c < k_; ++c) {
        const double m = std::sqrt(sq_dist(bounds->previous.row(c), centers.row(c), d_));
        moves[c] = m;
        if (m > move1) {
          move2 = move1;
          move1 = m;
          move1_at = c;
        } else if (m > move2) {
          move2 = m;
        }
      }
    }
    const bool direct = k_ > 1 && few_centres(k_, d_);
    const FastCentres fast = use && !direct ? fast_centres(centers, moves) : FastCentres();
    if (bounds != nullptr && bounds->lower.size() != n_) {
      bounds->lower.assign(n_, 0.0);
      bounds->second.assign(n_, 0);
    }
    // Pass 1 (with valid bounds): rows whose own centre is certainly still the nearest are settled
    // (Hamerly's test); their distance goes to dist[i].
    RunVector<char> own_settled_row;
    RunVector<char>& settled_row = bounds != nullptr ? bounds->settled_row : own_settled_row;
    settled_row.assign(use ? n_ : 0, 0);
    // Hamerly's second test: half the distance from each centre to its nearest other centre. A
    // row nearer its own centre than that is nearer it than any other (triangle inequality).
    // Only with few centres: its k^2 distances per step cost more than they settle otherwise
    // (measured: abalone 1.23x faster; letter 1.22x, satimage 1.4x slower with it).
    // For the rows the engine will scan: their squared distance to two distinct centres (own and
    // last second nearest), the larger of which bounds the distance to the second nearest from
    // above - the engine's hint.
    const bool hinted = use || (bounds != nullptr && bounds->seeded);
    RunVector<double> own_hint;
    RunVector<double>& hint = bounds != nullptr ? bounds->hint : own_hint;
    hint.resize(hinted && !direct ? n_ : 0);  // every row the engine reads is written below
    const std::vector<double> packed_centers = bounds != nullptr && direct ? pack_centers(centers) : std::vector<double>();
    const std::vector<double> half_gap =
        use && direct ? half_gaps(centers, packed_centers) : std::vector<double>(k_, 0.0);
    if (hinted && (use || !direct)) {
      for_blocks(n_blocks_, jobs(), [&](std::size_t b) {
        const std::size_t begin = b * kBlock;
        const std::size_t m = std::min(n_, begin + kBlock) - begin;
        std::vector<const double*> rows(m);
        std::vector<const double*> to(m);
        std::vector<double> d_own(m);
        for (std::size_t r = 0; r < m; ++r) {
          rows[r] = X_.row(begin + r);
          to[r] = centers.row(static_cast<std::size_t>(labels[begin + r]));
        }
        sq_dist_many(rows.data(), to.data(), m, d_, d_own.data());
        // The rows left to search (their position in the block), for their hint.
        std::vector<std::size_t> open_rows(m);
        std::size_t open = 0;
        for (std::size_t r = 0; r < m; ++r) {
          const std::size_t i = begin + r;
          const auto own = static_cast<std::size_t>(labels[i]);
          double& lower = bounds->lower[i];
          const double previous_lower = lower;
          lower -= own == move1_at ? move2 : move1;
          // Every other centre is farther than `lower` > the own centre (strictly, with a margin
          // far above rounding): the plain scan would pick the own centre with this distance.
          const double bound = std::max(lower, half_gap[own]);
          const double reach = std::sqrt(d_own[r]) * (1.0 + kMargin) + abs_margin_;
          if (use && reach < bound * (1.0 - kMargin) - abs_margin_) {
            settled_row[i] = 1;
            dist[i] = d_own[r];
          } else if (!fast.packed.empty() && reach < (previous_lower - fast.next_move) * (1.0 - kMargin) - abs_margin_) {
            // Every centre but the fastest is still farther than the own centre: the nearest is
            // the own centre or a fast one, from their exact distances.
            settle_among_fast(i, own, d_own[r], previous_lower - fast.next_move, fast, *bounds, labels, dist);
            settled_row[i] = 1;
          } else if (!direct) {
            rows[open] = rows[r];
            to[open] = centers.row(bounds->second[i]);
            d_own[open] = d_own[r];
            open_rows[open++] = r;
          }
        }
        std::vector<double> d_second(open);
        sq_dist_many(rows.data(), to.data(), open, d_, d_second.data());
        for (std::size_t o = 0; o < open; ++o) {
          hint[begin + open_rows[o]] = std::max(d_own[o], d_second[o]);
        }
      });
    }
    // The rows still to scan get their nearest centre (the first of least distance), its squared
    // distance and the distance to the second nearest (the new lower bound) from the neighbour
    // engine: exact squared distances of the same definition as sq_dist (NeighborOptions::squared),
    // ties by centre index - the plain scan's answer, found with blocked matrix products on all
    // cores. Rows are gathered in chunks (bounded memory).
    if (bounds != nullptr) {
      // Without branches: whether a row is settled is close to a coin toss.
      RunVector<std::uint32_t>& todo = bounds->todo;
      todo.resize(n_);
      std::size_t n_todo = 0;
      for (std::size_t i = 0; i < n_; ++i) {
        todo[n_todo] = static_cast<std::uint32_t>(i);
        n_todo += static_cast<std::size_t>(!use || settled_row[i] == 0);
      }
      todo.resize(n_todo);
      if (!todo.empty() && k_ == 1) {
        for (const auto i : todo) {
          labels[i] = 0;
          dist[i] = sq_dist(X_.row(i), centers.row(0), d_);
          bounds->lower[i] = std::numeric_limits<double>::infinity();
        }
      } else if (!todo.empty() && direct) {
        // Few centres: every distance exactly (packed centres, sq_dist's sums, ties by centre
        // index: the plain scan's answer), cheaper than setting up the engine each step.
        const ScanKernels& kernels = kernels_;
        const std::size_t tasks = (todo.size() + kBlock - 1) / kBlock;
        for_blocks(tasks, jobs(), [&](std::size_t task) {
          for (std::size_t t = task * kBlock; t < std::min(todo.size(), (task + 1) * kBlock); ++t) {
            const std::size_t i = todo[t];
            const NearestTwo two = kernels.nearest_two(X_.row(i), packed_centers.data(), k_, d_);
            labels[i] = static_cast<std::int32_t>(two.best);
            dist[i] = two.best_d;  // sq_dist's, bit for bit
            bounds->second[i] = static_cast<std::uint32_t>(two.second);
            bounds->lower[i] = std::sqrt(two.second_d);
          }
        });
      } else if (!todo.empty()) {
        NeighborOptions nn_options;
        nn_options.n_jobs = static_cast<int>(jobs());
        nn_options.squared = true;
        const NeighborIndex index(centers.view(), nn_options);
        constexpr std::size_t kChunk = 4096;  // 8192: the same speed, twice the buffer
        Matrix chunk(std::min(kChunk, todo.size()), d_);
        std::vector<double> chunk_hint(hinted ? chunk.rows() : 0);
        for (std::size_t begin = 0; begin < todo.size(); begin += kChunk) {
          const std::size_t m = std::min(kChunk, todo.size() - begin);
          for (std::size_t t = 0; t < m; ++t) {
            std::copy_n(X_.row(todo[begin + t]), d_, chunk.row(t));
            if (hinted) chunk_hint[t] = hint[todo[begin + t]];
          }
          const Neighbors nn = index.query(MatrixView(chunk.row(0), m, d_), 2,
                                           std::span<const double>(chunk_hint.data(), hinted ? m : 0));
          for (std::size_t t = 0; t < m; ++t) {
            const std::size_t i = todo[begin + t];
            labels[i] = static_cast<std::int32_t>(nn(t, 0));
            dist[i] = nn.distances(t)[0];  // squared: sq_dist's, bit for bit
            bounds->second[i] = static_cast<std::uint32_t>(nn(t, 1));
            bounds->lower[i] = std::sqrt(nn.distances(t)[1]);
          }
        }
      }
    }
    for_blocks(n_blocks_, jobs(), [&](std::size_t b) {
      const std::size_t begin = b * kBlock;
      const std::size_t end = std::min(n_, begin + kBlock);
      double inertia = 0.0;
      for (std::size_t i = begin; i < end; ++i) {
        if (bounds == nullptr) {
          // The plain scan: the first centre of least distance.
          const double* x = X_.row(i);
          std::size_t best = 0;
          double best_d = sq_dist(x, centers.row(0), d_);
          for (std::size_t c = 1; c < k_; ++c) {
            const double dc = sq_dist(x, centers.row(c), d_);
            if (dc < best_d) {
              best_d = dc;
              best = c;
            }
          }
          labels[i] = static_cast<std::int32_t>(best);
          dist[i] = best_d;
        }
        inertia += dist[i];
      }
      block_inertia[b] = inertia;
    });
    if (bounds != nullptr) {
      bounds->previous = centers;
      bounds->valid = true;
      bounds->seeded = false;
    }
    if (sums) {
      // Per cluster, its rows' sum in row order (whatever the threads): the rows are read in order
      // (a sequential read; gathering them cluster by cluster missed the cache on large data), and
      // with several threads each thread owns a range of clusters.
      counts->assign(k_, 0);
      sums->assign(k_ * d_, 0.0);
      constexpr std::size_t kClustersPerPart = 64;
      const std::size_t parts = std::min(jobs(), (k_ + kClustersPerPart - 1) / kClustersPerPart);
      for_blocks(parts, parts, [&](std::size_t part) {
        const std::size_t first = part * k_ / parts;
        const std::size_t last = (part + 1) * k_ / parts;
        for (std::size_t i = 0; i < n_; ++i) {
          const auto c = static_cast<std::size_t>(labels[i]);
          if (c < first || c >= last) continue;
          ++(*counts)[c];
          double* sum = sums->data() + c * d_;
          const double* x = X_.row(i);
          for (std::size_t j = 0; j < d_; ++j) sum[j] += x[j];
        }
      });
    }
    return ordered_sum(block_inertia);
  }

  KMeansResult run(Rng& rng, double tol) const {
    Bounds bounds;
    Bounds* b = options_.use_bounds ? &bounds : nullptr;
    RunVector<std::uint32_t> seed_of;
    Matrix centers =
        seed_centers(rng, b != nullptr ? &seed_of : nullptr, b != nullptr ? &bounds.second : nullptr);
    RunVector<std::int32_t> labels(n_, -1);
    if (!seed_of.empty()) {
      for (std::size_t i = 0; i < n_; ++i) labels[i] = static_cast<std::int32_t>(seed_of[i]);
      RunVector<std::uint32_t>().swap(seed_of);
      bounds.lower.assign(n_, 0.0);
      bounds.seeded = true;
    }
    RunVector<std::int32_t> previous(n_, -1);
    RunVector<double> dist(n_);
    std::vector<double> sums;
    std::vector<std::size_t> counts;
    bool strict = false;
    std::size_t iter = 0;
    while (iter < options_.max_iter) {
      ++iter;
      assign(centers, labels, dist, &sums, &counts, b);
      relocate_empty(labels, dist, sums, counts);
      Matrix next(k_, d_);
      double shift = 0.0;
      for (std::size_t c = 0; c < k_; ++c) {
        if (counts[c] == 0) {
          std::copy_n(centers.row(c), d_, next.row(c));
          continue;
        }
        for (std::size_t j = 0; j < d_; ++j) next(c, j) = sums[c * d_ + j] / static_cast<double>(counts[c]);
        shift += sq_dist(next.row(c), centers.row(c), d_);
      }
      centers = std::move(next);
      if (labels == previous) {
        strict = true;
        break;
      }
      if (shift <= tol) break;
      previous = labels;
    }
    KMeansResult result;
    // Labels and inertia consistent with the final centres (scikit-learn's last E-step).
    result.inertia = assign(centers, labels, dist, nullptr, nullptr, b);
    (void)strict;
    result.centers = std::move(centers);
    result.labels.assign(labels.begin(), labels.end());
    result.n_iter = iter;
    return result;
  }

 private:
  static double ordered_sum(const std::vector<double>& values) {
    double s = 0.0;
    for (const double v : values) s += v;
    return s;
  }

  // scikit-learn's _relocate_empty_clusters: each empty cluster takes one of the rows farthest
  // from their centre (farthest first, ties by row), which leaves its old cluster.
  void relocate_empty(const RunVector<std::int32_t>& labels, const RunVector<double>& dist, std::vector<double>& sums,
                      std::vector<std::size_t>& counts) const {
    std::vector<std::size_t> empty;
    for (std::size_t c = 0; c < k_; ++c) {
      if (counts[c] == 0) empty.push_back(c);
    }
    if (empty.empty()) return;
    std::vector<std::size_t> order(n_);
    for (std::size_t i = 0; i < n_; ++i) order[i] = i;
    const std::size_t take = std::min(empty.size(), n_);
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(take), order.end(),
                      [&](std::size_t a, std::size_t b) { return dist[a] > dist[b] || (dist[a] == dist[b] && a < b); });
    for (std::size_t e = 0; e < take; ++e) {
      const std::size_t row = order[e];
      const auto old = static_cast<std::size_t>(labels[row]);
      if (counts[old] <= 1) continue;  // never empty another cluster
      const std::size_t c = empty[e];
      const double* x = X_.row(row);
      for (std::size_t j = 0; j < d_; ++j) {
        sums[old * d_ + j] -= x[j];
        sums[c * d_ + j] = x[j];
      }
      --counts[old];
      counts[c] = 1;
    }
  }

  // The rows for the k-means++ seeding in single precision: centred on the column means and
  // scaled by a power of two to below 1 in absolute value (no overflow, and the float grid is as
  // fine as the spread allows), with the margin of its triangle-inequality test:
  // 16 (d + 2) 2^-24, 16 times a bound on the relative rounding error of a float squared distance
  // of d terms (subtractions, squares, sums). This sets the scaling; seed_row writes a row.
  void scale_seed_rows() {
    // Powers of two only (exact): first to below 1 (the sums cannot overflow), then after the
    // centring to below 1 again.
    double largest = 0.0;
    for (std::size_t i = 0; i < n_; ++i) {
      for (std::size_t j = 0; j < d_; ++j) largest = std::max(largest, std::abs(X_(i, j)));
    }
    int exponent = 0;
    (void)std::frexp(largest, &exponent);  // largest < 2^exponent
    // (at most 2^1000 up: 2^1074 would overflow when the largest value is subnormal)
    const double pre = std::ldexp(1.0, std::min(-exponent, 1000));
    std::vector<double> mean(d_, 0.0);
    for (std::size_t i = 0; i < n_; ++i) {
      for (std::size_t j = 0; j < d_; ++j) mean[j] += X_(i, j) * pre;
    }
    for (double& m : mean) m /= static_cast<double>(n_);
    double spread = 0.0;
    for (std::size_t i = 0; i < n_; ++i) {
      for (std::size_t j = 0; j < d_; ++j) spread = std::max(spread, std::abs(X_(i, j) * pre - mean[j]));
    }
    (void)std::frexp(spread, &exponent);
    const double post = std::ldexp(1.0, std::min(-exponent, 1000));
    seed_pre_ = pre;
    seed_post_ = post;
    seed_mean_ = std::move(mean);
    seed_margin_ = 16.0 * static_cast<double>(d_ + 2) * std::ldexp(1.0, -24);
  }
  void seed_row(std::size_t i, float* out) const {
    const double* x = X_.row(i);
    for (std::size_t j = 0; j < d_; ++j) out[j] = static_cast<float>((x[j] * seed_pre_ - seed_mean_[j]) * seed_post_);
  }

  RowSource X_;
  std::size_t n_;
  std::size_t d_;
  std::size_t k_;
  KMeansOptions options_;
  std::size_t n_blocks_;
  std::size_t jobs_ = 1;
  const std::atomic<std::size_t>* idle_ = nullptr;
  std::size_t runs_side_by_side_ = 1;
  std::size_t all_jobs_ = 1;
  double abs_margin_ = 0.0;
  double seed_pre_ = 1.0;         // row i's single-precision copy: (X_(i, j) * pre - mean[j]) * post
  double seed_post_ = 1.0;
  std::vector<double> seed_mean_;
  double seed_margin_ = 0.0;
  ScanKernels kernels_ = scan_kernels();  // the CPU's vector kernels (or the test's choice)
};

}  // namespace

namespace {

KMeansResult kmeans_of(RowSource X, const KMeansOptions& options, std::uint64_t seed) {
  if (X.rows == 0 || X.X.cols == 0) throw InvalidArgument("k-means: the data is empty");
  if (options.n_clusters == 0) throw InvalidArgument("k-means: n_clusters must be >= 1");
  if (options.n_clusters > X.rows) {
    throw InvalidArgument("k-means: n_clusters=" + std::to_string(options.n_clusters) + " is larger than the " +
                          std::to_string(X.rows) + " rows to cluster");
  }
  if (X.rows > std::numeric_limits<std::uint32_t>::max()) {
    throw InvalidArgument("k-means: at most 4294967295 rows can be clustered, not " + std::to_string(X.rows));
  }
  if (options.n_init == 0) throw InvalidArgument("k-means: n_init must be >= 1");
  if (options.max_iter == 0) throw InvalidArgument("k-means: max_iter must be >= 1");
  if (!(options.tol >= 0.0)) throw InvalidArgument("k-means: tol must be >= 0");
  for (std::size_t i = 0; i < X.rows; ++i) {
    const double* row = X.row(i);
    for (std::size_t j = 0; j < X.X.cols; ++j) {
      if (!std::isfinite(row[j])) {
        throw InvalidArgument("k-means: row " + std::to_string(X.of_x(i)) + ", column " + std::to_string(j) +
                              " is not a finite number");
      }
    }
  }
  const std::size_t hw = std::max(1U, std::thread::hardware_concurrency());
  const std::size_t jobs = options.n_jobs > 0 ? static_cast<std::size_t>(options.n_jobs) : hw;
  // The runs are independent (run r draws from Rng(seed, r)): with several runs and threads, each
  // thread takes whole runs, one thread per run inside (no thread start-up per seeding step, every
  // core busy from start to end), and a thread with no run left to start helps the runs still
  // going (Runner::share_idle_threads); otherwise one run at a time on all threads. Either way
  // every run computes the same bits, and the best is picked in run order.
  const std::size_t outer = std::min(jobs, options.n_init);
  KMeansOptions inner_options = options;
  inner_options.n_jobs = outer > 1 ? 1 : static_cast<int>(jobs);
  Runner runner(X, inner_options);
  std::atomic<std::size_t> idle{0};
  if (outer > 1) runner.share_idle_threads(&idle, outer, jobs);
  const double tol = runner.scaled_tol();
  // Each thread keeps only its best run (lowest inertia, then lowest run index), so memory does
  // not grow with n_init; the overall best by the same rule is the sequential loop's.
  struct Best {
    std::size_t run = 0;
    KMeansResult result;
    bool set = false;
    void offer(std::size_t r, KMeansResult&& candidate) {
      if (!set || candidate.inertia < result.inertia || (candidate.inertia == result.inertia && r < run)) {
        run = r;
        result = std::move(candidate);
        set = true;
      }
    }
  };
  std::vector<Best> per_thread(std::max<std::size_t>(outer, 1));
  if (outer > 1) {
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> slot{0};
    detail::run_on_threads(outer, [&] {
      Best& mine = per_thread[slot++];
      for (std::size_t r = next++; r < options.n_init; r = next++) {
        Rng rng(seed, r);
        mine.offer(r, runner.run(rng, tol));
      }
      ++idle;  // no run left to start: the runs still going may use this core
    });
  } else {
    for (std::size_t r = 0; r < options.n_init; ++r) {
      Rng rng(seed, r);
      per_thread[0].offer(r, runner.run(rng, tol));
    }
  }
  Best overall;
  for (auto& b : per_thread) {
    if (b.set) overall.offer(b.run, std::move(b.result));
  }
  return std::move(overall.result);
}

}  // namespace

KMeansResult kmeans(MatrixView X, const KMeansOptions& options, std::uint64_t seed) {
  return kmeans_of(RowSource{X, nullptr, X.rows}, options, seed);
}

KMeansResult kmeans(MatrixView X, std::span<const std::size_t> rows, const KMeansOptions& options,
                    std::uint64_t seed) {
  for (std::size_t p = 0; p < rows.size(); ++p) {
    if (rows[p] >= X.rows) {
      throw InvalidArgument("k-means: rows[" + std::to_string(p) + "] = " + std::to_string(rows[p]) +
                            " is not a row of the data (" + std::to_string(X.rows) + " rows)");
    }
  }
  return kmeans_of(RowSource{X, rows.data(), rows.size()}, options, seed);
}

namespace detail {

std::size_t kmeans_packed_peak_for_testing(bool track) {
  g_track_packed.store(track, std::memory_order_relaxed);
  return g_packed_peak.exchange(0, std::memory_order_relaxed);
}

Matrix kmeans_seeds_for_testing(MatrixView X, std::size_t n_clusters, std::uint64_t seed, bool use_bounds) {
  KMeansOptions options;
  options.n_clusters = n_clusters;
  options.use_bounds = use_bounds;
  options.n_jobs = 1;
  const Runner runner(RowSource{X, nullptr, X.rows}, options);
  Rng rng(seed, 0);
  return runner.seed_centers(rng);
}

void set_kmeans_arena_start_for_testing(std::size_t blocks) { g_arena_start.store(blocks, std::memory_order_relaxed); }

int set_kmeans_kernel_for_testing(int kernel) {
  g_kernel_override.store(kernel, std::memory_order_relaxed);
  int chosen = 0;
  (void)scan_kernels(&chosen);
  return chosen;
}

}  // namespace detail
}  // namespace imbal
