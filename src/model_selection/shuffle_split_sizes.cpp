// Train/test sizes and per-class allocation shared by the shuffle splitters: scikit-learn 1.2's
// _validate_shuffle_split and _approximate_mode, reimplemented from their documented behaviour.
#include <algorithm>
#include <cmath>
#include <string>

#include "imbal/error.hpp"
#include "imbal/model_selection.hpp"

namespace imbal::model_selection {

namespace {
std::string spell(SplitSize s) {
  if (s.kind == SplitSize::Kind::Count) return std::to_string(static_cast<long long>(s.value));
  std::string t = std::to_string(s.value);
  return t;
}
}  // namespace

std::pair<std::size_t, std::size_t> validate_shuffle_split(std::size_t n_samples, SplitSize test_size,
                                                           SplitSize train_size, SplitSize default_test) {
  if (test_size.unset() && train_size.unset()) test_size = default_test;
  const double n = static_cast<double>(n_samples);
  auto bad = [&](SplitSize s) {
    return (s.kind == SplitSize::Kind::Count && (s.value >= n || s.value <= 0)) ||
           (s.kind == SplitSize::Kind::Fraction && (!(s.value > 0) || !(s.value < 1)));
  };
  if (bad(test_size))
    throw InvalidArgument("test_size=" + spell(test_size) + " should be either positive and smaller than the number "
                          "of samples " + std::to_string(n_samples) + " or a float in the (0, 1) range");
  if (bad(train_size))
    throw InvalidArgument("train_size=" + spell(train_size) + " should be either positive and smaller than the "
                          "number of samples " + std::to_string(n_samples) + " or a float in the (0, 1) range");
  if (test_size.kind == SplitSize::Kind::Fraction && train_size.kind == SplitSize::Kind::Fraction &&
      train_size.value + test_size.value > 1)
    throw InvalidArgument("the sum of test_size and train_size should be in the (0, 1) range; reduce test_size "
                          "and/or train_size");
  double n_test = 0, n_train = 0;
  if (test_size.kind == SplitSize::Kind::Fraction) n_test = std::ceil(test_size.value * n);
  if (test_size.kind == SplitSize::Kind::Count) n_test = test_size.value;
  if (train_size.kind == SplitSize::Kind::Fraction) n_train = std::floor(train_size.value * n);
  if (train_size.kind == SplitSize::Kind::Count) n_train = train_size.value;
  if (train_size.unset()) n_train = n - n_test;
  else if (test_size.unset()) n_test = n - n_train;
  if (n_train + n_test > n)
    throw InvalidArgument("the sum of train_size and test_size = " + std::to_string(static_cast<long long>(n_train + n_test)) +
                          " should be smaller than the number of samples " + std::to_string(n_samples) +
                          "; reduce test_size and/or train_size");
  if (n_train == 0)
    throw InvalidArgument("with n_samples=" + std::to_string(n_samples) + ", test_size=" + spell(test_size) +
                          " and train_size=" + spell(train_size) + ", the resulting train set would be empty");
  return {static_cast<std::size_t>(n_train), static_cast<std::size_t>(n_test)};
}

std::vector<std::size_t> approximate_mode(std::span<const std::size_t> class_counts, std::size_t n_draws, Rng& rng) {
  double total = 0;
  for (auto c : class_counts) total += static_cast<double>(c);
  const std::size_t k = class_counts.size();
  std::vector<double> continuous(k), remainder(k);
  std::vector<std::size_t> floored(k);
  double floored_sum = 0;
  for (std::size_t i = 0; i < k; ++i) {
    continuous[i] = static_cast<double>(class_counts[i]) / total * static_cast<double>(n_draws);
    const double f = std::floor(continuous[i]);
    floored[i] = static_cast<std::size_t>(f);
    floored_sum += f;
    remainder[i] = continuous[i] - f;
  }
  long long need = static_cast<long long>(static_cast<double>(n_draws) - floored_sum);
  if (need > 0) {
    std::vector<double> values = remainder;
    std::sort(values.begin(), values.end(), std::greater<>());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    for (double v : values) {
      std::vector<std::size_t> inds;
      for (std::size_t i = 0; i < k; ++i)
        if (remainder[i] == v) inds.push_back(i);
      const std::size_t add_now = std::min(inds.size(), static_cast<std::size_t>(need));
      for (std::size_t j : rng.choice(inds.size(), add_now, false)) floored[inds[j]] += 1;
      need -= static_cast<long long>(add_now);
      if (need == 0) break;
    }
  }
  return floored;
}

}  // namespace imbal::model_selection
