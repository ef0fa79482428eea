// kmeans-smote: SMOTE inside the clusters where the class is well represented (Douzas, Bacao &
// Last, "Improving imbalanced learning through a heuristic oversampling method based on k-means
// and SMOTE", Information Sciences 465, 2018), as imbalanced-learn's KMeansSMOTE (0.10):
//
// 1. cluster all rows with k-means (include/imbal/kmeans.hpp; kmeans_estimator clusters);
// 2. a cluster qualifies for a targeted class when the class makes at least
//    cluster_balance_threshold of its rows ("auto": N_class / N_all_classes / 2, N = new rows
//    requested) and it holds at least k_neighbors + 1 rows of the class;
// 3. each qualifying cluster gets new rows in proportion to its sparsity
//    mean_distance ^ density_exponent / n, where mean_distance is the mean Euclidean distance
//    between the class's n rows in the cluster and "auto" is 0.16 * log_1.6(n) ^ 1.8
//    (imbalanced-learn's formula, with n the rows of the class in the cluster);
// 4. in a cluster, SMOTE between a class row and one of its k_neighbors nearest class rows of
//    the same cluster, step u ~ U[0, 1).
//
// Differences from imbalanced-learn (docs/methods/kmeans-smote.md): full-batch k-means instead
// of MiniBatchKMeans; exact counts (largest-remainder split instead of a ceiling per cluster);
// one clustering for all targeted classes; no qualifying cluster is an InvalidArgument naming
// the parameters to change (imbalanced-learn: RuntimeError).
#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

#include "imbal/error.hpp"
#include "imbal/kmeans.hpp"
#include "imbal/sampler.hpp"
#include "samplers/interpolation.hpp"
#include "samplers/kmeans_smote.hpp"

