// adasyn: ADAptive SYNthetic sampling (He, Bai, Garcia & Li, "ADASYN: Adaptive Synthetic
// Sampling Approach for Imbalanced Learning", IJCNN 2008, pp. 1322-1328), as imbalanced-learn's
// ADASYN (0.10) does it:
//
// 1. for every row i of the class, m_i = rows of other classes among its n_neighbors nearest
//    rows of the whole data (itself excluded by index); r_i = m_i / sum_j m_j (all zero: error);
// 2. row i gets g_i new rows, g_i = r_i * n_new rounded by largest remainders (imbalanced-learn
//    rounds each r_i * n_new to the nearest integer, so its total can miss the requested count;
//    ours is exact);
// 3. each new row is x_i + u * (x_nn - x_i), x_nn drawn uniformly among the n_neighbors nearest
//    rows of the same class (itself excluded by index), u ~ U[0, 1).
#include "samplers/adasyn.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

#include "imbal/error.hpp"
#include "imbal/sampler.hpp"
#include "samplers/interpolation.hpp"

namespace imbal {

namespace {

constexpr const char* kMethod = "adasyn";


}  // namespace

namespace detail {

std::vector<std::size_t> adasyn_foreign_counts(const SamplerInput& in, std::int32_t label, std::size_t n_neighbors) {
  auto counts = foreign_neighbor_counts(in, label, n_neighbors, kMethod, "n_neighbors");
  if (std::all_of(counts.begin(), counts.end(), [](std::size_t c) { return c == 0; })) {
    throw InvalidArgument(std::string(kMethod)
                              .append(": none of the n_neighbors=")
                              .append(std::to_string(n_neighbors))
                              .append(" nearest rows of any row of ")
                              .append(in.class_words(label))
                              .append(" belongs to another class, so ADASYN's density ratios are all zero "
                                      "(0 / 0: imbalanced-learn raises 'Not any neigbours belong to the majority "
                                      "class' here). ADASYN is not suited to this class: use smote, raise "
                                      "n_neighbors, or leave this class out of the sampling strategy"));
  }
  return counts;
}

std::vector<double> adasyn_ratios(const SamplerInput& in, std::int32_t label, std::size_t n_neighbors) {
  const auto counts = adasyn_foreign_counts(in, label, n_neighbors);
  const std::size_t sum = std::accumulate(counts.begin(), counts.end(), std::size_t{0});
  std::vector<double> ratios(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) {
    ratios[i] = static_cast<double>(counts[i]) / static_cast<double>(sum);
  }
  return ratios;
}

std::vector<std::size_t> largest_remainder_allocation(std::span<const std::size_t> weights, std::size_t total) {
  const std::size_t sum = std::accumulate(weights.begin(), weights.end(), std::size_t{0});
  IMBAL_ASSERT(sum > 0);
  const std::size_t max_weight = weights.empty() ? 0 : *std::max_element(weights.begin(), weights.end());
  if (total != 0 && max_weight > std::numeric_limits<std::size_t>::max() / total) {
    throw InvalidArgument(std::string(kMethod).append(": too many new rows requested (") +
                          std::to_string(total) + ")");
  }
  std::vector<std::size_t> parts(weights.size());
  std::vector<std::size_t> remainder(weights.size());
  std::size_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const std::size_t quota = weights[i] * total;  // exact: checked above
    parts[i] = quota / sum;
    remainder[i] = quota % sum;
    given += parts[i];
  }
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  IMBAL_ASSERT(total - given <= weights.size());
  for (std::size_t t = 0; given < total; ++t, ++given) ++parts[order[t]];
  return parts;
}

}  // namespace detail

namespace {

class Adasyn final : public Sampler {
 public:
  using Sampler::Sampler;
  SamplingType sampling_type() const override { return SamplingType::OverSampling; }

 protected:
  SamplerOutput resample(const SamplerInput& in, const ResamplePlan& plan) override {
    detail::require_numeric_features(in, kMethod);
    const auto k = static_cast<std::size_t>(params().get_int("n_neighbors"));
    SamplerOutput out;
    out.keep_all_rows(in.X.rows);
    detail::reserve_new_rows(plan, out);
    for (const auto& cls : plan.classes) {
      if (!cls.targeted || cls.n_new() == 0) continue;
      const auto& rows = in.class_rows[static_cast<std::size_t>(cls.label)];
      const auto counts = detail::adasyn_foreign_counts(in, cls.label, k);
      const auto per_row = detail::largest_remainder_allocation(counts, cls.n_new());
      const Neighbors nn = detail::class_neighbors(in, cls.label, k, kMethod, "n_neighbors");
      Rng rng(in.seed, static_cast<std::uint64_t>(cls.label));
      for (std::size_t i = 0; i < rows.size(); ++i) {
        for (std::size_t s = 0; s < per_row[i]; ++s) {
          const auto j = static_cast<std::size_t>(rng.below(nn.k));  // nn.k < k only under reduce_k
          const double step = rng.uniform();
          detail::append_interpolated(in, rows[i], nn(i, j), step, cls.label, out);
        }
      }
    }
    return out;
  }
};

}  // namespace

namespace detail {

const MethodSchema& adasyn_schema() {
  static const MethodSchema schema{
      kMethod,
      "ADASYN",
      "over_sampling",
      "over-sampling",
      "SMOTE with more new rows from the rows that have more neighbours of other classes (harder to learn).",
      "He, Bai, Garcia & Li, ADASYN: Adaptive Synthetic Sampling Approach for Imbalanced Learning, IJCNN 2008",
      {ParamSpec{"n_neighbors", ParamType::Int, std::int64_t{5},
                 "Nearest neighbours used both for the density ratios (among all rows) and to interpolate "
                 "towards (same class)",
                 false, 1.0, std::nullopt, false, false, {}}},
      /*provides_sample_indices=*/false};
  return schema;
}

std::unique_ptr<Sampler> adasyn_create(Params params, SamplerOptions options) {
  return std::make_unique<Adasyn>(adasyn_schema(), std::move(params), std::move(options));
}

}  // namespace detail
}  // namespace imbal
