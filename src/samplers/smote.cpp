// smote: Synthetic Minority Over-sampling TEchnique (Chawla, Bowyer, Hall & Kegelmeyer,
// "SMOTE: Synthetic Minority Over-sampling Technique", JAIR 16, 2002). Each new row lies on the
// segment between a row of the class and one of its k nearest neighbours of the same class:
// new = x + u * (x_nn - x), u ~ U[0, 1); the (row, neighbour) pair is drawn uniformly among
// all n_class * k pairs, as imbalanced-learn does.
#include "imbal/error.hpp"
#include "imbal/sampler.hpp"
#include "samplers/interpolation.hpp"

namespace imbal {
namespace {

class Smote final : public Sampler {
 public:
  using Sampler::Sampler;
  SamplingType sampling_type() const override { return SamplingType::OverSampling; }

 protected:
  SamplerOutput resample(const SamplerInput& in, const ResamplePlan& plan) override {
    detail::require_numeric_features(in, "smote");
    const auto k = static_cast<std::size_t>(params().get_int("k_neighbors"));
    SamplerOutput out;
    out.keep_all_rows(in.X.rows);
    detail::reserve_new_rows(plan, out);
    for (const auto& cls : plan.classes) {
      if (!cls.targeted || cls.n_new() == 0) continue;
      const auto& rows = in.class_rows[static_cast<std::size_t>(cls.label)];
      const Neighbors nn = detail::class_neighbors(in, cls.label, k, "smote", "k_neighbors");
      const std::size_t kc = nn.k;  // k, or fewer for a small class under reduce_k
      Rng rng(in.seed, static_cast<std::uint64_t>(cls.label));
      for (std::size_t s = 0; s < cls.n_new(); ++s) {
        const auto pair = static_cast<std::size_t>(rng.below(rows.size() * kc));
        const std::size_t i = pair / kc;
        const double step = rng.uniform();
        detail::append_interpolated(in, rows[i], nn(i, pair % kc), step, cls.label, out);
      }
    }
    return out;
  }
};

}  // namespace

namespace detail {

const MethodSchema& smote_schema() {
  static const MethodSchema schema{
      "smote",
      "SMOTE",
      "over_sampling",
      "over-sampling",
      "Interpolate new rows between a row of the class and one of its k nearest same-class neighbours.",
      "Chawla, Bowyer, Hall & Kegelmeyer, SMOTE: Synthetic Minority Over-sampling Technique, JAIR 16, 2002",
      {ParamSpec{"k_neighbors", ParamType::Int, std::int64_t{5},
                 "Nearest neighbours of the same class to interpolate towards", false, 1.0, std::nullopt,
                 false, false, {}}},
      /*provides_sample_indices=*/false};
  return schema;
}

std::unique_ptr<Sampler> smote_create(Params params, SamplerOptions options) {
  return std::make_unique<Smote>(smote_schema(), std::move(params), std::move(options));
}

}  // namespace detail
}  // namespace imbal
