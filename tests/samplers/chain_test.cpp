#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "imbal/error.hpp"
#include "imbal/registry.hpp"

namespace imbal {
namespace {

struct Blobs {
  std::vector<double> X;
  std::vector<std::int32_t> y;
  MatrixView view() const { return MatrixView(X.data(), y.size(), 2); }
};

Blobs blobs() {
  Blobs b;
  Rng rng(11);
  for (int i = 0; i < 300; ++i) {
    const std::int32_t label = i % 10 == 0 ? 1 : 0;
    b.X.push_back(rng.normal() + 1.5 * label);
    b.X.push_back(rng.normal());
    b.y.push_back(label);
  }
  return b;
}

SamplerOptions seeded(std::uint64_t seed, std::string_view strategy = "auto") {
  SamplerOptions options;
  options.random_state = seed;
  const ClassLabels labels{{"0", "1"}, true};
  options.sampling_strategy = SamplingStrategy::parse(strategy, labels);
  return options;
}

TEST(Chain, FirstStageIsThePlainMethodWithTheSameSeedAndLaterStagesSelectFromItsOutput) {
  const Blobs b = blobs();
  const auto chain = make_sampler("smote+random-under", {"k_neighbors=3", "random-under.sampling_strategy=0.8"},
                                  seeded(5, "0.5"));
  const auto r = chain->fit_resample(b.view(), b.y, 2);
  const auto plain = make_sampler("smote", {"k_neighbors=3"}, seeded(5, "0.5"))->fit_resample(b.view(), b.y, 2);
  // SMOTE takes class 1 from 30 to 135; random-under then takes class 0 from 270 to 135 / 0.8.
  EXPECT_EQ(std::count(r.y.begin(), r.y.end(), 1), 135);
  EXPECT_EQ(std::count(r.y.begin(), r.y.end(), 0), 168);
  ASSERT_EQ(r.indices.size(), r.n_copied);
  for (std::size_t i = 0; i < r.n_copied; ++i) {
    EXPECT_EQ(r.X(i, 0), b.X[2 * r.indices[i]]);
    EXPECT_EQ(r.y[i], b.y[r.indices[i]]);
  }
  // Every new row is one of plain SMOTE's new rows, with the same provenance, in input rows.
  ASSERT_EQ(r.provenance.size(), r.y.size() - r.n_copied);
  for (std::size_t k = 0; k < r.provenance.size(); ++k) {
    const auto& p = r.provenance[k];
    const auto same = std::find_if(plain.provenance.begin(), plain.provenance.end(), [&](const Provenance& q) {
      return q.parent == p.parent && q.neighbor == p.neighbor && q.step == p.step;
    });
    ASSERT_NE(same, plain.provenance.end());
    const std::size_t row = r.n_copied + k;
    const std::size_t plain_row = plain.n_copied + static_cast<std::size_t>(same - plain.provenance.begin());
    EXPECT_EQ(r.X(row, 0), plain.X(plain_row, 0));
    EXPECT_EQ(r.X(row, 1), plain.X(plain_row, 1));
  }
  EXPECT_FALSE(r.sample_indices.has_value()) << "smote has no sample indices, so the chain has none";
}

TEST(Chain, SameSeedSameOutputAtAnyThreadCount) {
  const Blobs b = blobs();
  auto one = seeded(8);
  one.n_jobs = 1;
  auto two = seeded(8);
  two.n_jobs = 2;
  const auto a = make_sampler("random-under+smote", {}, one)->fit_resample(b.view(), b.y, 2);
  const auto c = make_sampler("random-under+smote", {}, two)->fit_resample(b.view(), b.y, 2);
  EXPECT_EQ(a.X.rows(), c.X.rows());
  EXPECT_TRUE(std::equal(a.X.data(), a.X.data() + a.X.rows() * 2, c.X.data()));
  EXPECT_EQ(a.y, c.y);
}

TEST(Chain, SampleIndicesWhenEveryStageHasThem) {
  const Blobs b = blobs();
  const auto r = make_sampler("random-under+random-over", {"random-over.shrinkage=0.5",
                                                           "random-over.sampling_strategy=1.0"},
                              seeded(3, "0.5"))
                     ->fit_resample(b.view(), b.y, 2);
  ASSERT_TRUE(r.sample_indices.has_value());
  ASSERT_EQ(r.sample_indices->size(), r.y.size());
  for (std::size_t i = 0; i < r.y.size(); ++i) EXPECT_EQ(r.y[i], b.y[(*r.sample_indices)[i]]);
  EXPECT_EQ(std::count(r.y.begin(), r.y.end(), 0), 60);
  EXPECT_EQ(std::count(r.y.begin(), r.y.end(), 1), 60);
}

TEST(Chain, ParameterNamesAndErrors) {
  EXPECT_NO_THROW(make_sampler("smote+random-under", {"smote.k_neighbors=2", "replacement=true"}));
  EXPECT_THROW(make_sampler("smote+smote", {"k_neighbors=2"}), InvalidArgument);  // ambiguous
  EXPECT_NO_THROW(make_sampler("smote+smote", {"smote2.k_neighbors=2"}));
  EXPECT_THROW(make_sampler("smote+"), InvalidArgument);
  EXPECT_THROW(make_sampler("smote+no-such"), InvalidArgument);
  EXPECT_THROW(make_sampler("smote+random-under", {"smote.sampling_strategy=all"}), InvalidArgument);
  try {
    make_sampler("smote+smote", {"k_neighbors=2"});
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("smote.k_neighbors, smote2.k_neighbors"), std::string::npos) << e.what();
  }
}

TEST(Chain, StageErrorsAndWarningsNameTheStage) {
  Blobs b = blobs();
  const auto bad = make_sampler("random-under+random-over", {"random-over.sampling_strategy=nonsense"}, seeded(1));
  try {
    bad->fit_resample(b.view(), b.y, 2);
    FAIL() << "expected an error";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("stage 2 (random-over, parameters random-over.*)"), std::string::npos)
        << e.what();
  }
  // Class 1 with 3 rows: smote reduces k under reduce_k, and the chain's warning names the stage.
  Blobs small;
  for (std::size_t i = 0; i < 40; ++i) {
    small.X.push_back(static_cast<double>(i));
    small.X.push_back(0.0);
    small.y.push_back(i < 37 ? 0 : 1);
  }
  auto options = seeded(2);
  options.reduce_k = true;
  const auto r = make_sampler("smote+random-under", {}, options)->fit_resample(small.view(), small.y, 2);
  ASSERT_EQ(r.warnings.size(), 1U);
  EXPECT_NE(r.warnings[0].find("stage 1 (smote, parameters smote.*): smote: class 1 has 3 rows"), std::string::npos)
      << r.warnings[0];
}

}  // namespace
}  // namespace imbal
