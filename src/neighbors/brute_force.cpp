// Blocked brute-force backend: squared distances from matrix products, top-k kept on the fly,
// exact re-ranking of the survivors.
//
// The approach is faiss's (Johnson, Douze & Jegou, "Billion-scale similarity search with GPUs",
// IEEE Trans. Big Data 2019): ||q - p||^2 = ||q||^2 + ||p||^2 - 2 q.p with the q.p terms from a
// register-blocked GEMM micro-kernel, streaming over blocks of queries x blocks of points and
// keeping a per-query top-k, so the n_q x n distance matrix is never stored. Here the top-k
// test is fused into the micro-kernel: one vector compare per tile decides whether any pair of
// the tile can enter a top-k, which after the first few blocks is rarely the case.
//
// Exactness. Matrix-product distances round differently from the definition (and cancel badly
// for points far from the origin). So:
//   - the points are centred on their mean first (smaller norms, smaller errors);
//   - for a query q and a point p the approximation A(p) = ||q'||^2 + ||p'||^2 - 2 q'.p' (q', p'
//     the rounded centred rows) is within E(q, p) = c * (u * (||q'|| + ||p'||)^2 + tiny) of the
//     exact squared distance D(p), with u = 2^-53, tiny = DBL_MIN (for gradual underflow) and
//     c = 8d + 64. The roundings summed: centring (<= 3u N^2 on the squared distance, N =
//     ||q'|| + ||p'||), the norms and the d-term dot product (<= (d + 2) u N^2 with or without
//     FMA), the combination and the filter's subtraction of the threshold (a few u N^2), and D
//     itself (<= (d + 1) u N^2): about (2d + 10) u N^2, so c leaves a factor of 4. Per panel of
//     points (per chunk of panels in the kernel's filter) the largest ||p'|| is used;
//   - U(p) = A + E >= D and L(p) = A - E <= D. T = the k-th smallest U so far bounds the final
//     k-th exact distance D_k from above, so every point with D(p) <= D_k has L(p) <= T: every
//     point with L(p) <= T is kept as a candidate (T only decreases; stale entries are dropped);
//   - the candidates are re-ranked with the exact formula and sorted by (distance, row id).
// Exact ties (integer data, duplicated rows) are therefore all candidates, and the result is
// the plain definition's. The excluded query row is skipped by index.
//
// Single precision. The filter may run in float (twice the lanes per instruction): the centred
// rows are rounded to float once, and the bound becomes E32 = c32 * (u32 * N^2 + FLT_MIN) with
// u32 = 2^-24 and c32 = 2c. The extra roundings -- each coordinate to float (<= 2 u32 N^2 on
// the squared distance), the float norms, products and sums ((d + 4) u32 N^2), and the float
// threshold, rounded upwards -- are the double analysis with u32 in place of u, plus the double
// one itself; FLT_MIN covers underflow as DBL_MIN does. Candidates are still re-ranked in
// double with the exact formula, so results are unchanged: only the filter is cheaper. It is
// used when every point's centred norm is at most 1e15 (no float overflow of N^2); a block of
// queries farther out falls back to the double filter.
//
// The micro-kernel is one generic template over GCC vector types, instantiated for AVX-512
// (8 queries x 24 points), AVX2 (4 x 12) and baseline SSE2 (4 x 4) under target attributes
// and chosen at run time, so the library needs no -march flag.
#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstddef>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <new>
#include <vector>

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#include <immintrin.h>
#endif

#include "core/parallel.hpp"
#include "core/simd.hpp"
#include "neighbors/neighbors_internal.hpp"

namespace imbal::nn {

namespace {

// Queries per block: each block streams over all the packed points once, so larger blocks need
// less memory bandwidth (at 256 queries x d columns, 64 flops per byte of points); smaller
// blocks balance the threads better. Multiples of 8 (every QT divides 8).
constexpr std::size_t kMinQueryBlock = 64;
constexpr std::size_t kMaxQueryBlock = 256;
constexpr std::size_t kChunkBytes = 256 * 1024;    // packed points per L2 chunk
// Absolute part of the error bound, for gradual underflow (each operation then errs by at most
// denorm_min / 2). The smallest *normal* double is used: far larger than needed, and arithmetic
// on subnormal operands would trap into slow microcode assists on x86 in the hot loop.
constexpr double kTiny = std::numeric_limits<double>::min();

template <class T>
struct Aligned64 {
  using value_type = T;
  Aligned64() = default;
  template <class U>
  explicit Aligned64(const Aligned64<U>& /*other*/) {}
  T* allocate(std::size_t n) {
    return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{64}));
  }
  void deallocate(T* p, std::size_t /*n*/) { ::operator delete(p, std::align_val_t{64}); }
  friend bool operator==(const Aligned64&, const Aligned64&) { return true; }
};
using AlignedVector = std::vector<double, Aligned64<double>>;

enum class Isa { Generic = 1, Avx2 = 2, Avx512 = 3 };

Isa detect_isa() {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return Isa::Avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Isa::Avx2;
#endif
  return Isa::Generic;
}

std::atomic<int> g_isa_override{0};

Isa chosen_isa() {
  const Isa best = detect_isa();
  const int wanted = g_isa_override.load(std::memory_order_relaxed);
  if (wanted <= 0) return best;
  return static_cast<int>(best) < wanted ? best : static_cast<Isa>(wanted);
}

/// Per-query state of a block, indexed by position in the block.
struct BlockState {
  BlockState(const NeighborIndex::Impl& ix, std::size_t k_) : index(&ix), k(k_), n(ix.n), cap(2 * k_ + 64) {}
  /// Room for a block of `block` queries.
  void size_for(std::size_t block) {
    row.resize(block);
    self.resize(block);
    start.resize(block);
    heap.resize(block);
    cands.resize(block);
  }
  /// Query i of the block starts: its row, the point it must not report, the filter's starting
  /// T (from a caller's bound, or kAcceptAll), empty lists.
  void start_query(std::size_t i, const double* x, std::size_t excluded, double start_T) {
    row[i] = x;
    self[i] = excluded;
    start[i] = start_T;
    heap[i].clear();
    cands[i].clear();
  }

  const NeighborIndex::Impl* index = nullptr;
  std::size_t k = 0;
  std::size_t n = 0;                        // indexed points
  std::vector<const double*> row;           // the query rows (original coordinates)
  std::vector<std::size_t> self;            // local index to skip, or kNone
  std::vector<double> start;                // the filter's starting T (see start_threshold)
  std::vector<std::vector<double>> heap;    // max-heaps of the k smallest U
  // (L, local) with L <= T at insertion; key -inf: kept by an exact compaction
  std::vector<std::vector<Candidate>> cands;
  std::size_t cap = 0;                      // compaction trigger
};

/// Bounds a candidate list: first drop the entries with L > T; if that is not enough (many
/// points within the margin, e.g. exact ties), keep only the k best by exact (distance, row
/// id) among the candidates -- no other candidate can be in the final answer. Kept entries get
/// key -inf so that later L > T filters keep them.
[[gnu::noinline]] void compact(BlockState& s, std::size_t q, double T) {
  auto& cands = s.cands[q];
  std::erase_if(cands, [T](const Candidate& x) { return x.key > T; });
  if (cands.size() <= s.cap / 2) return;
  const NeighborIndex::Impl& index = *s.index;
  for (auto& cd : cands) cd.key = exact_sq(s.row[q], index.point(cd.local), index.d);
  const auto& ids = index.ids;
  std::partial_sort(cands.begin(), cands.begin() + static_cast<std::ptrdiff_t>(s.k), cands.end(),
                    [&ids](const Candidate& a, const Candidate& b) {
                      return a.key < b.key || (a.key == b.key && ids[a.local] < ids[b.local]);
                    });
  cands.resize(s.k);
  for (auto& cd : cands) cd.key = -std::numeric_limits<double>::infinity();
}

/// Everything the micro-kernel reads; T is updated by on_hit. E = double or float: the type of
/// the packed points, the queries and the filter arithmetic.
template <class E>
struct ScanCtx {
  const E* packed = nullptr;       // n_panels x d x P, -2 x centred, padding 0
  const E* pnorm = nullptr;        // n_panels x P, ||p'||^2, padding +inf
  const double* pmax = nullptr;    // n_panels, max ||p'|| in the panel
  const double* cmax = nullptr;    // per chunk of panels, max ||p'|| in the chunk
  std::size_t d = 0;
  std::size_t P = 0;
  std::size_t n_panels = 0;
  std::size_t panels_per_chunk = 0;
  std::size_t nq = 0;              // real queries in the block
  const E* qc = nullptr;           // padded block x d, centred queries
  const double* qn = nullptr;      // ||q'||^2 (of the rounded centred query)
  const double* qnorm = nullptr;   // ||q'||
  double* T = nullptr;             // k-th smallest U so far (kAcceptAll before k points)
  E* thresholds = nullptr;         // the filter's threshold per query row (padded block)
  double cE = 0.0;                 // c of the bound (c32 for float)
  double unit = kUnit;             // u of the bound (u32 for float)
  double tiny = 0.0;               // absolute part (DBL_MIN or FLT_MIN)
  BlockState* state = nullptr;
};

