// Hand-computed cases for the metrics (the Python suite compares with scikit-learn / imblearn).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "imbal/error.hpp"
#include "imbal/focal_loss.hpp"
#include "imbal/metrics.hpp"

namespace m = imbal::metrics;

namespace {
// Confusion (true rows, pred columns): [[1, 1], [1, 2]]; class 1: tp 2, fp 1, fn 1, tn 1.
const std::vector<std::int32_t> kTrue = {0, 0, 1, 1, 1};
const std::vector<std::int32_t> kPred = {0, 1, 1, 1, 0};

m::LabelOptions with(m::Average a) {
  m::LabelOptions o;
  o.average = a;
  return o;
}
}  // namespace

TEST(Metrics, ConfusionMatrixAndNormalisation) {
  const auto cm = m::confusion_matrix(kTrue, kPred);
  EXPECT_EQ(cm.labels, (std::vector<std::int32_t>{0, 1}));
  EXPECT_EQ(cm.values, (std::vector<double>{1, 1, 1, 2}));
  const auto t = m::confusion_matrix(kTrue, kPred, {}, {}, m::Normalize::True);
  EXPECT_DOUBLE_EQ(t.at(1, 1), 2.0 / 3.0);
  const auto p = m::confusion_matrix(kTrue, kPred, {}, {}, m::Normalize::Pred);
  EXPECT_DOUBLE_EQ(p.at(0, 0), 0.5);
  const auto a = m::confusion_matrix(kTrue, kPred, {}, {}, m::Normalize::All);
  EXPECT_DOUBLE_EQ(a.at(1, 1), 0.4);
  // A label absent from both gives a zero row and column; normalised 0/0 is 0.
  const std::vector<std::int32_t> labels = {0, 1, 2};
  const auto z = m::confusion_matrix(kTrue, kPred, labels, {}, m::Normalize::True);
  EXPECT_EQ(z.at(2, 2), 0.0);
  const std::vector<std::int32_t> absent = {5};
  EXPECT_THROW(m::confusion_matrix(kTrue, kPred, absent), imbal::InvalidArgument);
}

