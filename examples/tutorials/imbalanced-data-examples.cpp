// Tutorial "Imbalanced data, strategy by strategy" (docs/tutorials/imbalanced-data-examples.md),
// in C++ on the mammography dataset (2.3 % positives): class counts, random over- and
// under-sampling, SMOTE, class weights, two decision thresholds, a class-weighted random forest,
// stratified 2-fold splitting and a scaling -> SMOTE -> logistic regression pipeline.
// Usage: imbalanced-data-examples DATASETS_DIR
#include <imbal/csv.hpp>
#include <imbal/model_selection.hpp>
#include <imbal/pipeline.hpp>
#include <imbal/registry.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace {

void print_counts(const char* title, const imbal::ClassLabels& classes, const std::vector<std::size_t>& counts) {
  std::size_t total = 0;
  for (std::size_t c : counts) total += c;
  std::printf("%s\n", title);
  for (std::size_t c = 0; c < counts.size(); ++c)
    std::printf("  %-3s %6zu  %.4f\n", classes.names[c].c_str(), counts[c],
                static_cast<double>(counts[c]) / static_cast<double>(total));
}

// How many rows a fitted pipeline predicts in each class.
std::vector<std::size_t> predicted_counts(const imbal::Pipeline& pipeline, const imbal::Dataset& data) {
  std::vector<std::size_t> counts(data.n_classes(), 0);
  for (std::int32_t label : pipeline.predict(data.X())) ++counts[static_cast<std::size_t>(label)];
  return counts;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string datasets = argc > 1 ? argv[1] : "../shared/datasets";
  const imbal::Dataset data = imbal::read_csv(datasets + "/imb_mammography.csv");
  const imbal::ClassLabels& classes = data.classes();  // "-1" (majority), "1" (minority)
  print_counts("Class distribution:", classes, data.class_counts());

  // 1.1 / 1.2 / 2: random over-sampling, random under-sampling, SMOTE (strategy "auto").
  for (const char* method : {"random-over", "random-under", "smote"}) {
    imbal::SamplerOptions options;
    options.random_state = 42;
    const imbal::Dataset balanced = imbal::make_sampler(method, options)->fit_resample(data);
    print_counts(method, classes, balanced.class_counts());
  }

  // 3 / 4: logistic regression with balanced class weights; positives predicted on the training
  // rows at the thresholds 0.5 and 0.3.
  for (double threshold : {0.5, 0.3}) {
    imbal::PipelineConfig config;
    config.model = "logistic-regression";
    config.model_params = {"class_weight=balanced"};
    config.threshold.rule = imbal::DecisionRule::FixedThreshold;
    config.threshold.value = threshold;
    config.random_state = 42;
    imbal::Pipeline pipeline(config);
    pipeline.fit(data);
    std::printf("threshold %.2f:", threshold);
    print_counts("", classes, predicted_counts(pipeline, data));
  }

  // 5: a random forest with balanced class weights, predicting its own training rows.
  imbal::PipelineConfig forest;
  forest.model = "random-forest";
  forest.model_params = {"n_estimators=100", "class_weight=balanced"};
  forest.random_state = 42;
  imbal::Pipeline rf(forest);
  rf.fit(data);
  print_counts("random forest, predicted on its training rows:", classes, predicted_counts(rf, data));

  // Stratified 2-fold cross-validation: the class counts of every fold.
  const auto folds = imbal::model_selection::StratifiedKFold(2, true, 42).split(data.y());
  for (std::size_t f = 0; f < folds.size(); ++f) {
    std::vector<std::size_t> train(2, 0), test(2, 0);
    for (std::size_t r : folds[f].train) ++train[static_cast<std::size_t>(data.y()[r])];
    for (std::size_t r : folds[f].test) ++test[static_cast<std::size_t>(data.y()[r])];
    std::printf("fold %zu: train %zu / %zu, test %zu / %zu\n", f + 1, train[0], train[1], test[0], test[1]);
  }

  // The pipeline: standard scaling -> SMOTE (training rows only) -> logistic regression.
  imbal::PipelineConfig config;
  config.scaling = imbal::Scaling::Standard;
  config.samplers = {{"smote", {}, ""}};
  config.model = "logistic-regression";
  config.random_state = 42;
  imbal::Pipeline pipeline(config);
  pipeline.fit(data);
  print_counts("pipeline: rows the model was fitted on", classes, pipeline.fit_info().rows_after);
  return 0;
}
