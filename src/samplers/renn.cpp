// renn: repeated edited nearest neighbours (I. Tomek, "An Experiment with the Edited
// Nearest-Neighbor Rule", IEEE Transactions on Systems, Man, and Cybernetics 6(6), 1976), as
// imbalanced-learn's RepeatedEditedNearestNeighbours (0.10): enn passes over what the previous pass
// kept, each pass re-reading the sampling strategy on the current data, until
//   - a pass removes nothing (converged), or
//   - some class other than the original minority now has fewer rows than the minority had
//     (the minority is the first, in order of appearance, of the smallest classes), or
//   - a class has disappeared, or
//   - max_iter passes have run.
// Passes after the first only look again at rows near the removed rows, and rank rows at equal
// distances in imbalanced-learn's order for those passes (by class, then row; samplers/cleaning.hpp).
#include "imbal/sampler.hpp"
#include "samplers/cleaning.hpp"

namespace imbal {
namespace {

constexpr const char* kMethod = "renn";

class RepeatedEditedNearestNeighbours final : public Sampler {
 public:
  using Sampler::Sampler;
  SamplingType sampling_type() const override { return SamplingType::CleanSampling; }

 protected:
  SamplerOutput resample(const SamplerInput& in, const ResamplePlan& plan) override {
    detail::require_numeric_for_cleaning(in, kMethod);
    detail::RepeatedEnn options;
    options.renn = true;
    options.n_neighbors = static_cast<std::size_t>(params().get_int("n_neighbors"));
    options.max_iter = static_cast<std::size_t>(params().get_int("max_iter"));
    options.kind = detail::parse_kind_sel(params().get_string("kind_sel"));
    auto result = detail::repeated_enn(in, plan, this->options().sampling_strategy, kMethod, options);
    SamplerOutput out;
    out.indices = std::move(result.kept);
    out.also_targeted = std::move(result.also_targeted);
    out.attributes["n_iter_"] = static_cast<std::int64_t>(result.passes);
    return out;
  }
};

}  // namespace

namespace detail {

const MethodSchema& renn_schema() {
  static const MethodSchema schema{
      kMethod,
      "RepeatedEditedNearestNeighbours",
      "under_sampling",
      "cleaning",
      "Repeat enn on what the previous pass kept until nothing changes, a cleaned class becomes smaller than "
      "the minority, or max_iter passes.",
      "I. Tomek, An Experiment with the Edited Nearest-Neighbor Rule, IEEE Transactions on Systems, Man, and "
      "Cybernetics 6(6), 1976",
      {n_neighbors_param("Nearest neighbours (among the rows still present) that vote on each row of a cleaned class"),
       ParamSpec{"max_iter", ParamType::Int, std::int64_t{100}, "Largest number of enn passes", false, 1.0,
                 std::nullopt, false, false, {}},
       kind_sel_param()},
      /*provides_sample_indices=*/true};
  return schema;
}

std::unique_ptr<Sampler> renn_create(Params params, SamplerOptions options) {
  return std::make_unique<RepeatedEditedNearestNeighbours>(renn_schema(), std::move(params), std::move(options));
}

}  // namespace detail
}  // namespace imbal
