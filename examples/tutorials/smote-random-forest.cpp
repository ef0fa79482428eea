// Tutorial "SMOTE, then a random forest" (docs/tutorials/smote-random-forest.md), in C++ on the
// Pima diabetes data: a stratified 80 / 20 split, SMOTE on the training rows only, a random
// forest on the resampled rows, the classification report on the untouched test rows; then
// the other approaches of the notes (class weights, a balanced random forest, an anomaly
// detector) scored the same way.
// Usage: smote-random-forest DATASETS_DIR
#include <imbal/csv.hpp>
#include <imbal/metrics.hpp>
#include <imbal/model_selection.hpp>
#include <imbal/pipeline.hpp>
#include <imbal/registry.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace {

imbal::Dataset take(const imbal::Dataset& data, const std::vector<std::size_t>& rows) {
  std::vector<std::int32_t> y;
  for (std::size_t r : rows) y.push_back(data.y()[r]);
  return data.with_rows(imbal::gather_rows(data.X(), rows), std::move(y));
}

// Fits `model` (with its parameters) on `train`, prints the report on `test` and the ROC AUC.
void fit_and_report(const char* title, const imbal::Dataset& train, const imbal::Dataset& test,
                    const std::string& model, std::vector<std::string> params = {}) {
  imbal::PipelineConfig config;
  config.model = model;
  config.model_params = std::move(params);
  config.random_state = 42;
  imbal::Pipeline pipeline(config);
  pipeline.fit(train);
  const auto pred = pipeline.predict(test.X());
  const imbal::Matrix proba = pipeline.predict_proba(test.X());
  std::vector<double> p1(proba.rows());
  for (std::size_t i = 0; i < proba.rows(); ++i) p1[i] = proba(i, 1);
  std::printf("%s\n%s", title,
              imbal::metrics::classification_report(test.y(), pred, {}, test.classes().names).text().c_str());
  std::printf("ROC AUC: %.3f\n\n", imbal::metrics::roc_auc_score(test.y(), p1, 1));
}

}  // namespace

int main(int argc, char** argv) {
  const std::string datasets = argc > 1 ? argv[1] : "../shared/datasets";
  const imbal::Dataset data = imbal::read_csv(datasets + "/pima.csv");  // classes negative, positive

  // Split into training and test sets (stratified; rows kept in file order, as the CLI's files).
  namespace ms = imbal::model_selection;
  ms::Split split = ms::train_test_split(data.rows(), ms::SplitSize::fraction(0.2), {}, 42, true, data.y());
  std::sort(split.train.begin(), split.train.end());
  std::sort(split.test.begin(), split.test.end());
  const imbal::Dataset train = take(data, split.train), test = take(data, split.test);

  // Apply SMOTE to the training rows only.
  imbal::SamplerOptions options;
  options.random_state = 42;
  const imbal::Dataset resampled = imbal::make_sampler("smote", options)->fit_resample(train);
  const auto before = train.class_counts(), after = resampled.class_counts();
  std::printf("training rows: negative %zu, positive %zu -> after SMOTE: negative %zu, positive %zu\n\n",
              before[0], before[1], after[0], after[1]);

  // A random forest on the resampled rows, evaluated on the untouched test rows.
  fit_and_report("SMOTE + random forest:", resampled, test, "random-forest");

  // The other approaches of the notes, on the original training rows.
  fit_and_report("random forest, class_weight=balanced:", train, test, "random-forest", {"class_weight=balanced"});
  fit_and_report("balanced random forest:", train, test, "balanced-random-forest");
  return 0;
}
