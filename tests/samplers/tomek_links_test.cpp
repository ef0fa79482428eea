// tomek-links: the targeted end of every Tomek link is removed, the rest kept in input order.
#include <gtest/gtest.h>

#include <numeric>

#include "imbal/error.hpp"
#include "imbal/registry.hpp"
#include "samplers/cleaning_oracle.hpp"

namespace imbal {
namespace {

using testing_oracle::Data;

ResampleResult tomek(const Data& d, SamplingStrategy strategy = {}, int jobs = 1) {
  SamplerOptions options;
  options.sampling_strategy = std::move(strategy);
  options.n_jobs = jobs;
  return make_sampler("tomek-links", options)->fit_resample(d.view(), d.y, d.n_classes);
}

// What the definition keeps: rows not ending a link, or ending one but of a class not cleaned.
std::vector<std::size_t> expected(const Data& d, const std::vector<bool>& clean) {
  std::vector<std::size_t> rows(d.rows);
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  const auto ends = testing_oracle::tomek_ends(d, rows);
  std::vector<std::size_t> kept;
  for (const auto r : rows) {
    if (!(ends[r] && clean[static_cast<std::size_t>(d.y[r])])) kept.push_back(r);
  }
  return kept;
}

TEST(TomekLinks, RemovesTheMajorityEndOnly) {
  Data d;
  d.cols = 1;
  d.n_classes = 2;
  // (1, 2) is a link; (4, 5) too; 7 is minority but its nearest row 8 is nearer to 9.
  d.X = {0.0, 1.0, 1.2, 3.0, 4.0, 4.1, 6.0, 7.0, 7.9, 8.5};
  d.y = {0, 0, 1, 0, 0, 1, 0, 1, 0, 0};
  d.rows = 10;
  const auto r = tomek(d);
  EXPECT_EQ(*r.sample_indices, (std::vector<std::size_t>{0, 2, 3, 5, 6, 7, 8, 9}));
  EXPECT_EQ(*r.sample_indices, expected(d, {true, false}));
  // 'all': both ends go.
  const auto all = tomek(d, SamplingStrategy::named(SamplingStrategy::Kind::All));
  EXPECT_EQ(*all.sample_indices, (std::vector<std::size_t>{0, 3, 6, 7, 8, 9}));
  EXPECT_EQ(*all.sample_indices, expected(d, {true, true}));
}

TEST(TomekLinks, EqualsTheDefinitionOnBlobsGridsAndDuplicates) {
  const std::vector<Data> cases{testing_oracle::blobs({500, 20}, 4, 1), testing_oracle::blobs({300, 60, 25}, 3, 2),
                                testing_oracle::grid(600, 3, 3, 3), testing_oracle::blobs({1500, 15}, 20, 4, 0.2)};
  for (const auto& d : cases) {
    for (const int jobs : {1, 2}) {
      const auto r = tomek(d, {}, jobs);
      const auto plan = r.plan;
      std::vector<bool> clean(d.n_classes);
      for (const auto& c : plan.classes) clean[static_cast<std::size_t>(c.label)] = c.targeted;
      EXPECT_EQ(*r.sample_indices, expected(d, clean));
      EXPECT_EQ(r.indices, *r.sample_indices);
    }
  }
}

TEST(TomekLinks, ClassListStrategyCleansOnlyThoseClasses) {
  const auto d = testing_oracle::blobs({200, 80, 30}, 2, 5, 0.6);
  const auto r = tomek(d, SamplingStrategy::from_classes({1}));
  EXPECT_EQ(*r.sample_indices, expected(d, {false, true, false}));
}

TEST(TomekLinks, RefusesCategoricalColumns) {
  const auto d = testing_oracle::blobs({30, 10}, 2, 6);
  auto sampler = make_sampler("tomek-links");
  try {
    sampler->fit_resample(d.view(), d.y, 2, std::vector<bool>{false, true});
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("categorical"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace imbal
