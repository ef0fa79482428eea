// renn: repeated ENN passes with imbalanced-learn's stopping rules, against the naive loop.
#include <gtest/gtest.h>

#include "imbal/error.hpp"
#include "imbal/registry.hpp"
#include "samplers/cleaning_oracle.hpp"

namespace imbal {
namespace {

using testing_oracle::Data;

ResampleResult renn(const Data& d, std::vector<std::string> params = {}, SamplingStrategy strategy = {}, int jobs = 1) {
  SamplerOptions options;
  options.sampling_strategy = std::move(strategy);
  options.n_jobs = jobs;
  return make_sampler("renn", params, options)->fit_resample(d.view(), d.y, d.n_classes);
}

TEST(Renn, DefaultsAreImbalancedLearns) {
  const Params p(make_sampler("renn")->schema());
  EXPECT_EQ(p.get_int("n_neighbors"), 3);
  EXPECT_EQ(p.get_int("max_iter"), 100);
  EXPECT_EQ(p.get_string("kind_sel"), "all");
}

TEST(Renn, EqualsTheNaiveLoop) {
  const std::vector<Data> cases{testing_oracle::blobs({500, 30}, 4, 1, 0.8), testing_oracle::blobs({300, 90, 60}, 3, 2, 0.7),
                                testing_oracle::grid(500, 3, 3, 3), testing_oracle::blobs({600, 20}, 20, 4, 0.3)};
  for (const auto& d : cases) {
    for (const bool mode : {false, true}) {
      for (const std::size_t max_iter : {1U, 2U, 100U}) {
        const auto r = renn(d, {std::string("kind_sel=") + (mode ? "mode" : "all"), "max_iter=" + std::to_string(max_iter)},
                            {}, 2);
        EXPECT_EQ(*r.sample_indices, testing_oracle::repeated(d, true, 3, mode, max_iter))
            << "rows " << d.rows << " mode " << mode << " max_iter " << max_iter;
      }
    }
  }
}

TEST(Renn, MaxIterOneIsEnn) {
  const auto d = testing_oracle::blobs({500, 50}, 3, 5, 0.6);
  SamplerOptions options;
  const auto a = make_sampler("renn", {"max_iter=1"}, options)->fit_resample(d.view(), d.y, 2);
  const auto b = make_sampler("enn", {}, options)->fit_resample(d.view(), d.y, 2);
  EXPECT_EQ(*a.sample_indices, *b.sample_indices);
}

TEST(Renn, StopsWhenACleanedClassBecomesSmallerThanTheMinority) {
  // Class 0 (12 rows) sits inside class 1 (10 rows, the minority... no: class 1 is the minority with
  // 10 rows), strategy 'all' cleans both; the loop stops after the first pass that leaves a class
  // below 10 rows.
  const auto d = testing_oracle::blobs({12, 10}, 2, 6, 0.1);
  const auto r = renn(d, {}, SamplingStrategy::named(SamplingStrategy::Kind::All));
  EXPECT_EQ(*r.sample_indices,
            testing_oracle::repeated(d, true, 3, false, 100, false, SamplingStrategy::named(SamplingStrategy::Kind::All)));
}

TEST(Renn, NIterCountsThePassesThatRan) {
  // imbalanced-learn's n_iter_: the pass that stopped the loop included (a pass that removed
  // nothing, or the one after which a rule stopped it). Every earlier pass removed rows.
  const std::vector<Data> cases{testing_oracle::blobs({500, 30}, 4, 1, 0.8), testing_oracle::grid(500, 3, 3, 3),
                                testing_oracle::blobs({12, 10}, 2, 6, 0.1)};
  for (const auto& d : cases) {
    const auto r = renn(d);
    ASSERT_EQ(r.attributes.count("n_iter_"), 1U);
    const auto n = static_cast<std::size_t>(r.attributes.at("n_iter_"));
    ASSERT_GE(n, 1U);
    EXPECT_EQ(*r.sample_indices, testing_oracle::repeated(d, true, 3, false, n));
    std::vector<std::size_t> previous(d.rows);
    for (std::size_t i = 0; i < d.rows; ++i) previous[i] = i;
    for (std::size_t m = 1; m < n; ++m) {
      const auto now = testing_oracle::repeated(d, true, 3, false, m);
      EXPECT_NE(now, previous) << "pass " << m << " removed rows";
      previous = now;
    }
    EXPECT_EQ(renn(d, {"max_iter=1"}).attributes.at("n_iter_"), 1);
  }
  EXPECT_TRUE(make_sampler("enn")->fit_resample(cases[0].view(), cases[0].y, 2).attributes.empty());
}

}  // namespace
}  // namespace imbal
