// The exact k-NN engine against a naive oracle (direct double loop, sort by (distance, index)),
// for both backends, Auto, 1 and 2 threads, full and subset indexes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <string>
#include <tuple>
#include <vector>

#include "imbal/error.hpp"
#include "imbal/matrix.hpp"
#include "imbal/neighbors.hpp"
#include "imbal/random.hpp"
#include "neighbors/neighbors_internal.hpp"

namespace imbal {
namespace {

// The definition: column order, double, each square rounded separately (the empty asm keeps
// the compiler from fusing the square into the sum, as the library does).
double oracle_sq(const double* a, const double* b, std::size_t d) {
  double s = 0.0;
  for (std::size_t j = 0; j < d; ++j) {
    double t = (a[j] - b[j]) * (a[j] - b[j]);
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
    asm("" : "+x"(t));
#endif
    s += t;
  }
  return s;
}

// k nearest among `ids` (rows of pts) of each query; `self[i]` (a row id or npos) is skipped.
Neighbors oracle(MatrixView pts, const std::vector<std::size_t>& ids,
                 const std::vector<const double*>& queries, const std::vector<std::size_t>& self,
                 std::size_t k) {
  Neighbors res;
  res.n_queries = queries.size();
  res.k = k;
  std::vector<std::pair<double, std::size_t>> all;
  for (std::size_t i = 0; i < queries.size(); ++i) {
    all.clear();
    for (std::size_t id : ids) {
      if (!self.empty() && self[i] == id) continue;
      all.emplace_back(oracle_sq(queries[i], pts.row(id), pts.cols), id);
    }
    std::sort(all.begin(), all.end());
    for (std::size_t j = 0; j < k; ++j) {
      res.index.push_back(all[j].second);
      res.distance.push_back(std::sqrt(all[j].first));
    }
  }
  return res;
}

std::vector<std::size_t> iota(std::size_t n) {
  std::vector<std::size_t> v(n);
  std::iota(v.begin(), v.end(), std::size_t{0});
  return v;
}

Matrix normal_data(std::size_t n, std::size_t d, std::uint64_t seed, double scale = 1.0,
                   double offset = 0.0) {
  Rng rng(seed);
  Matrix m(n, d);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < d; ++j) m(i, j) = offset + scale * rng.normal();
  }
  return m;
}

// Integer grid values in [0, levels): massive exact ties.
Matrix grid_data(std::size_t n, std::size_t d, std::uint64_t levels, std::uint64_t seed,
                 double offset = 0.0) {
  Rng rng(seed);
  Matrix m(n, d);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < d; ++j) m(i, j) = offset + static_cast<double>(rng.below(levels));
  }
  return m;
}

// n rows drawn (with repeats) from `unique` distinct normal rows.
Matrix duplicated_data(std::size_t n, std::size_t d, std::size_t unique, std::uint64_t seed) {
  const Matrix base = normal_data(unique, d, seed);
  Rng rng(seed + 1);
  Matrix m(n, d);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t src = static_cast<std::size_t>(rng.below(unique));
    std::copy_n(base.row(src), d, m.row(i));
  }
  return m;
}

// Points on one line in 3-D, at integer and random positions.
Matrix collinear_data(std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  Matrix m(n, 3);
  const double dir[3] = {1.0, -2.0, 0.5};
  for (std::size_t i = 0; i < n; ++i) {
    const double t = i % 2 == 0 ? static_cast<double>(rng.below(20)) : rng.uniform(0.0, 20.0);
    for (std::size_t j = 0; j < 3; ++j) m(i, j) = 3.0 + t * dir[j];
  }
  return m;
}

void expect_same(const Neighbors& got, const Neighbors& want, const std::string& what) {
  ASSERT_EQ(got.n_queries, want.n_queries) << what;
  ASSERT_EQ(got.k, want.k) << what;
  for (std::size_t i = 0; i < want.n_queries; ++i) {
    for (std::size_t j = 0; j < want.k; ++j) {
      const std::size_t at = i * want.k + j;
      ASSERT_EQ(got.index[at], want.index[at]) << what << ": query " << i << ", neighbour " << j;
      ASSERT_EQ(got.distance[at], want.distance[at])
          << what << ": query " << i << ", neighbour " << j;
    }
  }
}

struct Config {
  NeighborBackend backend;
  int jobs;
  int precision = 0;      // the brute force's filter (test hook): 0 automatic, 3 the 8-bit grid
  bool portable = false;  // the grid's portable kernel (test hook) instead of the VNNI one
};

std::string name(const Config& c) {
  return std::string(to_string(c.backend)) + "/jobs=" + std::to_string(c.jobs) +
         (c.precision == 3 ? (c.portable ? "/8-bit grid filter, portable kernel" : "/8-bit grid filter") : "");
}

