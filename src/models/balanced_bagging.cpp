// balanced-bagging: imbalanced-learn 0.10's BalancedBaggingClassifier. Bagging (the engine in
// bagging.cpp) where every member's drawn rows are resampled by a sampler before its model is
// fitted: random-under (with `sampling_strategy`, `replacement`) by default, or ANY registered
// sampler given as a specification (`sampler=smote(k_neighbors=3)`).
//   Breiman, Machine Learning 24 (1996); Wang & Yao, CIDM 2009 (under-bagging); Hido, Kashima &
//   Takahashi, "Roughly balanced bagging for imbalanced data", SDM 2008.
#include <memory>

#include "imbal/model.hpp"
#include "models/bagging.hpp"

namespace imbal {

namespace {

ParamSpec spec(std::string name, ParamType type, ParamValue default_value, std::string doc) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = type;
  p.default_value = std::move(default_value);
  p.doc = std::move(doc);
  return p;
}

detail::BaggingConfig balanced_bagging_config(const Params& p) {
  detail::BaggingConfig c;
  c.estimator = p.is_none("estimator") ? detail::ComponentSpec{"decision-tree", {}}
                                       : detail::parse_component_spec(p.get_string("estimator"), "estimator");
  c.sampler = p.is_none("sampler")
                  ? detail::ComponentSpec{"random-under", {std::string("replacement=") + (p.get_bool("replacement") ? "true" : "false")}}
                  : detail::parse_component_spec(p.get_string("sampler"), "sampler");
  c.sampling_strategy = p.get_string("sampling_strategy");
  c.n_estimators = static_cast<std::size_t>(p.get_int("n_estimators"));
  c.max_samples = p.get_double("max_samples");
  c.max_features = p.get_double("max_features");
  c.bootstrap = p.get_bool("bootstrap");
  c.bootstrap_features = p.get_bool("bootstrap_features");
  c.oob_score = p.get_bool("oob_score");
  return c;
}

class BalancedBagging final : public detail::Bagging {
 public:
  using Bagging::Bagging;

 protected:
  detail::BaggingConfig config() const override { return balanced_bagging_config(params()); }
};

}  // namespace

namespace detail {

const MethodSchema& balanced_bagging_schema() {
  static const MethodSchema schema = [] {
    MethodSchema s;
    s.name = "balanced-bagging";
    s.python_class = "BalancedBaggingClassifier";
    s.python_module = "ensemble";
    s.family = "bagging";
    s.summary = "Bagging whose members are fitted on resampled (by default under-sampled) bootstrap samples";
    s.reference = "Breiman 1996; Wang & Yao, CIDM 2009; Hido, Kashima & Takahashi, SDM 2008";
    ParamSpec estimator = spec("estimator", ParamType::Text, std::monostate{},
                               "Member model: a specification ID or ID(name=value; ...); none: decision-tree");
    estimator.nullable = true;
    ParamSpec n = spec("n_estimators", ParamType::Int, std::int64_t{10}, "Members");
    n.min = 1;
    ParamSpec ms = spec("max_samples", ParamType::Float, 1.0, "Rows drawn per member: a fraction (<= 1) or a count (> 1)");
    ms.min = 0.0;
    ms.min_exclusive = true;
    ParamSpec mf = spec("max_features", ParamType::Float, 1.0, "Features drawn per member: a fraction (<= 1) or a count (> 1)");
    mf.min = 0.0;
    mf.min_exclusive = true;
    ParamSpec bootstrap = spec("bootstrap", ParamType::Bool, true, "Draw rows with replacement");
    ParamSpec bf = spec("bootstrap_features", ParamType::Bool, false, "Draw features with replacement");
    ParamSpec oob = spec("oob_score", ParamType::Bool, false, "Compute the out-of-bag accuracy (needs bootstrap)");
    ParamSpec strategy = spec("sampling_strategy", ParamType::Text, std::string("auto"),
                              "Sampling strategy given to the sampler (as random-under's / the sampler's)");
    ParamSpec replacement = spec("replacement", ParamType::Bool, false,
                                 "The default random-under sampler draws with replacement");
    ParamSpec sampler = spec("sampler", ParamType::Text, std::monostate{},
                             "Sampler of every member: any registered sampler ID or ID(name=value; ...); none: random-under");
    sampler.nullable = true;
    s.params = {estimator, n, ms, mf, bootstrap, bf, oob, strategy, replacement, sampler};
    return s;
  }();
  return schema;
}

std::unique_ptr<Model> balanced_bagging_create(Params params, ModelOptions options) {
  // Malformed specifications, unknown ids or bad parameters fail now.
  const auto config = balanced_bagging_config(params);
  (void)make_component_model(config.estimator, "estimator", {});
  (void)make_component_sampler(config.sampler, "sampler", {});
  return std::make_unique<BalancedBagging>(balanced_bagging_schema(), std::move(params), options);
}

}  // namespace detail

}  // namespace imbal
