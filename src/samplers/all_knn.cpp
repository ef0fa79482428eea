// all-knn: AllKNN (I. Tomek, "An Experiment with the Edited Nearest-Neighbor Rule", IEEE
// Transactions on Systems, Man, and Cybernetics 6(6), 1976), as imbalanced-learn's AllKNN (0.10):
// enn passes with 1, 2, ..., n_neighbors neighbours, each over what the previous pass kept and
// re-reading the sampling strategy on the current data; it stops early when a class has
// disappeared or - unless allow_minority - when some class other than the original minority (the
// first, in order of appearance, of the smallest classes) now has fewer rows than the minority had.
#include <algorithm>

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
    const auto n_neighbors = static_cast<std::size_t>(params().get_int("n_neighbors"));
    const bool allow_minority = params().get_bool("allow_minority");
    detail::require_rows_for_neighbors(kMethod, in.X.rows, n_neighbors);
    const std::int32_t minority = detail::first_appearing_minority(in.y, in.n_classes);
    const std::size_t minority_count = in.class_rows[static_cast<std::size_t>(minority)].size();
    std::size_t n_present = 0;
    for (const auto& rows : in.class_rows) n_present += rows.empty() ? 0 : 1;

    std::vector<std::size_t> rows(in.X.rows);
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
    detail::EnnEditor editor(in.X, in.y, in.n_classes, n_neighbors,
                             detail::parse_kind_sel(params().get_string("kind_sel")), in.n_jobs,
                             detail::mode_tie_for(in));
    ResamplePlan current = plan;
    std::vector<std::int32_t> also;  // classes first targeted by a later pass
    for (std::size_t k = 1; k <= n_neighbors; ++k) {
      if (k > 1) {
        current = resolve_strategy(options().sampling_strategy, detail::class_counts(in.y, in.n_classes, rows),
                                   SamplingType::CleanSampling, in.labels);
        detail::require_rows_for_neighbors(kMethod, rows.size(), k,
                                           "after " + std::to_string(k - 1) + " passes the rows left are");
      }
      std::vector<bool> clean(in.n_classes, false);
      for (const auto& cls : current.classes) {
        clean[static_cast<std::size_t>(cls.label)] = cls.targeted;
        if (cls.targeted && !plan.classes[static_cast<std::size_t>(cls.label)].targeted) also.push_back(cls.label);
      }
      rows = editor.pass(rows, clean, k);
      const auto outcome = detail::pass_outcome(in.y, in.n_classes, rows, minority, minority_count, n_present);
      if ((outcome.minority_became_majority && !allow_minority) || outcome.class_removed) break;
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