/// The error bound E for a query of centred norm qnorm against points of centred norm <= pmax.
template <class E>
inline double error_bound(const ScanCtx<E>& c, double qnorm, double pmax) {
  const double nrm = qnorm + pmax;
  return c.cE * (c.unit * nrm * nrm + c.tiny);
}

/// The filter threshold in the kernel's type, never below the double value (a float is rounded
/// upwards), so that no pair the double filter would keep is dropped.
inline double to_filter(double x, double /*tag*/) { return x; }
inline float to_filter(double x, float /*tag*/) {
  if (std::isnan(x)) return std::numeric_limits<float>::quiet_NaN();
  float f = static_cast<float>(x);
  if (static_cast<double>(f) < x) f = std::nextafter(f, std::numeric_limits<float>::infinity());
  return f;
}

/// Offers one point to query q's search: a candidate if its lower bound L can still be within
/// the final k-th distance (L <= T), and its upper bound U joins the k smallest U, which lowers
/// T. T never rises above a caller's bound (QueryBatch::bounds) it started from.
[[gnu::always_inline]] inline void offer(BlockState& s, double& T, std::size_t q, std::size_t local, double L, double U) {
  if (!(L <= T)) return;
  auto& heap = s.heap[q];
  auto& cands = s.cands[q];
  cands.push_back(Candidate{L, local});
  if (heap.size() < s.k) {
    heap.push_back(U);
    std::push_heap(heap.begin(), heap.end());
    if (heap.size() == s.k) T = std::min(T, heap.front());
  } else if (U < heap.front()) {
    std::pop_heap(heap.begin(), heap.end());
    heap.back() = U;
    std::push_heap(heap.begin(), heap.end());
    T = std::min(T, heap.front());
  }
  if (cands.size() > s.cap) compact(s, q, T);
}

/// Candidate handling for one query row where the kernel's filter fired: the exact per-pair
/// decisions for the flagged lanes `bits` of the panel. `b` holds ||p'||^2 - 2 q'.p' for the P
/// points of the panel (as the kernel computed them).
template <class E>
[[gnu::noinline]] void on_hit(ScanCtx<E>& c, std::size_t q, std::size_t panel, const double* b,
                              std::uint64_t bits) {
  BlockState& s = *c.state;
  const std::size_t first = panel * c.P;
  const double e = error_bound(c, c.qnorm[q], c.pmax[panel]);
  const double qn = c.qn[q];
  for (; bits != 0; bits &= bits - 1) {
    const auto l = static_cast<std::size_t>(std::countr_zero(bits));
    const std::size_t local = first + l;
    if (local >= s.n || local == s.self[q]) continue;
    const double A = b[l] + qn;
    offer(s, c.T[q], q, local, A - e, A + e);
  }
}

using simd::F16;
using simd::F4;
using simd::F8;
using simd::V2;
using simd::V4;
using simd::V8;
using simd::VectorOf;

// Bit l set iff lane l of a is <= t (one compare and a mask move on x86). Not always_inline:
// GCC would try to inline them into the generic scan_kernel body first and refuse (target
// mismatch); they are inlined once scan_kernel sits inside its target-specific wrapper.
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
__attribute__((target("avx512f"))) inline std::uint32_t le_bits(V8 a, double t) {
  return _mm512_cmp_pd_mask(a, _mm512_set1_pd(t), _CMP_LE_OQ);
}
__attribute__((target("avx"))) inline std::uint32_t le_bits(V4 a, double t) {
  return static_cast<std::uint32_t>(_mm256_movemask_pd(_mm256_cmp_pd(a, _mm256_set1_pd(t), _CMP_LE_OQ)));
}
inline std::uint32_t le_bits(V2 a, double t) {
  return static_cast<std::uint32_t>(_mm_movemask_pd(_mm_cmple_pd(a, _mm_set1_pd(t))));
}
__attribute__((target("avx512f"))) inline std::uint32_t le_bits(F16 a, float t) {
  return _mm512_cmp_ps_mask(a, _mm512_set1_ps(t), _CMP_LE_OQ);
}
__attribute__((target("avx"))) inline std::uint32_t le_bits(F8 a, float t) {
  return static_cast<std::uint32_t>(_mm256_movemask_ps(_mm256_cmp_ps(a, _mm256_set1_ps(t), _CMP_LE_OQ)));
}
inline std::uint32_t le_bits(F4 a, float t) {
  return static_cast<std::uint32_t>(_mm_movemask_ps(_mm_cmple_ps(a, _mm_set1_ps(t))));
}
#else
template <class V, class E>
inline std::uint32_t le_bits(V a, E t) {
  std::uint32_t bits = 0;
  for (int l = 0; l < static_cast<int>(sizeof(V) / sizeof(E)); ++l) {
    bits |= (a[l] <= t ? 1U : 0U) << l;
  }
  return bits;
}
#endif

/// The micro-kernel over one block of queries and all panels of points. W elements of E per
/// vector, QT queries x PV vectors of points per register tile.
template <class E, std::size_t W, std::size_t QT, std::size_t PV>
[[gnu::always_inline]] inline void scan_kernel(ScanCtx<E>& c) {
  using V = typename VectorOf<E, W>::type;
  static_assert(sizeof(V) == W * sizeof(E));
  static_assert(W * PV <= 64, "lane masks are 64 bits");
  constexpr std::size_t P = W * PV;
  const std::size_t d = c.d;
  const std::size_t n_tiles = (c.nq + QT - 1) / QT;
  alignas(64) E lanes[P];
  alignas(64) double buf[P];
  E* thresholds = c.thresholds;
  for (std::size_t p0 = 0, chunk = 0; p0 < c.n_panels; p0 += c.panels_per_chunk, ++chunk) {
    const std::size_t p1 = std::min(c.n_panels, p0 + c.panels_per_chunk);
    const double cmax = c.cmax[chunk];
    // Filter threshold per row, for the whole chunk: a pair can matter only if
    //   ||p'||^2 - 2 q'.p' <= T - ||q'||^2 + E   (padding rows: never).
    for (std::size_t i = 0; i < n_tiles * QT; ++i) {
      thresholds[i] = i < c.nq ? to_filter(c.T[i] - c.qn[i] + error_bound(c, c.qnorm[i], cmax), E{})
                               : -std::numeric_limits<E>::infinity();
    }
    // Panel by panel, every tile of queries: the panel stays in L1 while the block's queries
    // (a few KB) pass over it.
    for (std::size_t p = p0; p < p1; ++p) {
      const E* pk = c.packed + p * d * P;
      for (std::size_t t = 0; t < n_tiles; ++t) {
        const E* q = c.qc + t * QT * d;
        E* thr = thresholds + t * QT;
        // acc = ||p'||^2 + sum_j q'_j (-2 p'_j): the points are packed pre-multiplied by -2
        // (exact), so the filter below is one subtract and one min per vector.
        V pn[PV];
#pragma GCC unroll 8
        for (std::size_t v = 0; v < PV; ++v) std::memcpy(&pn[v], c.pnorm + p * P + v * W, sizeof(V));
        V acc[QT][PV];
#pragma GCC unroll 16
        for (std::size_t r = 0; r < QT; ++r) {
#pragma GCC unroll 8
          for (std::size_t v = 0; v < PV; ++v) acc[r][v] = pn[v];
        }
        for (std::size_t j = 0; j < d; ++j) {
          V pv[PV];
#pragma GCC unroll 8
          for (std::size_t v = 0; v < PV; ++v) std::memcpy(&pv[v], pk + j * P + v * W, sizeof(V));
#pragma GCC unroll 16
          for (std::size_t r = 0; r < QT; ++r) {
            const E s = q[r * d + j];
#pragma GCC unroll 8
            for (std::size_t v = 0; v < PV; ++v) acc[r][v] += pv[v] * s;
          }
        }
        // Filter: min over the tile of (acc - thr_row) <= 0 ?
        V m;
#pragma GCC unroll 16
        for (std::size_t r = 0; r < QT; ++r) {
          V mr = acc[r][0];
#pragma GCC unroll 8
          for (std::size_t v = 1; v < PV; ++v) mr = acc[r][v] < mr ? acc[r][v] : mr;
          const V x = mr - thr[r];
          m = r == 0 ? x : (x < m ? x : m);
        }
        if (le_bits(m, E{0}) == 0) continue;
        // Rare after the first panels: hand each flagged row to on_hit with its lane mask.
        // (acc <= thr exactly when fl(acc - thr) <= 0, so no flagged pair is lost.)
#pragma GCC unroll 16
        for (std::size_t r = 0; r < QT; ++r) {
          std::uint64_t bits = 0;
#pragma GCC unroll 8
          for (std::size_t v = 0; v < PV; ++v) bits |= std::uint64_t{le_bits(acc[r][v], thr[r])} << (v * W);
          if (bits == 0) continue;
#pragma GCC unroll 8
          for (std::size_t v = 0; v < PV; ++v) std::memcpy(lanes + v * W, &acc[r][v], sizeof(V));
          for (std::size_t l = 0; l < P; ++l) buf[l] = static_cast<double>(lanes[l]);
          const std::size_t i = t * QT + r;
          on_hit(c, i, p, buf, bits);
          thr[r] = to_filter(c.T[i] - c.qn[i] + error_bound(c, c.qnorm[i], cmax), E{});
        }
      }
    }
  }
}

