// easy-ensemble: AdaBoost members on independent random under-samples of all rows.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "imbal/error.hpp"
#include "models/ensemble_test_data.hpp"

namespace imbal {
namespace {

using testdata::accuracy;
using testdata::blobs;
using testdata::make;

TEST(EasyEnsemble, MembersAreAdaBoostOnBalancedUnderSamples) {
  const auto d = blobs({400, 40}, 3, 1, 1.5);
  auto m = make("easy-ensemble", {"n_estimators=4"});
  m->fit(d.view(), d.y, d.K);
  const auto j = nlohmann::json::parse(m->save_json());
  ASSERT_EQ(j["state"]["members"].size(), 4U);
  for (const auto& member : j["state"]["members"]) {
    EXPECT_EQ(member["model"]["model"], "adaboost");
    // The member's stumps were fitted on 40 + 40 rows (no bootstrap: every minority row).
    const auto& stump = member["model"]["state"]["members"][0]["model"]["state"]["tree"];
    if (stump.contains("n_node_samples")) {
      EXPECT_EQ(stump["n_node_samples"][0], 80);
    }
  }
  EXPECT_GT(accuracy(*m, d), 0.8);
  // Members differ: each draws its own under-sample.
  EXPECT_NE(j["state"]["members"][0]["model"]["state"], j["state"]["members"][1]["model"]["state"]);
}

TEST(EasyEnsemble, ParametersAndErrors) {
  const auto d = blobs({200, 50}, 3, 2, 1.5);
  auto m = make("easy-ensemble", {"n_estimators=2", "estimator=decision-tree(max_depth=2)", "sampling_strategy=0.5",
                                  "replacement=true"});
  m->fit(d.view(), d.y, d.K);
  EXPECT_EQ(nlohmann::json::parse(m->save_json())["state"]["members"][0]["model"]["model"], "decision-tree");
  EXPECT_THROW(make("easy-ensemble", {"estimator=adaboost(n_estimators=0)"}), InvalidArgument);
  EXPECT_THROW(make("easy-ensemble", {"sampling_strategy=nope"})->fit(d.view(), d.y, d.K), InvalidArgument);
}

}  // namespace
}  // namespace imbal
