// random-forest: scikit-learn 1.2's RandomForestClassifier (Breiman, "Random forests", Machine
// Learning 45(1), 2001): CART trees on bootstrap samples with a random subset of features per
// split, probabilities averaged. Engine: models/forest.{hpp,cpp}.
#include <nlohmann/json.hpp>

#include <memory>

#include "imbal/error.hpp"
#include "imbal/model.hpp"
#include "models/forest.hpp"

namespace imbal {

namespace {

class RandomForest final : public Model {
 public:
  RandomForest(const MethodSchema& schema, Params params, ModelOptions options)
      : Model(schema, std::move(params), options) {
    (void)detail::forest_settings_from(this->params(), schema.name);  // bad values fail here
  }

 protected:
  ParamValue fit_class_weight() const override { return detail::forest_fit_class_weight(params()); }

  void fit_hook(const ModelFitInput& input) override {
    detail::Forest forest;
    forest.fit(input, detail::forest_settings_from(params(), schema().name), schema().name);
    forest_ = std::move(forest);
  }

  void proba_hook(MatrixView X, Matrix& out, int n_jobs) const override { forest_.predict_proba(X, out, n_jobs); }

  std::string state_json() const override { return forest_.to_json().dump(); }

  void load_state_json(std::string_view text) override {
    const auto j = nlohmann::json::parse(text.begin(), text.end());
    detail::Forest forest;
    forest.from_json(j, n_features(), n_classes(), schema().name + " state");
    forest_ = std::move(forest);
  }

 private:
  detail::Forest forest_;
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
