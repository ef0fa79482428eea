// SVG charts: well-formed, labelled, deterministic, compact.
#include "imbal/plot.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace imbal::plot {
namespace {

/// Checks that every element is closed in order (a minimal XML well-formedness check: tags
/// balance, attributes are quoted, no raw '<' or '&' in text).
::testing::AssertionResult well_formed(const std::string& svg) {
  std::vector<std::string> stack;
  std::size_t i = 0;
  while (i < svg.size()) {
    if (svg[i] == '&') {
      const auto semi = svg.find(';', i);
      if (semi == std::string::npos || semi - i > 8) return ::testing::AssertionFailure() << "bare & at " << i;
      i = semi + 1;
      continue;
    }
    if (svg[i] != '<') {
      ++i;
      continue;
    }
    const auto close = svg.find('>', i);
    if (close == std::string::npos) return ::testing::AssertionFailure() << "unclosed tag at " << i;
    std::string tag = svg.substr(i + 1, close - i - 1);
    // Quotes must balance inside a tag.
    if (std::count(tag.begin(), tag.end(), '"') % 2 != 0) {
      return ::testing::AssertionFailure() << "unbalanced quotes in <" << tag << ">";
    }
    if (tag.find('<') != std::string::npos) return ::testing::AssertionFailure() << "'<' inside a tag at " << i;
    if (tag.front() == '/') {
      const std::string name = tag.substr(1);
      if (stack.empty() || stack.back() != name) {
        return ::testing::AssertionFailure() << "</" << name << "> closes " << (stack.empty() ? "nothing" : stack.back());
      }
      stack.pop_back();
    } else if (tag.back() != '/') {
      stack.push_back(tag.substr(0, tag.find_first_of(" \t\n")));
    }
    i = close + 1;
  }
  if (!stack.empty()) return ::testing::AssertionFailure() << "<" << stack.back() << "> never closed";
  return ::testing::AssertionSuccess();
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(PlotTicks, NiceStepsCoverTheRange) {
  EXPECT_EQ(nice_ticks(0.0, 1.0), (std::vector<double>{0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0}));
  const auto t = nice_ticks(0.0, 37.0);
  ASSERT_GE(t.size(), 3u);
  EXPECT_LE(t.front(), 0.0);
  EXPECT_GE(t.back(), 37.0);
  EXPECT_DOUBLE_EQ(t[1] - t[0], 10.0);
  const auto neg = nice_ticks(-3.2, 4.9);
  EXPECT_LE(neg.front(), -3.2);
  EXPECT_GE(neg.back(), 4.9);
  const auto flat = nice_ticks(5.0, 5.0);  // degenerate: a range around the value
  ASSERT_GE(flat.size(), 2u);
  EXPECT_LT(flat.front(), 5.0);
  EXPECT_GT(flat.back(), 5.0);
  EXPECT_EQ(nice_ticks(std::nan(""), 1.0), (std::vector<double>{0.0, 1.0}));
}

TEST(PlotEscape, SpecialCharacters) {
  EXPECT_EQ(escape_xml("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
  EXPECT_EQ(escape_xml(std::string("x\x01y")), "x y");
}

LineChart roc_like() {
  LineChart c;
  c.title = "ROC curve <test>";
  c.x = {"False positive rate", 0.0, 1.0};
  c.y = {"True positive rate", 0.0, 1.0};
  c.diagonal = true;
  Series a{"smote (AUC 0.91)", {0.0, 0.1, 0.3, 1.0}, {0.0, 0.6, 0.9, 1.0}};
  Series b{"baseline & weights", {0.0, 0.2, 1.0}, {0.0, 0.5, 1.0}};
  b.dashed = true;
  c.series = {a, b};
  c.markers = {{0.3, "threshold 0.42"}};
  return c;
}

TEST(PlotLine, LabelledWellFormedAndDeterministic) {
  const auto svg = render(roc_like());
  EXPECT_TRUE(well_formed(svg));
  EXPECT_NE(svg.find("viewBox=\"0 0 640 420\""), std::string::npos);
  EXPECT_NE(svg.find("ROC curve &lt;test&gt;"), std::string::npos);
  EXPECT_NE(svg.find("False positive rate"), std::string::npos);
  EXPECT_NE(svg.find("True positive rate"), std::string::npos);
  EXPECT_NE(svg.find(">smote (AUC 0.91)<"), std::string::npos);
  EXPECT_NE(svg.find(">baseline &amp; weights<"), std::string::npos);
  EXPECT_NE(svg.find("y = x (reference)"), std::string::npos);
  EXPECT_NE(svg.find("threshold 0.42"), std::string::npos);
  EXPECT_EQ(count(svg, "<path "), 2u);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(svg.find("inf"), std::string::npos);
  EXPECT_EQ(svg, render(roc_like()));
}

TEST(PlotLine, LongCurvesAreSimplifiedAndGapsBreakTheLine) {
  LineChart c;
  c.title = "long";
  Series s{"straight", {}, {}};
  for (int i = 0; i <= 100000; ++i) {
    s.x.push_back(i / 100000.0);
    s.y.push_back(i / 100000.0);
  }
  c.series = {s};
  auto svg = render(c);
  EXPECT_TRUE(well_formed(svg));
  EXPECT_LT(svg.size(), 6000u);  // a straight line is two points whatever its length
  c.series[0].y[50000] = std::numeric_limits<double>::quiet_NaN();
  svg = render(c);
  EXPECT_EQ(count(svg, "<path "), 2u);
  // A curve with detail keeps it.
  Series w{"zigzag", {}, {}};
  for (int i = 0; i <= 20; ++i) {
    w.x.push_back(i);
    w.y.push_back(i % 2);
  }
  c.series = {w};
  svg = render(c);
  const auto d = svg.find(" d=\"");
  ASSERT_NE(d, std::string::npos);
  const std::string path = svg.substr(d + 4, svg.find('"', d + 4) - d - 4);
  EXPECT_EQ(count(path, "L"), 20u);
}

TEST(PlotLine, StepsAndMarkers) {
  LineChart c;
  c.title = "PR";
  Series s{"pr", {0.0, 0.5, 1.0}, {1.0, 0.8, 0.3}};
  s.steps = true;
  s.markers = true;
  c.series = {s};
  c.baseline = 0.1;
  c.baseline_label = "prevalence 0.10";
  const auto svg = render(c);
  EXPECT_TRUE(well_formed(svg));
  EXPECT_EQ(count(svg, "<circle"), 5u);  // 3 + 2 step corners
  EXPECT_NE(svg.find("prevalence 0.10"), std::string::npos);
}

TEST(PlotLine, ManyCurvesPutTheLegendBelow) {
  LineChart c;
  c.title = "many";
  for (int i = 0; i < 9; ++i) c.series.push_back({"curve " + std::to_string(i), {0.0, 1.0}, {0.0, 0.1 * i}});
  const auto svg = render(c);
  EXPECT_TRUE(well_formed(svg));
  EXPECT_NE(svg.find("viewBox=\"0 0 640 518\""), std::string::npos);  // 420 + 5 rows x 18 + 8
  EXPECT_NE(svg.find(">curve 8<"), std::string::npos);
}

TEST(PlotBar, GroupsWithValueLabels) {
  BarChart c;
  c.title = "Class counts";
  c.x_label = "class";
  c.y_label = "rows";
  c.categories = {"negative", "positive"};
  c.groups = {{"before", {120000, 1200}}, {"after", {120000, 120000}}};
  const auto svg = render(c);
  EXPECT_TRUE(well_formed(svg));
  EXPECT_EQ(count(svg, "<rect"), 2u /* background, frame */ + 4u + 2u /* legend boxes */);
  EXPECT_NE(svg.find(">120,000<"), std::string::npos);
  EXPECT_NE(svg.find(">1,200<"), std::string::npos);
  EXPECT_NE(svg.find(">before<"), std::string::npos);
  EXPECT_NE(svg.find(">negative<"), std::string::npos);
}

TEST(PlotScatter, SubsamplesLargeGroupsAndSaysSo) {
  ScatterChart c;
  c.title = "PCA";
  c.x.label = "PC1";
  c.y.label = "PC2";
  ScatterGroup a{"original", {}, {}};
  for (int i = 0; i < 10000; ++i) {
    a.x.push_back(std::sin(i));
    a.y.push_back(std::cos(i * 0.7));
  }
  ScatterGroup b{"synthetic", {0.1, 0.2}, {0.3, 0.4}, true, 0};
  c.groups = {a, b};
  c.max_points_per_group = 1000;
  const auto svg = render(c);
  EXPECT_TRUE(well_formed(svg));
  EXPECT_NE(svg.find("original (1,000 of 10,000 shown)"), std::string::npos);
  EXPECT_EQ(count(svg, "<circle"), 1000u + 2u + 2u /* legend */);
}

TEST(PlotHeatmap, CellsAndLabels) {
  Heatmap h;
  h.title = "Confusion matrix";
  h.row_title = "true class";
  h.column_title = "predicted class";
  h.row_labels = {"0", "1"};
  h.column_labels = {"0", "1"};
  h.values = {90, 10, 3, 7};
  const auto svg = render(h);
  EXPECT_TRUE(well_formed(svg));
  EXPECT_NE(svg.find(">90<"), std::string::npos);
  EXPECT_NE(svg.find("predicted class"), std::string::npos);
  EXPECT_NE(svg.find("true class"), std::string::npos);
  h.cell_text = {"90 (90%)", "10", "3", "7"};
  EXPECT_NE(render(h).find(">90 (90%)<"), std::string::npos);
}

}  // namespace
}  // namespace imbal::plot
