// adaboost: scikit-learn 1.2's AdaBoostClassifier over any registered model (default: decision
// stumps, decision-tree(max_depth=1)), SAMME.R (the default) or SAMME. The boosting loop is the
// shared engine in samme.cpp.
//   Freund & Schapire, J. Comput. Syst. Sci. 55 (1997); Zhu, Zou, Rosset & Hastie, "Multi-class
//   AdaBoost", Statistics and Its Interface 2 (2009).
#include <memory>

#include "imbal/model.hpp"
#include "models/samme.hpp"

namespace imbal {

namespace {

class AdaBoost final : public detail::SammeBoost {
 public:
  using SammeBoost::SammeBoost;
};

}  // namespace

namespace detail {

const MethodSchema& adaboost_schema() {
  static const MethodSchema schema = [] {
    MethodSchema s;
    s.name = "adaboost";
    s.python_class = "AdaBoostClassifier";
    s.python_module = "ensemble";
    s.family = "boosting";
    s.summary = "AdaBoost (SAMME.R or SAMME) over any registered model, by default decision stumps";
    s.reference = "Freund & Schapire, JCSS 1997; Zhu, Zou, Rosset & Hastie, Multi-class AdaBoost, 2009";
    s.params = samme_params();
    return s;
  }();
  return schema;
}

std::unique_ptr<Model> adaboost_create(Params params, ModelOptions options) {
  // A malformed specification, unknown model or bad parameter of it is an error now.
  (void)make_component_model(boosting_estimator_spec(params), "estimator", {});
  return std::make_unique<AdaBoost>(adaboost_schema(), std::move(params), options);
}

}  // namespace detail

}  // namespace imbal
