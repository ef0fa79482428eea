// The shared pieces of the cleaning rules (src/samplers/cleaning.hpp) against naive oracles: Tomek
// links and ENN passes equal the plain definitions on blobs, integer grids with ties, duplicated rows
// with different labels and many classes; the ENN cache gives the same answers over shrinking subsets.
#include <gtest/gtest.h>

#include <numeric>

#include "samplers/cleaning.hpp"
#include "samplers/cleaning_oracle.hpp"

namespace imbal {
namespace {

using testing_oracle::Data;

std::vector<std::size_t> all_rows(const Data& d) {
  std::vector<std::size_t> rows(d.rows);
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  return rows;
}

std::vector<Data> datasets() {
  std::vector<Data> out;
  out.push_back(testing_oracle::blobs({600, 6}, 5, 1));            // 1 % minority, witness path
  out.push_back(testing_oracle::blobs({400, 40, 12}, 3, 2));       // three classes
  out.push_back(testing_oracle::blobs({300, 280}, 2, 3, 0.5));     // balanced, overlapping: exact path
  out.push_back(testing_oracle::grid(500, 3, 2, 4));               // ties and mixed-label duplicates
  out.push_back(testing_oracle::grid(400, 2, 4, 5));
  out.push_back(testing_oracle::blobs({700, 20}, 20, 6, 0.3));     // d = 20, brute force
  return out;
}

TEST(CleaningTomek, LinkEndsEqualTheDefinition) {
  for (const auto& d : datasets()) {
    const auto rows = all_rows(d);
    for (const int jobs : {1, 2}) {
      EXPECT_EQ(detail::tomek_link_ends(d.view(), d.y, d.n_classes, rows, jobs), testing_oracle::tomek_ends(d, rows))
          << "rows " << d.rows << " cols " << d.cols;
    }
    // A subset (every third row dropped): links within the subset only.
    std::vector<std::size_t> subset;
    for (const auto r : rows) {
      if (r % 3 != 1) subset.push_back(r);
    }
    EXPECT_EQ(detail::tomek_link_ends(d.view(), d.y, d.n_classes, subset, 2), testing_oracle::tomek_ends(d, subset));
  }
}

TEST(CleaningTomek, DuplicatesOfDifferentClassesAreALinkAtDistanceZero) {
  Data d;
  d.cols = 1;
  d.n_classes = 2;
  d.X = {0.0, 0.0, 5.0, 5.5, 9.0};
  d.y = {0, 1, 0, 0, 0};
  d.rows = 5;
  const auto ends = detail::tomek_link_ends(d.view(), d.y, 2, all_rows(d), 1);
  EXPECT_EQ(ends, (std::vector<bool>{true, true, false, false, false}));
}

TEST(CleaningEnn, PassEqualsTheDefinition) {
  for (const auto& d : datasets()) {
    const auto rows = all_rows(d);
    for (const bool mode : {false, true}) {
      for (const std::size_t k : {1U, 3U, 5U}) {
        // Every class but one cleaned, and every class cleaned.
        for (std::size_t spared = 0; spared <= d.n_classes; ++spared) {
          std::vector<bool> clean(d.n_classes, true);
          if (spared < d.n_classes) clean[spared] = false;
          detail::EnnEditor editor(d.view(), d.y, d.n_classes, k, mode ? detail::KindSel::Mode : detail::KindSel::All,
                                   2);
          EXPECT_EQ(editor.pass(rows, clean, k), testing_oracle::enn_pass(d, rows, clean, k, mode))
              << "rows " << d.rows << " k " << k << " mode " << mode << " spared " << spared;
        }
      }
    }
  }
}

TEST(CleaningEnn, BothPathsAreExercised) {
  const auto d = testing_oracle::blobs({3000, 30}, 6, 7);
  const auto rows = all_rows(d);
  detail::EnnEditor editor(d.view(), d.y, 2, 3, detail::KindSel::All, 2);
  const std::vector<bool> clean{true, false};
  EXPECT_EQ(editor.pass(rows, clean, 3), testing_oracle::enn_pass(d, rows, clean, 3, false));
  const auto& s = editor.last_stats();
  EXPECT_GT(s.witnessed, 2000U) << "most majority rows are settled by witnesses in their cell";
  EXPECT_GT(s.exact, 0U);
  EXPECT_EQ(s.witnessed + s.exact, 3000U);
  EXPECT_EQ(s.cached, 0U);
}

TEST(CleaningEnn, RepeatedPassesOverShrinkingSubsetsUseTheCacheAndStayExact) {
  for (const auto& d : datasets()) {
    for (const bool mode : {false, true}) {
      const std::size_t max_k = 4;
      detail::EnnEditor editor(d.view(), d.y, d.n_classes, max_k, mode ? detail::KindSel::Mode : detail::KindSel::All,
                               1);
      auto rows = all_rows(d);
      Rng rng(d.rows);
      std::vector<bool> clean(d.n_classes, true);
      clean[d.n_classes - 1] = false;
      std::size_t cached = 0;
      for (std::size_t pass = 0; pass < 6; ++pass) {
        const std::size_t k = 1 + pass % max_k;
        const auto expected = testing_oracle::enn_pass(d, rows, clean, k, mode);
        ASSERT_EQ(editor.pass(rows, clean, k), expected) << "pass " << pass << " rows " << d.rows;
        cached += editor.last_stats().cached;
        // Next subset: what ENN kept, minus a few random rows.
        std::vector<std::size_t> next;
        for (const auto r : expected) {
          if (rng.uniform() > 0.03) next.push_back(r);
        }
        if (next.size() < max_k + 2) break;
        rows = std::move(next);
      }
      EXPECT_GT(cached, 0U);
    }
  }
}

TEST(CleaningEnn, ANonSubsetPassResetsTheCache) {
  const auto d = testing_oracle::blobs({500, 25}, 3, 8);
  detail::EnnEditor editor(d.view(), d.y, 2, 3, detail::KindSel::All, 1);
  const std::vector<bool> clean{true, true};
  std::vector<std::size_t> first, second;
  for (std::size_t r = 0; r < d.rows; ++r) (r % 2 == 0 ? first : second).push_back(r);
  EXPECT_EQ(editor.pass(first, clean, 3), testing_oracle::enn_pass(d, first, clean, 3, false));
  EXPECT_EQ(editor.pass(second, clean, 3), testing_oracle::enn_pass(d, second, clean, 3, false));
  EXPECT_EQ(editor.last_stats().cached, 0U);
  const auto rows = all_rows(d);
  EXPECT_EQ(editor.pass(rows, clean, 2), testing_oracle::enn_pass(d, rows, clean, 2, false));
}

TEST(CleaningEnn, ModeTiesGoToTheSmallestClass) {
  // Row 0 (class 2) has neighbours of classes 1, 2, 0 at distances 1, 2, 3: a three-way tie, the
  // mode is class 0, so row 0 is removed under 'mode' (and under 'all').
  Data d;
  d.cols = 1;
  d.n_classes = 3;
  d.X = {0.0, 1.0, 2.0, 3.0, 20.0, 21.0, 22.0};
  d.y = {2, 1, 2, 0, 0, 1, 1};
  d.rows = 7;
  const std::vector<bool> clean{false, false, true};
  detail::EnnEditor editor(d.view(), d.y, 3, 3, detail::KindSel::Mode, 1);
  const auto kept = editor.pass(all_rows(d), clean, 3);
  EXPECT_EQ(kept, testing_oracle::enn_pass(d, all_rows(d), clean, 3, true));
  EXPECT_EQ(std::count(kept.begin(), kept.end(), 0U), 0);
}

TEST(CleaningEnn, ModeTiesGoToTheNearestNeighboursClassForStringLabels) {
  // Row 0 (class 1) has neighbours of classes 1 (distance 1) and 0 (distance 2): a tie. With
  // numeric labels the smallest class (0) wins and row 0 is removed; with string labels
  // imbalanced-learn's scipy.stats.mode takes the first met, nearest first: class 1, kept.
  Data d;
  d.cols = 1;
  d.n_classes = 2;
  d.X = {0.0, 1.0, 2.0, 10.0, 11.0, 12.0, 13.0};
  d.y = {1, 1, 0, 0, 0, 0, 0};
  d.rows = 7;
  const std::vector<bool> clean{false, true};
  detail::EnnEditor smallest(d.view(), d.y, 2, 2, detail::KindSel::Mode, 1, detail::ModeTie::SmallestClass);
  detail::EnnEditor nearest(d.view(), d.y, 2, 2, detail::KindSel::Mode, 1, detail::ModeTie::NearestFirst);
  const auto a = smallest.pass(all_rows(d), clean, 2);
  const auto b = nearest.pass(all_rows(d), clean, 2);
  EXPECT_EQ(std::count(a.begin(), a.end(), 0U), 0);
  EXPECT_EQ(std::count(b.begin(), b.end(), 0U), 1);
  // Row 1 (class 1): neighbours 0 (class 1, distance 1) and 2 (class 0, distance 1): equal
  // distances, the smaller index (row 0) is nearer, so NearestFirst keeps it too.
  EXPECT_EQ(std::count(b.begin(), b.end(), 1U), 1);
  EXPECT_EQ(std::count(a.begin(), a.end(), 1U), 0);
}

TEST(CleaningStopping, FirstAppearingMinority) {
  // Classes 1 and 2 both have 2 rows; class 2 appears first.
  const std::vector<std::int32_t> y{0, 2, 0, 1, 2, 1, 0};
  EXPECT_EQ(detail::first_appearing_minority(y, 3), 2);
  const std::vector<std::int32_t> z{0, 1, 0, 2, 2, 1, 0, 2};
  EXPECT_EQ(detail::first_appearing_minority(z, 3), 1);
}

TEST(CleaningStopping, PassOutcome) {
  const std::vector<std::int32_t> y{0, 0, 0, 1, 1, 2, 2, 2};
  const std::vector<std::size_t> rows{0, 3, 4, 5, 6, 7};
  const auto o = detail::pass_outcome(y, 3, rows, 1, 2, 3);
  EXPECT_TRUE(o.minority_became_majority);  // class 0 has 1 < 2 rows
  EXPECT_FALSE(o.class_removed);
  const std::vector<std::size_t> gone{0, 1, 2, 5, 6, 7};
  const auto p = detail::pass_outcome(y, 3, gone, 1, 2, 3);
  EXPECT_TRUE(p.class_removed);
  EXPECT_FALSE(p.minority_became_majority);  // the minority itself vanished: only other classes count
}

}  // namespace
}  // namespace imbal
