// StratifiedKFold and RepeatedStratifiedKFold with scikit-learn 1.2's fold allocation: classes
// numbered by first appearance, the class-sorted label sequence dealt round-robin to the folds,
// so that fold class counts (and, without shuffle, the folds themselves) equal scikit-learn's.
#include <algorithm>
#include <string>

#include "imbal/error.hpp"
#include "imbal/model_selection.hpp"

namespace imbal::model_selection {

StratifiedKFold::StratifiedKFold(std::size_t n_splits, bool shuffle, std::optional<std::uint64_t> random_state)
    : n_splits_(n_splits), shuffle_(shuffle), random_state_(random_state) {
  if (n_splits < 2)
    throw InvalidArgument("StratifiedKFold: n_splits must be at least 2, got " + std::to_string(n_splits));
  if (!shuffle && random_state)
    throw InvalidArgument("StratifiedKFold: setting a random_state has no effect since shuffle is false; "
                          "leave random_state unset or set shuffle=true");
}

std::vector<std::int32_t> StratifiedKFold::test_folds(Codes y, std::vector<std::string>* warnings) const {
  const std::size_t n = y.size();
  if (n == 0) throw InvalidArgument("StratifiedKFold: y is empty");
  if (n_splits_ > n)
    throw InvalidArgument("StratifiedKFold: cannot have number of splits n_splits=" + std::to_string(n_splits_) +
                          " greater than the number of samples: n_samples=" + std::to_string(n));
  // Classes in order of first appearance (scikit-learn's y_encoded).
  std::vector<std::int64_t> class_of_code;
  std::vector<std::size_t> encoded(n), counts;
  for (std::size_t i = 0; i < n; ++i) {
    if (y[i] < 0) throw InvalidArgument("StratifiedKFold: class codes must be >= 0");
    const auto c = static_cast<std::size_t>(y[i]);
    if (c >= class_of_code.size()) class_of_code.resize(c + 1, -1);
    if (class_of_code[c] < 0) {
      class_of_code[c] = static_cast<std::int64_t>(counts.size());
      counts.push_back(0);
    }
    encoded[i] = static_cast<std::size_t>(class_of_code[c]);
    ++counts[encoded[i]];
  }
  const std::size_t n_classes = counts.size();
  const std::size_t min_count = *std::min_element(counts.begin(), counts.end());
  if (std::all_of(counts.begin(), counts.end(), [&](std::size_t c) { return n_splits_ > c; }))
    throw InvalidArgument("StratifiedKFold: n_splits=" + std::to_string(n_splits_) +
                          " cannot be greater than the number of members in each class");
  if (n_splits_ > min_count && warnings)
    warnings->push_back("The least populated class in y has only " + std::to_string(min_count) +
                        " members, which is less than n_splits=" + std::to_string(n_splits_) + ".");
  // allocation[f][k]: positions p in class k's block of the sorted sequence with p % n_splits == f.
  std::vector<std::vector<std::size_t>> rows_of(n_classes);
  for (std::size_t i = 0; i < n; ++i) rows_of[encoded[i]].push_back(i);
  std::vector<std::int32_t> folds(n);
  const std::uint64_t seed = random_state_ ? *random_state_ : random_seed();
  std::size_t start = 0;
  for (std::size_t k = 0; k < n_classes; ++k) {
    const std::size_t end = start + counts[k];
    std::vector<std::int32_t> folds_for_class;
    folds_for_class.reserve(counts[k]);
    for (std::size_t f = 0; f < n_splits_; ++f) {
      // count of p in [start, end) with p % n_splits == f
      auto upto = [&](std::size_t x) { return x / n_splits_ + (x % n_splits_ > f ? 1 : 0); };
      const std::size_t a = upto(end) - upto(start);
      folds_for_class.insert(folds_for_class.end(), a, static_cast<std::int32_t>(f));
    }
    if (shuffle_) {
      Rng rng(seed, k);
      rng.shuffle(folds_for_class);
    }
    for (std::size_t j = 0; j < rows_of[k].size(); ++j) folds[rows_of[k][j]] = folds_for_class[j];
    start = end;
  }
  return folds;
}

std::vector<Split> StratifiedKFold::split(Codes y, std::vector<std::string>* warnings) const {
  const auto folds = test_folds(y, warnings);
  std::vector<Split> out(n_splits_);
  for (std::size_t i = 0; i < folds.size(); ++i)
    for (std::size_t f = 0; f < n_splits_; ++f)
      (static_cast<std::size_t>(folds[i]) == f ? out[f].test : out[f].train).push_back(i);
  return out;
}

RepeatedStratifiedKFold::RepeatedStratifiedKFold(std::size_t n_splits, std::size_t n_repeats,
                                                 std::optional<std::uint64_t> random_state)
    : n_splits_(n_splits), n_repeats_(n_repeats), random_state_(random_state) {
  if (n_repeats < 1) throw InvalidArgument("RepeatedStratifiedKFold: n_repeats must be at least 1");
  if (n_splits < 2) throw InvalidArgument("RepeatedStratifiedKFold: n_splits must be at least 2");
}

std::vector<Split> RepeatedStratifiedKFold::split(Codes y, std::vector<std::string>* warnings) const {
  const std::uint64_t seed = random_state_ ? *random_state_ : random_seed();
  std::vector<Split> out;
  for (std::size_t r = 0; r < n_repeats_; ++r) {
    // Repetition r shuffles with its own stream of the seed.
    const std::uint64_t repeat_seed = Rng(seed, 0x5245504541540000ULL + r).next();
    auto splits = StratifiedKFold(n_splits_, true, repeat_seed).split(y, r == 0 ? warnings : nullptr);
    for (auto& s : splits) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace imbal::model_selection
