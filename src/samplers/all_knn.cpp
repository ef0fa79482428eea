// all-knn: AllKNN (I. Tomek, "An Experiment with the Edited Nearest-Neighbor Rule", IEEE
// Transactions on Systems, Man, and Cybernetics 6(6), 1976), as imbalanced-learn's AllKNN (0.10):
// enn passes with 1, 2, ..., n_neighbors neighbours, each over what the previous pass kept and
// re-reading the sampling strategy on the current data; it stops early when a class has
// disappeared or - unless allow_minority - when some class other than the original minority (the
// first, in order of appearance, of the smallest classes) now has fewer rows than the minority had.
// Passes after the first rank rows at equal distances in imbalanced-learn's order for those passes
// (by class, then row; samplers/cleaning.hpp).
#include "imbal/sampler.hpp"
#include "samplers/cleaning.hpp"

namespace imbal {
namespace {

constexpr const char* kMethod = "all-knn";

class AllKnn final : public Sampler {
 public:
  using Sampler::Sampler;
  SamplingType sampling_type() const override { return SamplingType::CleanSampling; }

 protected:
  SamplerOutput resample(const SamplerInput& in, const ResamplePlan& plan) override {
    detail::require_numeric_for_cleaning(in, kMethod);
    detail::RepeatedEnn options;
    options.renn = false;
    options.n_neighbors = static_cast<std::size_t>(params().get_int("n_neighbors"));
    options.allow_minority = params().get_bool("allow_minority");
    options.kind = detail::parse_kind_sel(params().get_string("kind_sel"));
    auto result = detail::repeated_enn(in, plan, this->options().sampling_strategy, kMethod, options);
    SamplerOutput out;
    out.indices = std::move(result.kept);
    out.also_targeted = std::move(result.also_targeted);
    return out;
  }
};

}  // namespace

namespace detail {

const MethodSchema& all_knn_schema() {
  static const MethodSchema schema{
      kMethod,
      "AllKNN",
      "under_sampling",
      "cleaning",
      "Apply enn with 1, 2, ..., n_neighbors neighbours in turn, each on what the previous pass kept.",
      "I. Tomek, An Experiment with the Edited Nearest-Neighbor Rule, IEEE Transactions on Systems, Man, and "
      "Cybernetics 6(6), 1976",
      {n_neighbors_param("Largest number of nearest neighbours; the passes use 1, 2, ..., n_neighbors"),
       kind_sel_param(),
       ParamSpec{"allow_minority", ParamType::Bool, false,
                 "Keep going when a class becomes smaller than the original minority", false, std::nullopt,
                 std::nullopt, false, false, {}}},
      /*provides_sample_indices=*/true};
  return schema;
}

std::unique_ptr<Sampler> all_knn_create(Params params, SamplerOptions options) {
  return std::make_unique<AllKnn>(all_knn_schema(), std::move(params), std::move(options));
}

}  // namespace detail
}  // namespace imbal