struct Geometry {
  std::size_t W;
  std::size_t QT;
  std::size_t PV;
};

template <class E>
using ScanFn = void (*)(ScanCtx<E>&);

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
constexpr Geometry kAvx512{8, 8, 3};
constexpr Geometry kAvx2{4, 4, 3};
constexpr Geometry kAvx512Float{16, 8, 3};
constexpr Geometry kAvx2Float{8, 4, 3};
__attribute__((target("avx512f,avx512dq,avx512vl,fma"))) void scan_avx512(ScanCtx<double>& c) {
  scan_kernel<double, kAvx512.W, kAvx512.QT, kAvx512.PV>(c);
}
__attribute__((target("avx2,fma"))) void scan_avx2(ScanCtx<double>& c) {
  scan_kernel<double, kAvx2.W, kAvx2.QT, kAvx2.PV>(c);
}
__attribute__((target("avx512f,avx512dq,avx512vl,fma"))) void scan_avx512(ScanCtx<float>& c) {
  scan_kernel<float, kAvx512Float.W, kAvx512Float.QT, kAvx512Float.PV>(c);
}
__attribute__((target("avx2,fma"))) void scan_avx2(ScanCtx<float>& c) {
  scan_kernel<float, kAvx2Float.W, kAvx2Float.QT, kAvx2Float.PV>(c);
}
#endif
constexpr Geometry kGeneric{2, 4, 2};
constexpr Geometry kGenericFloat{4, 4, 2};
void scan_generic(ScanCtx<double>& c) { scan_kernel<double, kGeneric.W, kGeneric.QT, kGeneric.PV>(c); }
void scan_generic(ScanCtx<float>& c) {
  scan_kernel<float, kGenericFloat.W, kGenericFloat.QT, kGenericFloat.PV>(c);
}

std::atomic<int> g_precision_override{0};
std::atomic<int> g_grid_kernel_override{0};  // test hook: 1 = the grid's portable kernel
std::atomic<int> g_quant_fallbacks{0};        // backends whose 8-bit filter turned itself off (test hook)
std::atomic<std::size_t> g_quant_flagged{0};  // pairs the 8-bit filter flagged so far (test hook)

/// The kernel for element type E on this CPU, with its register-tile geometry.
template <class E>
std::pair<ScanFn<E>, Geometry> pick_kernel() {
  const bool single = std::is_same_v<E, float>;
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  switch (chosen_isa()) {
    case Isa::Avx512:
      return {static_cast<ScanFn<E>>(scan_avx512), single ? kAvx512Float : kAvx512};
    case Isa::Avx2:
      return {static_cast<ScanFn<E>>(scan_avx2), single ? kAvx2Float : kAvx2};
    case Isa::Generic:
      break;
  }
#endif
  return {static_cast<ScanFn<E>>(scan_generic), single ? kGenericFloat : kGeneric};
}

// Largest centred norm for the float filter: (2 * 1e15)^2 * (1 + c32 u32) is far below FLT_MAX.
constexpr double kMaxFloatNorm = 1e15;

/// The indexed points centred, rounded to E, pre-multiplied by -2 and packed in panels of P
/// points (column-major inside a panel), with their squared norms and per-panel maxima.
template <class E>
struct PackedPoints {
  ScanFn<E> scan = nullptr;
  std::size_t qt = 0;
  std::size_t P = 0;
  std::size_t n_panels = 0;
  std::size_t panels_per_chunk = 0;
  double cE = 0.0;
  double unit = 0.0;
  double tiny = 0.0;
  std::vector<E, Aligned64<E>> packed;
  std::vector<E, Aligned64<E>> pnorm;
  std::vector<double> pmax;
  std::vector<double> cmax;

  PackedPoints(const NeighborIndex::Impl& index, const std::vector<double>& mean, int n_jobs) {
    const auto [fn, g] = pick_kernel<E>();
    scan = fn;
    qt = g.QT;
    P = g.W * g.PV;
    const std::size_t n = index.n;
    const std::size_t d = index.d;
    n_panels = (n + P - 1) / P;
    panels_per_chunk = std::max<std::size_t>(1, kChunkBytes / (d * P * sizeof(E)));
    const double c_double = 8.0 * static_cast<double>(d) + 64.0;
    if constexpr (std::is_same_v<E, float>) {
      cE = 2.0 * c_double;
      unit = 0x1p-24;
      tiny = static_cast<double>(std::numeric_limits<float>::min());
    } else {
      cE = c_double;
      unit = kUnit;
      tiny = kTiny;
    }
    packed.resize(n_panels * d * P);
    pnorm.resize(n_panels * P);
    pmax.assign(n_panels, 0.0);
    // Panels are independent: pack them on all threads (the bytes do not depend on it).
    std::atomic<std::size_t> next{0};
    constexpr std::size_t kPanelsPerTask = 256;
    const std::size_t tasks = (n_panels + kPanelsPerTask - 1) / kPanelsPerTask;
    const std::size_t threads = n * d < (std::size_t{1} << 16) ? 1 : std::min<std::size_t>(static_cast<std::size_t>(std::max(n_jobs, 1)), tasks);
    imbal::detail::run_on_threads(threads, [&] {
      for (std::size_t t = next.fetch_add(1); t < tasks; t = next.fetch_add(1)) {
        const std::size_t panel_end = std::min(n_panels, (t + 1) * kPanelsPerTask);
        for (std::size_t panel = t * kPanelsPerTask; panel < panel_end; ++panel) {
          E* dst = packed.data() + panel * d * P;
          double max_norm = 0.0;
          for (std::size_t lane = 0; lane < P; ++lane) {
            const std::size_t i = panel * P + lane;
            if (i >= n) {
              for (std::size_t j = 0; j < d; ++j) dst[j * P + lane] = E{0};
              pnorm[i] = std::numeric_limits<E>::infinity();
              continue;
            }
            const double* x = index.point(i);
            double sq = 0.0;
            for (std::size_t j = 0; j < d; ++j) {
              const double centred = x[j] - mean[j];
              // Out of float range: infinity (the backend then packs in double instead).
              const E v = std::fabs(centred) <= static_cast<double>(std::numeric_limits<E>::max())
                              ? static_cast<E>(centred)
                              : std::copysign(std::numeric_limits<E>::infinity(), static_cast<E>(centred > 0 ? 1 : -1));
              dst[j * P + lane] = E{-2} * v;  // exact scaling
              sq += static_cast<double>(v) * static_cast<double>(v);
            }
            pnorm[i] = static_cast<E>(sq);
            max_norm = std::max(max_norm, std::sqrt(sq));
          }
          pmax[panel] = max_norm;
        }
      }
    });
    cmax.assign((n_panels + panels_per_chunk - 1) / panels_per_chunk, 0.0);
    for (std::size_t p = 0; p < n_panels; ++p) {
      cmax[p / panels_per_chunk] = std::max(cmax[p / panels_per_chunk], pmax[p]);
    }
  }
};

// ---------------------------------------------------------------------------------------------
// Quantised filter (8-bit integers, AVX-512 VNNI; for tests, a portable kernel flags the same
// pairs on any CPU: scan_quant_portable).
//
// The centred rows c are rounded to integers on one grid of step s: c~ = clamp(round(c / s),
// -127, 127), with s = (largest |c_j| of the points) / 127, and the residual r = c - s c~ is
// kept as a norm per row. For a query q and a point p, with I = ||q~ - p~||^2 (an exact integer)
// and the triangle inequality,
//     s sqrt(I) - (eps_q + eps_p)  <=  ||x_q - x_p||  <=  s sqrt(I) + (eps_q + eps_p),
// where eps = ||r|| plus the roundings of centring and of computing r and its norm. The grid is
// too coarse for L/U bounds from it to pay (most flagged pairs would become candidates), so a
// flagged pair gets its squared distance D at once (8 columns at a time, within the exact
// formula's rounding of it: L and U are D widened by that); its row is prefetched when the
// kernel flags it and read after the panel's tiles. The kernel flags every pair whose lower
// bound, widened by the rounding of the exact formula, is <= T, so every point with D <= the
// final k-th distance is a candidate, and the exact re-ranking makes the results the same. A
// query (or an outlying point) beyond the grid is clamped: its eps grows, nothing else.
//
// The integer products are what VNNI's vpdpbusd does: 4 products of unsigned x signed bytes
// summed into each 32-bit lane, 64 multiply-adds per instruction against 16 for a float FMA.
// Points are stored as p~ + 128 (unsigned) and queries as -q~ (signed), so a lane accumulates
//     dp = sum_j (p~_j + 128)(-q~_j) = -q~.p~ - 128 sum_j q~_j,
// and I = ||q~||^2 + ||p~||^2 + 2 (dp + 128 sum q~). The kernel starts each lane at
// ceil(||p~||^2 / 2) and flags the lanes with acc <= thr, where thr is chosen so that every pair
// with I <= R (R: the bound on I implied by T) is flagged (see quant_threshold).
//
// The margin is a few per cent of typical distances, so more pairs are flagged than with the float
// filter (on 100,000 x 20 normal rows, k = 10: about 190 per query, half of them records of the
// running top k); the screening itself is about 4 times cheaper. When the data make the margin
// wide against the neighbour distances (low intrinsic dimension, a few huge outliers setting s),
// the backend notices the flood of flagged pairs and returns to the float filter.

