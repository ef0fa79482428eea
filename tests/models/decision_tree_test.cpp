// decision-tree and the shared tree code (src/models/tree.hpp): splits worked out by hand,
// stopping rules, weights = duplicated rows, best-first growth, random splitter, bad parameters.
// Equality with scikit-learn's trees: tests/python/test_tree_parity.py.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <bit>
#include <cmath>
#include <string>
#include <vector>

#include "imbal/error.hpp"
#include "imbal/model_registry.hpp"
#include "imbal/random.hpp"
#include "models/tree.hpp"

namespace imbal {
namespace {

struct Data {
  std::vector<double> X;
  std::vector<std::int32_t> y;
  std::size_t rows = 0;
  std::size_t cols = 0;
  MatrixView view() const { return {X.data(), rows, cols}; }
};

// Continuous features (no ties), labels from a noisy rule.
Data noisy(std::size_t n, std::size_t cols, std::uint64_t seed, std::size_t K = 2) {
  Data d;
  d.rows = n;
  d.cols = cols;
  Rng rng(seed);
  for (std::size_t i = 0; i < n; ++i) {
    double s = 0.0;
    for (std::size_t j = 0; j < cols; ++j) {
      const double v = rng.normal();
      d.X.push_back(v);
      s += (j % 2 == 0 ? 1.0 : -0.5) * v;
    }
    s += 0.7 * rng.normal();
    const auto c = static_cast<std::int32_t>(std::min<double>(static_cast<double>(K - 1), std::max(0.0, std::floor(s + static_cast<double>(K) / 2.0))));
    d.y.push_back(c);
  }
  return d;
}

std::unique_ptr<Model> tree(std::vector<std::string> params, std::uint64_t seed = 3) {
  ModelOptions options;
  options.random_state = seed;
  options.n_jobs = 1;
  return make_model("decision-tree", params, options);
}

nlohmann::json tree_of(const Model& m) { return nlohmann::json::parse(m.save_json())["state"]["tree"]; }

TEST(DecisionTree, OneFeatureSplitAtTheMidpointWithGiniAndEntropy) {
  // x: 1 2 3 10 11 12 ; y: 0 0 0 1 1 1 -> one split at (3 + 10) / 2 = 6.5.
  const std::vector<double> X = {1, 2, 3, 10, 11, 12};
  const std::vector<std::int32_t> y = {0, 0, 0, 1, 1, 1};
  for (const char* criterion : {"gini", "entropy", "log_loss"}) {
    auto m = tree({std::string("criterion=") + criterion});
    m->fit(MatrixView(X.data(), 6, 1), y, 2);
    const auto t = tree_of(*m);
    ASSERT_EQ(t["feature"].size(), 3U) << criterion;
    EXPECT_EQ(t["feature"][0], 0);
    EXPECT_EQ(t["threshold"][0].get<double>(), 6.5);
    EXPECT_EQ(t["impurity"][0].get<double>(), std::string(criterion) == "gini" ? 0.5 : 1.0);
    const std::vector<double> probe = {6.4, 6.6};
    const auto p = m->predict(MatrixView(probe.data(), 2, 1));
    EXPECT_EQ(p, (std::vector<std::int32_t>{0, 1}));
  }
}

TEST(DecisionTree, ThresholdsAreFloat32Midpoints) {
  // 0.1 and 0.2 are compared as float32, like scikit-learn: the threshold is the double midpoint
  // of the two float32 values.
  const std::vector<double> X = {0.1, 0.2};
  const std::vector<std::int32_t> y = {0, 1};
  auto m = tree({});
  m->fit(MatrixView(X.data(), 2, 1), y, 2);
  const double expected = static_cast<double>(0.1f) / 2.0 + static_cast<double>(0.2f) / 2.0;
  EXPECT_EQ(tree_of(*m)["threshold"][0].get<double>(), expected);
}

TEST(DecisionTree, BestGiniSplitByHandAndWeightsMoveIt) {
  // x: 1..6, y: 0 1 0 1 1 1. Weighted children Gini (W_L G_L + W_R G_R) per threshold:
  // 1.5: 0 + 5 * 0.32 = 1.6; 2.5: 1 + 1.5 = 2.5; 3.5: 3 * 4/9 + 0 = 1.333 (best); 4.5: 2; 5.5: 2.4.
  const std::vector<double> X = {1, 2, 3, 4, 5, 6};
  const std::vector<std::int32_t> y = {0, 1, 0, 1, 1, 1};
  auto m = tree({"max_depth=1"});
  m->fit(MatrixView(X.data(), 6, 1), y, 2);
  EXPECT_EQ(tree_of(*m)["threshold"][0].get<double>(), 3.5);
  // Row 0 weighing 5: 1.5 gives 1.6, 3.5 gives 7 * (1 - 37/49) = 1.714 -> 1.5 wins.
  const std::vector<double> w = {5, 1, 1, 1, 1, 1};
  m->fit(MatrixView(X.data(), 6, 1), y, 2, w);
  const auto t = tree_of(*m);
  EXPECT_EQ(t["threshold"][0].get<double>(), 1.5);
  EXPECT_EQ(t["weighted_n_node_samples"][0].get<double>(), 10.0);
  EXPECT_EQ(t["value"][0].get<double>(), 6.0);
  EXPECT_EQ(t["value"][1].get<double>(), 4.0);
  EXPECT_DOUBLE_EQ(t["impurity"][0].get<double>(), 1.0 - (36.0 + 16.0) / 100.0);
}

TEST(DecisionTree, GrowsPureLeavesAndFitsDistinctRows) {
  const Data d = noisy(400, 4, 5);
  for (const char* splitter : {"best", "random"}) {
    auto m = tree({std::string("splitter=") + splitter});
    m->fit(d.view(), d.y, 2);
    EXPECT_EQ(m->predict(d.view()), d.y) << splitter;
    const auto t = tree_of(*m);
    for (std::size_t i = 0; i < t["feature"].size(); ++i) {
      if (t["children_left"][i] != -1) continue;
      EXPECT_LE(t["impurity"][i].get<double>(), 1e-12) << splitter << " leaf " << i;
    }
  }
}

TEST(DecisionTree, StoppingRulesHold) {
  const Data d = noisy(600, 5, 7, 3);
  {
    auto m = tree({"max_depth=3"});
    m->fit(d.view(), d.y, 3);
    const auto t = tree_of(*m);
    // Depth of every node from the children arrays.
    std::vector<int> depth(t["feature"].size(), 0);
    int deepest = 0;
    for (std::size_t i = 0; i < depth.size(); ++i) {
      deepest = std::max(deepest, depth[i]);
      const int l = t["children_left"][i];
      if (l >= 0) {
        depth[static_cast<std::size_t>(l)] = depth[i] + 1;
        depth[static_cast<std::size_t>(t["children_right"][i].get<int>())] = depth[i] + 1;
      }
    }
    EXPECT_EQ(deepest, 3);
  }
  for (const char* leaf : {"min_samples_leaf=17", "min_samples_leaf=0.03"}) {
    auto m = tree({leaf});
    m->fit(d.view(), d.y, 3);
    const auto t = tree_of(*m);
    for (std::size_t i = 0; i < t["feature"].size(); ++i) {
      EXPECT_GE(t["n_node_samples"][i].get<int>(), 17) << leaf;  // ceil(0.03 * 600) = 18
    }
  }
  {
    auto m = tree({"min_samples_split=100"});
    m->fit(d.view(), d.y, 3);
    const auto t = tree_of(*m);
    for (std::size_t i = 0; i < t["feature"].size(); ++i) {
      if (t["children_left"][i] != -1) {
        EXPECT_GE(t["n_node_samples"][i].get<int>(), 100);
      }
    }
  }
  {
    auto m = tree({"min_weight_fraction_leaf=0.1"});
    m->fit(d.view(), d.y, 3);
    const auto t = tree_of(*m);
    for (std::size_t i = 0; i < t["feature"].size(); ++i) {
      EXPECT_GE(t["weighted_n_node_samples"][i].get<double>(), 60.0 - 1e-9);
    }
  }
  {
    // Every split decreases the impurity by at least min_impurity_decrease.
    auto m = tree({"min_impurity_decrease=0.01"});
    m->fit(d.view(), d.y, 3);
    const auto t = tree_of(*m);
    const double N = t["weighted_n_node_samples"][0];
    std::size_t splits = 0;
    for (std::size_t i = 0; i < t["feature"].size(); ++i) {
      const int l = t["children_left"][i];
      if (l < 0) continue;
      ++splits;
      const int r = t["children_right"][i];
      const double n = t["weighted_n_node_samples"][i];
      const double dec = n / N *
                         (t["impurity"][i].get<double>() -
                          t["weighted_n_node_samples"][l].get<double>() / n * t["impurity"][l].get<double>() -
                          t["weighted_n_node_samples"][r].get<double>() / n * t["impurity"][r].get<double>());
      EXPECT_GE(dec + 1e-12, 0.01);
    }
    EXPECT_GT(splits, 0U);
  }
}

TEST(DecisionTree, BestFirstGrowthStopsAtMaxLeafNodes) {
  const Data d = noisy(500, 4, 9);
  for (const int leaves : {2, 5, 17}) {
    auto m = tree({"max_leaf_nodes=" + std::to_string(leaves)});
    m->fit(d.view(), d.y, 2);
    const auto t = tree_of(*m);
    std::size_t n_leaves = 0;
    for (const auto& l : t["children_left"]) n_leaves += l == -1 ? 1 : 0;
    EXPECT_EQ(n_leaves, static_cast<std::size_t>(leaves));
  }
  // The 2-leaf best-first tree is the depth-1 tree.
  auto a = tree({"max_leaf_nodes=2"});
  auto b = tree({"max_depth=1"});
  a->fit(d.view(), d.y, 2);
  b->fit(d.view(), d.y, 2);
  EXPECT_EQ(tree_of(*a)["threshold"][0], tree_of(*b)["threshold"][0]);
  // Enough leaves: the same predictions as unlimited depth-first growth.
  auto c = tree({"max_leaf_nodes=100000"});
  auto e = tree({});
  c->fit(d.view(), d.y, 2);
  e->fit(d.view(), d.y, 2);
  EXPECT_EQ(c->predict_proba(d.view()).storage(), e->predict_proba(d.view()).storage());
}

TEST(DecisionTree, IntegerWeightsEqualDuplicatedRows) {
  const Data d = noisy(300, 3, 11);
  Data dup = d;
  std::vector<double> w(d.rows, 1.0);
  for (std::size_t i = 0; i < d.rows; i += 4) {
    w[i] = 2.0;
    dup.X.insert(dup.X.end(), d.X.begin() + static_cast<std::ptrdiff_t>(i * d.cols),
                 d.X.begin() + static_cast<std::ptrdiff_t>((i + 1) * d.cols));
    dup.y.push_back(d.y[i]);
    ++dup.rows;
  }
  auto a = tree({"max_depth=6"});
  auto b = tree({"max_depth=6"});
  a->fit(d.view(), d.y, 2, w);
  b->fit(dup.view(), dup.y, 2);
  const auto ta = tree_of(*a);
  const auto tb = tree_of(*b);
  EXPECT_EQ(ta["threshold"], tb["threshold"]);
  EXPECT_EQ(ta["feature"], tb["feature"]);
  EXPECT_EQ(ta["value"], tb["value"]);
  // Zero weight = row left out.
  std::vector<double> z(d.rows, 1.0);
  Data kept;
  kept.cols = d.cols;
  for (std::size_t i = 0; i < d.rows; ++i) {
    if (i % 3 == 0) {
      z[i] = 0.0;
      continue;
    }
    kept.X.insert(kept.X.end(), d.X.begin() + static_cast<std::ptrdiff_t>(i * d.cols),
                  d.X.begin() + static_cast<std::ptrdiff_t>((i + 1) * d.cols));
    kept.y.push_back(d.y[i]);
    ++kept.rows;
  }
  auto c = tree({"max_depth=6"});
  auto e = tree({"max_depth=6"});
  c->fit(d.view(), d.y, 2, z);
  e->fit(kept.view(), kept.y, 2);
  EXPECT_EQ(tree_of(*c)["threshold"], tree_of(*e)["threshold"]);
}

TEST(DecisionTree, BalancedClassWeightIsSampleWeight) {
  const Data d = noisy(300, 3, 13);
  std::size_t n1 = 0;
  for (const auto c : d.y) n1 += c == 1 ? 1 : 0;
  std::vector<double> w(d.rows);
  for (std::size_t i = 0; i < d.rows; ++i) {
    w[i] = 300.0 / (2.0 * static_cast<double>(d.y[i] == 1 ? n1 : 300 - n1));
  }
  auto a = tree({"class_weight=balanced", "max_depth=5"});
  auto b = tree({"max_depth=5"});
  a->fit(d.view(), d.y, 2);
  b->fit(d.view(), d.y, 2, w);
  EXPECT_EQ(a->save_json().substr(a->save_json().find("\"state\"")), b->save_json().substr(b->save_json().find("\"state\"")));
}

TEST(DecisionTree, MaxFeaturesDrawsFeaturesPerNode) {
  const Data d = noisy(400, 9, 15);
  for (const char* mf : {"max_features=sqrt", "max_features=log2", "max_features=2", "max_features=0.5",
                         "max_features=1.0", "max_features=none"}) {
    auto a = tree({mf, "max_depth=4"}, 1);
    auto b = tree({mf, "max_depth=4"}, 1);
    a->fit(d.view(), d.y, 2);
    b->fit(d.view(), d.y, 2);
    EXPECT_EQ(a->save_json(), b->save_json()) << mf;
  }
  // One feature per node: different seeds give different trees.
  auto a = tree({"max_features=1"}, 1);
  auto b = tree({"max_features=1"}, 2);
  a->fit(d.view(), d.y, 2);
  b->fit(d.view(), d.y, 2);
  EXPECT_NE(tree_of(*a)["feature"], tree_of(*b)["feature"]);
}

TEST(DecisionTree, ConstantFeaturesAreNeverSplitOn) {
  Data d = noisy(200, 3, 17);
  for (std::size_t i = 0; i < d.rows; ++i) d.X[i * 3 + 1] = 4.0;
  auto m = tree({"max_features=1"});
  m->fit(d.view(), d.y, 2);
  for (const auto& f : nlohmann::json(tree_of(*m)["feature"])) EXPECT_NE(f, 1);
  EXPECT_EQ(m->predict(d.view()), d.y);
}

TEST(DecisionTree, BadParametersAreClearErrors) {
  for (const char* bad : {"max_features=0", "max_features=abc", "max_features=1.5", "min_samples_split=1",
                          "min_samples_leaf=0", "min_samples_leaf=1.0", "min_samples_split=x", "max_depth=0",
                          "max_leaf_nodes=1", "criterion=mse", "splitter=fast", "min_weight_fraction_leaf=0.6"}) {
    EXPECT_THROW((void)tree({bad}), InvalidArgument) << bad;
  }
  const Data d = noisy(50, 3, 19);
  auto m = tree({"max_features=4"});
  try {
    m->fit(d.view(), d.y, 2);
    FAIL() << "max_features > n_features accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("max_features"), std::string::npos) << e.what();
  }
}

TEST(DecisionTree, TreeDataOfASubsetEqualsTheSubsetRanked) {
  // TreeData::subset (rows in any order, repeats, a column subset) must equal build() on the
  // copied rows: ensembles rank X once and hand each member the subset.
  Data d = noisy(400, 5, 23);
  // Ties, signed zeros and a constant column.
  for (std::size_t i = 0; i < d.rows; ++i) {
    d.X[i * 5 + 1] = static_cast<double>(i % 7) - 3.0;
    d.X[i * 5 + 2] = i % 3 == 0 ? -0.0 : (i % 3 == 1 ? 0.0 : 1e-300);
    d.X[i * 5 + 4] = 2.5;
  }
  const auto full = detail::TreeData::build(d.view(), 2);
  Rng rng(9);
  for (const bool column_subset : {false, true}) {
    std::vector<std::size_t> rows;
    for (std::size_t k = 0; k < 250; ++k) rows.push_back(rng.below(d.rows));  // repeats, any order
    const std::vector<std::size_t> cols = column_subset ? std::vector<std::size_t>{3, 1, 4} : std::vector<std::size_t>{};
    const std::size_t m = cols.empty() ? 5 : cols.size();
    std::vector<double> copy(rows.size() * m);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      for (std::size_t j = 0; j < m; ++j) copy[r * m + j] = d.X[rows[r] * 5 + (cols.empty() ? j : cols[j])];
    }
    const auto expected = detail::TreeData::build(MatrixView(copy.data(), rows.size(), m), 1);
    const auto got = full.subset(rows, cols);
    EXPECT_EQ(got.rows, expected.rows);
    EXPECT_EQ(got.cols, expected.cols);
    EXPECT_EQ(got.rank, expected.rank);
    EXPECT_EQ(got.rank8, expected.rank8);
    EXPECT_EQ(got.rank8_by_row, expected.rank8_by_row);
    ASSERT_EQ(got.values.size(), expected.values.size());
    for (std::size_t j = 0; j < m; ++j) {
      ASSERT_EQ(got.values[j].size(), expected.values[j].size()) << j;
      for (std::size_t v = 0; v < got.values[j].size(); ++v) {
        EXPECT_EQ(std::bit_cast<std::uint32_t>(got.values[j][v]), std::bit_cast<std::uint32_t>(expected.values[j][v]));
      }
    }
  }
}

TEST(DecisionTree, NarrowRanksByRowAreTheTransposedColumns) {
  // Features with at most 256 distinct values keep one-byte ranks both by column (rank8) and by
  // row (rank8_by_row); wide features have zeros there.
  Data d = noisy(700, 4, 31);
  for (std::size_t i = 0; i < d.rows; ++i) {
    d.X[i * 4 + 1] = static_cast<double>(i % 256);  // exactly 256 values: narrow
    d.X[i * 4 + 2] = static_cast<double>(i % 2);    // one-hot
  }
  const auto t = detail::TreeData::build(d.view(), 1);
  EXPECT_FALSE(t.narrow(0));
  EXPECT_TRUE(t.narrow(1));
  EXPECT_TRUE(t.narrow(2));
  ASSERT_EQ(t.rank8_by_row.size(), d.rows * d.cols);
  for (std::size_t i = 0; i < d.rows; ++i) {
    for (std::size_t f = 0; f < d.cols; ++f) {
      const std::uint32_t expected = t.narrow(f) ? t.rank_of(i, f) : 0;
      ASSERT_EQ(t.rank8[f * d.rows + i], expected) << i << ' ' << f;
      ASSERT_EQ(t.rank8_by_row[i * d.cols + f], expected) << i << ' ' << f;
    }
  }
}

TEST(DecisionTree, TwoValuedFeaturesWithIntegerWeightsGiveTheGeneralSums) {
  // Two classes, integer weights and a feature with two values in a node take a shortcut (four
  // register sums, lower bin = node total - upper bin). Halving every weight keeps all sums exact
  // but leaves the general row-by-row loop: the tree must be the same, with halved weights. The
  // data has one-hot and continuous columns, and enough rows (x columns) that large nodes read
  // the column-wise ranks and small ones the row-wise ranks.
  const std::size_t n = 3000;
  const std::size_t cols = 100;
  Data d;
  d.rows = n;
  d.cols = cols;
  Rng rng(37);
  for (std::size_t i = 0; i < n; ++i) {
    double s = 0.0;
    for (std::size_t j = 0; j < cols; ++j) {
      double v = 0.0;
      if (j < 4) {
        v = rng.normal();
      } else {
        v = rng.uniform() < 0.1 + 0.005 * static_cast<double>(j % 50) ? 1.0 : 0.0;
      }
      d.X.push_back(v);
      s += (j % 3 == 0 ? 0.8 : -0.3) * v;
    }
    d.y.push_back(s + rng.normal() > 0.0 ? 1 : 0);
  }
  std::vector<double> w(n);
  std::vector<double> half(n);
  for (std::size_t i = 0; i < n; ++i) {
    w[i] = static_cast<double>(rng.below(4));  // bootstrap-like counts, zeros included
    half[i] = w[i] / 2.0;
  }
  for (const char* params : {"max_features=sqrt", "criterion=entropy"}) {
    auto a = tree({params});
    auto b = tree({params});
    a->fit(d.view(), d.y, 2, w);
    b->fit(d.view(), d.y, 2, half);
    const auto ta = tree_of(*a);
    const auto tb = tree_of(*b);
    ASSERT_GT(ta["feature"].size(), 100U) << params;
    EXPECT_EQ(ta["feature"], tb["feature"]) << params;
    EXPECT_EQ(ta["threshold"], tb["threshold"]) << params;
    EXPECT_EQ(ta["impurity"], tb["impurity"]) << params;
    const auto& va = ta["value"];
    const auto& vb = tb["value"];
    ASSERT_EQ(va.size(), vb.size());
    for (std::size_t k = 0; k < va.size(); ++k) {
      ASSERT_EQ(va[k].get<double>() / 2.0, vb[k].get<double>()) << params << ' ' << k;
    }
  }
}

TEST(DecisionTree, FitRankedEqualsFit) {
  const Data d = noisy(300, 4, 27, 3);
  const auto ranked = detail::TreeData::build(d.view(), 1);
  std::vector<double> w(d.rows, 1.0);
  for (std::size_t i = 0; i < d.rows; i += 5) w[i] = 2.0;
  for (const char* params : {"max_features=sqrt", "max_depth=3", "max_leaf_nodes=9"}) {
    auto a = tree({params});
    auto b = tree({params});
    EXPECT_TRUE(a->grows_trees());
    a->fit(d.view(), d.y, 3, w);
    b->fit_ranked(d.view(), d.y, 3, w, ranked);
    EXPECT_EQ(a->save_json(), b->save_json()) << params;
  }
  EXPECT_FALSE(make_model("logistic-regression", {}, {})->grows_trees());
  EXPECT_TRUE(make_model("random-forest", {}, {})->grows_trees());
  EXPECT_TRUE(make_model("adaboost", {}, {})->grows_trees());
  EXPECT_FALSE(make_model("adaboost", {"estimator=logistic-regression"}, {})->grows_trees());
}

TEST(DecisionTree, SharedTreeDataServesManyTrees) {
  // The C++ API the ensembles use: one TreeData, trees from weights (bootstrap counts).
  const Data d = noisy(300, 4, 21);
  const auto data = detail::TreeData::build(d.view(), 2);
  EXPECT_EQ(data.rows, 300U);
  for (std::size_t f = 0; f < 4; ++f) {
    EXPECT_TRUE(std::is_sorted(data.values[f].begin(), data.values[f].end()));
    for (std::size_t i = 0; i < d.rows; ++i) {
      EXPECT_EQ(data.values[f][data.rank_of(i, f)], static_cast<float>(d.X[i * 4 + f]));
    }
  }
  detail::TreeSettings s;
  s.max_features.kind = detail::MaxFeatures::Kind::Sqrt;
  Rng rng(1);
  std::vector<double> counts(d.rows, 0.0);
  for (std::size_t k = 0; k < d.rows; ++k) counts[rng.below(d.rows)] += 1.0;
  detail::DecisionTree t;
  Rng tree_rng(2);
  t.fit(data, d.y, 2, counts, s, tree_rng);
  EXPECT_GT(t.node_count(), 1U);
  double root = 0.0;
  for (std::size_t k = 0; k < 2; ++k) root += t.value()[k];
  EXPECT_EQ(root, static_cast<double>(d.rows));
  std::vector<double> p(2);
  t.predict_proba_row(d.X.data(), p.data());
  EXPECT_NEAR(p[0] + p[1], 1.0, 1e-15);
  // Round trip of the tree arrays.
  detail::DecisionTree back;
  back.from_json(t.to_json(), 4, 2, "test");
  EXPECT_EQ(back.to_json(), t.to_json());
  auto j = t.to_json();
  j["children_left"][0] = 0;
  EXPECT_THROW(back.from_json(j, 4, 2, "test"), InvalidArgument);
  j = t.to_json();
  EXPECT_THROW(back.from_json(j, 3, 2, "test"), InvalidArgument) << "fewer features than the splits use";
}

}  // namespace
}  // namespace imbal
