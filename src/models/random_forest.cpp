// random-forest: scikit-learn 1.2's RandomForestClassifier (Breiman, "Random forests", Machine
// Learning 45(1), 2001): CART trees on bootstrap samples with a random subset of features per
// split, probabilities averaged. Engine: models/forest.{hpp,cpp}.
#include <memory>

#include "imbal/model.hpp"
#include "models/forest.hpp"

namespace imbal {

namespace {

class RandomForest final : public detail::ForestModel {
 public:
  using ForestModel::ForestModel;

 protected:
  void fit_hook(const ModelFitInput& input) override { grow(input); }
};

}  // namespace

namespace detail {

const MethodSchema& random_forest_schema() {
  static const MethodSchema schema = [] {
    MethodSchema s;
    s.name = "random-forest";
    s.python_class = "RandomForestClassifier";
    s.python_module = "ensemble";
    s.family = "ensemble";
    s.summary = "Random forest: CART trees on bootstrap samples, sqrt(n_features) features per split, averaged";
    s.reference = "Breiman, Random forests, Machine Learning 45(1), 2001; scikit-learn RandomForestClassifier";
    s.params = forest_param_specs();
    return s;
  }();
  return schema;
}

std::unique_ptr<Model> random_forest_create(Params params, ModelOptions options) {
  return std::make_unique<RandomForest>(random_forest_schema(), std::move(params), options);
}

}  // namespace detail

}  // namespace imbal