constexpr std::size_t kQuantW = 16;               // 32-bit lanes per vector
constexpr std::size_t kQuantQT = 8;               // queries per register tile
constexpr std::size_t kQuantPV = 3;               // vectors of points per register tile
constexpr std::size_t kQuantP = kQuantW * kQuantPV;  // points per panel
constexpr std::size_t kQuantGroupBytes = 4 * kQuantP;  // one group of 4 columns of a panel
// Padding points start at kQuantPad (never below a threshold, which is clamped to
// [-kQuantPad, kQuantPad]); real lanes stay within +-kQuantMaxD * 255 * 127 * 1.5 < kQuantPad.
constexpr std::int32_t kQuantPad = std::int32_t{1} << 29;
constexpr std::size_t kQuantMaxD = 4096;
// Packed points per chunk (one threshold computation per query and chunk, with the chunk's
// largest eps). Measured on 1,000 queries against 100,000 x 20 points, k = 5: 4 KB 15.3 ms,
// 16 KB 14.5 ms, 64 KB 14.1 ms, 256 KB 14.4 ms.
constexpr std::size_t kQuantChunkBytes = 64 * 1024;

struct QuantisedPoints {
  std::size_t d = 0;
  std::size_t groups = 0;  // ceil(d / 4)
  std::size_t n_panels = 0;
  std::size_t panels_per_chunk = 0;
  double scale = 0.0;      // s
  double inv_scale = 0.0;  // 1 / s
  std::vector<std::uint8_t, Aligned64<std::uint8_t>> packed;    // n_panels x groups x 4P, p~ + 128
  std::vector<std::int32_t, Aligned64<std::int32_t>> half_norm;  // ceil(||p~||^2 / 2); padding kQuantPad
  std::vector<double> chunk_eps;   // largest eps of a point per chunk of panels
};

/// c~ of one centred value on the grid (clamped to +-127).
inline int quantise(double centred, double inv_scale) {
  const double t = std::clamp(centred * inv_scale, -127.0, 127.0);
  return static_cast<int>(std::lround(t));
}

/// eps of a row from the computed residual norm^2 and centred norm^2: the residual's norm, plus
/// 4u ||c|| for the centring and the residual's own roundings, each widened for the sums.
inline double quant_eps(double residual_sq, double centred_sq, std::size_t d) {
  const double widen = 1.0 + 4.0 * static_cast<double>(d + 2) * kUnit;
  return (std::sqrt(residual_sq) + 4.0 * kUnit * std::sqrt(centred_sq)) * widen * widen + kTiny;
}

/// A row put on the grid (its bytes go where a GridBytes says): ||c~||^2, the sum of the c~_j and
/// the row's eps.
struct QuantisedRow {
  std::int64_t norm = 0;
  std::int64_t sum = 0;
  double eps = 0.0;
};

/// Where quantise_row writes a row's bytes: column j's byte (sign * c~_j + bias, modulo 256) at
/// base[(j / 4) * stride + j % 4]; the bytes of a last, partial group of 4 columns get bias.
/// Points: sign +1, bias 128 (unsigned); queries: sign -1, bias 0 (signed, two's complement).
struct GridBytes {
  std::uint8_t* base;
  std::size_t stride;
  int sign;
  int bias;
};

/// Calls fn(std::integral_constant<std::size_t, NV>{}) with NV = ceil(d / 8), for 1 <= d <= 64:
/// the vectorised row loops are instantiated per number of 8-double vectors.
template <class Fn>
decltype(auto) with_vector_count(std::size_t d, Fn&& fn) {
  switch ((d + 7) / 8) {
    case 1: return fn(std::integral_constant<std::size_t, 1>{});
    case 2: return fn(std::integral_constant<std::size_t, 2>{});
    case 3: return fn(std::integral_constant<std::size_t, 3>{});
    case 4: return fn(std::integral_constant<std::size_t, 4>{});
    case 5: return fn(std::integral_constant<std::size_t, 5>{});
    case 6: return fn(std::integral_constant<std::size_t, 6>{});
    case 7: return fn(std::integral_constant<std::size_t, 7>{});
    default: IMBAL_ASSERT(d <= 64); return fn(std::integral_constant<std::size_t, 8>{});
  }
}

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
/// The AVX-512 form of quantise_row for d <= 8 * NV (masked tail); only called on CPUs with the
/// quantised kernel. Sums in another order than the scalar loop: eps's bound allows any order.
template <std::size_t NV>
__attribute__((target("avx512f,avx512bw,avx512vl"))) QuantisedRow
quantise_row_avx512(const double* x, const double* mean, std::size_t d, double scale, double inv_scale,
                    GridBytes out) {
  // GCC vector arithmetic (GCC 12's intrinsics for min, max, rounding and reductions trip
  // -Wuninitialized); masked loads and stores for the tail.
  using I8 = simd::VectorOf<std::int32_t, 8>::type;
  constexpr double kRound = 0x1.8p52;  // (t + kRound) - kRound rounds |t| < 2^51 to nearest even
  simd::V8 rsq{};
  simd::V8 csq{};
  I8 isq{};
  I8 isum{};
#pragma GCC unroll 8
  for (std::size_t v = 0; v < NV; ++v) {
    const std::size_t j = 8 * v;
    const __mmask8 m = j + 8 <= d ? __mmask8{0xFF} : static_cast<__mmask8>((1U << (d - j)) - 1U);
    const simd::V8 c = reinterpret_cast<simd::V8>(_mm512_maskz_loadu_pd(m, x + j)) -
                       reinterpret_cast<simd::V8>(_mm512_maskz_loadu_pd(m, mean + j));
    simd::V8 t = c * inv_scale;
    t = t < -127.0 ? -127.0 : t;
    t = t > 127.0 ? 127.0 : t;
    const simd::V8 q = (t + kRound) - kRound;
    const simd::V8 r = c - scale * q;
    rsq += r * r;
    csq += c * c;
    const I8 qi = __builtin_convertvector(q, I8);
    isq += qi * qi;
    isum += qi;
    // 8 columns = groups 2v and 2v + 1 (the second only if it has a column)
    const auto bytes = __builtin_convertvector(qi * out.sign + out.bias, simd::VectorOf<std::uint8_t, 8>::type);
    std::memcpy(out.base + 2 * v * out.stride, &bytes, 4);
    if (j + 4 < d) std::memcpy(out.base + (2 * v + 1) * out.stride, reinterpret_cast<const std::uint8_t*>(&bytes) + 4, 4);
  }
  QuantisedRow row;
  double residual_sq = 0.0;
  double centred_sq = 0.0;
  for (int l = 0; l < 8; ++l) {
    row.norm += isq[l];
    row.sum += isum[l];
    residual_sq += rsq[l];
    centred_sq += csq[l];
  }
  row.eps = quant_eps(residual_sq, centred_sq, d);
  return row;
}
#endif

/// c~ of a row (written as bytes to `out`), with its norm, sum and eps; `wide`: the CPU runs the
/// AVX-512 kernels (the grid's VNNI kernel), else the portable loop.
QuantisedRow quantise_row(const double* x, const double* mean, std::size_t d, double scale, double inv_scale,
                          GridBytes out, bool wide) {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  if (wide && d <= 64) {
    return with_vector_count(d, [&](auto nv) {
      return quantise_row_avx512<decltype(nv)::value>(x, mean, d, scale, inv_scale, out);
    });
  }
#endif
  QuantisedRow row;
  double residual_sq = 0.0;
  double centred_sq = 0.0;
  for (std::size_t j = 0; j < d; ++j) {
    const double centred = x[j] - mean[j];
    const int v = quantise(centred, inv_scale);
    const double r = centred - scale * v;
    residual_sq += r * r;
    centred_sq += centred * centred;
    row.sum += v;
    row.norm += v * v;
    out.base[(j / 4) * out.stride + j % 4] = static_cast<std::uint8_t>(out.sign * v + out.bias);
  }
  for (std::size_t j = d; j % 4 != 0; ++j) out.base[(j / 4) * out.stride + j % 4] = static_cast<std::uint8_t>(out.bias);
  row.eps = quant_eps(residual_sq, centred_sq, d);
  return row;
}

/// Whether this CPU has the instructions of the quantised kernel.
bool cpu_has_vnni() {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vnni") && chosen_isa() == Isa::Avx512;
#else
  return false;
#endif
}

/// A query's flagged lanes in the current panel.
struct QuantFlag {
  std::size_t query;
  std::uint64_t bits;
};

/// Everything the quantised kernel reads; T is updated by on_hit_quant.
struct QuantCtx {
  const QuantisedPoints* pts = nullptr;
  std::size_t nq = 0;
  const std::int32_t* qwords = nullptr;  // per tile of kQuantQT queries and group g of 4 columns,
                                         // kQuantQT words of 4 bytes -q~ (tile-major, then group)
  const std::int64_t* qsum = nullptr;    // sum q~
  const std::int64_t* qnorm = nullptr;   // ||q~||^2
  const double* qeps = nullptr;
  double* T = nullptr;
  std::int32_t* thresholds = nullptr;    // per query row of the (padded) block
  std::size_t flagged = 0;               // pairs handed to on_hit_quant
  std::vector<QuantFlag>* pending = nullptr;  // the current panel's, handled after its tiles
  BlockState* state = nullptr;
  bool vnni = false;                     // the VNNI kernel runs (else the portable one)
};

