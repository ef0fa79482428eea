// balanced-bagging: members on resampled bootstrap samples, any registered sampler, feature
// draws, out-of-bag score, parameters and errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "imbal/error.hpp"
#include "models/ensemble_test_data.hpp"

namespace imbal {
namespace {

using testdata::accuracy;
using testdata::blobs;
using testdata::make;

std::size_t member_rows(const nlohmann::json& member) {
  // The fitted tree's root holds the member's training rows.
  return member["model"]["state"]["tree"]["n_node_samples"][0].get<std::size_t>();
}

TEST(BalancedBagging, DefaultMembersAreTreesOnUnderSampledBootstraps) {
  const auto d = blobs({400, 40}, 3, 1, 1.5);
  auto m = make("balanced-bagging", {});
  m->fit(d.view(), d.y, d.K);
  const auto j = nlohmann::json::parse(m->save_json());
  ASSERT_EQ(j["state"]["members"].size(), 10U);
  for (const auto& member : j["state"]["members"]) {
    EXPECT_EQ(member["model"]["model"], "decision-tree");
    EXPECT_TRUE(member["features"].empty());
    if (member["model"]["state"]["tree"].contains("n_node_samples")) {
      // A bootstrap of 440 rows holds ~40 minority rows: under-sampled to twice that.
      EXPECT_LT(member_rows(member), 140U);
    }
  }
  EXPECT_GT(accuracy(*m, d), 0.8);
  EXPECT_FALSE(j["state"].contains("oob_score"));
}

TEST(BalancedBagging, AnyRegisteredSamplerWithParameters) {
  const auto d = blobs({200, 30}, 3, 2, 1.5);
  for (const char* s : {"sampler=smote(k_neighbors=3)", "sampler=random-over", "sampler=tomek-links",
                        "sampler=near-miss(version=2)"}) {
    auto m = make("balanced-bagging", {s, "n_estimators=3"});
    m->fit(d.view(), d.y, d.K);
    EXPECT_GT(accuracy(*m, d), 0.55) << s;  // near-miss-2 keeps atypical majority rows
  }
  EXPECT_THROW(make("balanced-bagging", {"sampler=no-such-sampler"})->fit(d.view(), d.y, d.K), InvalidArgument);
  EXPECT_THROW(make("balanced-bagging", {"sampler=smote(k_neighbors=0)"}), InvalidArgument);
}

TEST(BalancedBagging, FeatureDrawsAndOutOfBagScore) {
  const auto d = blobs({300, 60}, 6, 3, 1.2);
  auto m = make("balanced-bagging", {"max_features=0.5", "oob_score=true", "n_estimators=20"});
  m->fit(d.view(), d.y, d.K);
  const auto j = nlohmann::json::parse(m->save_json());
  for (const auto& member : j["state"]["members"]) {
    EXPECT_EQ(member["features"].size(), 3U);
    EXPECT_EQ(member["model"]["n_features"], 3);
  }
  const double oob = j["state"]["oob_score"].get<double>();
  EXPECT_GT(oob, 0.6);
  EXPECT_LE(oob, 1.0);
  auto bf = make("balanced-bagging", {"max_features=4", "bootstrap_features=true", "n_estimators=3"});
  bf->fit(d.view(), d.y, d.K);
  EXPECT_EQ(nlohmann::json::parse(bf->save_json())["state"]["members"][0]["features"].size(), 4U);
  EXPECT_THROW(make("balanced-bagging", {"oob_score=true", "bootstrap=false"})->fit(d.view(), d.y, d.K), InvalidArgument);
  EXPECT_THROW(make("balanced-bagging", {"max_samples=100000"})->fit(d.view(), d.y, d.K), InvalidArgument);
  EXPECT_THROW(make("balanced-bagging", {"max_samples=2.5"})->fit(d.view(), d.y, d.K), InvalidArgument);
  EXPECT_THROW(make("balanced-bagging", {"max_features=7"})->fit(d.view(), d.y, d.K), InvalidArgument);
  EXPECT_THROW(make("balanced-bagging", {"estimator=decision-tree(max_depth=0)"}), InvalidArgument);
}

TEST(BalancedBagging, MembersWithAMissingClassStillPredictEveryClass) {
  // Tiny classes: some bootstrap samples miss class 2 entirely.
  const auto d = blobs({60, 20, 2}, 3, 4, 2.0);
  auto m = make("balanced-bagging", {"n_estimators=15", "sampling_strategy=not minority"});
  m->fit(d.view(), d.y, d.K);
  const Matrix p = m->predict_proba(d.view());
  ASSERT_EQ(p.cols(), 3U);
  auto loaded = load_model_json(m->save_json());
  EXPECT_EQ(loaded->predict_proba(d.view()).storage(), p.storage());
}

}  // namespace
}  // namespace imbal
