// Stratified splitting: scikit-learn's allocation rule on hand-computed cases (the Python suite
// compares fold class counts with scikit-learn on every shared dataset).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "imbal/error.hpp"
#include "imbal/model_selection.hpp"

namespace ms = imbal::model_selection;

TEST(Splitting, StratifiedKFoldRoundRobinByFirstAppearance) {
  // Class 1 appears first, so it is dealt first: sorted sequence [1,1,1,0,0,0,0,0,0,0].
  const std::vector<std::int32_t> y = {1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
  const auto folds = ms::StratifiedKFold(3).test_folds(y);
  EXPECT_EQ(folds, (std::vector<std::int32_t>{0, 1, 2, 0, 0, 0, 1, 1, 2, 2}));
  const auto splits = ms::StratifiedKFold(3).split(y);
  ASSERT_EQ(splits.size(), 3u);
  EXPECT_EQ(splits[0].test, (std::vector<std::size_t>{0, 3, 4, 5}));
  // Shuffled: same counts per fold and class, every row in exactly one test fold.
  const auto shuffled = ms::StratifiedKFold(3, true, 7).split(y);
  std::vector<int> seen(y.size(), 0);
  for (std::size_t f = 0; f < 3; ++f) {
    EXPECT_EQ(shuffled[f].test.size(), splits[f].test.size());
    for (auto i : shuffled[f].test) ++seen[i];
    EXPECT_EQ(shuffled[f].train.size() + shuffled[f].test.size(), y.size());
  }
  EXPECT_TRUE(std::all_of(seen.begin(), seen.end(), [](int c) { return c == 1; }));
  EXPECT_EQ(ms::StratifiedKFold(3, true, 7).test_folds(y), ms::StratifiedKFold(3, true, 7).test_folds(y));
}

TEST(Splitting, StratifiedKFoldErrorsAndWarnings) {
  const std::vector<std::int32_t> y = {0, 0, 0, 0, 1};
  std::vector<std::string> w;
  EXPECT_NO_THROW(ms::StratifiedKFold(2).split(y, &w));
  EXPECT_EQ(w.size(), 1u);  // class 1 has fewer rows than n_splits
  EXPECT_THROW(ms::StratifiedKFold(1), imbal::InvalidArgument);
  EXPECT_THROW(ms::StratifiedKFold(5, false, 3), imbal::InvalidArgument);  // random_state without shuffle
  EXPECT_THROW(ms::StratifiedKFold(6).split(y), imbal::InvalidArgument);
  EXPECT_THROW(ms::StratifiedKFold(2).split(std::vector<std::int32_t>{}), imbal::InvalidArgument);
}

TEST(Splitting, ApproximateMode) {
  imbal::Rng rng(1);
  const std::vector<std::size_t> counts = {2, 8};
  EXPECT_EQ(ms::approximate_mode(counts, 5, rng), (std::vector<std::size_t>{1, 4}));
  const std::vector<std::size_t> tied = {3, 7};  // remainders 0.5 and 0.5: one of them gets the extra draw
  const auto r = ms::approximate_mode(tied, 5, rng);
  EXPECT_EQ(r[0] + r[1], 5u);
  EXPECT_TRUE((r == std::vector<std::size_t>{2, 3}) || (r == std::vector<std::size_t>{1, 4}));
}

TEST(Splitting, ShuffleSplitSizes) {
  EXPECT_EQ(ms::validate_shuffle_split(10, ms::SplitSize::fraction(0.25), {}, {}), (std::pair<std::size_t, std::size_t>(7, 3)));
  EXPECT_EQ(ms::validate_shuffle_split(10, {}, ms::SplitSize::count(6), ms::SplitSize::fraction(0.1)),
            (std::pair<std::size_t, std::size_t>(6, 4)));
  EXPECT_THROW(ms::validate_shuffle_split(10, ms::SplitSize::fraction(1.0), {}, {}), imbal::InvalidArgument);
  EXPECT_THROW(ms::validate_shuffle_split(10, ms::SplitSize::count(10), {}, {}), imbal::InvalidArgument);
}

TEST(Splitting, StratifiedShuffleSplitAndTrainTestSplit) {
  std::vector<std::int32_t> y;
  for (int i = 0; i < 90; ++i) y.push_back(0);
  for (int i = 0; i < 10; ++i) y.push_back(1);
  const auto splits = ms::StratifiedShuffleSplit(4, ms::SplitSize::fraction(0.2), {}, 3).split(y);
  for (const auto& s : splits) {
    ASSERT_EQ(s.test.size(), 20u);
    ASSERT_EQ(s.train.size(), 80u);
    EXPECT_EQ(std::count_if(s.test.begin(), s.test.end(), [&](std::size_t i) { return y[i] == 1; }), 2);
    std::set<std::size_t> all(s.train.begin(), s.train.end());
    all.insert(s.test.begin(), s.test.end());
    EXPECT_EQ(all.size(), 100u);
  }
  const auto tts = ms::train_test_split(y.size(), {}, {}, 5, true, y);
  EXPECT_EQ(tts.test.size(), 25u);
  // 75 train rows: 67.5 / 7.5 is a tie broken at random, so the test gets 2 or 3 minority rows.
  const auto minority = std::count_if(tts.test.begin(), tts.test.end(), [&](std::size_t i) { return y[i] == 1; });
  EXPECT_TRUE(minority == 2 || minority == 3);
  const auto plain = ms::train_test_split(10, ms::SplitSize::count(3), {}, std::nullopt, false);
  EXPECT_EQ(plain.test, (std::vector<std::size_t>{7, 8, 9}));
  const std::vector<std::int32_t> single = {0, 0, 0, 1};
  EXPECT_THROW(ms::StratifiedShuffleSplit(1, ms::SplitSize::fraction(0.5), {}, 1).split(single), imbal::InvalidArgument);
  const auto rep = ms::RepeatedStratifiedKFold(5, 3, 1).split(y);
  EXPECT_EQ(rep.size(), 15u);
}