/// Relative widening of a squared distance for the rounding of the exact formula (exact_sq).
inline double quant_sq_slack(std::size_t d) { return 8.0 * static_cast<double>(d + 2) * kUnit; }

/// The kernel's threshold for query q against a chunk of points whose eps are <= chunk_eps:
/// every pair whose exact squared distance can be <= T has lane value <= thr. Such a pair has
/// s sqrt(I) (1 - 4u) - eps <= tau with tau = sqrt(T) (1 + slack) (slack: the exact formula's
/// rounding), i.e. I <= R = ((tau + eps_q + chunk_eps) / (s (1 - 4u)))^2; and
/// I <= R implies dp + ceil(a / 2) <= floor((R - ||q~||^2) / 2) + 1 - 128 sum q~ (a = ||p~||^2).
inline std::int32_t quant_threshold(const QuantCtx& c, std::size_t q, double chunk_eps) {
  const QuantisedPoints& pts = *c.pts;
  const double tau = std::sqrt(std::max(c.T[q], 0.0)) * (1.0 + quant_sq_slack(pts.d));
  const double root = (tau + c.qeps[q] + chunk_eps) / (pts.scale * (1.0 - 4.0 * kUnit)) * (1.0 + 1e-12);
  if (!(root < 1e9)) return kQuantPad;  // T not yet finite, or beyond every lane value
  const double reduced = root * root * (1.0 + 1e-12) - static_cast<double>(c.qnorm[q]);
  const double thr = std::floor(reduced / 2.0) + 1.0 - 128.0 * static_cast<double>(c.qsum[q]);
  return static_cast<std::int32_t>(std::clamp(thr, -static_cast<double>(kQuantPad), static_cast<double>(kQuantPad)));
}

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
/// The squared distance summed 8 columns at a time (another order than exact_sq, and maybe
/// fused): within (d + 3) u of the true value, as exact_sq is, so within quant_sq_slack(d) of
/// exact_sq relative to itself. Only called with the VNNI kernel (the portable one uses exact_sq).
__attribute__((target("avx512f"))) double vector_sq(const double* a, const double* b, std::size_t d) {
  simd::V8 acc{};
  for (std::size_t j = 0; j < d; j += 8) {
    const __mmask8 m = j + 8 <= d ? __mmask8{0xFF} : static_cast<__mmask8>((1U << (d - j)) - 1U);
    const simd::V8 t = reinterpret_cast<simd::V8>(_mm512_maskz_loadu_pd(m, a + j)) -
                       reinterpret_cast<simd::V8>(_mm512_maskz_loadu_pd(m, b + j));
    acc += t * t;
  }
  double sum = 0.0;
  for (int l = 0; l < 8; ++l) sum += acc[l];
  return sum;
}
#else
double vector_sq(const double* a, const double* b, std::size_t d) { return exact_sq(a, b, d); }
#endif

/// A point's row (without the ids lookup when the index holds every row).
inline const double* point_row(const NeighborIndex::Impl& index, std::size_t local) {
  return index.subset ? index.point(local) : index.points.row(local);
}

/// Asks for a point's row to be brought into cache.
inline void prefetch_row(const NeighborIndex::Impl& index, std::size_t local) {
  const double* x = point_row(index, local);
  for (std::size_t j = 0; j < index.d; j += 8) __builtin_prefetch(x + j);
  __builtin_prefetch(x + index.d - 1);
}

/// The flagged lanes `bits` of query q in a panel: each point's squared distance, computed at
/// once (vector_sq, within quant_sq_slack of exact_sq), gives its L and U.
[[gnu::noinline]] void on_hit_quant(QuantCtx& c, std::size_t q, std::size_t panel, std::uint64_t bits) {
  BlockState& s = *c.state;
  const NeighborIndex::Impl& index = *s.index;
  const std::size_t first = panel * kQuantP;
  const double* x = s.row[q];
  const double slack = quant_sq_slack(index.d);
  for (; bits != 0; bits &= bits - 1) {
    const auto l = static_cast<std::size_t>(std::countr_zero(bits));
    const std::size_t local = first + l;
    if (local >= s.n || local == s.self[q]) continue;
    ++c.flagged;
    const double* p = point_row(index, local);
    const double D = c.vnni ? vector_sq(x, p, index.d) : exact_sq(x, p, index.d);
    offer(s, c.T[q], q, local, D * (1.0 - slack) - kTiny, D * (1.0 + slack) + kTiny);
  }
}

/// Every query's threshold for a new chunk of panels (padding queries of the last tile: never).
void set_thresholds(QuantCtx& c, std::size_t n_tiles, double chunk_eps) {
  for (std::size_t i = 0; i < n_tiles * kQuantQT; ++i) {
    c.thresholds[i] = i < c.nq ? quant_threshold(c, i, chunk_eps) : -kQuantPad;
  }
}

/// A panel's flagged pairs, once all its tiles are done (the tiles after a flag used the older,
/// larger T: a few more flags, no lost pair); a query whose T fell gets its new threshold.
void handle_flags(QuantCtx& c, std::size_t panel, double chunk_eps) {
  for (const QuantFlag& f : *c.pending) {
    const double before = c.T[f.query];
    on_hit_quant(c, f.query, panel, f.bits);
    if (c.T[f.query] != before) c.thresholds[f.query] = quant_threshold(c, f.query, chunk_eps);
  }
  c.pending->clear();
}

/// The quantised scan's frame, shared by its kernels: per chunk of panels the queries'
/// thresholds; per panel the kernel's tiles (tiles(panel, packed points, half norms, n_tiles),
/// which queue the flagged lanes in c.pending), then the panel's flagged pairs, whose rows were
/// asked for meanwhile.
template <class Tiles>
[[gnu::always_inline]] inline void scan_quant_panels(QuantCtx& c, Tiles& tiles) {
  const QuantisedPoints& pts = *c.pts;
  const std::size_t n_tiles = (c.nq + kQuantQT - 1) / kQuantQT;
  for (std::size_t p0 = 0, chunk = 0; p0 < pts.n_panels; p0 += pts.panels_per_chunk, ++chunk) {
    const std::size_t p1 = std::min(pts.n_panels, p0 + pts.panels_per_chunk);
    const double chunk_eps = pts.chunk_eps[chunk];
    set_thresholds(c, n_tiles, chunk_eps);
    for (std::size_t p = p0; p < p1; ++p) {
      tiles(p, pts.packed.data() + p * pts.groups * kQuantGroupBytes, pts.half_norm.data() + p * kQuantP, n_tiles);
      handle_flags(c, p, chunk_eps);
    }
  }
}

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
/// The quantised micro-kernel's tiles of a panel: 8 queries x 48 points per register tile, 4
/// columns per vpdpbusd.
struct VnniTiles {
  QuantCtx& c;
  __attribute__((target("avx512f,avx512bw,avx512vnni"))) void operator()(std::size_t p, const std::uint8_t* pk,
                                                                          const std::int32_t* half_norm,
                                                                          std::size_t n_tiles) {
    using I16 = simd::VectorOf<std::int32_t, kQuantW>::type;
    const std::size_t G = c.pts->groups;
    std::int32_t* thresholds = c.thresholds;
    std::vector<QuantFlag>& pending = *c.pending;
    for (std::size_t t = 0; t < n_tiles; ++t) {
      // Query words of the tile, group-major: the kQuantQT words of group g are adjacent.
      const std::int32_t* qw = c.qwords + t * kQuantQT * G;
      std::int32_t* thr = thresholds + t * kQuantQT;
      I16 acc[kQuantQT][kQuantPV];
#pragma GCC unroll 8
      for (std::size_t r = 0; r < kQuantQT; ++r) {
#pragma GCC unroll 4
        for (std::size_t v = 0; v < kQuantPV; ++v) std::memcpy(&acc[r][v], half_norm + v * kQuantW, sizeof(I16));
      }
      for (std::size_t g = 0; g < G; ++g) {
        I16 pv[kQuantPV];
#pragma GCC unroll 4
        for (std::size_t v = 0; v < kQuantPV; ++v) std::memcpy(&pv[v], pk + g * kQuantGroupBytes + v * 64, sizeof(I16));
#pragma GCC unroll 8
        for (std::size_t r = 0; r < kQuantQT; ++r) {
          const I16 b = I16{} + qw[g * kQuantQT + r];
#pragma GCC unroll 4
          for (std::size_t v = 0; v < kQuantPV; ++v) acc[r][v] = __builtin_ia32_vpdpbusd_v16si(acc[r][v], pv[v], b);
        }
      }
      I16 low = acc[0][0] - thr[0];
#pragma GCC unroll 8
      for (std::size_t r = 0; r < kQuantQT; ++r) {
        const I16 m01 = acc[r][0] < acc[r][1] ? acc[r][0] : acc[r][1];
        const I16 m = m01 < acc[r][2] ? m01 : acc[r][2];
        const I16 x = m - thr[r];  // no overflow: |lane| < 2^29 + 2^28, |thr| <= 2^29
        low = x < low ? x : low;
      }
      if (_mm512_cmple_epi32_mask(reinterpret_cast<__m512i>(low), _mm512_setzero_si512()) == 0) continue;
#pragma GCC unroll 8
      for (std::size_t r = 0; r < kQuantQT; ++r) {
        const __m512i tv = _mm512_set1_epi32(thr[r]);
        std::uint64_t bits = 0;
#pragma GCC unroll 4
        for (std::size_t v = 0; v < kQuantPV; ++v) {
          bits |= std::uint64_t{_mm512_cmple_epi32_mask(reinterpret_cast<__m512i>(acc[r][v]), tv)} << (v * kQuantW);
        }
        if (bits == 0) continue;
        pending.push_back(QuantFlag{t * kQuantQT + r, bits});
        for (; bits != 0; bits &= bits - 1) {
          const std::size_t local = p * kQuantP + static_cast<std::size_t>(std::countr_zero(bits));
          if (local < c.state->n) prefetch_row(*c.state->index, local);
        }
      }
    }
  }
};