const std::vector<Config>& configs() {
  static const std::vector<Config> all = {
      {NeighborBackend::BruteForce, 1}, {NeighborBackend::BruteForce, 2},
      {NeighborBackend::KdTree, 1},     {NeighborBackend::KdTree, 2},
      {NeighborBackend::Auto, 1},       {NeighborBackend::Auto, 2},
      // the quantised filter forced whatever the dimension: its VNNI kernel where the CPU has
      // AVX-512 VNNI (elsewhere the portable one), and its portable kernel on any CPU
      {NeighborBackend::BruteForce, 1, 3}, {NeighborBackend::BruteForce, 2, 3},
      {NeighborBackend::BruteForce, 1, 3, true}, {NeighborBackend::BruteForce, 2, 3, true},
  };
  return all;
}

/// Sets the brute force's filter precision for the indexes built (and first queried) in its scope.
class PrecisionScope {
 public:
  explicit PrecisionScope(const Config& c) {
    nn::set_brute_force_precision_for_testing(c.precision);
    nn::set_brute_force_grid_kernel_for_testing(c.portable);
  }
  ~PrecisionScope() {
    nn::set_brute_force_precision_for_testing(0);
    nn::set_brute_force_grid_kernel_for_testing(false);
  }
  PrecisionScope(const PrecisionScope&) = delete;
  PrecisionScope& operator=(const PrecisionScope&) = delete;
};

// All rows against all rows (exclude_self), and the first rows as external queries, for every
// config and each k in `ks`.
void check_all(const Matrix& data, const std::vector<std::size_t>& ks, const std::string& what) {
  const MatrixView v = data.view();
  const auto ids = iota(data.rows());
  std::vector<const double*> rows;
  for (std::size_t i = 0; i < data.rows(); ++i) rows.push_back(data.row(i));
  const std::size_t n_ext = std::min<std::size_t>(data.rows(), 37);
  const Matrix ext = gather_rows(v, std::vector<std::size_t>(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(n_ext)));
  std::vector<const double*> ext_rows;
  for (std::size_t i = 0; i < n_ext; ++i) ext_rows.push_back(ext.row(i));
  for (std::size_t k : ks) {
    const Neighbors want_self = oracle(v, ids, rows, ids, k);
    const Neighbors want_ext = oracle(v, ids, ext_rows, {}, k);
    for (const Config& c : configs()) {
    const PrecisionScope precision(c);
      const NeighborIndex index(v, NeighborOptions{c.backend, c.jobs});
      const std::string tag = what + ", k=" + std::to_string(k) + ", " + name(c);
      expect_same(index.query_rows(ids, k, true), want_self, tag + ", query_rows");
      expect_same(index.query(ext.view(), k), want_ext, tag + ", query");
    }
  }
}

TEST(Neighbors, RandomNormal) { check_all(normal_data(700, 5, 1), {1, 3, 5, 20}, "normal 700x5"); }

TEST(Neighbors, RandomNormalOffsetFromOrigin) {
  // Far from the origin: matrix-product distances cancel; the margin must still hold.
  check_all(normal_data(500, 4, 2, 1e-3, 1e4), {1, 5}, "normal offset 1e4 scale 1e-3");
}

TEST(Neighbors, MixedScales) {
  Matrix m = normal_data(400, 6, 3);
  for (std::size_t i = 0; i < m.rows(); ++i) {
    m(i, 0) *= 1e8;
    m(i, 1) *= 1e-8;
  }
  check_all(m, {1, 4}, "mixed scales");
}

TEST(Neighbors, DuplicatedRows) {
  check_all(duplicated_data(600, 4, 40, 4), {1, 3, 5, 30}, "duplicated rows");
}

TEST(Neighbors, AllRowsIdentical) {
  Matrix m(150, 3, 2.5);
  check_all(m, {1, 7, 149}, "identical rows");
}

TEST(Neighbors, ManyIdenticalRowsStayBounded) {
  // 3000 identical rows plus a few others: every row ties with ~3000 others at distance 0;
  // the answer is the smallest other row ids, and candidate lists must not grow to n.
  Matrix m(3000, 3, 1.0);
  for (std::size_t i = 2990; i < 3000; ++i) m(i, 0) = 2.0 + static_cast<double>(i);
  const auto ids = iota(m.rows());
  for (const Config& c : configs()) {
    const PrecisionScope precision(c);
    const NeighborIndex index(m.view(), NeighborOptions{c.backend, c.jobs});
    const Neighbors nb = index.query_rows(ids, 3, true);
    for (std::size_t i = 0; i < 2990; ++i) {
      std::vector<std::size_t> want;
      for (std::size_t j = 0; want.size() < 3; ++j) {
        if (j != i) want.push_back(j);
      }
      ASSERT_EQ(std::vector<std::size_t>(nb.indices(i).begin(), nb.indices(i).end()), want)
          << name(c) << ", row " << i;
      ASSERT_EQ(nb.distances(i)[2], 0.0);
    }
  }
}

