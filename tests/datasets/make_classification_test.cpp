// make_classification: validation, scikit-learn's per-class allocation, the structure of the
// features (informative / redundant / repeated / useless), label noise, shift and scale,
// determinism.
#include <gtest/gtest.h>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "imbal/error.hpp"
#include "imbal/generators.hpp"
#include "imbal/random.hpp"

namespace imbal {
namespace detail {
// Defined in src/datasets/make_classification.cpp.
std::vector<std::uint8_t> hypercube_vertices(std::size_t count, std::size_t dims, Rng& rng);
}  // namespace detail

namespace {

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

std::string error_of(const MakeClassificationOptions& o) {
  try {
    (void)make_classification(o);
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "<no error>";
}

#define EXPECT_ERROR(options, text)                                                   \
  do {                                                                                \
    const std::string message_ = error_of(options);                                   \
    EXPECT_NE(message_.find(text), std::string::npos) << "message: " << message_;      \
    EXPECT_EQ(message_.rfind("make_classification: ", 0), 0U) << "message: " << message_; \
  } while (false)

// The seeds' two settings.
MakeClassificationOptions seed_setting_a() {
  MakeClassificationOptions o;
  o.n_samples = 2000;
  o.n_features = 20;
  o.weights = {0.95, 0.05};
  o.flip_y = 0.05;
  return o;
}

MakeClassificationOptions seed_setting_b() {
  MakeClassificationOptions o;
  o.n_samples = 10000;
  o.n_features = 2;
  o.n_informative = 2;
  o.n_redundant = 0;
  o.n_clusters_per_class = 1;
  o.weights = {0.99};
  o.flip_y = 0.0;
  return o;
}

std::vector<std::size_t> counts_of(const Dataset& d) { return d.class_counts(); }

RowMajor to_eigen(const Dataset& d) {
  RowMajor m(static_cast<Eigen::Index>(d.rows()), static_cast<Eigen::Index>(d.cols()));
  for (std::size_t i = 0; i < d.rows(); ++i) {
    for (std::size_t j = 0; j < d.cols(); ++j) {
      m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = d.X()(i, j);
    }
  }
  return m;
}

Eigen::Index rank_of(const RowMajor& m) {
  Eigen::ColPivHouseholderQR<RowMajor> qr(m);
  qr.setThreshold(1e-9);
  return qr.rank();
}

bool same_bytes(const Dataset& a, const Dataset& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
  if (std::memcmp(a.X().data, b.X().data, a.rows() * a.cols() * sizeof(double)) != 0) return false;
  return std::equal(a.y().begin(), a.y().end(), b.y().begin());
}

// ---------------------------------------------------------------------------------------------
// Validation: every check scikit-learn makes, and the cases it lets through silently.

TEST(MakeClassification, RejectsBadParameters) {
  MakeClassificationOptions o;

  o = {};
  o.n_samples = 0;
  EXPECT_ERROR(o, "n_samples must be >= 1 (got 0)");

  o = {};
  o.n_features = 0;
  EXPECT_ERROR(o, "n_features must be >= 1 (got 0)");

  o = {};
  o.n_classes = 1;
  EXPECT_ERROR(o, "n_classes must be >= 2 (got 1)");
  o.n_classes = 0;
  EXPECT_ERROR(o, "n_classes must be >= 2 (got 0)");

  o = {};
  o.n_clusters_per_class = 0;
  EXPECT_ERROR(o, "n_clusters_per_class must be >= 1 (got 0)");

  o = {};
  o.n_features = 3;  // 2 informative + 2 redundant
  EXPECT_ERROR(o, "n_informative (2) + n_redundant (2) + n_repeated (0) = 4 must be <= n_features (3)");
  o = {};
  o.n_repeated = 17;
  EXPECT_ERROR(o, "n_informative (2) + n_redundant (2) + n_repeated (17) = 21 must be <= n_features (20)");

  o = {};
  o.n_classes = 3;  // 3 * 2 clusters > 2**2 vertices
  EXPECT_ERROR(o, "n_classes (3) * n_clusters_per_class (2) must be <= 2**n_informative (2**2 = 4)");
  o = {};
  o.n_informative = 0;
  o.n_redundant = 0;
  o.n_clusters_per_class = 1;
  EXPECT_ERROR(o, "n_classes (2) * n_clusters_per_class (1) must be <= 2**n_informative (2**0 = 1)");

  o = {};
  o.weights = {0.2, 0.3, 0.5};
  EXPECT_ERROR(o, "weights has 3 values but n_classes is 2; give n_classes (2) or n_classes - 1 (1) weights");
  o = {};
  o.n_classes = 4;
  o.n_informative = 3;
  o.weights = {0.5, 0.5};
  EXPECT_ERROR(o, "weights has 2 values but n_classes is 4");

  o = {};
  o.weights = {-0.1, 1.1};
  EXPECT_ERROR(o, "weights[0] is -0.1; every weight must be a finite number >= 0");
  o.weights = {0.5, std::numeric_limits<double>::quiet_NaN()};
  EXPECT_ERROR(o, "weights[1] is nan; every weight must be a finite number >= 0");
  o.weights = {std::numeric_limits<double>::infinity()};
  EXPECT_ERROR(o, "weights[0] is inf");

  o = {};
  o.n_classes = 3;
  o.n_informative = 3;
  o.weights = {0.7, 0.5};  // the third class would get 1 - 1.2 < 0
  EXPECT_ERROR(o, "the 2 weights given sum to 1.2, more than 1");
  o = {};
  o.weights = {1.5};
  EXPECT_ERROR(o, "the 1 weights given sum to 1.5, more than 1");
  o = {};
  o.weights = {0.7, 0.5};
  EXPECT_ERROR(o, "weights sum to 1.2; they must sum to at most 1");

  o = {};
  o.flip_y = -0.1;
  EXPECT_ERROR(o, "flip_y must be in [0, 1] (got -0.1)");
  o.flip_y = 1.5;
  EXPECT_ERROR(o, "flip_y must be in [0, 1] (got 1.5)");
  o.flip_y = std::numeric_limits<double>::quiet_NaN();
  EXPECT_ERROR(o, "flip_y must be in [0, 1] (got nan)");

  o = {};
  o.class_sep = std::numeric_limits<double>::infinity();
  EXPECT_ERROR(o, "class_sep must be a finite number (got inf)");
  o = {};
  o.shift = std::numeric_limits<double>::quiet_NaN();
  EXPECT_ERROR(o, "shift must be a finite number or none (got nan)");
  o = {};
  o.scale = -std::numeric_limits<double>::infinity();
  EXPECT_ERROR(o, "scale must be a finite number or none (got -inf)");
}

TEST(MakeClassification, AcceptsBoundaryParameters) {
  MakeClassificationOptions o;
  o.n_classes = 4;  // 4 * 1 == 2**2 vertices: every vertex used
  o.n_clusters_per_class = 1;
  EXPECT_NO_THROW((void)make_classification(o));

  o = {};
  o.flip_y = 0.0;
  EXPECT_NO_THROW((void)make_classification(o));
  o.flip_y = 1.0;
  EXPECT_NO_THROW((void)make_classification(o));

  o = {};
  o.n_features = 4;  // informative + redundant + repeated == n_features: no useless feature
  EXPECT_NO_THROW((void)make_classification(o));

  // Weights of n_classes - 1 summing to exactly 1: the last class is empty but still named.
  o = {};
  o.weights = {1.0};
  o.flip_y = 0.0;
  const Dataset d = make_classification(o);
  EXPECT_EQ(d.n_classes(), 2U);
  EXPECT_EQ(counts_of(d), (std::vector<std::size_t>{100, 0}));
}

// ---------------------------------------------------------------------------------------------
// Allocation of rows to classes: scikit-learn's rule, compared with values frozen from
// scikit-learn 1.2.1 (np.bincount of make_classification(..., flip_y=0, random_state=0)[1]).

struct AllocationCase {
  std::size_t n_samples, n_features, n_informative, n_redundant, n_classes, n_clusters;
  std::vector<double> weights;
  std::vector<std::size_t> sklearn_counts;
};

TEST(MakeClassification, ClassCountsEqualScikitLearnBeforeFlipping) {
  const std::vector<AllocationCase> cases = {
      {2000, 20, 2, 2, 2, 2, {0.95, 0.05}, {1900, 100}},    // the seeds' setting A
      {10000, 2, 2, 0, 2, 1, {0.99}, {9900, 100}},          // the seeds' setting B
      {1000, 5, 3, 0, 5, 1, {}, {200, 200, 200, 200, 200}},  // many classes
      {100, 20, 2, 2, 2, 2, {0.5, 0.2}, {65, 35}},  // weights summing to < 1: leftover in turn
      {101, 20, 3, 2, 3, 2, {0.7, 0.2}, {71, 20, 10}},
      {100, 20, 2, 2, 2, 2, {0.99}, {99, 1}},
      {997, 20, 3, 2, 3, 2, {0.61, 0.3}, {609, 299, 89}},
  };
  for (const auto& c : cases) {
    MakeClassificationOptions o;
    o.n_samples = c.n_samples;
    o.n_features = c.n_features;
    o.n_informative = c.n_informative;
    o.n_redundant = c.n_redundant;
    o.n_classes = c.n_classes;
    o.n_clusters_per_class = c.n_clusters;
    o.weights = c.weights;
    o.flip_y = 0.0;
    for (std::uint64_t seed = 0; seed < 3; ++seed) {
      o.seed = seed;
      EXPECT_EQ(counts_of(make_classification(o)), c.sklearn_counts)
          << "n_samples " << c.n_samples << ", seed " << seed;
    }
  }
}

TEST(MakeClassification, SeedSettingBCountsAreExact) {
  auto o = seed_setting_b();
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    o.seed = seed;
    const Dataset d = make_classification(o);
    EXPECT_EQ(counts_of(d), (std::vector<std::size_t>{9900, 100}));
    EXPECT_EQ(d.cols(), 2U);
  }
}

// Label noise: a flipped row gets a label drawn uniformly among all classes, so with two
// classes each row changes class with probability flip_y / 2, and the minority grows.
TEST(MakeClassification, SeedSettingAFlippedCountsWithinBinomialTolerance) {
  auto o = seed_setting_a();
  const double p = o.flip_y / 2.0;  // probability that a row changes class
  const double n_major = 1900.0;
  const double n_minor = 100.0;
  const double expected = n_minor * (1.0 - p) + n_major * p;                       // 145
  const double sd = std::sqrt(n_minor * p * (1.0 - p) + n_major * p * (1.0 - p));  // ~6.98
  const int n_seeds = 20;
  double total = 0.0;
  for (int s = 0; s < n_seeds; ++s) {
    o.seed = static_cast<std::uint64_t>(s);
    const auto counts = counts_of(make_classification(o));
    ASSERT_EQ(counts.size(), 2U);
    EXPECT_EQ(counts[0] + counts[1], 2000U);
    const auto minority = static_cast<double>(counts[1]);
    EXPECT_NEAR(minority, expected, 5.0 * sd) << "seed " << s;
    total += minority;
  }
  EXPECT_NEAR(total / n_seeds, expected, 5.0 * sd / std::sqrt(static_cast<double>(n_seeds)));
}

TEST(MakeClassification, FlipChangesOnlyLabels) {
  auto noisy = seed_setting_a();
  noisy.seed = 11;
  auto clean = noisy;
  clean.flip_y = 0.0;
  const Dataset a = make_classification(noisy);
  const Dataset b = make_classification(clean);
  ASSERT_EQ(a.rows(), b.rows());
  EXPECT_EQ(std::memcmp(a.X().data, b.X().data, a.rows() * a.cols() * sizeof(double)), 0);
  std::size_t changed = 0;
  for (std::size_t i = 0; i < a.rows(); ++i) changed += a.y()[i] != b.y()[i];
  // Binomial(2000, 0.025): mean 50, sd ~7.
  EXPECT_GT(changed, 15U);
  EXPECT_LT(changed, 85U);
}

TEST(MakeClassification, FlipAllGivesUniformLabels) {
  MakeClassificationOptions o;
  o.n_samples = 6000;
  o.n_classes = 3;
  o.n_informative = 3;
  o.weights = {0.9, 0.05};
  o.flip_y = 1.0;
  o.seed = 5;
  const auto counts = counts_of(make_classification(o));
  for (const auto c : counts) EXPECT_NEAR(static_cast<double>(c), 2000.0, 5.0 * 36.5);
}

// ---------------------------------------------------------------------------------------------
// Determinism.

TEST(MakeClassification, SameSeedSameBytesOtherSeedOtherData) {
  auto o = seed_setting_a();
  o.seed = 42;
  const Dataset a = make_classification(o);
  const Dataset b = make_classification(o);
  EXPECT_TRUE(same_bytes(a, b));
  o.seed = 43;
  const Dataset c = make_classification(o);
  EXPECT_FALSE(same_bytes(a, c));
  std::size_t equal_values = 0;
  for (std::size_t i = 0; i < a.rows(); ++i) {
    for (std::size_t j = 0; j < a.cols(); ++j) equal_values += a.X()(i, j) == c.X()(i, j);
  }
  EXPECT_EQ(equal_values, 0U);
}

// ---------------------------------------------------------------------------------------------
// Structure of the features.

MakeClassificationOptions structured(bool shuffle) {
  MakeClassificationOptions o;
  o.n_samples = 500;
  o.n_features = 10;
  o.n_informative = 3;
  o.n_redundant = 2;
  o.n_repeated = 2;  // columns 5, 6; columns 7..9 are useless
  o.n_classes = 3;
  o.n_clusters_per_class = 2;
  o.flip_y = 0.0;
  o.shuffle = shuffle;
  o.seed = 7;
  return o;
}

TEST(MakeClassification, UnshuffledColumnsAreInformativeRedundantRepeatedUseless) {
  const auto o = structured(false);
  const Dataset d = make_classification(o);
  const RowMajor X = to_eigen(d);
  const RowMajor informative = X.leftCols(3);
  const RowMajor redundant = X.middleCols(3, 2);
  EXPECT_EQ(rank_of(informative), 3);

  // Redundant columns are exact linear combinations of the informative ones.
  EXPECT_EQ(rank_of(X.leftCols(5)), 3);
  const RowMajor coef = informative.colPivHouseholderQr().solve(redundant);
  const double residual = (informative * coef - redundant).norm();
  EXPECT_LT(residual, 1e-9 * redundant.norm());

  // Repeated columns are copies of an informative or redundant column.
  for (std::size_t j = 5; j < 7; ++j) {
    bool found = false;
    for (std::size_t k = 0; k < 5 && !found; ++k) {
      bool equal = true;
      for (std::size_t i = 0; i < d.rows() && equal; ++i) equal = d.X()(i, j) == d.X()(i, k);
      found = equal;
    }
    EXPECT_TRUE(found) << "column " << j;
  }

  // Useless columns are independent noise: full rank on top of the informative ones.
  EXPECT_EQ(rank_of(X), 6);
  EXPECT_EQ(rank_of(X.rightCols(3)), 3);

  // Rows stay in cluster order: cluster k (class k % n_classes) holds int(500 / 3 / 2) = 83
  // rows, the 2 left over go to clusters 0 and 1.
  const std::vector<std::size_t> sizes = {84, 84, 83, 83, 83, 83};
  std::size_t row = 0;
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    for (std::size_t i = 0; i < sizes[k]; ++i, ++row) {
      ASSERT_EQ(d.y()[row], static_cast<std::int32_t>(k % 3)) << "row " << row;
    }
  }
}

TEST(MakeClassification, ShuffledKeepsTheStructure) {
  const Dataset plain = make_classification(structured(false));
  const Dataset shuffled = make_classification(structured(true));
  EXPECT_FALSE(same_bytes(plain, shuffled));
  EXPECT_EQ(rank_of(to_eigen(shuffled)), 6);
  EXPECT_EQ(counts_of(plain), counts_of(shuffled));
  // The shuffled data is a row and column permutation of the unshuffled data: every column of
  // one has a column of the other with the same sorted values.
  for (std::size_t j = 0; j < shuffled.cols(); ++j) {
    std::vector<double> a(shuffled.rows());
    for (std::size_t i = 0; i < a.size(); ++i) a[i] = shuffled.X()(i, j);
    std::sort(a.begin(), a.end());
    bool found = false;
    for (std::size_t k = 0; k < plain.cols() && !found; ++k) {
      std::vector<double> b(plain.rows());
      for (std::size_t i = 0; i < b.size(); ++i) b[i] = plain.X()(i, k);
      std::sort(b.begin(), b.end());
      found = a == b;
    }
    EXPECT_TRUE(found) << "column " << j;
  }
}

TEST(MakeClassification, ShiftAndScale) {
  auto base = structured(false);
  base.class_sep = 2.0;
  const Dataset plain = make_classification(base);

  auto fixed = base;
  fixed.shift = 3.0;
  fixed.scale = 2.0;
  const Dataset moved = make_classification(fixed);
  for (std::size_t i = 0; i < plain.rows(); ++i) {
    for (std::size_t j = 0; j < plain.cols(); ++j) {
      ASSERT_DOUBLE_EQ(moved.X()(i, j), (plain.X()(i, j) + 3.0) * 2.0);
    }
  }

  // none: one random shift in [-class_sep, class_sep) and scale in [1, 101) per feature.
  auto random = base;
  random.shift = std::nullopt;
  random.scale = std::nullopt;
  const Dataset r = make_classification(random);
  std::set<double> scales;
  for (std::size_t j = 0; j < plain.cols(); ++j) {
    const double scale = (r.X()(1, j) - r.X()(0, j)) / (plain.X()(1, j) - plain.X()(0, j));
    const double shift = r.X()(0, j) / scale - plain.X()(0, j);
    EXPECT_GE(scale, 1.0 - 1e-9);
    EXPECT_LT(scale, 101.0 + 1e-9);
    EXPECT_GE(shift, -2.0 - 1e-9);
    EXPECT_LT(shift, 2.0 + 1e-9);
    for (std::size_t i = 0; i < plain.rows(); ++i) {
      ASSERT_NEAR(r.X()(i, j), (plain.X()(i, j) + shift) * scale, 1e-9 * (1.0 + std::abs(r.X()(i, j))));
    }
    scales.insert(std::round(scale * 1e6));
  }
  EXPECT_EQ(scales.size(), plain.cols());  // a different scale per feature
}

// The class means sit on hypercube vertices (+-class_sep) with hypercube=true, and inside the
// hypercube (each coordinate scaled by a random factor in [0, 1)) with hypercube=false.
TEST(MakeClassification, HypercubeOrRandomPolytope) {
  MakeClassificationOptions o;
  o.n_samples = 20000;
  o.n_features = 2;
  o.n_informative = 2;
  o.n_redundant = 0;
  o.n_clusters_per_class = 1;
  o.flip_y = 0.0;
  o.class_sep = 1.5;
  o.seed = 3;
  for (const bool hypercube : {true, false}) {
    o.hypercube = hypercube;
    const Dataset d = make_classification(o);
    EXPECT_EQ(counts_of(d), (std::vector<std::size_t>{10000, 10000}));
    std::vector<double> mean(4, 0.0);
    for (std::size_t i = 0; i < d.rows(); ++i) {
      const auto c = static_cast<std::size_t>(d.y()[i]);
      for (std::size_t j = 0; j < 2; ++j) mean[c * 2 + j] += d.X()(i, j) / 10000.0;
    }
    for (const double m : mean) {
      ASSERT_TRUE(std::isfinite(m));
      if (hypercube) {
        EXPECT_NEAR(std::abs(m), 1.5, 0.1);
      } else {
        EXPECT_LT(std::abs(m), 1.5 + 0.1);
      }
    }
    if (!hypercube) {
      // Not all on vertices: the random factors move at least one coordinate inward.
      bool inside = false;
      for (const double m : mean) inside = inside || std::abs(m) < 1.4;
      EXPECT_TRUE(inside);
    }
  }
}

TEST(MakeClassification, ManyClasses) {
  MakeClassificationOptions o;
  o.n_samples = 1000;
  o.n_features = 5;
  o.n_informative = 3;
  o.n_redundant = 0;
  o.n_classes = 5;
  o.n_clusters_per_class = 1;
  o.flip_y = 0.0;
  const Dataset d = make_classification(o);
  EXPECT_EQ(counts_of(d), (std::vector<std::size_t>(5, 200)));

  // Twelve classes: "10" and "11" sort numerically, after "9".
  o.n_classes = 12;
  o.n_informative = 5;
  o.n_clusters_per_class = 2;
  o.n_samples = 1200;
  const Dataset many = make_classification(o);
  ASSERT_EQ(many.n_classes(), 12U);
  for (std::size_t k = 0; k < 12; ++k) EXPECT_EQ(many.classes().names[k], std::to_string(k));
  EXPECT_TRUE(many.classes().numeric);
  EXPECT_EQ(counts_of(many), (std::vector<std::size_t>(12, 100)));
}

TEST(MakeClassification, ColumnsAndTarget) {
  MakeClassificationOptions o;
  o.n_features = 12;
  const Dataset d = make_classification(o);
  ASSERT_EQ(d.cols(), 12U);
  for (std::size_t j = 0; j < 12; ++j) {
    EXPECT_EQ(d.columns()[j].name.front(), 'x');
    EXPECT_EQ(d.columns()[j].name.substr(1), std::to_string(j));
    EXPECT_FALSE(d.columns()[j].categorical());
  }
  EXPECT_EQ(d.target_name(), "target");
  EXPECT_EQ(d.target_position(), 12U);
  EXPECT_EQ(d.classes().names, (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(d.rows(), 100U);
}

// Large informative dimensions never allocate 2**n_informative entries.
TEST(MakeClassification, ManyInformativeFeatures) {
  for (const std::size_t informative : {30U, 31U, 64U, 200U}) {
    MakeClassificationOptions o;
    o.n_samples = 300;
    o.n_features = informative + 5;
    o.n_informative = informative;
    o.n_redundant = 3;
    o.n_classes = 4;
    o.n_clusters_per_class = 3;
    o.flip_y = 0.0;
    const Dataset d = make_classification(o);
    EXPECT_EQ(counts_of(d), (std::vector<std::size_t>(4, 75)));
    for (std::size_t i = 0; i < d.rows(); ++i) {
      for (std::size_t j = 0; j < d.cols(); ++j) ASSERT_TRUE(std::isfinite(d.X()(i, j)));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Hypercube vertices.

std::set<std::vector<std::uint8_t>> distinct_rows(const std::vector<std::uint8_t>& bits,
                                                  std::size_t count, std::size_t dims) {
  std::set<std::vector<std::uint8_t>> rows;
  for (std::size_t r = 0; r < count; ++r) {
    rows.emplace(bits.begin() + static_cast<std::ptrdiff_t>(r * dims),
                 bits.begin() + static_cast<std::ptrdiff_t>((r + 1) * dims));
  }
  return rows;
}

TEST(HypercubeVertices, DistinctInEveryRegime) {
  struct Case {
    std::size_t count, dims;
  };
  // All vertices; the pool method; rejection; beyond 30 dimensions (free leading bits).
  for (const auto c : {Case{8, 3}, Case{1000, 12}, Case{1000, 25}, Case{5, 30}, Case{500, 31},
                       Case{300, 100}, Case{2, 1}}) {
    Rng rng(9, 1);
    const auto bits = detail::hypercube_vertices(c.count, c.dims, rng);
    ASSERT_EQ(bits.size(), c.count * c.dims);
    for (const auto b : bits) ASSERT_LE(b, 1);
    EXPECT_EQ(distinct_rows(bits, c.count, c.dims).size(), c.count)
        << c.count << " vertices in " << c.dims << " dimensions";
  }
  // The free leading coordinates of high dimensions are random bits, not constant.
  Rng rng(4, 1);
  const auto bits = detail::hypercube_vertices(200, 100, rng);
  std::size_t ones = 0;
  for (std::size_t r = 0; r < 200; ++r) ones += bits[r * 100];
  EXPECT_GT(ones, 60U);
  EXPECT_LT(ones, 140U);
}

TEST(HypercubeVertices, UniformOverVertices) {
  std::vector<int> hits(8, 0);
  const int draws = 8000;
  for (int s = 0; s < draws; ++s) {
    Rng rng(static_cast<std::uint64_t>(s), 1);
    const auto bits = detail::hypercube_vertices(1, 3, rng);
    ++hits[static_cast<std::size_t>(bits[0] * 4 + bits[1] * 2 + bits[2])];
  }
  for (const int h : hits) EXPECT_NEAR(h, 1000, 5 * 30);  // sd = sqrt(8000 * 1/8 * 7/8) ~ 30
}

}  // namespace
}  // namespace imbal
