// Model files are parsed once: Model::load_json hands the parsed state to load_state, which the
// built-in models override. A model that implements only the string hook (load_state_json), as
// a model written outside the library may, must load through the default load_state; one that
// implements neither gets a clear error, not an endless recursion.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "imbal/error.hpp"
#include "imbal/model.hpp"
#include "imbal/model_registry.hpp"

namespace imbal {
namespace {

// Predicts the weighted class shares seen in fit.
class PriorModel final : public Model {
 public:
  static const MethodSchema& schema() {
    static const MethodSchema s{"prior-test", "PriorTest", "test", "model", "class shares", "", {}, false};
    return s;
  }
  PriorModel() : Model(schema(), Params(schema()), ModelOptions{}) {}
  std::vector<double> prior;
  int string_loads = 0;

 protected:
  void fit_hook(const ModelFitInput& input) override {
    prior.assign(input.n_classes, 0.0);
    double total = 0.0;
    for (std::size_t i = 0; i < input.y.size(); ++i) {
      prior[static_cast<std::size_t>(input.y[i])] += input.sample_weight[i];
      total += input.sample_weight[i];
    }
    for (double& p : prior) p /= total;
  }
  void proba_hook(MatrixView X, Matrix& out, int /*n_jobs*/) const override {
    for (std::size_t i = 0; i < X.rows; ++i) {
      for (std::size_t c = 0; c < prior.size(); ++c) out(i, c) = prior[c];
    }
  }
  std::string state_json() const override { return nlohmann::json{{"prior", prior}}.dump(); }
  void load_state_json(std::string_view state) override {
    ++string_loads;
    const auto j = nlohmann::json::parse(state.begin(), state.end());
    if (!j.contains("prior") || j["prior"].size() != n_classes()) throw InvalidArgument("prior-test: bad state");
    prior = j["prior"].get<std::vector<double>>();
  }
};

TEST(ModelLoading, AModelWithOnlyTheStringHookLoadsThroughTheDefault) {
  PriorModel fitted;
  const std::vector<double> X{0, 1, 2, 3, 4, 5};
  const std::vector<std::int32_t> y{0, 1, 1};
  fitted.fit(MatrixView(X.data(), 3, 2), y, 2);
  PriorModel loaded;
  loaded.load_json(fitted.save_json(), "prior.json");
  EXPECT_EQ(loaded.string_loads, 1);
  EXPECT_EQ(loaded.prior, fitted.prior);
  EXPECT_EQ(loaded.save_json(), fitted.save_json());
}

// Writes a state but forgets to read it back.
class ForgetfulModel final : public Model {
 public:
  ForgetfulModel() : Model(PriorModel::schema(), Params(PriorModel::schema()), ModelOptions{}) {}

 protected:
  void fit_hook(const ModelFitInput& /*input*/) override {}
  void proba_hook(MatrixView X, Matrix& out, int /*n_jobs*/) const override {
    for (std::size_t i = 0; i < X.rows; ++i) out(i, 0) = 1.0;
  }
  std::string state_json() const override { return "{}"; }
};

TEST(ModelLoading, AModelWithNeitherHookIsAClearError) {
  ForgetfulModel fitted;
  const std::vector<double> X{0, 1, 2, 3};
  const std::vector<std::int32_t> y{0, 1};
  fitted.fit(MatrixView(X.data(), 2, 2), y, 2);
  ForgetfulModel loaded;
  EXPECT_THROW(loaded.load_json(fitted.save_json(), "forgetful.json"), std::logic_error);
}

TEST(ModelLoading, RegisteredModelsRoundTripThroughOneParse) {
  // An ensemble of tree ensembles: every member is read from the parsed file.
  const std::vector<double> X{0, 0, 1, 1, 2, 0, 3, 1, 4, 0, 5, 1, 6, 0, 7, 1, 8, 0, 9, 1};
  const std::vector<std::int32_t> y{0, 0, 0, 1, 0, 1, 0, 1, 1, 1};
  ModelOptions options;
  options.random_state = 3;
  options.n_jobs = 1;
  for (const char* name : {"easy-ensemble", "random-forest", "adaboost", "decision-tree"}) {
    auto model = make_model(name, options);
    model->fit(MatrixView(X.data(), 10, 2), y, 2);
    const std::string text = model->save_json();
    const auto loaded = load_model_json(text, std::string(name) + ".json");
    EXPECT_EQ(loaded->save_json(), text) << name;
    EXPECT_EQ(loaded->predict_proba(MatrixView(X.data(), 10, 2)).storage(),
              model->predict_proba(MatrixView(X.data(), 10, 2)).storage())
        << name;
  }
}

}  // namespace
}  // namespace imbal