TEST(Neighbors, Collinear) { check_all(collinear_data(500, 5), {1, 3, 10}, "collinear"); }

TEST(Neighbors, OneDimensional) {
  check_all(grid_data(600, 1, 50, 6), {1, 5, 25}, "1-D integer");
  check_all(normal_data(600, 1, 7), {1, 5}, "1-D normal");
}

TEST(Neighbors, Wide) { check_all(normal_data(300, 200, 8), {1, 5, 40}, "wide d=200"); }

TEST(Neighbors, IntegerGridMassiveTies) {
  check_all(grid_data(1500, 3, 4, 9), {1, 3, 5, 50}, "grid 4^3");
  check_all(grid_data(800, 8, 2, 10), {1, 5, 17}, "binary d=8");
  check_all(grid_data(700, 20, 3, 11), {1, 5}, "grid d=20");
  check_all(grid_data(500, 5, 3, 12, 1e6), {1, 5}, "grid offset 1e6");
}

TEST(Neighbors, EveryDimensionUpToTen) {
  // The kd-tree has compile-time instantiations for d = 1..8 and a generic one above.
  for (std::size_t d = 1; d <= 10; ++d) {
    check_all(grid_data(300, d, 3, 100 + d), {1, 4}, "grid d=" + std::to_string(d));
    check_all(normal_data(200, d, 200 + d), {2}, "normal d=" + std::to_string(d));
  }
}

TEST(Neighbors, EveryBruteForceKernel) {
  // The machine runs the best kernel it supports; force the others too (baseline SSE2 always,
  // AVX2 and AVX-512 when the CPU has them).
  const Matrix normal = normal_data(300, 7, 30);
  const Matrix grid = grid_data(400, 5, 3, 31);
  const Matrix wide = normal_data(120, 45, 32);
  const Matrix offset = normal_data(200, 3, 33, 1e-3, 1e4);
  for (int kernel = 1; kernel <= 3; ++kernel) {
    const int used = nn::set_brute_force_kernel_for_testing(kernel);
    if (used != kernel) continue;
    for (int precision = 1; precision <= 4; ++precision) {
    // 4: the grid filter with its portable kernel
    nn::set_brute_force_precision_for_testing(std::min(precision, 3));
    nn::set_brute_force_grid_kernel_for_testing(precision == 4);
    for (const Matrix* m : {&normal, &grid, &wide, &offset}) {
      const auto ids = iota(m->rows());
      std::vector<const double*> rows;
      for (std::size_t i = 0; i < m->rows(); ++i) rows.push_back(m->row(i));
      for (std::size_t k : {std::size_t{1}, std::size_t{6}}) {
        const NeighborIndex index(m->view(), NeighborOptions{NeighborBackend::BruteForce, 2});
        expect_same(index.query_rows(ids, k), oracle(m->view(), ids, rows, ids, k),
                    "kernel " + std::to_string(kernel) + ", precision " + std::to_string(precision) +
                        ", d=" + std::to_string(m->cols()) + ", k=" + std::to_string(k));
      }
    }
    }
  }
  nn::set_brute_force_kernel_for_testing(0);
  nn::set_brute_force_precision_for_testing(0);
  nn::set_brute_force_grid_kernel_for_testing(false);
}

TEST(Neighbors, FloatFilterFallsBackToDoubleFarOut) {
  // Points within the float filter's range, but queries (and, in the second case, points) at
  // 1e18: the float filter cannot hold their squared norms, the double one takes over.
  const Matrix points = normal_data(300, 6, 40);
  Matrix far = normal_data(20, 6, 41);
  for (std::size_t i = 0; i < far.rows(); i += 2) far(i, 0) += 1e18;
  const NeighborIndex index(points.view(), NeighborOptions{NeighborBackend::BruteForce, 2});
  std::vector<const double*> rows;
  for (std::size_t i = 0; i < far.rows(); ++i) rows.push_back(far.row(i));
  expect_same(index.query(far.view(), 3), oracle(points.view(), iota(points.rows()), rows, {}, 3),
              "far queries");
  Matrix wide_range = normal_data(200, 4, 42);
  for (std::size_t i = 0; i < wide_range.rows(); i += 7) wide_range(i, 1) = 3e17 * static_cast<double>(i % 3);
  check_all(wide_range, {1, 5}, "points at 1e17");
}

