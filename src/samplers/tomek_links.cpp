// tomek-links: remove the rows of the cleaned classes that end a Tomek link (I. Tomek, "Two
// Modifications of CNN", IEEE Transactions on Systems, Man, and Cybernetics 6(11), 1976), as
// imbalanced-learn's TomekLinks (0.10): a link is a pair of rows of different classes that are each
// other's nearest neighbour; the end of a link whose class is targeted by the sampling strategy
// (default: every class but the minority) is removed, the other end stays.
//
// Nearest neighbours by the plain definition (itself excluded by index, ties by (distance, index));
// imbalanced-learn drops the first column of kneighbors instead (docs/methods/tomek-links.md).
#include "imbal/sampler.hpp"
#include "samplers/cleaning.hpp"

namespace imbal {
namespace {

constexpr const char* kMethod = "tomek-links";

class TomekLinks final : public Sampler {
 public:
  using Sampler::Sampler;
  SamplingType sampling_type() const override { return SamplingType::CleanSampling; }

 protected:
  SamplerOutput resample(const SamplerInput& in, const ResamplePlan& plan) override {
    detail::require_numeric_for_cleaning(in, kMethod);
    std::vector<std::size_t> rows(in.X.rows);
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
    const auto ends = detail::tomek_link_ends(in.X, in.y, in.n_classes, rows, in.n_jobs);
    SamplerOutput out;
    out.indices.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (ends[i] && plan.classes[static_cast<std::size_t>(in.y[i])].targeted) continue;
      out.indices.push_back(i);
    }
    return out;
  }
};

}  // namespace

namespace detail {

const MethodSchema& tomek_links_schema() {
  static const MethodSchema schema{
      kMethod,
      "TomekLinks",
      "under_sampling",
      "cleaning",
      "Remove the rows of the cleaned classes that form a Tomek link: a pair of rows of different classes that "
      "are each other's nearest neighbour.",
      "I. Tomek, Two Modifications of CNN, IEEE Transactions on Systems, Man, and Cybernetics 6(11), 1976",
      {},
      /*provides_sample_indices=*/true};
  return schema;
}

std::unique_ptr<Sampler> tomek_links_create(Params params, SamplerOptions options) {
  return std::make_unique<TomekLinks>(tomek_links_schema(), std::move(params), std::move(options));
}

}  // namespace detail
}  // namespace imbal
