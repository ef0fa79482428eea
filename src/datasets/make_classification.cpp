// make_classification: the synthetic classification problem of scikit-learn 1.2
// (sklearn.datasets.make_classification), rebuilt on our own random engine.
//
// The construction is Isabelle Guyon's, "Design of experiments for the NIPS 2003 variable
// selection benchmark" (2003), which scikit-learn's generator follows:
//   1. every class owns n_clusters_per_class Gaussian clusters; each cluster sits on its own
//      vertex of an n_informative-dimensional hypercube with side 2 * class_sep (the vertices are
//      drawn without replacement, so no two clusters share a centroid);
//   2. a cluster is a standard normal sample multiplied by a random matrix A (entries uniform in
//      [-1, 1)), which gives it a random covariance, then moved onto its vertex;
//   3. redundant features are random linear combinations of the informative ones, repeated
//      features are copies of informative or redundant ones, the remaining (useless) features are
//      independent standard normal noise;
//   4. a fraction flip_y of the labels is replaced by labels drawn uniformly among all classes;
//   5. every feature is shifted and scaled, then rows and columns are shuffled.
// The order of operations, the per-cluster allocation of rows and every validation of
// scikit-learn are reproduced. The draws come from imbal::Rng instead of numpy's RandomState, so
// the values differ from scikit-learn's while their distribution is the same. Each stage draws
// from its own stream Rng(seed, stage), so for example changing flip_y leaves the features alone.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <unordered_set>
#include <vector>

#include "imbal/error.hpp"
#include "imbal/generators.hpp"
#include "imbal/random.hpp"

