// make_imbalance: random under-sampling to per-class counts, rows kept in their original order.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "imbal/error.hpp"
#include "imbal/generators.hpp"
#include "imbal/registry.hpp"

namespace imbal {
namespace {

// 50 rows per class, like iris (imbalanced-learn's documentation example); row i has the
// features (i, -i) so every row is recognisable.
Dataset three_classes() {
  Matrix X(150, 2);
  std::vector<std::int32_t> y(150);
  for (std::size_t i = 0; i < 150; ++i) {
    X(i, 0) = static_cast<double>(i);
    X(i, 1) = -static_cast<double>(i);
    y[i] = static_cast<std::int32_t>(i % 3);
  }
  std::vector<Column> columns(2);
  columns[0].name = "a";
  columns[1].name = "b";
  ClassLabels labels;
  labels.names = {"setosa", "versicolor", "virginica"};
  return Dataset(std::move(X), std::move(y), std::move(columns), std::move(labels), "species");
}

// The source row of each output row (column 0 holds the row number).
std::vector<std::size_t> source_rows(const Dataset& d) {
  std::vector<std::size_t> rows(d.rows());
  for (std::size_t i = 0; i < d.rows(); ++i) rows[i] = static_cast<std::size_t>(d.X()(i, 0));
  return rows;
}

std::string error_of(const Dataset& d, const SamplingStrategy& s) {
  try {
    (void)make_imbalance(d, s, 0);
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(MakeImbalance, CountsAsImbalancedLearnsExample) {
  const Dataset data = three_classes();
  const auto out = make_imbalance(data, SamplingStrategy::from_counts({{0, 10}, {1, 20}, {2, 30}}), 42);
  EXPECT_EQ(out.class_counts(), (std::vector<std::size_t>{10, 20, 30}));
  EXPECT_EQ(out.cols(), 2U);
  EXPECT_EQ(out.columns()[0].name, "a");
  EXPECT_EQ(out.classes().names, data.classes().names);
  EXPECT_EQ(out.target_name(), "species");
}

TEST(MakeImbalance, KeepsRowsInOriginalOrderAndIntact) {
  const Dataset data = three_classes();
  const auto out = make_imbalance(data, SamplingStrategy::from_counts({{0, 5}, {2, 40}}), 7);
  EXPECT_EQ(out.class_counts(), (std::vector<std::size_t>{5, 50, 40}));  // class 1 untouched
  const auto rows = source_rows(out);
  EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end()));
  EXPECT_EQ(std::adjacent_find(rows.begin(), rows.end()), rows.end());  // without replacement
  for (std::size_t i = 0; i < out.rows(); ++i) {
    EXPECT_EQ(out.X()(i, 1), -static_cast<double>(rows[i]));
    EXPECT_EQ(out.y()[i], data.y()[rows[i]]);
  }
}

TEST(MakeImbalance, SameRowsAsRandomUnderSampler) {
  const Dataset data = three_classes();
  const auto strategy = SamplingStrategy::from_counts({{0, 12}, {1, 3}});
  const auto out = make_imbalance(data, strategy, 123);

  SamplerOptions options;
  options.sampling_strategy = strategy;
  options.random_state = 123;
  ResampleResult details;
  (void)make_sampler("random-under", options)->fit_resample(data, &details);
  auto expected = details.indices;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(source_rows(out), expected);
}

TEST(MakeImbalance, Deterministic) {
  const Dataset data = three_classes();
  const auto strategy = SamplingStrategy::from_counts({{0, 10}, {1, 20}, {2, 30}});
  EXPECT_EQ(source_rows(make_imbalance(data, strategy, 1)), source_rows(make_imbalance(data, strategy, 1)));
  EXPECT_NE(source_rows(make_imbalance(data, strategy, 1)), source_rows(make_imbalance(data, strategy, 2)));
}

TEST(MakeImbalance, NamedStrategies) {
  const Dataset data = make_imbalance(three_classes(), SamplingStrategy::from_counts({{1, 20}}), 0);
  // Under-sampling reading of "majority": shrink the largest class to the minority's count.
  const auto out = make_imbalance(data, SamplingStrategy::named(SamplingStrategy::Kind::Majority), 0);
  EXPECT_EQ(out.class_counts(), (std::vector<std::size_t>{20, 20, 50}));
  const auto all = make_imbalance(data, SamplingStrategy::named(SamplingStrategy::Kind::All), 0);
  EXPECT_EQ(all.class_counts(), (std::vector<std::size_t>{20, 20, 20}));
}

TEST(MakeImbalance, WorksOnGeneratedData) {
  MakeClassificationOptions o;
  o.n_samples = 3000;
  o.n_classes = 3;
  o.n_informative = 3;
  o.flip_y = 0.0;
  const Dataset data = make_classification(o);
  const auto out = make_imbalance(data, SamplingStrategy::from_counts({{1, 100}, {2, 10}}), 0);
  EXPECT_EQ(out.class_counts(), (std::vector<std::size_t>{1000, 100, 10}));
}

TEST(MakeImbalance, Errors) {
  const Dataset data = three_classes();
  auto expect = [&](const SamplingStrategy& s, const std::string& text) {
    const std::string message = error_of(data, s);
    EXPECT_NE(message.find(text), std::string::npos) << "message: " << message;
    EXPECT_EQ(message.rfind("make_imbalance: ", 0), 0U) << "message: " << message;
  };
  expect(SamplingStrategy::from_counts({{0, 60}}), "asks for 60 rows of");
  expect(SamplingStrategy::from_counts({{0, 60}}), "which has 50");
  expect(SamplingStrategy::from_counts({{7, 10}}), "not present in the data");
  expect(SamplingStrategy::from_counts({{1, -1}}), "cannot be negative");
  expect(SamplingStrategy::from_classes({0}), "cleaning methods only");

  Matrix X(3, 1, 1.0);
  std::vector<Column> columns(1);
  columns[0].name = "x";
  ClassLabels one;
  one.names = {"only"};
  const Dataset single(std::move(X), std::vector<std::int32_t>(3, 0), std::move(columns), one);
  const std::string message = error_of(single, SamplingStrategy::from_counts({{0, 1}}));
  EXPECT_NE(message.find("more than 1 class"), std::string::npos) << message;
}

}  // namespace
}  // namespace imbal