TEST(Neighbors, KLargest) {
  const Matrix m = grid_data(90, 3, 3, 13);
  check_all(m, {89}, "k = n - 1");
  // Without exclusion every point can be returned.
  const auto ids = iota(m.rows());
  std::vector<const double*> rows;
  for (std::size_t i = 0; i < m.rows(); ++i) rows.push_back(m.row(i));
  const Neighbors want = oracle(m.view(), ids, rows, {}, 90);
  for (const Config& c : configs()) {
    const PrecisionScope precision(c);
    const NeighborIndex index(m.view(), NeighborOptions{c.backend, c.jobs});
    expect_same(index.query_rows(ids, 90, false), want, "k = n, no exclusion, " + name(c));
  }
}

TEST(Neighbors, ExcludeSelfKeepsDuplicates) {
  // Rows 0, 1 and 2 are identical; row 3 is elsewhere.
  const Matrix m(5, 2, std::vector<double>{1, 1, 1, 1, 1, 1, 5, 5, 1, 2});
  for (const Config& c : configs()) {
    const PrecisionScope precision(c);
    const NeighborIndex index(m.view(), NeighborOptions{c.backend, c.jobs});
    const std::vector<std::size_t> rows = {1, 0, 2};
    const Neighbors nb = index.query_rows(rows, 2, true);
    // Row 1: its duplicates 0 and 2 at distance 0 (ties by index), not itself.
    EXPECT_EQ(nb(0, 0), 0u) << name(c);
    EXPECT_EQ(nb(0, 1), 2u) << name(c);
    EXPECT_EQ(nb.distances(0)[0], 0.0);
    EXPECT_EQ(nb.distances(0)[1], 0.0);
    EXPECT_EQ(nb(1, 0), 1u) << name(c);
    EXPECT_EQ(nb(1, 1), 2u) << name(c);
    EXPECT_EQ(nb(2, 0), 0u) << name(c);
    EXPECT_EQ(nb(2, 1), 1u) << name(c);
    // Without exclusion the row itself comes first among the tied duplicates... by index.
    const Neighbors all = index.query_rows(rows, 3, false);
    EXPECT_EQ(std::vector<std::size_t>(all.indices(0).begin(), all.indices(0).end()),
              (std::vector<std::size_t>{0, 1, 2}));
  }
}

TEST(Neighbors, DistancesAreEuclideanNotSquared) {
  const Matrix m(3, 2, std::vector<double>{0, 0, 3, 4, 6, 8});
  const NeighborIndex index(m.view());
  const std::vector<std::size_t> rows = {0};
  const Neighbors nb = index.query_rows(rows, 2);
  EXPECT_EQ(nb.distances(0)[0], 5.0);
  EXPECT_EQ(nb.distances(0)[1], 10.0);
  EXPECT_EQ(euclidean_distance(m.view().row_span(1), m.view().row_span(2)), 5.0);
  EXPECT_EQ(squared_euclidean_distance(m.view().row_span(0), m.view().row_span(2)), 100.0);
}

TEST(Neighbors, SquaredOptionReportsTheExactSums) {
  // Every backend, at one and two threads; 2100 x 2000 pairs take the brute force's 8-bit grid
  // filter where the CPU has it. The squared distances are squared_euclidean_distance's bits, the
  // neighbours those of the plain query, whose distances are their square roots.
  Rng rng(21);
  const std::size_t d = 6;
  std::vector<double> points(2000 * d);
  std::vector<double> queries(2100 * d);
  for (double& v : points) v = 1e3 + rng.normal();
  for (double& v : queries) v = 1e3 + rng.normal();
  const MatrixView P(points.data(), 2000, d);
  const MatrixView Q(queries.data(), 2100, d);
  for (const auto backend : {NeighborBackend::BruteForce, NeighborBackend::KdTree, NeighborBackend::Auto}) {
    for (const int jobs : {1, 2}) {
      NeighborOptions options;
      options.backend = backend;
      options.n_jobs = jobs;
      const Neighbors plain = NeighborIndex(P, options).query(Q, 3);
      options.squared = true;
      const Neighbors squared = NeighborIndex(P, options).query(Q, 3);
      ASSERT_EQ(plain.index, squared.index) << to_string(backend);
      for (std::size_t q = 0; q < Q.rows; ++q) {
        for (std::size_t j = 0; j < 3; ++j) {
          const double exact = squared_euclidean_distance(Q.row_span(q), P.row_span(squared(q, j)));
          ASSERT_EQ(squared.distances(q)[j], exact) << to_string(backend) << " query " << q;
          ASSERT_EQ(plain.distances(q)[j], std::sqrt(exact)) << to_string(backend) << " query " << q;
        }
      }
    }
  }
}

TEST(Neighbors, ThreadCountDoesNotChangeResults) {
  const Matrix m = grid_data(3000, 4, 5, 14);
  const auto ids = iota(m.rows());
  for (NeighborBackend b : {NeighborBackend::BruteForce, NeighborBackend::KdTree}) {
    const NeighborIndex one(m.view(), NeighborOptions{b, 1});
    const NeighborIndex two(m.view(), NeighborOptions{b, 2});
    const NeighborIndex many(m.view(), NeighborOptions{b, 7});
    const Neighbors a = one.query_rows(ids, 5);
    expect_same(two.query_rows(ids, 5), a, std::string("2 threads, ") + to_string(b));
    expect_same(many.query_rows(ids, 5), a, std::string("7 threads, ") + to_string(b));
  }
}

