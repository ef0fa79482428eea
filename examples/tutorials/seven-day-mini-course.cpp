// Tutorial "The 7-day mini-course" (docs/tutorials/seven-day-mini-course.md), in C++: lessons 2-7
// of "Imbalanced Classification With Python" on data from imbal's generator: class counts, the
// metrics of a logistic regression, random under-sampling, SMOTE and SMOTE-ENN to a 1:2 ratio,
// and cost-sensitive (class-weighted) logistic regression.
#include <imbal/generators.hpp>
#include <imbal/metrics.hpp>
#include <imbal/model_selection.hpp>
#include <imbal/pipeline.hpp>
#include <imbal/registry.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace m = imbal::metrics;

namespace {

// make_classification(n_samples, n_features=2, n_redundant=0, n_clusters_per_class=1,
// weights=[0.99], flip_y=0) with seed 1.
imbal::Dataset make_data(std::size_t n_samples) {
  imbal::MakeClassificationOptions o;
  o.n_samples = n_samples;
  o.n_features = 2;
  o.n_redundant = 0;
  o.n_clusters_per_class = 1;
  o.weights = {0.99};
  o.flip_y = 0.0;
  o.seed = 1;
  return imbal::make_classification(o);
}

void print_counter(const imbal::Dataset& data) {
  const auto counts = data.class_counts();
  std::printf("Counter({0: %zu, 1: %zu})\n", counts[0], counts[1]);
}

imbal::Dataset take(const imbal::Dataset& data, const std::vector<std::size_t>& rows) {
  std::vector<std::int32_t> y;
  for (std::size_t r : rows) y.push_back(data.y()[r]);
  return data.with_rows(imbal::gather_rows(data.X(), rows), std::move(y));
}

std::vector<std::int32_t> fit_predict(const imbal::Dataset& train, const imbal::Dataset& test,
                                      std::vector<std::string> params) {
  imbal::PipelineConfig config;
  config.model = "logistic-regression";
  config.model_params = std::move(params);
  config.random_state = 1;
  imbal::Pipeline pipeline(config);
  pipeline.fit(train);
  return pipeline.predict(test.X());
}

void resample(const imbal::Dataset& data, const char* method) {
  imbal::SamplerOptions options;
  options.sampling_strategy = imbal::SamplingStrategy::from_ratio(0.5);
  options.random_state = 1;
  std::printf("%-13s", method);
  print_counter(imbal::make_sampler(method, options)->fit_resample(data));
}

}  // namespace

int main() {
  std::printf("Lesson 02: ");
  print_counter(make_data(1000));

  // Lesson 03: a stratified 50 / 50 split, logistic regression, four metrics.
  const imbal::Dataset data = make_data(10000);
  namespace ms = imbal::model_selection;
  ms::Split split = ms::train_test_split(data.rows(), ms::SplitSize::fraction(0.5), {}, 1, true, data.y());
  std::sort(split.train.begin(), split.train.end());  // file order, as the CLI's train.csv / test.csv
  std::sort(split.test.begin(), split.test.end());
  const imbal::Dataset train = take(data, split.train), test = take(data, split.test);
  const auto yhat = fit_predict(train, test, {});
  std::printf("Lesson 03: Accuracy: %.3f\n", m::accuracy_score(test.y(), yhat));
  std::printf("           Precision: %.3f\n", m::precision_score(test.y(), yhat));
  std::printf("           Recall: %.3f\n", m::recall_score(test.y(), yhat));
  std::printf("           F-measure: %.3f\n", m::f1_score(test.y(), yhat));

  // Lessons 04-06: to a 1:2 minority:majority ratio.
  std::printf("Lessons 04-06, before: ");
  print_counter(data);
  resample(data, "random-under");
  resample(data, "smote");
  resample(data, "smote-enn");

  // Lesson 07: cost-sensitive logistic regression.
  const auto weighted = fit_predict(train, test, {"class_weight=balanced"});
  std::printf("Lesson 07: F-Measure: %.3f\n", m::f1_score(test.y(), weighted));
  return 0;
}