/// The quantised micro-kernel: one block of queries against every panel.
__attribute__((target("avx512f,avx512bw,avx512vnni"))) void scan_quant_vnni(QuantCtx& c) {
  VnniTiles tiles{c};
  scan_quant_panels(c, tiles);
}
#else
void scan_quant_vnni(QuantCtx& /*c*/) { IMBAL_ASSERT(false); }
#endif

/// The quantised kernel's tiles in portable C++ (tests, on any CPU): the same integer sums as
/// vpdpbusd (exact: no lane can overflow), the same tiles and thresholds, so the same pairs are
/// flagged as by scan_quant_vnni. Not used for speed.
struct PortableTiles {
  QuantCtx& c;
  void operator()(std::size_t /*p*/, const std::uint8_t* pk, const std::int32_t* half_norm, std::size_t n_tiles) {
    const std::size_t G = c.pts->groups;
    const std::int32_t* thresholds = c.thresholds;
    std::vector<QuantFlag>& pending = *c.pending;
    std::int32_t acc[kQuantP];
    for (std::size_t t = 0; t < n_tiles; ++t) {
      const std::int32_t* qw = c.qwords + t * kQuantQT * G;
      for (std::size_t r = 0; r < kQuantQT; ++r) {
        std::copy_n(half_norm, kQuantP, acc);
        for (std::size_t g = 0; g < G; ++g) {
          const auto word = static_cast<std::uint32_t>(qw[g * kQuantQT + r]);
          std::int32_t q[4];
          for (std::size_t b = 0; b < 4; ++b) q[b] = static_cast<std::int8_t>(static_cast<std::uint8_t>(word >> (8 * b)));
          const std::uint8_t* group = pk + g * kQuantGroupBytes;
          for (std::size_t l = 0; l < kQuantP; ++l) {
            const std::uint8_t* bytes = group + l * 4;  // lane l: 4 columns (vector l / 16, lane l % 16)
            acc[l] += bytes[0] * q[0] + bytes[1] * q[1] + bytes[2] * q[2] + bytes[3] * q[3];
          }
        }
        const std::int32_t thr = thresholds[t * kQuantQT + r];
        std::uint64_t bits = 0;
        for (std::size_t l = 0; l < kQuantP; ++l) bits |= std::uint64_t{acc[l] <= thr} << l;
        if (bits != 0) pending.push_back(QuantFlag{t * kQuantQT + r, bits});
      }
    }
  }
};

void scan_quant_portable(QuantCtx& c) {
  PortableTiles tiles{c};
  scan_quant_panels(c, tiles);
}

/// The points on the grid of step max_abs / 127, packed for the grid kernels; null when the data
/// give no usable grid (all points equal to the mean, or a step that underflows). `wide`: rows
/// quantised with the AVX-512 loop (the VNNI kernel's CPUs).
std::unique_ptr<QuantisedPoints> quantise_points(const NeighborIndex::Impl& index, const std::vector<double>& mean,
                                                 double max_abs, int n_jobs, bool wide) {
  const std::size_t n = index.n;
  const std::size_t d = index.d;
  const double scale = max_abs / 127.0;
  if (!(scale >= 1e-250) || !std::isfinite(scale) || d > kQuantMaxD) return nullptr;
  auto pts = std::make_unique<QuantisedPoints>();
  pts->d = d;
  pts->groups = (d + 3) / 4;
  pts->scale = scale;
  pts->inv_scale = 1.0 / scale;
  pts->n_panels = (n + kQuantP - 1) / kQuantP;
  const std::size_t panel_bytes = pts->groups * kQuantGroupBytes;
  pts->panels_per_chunk = std::max<std::size_t>(1, kQuantChunkBytes / panel_bytes);
  pts->packed.assign(pts->n_panels * panel_bytes, std::uint8_t{128});
  pts->half_norm.assign(pts->n_panels * kQuantP, kQuantPad);
  std::vector<double> panel_eps(pts->n_panels, 0.0);
  std::atomic<std::size_t> next{0};
  constexpr std::size_t kPanelsPerTask = 256;
  const std::size_t tasks = (pts->n_panels + kPanelsPerTask - 1) / kPanelsPerTask;
  const std::size_t threads =
      n * d < (std::size_t{1} << 16) ? 1 : std::min<std::size_t>(static_cast<std::size_t>(std::max(n_jobs, 1)), tasks);
  QuantisedPoints& P = *pts;
  imbal::detail::run_on_threads(threads, [&] {
    for (std::size_t t = next.fetch_add(1); t < tasks; t = next.fetch_add(1)) {
      const std::size_t panel_end = std::min(P.n_panels, (t + 1) * kPanelsPerTask);
      for (std::size_t panel = t * kPanelsPerTask; panel < panel_end; ++panel) {
        std::uint8_t* dst = P.packed.data() + panel * panel_bytes;
        double worst = 0.0;
        for (std::size_t lane = 0; lane < kQuantP; ++lane) {
          const std::size_t i = panel * kQuantP + lane;
          if (i >= n) break;
          const QuantisedRow row = quantise_row(index.point(i), mean.data(), d, P.scale, P.inv_scale,
                                                GridBytes{dst + lane * 4, kQuantGroupBytes, 1, 128}, wide);
          P.half_norm[i] = static_cast<std::int32_t>((row.norm + 1) / 2);
          worst = std::max(worst, row.eps);
        }
        panel_eps[panel] = worst;
      }
    }
  });
  P.chunk_eps.assign((P.n_panels + P.panels_per_chunk - 1) / P.panels_per_chunk, 0.0);
  for (std::size_t p = 0; p < P.n_panels; ++p) {
    P.chunk_eps[p / P.panels_per_chunk] = std::max(P.chunk_eps[p / P.panels_per_chunk], panel_eps[p]);
  }
  return pts;
}

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
/// column_stats' loop over rows [first, last) for d <= 8 * NV, the running sums, minima and
/// maxima held in registers (the same per-column order of additions as the plain loop).
template <std::size_t NV>
__attribute__((target("avx512f"))) void column_stats_rows(const NeighborIndex::Impl& index, std::size_t first,
                                                          std::size_t last, double* sum, double* low,
                                                          double* high) {
  const std::size_t d = index.d;
  simd::V8 s[NV];
  simd::V8 lo[NV];
  simd::V8 hi[NV];
  __mmask8 mask[NV];
#pragma GCC unroll 8
  for (std::size_t v = 0; v < NV; ++v) {
    const std::size_t j = 8 * v;
    mask[v] = j + 8 <= d ? __mmask8{0xFF} : static_cast<__mmask8>((1U << (d - j)) - 1U);
    s[v] = simd::V8{};
    lo[v] = simd::V8{} + std::numeric_limits<double>::infinity();
    hi[v] = simd::V8{} - std::numeric_limits<double>::infinity();
  }
  for (std::size_t i = first; i < last; ++i) {
    const double* x = index.point(i);
#pragma GCC unroll 8
    for (std::size_t v = 0; v < NV; ++v) {
      const auto xv = reinterpret_cast<simd::V8>(_mm512_maskz_loadu_pd(mask[v], x + 8 * v));
      s[v] += xv;
      lo[v] = xv < lo[v] ? xv : lo[v];
      hi[v] = xv > hi[v] ? xv : hi[v];
    }
  }
  for (std::size_t j = 0; j < d; ++j) {
    sum[j] = s[j / 8][j % 8];
    low[j] = lo[j / 8][j % 8];
    high[j] = hi[j / 8][j % 8];
  }
}

void column_stats_avx512(const NeighborIndex::Impl& index, std::size_t first, std::size_t last, double* sum,
                         double* low, double* high) {
  IMBAL_ASSERT(index.d <= 64);
  with_vector_count(index.d, [&](auto nv) {
    column_stats_rows<decltype(nv)::value>(index, first, last, sum, low, high);
  });
}
#else
void column_stats_avx512(const NeighborIndex::Impl&, std::size_t, std::size_t, double*, double*, double*) {
  IMBAL_ASSERT(false);
}
#endif

}  // namespace