TEST(Neighbors, BackendsAgreeOnLargerData) {
  const Matrix m = normal_data(5000, 8, 15);
  const auto ids = iota(m.rows());
  const NeighborIndex bf(m.view(), NeighborOptions{NeighborBackend::BruteForce, 2});
  const NeighborIndex kd(m.view(), NeighborOptions{NeighborBackend::KdTree, 2});
  expect_same(kd.query_rows(ids, 5), bf.query_rows(ids, 5), "kd-tree vs brute force");
  // Spot-check against the oracle.
  std::vector<std::size_t> some = {0, 17, 4999, 2500};
  std::vector<const double*> rows;
  for (std::size_t r : some) rows.push_back(m.row(r));
  expect_same(bf.query_rows(some, 5), oracle(m.view(), ids, rows, some, 5), "oracle spot check");
}

TEST(Neighbors, StridedView) {
  const Matrix wide = normal_data(300, 7, 16);
  const MatrixView v(wide.data(), wide.rows(), 4, 7);  // first 4 columns
  const Matrix m = [&] {
    Matrix out(300, 4);
    for (std::size_t i = 0; i < 300; ++i) std::copy_n(wide.row(i), 4, out.row(i));
    return out;
  }();
  const auto ids = iota(300);
  for (const Config& c : configs()) {
    const PrecisionScope precision(c);
    const NeighborIndex strided(v, NeighborOptions{c.backend, c.jobs});
    const NeighborIndex dense(m.view(), NeighborOptions{c.backend, c.jobs});
    expect_same(strided.query_rows(ids, 4), dense.query_rows(ids, 4), "strided, " + name(c));
  }
}

TEST(Neighbors, SubsetIndex) {
  // "Minority" = every 7th row plus some duplicates of majority rows.
  Matrix m = grid_data(900, 3, 5, 17);
  std::vector<std::size_t> minority;
  for (std::size_t i = 3; i < m.rows(); i += 7) minority.push_back(i);
  std::reverse(minority.begin(), minority.end());  // unsorted ids: ties still by row id
  const auto all = iota(m.rows());
  std::vector<const double*> rows;
  for (std::size_t i = 0; i < m.rows(); ++i) rows.push_back(m.row(i));
  for (std::size_t k : {std::size_t{1}, std::size_t{3}, std::size_t{6}}) {
    // Every row queried against the minority; a minority row excludes itself.
    const Neighbors want = oracle(m.view(), minority, rows, all, k);
    // Without exclusion.
    const Neighbors want_keep = oracle(m.view(), minority, rows, {}, k);
    for (const Config& c : configs()) {
    const PrecisionScope precision(c);
      const NeighborIndex index(m.view(), minority, NeighborOptions{c.backend, c.jobs});
      EXPECT_EQ(index.size(), minority.size());
      EXPECT_TRUE(index.contains(3));
      EXPECT_FALSE(index.contains(4));
      const std::string tag = "subset, k=" + std::to_string(k) + ", " + name(c);
      expect_same(index.query_rows(all, k, true), want, tag);
      expect_same(index.query_rows(all, k, false), want_keep, tag + ", keep self");
      expect_same(index.query(m.view(), k), want_keep, tag + ", query");
    }
  }
}

TEST(Neighbors, MinorityQueriesAgainstAllPoints) {
  const Matrix m = normal_data(4000, 6, 18);
  std::vector<std::size_t> minority;
  for (std::size_t i = 0; i < m.rows(); i += 100) minority.push_back(i);
  std::vector<const double*> rows;
  for (std::size_t r : minority) rows.push_back(m.row(r));
  const Neighbors want = oracle(m.view(), iota(m.rows()), rows, minority, 5);
  for (const Config& c : configs()) {
    const PrecisionScope precision(c);
    const NeighborIndex index(m.view(), NeighborOptions{c.backend, c.jobs});
    expect_same(index.query_rows(minority, 5), want, "minority queries, " + name(c));
  }
}

TEST(Neighbors, EmptyQueries) {
  const Matrix m = normal_data(10, 2, 19);
  const NeighborIndex index(m.view());
  const Neighbors nb = index.query_rows(std::vector<std::size_t>{}, 3);
  EXPECT_EQ(nb.n_queries, 0u);
  EXPECT_EQ(nb.k, 3u);
  EXPECT_TRUE(nb.index.empty());
  const Neighbors nq = index.query(MatrixView(m.data(), 0, 2), 3);
  EXPECT_EQ(nq.n_queries, 0u);
}

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "<no InvalidArgument>";
}

