#include <gtest/gtest.h>

#include "imbal/error.hpp"
#include "imbal/strategy.hpp"

namespace imbal {
namespace {

using K = SamplingStrategy::Kind;
const ClassLabels kLabels{{"a", "b", "c"}, false};

std::vector<std::size_t> outs(const ResamplePlan& p) {
  std::vector<std::size_t> v;
  for (const auto& c : p.classes) v.push_back(c.targeted ? c.n_out : static_cast<std::size_t>(-1));
  return v;
}
constexpr std::size_t kUntouched = static_cast<std::size_t>(-1);

TEST(Strategy, NamedOverSampling) {
  const std::vector<std::size_t> counts{50, 10, 30};
  EXPECT_EQ(outs(resolve_strategy(SamplingStrategy::named(K::Auto), counts, SamplingType::OverSampling)),
            (std::vector<std::size_t>{kUntouched, 50, 50}));
  EXPECT_EQ(outs(resolve_strategy(SamplingStrategy::named(K::Minority), counts, SamplingType::OverSampling)),
            (std::vector<std::size_t>{kUntouched, 50, kUntouched}));
  EXPECT_EQ(outs(resolve_strategy(SamplingStrategy::named(K::NotMinority), counts, SamplingType::OverSampling)),
            (std::vector<std::size_t>{50, kUntouched, 50}));
  EXPECT_EQ(outs(resolve_strategy(SamplingStrategy::named(K::All), counts, SamplingType::OverSampling)),
            (std::vector<std::size_t>{50, 50, 50}));
  EXPECT_THROW(resolve_strategy(SamplingStrategy::named(K::Majority), counts, SamplingType::OverSampling),
               InvalidArgument);
}

TEST(Strategy, NamedUnderSampling) {
  const std::vector<std::size_t> counts{50, 10, 30};
  EXPECT_EQ(outs(resolve_strategy(SamplingStrategy::named(K::Auto), counts, SamplingType::UnderSampling)),
            (std::vector<std::size_t>{10, kUntouched, 10}));
  EXPECT_EQ(outs(resolve_strategy(SamplingStrategy::named(K::Majority), counts, SamplingType::UnderSampling)),
            (std::vector<std::size_t>{10, kUntouched, kUntouched}));
  EXPECT_EQ(outs(resolve_strategy(SamplingStrategy::named(K::NotMajority), counts, SamplingType::UnderSampling)),
            (std::vector<std::size_t>{kUntouched, 10, 10}));
  EXPECT_THROW(resolve_strategy(SamplingStrategy::named(K::Minority), counts, SamplingType::UnderSampling),
               InvalidArgument);
}

TEST(Strategy, TiesPickTheFirstClassInSortedOrder) {
  const std::vector<std::size_t> counts{30, 30, 10, 10};
  // majority = class 0 (first of the two 30s), minority = class 2 (first of the two 10s)
  EXPECT_EQ(outs(resolve_strategy(SamplingStrategy::named(K::Auto), counts, SamplingType::OverSampling)),
            (std::vector<std::size_t>{kUntouched, 30, 30, 30}));
  EXPECT_EQ(outs(resolve_strategy(SamplingStrategy::named(K::Auto), counts, SamplingType::UnderSampling)),
            (std::vector<std::size_t>{10, 10, kUntouched, 10}));
}

TEST(Strategy, AbsentClassesAreNeverTargeted) {
  const std::vector<std::size_t> counts{50, 0, 10};
  const auto plan = resolve_strategy(SamplingStrategy::named(K::All), counts, SamplingType::OverSampling);
  EXPECT_FALSE(plan.classes[1].targeted);
  EXPECT_THROW(resolve_strategy(SamplingStrategy::from_counts({{1, 5}}), counts, SamplingType::OverSampling),
               InvalidArgument);
}

TEST(Strategy, RatioTruncatesLikeImbalancedLearn) {
  const std::vector<std::size_t> counts{101, 10};
  // int(101 * 0.3 - 10) = int(20.3) = 20 new rows -> 30
  EXPECT_EQ(resolve_strategy(SamplingStrategy::from_ratio(0.3), counts, SamplingType::OverSampling).classes[1].n_out,
            30U);
  // int(10 / 0.3) = 33 kept
  EXPECT_EQ(resolve_strategy(SamplingStrategy::from_ratio(0.3), counts, SamplingType::UnderSampling).classes[0].n_out,
            33U);
  EXPECT_THROW(resolve_strategy(SamplingStrategy::from_ratio(0.05), counts, SamplingType::OverSampling),
               InvalidArgument);
  EXPECT_THROW(resolve_strategy(SamplingStrategy::from_ratio(0.05), counts, SamplingType::UnderSampling),
               InvalidArgument);
  EXPECT_THROW(resolve_strategy(SamplingStrategy::from_ratio(0.5), counts, SamplingType::CleanSampling),
               InvalidArgument);
  EXPECT_THROW(resolve_strategy(SamplingStrategy::from_ratio(0.5), std::vector<std::size_t>{5, 6, 7},
                                SamplingType::OverSampling),
               InvalidArgument);
  EXPECT_THROW(resolve_strategy(SamplingStrategy::from_ratio(1.5), counts, SamplingType::OverSampling),
               InvalidArgument);
}

TEST(Strategy, CountsAndClasses) {
  const std::vector<std::size_t> counts{50, 10, 30};
  const auto over = resolve_strategy(SamplingStrategy::from_counts({{1, 40}}), counts, SamplingType::OverSampling);
  EXPECT_EQ(outs(over), (std::vector<std::size_t>{kUntouched, 40, kUntouched}));
  EXPECT_EQ(over.classes[1].n_new(), 30U);
  EXPECT_THROW(resolve_strategy(SamplingStrategy::from_counts({{1, 5}}), counts, SamplingType::OverSampling),
               InvalidArgument);
  EXPECT_THROW(resolve_strategy(SamplingStrategy::from_counts({{0, 60}}), counts, SamplingType::UnderSampling),
               InvalidArgument);
  EXPECT_THROW(resolve_strategy(SamplingStrategy::from_counts({{0, -1}}), counts, SamplingType::UnderSampling),
               InvalidArgument);
  EXPECT_THROW(resolve_strategy(SamplingStrategy::from_counts({{0, 5}}), counts, SamplingType::CleanSampling),
               InvalidArgument);
  EXPECT_THROW(resolve_strategy(SamplingStrategy::from_classes({0}), counts, SamplingType::OverSampling),
               InvalidArgument);
  const auto clean = resolve_strategy(SamplingStrategy::from_classes({0, 2}), counts, SamplingType::CleanSampling);
  EXPECT_EQ(clean.targeted_classes(), (std::vector<std::int32_t>{0, 2}));
}

TEST(Strategy, OneClassIsAnError) {
  EXPECT_THROW(resolve_strategy({}, std::vector<std::size_t>{10}, SamplingType::OverSampling), InvalidArgument);
  EXPECT_THROW(resolve_strategy({}, std::vector<std::size_t>{10, 0}, SamplingType::UnderSampling), InvalidArgument);
}

TEST(Strategy, ParseSpellings) {
  EXPECT_EQ(SamplingStrategy::parse("auto", kLabels).kind, K::Auto);
  EXPECT_EQ(SamplingStrategy::parse("not minority", kLabels).kind, K::NotMinority);
  EXPECT_EQ(SamplingStrategy::parse("not-majority", kLabels).kind, K::NotMajority);
  EXPECT_EQ(SamplingStrategy::parse(" All ", kLabels).kind, K::All);
  const auto r = SamplingStrategy::parse("0.25", kLabels);
  EXPECT_EQ(r.kind, K::Ratio);
  EXPECT_DOUBLE_EQ(r.ratio, 0.25);
  const auto c = SamplingStrategy::parse("a:10, c:20", kLabels);
  EXPECT_EQ(c.kind, K::Counts);
  EXPECT_EQ(c.counts, (std::map<std::int32_t, std::int64_t>{{0, 10}, {2, 20}}));
  const auto l = SamplingStrategy::parse("[b,c]", kLabels);
  EXPECT_EQ(l.kind, K::Classes);
  EXPECT_EQ(l.classes, (std::vector<std::int32_t>{1, 2}));
  EXPECT_EQ(SamplingStrategy::parse("b", kLabels).classes, (std::vector<std::int32_t>{1}));
  EXPECT_THROW(SamplingStrategy::parse("1.5", kLabels), InvalidArgument);
  EXPECT_THROW(SamplingStrategy::parse("0", kLabels), InvalidArgument);
  EXPECT_THROW(SamplingStrategy::parse("a:ten", kLabels), InvalidArgument);
  EXPECT_THROW(SamplingStrategy::parse("a:1,a:2", kLabels), InvalidArgument);
  EXPECT_THROW(SamplingStrategy::parse("zz:5", kLabels), InvalidArgument);
  EXPECT_THROW(SamplingStrategy::parse("", kLabels), InvalidArgument);
  // Integer labels: "1" names a class, "1.0" is a ratio.
  const ClassLabels numeric{{"-1", "1"}, true};
  EXPECT_EQ(SamplingStrategy::parse("1", numeric).kind, K::Classes);
  EXPECT_EQ(SamplingStrategy::parse("1.0", numeric).kind, K::Ratio);
  EXPECT_EQ(SamplingStrategy::parse("-1:5,1:7", numeric).counts,
            (std::map<std::int32_t, std::int64_t>{{0, 5}, {1, 7}}));
}

TEST(Strategy, ToStringRoundTrips) {
  for (const char* text : {"auto", "minority", "not majority", "a:10,c:20", "[b,c]", "0.25"}) {
    const auto s = SamplingStrategy::parse(text, kLabels);
    EXPECT_EQ(SamplingStrategy::parse(s.to_string(&kLabels), kLabels).to_string(&kLabels), s.to_string(&kLabels));
  }
}

}  // namespace
}  // namespace imbal
