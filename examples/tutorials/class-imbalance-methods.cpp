// Tutorial "Handling class imbalance: metrics, thresholds, weights, resampling, focal loss"
// (docs/tutorials/class-imbalance-methods.md), in C++: a 95 % / 5 % problem from imbal's
// generator, a stratified 70 / 30 split, logistic regression as it is, with class weights and
// after random over-sampling, random under-sampling and SMOTE, all scored on the untouched test
// rows; the threshold that maximises F1; the focal loss.
#include <imbal/focal_loss.hpp>
#include <imbal/generators.hpp>
#include <imbal/metrics.hpp>
#include <imbal/model_selection.hpp>
#include <imbal/pipeline.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace m = imbal::metrics;

namespace {

imbal::Dataset take(const imbal::Dataset& data, const std::vector<std::size_t>& rows) {
  std::vector<std::int32_t> y;
  for (std::size_t r : rows) y.push_back(data.y()[r]);
  return data.with_rows(imbal::gather_rows(data.X(), rows), std::move(y));
}

std::vector<double> column(const imbal::Matrix& proba, std::size_t c) {
  std::vector<double> out(proba.rows());
  for (std::size_t i = 0; i < proba.rows(); ++i) out[i] = proba(i, c);
  return out;
}

void print_counts(const char* title, const std::vector<std::size_t>& counts) {
  std::printf("%s [%zu %zu]\n", title, counts[0], counts[1]);
}

struct Fitted {
  std::vector<std::int32_t> pred;  // the most probable class
  std::vector<double> p1;          // probability of class 1
};

// Fits logistic regression (max_iter=200), after `sampler` (none: "") on the training rows
// only, and predicts the test rows.
Fitted fit(const imbal::Dataset& train, const imbal::Dataset& test, const std::string& sampler,
           std::vector<std::string> model_params = {}) {
  imbal::PipelineConfig config;
  config.model = "logistic-regression";
  model_params.push_back("max_iter=200");
  config.model_params = model_params;
  if (!sampler.empty()) config.samplers = {{sampler, {}, ""}};
  config.random_state = 42;
  imbal::Pipeline pipeline(config);
  pipeline.fit(train);
  if (!sampler.empty()) print_counts("After: ", pipeline.fit_info().rows_after);
  return {pipeline.predict(test.X()), column(pipeline.predict_proba(test.X()), 1)};
}

}  // namespace

int main() {
  // 95 % negative, 5 % positive, 5 % of the labels flipped at random.
  imbal::MakeClassificationOptions o;
  o.n_samples = 2000;
  o.n_features = 20;
  o.n_informative = 5;
  o.weights = {0.95, 0.05};
  o.flip_y = 0.05;
  o.seed = 42;
  const imbal::Dataset data = imbal::make_classification(o);
  const auto counts = data.class_counts();
  print_counts("Class distribution:", counts);
  std::printf("Positive rate: %.3f\n", static_cast<double>(counts[1]) / static_cast<double>(data.rows()));

  namespace ms = imbal::model_selection;
  ms::Split split = ms::train_test_split(data.rows(), ms::SplitSize::fraction(0.3), {}, 42, true, data.y());
  // The split returns its rows shuffled; keep them in data order, as the CLI's train.csv / test.csv.
  std::sort(split.train.begin(), split.train.end());
  std::sort(split.test.begin(), split.test.end());
  const imbal::Dataset train = take(data, split.train), test = take(data, split.test);
  const auto y_test = test.y();
  const double positives = static_cast<double>(std::count(y_test.begin(), y_test.end(), 1));

  // The accuracy trap.
  std::printf("\n'Always negative' accuracy: %.3f\n", 1.0 - positives / static_cast<double>(test.rows()));
  const Fitted base = fit(train, test, "");
  std::printf("Model accuracy: %.3f\n", m::accuracy_score(y_test, base.pred));
  std::printf("But recall on positive class: %.3f\n", m::recall_score(y_test, base.pred));
  const m::ConfusionMatrix cm = m::confusion_matrix(y_test, base.pred);
  std::printf("\nConfusion matrix:\n[[%4.0f %4.0f]\n [%4.0f %4.0f]]\n\n", cm.at(0, 0), cm.at(0, 1), cm.at(1, 0),
              cm.at(1, 1));
  std::printf("%s\n", m::classification_report(y_test, base.pred).text().c_str());

  // The precision-recall curve and the threshold with the best F1 on it.
  std::printf("Average precision: %.3f\n", m::average_precision_score(y_test, base.p1, 1));
  const m::PrecisionRecallCurve pr = m::precision_recall_curve(y_test, base.p1, 1);
  std::size_t best = 0;
  double best_f1 = -1.0;
  for (std::size_t i = 0; i + 1 < pr.precision.size(); ++i) {
    const double f1 = 2 * pr.precision[i] * pr.recall[i] / (pr.precision[i] + pr.recall[i] + 1e-10);
    if (f1 > best_f1) best_f1 = f1, best = i;
  }
  std::printf("Best threshold for F1: %.3f\n", pr.thresholds[best]);
  std::printf("At this threshold: precision=%.3f, recall=%.3f\n\n", pr.precision[best], pr.recall[best]);
  std::printf("With tuned threshold:\n%s\n",
              m::classification_report(y_test, imbal::apply_threshold(base.p1, pr.thresholds[best])).text().c_str());

  // Method 1: class weights.
  const Fitted weighted = fit(train, test, "", {"class_weight=balanced"});
  std::printf("With class_weight='balanced':\n%s\n", m::classification_report(y_test, weighted.pred).text().c_str());
  std::printf("AUC-ROC: %.3f\n\n", m::roc_auc_score(y_test, weighted.p1, 1));

  // Methods 2-4: resampling the training rows only (the pipeline runs the sampler in fit).
  print_counts("Before:", train.class_counts());
  const Fitted over = fit(train, test, "random-over");
  std::printf("With oversampling:\n%s\n", m::classification_report(y_test, over.pred).text().c_str());
  const Fitted under = fit(train, test, "random-under");
  std::printf("With undersampling:\n%s\n", m::classification_report(y_test, under.pred).text().c_str());
  const Fitted smote = fit(train, test, "smote");
  std::printf("With SMOTE:\n%s\n", m::classification_report(y_test, smote.pred).text().c_str());

  // Compare all methods by average precision (the area under each precision-recall curve).
  const std::pair<const char*, const Fitted*> methods[] = {
      {"Baseline", &base}, {"Class weights", &weighted}, {"Oversampling", &over},
      {"Undersampling", &under}, {"SMOTE", &smote}};
  for (const auto& [name, f] : methods)
    std::printf("%-14s AP=%.3f\n", name, m::average_precision_score(y_test, f->p1, 1));

  // Method 5: the focal loss, as a score of the baseline's probabilities, then as the training loss.
  std::printf("\nBCE loss: %.4f\n", m::log_loss(y_test, base.p1, 1));
  std::printf("Focal loss: %.4f\n", imbal::focal_loss(y_test, base.p1, 2.0, 0.25));
  const Fitted focal = fit(train, test, "", {"focal_gamma=2", "focal_alpha=0.25"});
  std::printf("Trained with the focal loss: AP=%.3f\n", m::average_precision_score(y_test, focal.p1, 1));
  return 0;
}