ColumnStats column_stats(const NeighborIndex::Impl& index, int n_jobs) {
  const std::size_t n = index.n;
  const std::size_t d = index.d;
  constexpr std::size_t kRowsPerTask = 8192;
  const std::size_t tasks = (n + kRowsPerTask - 1) / kRowsPerTask;
  std::vector<double> sums(tasks * d, 0.0);
  std::vector<double> lows(tasks * d, std::numeric_limits<double>::infinity());
  std::vector<double> highs(tasks * d, -std::numeric_limits<double>::infinity());
  std::atomic<std::size_t> next{0};
  const std::size_t threads = std::min<std::size_t>(static_cast<std::size_t>(std::max(n_jobs, 1)), tasks);
  const bool vectorised = chosen_isa() == Isa::Avx512 && d <= 64;
  imbal::detail::run_on_threads(threads, [&] {
    for (std::size_t t = next.fetch_add(1); t < tasks; t = next.fetch_add(1)) {
      double* __restrict sum = sums.data() + t * d;
      double* __restrict low = lows.data() + t * d;
      double* __restrict high = highs.data() + t * d;
      const std::size_t first = t * kRowsPerTask;
      const std::size_t last = std::min(n, (t + 1) * kRowsPerTask);
      if (vectorised) {
        column_stats_avx512(index, first, last, sum, low, high);
        continue;
      }
      for (std::size_t i = first; i < last; ++i) {
        const double* __restrict x = index.point(i);
        for (std::size_t j = 0; j < d; ++j) {
          sum[j] += x[j];
          low[j] = std::min(low[j], x[j]);
          high[j] = std::max(high[j], x[j]);
        }
      }
    }
  });
  ColumnStats stats;
  stats.mean.assign(d, 0.0);
  for (std::size_t j = 0; j < d; ++j) {
    double sum = 0.0;
    double low = std::numeric_limits<double>::infinity();
    double high = -std::numeric_limits<double>::infinity();
    for (std::size_t t = 0; t < tasks; ++t) {
      sum += sums[t * d + j];
      low = std::min(low, lows[t * d + j]);
      high = std::max(high, highs[t * d + j]);
    }
    stats.mean[j] = sum / static_cast<double>(n);
    stats.max_abs = std::max({stats.max_abs, high - stats.mean[j], stats.mean[j] - low});
    // A NaN or infinity makes the sum NaN or infinite (minima and maxima skip NaN); finite
    // values within +-kMaxAbsValue cannot overflow it.
    if (!std::isfinite(sum) || !(low >= -kMaxAbsValue) || !(high <= kMaxAbsValue)) stats.values_ok = false;
  }
  return stats;
}

namespace {

// The quantised filter is tried from 8 columns up (below, the kd-tree serves large sets and the
// grid's margin is wide against the neighbour distances), for indexes of 8,192 points or more,
// or smaller ones whose first batch of queries makes 2^22 pairs or more (k-means' centres against
// blocks of 8,192 rows): below that its set-up, one more pass over the points, did not repay it
// (abalone, 4,177 points and 32 queries: adasyn 0.27 -> 0.36 ms; yeast, 1,484 x 1,484 pairs:
// enn 1.13 -> 1.62 ms). With the caller's bounds the exact re-ranking is short and the filter is
// most of the work, so the grid pays from 2^20 pairs (k-means on satimage, 626 centres against
// about 2,900 rows a step: 13 % faster).
constexpr std::size_t kQuantMinD = 8;
constexpr std::size_t kQuantMinPoints = 8192;
constexpr std::size_t kQuantMinPairs = std::size_t{1} << 22;
constexpr std::size_t kQuantMinPairsBounded = std::size_t{1} << 20;
inline bool quant_pays(std::size_t n, std::size_t d, std::size_t first_batch, bool bounded) {
  const std::size_t min_pairs = bounded ? kQuantMinPairsBounded : kQuantMinPairs;
  return d >= kQuantMinD && (n >= kQuantMinPoints || (n >= 64 && n * first_batch >= min_pairs));
}
// A flagged pair costs an exact distance, about what the float filter spends on 100 points: a
// block that flags more than k + 64 + n / 64 pairs per query on average turns the quantised
// filter off for the rest of the backend's life (its margin is too wide for these data).
inline double quant_flood_limit(std::size_t k, std::size_t n) {
  return static_cast<double>(k + 64) + static_cast<double>(n) / 64.0;
}

class BruteForceBackend final : public Backend {
 public:
  BruteForceBackend(const NeighborIndex::Impl& index, std::size_t first_batch, bool bounded) : index_(index) {
    const unsigned hw = std::thread::hardware_concurrency();
    jobs_ = index.options.n_jobs > 0 ? index.options.n_jobs : static_cast<int>(std::max(1U, hw));
    ColumnStats stats = index.stats.has_value() ? *index.stats : column_stats(index, jobs_);
    mean_ = std::move(stats.mean);
    precision_ = g_precision_override.load(std::memory_order_relaxed);
    quant_forced_ = precision_ == 3;
    // The grid filter runs on CPUs with AVX-512 VNNI; the portable kernel stands in for it only
    // in tests (forced grid on other CPUs, or the grid-kernel hook).
    const bool portable = g_grid_kernel_override.load(std::memory_order_relaxed) == 1;
    vnni_ = !portable && cpu_has_vnni();
    const bool grid_kernel = vnni_ || portable || quant_forced_;
    if (grid_kernel && ((precision_ == 0 && quant_pays(index.n, index.d, first_batch, bounded)) || quant_forced_)) {
      quant_ = quantise_points(index, mean_, stats.max_abs, jobs_, vnni_);
    }
    if (quant_ == nullptr && precision_ != 1) build_single(jobs_);
    if (single_ == nullptr && quant_ == nullptr) double_ = std::make_unique<PackedPoints<double>>(index, mean_, jobs_);
  }

  // At least 4 blocks per thread when there are enough queries.
  std::size_t chunk_size(std::size_t n_queries, std::size_t n_threads) const override {
    const std::size_t per = n_queries / (4 * std::max<std::size_t>(n_threads, 1));
    const std::size_t block = std::clamp(per, kMinQueryBlock, kMaxQueryBlock);
    return (block + 7) / 8 * 8;
  }

  void search(const QueryBatch& batch, Output out, ChunkQueue& queue) const override {
    Worker<float> single(*this, out.k, queue.chunk());
    Worker<double> twice(*this, out.k, queue.chunk());
    QuantWorker quantised(*this, out.k, queue.chunk());
    std::size_t begin = 0;
    std::size_t end = 0;
    while (queue.pop(begin, end)) {
      if (quant_ != nullptr && !quant_off_.load(std::memory_order_relaxed)) {
        const std::size_t flagged = quantised.run(*quant_, batch, out, begin, end);
        g_quant_flagged.fetch_add(flagged, std::memory_order_relaxed);
        const double allowed = quant_flood_limit(out.k, index_.n) * static_cast<double>(end - begin);
        if (!quant_forced_ && static_cast<double>(flagged) > allowed && !quant_off_.exchange(true)) {
          g_quant_fallbacks.fetch_add(1, std::memory_order_relaxed);
        }
        continue;
      }
      // The float filter serves a block unless one of its queries lies too far out (its run
      // then declines the block before scanning it).
      const PackedPoints<float>* single_pts = packed_single();
      if (single_pts == nullptr || !single.run(*single_pts, batch, out, begin, end)) {
        twice.run(packed_double(), batch, out, begin, end);
      }
    }
  }

 private:
  /// Packs the float filter's points; kept only if every centred norm is in its range.
  void build_single(int jobs) const {
    auto packed = std::make_unique<PackedPoints<float>>(index_, mean_, jobs);
    const double max_norm = packed->cmax.empty() ? 0.0 : *std::max_element(packed->cmax.begin(), packed->cmax.end());
    if (max_norm <= kMaxFloatNorm) single_ = std::move(packed);
  }

  /// The float filter's points (null: out of its range), packed on first use when the quantised
  /// filter was chosen first.
  const PackedPoints<float>* packed_single() const {
    if (precision_ == 1) return nullptr;
    std::call_once(single_once_, [this] {
      if (quant_ != nullptr) build_single(1);  // otherwise the constructor tried already
    });
    return single_.get();
  }

  const PackedPoints<double>& packed_double() const {
    std::call_once(double_once_, [this] {
      if (double_ == nullptr) double_ = std::make_unique<PackedPoints<double>>(index_, mean_, 1);
    });
    return *double_;
  }

  /// Relative error bound of exact_sq in d dimensions (a sum of d rounded non-negative terms),
  /// with room to spare.
  static double exact_sq_slack(std::size_t d) { return 4.0 * static_cast<double>(d + 2) * kUnit; }

  /// The filter's starting T for a caller's bound on the k-th squared distance (kAcceptAll
  /// without one): above every true squared distance whose rounded value is <= the bound.
  static double start_threshold(double bound, std::size_t d) {
    if (!(bound >= 0.0) || !(bound < kAcceptAll)) return kAcceptAll;  // NaN, +inf, negative
    return bound * (1.0 + 2.0 * exact_sq_slack(d)) + std::numeric_limits<double>::min();
  }