TEST(Metrics, PrecisionRecallFAllAverages) {
  EXPECT_DOUBLE_EQ(m::accuracy_score(kTrue, kPred), 0.6);
  EXPECT_DOUBLE_EQ(m::accuracy_score(kTrue, kPred, false), 3.0);
  EXPECT_DOUBLE_EQ(m::precision_score(kTrue, kPred), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(m::recall_score(kTrue, kPred), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(m::f1_score(kTrue, kPred), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(m::precision_score(kTrue, kPred, with(m::Average::Macro)), 7.0 / 12.0);
  EXPECT_DOUBLE_EQ(m::precision_score(kTrue, kPred, with(m::Average::Weighted)), 0.6);
  EXPECT_DOUBLE_EQ(m::precision_score(kTrue, kPred, with(m::Average::Micro)), 0.6);
  const auto per = m::precision_scores(kTrue, kPred, with(m::Average::None));
  ASSERT_EQ(per.size(), 2u);
  EXPECT_DOUBLE_EQ(per[0], 0.5);
  // F-beta: (1 + b^2) p r / (b^2 p + r) with p = r gives p.
  EXPECT_DOUBLE_EQ(m::fbeta_score(kTrue, kPred, 2.0), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(m::fbeta_score(kTrue, kPred, INFINITY), 2.0 / 3.0);
  EXPECT_THROW(m::precision_score(kTrue, kPred, with(m::Average::None)), imbal::InvalidArgument);
  const std::vector<std::int32_t> three = {0, 1, 2, 2, 1};
  EXPECT_THROW(m::precision_score(three, kPred), imbal::InvalidArgument);  // multiclass with average binary
  m::LabelOptions bad;
  bad.pos_label = 4;
  EXPECT_THROW(m::precision_score(kTrue, kPred, bad), imbal::InvalidArgument);
}

TEST(Metrics, ZeroDivisionWarnsOrSets) {
  const std::vector<std::int32_t> neg = {0, 0, 0};
  m::Warnings w;
  m::LabelOptions o;
  o.warnings = &w;
  EXPECT_EQ(m::precision_score(neg, neg, o), 0.0);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("Precision is ill-defined"), std::string::npos);
  o.zero_division = m::ZeroDivision::One;
  w.clear();
  EXPECT_EQ(m::precision_score(neg, neg, o), 1.0);
  EXPECT_EQ(m::f1_score(neg, neg, o), 1.0);
  EXPECT_TRUE(w.empty());
  o.zero_division = m::ZeroDivision::Zero;
  EXPECT_EQ(m::recall_score(neg, neg, o), 0.0);
}

TEST(Metrics, ImbalancedLearnScores) {
  EXPECT_DOUBLE_EQ(m::sensitivity_score(kTrue, kPred), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(m::specificity_score(kTrue, kPred), 0.5);
  m::LabelOptions mc;
  mc.average = m::Average::Multiclass;
  EXPECT_NEAR(m::geometric_mean_score(kTrue, kPred, mc), std::sqrt(1.0 / 3.0), 1e-15);
  EXPECT_NEAR(m::geometric_mean_score(kTrue, kPred, {}), std::sqrt(1.0 / 3.0), 1e-15);
  // A zero recall makes the geometric mean 0 unless corrected.
  const std::vector<std::int32_t> t = {0, 0, 1, 1}, p = {0, 0, 0, 0};
  EXPECT_EQ(m::geometric_mean_score(t, p, mc), 0.0);
  EXPECT_NEAR(m::geometric_mean_score(t, p, mc, 0.001), std::sqrt(0.001), 1e-15);
  // IBA binary: (1 + 0.1 (2/3 - 1/2)) * (sqrt(1/3))^2
  const auto iba = m::iba_geometric_mean_scores(kTrue, kPred, {}, 0.1, true);
  EXPECT_NEAR(iba[0], (1 + 0.1 * (2.0 / 3.0 - 0.5)) / 3.0, 1e-15);
}

TEST(Metrics, BalancedAccuracyMccKappaLikelihoodRatios) {
  EXPECT_DOUBLE_EQ(m::balanced_accuracy_score(kTrue, kPred), 7.0 / 12.0);
  EXPECT_NEAR(m::balanced_accuracy_score(kTrue, kPred, {}, true), 1.0 / 6.0, 1e-15);
  EXPECT_NEAR(m::matthews_corrcoef(kTrue, kPred), 1.0 / 6.0, 1e-15);
  EXPECT_NEAR(m::cohen_kappa_score(kTrue, kPred), 1.0 / 6.0, 1e-15);
  EXPECT_NEAR(m::cohen_kappa_score(kTrue, kPred, {}, m::KappaWeights::Linear), 1.0 / 6.0, 1e-15);  // 2 classes
  const auto lr = m::class_likelihood_ratios(kTrue, kPred);
  EXPECT_NEAR(lr.positive, 4.0 / 3.0, 1e-15);
  EXPECT_NEAR(lr.negative, 2.0 / 3.0, 1e-15);
  m::Warnings w;
  const std::vector<std::int32_t> same = {1, 1};
  const auto nan = m::class_likelihood_ratios(same, same, {}, {}, &w);
  EXPECT_TRUE(std::isnan(nan.positive) && std::isnan(nan.negative));
  EXPECT_EQ(w.size(), 1u);
  // Perfect agreement: MCC 1; constant prediction: MCC 0.
  EXPECT_DOUBLE_EQ(m::matthews_corrcoef(kTrue, kTrue), 1.0);
  const std::vector<std::int32_t> ones(5, 1);
  EXPECT_EQ(m::matthews_corrcoef(kTrue, ones), 0.0);
}

TEST(Metrics, SampleWeightsScaleCounts) {
  const std::vector<double> w = {1, 1, 2, 2, 2};  // doubling class 1 rows
  m::LabelOptions o;
  o.sample_weight = w;
  EXPECT_DOUBLE_EQ(m::precision_score(kTrue, kPred, o), 4.0 / 5.0);  // tp 4, fp 1
  EXPECT_DOUBLE_EQ(m::accuracy_score(kTrue, kPred, true, w), 5.0 / 8.0);
  const std::vector<double> short_w = {1, 2};
  o.sample_weight = short_w;
  EXPECT_THROW(m::precision_score(kTrue, kPred, o), imbal::InvalidArgument);
}

TEST(Metrics, RocCurveAndAreas) {
  const std::vector<std::int32_t> y = {0, 0, 1, 1};
  const std::vector<double> s = {0.1, 0.4, 0.35, 0.8};
  const auto roc = m::roc_curve(y, s, 1);
  EXPECT_EQ(roc.fpr, (std::vector<double>{0, 0, 0.5, 0.5, 1}));
  EXPECT_EQ(roc.tpr, (std::vector<double>{0, 0.5, 0.5, 1, 1}));
  EXPECT_EQ(roc.thresholds, (std::vector<double>{1.8, 0.8, 0.4, 0.35, 0.1}));
  EXPECT_DOUBLE_EQ(m::roc_auc_score(y, s, 1), 0.75);
  EXPECT_NEAR(m::average_precision_score(y, s, 1, 1), 5.0 / 6.0, 1e-15);
  const auto pr = m::precision_recall_curve(y, s, 1);
  EXPECT_EQ(pr.recall.back(), 0.0);
  EXPECT_EQ(pr.precision.back(), 1.0);
  // Tied scores: one threshold per distinct score.
  const std::vector<double> tied = {0.5, 0.5, 0.5, 0.9};
  EXPECT_EQ(m::roc_curve(y, tied, 1, {}, false).thresholds.size(), 3u);
  EXPECT_DOUBLE_EQ(m::roc_auc_score(y, tied, 1), 0.75);
  // Partial AUC with McClish correction: a perfect ranking gives 1.
  const std::vector<double> perfect = {0.1, 0.2, 0.8, 0.9};
  m::RocAucOptions o;
  o.max_fpr = 0.5;
  EXPECT_DOUBLE_EQ(m::roc_auc_score(y, perfect, 1, o), 1.0);
  const std::vector<std::int32_t> one = {1, 1, 1, 1};
  EXPECT_THROW(m::roc_auc_score(one, s, 1), imbal::InvalidArgument);
  EXPECT_DOUBLE_EQ(m::auc(std::vector<double>{1, 0}, std::vector<double>{1, 1}), 1.0);  // decreasing x
  EXPECT_THROW(m::auc(std::vector<double>{0, 1, 0}, std::vector<double>{1, 1, 1}), imbal::InvalidArgument);
}

TEST(Metrics, MulticlassRocAuc) {
  // Perfect probabilities: every AUC is 1.
  const std::vector<std::int32_t> y = {0, 1, 2, 0, 1, 2};
  std::vector<double> p;
  for (auto c : y)
    for (int k = 0; k < 3; ++k) p.push_back(k == c ? 0.8 : 0.1);
  m::RocAucOptions o;
  o.multi_class = m::MultiClass::Ovr;
  EXPECT_DOUBLE_EQ(m::roc_auc_score(y, p, 3, o), 1.0);
  o.multi_class = m::MultiClass::Ovo;
  EXPECT_DOUBLE_EQ(m::roc_auc_score(y, p, 3, o), 1.0);
  o.multi_class = m::MultiClass::Raise;
  EXPECT_THROW(m::roc_auc_score(y, p, 3, o), imbal::InvalidArgument);
  p[0] = 0.9;  // row no longer sums to 1
  o.multi_class = m::MultiClass::Ovr;
  EXPECT_THROW(m::roc_auc_score(y, p, 3, o), imbal::InvalidArgument);
}

TEST(Metrics, ProbabilisticLosses) {
  const std::vector<std::int32_t> y = {0, 1};
  const std::vector<double> p = {0.2, 0.7};
  EXPECT_DOUBLE_EQ(m::brier_score_loss(y, p, 1), (0.04 + 0.09) / 2);
  EXPECT_NEAR(m::log_loss(y, p, 1), -(std::log(0.8) + std::log(0.7)) / 2, 1e-15);
  const std::vector<double> two = {0.8, 0.2, 0.3, 0.7};
  EXPECT_NEAR(m::log_loss(y, two, 2), -(std::log(0.8) + std::log(0.7)) / 2, 1e-15);
  // A zero probability of the true class is clipped to eps.
  const std::vector<double> certain_wrong = {1.0, 0.0};
  EXPECT_TRUE(std::isfinite(m::log_loss(y, certain_wrong, 1)));
  const std::vector<double> bad = {1.5, 0.5};
  EXPECT_THROW(m::brier_score_loss(y, bad, 1), imbal::InvalidArgument);
}

TEST(Metrics, ReportsFormatLikePython) {
  const std::vector<std::string> names = {"neg", "pos"};
  const auto r = m::classification_report(kTrue, kPred, {}, names);
  const std::string text = r.text();
  EXPECT_NE(text.find("         neg       0.50      0.50      0.50         2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("    accuracy                           0.60         5\n"), std::string::npos) << text;
  const auto ri = m::classification_report_imbalanced(kTrue, kPred, {}, names);
  EXPECT_NE(ri.text().find("avg / total       0.60"), std::string::npos) << ri.text();
  EXPECT_EQ(m::python_float_repr(12.0), "12.0");
  EXPECT_EQ(m::python_float_repr(1e-5), "1e-05");
  EXPECT_EQ(m::python_float_repr(1e16), "1e+16");
  EXPECT_EQ(m::python_float_repr(0.0001), "0.0001");
  EXPECT_EQ(m::python_float_repr(123456789012345680.0), "1.2345678901234568e+17");
  EXPECT_EQ(m::python_float_repr(2.5), "2.5");
}

TEST(Metrics, RegistryEvaluatesByName) {
  m::MetricData d;
  d.y_true = kTrue;
  d.y_pred = kPred;
  d.n_classes = 2;
  EXPECT_DOUBLE_EQ(m::evaluate_metric("f1", d), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(m::evaluate_metric("precision", d, {"average=macro"}), 7.0 / 12.0);
  EXPECT_THROW(m::evaluate_metric("nope", d), imbal::InvalidArgument);
  EXPECT_THROW(m::evaluate_metric("f1", d, {"average=sideways"}), imbal::InvalidArgument);
  for (const auto& e : m::registered_metrics()) EXPECT_FALSE(e.schema().name.empty());
}

TEST(MetricRegistry, FocalLossIsRegisteredLowerIsBetterAndReadsThePositiveClass) {
  const std::vector<std::int32_t> y = {0, 1, 1, 0, 1};
  const std::vector<double> p = {0.2, 0.7, 0.4, 0.1, 0.9};
  m::MetricData d;
  d.y_true = y;
  d.scores = p;
  d.n_columns = 1;
  d.n_classes = 2;
  d.pos_label = 1;
  EXPECT_DOUBLE_EQ(m::evaluate_metric("focal-loss", d), imbal::focal_loss(y, p, 2.0, 0.25));
  EXPECT_DOUBLE_EQ(m::evaluate_metric("focal-loss", d, {"gamma=0", "alpha=0.5"}), imbal::focal_loss(y, p, 0.0, 0.5));
  EXPECT_FALSE(m::find_metric("focal-loss").greater_is_better);
  // Two columns: the pos_label column is read; pos_label 0 flips the roles.
  std::vector<double> two;
  for (double v : p) two.insert(two.end(), {1.0 - v, v});
  d.scores = two;
  d.n_columns = 2;
  EXPECT_NEAR(m::evaluate_metric("focal-loss", d), imbal::focal_loss(y, p, 2.0, 0.25), 1e-15);
  d.pos_label = 0;
  std::vector<std::int32_t> flipped;
  std::vector<double> q;
  for (std::size_t i = 0; i < y.size(); ++i) flipped.push_back(1 - y[i]), q.push_back(1.0 - p[i]);
  EXPECT_NEAR(m::evaluate_metric("focal-loss", d), imbal::focal_loss(flipped, q, 2.0, 0.25), 1e-15);
  d.n_classes = 3;
  EXPECT_THROW(m::evaluate_metric("focal-loss", d), imbal::InvalidArgument);
  d.n_classes = 2;
  EXPECT_THROW(m::evaluate_metric("focal-loss", d, {"alpha=2"}), imbal::InvalidArgument);
}
