// renn: repeated edited nearest neighbours (I. Tomek, "An Experiment with the Edited
// Nearest-Neighbor Rule", IEEE Transactions on Systems, Man, and Cybernetics 6(6), 1976), as
// imbalanced-learn's RepeatedEditedNearestNeighbours (0.10): enn passes over what the previous pass
// kept, each pass re-reading the sampling strategy on the current data, until
//   - a pass removes nothing (converged), or
//   - some class other than the original minority now has fewer rows than the minority had
//     (the minority is the first, in order of appearance, of the smallest classes), or
//   - a class has disappeared, or
//   - max_iter passes have run.
// Passes after the first only look again at rows near the removed rows (samplers/cleaning.hpp).
#include <algorithm>

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
    const auto k = static_cast<std::size_t>(params().get_int("n_neighbors"));
    const auto max_iter = static_cast<std::size_t>(params().get_int("max_iter"));
    detail::require_rows_for_neighbors(kMethod, in.X.rows, k);
    const std::int32_t minority = detail::first_appearing_minority(in.y, in.n_classes);
    const std::size_t minority_count = in.class_rows[static_cast<std::size_t>(minority)].size();
    std::size_t n_present = 0;
    for (const auto& rows : in.class_rows) n_present += rows.empty() ? 0 : 1;

    std::vector<std::size_t> rows(in.X.rows);
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
    detail::EnnEditor editor(in.X, in.y, in.n_classes, k, detail::parse_kind_sel(params().get_string("kind_sel")),
                             in.n_jobs, detail::mode_tie_for(in));
    ResamplePlan current = plan;
    std::vector<std::int32_t> also;  // classes first targeted by a later pass
    for (std::size_t iter = 0; iter < max_iter; ++iter) {
      if (iter > 0) {
        // imbalanced-learn's inner EditedNearestNeighbours resolves the strategy on the data it is given.
        current = resolve_strategy(options().sampling_strategy, detail::class_counts(in.y, in.n_classes, rows),
                                   SamplingType::CleanSampling, in.labels);
        detail::require_rows_for_neighbors(kMethod, rows.size(), k,
                                           "after " + std::to_string(iter) + " passes the rows left are");
      }
      std::vector<bool> clean(in.n_classes, false);
      for (const auto& cls : current.classes) {
        clean[static_cast<std::size_t>(cls.label)] = cls.targeted;
        if (cls.targeted && !plan.classes[static_cast<std::size_t>(cls.label)].targeted) also.push_back(cls.label);
      }
      auto kept = editor.pass(rows, clean, k);
      const bool converged = kept.size() == rows.size();
      const auto outcome = detail::pass_outcome(in.y, in.n_classes, kept, minority, minority_count, n_present);
      rows = std::move(kept);
      if (converged || outcome.minority_became_majority || outcome.class_removed) break;
    }
    SamplerOutput out;
    out.indices = std::move(rows);
    std::sort(also.begin(), also.end());
    also.erase(std::unique(also.begin(), also.end()), also.end());
    out.also_targeted = std::move(also);
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
