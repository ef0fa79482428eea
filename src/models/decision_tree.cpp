// decision-tree: scikit-learn 1.2's DecisionTreeClassifier, a CART classification tree
// (Breiman, Friedman, Olshen & Stone, "Classification and Regression Trees", Wadsworth 1984).
// The tree itself is models/tree.{hpp,cpp}, shared with the forests and the boosting models.
#include <nlohmann/json.hpp>

#include <memory>

#include "imbal/error.hpp"
#include "imbal/model.hpp"
#include "models/parallel.hpp"
#include "models/tree.hpp"
#include "core/parsed_json.hpp"

namespace imbal {

namespace {

class DecisionTreeModel final : public Model {
 public:
  DecisionTreeModel(const MethodSchema& schema, Params params, ModelOptions options)
      : Model(schema, std::move(params), options) {
    (void)detail::tree_settings_from(this->params(), "decision-tree");  // bad values fail here
  }

  const detail::DecisionTree& tree() const { return tree_; }
  bool grows_trees() const override { return true; }

 protected:
  void fit_hook(const ModelFitInput& input) override {
    detail::TreeData own;
    const detail::TreeData& data = detail::ranked_input(input, own);
    Rng rng(input.seed);
    const auto settings = detail::tree_settings_from(params(), "decision-tree");
    detail::DecisionTree tree;
    tree.fit(data, input.y, input.n_classes, input.sample_weight, settings, rng);
    tree_ = std::move(tree);
  }

  void proba_hook(MatrixView X, Matrix& out, int n_jobs) const override {
    const std::size_t rows_per_block = detail::block_rows(X.rows, 4096);
    const std::size_t n_blocks = (X.rows + rows_per_block - 1) / rows_per_block;
    detail::parallel_blocks(n_blocks, n_jobs, [&](std::size_t b) {
      const std::size_t begin = b * rows_per_block;
      const std::size_t end = std::min(X.rows, begin + rows_per_block);
      for (std::size_t i = begin; i < end; ++i) tree_.predict_proba_row(X.row(i), out.row(i));
    });
  }

  /// The tree, and scikit-learn's feature_importances_: each feature's total weighted impurity
  /// decrease, normalised to sum 1 (all zero for a single-leaf tree).
  std::string state_json() const override {
    auto importances = tree_.impurity_decrease_per_feature();
    double total = 0.0;
    for (const double v : importances) total += v;
    if (total > 0.0) {
      for (auto& v : importances) v /= total;
    }
    return nlohmann::json{{"tree", tree_.to_json()}, {"feature_importances", importances}}.dump();
  }

  void load_state(const detail::ParsedJson& state) override {
    const nlohmann::json& j = state.json;
    if (!j.is_object() || !j.contains("tree")) throw InvalidArgument("decision-tree state: no 'tree'");
    detail::DecisionTree tree;
    tree.from_json(j["tree"], n_features(), n_classes(), "decision-tree state");
    tree_ = std::move(tree);
  }

 private:
  detail::DecisionTree tree_;
};

}  // namespace

namespace detail {

const MethodSchema& decision_tree_schema() {
  static const MethodSchema schema = [] {
    MethodSchema s;
    s.name = "decision-tree";
    s.python_class = "DecisionTreeClassifier";
    s.python_module = "tree";
    s.family = "tree";
    s.summary = "CART classification tree (gini / entropy, best or random splitter, weighted)";
    s.reference = "Breiman, Friedman, Olshen & Stone, Classification and Regression Trees, 1984; "
                  "scikit-learn DecisionTreeClassifier";
    s.params = tree_param_specs("none", true);
    ParamSpec class_weight;
    class_weight.name = "class_weight";
    class_weight.type = ParamType::ClassWeight;
    class_weight.default_value = std::monostate{};
    class_weight.doc = "Class weights: none, balanced (n / (K * count)) or 'class:weight,...'";
    class_weight.nullable = true;
    class_weight.choices = {"balanced"};
    class_weight.min = 0.0;
    s.params.push_back(class_weight);
    return s;
  }();
  return schema;
}

std::unique_ptr<Model> decision_tree_create(Params params, ModelOptions options) {
  return std::make_unique<DecisionTreeModel>(decision_tree_schema(), std::move(params), options);
}

}  // namespace detail

}  // namespace imbal