TEST(Neighbors, Errors) {
  const Matrix m = normal_data(5, 3, 20);
  const NeighborIndex index(m.view());
  const std::vector<std::size_t> rows = {0, 1};
  EXPECT_NE(error_of([&] { (void)index.query_rows(rows, 0); }).find("at least 1"),
            std::string::npos);
  const std::string too_many = error_of([&] { (void)index.query_rows(rows, 5); });
  EXPECT_NE(too_many.find("k = 5"), std::string::npos) << too_many;
  EXPECT_NE(too_many.find("only 4 points"), std::string::npos) << too_many;
  EXPECT_NO_THROW((void)index.query_rows(rows, 5, false));
  const std::string too_many_q = error_of([&] { (void)index.query(m.view(), 6); });
  EXPECT_NE(too_many_q.find("only 5 points"), std::string::npos) << too_many_q;
  const Matrix q2(2, 2, 0.0);
  EXPECT_NE(error_of([&] { (void)index.query(q2.view(), 1); }).find("2 columns"),
            std::string::npos);
  EXPECT_NE(error_of([&] { (void)index.query_rows(std::vector<std::size_t>{5}, 1); })
                .find("out of range"),
            std::string::npos);
  EXPECT_NE(error_of([&] { NeighborIndex e(MatrixView(m.data(), 0, 3)); }).find("empty"),
            std::string::npos);
  EXPECT_NE(
      error_of([&] { NeighborIndex e(m.view(), std::vector<std::size_t>{}); }).find("empty"),
      std::string::npos);
  EXPECT_NE(error_of([&] { NeighborIndex e(m.view(), std::vector<std::size_t>{1, 1}); })
                .find("twice"),
            std::string::npos);
  EXPECT_NE(error_of([&] { NeighborIndex e(m.view(), std::vector<std::size_t>{9}); })
                .find("out of range"),
            std::string::npos);
  Matrix bad = m;
  bad(2, 1) = std::nan("");
  EXPECT_NE(error_of([&] { NeighborIndex e(bad.view()); }).find("not finite"), std::string::npos);
  bad(2, 1) = 1e200;
  EXPECT_NE(error_of([&] { NeighborIndex e(bad.view()); }).find("1e100"), std::string::npos);
  bad(2, 1) = -1e200;
  EXPECT_NE(error_of([&] { NeighborIndex e(bad.view()); }).find("row 2, column 1"), std::string::npos);
  bad(2, 1) = -std::numeric_limits<double>::infinity();
  EXPECT_NE(error_of([&] { NeighborIndex e(bad.view()); }).find("not finite"), std::string::npos);
  bad(2, 1) = 1e100;  // the largest accepted magnitude
  EXPECT_NO_THROW(NeighborIndex e(bad.view()));
  // Queries are checked the same way (in blocks of rows: the cell past the first block is named).
  {
    const NeighborIndex good(m.view());
    Matrix queries(400, m.cols());
    queries(300, 1) = std::nan("");
    EXPECT_NE(error_of([&] { (void)good.query(queries.view(), 1); }).find("query: row 300, column 1 is not finite"),
              std::string::npos);
    queries(300, 1) = 1e200;
    EXPECT_NE(error_of([&] { (void)good.query(queries.view(), 1); }).find("row 300, column 1 has magnitude above 1e100"),
              std::string::npos);
    queries(300, 1) = 1e100;
    EXPECT_NO_THROW((void)good.query(queries.view(), 1));
  }
  // A subset index over one point: excluding it leaves nothing.
  const NeighborIndex one(m.view(), std::vector<std::size_t>{2});
  EXPECT_NE(error_of([&] { (void)one.query_rows(std::vector<std::size_t>{2}, 1); })
                .find("only 0 points"),
            std::string::npos);
  // ... but another row can query it.
  EXPECT_EQ(one.query_rows(std::vector<std::size_t>{0}, 1)(0, 0), 2u);
}

