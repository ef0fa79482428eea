// StratifiedShuffleSplit and train_test_split with scikit-learn 1.2's per-class counts
// (_approximate_mode for train, then for test on the remaining rows).
#include <algorithm>
#include <numeric>
#include <string>

#include "imbal/error.hpp"
#include "imbal/model_selection.hpp"

namespace imbal::model_selection {

StratifiedShuffleSplit::StratifiedShuffleSplit(std::size_t n_splits, SplitSize test_size, SplitSize train_size,
                                               std::optional<std::uint64_t> random_state)
    : n_splits_(n_splits), test_size_(test_size), train_size_(train_size), random_state_(random_state) {
  if (n_splits < 1) throw InvalidArgument("StratifiedShuffleSplit: n_splits must be at least 1");
}

std::vector<Split> StratifiedShuffleSplit::split(Codes y) const {
  const std::size_t n = y.size();
  if (n == 0) throw InvalidArgument("StratifiedShuffleSplit: y is empty");
  const auto [n_train, n_test] = validate_shuffle_split(n, test_size_, train_size_, SplitSize::fraction(0.1));
  // Classes in sorted code order (np.unique), rows of each class in increasing order.
  std::int32_t max_code = -1;
  for (auto c : y) {
    if (c < 0) throw InvalidArgument("StratifiedShuffleSplit: class codes must be >= 0");
    max_code = std::max(max_code, c);
  }
  std::vector<std::vector<std::size_t>> by_code(static_cast<std::size_t>(max_code + 1));
  for (std::size_t i = 0; i < n; ++i) by_code[static_cast<std::size_t>(y[i])].push_back(i);
  std::vector<std::vector<std::size_t>> class_rows;
  for (auto& rows : by_code)
    if (!rows.empty()) class_rows.push_back(std::move(rows));
  std::vector<std::size_t> counts;
  for (const auto& rows : class_rows) counts.push_back(rows.size());
  const std::size_t n_classes = counts.size();
  if (std::any_of(counts.begin(), counts.end(), [](std::size_t c) { return c < 2; }))
    throw InvalidArgument("StratifiedShuffleSplit: the least populated class in y has only 1 member, which is too "
                          "few; the minimum number of groups for any class cannot be less than 2");
  if (n_train < n_classes)
    throw InvalidArgument("StratifiedShuffleSplit: the train_size = " + std::to_string(n_train) +
                          " should be greater or equal to the number of classes = " + std::to_string(n_classes));
  if (n_test < n_classes)
    throw InvalidArgument("StratifiedShuffleSplit: the test_size = " + std::to_string(n_test) +
                          " should be greater or equal to the number of classes = " + std::to_string(n_classes));
  const std::uint64_t seed = random_state_ ? *random_state_ : random_seed();
  std::vector<Split> out;
  for (std::size_t s = 0; s < n_splits_; ++s) {
    Rng rng(seed, s);
    const auto n_i = approximate_mode(counts, n_train, rng);
    std::vector<std::size_t> remaining(n_classes);
    for (std::size_t k = 0; k < n_classes; ++k) remaining[k] = counts[k] - n_i[k];
    const auto t_i = approximate_mode(remaining, n_test, rng);
    Split split;
    for (std::size_t k = 0; k < n_classes; ++k) {
      auto rows = class_rows[k];
      rng.shuffle(rows);
      split.train.insert(split.train.end(), rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(n_i[k]));
      split.test.insert(split.test.end(), rows.begin() + static_cast<std::ptrdiff_t>(n_i[k]),
                        rows.begin() + static_cast<std::ptrdiff_t>(n_i[k] + t_i[k]));
    }
    rng.shuffle(split.train);
    rng.shuffle(split.test);
    out.push_back(std::move(split));
  }
  return out;
}

Split train_test_split(std::size_t n_samples, SplitSize test_size, SplitSize train_size,
                       std::optional<std::uint64_t> random_state, bool shuffle, Codes stratify) {
  if (!stratify.empty() && stratify.size() != n_samples)
    throw InvalidArgument("train_test_split: stratify has " + std::to_string(stratify.size()) +
                          " labels, expected " + std::to_string(n_samples));
  const auto [n_train, n_test] = validate_shuffle_split(n_samples, test_size, train_size, SplitSize::fraction(0.25));
  Split split;
  if (!shuffle) {
    if (!stratify.empty())
      throw InvalidArgument("train_test_split: stratified train/test split is not implemented for shuffle=false");
    split.train.resize(n_train);
    std::iota(split.train.begin(), split.train.end(), std::size_t{0});
    split.test.resize(n_test);
    std::iota(split.test.begin(), split.test.end(), n_train);
    return split;
  }
  if (!stratify.empty()) {
    return StratifiedShuffleSplit(1, SplitSize::count(n_test), SplitSize::count(n_train), random_state)
        .split(stratify)
        .front();
  }
  Rng rng(random_state ? *random_state : random_seed());
  std::vector<std::size_t> perm(n_samples);
  std::iota(perm.begin(), perm.end(), std::size_t{0});
  rng.shuffle(perm);
  split.test.assign(perm.begin(), perm.begin() + static_cast<std::ptrdiff_t>(n_test));
  split.train.assign(perm.begin() + static_cast<std::ptrdiff_t>(n_test),
                     perm.begin() + static_cast<std::ptrdiff_t>(n_test + n_train));
  return split;
}

}  // namespace imbal::model_selection
