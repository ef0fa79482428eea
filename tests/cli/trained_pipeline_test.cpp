// The file `imbal train` writes and `imbal predict` reads (cli/trained_pipeline.cpp, compiled into
// this test): a train -> file -> predict round trip reproduces the in-memory predictions bit for
// bit, columns are matched by name, categorical levels by spelling, and bad files are clear errors.
#include <gtest/gtest.h>

#include <charconv>
#include <string>
#include <vector>

#include "imbal/csv.hpp"
#include "imbal/error.hpp"
#include "imbal/model_registry.hpp"
#include "trained_pipeline.hpp"

namespace imbal::cli {
namespace {

const char* kTrain =
    "a,colour,b,target\n"
    "0.5,red,1.25,yes\n1.5,blue,-0.5,no\n-0.25,red,2.0,yes\n2.0,green,0.0,no\n0.75,blue,1.0,yes\n"
    "1.75,green,-1.0,no\n0.1,red,0.3,no\n1.1,blue,0.9,yes\n";

TrainedPipeline train(const Dataset& data, std::vector<std::string> params = {}) {
  TrainedPipeline p;
  p.columns = data.columns();
  p.target = data.target_name();
  p.classes = data.classes();
  PipelineConfig c;
  c.model_params = std::move(params);
  c.random_state = 1;
  c.n_jobs = 1;
  p.pipeline = Pipeline(c);
  p.pipeline.fit(data);
  return p;
}

TEST(TrainedPipeline, FileRoundTripReproducesInMemoryPredictionsExactly) {
  const Dataset data = parse_csv(kTrain, "train.csv");
  const TrainedPipeline fitted = train(data, {"C=3", "class_weight=yes:2"});
  const Matrix in_memory = fitted.pipeline.predict_proba(data.X());

  const TrainedPipeline loaded = TrainedPipeline::from_json(fitted.to_json(), "model.json", 1);
  EXPECT_EQ(loaded.to_json(), fitted.to_json());
  const Matrix X = loaded.features_of(data, false, "train.csv");
  const Matrix from_file = loaded.pipeline.predict_proba(X);
  EXPECT_EQ(from_file.storage(), in_memory.storage());
  // The CSV spelling of a probability reads back to the same double.
  for (const double p : from_file.storage()) {
    std::string text;
    append_number(text, p);
    double back = 0.0;
    std::from_chars(text.data(), text.data() + text.size(), back);
    EXPECT_EQ(back, p);
  }

  // Columns in another order, no target column, categorical levels in another order of
  // appearance: the same features.
  const Dataset other = parse_csv(
      "b,colour,a\n1.25,green,0.5\n-0.5,blue,1.5\n", "new.csv", CsvReadOptions{',', "", {}, false});
  // Without a target column the reader holds the last column ('a') as the target.
  const Matrix Y = loaded.features_of(other, true, "new.csv");
  ASSERT_EQ(Y.rows(), 2U);
  EXPECT_EQ(Y(0, 0), 0.5);
  EXPECT_EQ(Y(0, 2), 1.25);
  EXPECT_EQ(Y(1, 0), 1.5);
  const auto& levels = data.columns()[1].levels;
  EXPECT_EQ(levels[static_cast<std::size_t>(Y(0, 1))], "green");
  EXPECT_EQ(levels[static_cast<std::size_t>(Y(1, 1))], "blue");
}

TEST(TrainedPipeline, MissingColumnsUnknownLevelsAndBadFilesAreErrors) {
  const Dataset data = parse_csv(kTrain, "train.csv");
  const TrainedPipeline fitted = train(data);
  const std::string text = fitted.to_json();
  const Dataset missing = parse_csv("a,colour,target\n1,red,yes\n2,blue,no\n", "m.csv");
  EXPECT_THROW(fitted.features_of(missing, false, "m.csv"), DataError);
  const Dataset unseen = parse_csv("a,colour,b,target\n1,purple,2,yes\n2,red,1,no\n", "u.csv");
  try {
    fitted.features_of(unseen, false, "u.csv");
    FAIL() << "accepted an unseen level";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("purple"), std::string::npos) << e.what();
  }
  EXPECT_THROW(TrainedPipeline::from_json(text.substr(0, 100), "f.json", 1), InvalidArgument);
  EXPECT_THROW(TrainedPipeline::from_json("{\"format\": \"imbal-model\"}", "f.json", 1), InvalidArgument);
  std::string other_version = text;
  other_version.replace(other_version.find("\"format_version\": 2"), 19, "\"format_version\": 3");
  EXPECT_THROW(TrainedPipeline::from_json(other_version, "f.json", 1), InvalidArgument);
}

TEST(TrainedPipeline, VersionOneModelFilesStillLoad) {
  const Dataset data = parse_csv(kTrain, "train.csv");
  auto model = make_model("logistic-regression", {"C=2"}, ModelOptions{1, 1});
  model->fit(data);  // on the raw columns: the colour codes are a feature
  std::string v1 = R"({"format": "imbal-pipeline", "format_version": 1, "target": "target", "classes": ["no", "yes"],
    "columns": [{"name": "a", "kind": "numeric"}, {"name": "colour", "kind": "categorical",
    "levels": ["red", "blue", "green"]}, {"name": "b", "kind": "numeric"}], "sample_weight_column": null,
    "steps": [{"step": "model", "model": )";
  v1 += model->save_json() + "}]}";
  const TrainedPipeline loaded = TrainedPipeline::from_json(v1, "old.json", 1);
  const Matrix X = loaded.features_of(data, false, "train.csv");
  EXPECT_EQ(loaded.pipeline.predict_proba(X).storage(), model->predict_proba(data.X()).storage());
  EXPECT_EQ(loaded.pipeline.predict(X), model->predict(data.X()));
  // Written back, it is a version-2 file that reads to the same predictions.
  const TrainedPipeline again = TrainedPipeline::from_json(loaded.to_json(), "new.json", 1);
  EXPECT_EQ(again.pipeline.predict_proba(X).storage(), model->predict_proba(data.X()).storage());
}

}  // namespace
}  // namespace imbal::cli
