// enn: Wilson's editing of the cleaned classes, kind_sel 'all' and 'mode', against the naive oracle.
#include <gtest/gtest.h>

#include <numeric>

#include "imbal/error.hpp"
#include "imbal/registry.hpp"
#include "samplers/cleaning_oracle.hpp"

namespace imbal {
namespace {

using testing_oracle::Data;

ResampleResult enn(const Data& d, std::vector<std::string> params = {}, SamplingStrategy strategy = {}, int jobs = 1) {
  SamplerOptions options;
  options.sampling_strategy = std::move(strategy);
  options.n_jobs = jobs;
  return make_sampler("enn", params, options)->fit_resample(d.view(), d.y, d.n_classes);
}

std::vector<std::size_t> all_rows(const Data& d) {
  std::vector<std::size_t> rows(d.rows);
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  return rows;
}

TEST(Enn, DefaultsAreImbalancedLearns) {
  const auto& schema = make_sampler("enn")->schema();
  EXPECT_EQ(schema.python_class, "EditedNearestNeighbours");
  const Params p(schema);
  EXPECT_EQ(p.get_int("n_neighbors"), 3);
  EXPECT_EQ(p.get_string("kind_sel"), "all");
  EXPECT_TRUE(schema.provides_sample_indices);
}

TEST(Enn, AllAndModeOnAHandCase) {
  Data d;
  d.cols = 1;
  d.n_classes = 2;
  // Row 3 (class 0) has neighbours 2 (1), 4 (1), 1 (0): 'all' removes it, 'mode' too (two of three
  // are class 1). Row 5 (class 0): neighbours 4 (1), 6 (0), 7 (0): 'all' removes, 'mode' keeps.
  d.X = {0.0, 1.0, 2.9, 3.0, 3.1, 4.5, 5.0, 5.2, 9.0, 9.5, 9.7, 10.0};
  d.y = {0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0};
  d.rows = 12;
  const auto all = enn(d);
  const auto mode = enn(d, {"kind_sel=mode"});
  EXPECT_EQ(*all.sample_indices, testing_oracle::enn_pass(d, all_rows(d), {true, false}, 3, false));
  EXPECT_EQ(*mode.sample_indices, testing_oracle::enn_pass(d, all_rows(d), {true, false}, 3, true));
  auto has = [](const std::vector<std::size_t>& v, std::size_t r) { return std::count(v.begin(), v.end(), r) == 1; };
  EXPECT_FALSE(has(*all.sample_indices, 3));
  EXPECT_FALSE(has(*mode.sample_indices, 3));
  EXPECT_FALSE(has(*all.sample_indices, 5));
  EXPECT_TRUE(has(*mode.sample_indices, 5));
  EXPECT_TRUE(has(*all.sample_indices, 2) && has(*all.sample_indices, 4)) << "the minority is not cleaned";
}

TEST(Enn, EqualsTheDefinition) {
  const std::vector<Data> cases{testing_oracle::blobs({800, 10}, 6, 1), testing_oracle::blobs({300, 60, 25}, 3, 2),
                                testing_oracle::grid(600, 3, 3, 3), testing_oracle::blobs({800, 12}, 20, 4, 0.2)};
  for (const auto& d : cases) {
    for (const std::string kind : {"all", "mode"}) {
      for (const std::string k : {"1", "3", "7"}) {
        const auto r = enn(d, {"n_neighbors=" + k, "kind_sel=" + kind}, {}, 2);
        std::vector<bool> clean(d.n_classes);
        for (const auto& c : r.plan.classes) clean[static_cast<std::size_t>(c.label)] = c.targeted;
        EXPECT_EQ(*r.sample_indices, testing_oracle::enn_pass(d, all_rows(d), clean, std::stoul(k), kind == "mode"));
      }
    }
  }
}

TEST(Enn, TooFewRowsAndBadParametersAreClearErrors) {
  const auto d = testing_oracle::blobs({2, 1}, 2, 3);
  try {
    enn(d);
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("n_neighbors=3 needs at least 4 rows"), std::string::npos) << e.what();
  }
  EXPECT_THROW(make_sampler("enn", {"n_neighbors=0"}), InvalidArgument);
  EXPECT_THROW(make_sampler("enn", {"kind_sel=most"}), InvalidArgument);
}

}  // namespace
}  // namespace imbal
