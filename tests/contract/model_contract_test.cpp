// The contract every registered model must meet (DESIGN.md B). New models are picked up from
// the registry automatically. Bad input must give imbal::InvalidArgument, never a crash or a
// silent wrong answer.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "imbal/error.hpp"
#include "imbal/model_registry.hpp"
#include "imbal/random.hpp"

namespace imbal {
namespace {

struct Data {
  std::vector<double> X;
  std::vector<std::int32_t> y;
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::size_t n_classes = 0;
  MatrixView view() const { return {X.data(), rows, cols}; }
};

// Overlapping Gaussian blobs, one per class, `counts[c]` rows of class c (interleaved).
Data blobs(const std::vector<std::size_t>& counts, std::size_t cols, std::uint64_t seed) {
  Data d;
  d.cols = cols;
  d.n_classes = counts.size();
  Rng rng(seed);
  std::vector<std::size_t> left = counts;
  std::size_t total = 0;
  for (const auto c : counts) total += c;
  while (d.rows < total) {
    for (std::size_t c = 0; c < counts.size(); ++c) {
      if (left[c] == 0) continue;
      --left[c];
      for (std::size_t j = 0; j < cols; ++j) {
        d.X.push_back(rng.normal() + (j % counts.size() == c ? 1.0 : 0.0));
      }
      d.y.push_back(static_cast<std::int32_t>(c));
      ++d.rows;
    }
  }
  return d;
}

std::unique_ptr<Model> make(const std::string& name, int jobs = 1, std::vector<std::string> params = {}) {
  ModelOptions options;
  options.random_state = 7;
  options.n_jobs = jobs;
  return make_model(name, params, options);
}

std::vector<std::string> model_names() {
  std::vector<std::string> names;
  for (const auto& entry : models()) names.push_back(entry.schema().name);
  return names;
}

class ModelContract : public ::testing::TestWithParam<std::string> {};

void check_probabilities(const Model& model, const Data& d) {
  const Matrix p = model.predict_proba(d.view());
  ASSERT_EQ(p.rows(), d.rows);
  ASSERT_EQ(p.cols(), d.n_classes);
  const auto pred = model.predict(d.view());
  ASSERT_EQ(pred.size(), d.rows);
  for (std::size_t i = 0; i < d.rows; ++i) {
    double sum = 0.0;
    std::size_t best = 0;
    for (std::size_t c = 0; c < d.n_classes; ++c) {
      ASSERT_GE(p(i, c), 0.0);
      ASSERT_LE(p(i, c), 1.0);
      sum += p(i, c);
      if (p(i, c) > p(i, best)) best = c;
    }
    ASSERT_NEAR(sum, 1.0, 1e-12) << "row " << i;
    ASSERT_EQ(pred[i], static_cast<std::int32_t>(best)) << "predict is the most probable class";
  }
  const Matrix s = model.decision_function(d.view());
  ASSERT_EQ(s.rows(), d.rows);
  ASSERT_TRUE(s.cols() == d.n_classes || (d.n_classes == 2 && s.cols() == 1));
}

TEST_P(ModelContract, BinaryAndMulticlassProbabilitiesSumToOne) {
  for (const auto& counts : std::vector<std::vector<std::size_t>>{{60, 15}, {40, 25, 10, 5}}) {
    const Data d = blobs(counts, 3, 11);
    const Data before = d;
    auto model = make(GetParam());
    model->fit(d.view(), d.y, d.n_classes);
    EXPECT_EQ(d.X, before.X) << "input not mutated";
    ASSERT_TRUE(model->is_fitted());
    EXPECT_EQ(model->n_classes(), d.n_classes);
    EXPECT_EQ(model->n_features(), d.cols);
    check_probabilities(*model, d);
  }
}

TEST_P(ModelContract, OneClassIsAnError) {
  Data d = blobs({30}, 2, 3);
  auto model = make(GetParam());
  EXPECT_THROW(model->fit(d.view(), d.y, 1), InvalidArgument);
  // Two classes declared, one present.
  EXPECT_THROW(model->fit(d.view(), d.y, 2), InvalidArgument);
  EXPECT_FALSE(model->is_fitted());
}

TEST_P(ModelContract, BadShapesAndValuesAreClearErrors) {
  Data d = blobs({30, 10}, 3, 5);
  auto model = make(GetParam());
  EXPECT_THROW(model->predict_proba(d.view()), InvalidArgument) << "not fitted";
  EXPECT_THROW(model->save_json(), InvalidArgument) << "not fitted";
  std::vector<std::int32_t> short_y(d.y.begin(), d.y.end() - 1);
  EXPECT_THROW(model->fit(d.view(), short_y, 2), InvalidArgument);
  EXPECT_THROW(model->fit(MatrixView(d.X.data(), 0, 3), std::span<const std::int32_t>(), 2), InvalidArgument);
  std::vector<std::int32_t> bad_y = d.y;
  bad_y[3] = 5;
  EXPECT_THROW(model->fit(d.view(), bad_y, 2), InvalidArgument);
  Data nan = d;
  nan.X[7] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(model->fit(nan.view(), nan.y, 2), InvalidArgument);
  nan.X[7] = std::numeric_limits<double>::infinity();
  EXPECT_THROW(model->fit(nan.view(), nan.y, 2), InvalidArgument);
  std::vector<double> w(d.rows, 1.0);
  w[2] = -1.0;
  EXPECT_THROW(model->fit(d.view(), d.y, 2, w), InvalidArgument);
  w.pop_back();
  EXPECT_THROW(model->fit(d.view(), d.y, 2, w), InvalidArgument);
  std::vector<double> zero(d.rows, 0.0);
  EXPECT_THROW(model->fit(d.view(), d.y, 2, zero), InvalidArgument);

  model->fit(d.view(), d.y, 2);
  EXPECT_THROW(model->predict_proba(MatrixView(d.X.data(), 5, 2)), InvalidArgument) << "wrong feature count";
  nan = d;
  nan.X[0] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(model->predict(nan.view()), InvalidArgument);
  EXPECT_EQ(model->predict_proba(MatrixView(d.X.data(), 0, 3)).rows(), 0U);
}

TEST_P(ModelContract, SameSeedSameModelBytesAtAnyThreadCount) {
  // Large enough for the models to use several threads.
  const Data d = blobs({64000, 16000}, 12, 21);
  // Ensembles: 8 members (the property holds per member: each draws from its own stream; 100
  // full-depth trees on these rows would make a model file of ~100 MB).
  std::vector<std::string> params;
  const MethodSchema& schema = find_model(GetParam()).schema();
  if (schema.find("n_estimators") != nullptr) params.push_back("n_estimators=8");
  // Members that are ensembles themselves (easy-ensemble's AdaBoost): 5 rounds each, which keeps
  // the test to seconds (50 rounds x 8 members x 5 fits took 90 s, minutes under the sanitizers).
  if (GetParam() == "easy-ensemble") {
    params.push_back("estimator=adaboost(n_estimators=5)");
  }
  auto one = make(GetParam(), 1, params);
  auto two = make(GetParam(), 2, params);
  auto again = make(GetParam(), 1, params);
  one->fit(d.view(), d.y, d.n_classes);
  two->fit(d.view(), d.y, d.n_classes);
  again->fit(d.view(), d.y, d.n_classes);
  EXPECT_EQ(one->save_json(), two->save_json());
  EXPECT_EQ(one->save_json(), again->save_json());
  const Data m = blobs({20000, 12000, 6000}, 12, 22);
  one->fit(m.view(), m.y, m.n_classes);
  two->fit(m.view(), m.y, m.n_classes);
  EXPECT_EQ(one->save_json(), two->save_json());
}

TEST_P(ModelContract, SaveLoadRoundTripIsExact) {
  for (const auto& counts : std::vector<std::vector<std::size_t>>{{50, 20}, {30, 20, 10}}) {
    const Data d = blobs(counts, 4, 9);
    auto model = make(GetParam());
    ClassLabels labels;
    for (std::size_t c = 0; c < counts.size(); ++c) labels.names.push_back("class \"" + std::to_string(c) + "\"");
    model->fit(d.view(), d.y, d.n_classes, {}, &labels);
    const std::string text = model->save_json();
    auto loaded = load_model_json(text, "test.json");
    EXPECT_EQ(loaded->schema().name, GetParam());
    EXPECT_EQ(loaded->save_json(), text);
    EXPECT_EQ(loaded->classes().names, labels.names);
    const Matrix a = model->predict_proba(d.view());
    const Matrix b = loaded->predict_proba(d.view());
    EXPECT_EQ(a.storage(), b.storage()) << "bitwise equal probabilities";
    EXPECT_EQ(model->decision_function(d.view()).storage(), loaded->decision_function(d.view()).storage());
  }
}

TEST_P(ModelContract, CorruptedOrMismatchedFilesAreClearErrors) {
  const Data d = blobs({40, 20}, 3, 4);
  auto model = make(GetParam());
  model->fit(d.view(), d.y, d.n_classes);
  const std::string text = model->save_json();
  auto expect_error = [&](const std::string& bad, const std::string& words) {
    try {
      (void)load_model_json(bad, "m.json");
      ADD_FAILURE() << "accepted: " << bad.substr(0, 80);
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("m.json"), std::string::npos) << e.what();
    }
  };
  expect_error(text.substr(0, text.size() / 2), "truncated");
  expect_error("", "truncated");
  expect_error("[1,2]", "model");
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string s = text;
    const auto at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return s.replace(at, from.size(), to);
  };
  expect_error(replace("\"format\":\"imbal-model\"", "\"format\":\"other\""), "not an imbal model");
  expect_error(replace("\"format_version\":1", "\"format_version\":99"), "version 99");
  expect_error(replace("\"model\":\"" + GetParam() + "\"", "\"model\":\"no-such-model\""), "unknown model");
  expect_error(replace("\"n_features\":3", "\"n_features\":\"x\""), "n_features");
  expect_error(replace("\"state\":{", "\"other\":{"), "state");
  // A model with fewer features than its state holds.
  expect_error(replace("\"n_features\":3", "\"n_features\":2"), "n_features");
  // Loading into a model of another kind.
  for (const auto& entry : models()) {
    if (entry.schema().name == GetParam()) continue;
    auto other = make_model(entry.schema().name);
    EXPECT_THROW(other->load_json(text), InvalidArgument);
  }
}