namespace imbal {

namespace detail {
// count x dims matrix (row-major) of 0/1 coordinates of distinct hypercube vertices.
std::vector<std::uint8_t> hypercube_vertices(std::size_t count, std::size_t dims, Rng& rng);
}  // namespace detail

namespace {

// One random stream per stage of the construction (see the header comment).
enum Stage : std::uint64_t {
  kVertices = 1,
  kCentroidScale,
  kInformative,
  kCovariance,
  kRedundant,
  kRepeated,
  kUseless,
  kFlip,
  kShift,
  kScale,
  kRowShuffle,
  kColumnShuffle,
};

// scikit-learn draws distinct vertices as distinct integers of at most 30 bits.
constexpr std::size_t kDistinctBits = 30;

[[noreturn]] void fail(const std::string& what) {
  throw InvalidArgument("make_classification: " + what);
}

std::string num(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string num(std::size_t value) { return std::to_string(value); }

// k distinct integers of [0, n), uniformly, in draw order, without allocating n entries when
// n is large and k small (the pool method when the pool is small or most of it is drawn,
// rejection otherwise: with k <= n / 2 a draw is accepted with probability >= 1/2).
std::vector<std::uint64_t> distinct_below(std::uint64_t n, std::size_t k, Rng& rng) {
  std::vector<std::uint64_t> out;
  out.reserve(k);
  if (n <= (std::uint64_t{1} << 16) || k >= n / 2) {
    for (const auto v : rng.choice(static_cast<std::size_t>(n), k, false)) out.push_back(v);
    return out;
  }
  std::unordered_set<std::uint64_t> seen;
  seen.reserve(k);
  while (out.size() < k) {
    const std::uint64_t v = rng.below(n);
    if (seen.insert(v).second) out.push_back(v);
  }
  return out;
}

// Weights resolved to one per class, after validation (scikit-learn completes n_classes - 1
// weights with 1 - their sum).
std::vector<double> resolve_weights(const MakeClassificationOptions& o) {
  const std::size_t k = o.n_classes;
  if (o.weights.empty()) return std::vector<double>(k, 1.0 / static_cast<double>(k));
  if (o.weights.size() != k && o.weights.size() != k - 1) {
    fail("weights has " + num(o.weights.size()) + " values but n_classes is " + num(k) +
         "; give n_classes (" + num(k) + ") or n_classes - 1 (" + num(k - 1) +
         ") weights, or none for balanced classes");
  }
  double sum = 0.0;
  for (std::size_t i = 0; i < o.weights.size(); ++i) {
    const double w = o.weights[i];
    if (!std::isfinite(w) || w < 0.0) {
      fail("weights[" + num(i) + "] is " + num(w) + "; every weight must be a finite number >= 0");
    }
    sum += w;
  }
  constexpr double kSlack = 1e-9;
  std::vector<double> weights = o.weights;
  if (weights.size() == k - 1) {
    if (sum > 1.0 + kSlack) {
      fail("the " + num(k - 1) + " weights given sum to " + num(sum) +
           ", more than 1; with n_classes - 1 weights the last class gets 1 - their sum, so "
           "they must sum to at most 1");
    }
    weights.push_back(std::max(0.0, 1.0 - sum));
  } else if (sum > 1.0 + kSlack) {
    fail("weights sum to " + num(sum) + "; they must sum to at most 1 (rows left over by "
         "weights summing to less than 1 are spread over the clusters in turn)");
  }
  return weights;
}

void validate(const MakeClassificationOptions& o) {
  if (o.n_samples == 0) fail("n_samples must be >= 1 (got 0)");
  if (o.n_features == 0) fail("n_features must be >= 1 (got 0)");
  if (o.n_classes < 2) fail("n_classes must be >= 2 (got " + num(o.n_classes) + ")");
  if (o.n_clusters_per_class == 0) fail("n_clusters_per_class must be >= 1 (got 0)");
  const std::size_t used = o.n_informative + o.n_redundant + o.n_repeated;
  if (used > o.n_features || used < o.n_informative) {
    fail("n_informative (" + num(o.n_informative) + ") + n_redundant (" + num(o.n_redundant) +
         ") + n_repeated (" + num(o.n_repeated) + ") = " + num(used) +
         " must be <= n_features (" + num(o.n_features) + ")");
  }
  // Every cluster needs its own vertex of the n_informative-dimensional hypercube.
  const std::size_t max_size = std::numeric_limits<std::size_t>::max();
  const bool product_overflows = o.n_clusters_per_class > max_size / o.n_classes;
  const std::size_t n_clusters = product_overflows ? max_size : o.n_classes * o.n_clusters_per_class;
  const bool enough_vertices =
      o.n_informative >= 64 ||
      (!product_overflows && n_clusters <= (std::uint64_t{1} << o.n_informative));
  if (!enough_vertices) {
    const std::string vertices =
        o.n_informative < 64 ? num(std::uint64_t{1} << o.n_informative) : "many";
    fail("n_classes (" + num(o.n_classes) + ") * n_clusters_per_class (" +
         num(o.n_clusters_per_class) + ") must be <= 2**n_informative (2**" +
         num(o.n_informative) + " = " + vertices +
         "): each cluster sits on its own vertex of the informative hypercube");
  }
  if (o.n_informative > kDistinctBits && n_clusters > (std::size_t{1} << kDistinctBits)) {
    fail("at most 2**30 clusters are supported (n_classes * n_clusters_per_class = " +
         num(n_clusters) + ")");
  }
  if (!(o.flip_y >= 0.0 && o.flip_y <= 1.0)) {
    fail("flip_y must be in [0, 1] (got " + num(o.flip_y) + ")");
  }
  if (!std::isfinite(o.class_sep)) fail("class_sep must be a finite number (got " + num(o.class_sep) + ")");
  if (o.shift && !std::isfinite(*o.shift)) {
    fail("shift must be a finite number or none (got " + num(*o.shift) + ")");
  }
  if (o.scale && !std::isfinite(*o.scale)) {
    fail("scale must be a finite number or none (got " + num(*o.scale) + ")");
  }
}

}  // namespace

namespace detail {

std::vector<std::uint8_t> hypercube_vertices(std::size_t count, std::size_t dims, Rng& rng) {
  std::vector<std::uint8_t> out(count * dims, 0);
  if (count == 0 || dims == 0) {
    IMBAL_ASSERT(count <= 1);
    return out;
  }
  // As scikit-learn: beyond 30 dimensions the leading dims - 30 coordinates are free random bits
  // (drawn first, row by row); distinctness comes from the last 30, drawn as distinct integers.
  const std::size_t free_dims = dims > kDistinctBits ? dims - kDistinctBits : 0;
  for (std::size_t r = 0; r < count; ++r) {
    for (std::size_t j = 0; j < free_dims; ++j) {
      out[r * dims + j] = static_cast<std::uint8_t>(rng.below(2));
    }
  }
  const std::size_t bits = dims - free_dims;
  const auto codes = distinct_below(std::uint64_t{1} << bits, count, rng);
  for (std::size_t r = 0; r < count; ++r) {
    // Most significant bit first, as numpy's unpackbits.
    for (std::size_t b = 0; b < bits; ++b) {
      out[r * dims + free_dims + b] = static_cast<std::uint8_t>((codes[r] >> (bits - 1 - b)) & 1U);
    }
  }
  return out;
}

}  // namespace detail

Dataset make_classification(const MakeClassificationOptions& o) {
  validate(o);
  const std::vector<double> weights = resolve_weights(o);

  const std::size_t n = o.n_samples;
  const std::size_t d = o.n_features;
  const std::size_t n_inf = o.n_informative;
  const std::size_t n_red = o.n_redundant;
  const std::size_t n_rep = o.n_repeated;
  const std::size_t n_useless = d - n_inf - n_red - n_rep;
  const std::size_t n_classes = o.n_classes;
  const std::size_t per_class = o.n_clusters_per_class;
  const std::size_t n_clusters = n_classes * per_class;

  // Rows per cluster: int(n_samples * weight / n_clusters_per_class), then the rows left over
  // go to the clusters in turn, starting with the first.
  std::vector<std::size_t> cluster_size(n_clusters);
  std::size_t allocated = 0;
  for (std::size_t k = 0; k < n_clusters; ++k) {
    const double share =
        static_cast<double>(n) * weights[k % n_classes] / static_cast<double>(per_class);
    cluster_size[k] = static_cast<std::size_t>(share);  // truncation, as Python's int()
    allocated += cluster_size[k];
  }
  if (allocated > n) fail("weights allocate more than n_samples rows; reduce the weights");
  for (std::size_t i = 0; i < n - allocated; ++i) ++cluster_size[i % n_clusters];

  Matrix X(n, d, 0.0);
  std::vector<std::int32_t> y(n, 0);

  // Cluster centroids on distinct hypercube vertices, coordinates -class_sep or +class_sep.
  std::vector<double> centroids(n_clusters * n_inf);
  {
    Rng rng(o.seed, kVertices);
    const auto bits = detail::hypercube_vertices(n_clusters, n_inf, rng);
    for (std::size_t i = 0; i < centroids.size(); ++i) {
      centroids[i] = static_cast<double>(bits[i]) * 2.0 * o.class_sep - o.class_sep;
    }
  }
  if (!o.hypercube) {
    // A random polytope instead: scale each centroid, then each informative coordinate.
    Rng rng(o.seed, kCentroidScale);
    std::vector<double> per_cluster(n_clusters);
    std::vector<double> per_feature(n_inf);
    for (auto& v : per_cluster) v = rng.uniform();
    for (auto& v : per_feature) v = rng.uniform();
    for (std::size_t k = 0; k < n_clusters; ++k) {
      for (std::size_t j = 0; j < n_inf; ++j) centroids[k * n_inf + j] *= per_cluster[k] * per_feature[j];
    }
  }

  // Informative features: standard normal, then per cluster a random linear map and a shift.
  {
    Rng rng(o.seed, kInformative);
    for (std::size_t r = 0; r < n; ++r) {
      double* row = X.row(r);
      for (std::size_t j = 0; j < n_inf; ++j) row[j] = rng.normal();
    }
  }
  {
    Rng rng(o.seed, kCovariance);
    std::vector<double> A(n_inf * n_inf);
    std::vector<double> mapped(n_inf);
    std::size_t stop = 0;
    for (std::size_t k = 0; k < n_clusters; ++k) {
      const std::size_t start = stop;
      stop += cluster_size[k];
      for (auto& a : A) a = 2.0 * rng.uniform() - 1.0;  // drawn for empty clusters too
      const double* centroid = centroids.data() + k * n_inf;
      for (std::size_t r = start; r < stop; ++r) {
        y[r] = static_cast<std::int32_t>(k % n_classes);
        double* row = X.row(r);
        std::fill(mapped.begin(), mapped.end(), 0.0);
        for (std::size_t i = 0; i < n_inf; ++i) {
          const double xi = row[i];
          const double* a_row = A.data() + i * n_inf;
          for (std::size_t j = 0; j < n_inf; ++j) mapped[j] += xi * a_row[j];
        }
        for (std::size_t j = 0; j < n_inf; ++j) row[j] = mapped[j] + centroid[j];
      }
    }
  }

  // Redundant features: random linear combinations of the informative ones.
  if (n_red > 0) {
    Rng rng(o.seed, kRedundant);
    std::vector<double> B(n_inf * n_red);
    for (auto& b : B) b = 2.0 * rng.uniform() - 1.0;
    for (std::size_t r = 0; r < n; ++r) {
      double* row = X.row(r);
      for (std::size_t j = 0; j < n_red; ++j) {
        double sum = 0.0;
        for (std::size_t i = 0; i < n_inf; ++i) sum += row[i] * B[i * n_red + j];
        row[n_inf + j] = sum;
      }
    }
  }

  // Repeated features: copies of informative or redundant columns drawn at random.
  if (n_rep > 0) {
    Rng rng(o.seed, kRepeated);
    const std::size_t pool = n_inf + n_red;
    std::vector<std::size_t> source(n_rep);
    for (auto& s : source) {
      s = static_cast<std::size_t>(static_cast<double>(pool - 1) * rng.uniform() + 0.5);
    }
    for (std::size_t r = 0; r < n; ++r) {
      double* row = X.row(r);
      for (std::size_t j = 0; j < n_rep; ++j) row[pool + j] = row[source[j]];
    }
  }

  // Useless features: independent noise in the last columns.
  if (n_useless > 0) {
    Rng rng(o.seed, kUseless);
    for (std::size_t r = 0; r < n; ++r) {
      double* row = X.row(r);
      for (std::size_t j = d - n_useless; j < d; ++j) row[j] = rng.normal();
    }
  }

  // Label noise: each row is picked with probability flip_y and gets a label drawn uniformly
  // among all classes (possibly its own).
  if (o.flip_y > 0.0) {
    Rng rng(o.seed, kFlip);
    std::vector<std::size_t> flipped;
    for (std::size_t r = 0; r < n; ++r) {
      if (rng.uniform() < o.flip_y) flipped.push_back(r);
    }
    for (const auto r : flipped) y[r] = static_cast<std::int32_t>(rng.below(n_classes));
  }

  // Shift, then scale, every feature (one random value per feature when none is given).
  std::vector<double> shift(d, o.shift.value_or(0.0));
  if (!o.shift) {
    Rng rng(o.seed, kShift);
    for (auto& s : shift) s = (2.0 * rng.uniform() - 1.0) * o.class_sep;
  }
  std::vector<double> scale(d, o.scale.value_or(1.0));
  if (!o.scale) {
    Rng rng(o.seed, kScale);
    for (auto& s : scale) s = 1.0 + 100.0 * rng.uniform();
  }
  for (std::size_t r = 0; r < n; ++r) {
    double* row = X.row(r);
    for (std::size_t j = 0; j < d; ++j) row[j] = (row[j] + shift[j]) * scale[j];
  }

  // Shuffle rows, then columns: output row i is row row_order[i], column j is column col_order[j].
  std::vector<std::size_t> row_order(n);
  std::vector<std::size_t> col_order(d);
  std::iota(row_order.begin(), row_order.end(), std::size_t{0});
  std::iota(col_order.begin(), col_order.end(), std::size_t{0});
  if (o.shuffle) {
    Rng rows_rng(o.seed, kRowShuffle);
    rows_rng.shuffle(row_order);
    Rng cols_rng(o.seed, kColumnShuffle);
    cols_rng.shuffle(col_order);
    Matrix shuffled(n, d);
    std::vector<std::int32_t> shuffled_y(n);
    for (std::size_t i = 0; i < n; ++i) {
      const double* from = X.row(row_order[i]);
      double* to = shuffled.row(i);
      for (std::size_t j = 0; j < d; ++j) to[j] = from[col_order[j]];
      shuffled_y[i] = y[row_order[i]];
    }
    X = std::move(shuffled);
    y = std::move(shuffled_y);
  }

  std::vector<Column> columns(d);
  for (std::size_t j = 0; j < d; ++j) {
    // Spelled through a buffer: "x" + std::to_string(j) trips GCC 12's -Wrestrict false positive.
    char buffer[32] = {'x'};
    const auto end = std::to_chars(buffer + 1, buffer + sizeof buffer, j).ptr;
    columns[j].name.assign(buffer, end);
  }

  // Every class is named, even one that ended up without rows (tiny n_samples or zero weight);
  // numeric spellings sort numerically, so class k keeps code k.
  std::vector<std::string> names(n_classes);
  for (std::size_t k = 0; k < n_classes; ++k) names[k] = std::to_string(k);
  std::vector<std::int32_t> codes;
  ClassLabels classes = ClassLabels::encode(names, codes);
  for (std::size_t k = 0; k < n_classes; ++k) IMBAL_ASSERT(codes[k] == static_cast<std::int32_t>(k));

  return Dataset(std::move(X), std::move(y), std::move(columns), std::move(classes), "target");
}

}  // namespace imbal
