// random-under: random under-sampling (imbalanced-learn's RandomUnderSampler): keep a random
// subset of the targeted classes, drawn without replacement unless `replacement` is set.
#include <algorithm>

#include "imbal/sampler.hpp"

namespace imbal {
namespace {

class RandomUnderSampler final : public Sampler {
 public:
  using Sampler::Sampler;
  SamplingType sampling_type() const override { return SamplingType::UnderSampling; }

 protected:
  SamplerOutput resample(const SamplerInput& in, const ResamplePlan& plan) override {
    const bool replacement = params().get_bool("replacement");
    SamplerOutput out;
    out.indices.reserve(plan.total_out());
    // Output order: classes in sorted label order (as imbalanced-learn); within a class the kept
    // rows stay in their original relative order (imbalanced-learn keeps the draw order), so a
    // time-ordered or grouped file stays ordered after under-sampling.
    for (const auto& cls : plan.classes) {
      const auto& rows = in.class_rows[static_cast<std::size_t>(cls.label)];
      if (!cls.targeted) {
        out.indices.insert(out.indices.end(), rows.begin(), rows.end());
        continue;
      }
      Rng rng(in.seed, static_cast<std::uint64_t>(cls.label));
      auto drawn = rng.choice(rows.size(), cls.n_out, replacement);
      std::sort(drawn.begin(), drawn.end());
      for (const auto k : drawn) out.indices.push_back(rows[k]);
    }
    return out;
  }
};

}  // namespace

namespace detail {

const MethodSchema& random_under_schema() {
  static const MethodSchema schema{
      "random-under",
      "RandomUnderSampler",
      "under_sampling",
      "under-sampling",
      "Keep a random subset of the rows of the targeted classes.",
      "",
      {ParamSpec{"replacement", ParamType::Bool, false,
                 "Draw the kept rows with replacement (a bootstrap of the class)", false,
                 std::nullopt, std::nullopt, false, false, {}}},
      /*provides_sample_indices=*/true};
  return schema;
}

std::unique_ptr<Sampler> random_under_create(Params params, SamplerOptions options) {
  return std::make_unique<RandomUnderSampler>(random_under_schema(), std::move(params),
                                              std::move(options));
}

}  // namespace detail
}  // namespace imbal
