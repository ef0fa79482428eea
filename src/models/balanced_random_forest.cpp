// balanced-random-forest: imbalanced-learn 0.10's BalancedRandomForestClassifier (Chen, Liaw &
// Breiman, "Using random forest to learn imbalanced data", UC Berkeley tech. report 666, 2004):
// every tree is grown on a random under-sample of the data (imblearn's RandomUnderSampler with
// the forest's sampling_strategy and replacement), then on a bootstrap of that under-sample, as
// imbalanced-learn does. The under-sample sizes come from the strategy planner
// (imbal/strategy.hpp); the draws are the random-under sampler's (per targeted class, n_out of
// its rows, with or without replacement), from the tree's own stream.
#include <memory>

#include "imbal/model.hpp"
#include "imbal/strategy.hpp"
#include "models/forest.hpp"

namespace imbal {

namespace {

class BalancedRandomForest final : public detail::ForestModel {
 public:
  using ForestModel::ForestModel;

 protected:
  void fit_hook(const ModelFitInput& input) override {
    const auto strategy = SamplingStrategy::parse(params().get_string("sampling_strategy"), classes());
    std::vector<std::size_t> counts(input.n_classes);
    for (std::size_t c = 0; c < input.n_classes; ++c) counts[c] = input.class_rows[c].size();
    const ResamplePlan plan = resolve_strategy(strategy, counts, SamplingType::UnderSampling, &classes());
    const bool replacement = params().get_bool("replacement");
    const auto& class_rows = input.class_rows;
    auto subset = [&](Rng& rng) {
      std::vector<std::size_t> rows;
      rows.reserve(plan.total_out());
      for (std::size_t c = 0; c < plan.classes.size(); ++c) {
        const auto& members = class_rows[c];
        if (!plan.classes[c].targeted) {
          rows.insert(rows.end(), members.begin(), members.end());
          continue;
        }
        for (const auto k : rng.choice(members.size(), plan.classes[c].n_out, replacement)) rows.push_back(members[k]);
      }
      return rows;
    };
    grow(input, subset);
  }
};

}  // namespace

namespace detail {

const MethodSchema& balanced_random_forest_schema() {
  static const MethodSchema schema = [] {
    MethodSchema s;
    s.name = "balanced-random-forest";
    s.python_class = "BalancedRandomForestClassifier";
    s.python_module = "ensemble";
    s.family = "ensemble";
    s.summary = "Balanced random forest: each tree on a bootstrap of a random under-sample of the data";
    s.reference = "Chen, Liaw & Breiman, Using random forest to learn imbalanced data, 2004; imbalanced-learn "
                  "BalancedRandomForestClassifier";
    s.params = forest_param_specs();
    ParamSpec strategy;
    strategy.name = "sampling_strategy";
    strategy.type = ParamType::Text;
    strategy.default_value = std::string("auto");
    strategy.doc = "Under-sampling strategy of each tree's sample, as random-under's (auto: every class but the "
                   "minority down to the minority's count)";
    ParamSpec replacement;
    replacement.name = "replacement";
    replacement.type = ParamType::Bool;
    replacement.default_value = false;
    replacement.doc = "Draw the under-sample with replacement";
    // After oob_score, as imbalanced-learn orders them.
    auto at = s.params.begin();
    while (at != s.params.end() && at->name != "oob_score") ++at;
    s.params.insert(at + 1, {strategy, replacement});
    return s;
  }();
  return schema;
}

std::unique_ptr<Model> balanced_random_forest_create(Params params, ModelOptions options) {
  return std::make_unique<BalancedRandomForest>(balanced_random_forest_schema(), std::move(params), options);
}

}  // namespace detail

}  // namespace imbal
