// A downstream project: resamples a tiny dataset through the installed library.
#include <imbal/registry.hpp>

#include <cstdio>
#include <vector>

int main() {
  std::vector<double> x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  std::vector<std::int32_t> y = {0, 0, 0, 0, 0, 0, 0, 1, 1, 0};
  imbal::SamplerOptions options;
  options.random_state = 7;
  auto sampler = imbal::make_sampler("random-over", options);
  const auto result = sampler->fit_resample(imbal::MatrixView(x.data(), 10, 1), y, 2);
  std::printf("rows after random-over: %zu\n", result.X.rows());
  return result.X.rows() == 16 ? 0 : 1;
}
