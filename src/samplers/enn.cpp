// enn: edited nearest neighbours (D. L. Wilson, "Asymptotic Properties of Nearest Neighbor Rules
// Using Edited Data", IEEE Transactions on Systems, Man, and Cybernetics 2(3), 1972), as
// imbalanced-learn's EditedNearestNeighbours (0.10): a row of a cleaned class (default: every
// class but the minority) is removed when its n_neighbors nearest rows of the whole data disagree
// with it - kind_sel="all": any of them has another class; "mode": their most common class (the
// smallest of equally common ones) is not its class.
//
// Neighbours by the plain definition (itself excluded by index, ties by (distance, index)); the
// work is driven from the other classes' side (samplers/cleaning.hpp, docs/methods/enn.md).
#include "imbal/sampler.hpp"
#include "samplers/cleaning.hpp"

namespace imbal {
namespace {

constexpr const char* kMethod = "enn";

class EditedNearestNeighbours final : public Sampler {
 public:
  using Sampler::Sampler;
  SamplingType sampling_type() const override { return SamplingType::CleanSampling; }

 protected:
  SamplerOutput resample(const SamplerInput& in, const ResamplePlan& plan) override {
    detail::require_numeric_for_cleaning(in, kMethod);
    const auto k = static_cast<std::size_t>(params().get_int("n_neighbors"));
    detail::require_rows_for_neighbors(kMethod, in.X.rows, k);
    std::vector<std::size_t> rows(in.X.rows);
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
    std::vector<bool> clean(in.n_classes, false);
    for (const auto& cls : plan.classes) clean[static_cast<std::size_t>(cls.label)] = cls.targeted;
    detail::EnnEditor editor(in.X, in.y, in.n_classes, k, detail::parse_kind_sel(params().get_string("kind_sel")),
                             in.n_jobs, detail::mode_tie_for(in));
    SamplerOutput out;
    out.indices = editor.pass(rows, clean, k);
    return out;
  }
};

}  // namespace

namespace detail {

const MethodSchema& enn_schema() {
  static const MethodSchema schema{
      kMethod,
      "EditedNearestNeighbours",
      "under_sampling",
      "cleaning",
      "Remove the rows of the cleaned classes whose nearest neighbours disagree with their class (Wilson's editing).",
      "D. L. Wilson, Asymptotic Properties of Nearest Neighbor Rules Using Edited Data, IEEE Transactions on "
      "Systems, Man, and Cybernetics 2(3), 1972",
      {n_neighbors_param("Nearest neighbours (among all rows) that vote on each row of a cleaned class"),
       kind_sel_param()},
      /*provides_sample_indices=*/true};
  return schema;
}

std::unique_ptr<Sampler> enn_create(Params params, SamplerOptions options) {
  return std::make_unique<EditedNearestNeighbours>(enn_schema(), std::move(params), std::move(options));
}

}  // namespace detail
}  // namespace imbal
