// rus-boost: imbalanced-learn 0.10's RUSBoostClassifier. AdaBoost (SAMME.R or SAMME, the engine
// in samme.cpp) where every member is fitted on a random under-sample of the rows (the
// random-under sampler with `sampling_strategy` and `replacement`), carrying the rows' boosting
// weights; each member's error and the weight update are computed on all rows.
//   Seiffert, Khoshgoftaar, Van Hulse & Napolitano, "RUSBoost: a hybrid approach to alleviating
//   class imbalance", IEEE Trans. SMC-A 40 (2010).
#include <memory>

#include "imbal/model.hpp"
#include "imbal/strategy.hpp"
#include "models/samme.hpp"

namespace imbal {

namespace {

ClassLabels labels_or_codes(const ModelFitInput& input) {
  if (input.labels != nullptr && input.labels->size() == input.n_classes) return *input.labels;
  ClassLabels codes;
  for (std::size_t c = 0; c < input.n_classes; ++c) codes.names.push_back(std::to_string(c));
  codes.numeric = true;
  return codes;
}

class RusBoost final : public detail::SammeBoost {
 public:
  using SammeBoost::SammeBoost;

 protected:
  std::vector<std::size_t> member_rows(const ModelFitInput& input, std::size_t, std::uint64_t seed) const override {
    const ClassLabels labels = labels_or_codes(input);
    SamplerOptions options;
    options.sampling_strategy = SamplingStrategy::parse(params().get_string("sampling_strategy"), labels);
    options.random_state = seed;
    options.n_jobs = 1;
    auto sampler = detail::make_component_sampler(
        detail::ComponentSpec{"random-under", {std::string("replacement=") + (params().get_bool("replacement") ? "true" : "false")}},
        "sampling_strategy", options);
    const ResampleResult res = sampler->fit_resample(input.X, input.y, input.n_classes, {}, &labels);
    return res.sample_indices ? *res.sample_indices : res.indices;
  }
};

}  // namespace

namespace detail {

const MethodSchema& rus_boost_schema() {
  static const MethodSchema schema = [] {
    MethodSchema s;
    s.name = "rus-boost";
    s.python_class = "RUSBoostClassifier";
    s.python_module = "ensemble";
    s.family = "boosting";
    s.summary = "AdaBoost whose members are fitted on random under-samples (RUSBoost)";
    s.reference = "Seiffert, Khoshgoftaar, Van Hulse & Napolitano, IEEE Trans. SMC-A 2010";
    s.params = samme_params();
    ParamSpec strategy;
    strategy.name = "sampling_strategy";
    strategy.type = ParamType::Text;
    strategy.default_value = std::string("auto");
    strategy.doc = "The under-sampling strategy of every round (random-under's sampling_strategy)";
    ParamSpec replacement;
    replacement.name = "replacement";
    replacement.type = ParamType::Bool;
    replacement.default_value = false;
    replacement.doc = "Under-sample with replacement";
    s.params.push_back(strategy);
    s.params.push_back(replacement);
    return s;
  }();
  return schema;
}

std::unique_ptr<Model> rus_boost_create(Params params, ModelOptions options) {
  (void)make_component_model(boosting_estimator_spec(params), "estimator", {});
  return std::make_unique<RusBoost>(rus_boost_schema(), std::move(params), options);
}

}  // namespace detail

}  // namespace imbal