TEST(Neighbors, AutoChoice) {
  using B = NeighborBackend;
  EXPECT_EQ(choose_neighbor_backend(100000, 200, 100000, 5, false), B::BruteForce);
  EXPECT_EQ(choose_neighbor_backend(100000, 20, 100000, 5, false), B::BruteForce);
  EXPECT_EQ(choose_neighbor_backend(100000, 8, 100000, 5, false), B::BruteForce);
  EXPECT_EQ(choose_neighbor_backend(100000, 7, 100000, 5, false), B::KdTree);
  EXPECT_EQ(choose_neighbor_backend(100000, 3, 100000, 5, false), B::KdTree);
  EXPECT_EQ(choose_neighbor_backend(20000, 6, 20000, 5, false), B::KdTree);
  EXPECT_EQ(choose_neighbor_backend(5000, 6, 5000, 5, false), B::BruteForce);
  EXPECT_EQ(choose_neighbor_backend(5000, 4, 5000, 5, false), B::KdTree);
  // Few queries: not worth building the tree, unless it exists.
  EXPECT_EQ(choose_neighbor_backend(100000, 3, 100, 5, false), B::BruteForce);
  EXPECT_EQ(choose_neighbor_backend(100000, 3, 100, 5, true), B::KdTree);
  // k close to n.
  EXPECT_EQ(choose_neighbor_backend(5000, 2, 5000, 2500, false), B::BruteForce);

  const Matrix m = normal_data(2000, 3, 21);
  const NeighborIndex index(m.view());
  EXPECT_EQ(index.backend_for(10, 5), B::BruteForce);
  EXPECT_EQ(index.backend_for(2000, 5), B::KdTree);
  (void)index.query_rows(iota(2000), 5);  // builds the tree
  EXPECT_EQ(index.backend_for(10, 5), B::KdTree);
  const NeighborIndex forced(m.view(), NeighborOptions{B::KdTree, 1});
  EXPECT_EQ(forced.backend_for(1, 1999), B::KdTree);
}

}  // namespace
}  // namespace imbal

namespace imbal {
namespace {

TEST(Neighbors, QueryWithBoundsGivesTheSameAnswer) {
  // Bounds that hold (exact, loose), that are too small (the fallback must catch them: a search
  // that trusted them would miss neighbours), NaN, negative and infinite: always the plain answer.
  const Matrix normal = normal_data(400, 6, 41);
  const Matrix grid = grid_data(300, 4, 3, 42);  // many exact ties and duplicates
  const Matrix queries_normal = normal_data(120, 6, 43);
  const Matrix queries_grid = grid_data(90, 4, 3, 44);
  for (int precision = 1; precision <= 4; ++precision) {
    // 4: the grid filter with its portable kernel
    nn::set_brute_force_precision_for_testing(std::min(precision, 3));
    nn::set_brute_force_grid_kernel_for_testing(precision == 4);
    for (const auto& [points, queries] : {std::pair{&normal, &queries_normal}, std::pair{&grid, &queries_grid}}) {
      const NeighborIndex index(points->view(), NeighborOptions{NeighborBackend::BruteForce, 2});
      for (const std::size_t k : {std::size_t{1}, std::size_t{2}, std::size_t{5}}) {
        const Neighbors plain = index.query(queries->view(), k);
        const std::size_t nq = queries->rows();
        for (const double factor : {1.0, 1.5, 0.9, 0.25, 0.0, -1.0, std::nan(""),
                                    std::numeric_limits<double>::infinity()}) {
          std::vector<double> bounds(nq);
          for (std::size_t i = 0; i < nq; ++i) {
            const double kth = plain.distances(i)[k - 1];
            bounds[i] = std::isnan(factor) || std::isinf(factor) ? factor : factor * kth * kth;
          }
          const std::string what = "precision " + std::to_string(precision) + ", d=" +
                                   std::to_string(points->cols()) + ", k=" + std::to_string(k) +
                                   ", bound factor " + std::to_string(factor);
          expect_same(index.query(queries->view(), k, bounds), plain, what);
        }
      }
      EXPECT_THROW((void)index.query(queries->view(), 1, std::vector<double>(3, 1.0)), InvalidArgument);
    }
  }
  nn::set_brute_force_precision_for_testing(0);
  nn::set_brute_force_grid_kernel_for_testing(false);
}

}  // namespace
}  // namespace imbal

