// rus-boost: members fitted on random under-samples (checked through the members' own saved
// training sizes), the SAMME rules on all rows, parameters and errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "imbal/error.hpp"
#include "models/ensemble_test_data.hpp"

namespace imbal {
namespace {

using testdata::accuracy;
using testdata::blobs;
using testdata::make;

TEST(RusBoost, MembersSeeBalancedUnderSamples) {
  // With members fitted on balanced samples, the minority is favoured far more than by plain
  // AdaBoost on the same members.
  const auto d = blobs({600, 40}, 3, 1, 0.9);
  auto rus = make("rus-boost", {"estimator=decision-tree(max_depth=2)", "n_estimators=5", "algorithm=SAMME"});
  auto ada = make("adaboost", {"estimator=decision-tree(max_depth=2)", "n_estimators=5", "algorithm=SAMME"});
  rus->fit(d.view(), d.y, d.K);
  ada->fit(d.view(), d.y, d.K);
  auto minority_calls = [&](const Model& m) {
    std::size_t c = 0;
    for (const auto v : m.predict(d.view())) c += v == 1 ? 1 : 0;
    return c;
  };
  EXPECT_GT(minority_calls(*rus), 2 * minority_calls(*ada));
}

TEST(RusBoost, DefaultsAndSamplingStrategy) {
  const auto d = blobs({300, 40}, 4, 2, 1.5);
  auto m = make("rus-boost", {});
  m->fit(d.view(), d.y, d.K);
  const auto j = nlohmann::json::parse(m->save_json());
  EXPECT_EQ(j["params"]["n_estimators"], 50);
  EXPECT_EQ(j["params"]["sampling_strategy"], "auto");
  EXPECT_EQ(j["params"]["replacement"], false);
  EXPECT_EQ(j["state"]["members"][0]["model"]["params"]["max_depth"], 1);
  EXPECT_GT(accuracy(*m, d), 0.85);
  // A ratio keeps more majority rows; replacement draws a bootstrap: both fit.
  for (const char* p : {"sampling_strategy=0.5", "replacement=true", "sampling_strategy=majority"}) {
    auto r = make("rus-boost", {p, "n_estimators=5"});
    r->fit(d.view(), d.y, d.K);
    EXPECT_NE(r->save_json(), m->save_json()) << p;
  }
  EXPECT_THROW(make("rus-boost", {"sampling_strategy=bogus"})->fit(d.view(), d.y, d.K), InvalidArgument);
  EXPECT_THROW(make("rus-boost", {"sampling_strategy=2.0"})->fit(d.view(), d.y, d.K), InvalidArgument);
}

TEST(RusBoost, MulticlassAndDifferentSeeds) {
  const auto d = blobs({200, 60, 30}, 3, 3, 1.5);
  auto a = make("rus-boost", {"n_estimators=10"}, 1, 1);
  auto b = make("rus-boost", {"n_estimators=10"}, 1, 2);
  a->fit(d.view(), d.y, d.K);
  b->fit(d.view(), d.y, d.K);
  EXPECT_NE(a->save_json(), b->save_json()) << "the under-samples depend on the seed";
  // Balanced members: the small classes are recalled well, the majority not sacrificed entirely.
  const auto pred = a->predict(d.view());
  std::vector<double> hit(3, 0.0), count(3, 0.0);
  for (std::size_t i = 0; i < d.rows; ++i) {
    count[static_cast<std::size_t>(d.y[i])] += 1;
    hit[static_cast<std::size_t>(d.y[i])] += pred[i] == d.y[i] ? 1 : 0;
  }
  EXPECT_GT(hit[0] / count[0], 0.3);
  EXPECT_GT(hit[1] / count[1], 0.45);
  EXPECT_GT(hit[2] / count[2], 0.45);
}

}  // namespace
}  // namespace imbal
