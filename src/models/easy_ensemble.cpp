// easy-ensemble: imbalanced-learn 0.10's EasyEnsembleClassifier. `n_estimators` members, each an
// AdaBoost (by default adaboost with its defaults) fitted on an independent random under-sample
// of all rows (no bootstrap), averaged. The engine is bagging.cpp's.
//   Liu, Wu & Zhou, "Exploratory undersampling for class-imbalance learning", IEEE Trans. SMC-B
//   39 (2009).
#include <memory>

#include "imbal/model.hpp"
#include "models/bagging.hpp"

namespace imbal {

namespace {

detail::BaggingConfig easy_ensemble_config(const Params& p) {
  detail::BaggingConfig c;
  c.estimator = p.is_none("estimator") ? detail::ComponentSpec{"adaboost", {}}
                                       : detail::parse_component_spec(p.get_string("estimator"), "estimator");
  c.sampler = detail::ComponentSpec{"random-under", {std::string("replacement=") + (p.get_bool("replacement") ? "true" : "false")}};
  c.sampling_strategy = p.get_string("sampling_strategy");
  c.n_estimators = static_cast<std::size_t>(p.get_int("n_estimators"));
  c.max_samples = 1.0;
  c.max_features = 1.0;
  c.bootstrap = false;
  c.bootstrap_features = false;
  c.oob_score = false;
  return c;
}

class EasyEnsemble final : public detail::Bagging {
 public:
  using Bagging::Bagging;

 protected:
  detail::BaggingConfig config() const override { return easy_ensemble_config(params()); }
};

}  // namespace

namespace detail {

const MethodSchema& easy_ensemble_schema() {
  static const MethodSchema schema = [] {
    MethodSchema s;
    s.name = "easy-ensemble";
    s.python_class = "EasyEnsembleClassifier";
    s.python_module = "ensemble";
    s.family = "bagging";
    s.summary = "Averaged AdaBoost ensembles, each fitted on an independent random under-sample (EasyEnsemble)";
    s.reference = "Liu, Wu & Zhou, IEEE Trans. SMC-B 2009";
    ParamSpec n;
    n.name = "n_estimators";
    n.type = ParamType::Int;
    n.default_value = std::int64_t{10};
    n.doc = "Members (under-samples)";
    n.min = 1;
    ParamSpec estimator;
    estimator.name = "estimator";
    estimator.type = ParamType::Text;
    estimator.default_value = std::monostate{};
    estimator.nullable = true;
    estimator.doc = "Member model: a specification ID or ID(name=value; ...); none: adaboost";
    ParamSpec strategy;
    strategy.name = "sampling_strategy";
    strategy.type = ParamType::Text;
    strategy.default_value = std::string("auto");
    strategy.doc = "The under-sampling strategy of every member (random-under's sampling_strategy)";
    ParamSpec replacement;
    replacement.name = "replacement";
    replacement.type = ParamType::Bool;
    replacement.default_value = false;
    replacement.doc = "Under-sample with replacement";
    s.params = {n, estimator, strategy, replacement};
    return s;
  }();
  return schema;
}

std::unique_ptr<Model> easy_ensemble_create(Params params, ModelOptions options) {
  (void)make_component_model(easy_ensemble_config(params).estimator, "estimator", {});
  return std::make_unique<EasyEnsemble>(easy_ensemble_schema(), std::move(params), options);
}

}  // namespace detail

}  // namespace imbal