  /// Whether a search started from T = start found the true k nearest: it did if its k-th best
  /// candidate is truly within `start` (then T never fell below the k-th true distance, so every
  /// point at most that far passed the filter).
  static bool bound_held(std::vector<Candidate>& cands, std::size_t k, double start, std::size_t d) {
    if (cands.size() < k) return false;
    const auto kth = cands.begin() + static_cast<std::ptrdiff_t>(k - 1);
    std::nth_element(cands.begin(), kth, cands.end(),
                     [](const Candidate& a, const Candidate& b) { return a.key < b.key; });
    return kth->key * (1.0 + exact_sq_slack(d)) <= start;
  }

  /// The k best of every point by exact distance (the fallback when a caller's bound was too
  /// small): plain and slow, for the rare query that needs it.
  static void exhaustive(const NeighborIndex::Impl& index, const double* x, std::size_t self,
                         std::vector<Candidate>& cands) {
    cands.clear();
    for (std::size_t p = 0; p < index.n; ++p) {
      if (p != self) cands.push_back(Candidate{exact_sq(x, index.point(p), index.d), p});
    }
  }

  /// One thread's buffers for blocks filtered in precision E.
  template <class E>
  struct Worker {
    const BruteForceBackend& owner;
    std::size_t block;
    std::vector<E, Aligned64<E>> qc;
    std::vector<double> qn, qnorm, T;
    std::vector<E> thresholds;
    BlockState s;

    Worker(const BruteForceBackend& o, std::size_t k, std::size_t b) : owner(o), block(b), s(o.index_, k) {}

    /// Searches queries [begin, end). The float filter declines (returns false, nothing written)
    /// a block with a query whose centred norm is above kMaxFloatNorm or out of float range.
    bool run(const PackedPoints<E>& pts, const QueryBatch& batch, Output out, std::size_t begin,
             std::size_t end) {
      const NeighborIndex::Impl& index = owner.index_;
      const std::size_t d = index.d;
      if (T.empty()) {  // first block of this precision on this thread
        qc.assign((block + pts.qt) * d, E{0});
        qn.resize(block);
        qnorm.resize(block);
        T.resize(block);
        thresholds.resize(block + pts.qt);
        s.size_for(block);
      }
      ScanCtx<E> c;
      c.packed = pts.packed.data();
      c.pnorm = pts.pnorm.data();
      c.pmax = pts.pmax.data();
      c.cmax = pts.cmax.data();
      c.d = d;
      c.P = pts.P;
      c.n_panels = pts.n_panels;
      c.panels_per_chunk = pts.panels_per_chunk;
      c.qc = qc.data();
      c.qn = qn.data();
      c.qnorm = qnorm.data();
      c.T = T.data();
      c.thresholds = thresholds.data();
      c.cE = pts.cE;
      c.unit = pts.unit;
      c.tiny = pts.tiny;
      c.state = &s;

      const std::size_t nq = end - begin;
      for (std::size_t i = 0; i < nq; ++i) {
        const double* x = batch.row(begin + i);
        s.start_query(i, x, batch.self_of(begin + i), start_threshold(batch.bound_of(begin + i), d));
        E* dst = qc.data() + i * d;
        double sq = 0.0;
        for (std::size_t j = 0; j < d; ++j) {
          const E v = static_cast<E>(x[j] - owner.mean_[j]);
          dst[j] = v;
          sq += static_cast<double>(v) * static_cast<double>(v);
        }
        qn[i] = sq;
        qnorm[i] = std::sqrt(sq);
        if (std::is_same_v<E, float> && !(qnorm[i] <= kMaxFloatNorm)) return false;
        T[i] = s.start[i];
      }
      // Padding rows of the last tile: finite values, never reported.
      const std::size_t padded = (nq + pts.qt - 1) / pts.qt * pts.qt;
      std::fill(qc.begin() + static_cast<std::ptrdiff_t>(nq * d),
                qc.begin() + static_cast<std::ptrdiff_t>(padded * d), E{0});
      c.nq = nq;
      pts.scan(c);
      owner.finish_block(s, T.data(), batch, out, begin, nq);
      return true;
    }
  };

  /// One thread's buffers for blocks filtered on the integer grid.
  struct QuantWorker {
    const BruteForceBackend& owner;
    std::size_t block;
    std::vector<std::int32_t> qwords;
    std::vector<std::int64_t> qsum, qnorm;
    std::vector<double> qeps, T;
    std::vector<std::int32_t> thresholds;
    std::vector<QuantFlag> pending;
    BlockState s;

    QuantWorker(const BruteForceBackend& o, std::size_t k, std::size_t b) : owner(o), block(b), s(o.index_, k) {}

    /// Searches queries [begin, end); returns the number of pairs the kernel flagged.
    std::size_t run(const QuantisedPoints& pts, const QueryBatch& batch, Output out, std::size_t begin,
                    std::size_t end) {
      const std::size_t d = pts.d;
      const std::size_t G = pts.groups;
      if (T.empty()) {
        qwords.assign((block + kQuantQT) * G, 0);
        qsum.resize(block);
        qnorm.resize(block);
        qeps.resize(block);
        T.resize(block);
        thresholds.resize(block + kQuantQT);
        s.size_for(block);
      }
      const std::size_t nq = end - begin;
      std::fill(qwords.begin(), qwords.end(), 0);
      for (std::size_t i = 0; i < nq; ++i) {
        const double* x = batch.row(begin + i);
        s.start_query(i, x, batch.self_of(begin + i), start_threshold(batch.bound_of(begin + i), d));
        // byte j % 4 of the query's word for group j / 4 (kQuantQT words apart): -q~, signed
        auto* words = reinterpret_cast<std::uint8_t*>(qwords.data() + (i / kQuantQT) * kQuantQT * G + i % kQuantQT);
        const QuantisedRow row = quantise_row(x, owner.mean_.data(), d, pts.scale, pts.inv_scale,
                                              GridBytes{words, kQuantQT * 4, -1, 0}, owner.vnni_);
        qsum[i] = row.sum;
        qnorm[i] = row.norm;
        qeps[i] = row.eps;
        T[i] = s.start[i];
      }
      QuantCtx c;
      c.pts = &pts;
      c.nq = nq;
      c.qwords = qwords.data();
      c.qsum = qsum.data();
      c.qnorm = qnorm.data();
      c.qeps = qeps.data();
      c.T = T.data();
      c.thresholds = thresholds.data();
      c.pending = &pending;
      c.state = &s;
      c.vnni = owner.vnni_;
      if (owner.vnni_) {
        scan_quant_vnni(c);
      } else {
        scan_quant_portable(c);
      }
      owner.finish_block(s, T.data(), batch, out, begin, nq);
      return c.flagged;
    }
  };

  /// After a block's scan: drops the candidates above T, ranks the rest by exact distance and
  /// writes each query's k best (searching exhaustively when a caller's bound was too small).
  void finish_block(BlockState& s, const double* T, const QueryBatch& batch, Output out, std::size_t begin,
                    std::size_t nq) const {
    const std::size_t d = index_.d;
    for (std::size_t i = 0; i < nq; ++i) {
      const double* x = batch.row(begin + i);
      auto& cands = s.cands[i];
      const double t = T[i];
      std::erase_if(cands, [t](const Candidate& cd) { return cd.key > t; });
      for (auto& cd : cands) cd.key = exact_sq(x, index_.point(cd.local), d);
      const double start = s.start[i];
      if (start < kAcceptAll && !bound_held(cands, s.k, start, d)) {
        exhaustive(index_, x, s.self[i], cands);
      }
      write_best(index_, cands, out, begin + i);
    }
  }

  const NeighborIndex::Impl& index_;
  std::vector<double> mean_;
  int jobs_ = 1;
  int precision_ = 0;       // the test hook's value when the backend was built
  bool quant_forced_ = false;
  bool vnni_ = false;       // the grid filter's kernel: VNNI, or the portable one (tests)
  std::unique_ptr<QuantisedPoints> quant_;
  mutable std::atomic<bool> quant_off_{false};
  mutable std::unique_ptr<PackedPoints<float>> single_;
  mutable std::once_flag single_once_;
  mutable std::unique_ptr<PackedPoints<double>> double_;
  mutable std::once_flag double_once_;
};

}  // namespace

std::unique_ptr<Backend> make_brute_force(const NeighborIndex::Impl& index, std::size_t first_batch, bool bounded) {
  return std::make_unique<BruteForceBackend>(index, first_batch, bounded);
}

int set_brute_force_precision_for_testing(int precision) {
  g_precision_override.store(precision, std::memory_order_relaxed);
  return precision;
}

void set_brute_force_grid_kernel_for_testing(bool portable) {
  g_grid_kernel_override.store(portable ? 1 : 0, std::memory_order_relaxed);
}

std::size_t brute_force_grid_flagged_for_testing() { return g_quant_flagged.load(std::memory_order_relaxed); }

int brute_force_grid_fallbacks_for_testing() { return g_quant_fallbacks.load(std::memory_order_relaxed); }

int set_brute_force_kernel_for_testing(int kernel) {
  g_isa_override.store(kernel, std::memory_order_relaxed);
  return static_cast<int>(chosen_isa());
}

}  // namespace imbal::nn
