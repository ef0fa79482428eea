// make_imbalance: imbalanced-learn 0.10's imblearn.datasets.make_imbalance, which is a random
// under-sampling (RandomUnderSampler, without replacement) to the counts of a sampling strategy.
// We delegate to the registry's "random-under" sampler, so the rows kept for a given seed are
// the ones `imbal resample --method random-under` keeps; unlike imbalanced-learn (which groups
// the output by class) the kept rows stay in their original order.
#include <algorithm>
#include <string>
#include <vector>

#include "imbal/error.hpp"
#include "imbal/generators.hpp"
#include "imbal/registry.hpp"

namespace imbal {

Dataset make_imbalance(const Dataset& data, const SamplingStrategy& strategy, std::uint64_t seed) {
  SamplerOptions options;
  options.sampling_strategy = strategy;
  options.random_state = seed;
  options.n_jobs = 1;
  auto sampler = make_sampler("random-under", options);

  ResampleResult result;
  try {
    // The sampler validates the data and resolves the strategy as imbalanced-learn's
    // check_sampling_strategy does for under-sampling (unknown classes, counts above a class's
    // size, a single class: InvalidArgument).
    result = sampler->fit_resample(data.X(), data.y(), data.n_classes(), data.categorical_mask(),
                                   &data.classes());
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(std::string("make_imbalance: ") + e.what());
  }

  std::vector<std::size_t> kept = std::move(result.indices);
  IMBAL_ASSERT(result.n_copied == kept.size());
  std::sort(kept.begin(), kept.end());
  Matrix X = gather_rows(data.X(), kept);
  std::vector<std::int32_t> y;
  y.reserve(kept.size());
  for (const auto i : kept) y.push_back(data.y()[i]);
  return data.with_rows(std::move(X), std::move(y));
}

}  // namespace imbal
