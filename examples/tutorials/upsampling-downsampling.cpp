// Tutorial "Up-sampling and down-sampling" (docs/tutorials/upsampling-downsampling.md), in C++:
// a 90 % / 10 % toy set from imbal's generator, then random over-sampling, random
// under-sampling and SMOTE, printing the class counts after each.
#include <imbal/imbal.hpp>

#include <cstdio>

namespace {

void print_counts(const char* title, const imbal::Dataset& data) {
  std::printf("%s\n", title);
  const auto counts = data.class_counts();
  for (std::size_t c = 0; c < counts.size(); ++c)
    std::printf("  %s  %zu\n", data.classes().names[c].c_str(), counts[c]);
}

imbal::Dataset resample(const imbal::Dataset& data, const char* method) {
  imbal::SamplerOptions options;  // sampling_strategy "auto": balance every class
  options.random_state = 42;
  return imbal::make_sampler(method, options)->fit_resample(data);
}

}  // namespace

int main() {
  // 1. The toy set: 1000 rows, 2 informative features, one cluster per class, 90 % / 10 %.
  imbal::MakeClassificationOptions o;
  o.n_samples = 1000;
  o.n_features = 2;
  o.n_informative = 2;
  o.n_redundant = 0;
  o.n_clusters_per_class = 1;
  o.weights = {0.9, 0.1};
  o.flip_y = 0.0;  // no label noise: exactly 900 / 100
  o.seed = 42;
  const imbal::Dataset df = imbal::make_classification(o);
  std::printf("first rows:\n");
  for (std::size_t i = 0; i < 3; ++i)
    std::printf("  %9.6f  %9.6f  %s\n", df.X()(i, 0), df.X()(i, 1),
                df.classes().names[static_cast<std::size_t>(df.y()[i])].c_str());
  print_counts("before:", df);

  // 2. Up-sampling: bootstrap the minority until it matches the majority.
  print_counts("random-over:", resample(df, "random-over"));
  // 3. Down-sampling: drop majority rows at random until they match the minority.
  print_counts("random-under:", resample(df, "random-under"));
  // 6. SMOTE: new minority rows on the segments between minority neighbours.
  print_counts("smote:", resample(df, "smote"));
  return 0;
}
