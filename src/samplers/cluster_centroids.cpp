// cluster-centroids: under-sampling by k-means prototypes (S.-J. Yen & Y.-S. Lee, "Cluster-based
// under-sampling approaches for imbalanced data distributions", Expert Systems with Applications
// 36(3), 2009), as imbalanced-learn's ClusterCentroids (0.10):
//
//   for every targeted class, k-means (scikit-learn 1.2's KMeans defaults: k-means++, n_init=10,
//   Lloyd, max_iter=300, tol=1e-4; include/imbal/kmeans.hpp) on the rows of the class with
//   n_clusters = the class's planned count; then
//     voting="soft": the centroids replace the class's rows;
//     voting="hard": the real row of the class nearest to each centroid (ties by row index)
//                    replaces it (a row nearest to two centroids appears twice, as in
//                    imbalanced-learn);
//     voting="auto": hard for sparse input, else soft; imbal's input is dense, so soft.
//   Untargeted classes keep every row.
//
// Output: the kept input rows first (untargeted classes, and with hard voting the chosen rows, in
// class order), then the centroids (soft voting) as new rows without a parent. sample_indices only
// with hard voting (every output row is then an input row). Our k-means draws its own random
// numbers, so the centroids are not imbalanced-learn's; each is the mean of its cluster.
#include <algorithm>

#include "imbal/error.hpp"
#include "imbal/kmeans.hpp"
#include "imbal/neighbors.hpp"
#include "imbal/sampler.hpp"
#include "samplers/cleaning.hpp"

namespace imbal {
namespace {

constexpr const char* kMethod = "cluster-centroids";

class ClusterCentroids final : public Sampler {
 public:
  using Sampler::Sampler;
  SamplingType sampling_type() const override { return SamplingType::UnderSampling; }

 protected:
  SamplerOutput resample(const SamplerInput& in, const ResamplePlan& plan) override {
    detail::require_numeric_for_cleaning(in, kMethod);
    const std::string& voting = params().get_string("voting");
    const bool hard = voting == "hard";  // "auto": dense input -> soft
    SamplerOutput out;
    out.provides_sample_indices = hard;
    std::size_t n_new = 0;
    for (const auto& cls : plan.classes) {
      if (cls.targeted && !hard) n_new += cls.n_out;
    }
    out.synthetic = Matrix(n_new, in.X.cols);
    std::size_t next = 0;
    for (const auto& cls : plan.classes) {
      const auto& rows = in.class_rows[static_cast<std::size_t>(cls.label)];
      if (!cls.targeted) {
        out.indices.insert(out.indices.end(), rows.begin(), rows.end());
        continue;
      }
      if (cls.n_out == 0) {
        throw InvalidArgument(std::string(kMethod) + ": the sampling strategy asks for 0 rows of " +
                              in.class_words(cls.label) + ", but k-means needs n_clusters >= 1");
      }
      KMeansOptions options;
      options.n_clusters = cls.n_out;
      options.n_init = 10;  // KMeans's default in scikit-learn 1.2
      options.n_jobs = in.n_jobs;
      const std::uint64_t seed = Rng(in.seed, static_cast<std::uint64_t>(cls.label)).next();
      // The class's rows are read in place (no copy of them: a majority class is most of X).
      const KMeansResult km = kmeans(in.X, rows, options, seed);
      if (hard) {
        NeighborOptions nn_options;
        nn_options.n_jobs = in.n_jobs;
        const NeighborIndex index(in.X, rows, nn_options);  // reports X's row numbers
        const Neighbors nn = index.query(km.centers.view(), 1);
        for (std::size_t c = 0; c < cls.n_out; ++c) out.indices.push_back(nn(c, 0));
        continue;
      }
      for (std::size_t c = 0; c < cls.n_out; ++c, ++next) {
        std::copy_n(km.centers.row(c), in.X.cols, out.synthetic.row(next));
        out.synthetic_labels.push_back(cls.label);
        out.provenance.push_back(Provenance{});
      }
    }
    return out;
  }
};

}  // namespace

namespace detail {

const MethodSchema& cluster_centroids_schema() {
  static const MethodSchema schema{
      kMethod,
      "ClusterCentroids",
      "under_sampling",
      "under-sampling",
      "Replace each under-sampled class by the centroids of a k-means clustering of it (soft voting) or by the "
      "real rows nearest to them (hard voting).",
      "S.-J. Yen and Y.-S. Lee, Cluster-based under-sampling approaches for imbalanced data distributions, Expert "
      "Systems with Applications 36(3), 2009",
      {ParamSpec{"estimator", ParamType::Choice, std::monostate{},
                 "Clustering of each class (none: scikit-learn's KMeans with its defaults, the only one)", true,
                 std::nullopt, std::nullopt, false, false, {"kmeans"}},
       ParamSpec{"voting", ParamType::Choice, std::string{"auto"},
                 "soft: the centroids become the rows; hard: the real row nearest each centroid; auto: hard for "
                 "sparse input, else soft (imbal's input is dense: soft)",
                 false, std::nullopt, std::nullopt, false, false, {"auto", "hard", "soft"}}},
      /*provides_sample_indices=*/false};
  return schema;
}

std::unique_ptr<Sampler> cluster_centroids_create(Params params, SamplerOptions options) {
  return std::make_unique<ClusterCentroids>(cluster_centroids_schema(), std::move(params), std::move(options));
}

}  // namespace detail
}  // namespace imbal
