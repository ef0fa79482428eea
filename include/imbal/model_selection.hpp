// Stratified splitting with scikit-learn 1.2's allocation rules (docs/splitting.md): the class
// COUNTS of every fold equal scikit-learn's; which rows go where follows our own random engine
// (imbal::Rng), except StratifiedKFold without shuffle, whose folds are identical to
// scikit-learn's. Labels are class codes (any int32 values).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "imbal/random.hpp"

namespace imbal::model_selection {

using Codes = std::span<const std::int32_t>;

/// Row indices of one split, each in increasing order except where noted.
struct Split {
  std::vector<std::size_t> train;
  std::vector<std::size_t> test;
};

/// A train or test size as scikit-learn takes it: a fraction in (0, 1) or a count in [1, n).
struct SplitSize {
  enum class Kind { Unset, Fraction, Count };
  Kind kind = Kind::Unset;
  double value = 0;
  static SplitSize fraction(double f) { return {Kind::Fraction, f}; }
  static SplitSize count(std::size_t n) { return {Kind::Count, static_cast<double>(n)}; }
  bool unset() const { return kind == Kind::Unset; }
};

/// scikit-learn's _validate_shuffle_split: (n_train, n_test); test defaults to `default_test`.
std::pair<std::size_t, std::size_t> validate_shuffle_split(std::size_t n_samples, SplitSize test_size,
                                                           SplitSize train_size, SplitSize default_test);

/// scikit-learn's _approximate_mode: n_draws spread over classes in proportion to class_counts,
/// floors first, then the largest remainders; ties between equal remainders broken at random.
std::vector<std::size_t> approximate_mode(std::span<const std::size_t> class_counts, std::size_t n_draws,
                                          Rng& rng);

/// StratifiedKFold(n_splits, shuffle, random_state). Classes are ordered by first appearance in y
/// and each fold gets scikit-learn's round-robin allocation of the sorted class sequence.
class StratifiedKFold {
 public:
  explicit StratifiedKFold(std::size_t n_splits = 5, bool shuffle = false,
                           std::optional<std::uint64_t> random_state = std::nullopt);
  /// The fold (0..n_splits-1) of each row as test row. `warnings` gets scikit-learn's warning when
  /// a class has fewer rows than n_splits.
  std::vector<std::int32_t> test_folds(Codes y, std::vector<std::string>* warnings = nullptr) const;
  std::vector<Split> split(Codes y, std::vector<std::string>* warnings = nullptr) const;
  std::size_t n_splits() const { return n_splits_; }

 private:
  std::size_t n_splits_;
  bool shuffle_;
  std::optional<std::uint64_t> random_state_;
};

/// RepeatedStratifiedKFold(n_splits, n_repeats, random_state): n_repeats shuffled StratifiedKFolds,
/// repetition r seeded from (random_state, r).
class RepeatedStratifiedKFold {
 public:
  explicit RepeatedStratifiedKFold(std::size_t n_splits = 5, std::size_t n_repeats = 10,
                                   std::optional<std::uint64_t> random_state = std::nullopt);
  std::vector<Split> split(Codes y, std::vector<std::string>* warnings = nullptr) const;

 private:
  std::size_t n_splits_;
  std::size_t n_repeats_;
  std::optional<std::uint64_t> random_state_;
};

/// StratifiedShuffleSplit(n_splits, test_size, train_size, random_state). Per split the class
/// counts of train and test are scikit-learn's (_approximate_mode on train, then on the remainder
/// for test); train and test rows come in random order, as scikit-learn returns them.
class StratifiedShuffleSplit {
 public:
  explicit StratifiedShuffleSplit(std::size_t n_splits = 10, SplitSize test_size = {}, SplitSize train_size = {},
                                  std::optional<std::uint64_t> random_state = std::nullopt);
  std::vector<Split> split(Codes y) const;

 private:
  std::size_t n_splits_;
  SplitSize test_size_;
  SplitSize train_size_;
  std::optional<std::uint64_t> random_state_;
};

/// train_test_split(..., test_size, train_size, random_state, shuffle, stratify): with `stratify`
/// a StratifiedShuffleSplit of one split (test defaults to 0.25); without, a shuffled or (shuffle
/// false) leading/trailing split of n_samples rows.
Split train_test_split(std::size_t n_samples, SplitSize test_size = {}, SplitSize train_size = {},
                       std::optional<std::uint64_t> random_state = std::nullopt, bool shuffle = true,
                       Codes stratify = {});

}  // namespace imbal::model_selection
