// all-knn: ENN passes with 1..n_neighbors neighbours and imbalanced-learn's stopping rules.
#include <gtest/gtest.h>

#include "imbal/error.hpp"
#include "imbal/registry.hpp"
#include "samplers/cleaning_oracle.hpp"

namespace imbal {
namespace {

using testing_oracle::Data;

ResampleResult all_knn(const Data& d, std::vector<std::string> params = {}, SamplingStrategy strategy = {}, int jobs = 1) {
  SamplerOptions options;
  options.sampling_strategy = std::move(strategy);
  options.n_jobs = jobs;
  return make_sampler("all-knn", params, options)->fit_resample(d.view(), d.y, d.n_classes);
}

TEST(AllKnn, DefaultsAreImbalancedLearns) {
  const Params p(make_sampler("all-knn")->schema());
  EXPECT_EQ(p.get_int("n_neighbors"), 3);
  EXPECT_EQ(p.get_string("kind_sel"), "all");
  EXPECT_FALSE(p.get_bool("allow_minority"));
}

TEST(AllKnn, EqualsTheNaiveLoop) {
  const std::vector<Data> cases{testing_oracle::blobs({500, 30}, 4, 1, 0.8), testing_oracle::blobs({300, 90, 60}, 3, 2, 0.7),
                                testing_oracle::grid(500, 3, 3, 3), testing_oracle::blobs({600, 20}, 20, 4, 0.3)};
  for (const auto& d : cases) {
    for (const bool mode : {false, true}) {
      for (const std::size_t k : {1U, 3U, 6U}) {
        const auto r = all_knn(d, {std::string("kind_sel=") + (mode ? "mode" : "all"), "n_neighbors=" + std::to_string(k)},
                               {}, 2);
        EXPECT_EQ(*r.sample_indices, testing_oracle::repeated(d, false, k, mode))
            << "rows " << d.rows << " mode " << mode << " k " << k;
      }
    }
  }
}

TEST(AllKnn, AllowMinorityKeepsGoing) {
  const auto d = testing_oracle::blobs({14, 10}, 2, 6, 0.1);
  const auto all = SamplingStrategy::named(SamplingStrategy::Kind::All);
  const auto stop = all_knn(d, {"n_neighbors=5"}, all);
  const auto go = all_knn(d, {"n_neighbors=5", "allow_minority=true"}, all);
  EXPECT_EQ(*stop.sample_indices, testing_oracle::repeated(d, false, 5, false, 100, false, all));
  EXPECT_EQ(*go.sample_indices, testing_oracle::repeated(d, false, 5, false, 100, true, all));
  EXPECT_LE(go.sample_indices->size(), stop.sample_indices->size());
}

TEST(AllKnn, OneNeighbourIsEnnWithOneNeighbour) {
  const auto d = testing_oracle::blobs({500, 50}, 3, 5, 0.6);
  SamplerOptions options;
  const auto a = make_sampler("all-knn", {"n_neighbors=1"}, options)->fit_resample(d.view(), d.y, 2);
  const auto b = make_sampler("enn", {"n_neighbors=1"}, options)->fit_resample(d.view(), d.y, 2);
  EXPECT_EQ(*a.sample_indices, *b.sample_indices);
}

}  // namespace
}  // namespace imbal
