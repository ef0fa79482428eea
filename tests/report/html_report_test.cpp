// The HTML report: every section present when its data is, none when not; self-contained;
// deterministic.
#include "imbal/report.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace imbal::report {
namespace {

ReportData study() {
  ReportData d;
  d.title = "imbal compare: ecoli";
  d.dataset = "ecoli.csv";
  d.rows = 336;
  d.features = 7;
  d.class_names = {"0", "1"};
  d.class_counts = {301, 35};
  d.protocol = "5-fold stratified CV, seed 0";
  d.recommendation = "Use smote + logistic-regression: best average precision.";
  d.metric_names = {"average-precision", "roc-auc", "brier"};
  d.lower_is_better = {false, false, true};
  for (int m = 0; m < 2; ++m) {
    MethodResult r;
    r.name = m == 0 ? "smote" : "baseline <lr>";
    r.scores = {{0.8 - 0.1 * m, 0.02}, {0.9, 0.01}, {0.05 + 0.01 * m, 0.01}};
    r.threshold = 0.4;
    r.pr = {{0.0, 0.5, 1.0}, {1.0, 0.8, 0.1}};
    r.roc = {{0.0, 0.2, 1.0}, {0.0, 0.8, 1.0}};
    r.calibration = {{0.1, 0.5, 0.9}, {0.12, 0.4, 0.95}};
    r.threshold_curves = {{"precision", {{0.1, 0.5, 0.9}, {0.2, 0.6, 0.9}}}, {"recall", {{0.1, 0.5, 0.9}, {1.0, 0.7, 0.2}}}};
    r.confusion = {290, 11, 5, 30};
    if (m == 0) r.resampled_counts = {241, 241};
    d.methods.push_back(r);
  }
  Projection p;
  p.method = "smote";
  p.original = Matrix(4, 2, std::vector<double>{0, 0, 1, 1, 2, 0.5, -1, 0.3});
  p.original_class = {0, 0, 1, 1};
  p.synthetic = Matrix(1, 2, std::vector<double>{1.5, 0.7});
  p.synthetic_class = {1};
  p.explained_variance_ratio[0] = 0.6;
  p.explained_variance_ratio[1] = 0.2;
  d.projection = p;
  return d;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(HtmlReport, EverySectionAndSelfContained) {
  const std::string html = render_html(study());
  for (const char* section : {"Recommendation", "Results", "Data and resampling", "Ranking quality",
                              "Choosing the threshold", "Confusion matrices", "Calibration"}) {
    EXPECT_NE(html.find(std::string("<h2>") + section + "</h2>"), std::string::npos) << section;
  }
  EXPECT_EQ(count(html, "<svg "), 1u /* classes */ + 1u /* pca */ + 2u /* pr, roc */ + 2u /* thresholds */ +
                                      2u /* confusion */ + 1u /* calibration */);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));  // only the SVG namespace
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_NE(html.find("baseline &lt;lr&gt;"), std::string::npos);
  EXPECT_NE(html.find("0.800 ± 0.020"), std::string::npos);
  // The best of each column is marked: highest AP, lowest Brier.
  EXPECT_NE(html.find("<td class=\"best\">0.800 ± 0.020</td>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"best\">0.050 ± 0.010</td>"), std::string::npos);
  EXPECT_NE(html.find("smote (0.800)"), std::string::npos);  // AP in the PR legend
  EXPECT_NE(html.find("chance (prevalence 0.104)"), std::string::npos);
  EXPECT_NE(html.find("290 (96.3%)"), std::string::npos);
  EXPECT_EQ(html, render_html(study()));
}

TEST(HtmlReport, SectionsWithoutDataAreLeftOut) {
  ReportData d = study();
  d.projection.reset();
  for (auto& r : d.methods) {
    r.pr = {};
    r.roc = {};
    r.calibration = {};
    r.threshold_curves.clear();
    r.confusion.clear();
    r.resampled_counts.clear();
  }
  d.recommendation.clear();
  const std::string html = render_html(d);
  EXPECT_EQ(html.find("<svg "), std::string::npos);
  EXPECT_EQ(html.find("Recommendation"), std::string::npos);
  EXPECT_NE(html.find("<h2>Results</h2>"), std::string::npos);
}

TEST(HtmlReport, FormatScore) {
  EXPECT_EQ(format_score({0.5, 0.25}), "0.500 ± 0.250");
  EXPECT_EQ(format_score({std::nan(""), 0.1}), "–");
  EXPECT_EQ(format_score({0.5, std::nan("")}, 2), "0.50");
}

}  // namespace
}  // namespace imbal::report