TEST_P(ModelContract, DuplicatedRowsEqualWeightTwo) {
  if (find_model(GetParam()).schema().family != "linear") GTEST_SKIP() << "randomised models resample rows";
  const Data d = blobs({40, 15, 10}, 3, 8);
  Data dup = d;
  std::vector<double> w(d.rows, 1.0);
  for (std::size_t i = 0; i < d.rows; i += 3) {
    w[i] = 2.0;
    dup.X.insert(dup.X.end(), d.X.begin() + static_cast<std::ptrdiff_t>(i * d.cols),
                 d.X.begin() + static_cast<std::ptrdiff_t>((i + 1) * d.cols));
    dup.y.push_back(d.y[i]);
    ++dup.rows;
  }
  const std::vector<std::string> tight = {"tol=1e-10", "max_iter=1000"};
  auto weighted = make(GetParam(), 1, tight);
  auto duplicated = make(GetParam(), 1, tight);
  weighted->fit(d.view(), d.y, d.n_classes, w);
  duplicated->fit(dup.view(), dup.y, dup.n_classes);
  const Matrix a = weighted->predict_proba(d.view());
  const Matrix b = duplicated->predict_proba(d.view());
  for (std::size_t i = 0; i < a.storage().size(); ++i) ASSERT_NEAR(a.storage()[i], b.storage()[i], 1e-8);
}

INSTANTIATE_TEST_SUITE_P(Registry, ModelContract, ::testing::ValuesIn(model_names()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           std::string name = param_info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(ModelRegistry, UnknownNameListsTheValidOnes) {
  try {
    (void)make_model("no-such-model");
    FAIL() << "accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("logistic-regression"), std::string::npos) << e.what();
  }
  for (const auto& entry : models()) {
    const auto& s = entry.schema();
    EXPECT_FALSE(s.python_class.empty()) << s.name;
    EXPECT_FALSE(s.summary.empty()) << s.name;
    EXPECT_EQ(find_model(s.name).schema().name, s.name);
  }
}

}  // namespace
}  // namespace imbal