namespace imbal {
namespace {

bool has_vnni() {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vnni");
#else
  return false;
#endif
}

TEST(Neighbors, GridFilterFloodFallsBackToTheFloatFilter) {
  // Large enough for the automatic 8-bit grid filter (d >= 8, n >= 8192), but one outlier sets
  // the grid's step so coarse that every pair is flagged: after its first blocks the backend must
  // go back to the float filter, and blocks of both kinds must give the plain answer.
  const std::size_t n = 9000;
  const std::size_t d = 10;
  Rng rng(77);
  Matrix m(n, d);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = rng.uniform(0.0, 10.0);  // a curve: low intrinsic dimension
    for (std::size_t j = 0; j < d; ++j) m(i, j) = std::sin(t * static_cast<double>(j + 1)) + 1e-3 * rng.normal();
  }
  m(123, 0) = 1e6;
  std::vector<std::size_t> queries;
  for (std::size_t i = 0; i < n; i += 15) queries.push_back(i);
  const auto ids = iota(n);
  std::vector<const double*> points;
  for (std::size_t i = 0; i < n; ++i) points.push_back(m.row(i));
  std::vector<const double*> rows;
  for (const std::size_t q : queries) rows.push_back(m.row(q));
  for (const bool portable : {false, true}) {
    nn::set_brute_force_grid_kernel_for_testing(portable);
    for (const int jobs : {1, 2}) {
      const int fallbacks = nn::brute_force_grid_fallbacks_for_testing();
      const NeighborIndex index(m.view(), NeighborOptions{NeighborBackend::BruteForce, jobs});
      expect_same(index.query_rows(queries, 4, true), oracle(m.view(), ids, rows, queries, 4),
                  "outlier-coarsened grid, jobs=" + std::to_string(jobs) + (portable ? ", portable kernel" : ""));
      // Where the grid filter runs (AVX-512 VNNI, or its portable kernel on any CPU) it must
      // have turned itself off.
      if (portable || (nn::set_brute_force_kernel_for_testing(0) == 3 && has_vnni())) {
        EXPECT_EQ(nn::brute_force_grid_fallbacks_for_testing(), fallbacks + 1)
            << "jobs=" << jobs << (portable ? ", portable kernel" : "");
      }
    }
  }
  nn::set_brute_force_grid_kernel_for_testing(false);
}

TEST(Neighbors, GridFilterStartsAtFewerPairsWithTheCallersBounds) {
  // 300 points against 4,000 queries (1.2 million pairs): too little work for the grid filter's
  // set-up without bounds (2^22 pairs), enough with them (2^20: the re-ranking is short, the
  // filter is the work - k-means' centres). The portable kernel stands in for VNNI on any CPU.
  Rng rng(93);
  Matrix points(300, 10);
  Matrix queries(4000, 10);
  for (Matrix* m : {&points, &queries}) {
    for (std::size_t i = 0; i < m->rows(); ++i) {
      for (std::size_t j = 0; j < m->cols(); ++j) (*m)(i, j) = rng.normal();
    }
  }
  // Each query's bound: the larger squared distance to two points (at least its 2nd nearest's).
  std::vector<double> bounds(queries.rows());
  for (std::size_t i = 0; i < queries.rows(); ++i) {
    const auto q = std::span<const double>(queries.row(i), 10);
    bounds[i] = std::max(squared_euclidean_distance(q, std::span<const double>(points.row(i % 300), 10)),
                         squared_euclidean_distance(q, std::span<const double>(points.row((i + 1) % 300), 10)));
  }
  nn::set_brute_force_grid_kernel_for_testing(true);
  std::size_t flagged[2] = {0, 0};
  Neighbors answers[2];
  for (const bool bounded : {false, true}) {
    const std::size_t before = nn::brute_force_grid_flagged_for_testing();
    const NeighborIndex index(points.view(), NeighborOptions{NeighborBackend::BruteForce, 2});
    answers[bounded] = index.query(queries.view(), 2, bounded ? std::span<const double>(bounds) : std::span<const double>());
    flagged[bounded] = nn::brute_force_grid_flagged_for_testing() - before;
  }
  nn::set_brute_force_grid_kernel_for_testing(false);
  EXPECT_EQ(flagged[0], 0U) << "no grid without bounds";
  EXPECT_GT(flagged[1], 0U) << "the grid with bounds";
  expect_same(answers[1], answers[0], "bounded grid against unbounded float filter");
}

TEST(Neighbors, GridFilterKernelsFlagTheSamePairs) {
  // The portable kernel (which CPUs without AVX-512 VNNI run in these tests) computes the same
  // integer sums as vpdpbusd: on the same data both flag as many pairs and give the same answer.
  if (nn::set_brute_force_kernel_for_testing(0) != 3 || !has_vnni()) GTEST_SKIP() << "no AVX-512 VNNI";
  Rng rng(91);
  Matrix m(3000, 12);
  for (std::size_t i = 0; i < m.rows(); ++i) {
    for (std::size_t j = 0; j < m.cols(); ++j) m(i, j) = rng.normal() * static_cast<double>(j + 1);
  }
  nn::set_brute_force_precision_for_testing(3);
  std::size_t flagged[2] = {0, 0};
  Neighbors answers[2];
  for (const bool portable : {false, true}) {
    nn::set_brute_force_grid_kernel_for_testing(portable);
    const std::size_t before = nn::brute_force_grid_flagged_for_testing();
    const NeighborIndex index(m.view(), NeighborOptions{NeighborBackend::BruteForce, 2});
    answers[portable] = index.query_rows(iota(m.rows()), 7, true);
    flagged[portable] = nn::brute_force_grid_flagged_for_testing() - before;
  }
  nn::set_brute_force_precision_for_testing(0);
  nn::set_brute_force_grid_kernel_for_testing(false);
  EXPECT_GT(flagged[0], 0U);
  EXPECT_EQ(flagged[0], flagged[1]);
  expect_same(answers[1], answers[0], "portable against VNNI kernel");
}

}  // namespace
}  // namespace imbal