namespace imbal {

namespace detail {

double mean_pairwise_distance(MatrixView X, std::span<const std::size_t> rows, int n_jobs) {
  const std::size_t n = rows.size();
  if (n < 2) return 0.0;
  std::vector<double> per_row(n, 0.0);
  const std::size_t hw = std::max(1U, std::thread::hardware_concurrency());
  const std::size_t jobs = std::min(n, n_jobs > 0 ? static_cast<std::size_t>(n_jobs) : hw);
  auto work = [&](std::size_t t) {
    for (std::size_t i = t; i < n; i += jobs) {
      double s = 0.0;
      for (std::size_t j = 0; j < n; ++j) {
        if (j != i) s += euclidean_distance(X.row_span(rows[i]), X.row_span(rows[j]));
      }
      per_row[i] = s;
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t t = 1; t < jobs; ++t) threads.emplace_back(work, t);
  work(0);
  for (auto& th : threads) th.join();
  double total = 0.0;
  for (const double v : per_row) total += v;
  return total / (static_cast<double>(n) * static_cast<double>(n) - static_cast<double>(n));
}

double kmeans_smote_auto_exponent(std::size_t n_rows) {
  return std::pow(std::log(static_cast<double>(n_rows)) / std::log(1.6), 1.8) * 0.16;
}

std::vector<std::size_t> largest_remainder_split(std::span<const double> weights, std::size_t total) {
  std::vector<std::size_t> parts(weights.size(), 0);
  std::vector<double> remainder(weights.size(), 0.0);
  std::size_t given = 0;
  for (std::size_t c = 0; c < weights.size(); ++c) {
    const double share = weights[c] * static_cast<double>(total);
    parts[c] = std::min(total, static_cast<std::size_t>(std::floor(share)));
    remainder[c] = share - std::floor(share);
    given += parts[c];
  }
  std::vector<std::size_t> order(weights.size());
  for (std::size_t c = 0; c < order.size(); ++c) order[c] = c;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  // Rounding can leave the floors summing above `total` only by float error; trim from the end.
  while (given > total) {
    for (auto it = order.rbegin(); it != order.rend() && given > total; ++it) {
      if (parts[*it] > 0) {
        --parts[*it];
        --given;
      }
    }
  }
  for (std::size_t t = 0; given < total; t = (t + 1) % order.size()) {
    ++parts[order[t]];
    ++given;
  }
  return parts;
}

std::vector<std::int32_t> kmeans_smote_clusters(const SamplerInput& in, std::size_t n_clusters) {
  if (n_clusters > in.X.rows) {
    throw InvalidArgument("kmeans-smote: kmeans_estimator=" + std::to_string(n_clusters) + " clusters, but the data has only " +
                          std::to_string(in.X.rows) + " rows; set --param kmeans_estimator=" + std::to_string(in.X.rows) +
                          " or lower");
  }
  KMeansOptions options;
  options.n_clusters = n_clusters;
  options.n_init = 3;  // as imbalanced-learn's default MiniBatchKMeans (scikit-learn 1.2)
  options.n_jobs = in.n_jobs;
  // A seed of its own, so the k-means streams never meet the per-class SMOTE streams.
  const std::uint64_t seed = Rng(in.seed, 0x6b6d65616e73ULL).next();
  return kmeans(in.X, options, seed).labels;
}

}  // namespace detail

namespace {

constexpr const char* kMethod = "kmeans-smote";

std::string class_words(const SamplerInput& in, std::int32_t label) {
  std::string name = in.class_name(label);
  return name.rfind("class ", 0) == 0 ? name : std::string("class ").append(name);
}

std::string number(double v) {
  std::string s = std::to_string(v);
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

class KMeansSmote final : public Sampler {
 public:
  using Sampler::Sampler;
  SamplingType sampling_type() const override { return SamplingType::OverSampling; }

 protected:
  SamplerOutput resample(const SamplerInput& in, const ResamplePlan& plan) override {
    detail::require_numeric_features(in, kMethod);
    const auto k = static_cast<std::size_t>(params().get_int("k_neighbors"));
    const std::size_t n_clusters =
        params().is_none("kmeans_estimator") ? 8 : static_cast<std::size_t>(params().get_int("kmeans_estimator"));
    const ParamValue& threshold_param = params().get("cluster_balance_threshold");
    const ParamValue& exponent_param = params().get("density_exponent");
    SamplerOutput out;
    out.keep_all_rows(in.X.rows);
    detail::reserve_new_rows(plan, out);
    std::size_t total_new = 0;
    for (const auto& cls : plan.classes) {
      if (cls.targeted) total_new += cls.n_new();
    }
    std::vector<std::int32_t> clusters;
    for (const auto& cls : plan.classes) {
      if (!cls.targeted || cls.n_new() == 0) continue;
      if (clusters.empty()) clusters = detail::kmeans_smote_clusters(in, n_clusters);
      double threshold = 0.0;
      if (n_clusters == 1) {
        threshold = -std::numeric_limits<double>::infinity();
      } else if (std::holds_alternative<std::string>(threshold_param)) {
        threshold = static_cast<double>(cls.n_new()) / static_cast<double>(total_new) / 2.0;
      } else {
        threshold = std::get<double>(threshold_param);
      }
      // Rows of the class per cluster, and cluster sizes.
      std::vector<std::vector<std::size_t>> members(n_clusters);
      std::vector<std::size_t> sizes(n_clusters, 0);
      for (std::size_t i = 0; i < in.X.rows; ++i) {
        const auto c = static_cast<std::size_t>(clusters[i]);
        ++sizes[c];
        if (in.y[i] == cls.label) members[c].push_back(i);
      }
      std::vector<std::size_t> valid;
      std::vector<double> sparsity;
      for (std::size_t c = 0; c < n_clusters; ++c) {
        if (sizes[c] == 0) continue;
        const double share = static_cast<double>(members[c].size()) / static_cast<double>(sizes[c]);
        if (share < threshold || members[c].size() < k + 1) continue;
        const std::size_t n = members[c].size();
        const double exponent = std::holds_alternative<std::string>(exponent_param)
                                    ? detail::kmeans_smote_auto_exponent(n)
                                    : std::get<double>(exponent_param);
        const double mean_distance = detail::mean_pairwise_distance(in.X, members[c], in.n_jobs);
        valid.push_back(c);
        sparsity.push_back(std::pow(mean_distance, exponent) / static_cast<double>(n));
      }
      if (valid.empty()) throw_no_cluster(in, cls, threshold, k, n_clusters, members, sizes);
      double sum = 0.0;
      for (const double s : sparsity) sum += s;
      std::vector<double> weights(valid.size(), 1.0 / static_cast<double>(valid.size()));
      if (sum > 0.0 && std::isfinite(sum)) {
        for (std::size_t v = 0; v < valid.size(); ++v) weights[v] = sparsity[v] / sum;
      }
      const auto counts = detail::largest_remainder_split(weights, cls.n_new());
      Rng rng(in.seed, static_cast<std::uint64_t>(cls.label));
      for (std::size_t v = 0; v < valid.size(); ++v) {
        if (counts[v] == 0) continue;
        const auto& rows = members[valid[v]];
        NeighborOptions options;
        options.n_jobs = in.n_jobs;
        const NeighborIndex index(in.X, rows, options);
        const Neighbors nn = index.query_rows(rows, k, /*exclude_self=*/true);
        for (std::size_t s = 0; s < counts[v]; ++s) {
          const auto pair = static_cast<std::size_t>(rng.below(rows.size() * k));
          const std::size_t i = pair / k;
          const double step = rng.uniform();
          detail::append_interpolated(in, rows[i], nn(i, pair % k), step, cls.label, out);
        }
      }
    }
    return out;
  }

 private:
  [[noreturn]] static void throw_no_cluster(const SamplerInput& in, const ClassPlan& cls, double threshold, std::size_t k,
                                            std::size_t n_clusters, const std::vector<std::vector<std::size_t>>& members,
                                            const std::vector<std::size_t>& sizes) {
    double best_share = 0.0;
    std::size_t most = 0;
    for (std::size_t c = 0; c < n_clusters; ++c) {
      if (sizes[c] == 0) continue;
      best_share = std::max(best_share, static_cast<double>(members[c].size()) / static_cast<double>(sizes[c]));
      most = std::max(most, members[c].size());
    }
    throw InvalidArgument(
        std::string(kMethod)
            .append(": no cluster qualifies for ")
            .append(class_words(in, cls.label))
            .append(" (a cluster qualifies when the class makes at least cluster_balance_threshold=")
            .append(number(threshold))
            .append(" of its rows and it holds at least k_neighbors + 1 = ")
            .append(std::to_string(k + 1))
            .append(" rows of the class; of the ")
            .append(std::to_string(n_clusters))
            .append(" clusters, the best share of the class is ")
            .append(number(best_share))
            .append(" and the most rows of the class in one cluster ")
            .append(std::to_string(most))
            .append("), so the ")
            .append(std::to_string(cls.n_new()))
            .append(" requested new rows cannot be made. Lower cluster_balance_threshold, change the number of "
                    "clusters (kmeans_estimator), lower k_neighbors, or use smote"));
  }
};

}  // namespace

namespace detail {

const MethodSchema& kmeans_smote_schema() {
  static const MethodSchema schema{
      kMethod,
      "KMeansSMOTE",
      "over_sampling",
      "over-sampling",
      "Cluster with k-means, then SMOTE inside the clusters where the class is well represented, more in sparse "
      "clusters.",
      "Douzas, Bacao & Last, Improving imbalanced learning through a heuristic oversampling method based on "
      "k-means and SMOTE, Information Sciences 465, 2018",
      {ParamSpec{"k_neighbors", ParamType::Int, std::int64_t{2},
                 "Nearest neighbours of the same class and cluster to interpolate towards", false, 1.0, std::nullopt,
                 false, false, {}},
       ParamSpec{"kmeans_estimator", ParamType::Int, std::monostate{},
                 "Number of k-means clusters (none: 8, as imbalanced-learn's default MiniBatchKMeans)", true, 1.0,
                 std::nullopt, false, false, {}},
       ParamSpec{"cluster_balance_threshold", ParamType::Float, std::string{"auto"},
                 "Smallest share of the class in a cluster to over-sample it (auto: new rows of the class / new rows "
                 "of all classes / 2)",
                 false, std::nullopt, std::nullopt, false, false, {"auto"}},
       ParamSpec{"density_exponent", ParamType::Float, std::string{"auto"},
                 "Exponent of the mean distance in a cluster's sparsity (auto: 0.16 * log_1.6(rows)^1.8)", false,
                 std::nullopt, std::nullopt, false, false, {"auto"}}},
      /*provides_sample_indices=*/false};
  return schema;
}

std::unique_ptr<Sampler> kmeans_smote_create(Params params, SamplerOptions options) {
  return std::make_unique<KMeansSmote>(kmeans_smote_schema(), std::move(params), std::move(options));
}

}  // namespace detail
}  // namespace imbal
