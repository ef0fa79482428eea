// Naive oracles for the cleaning rules' tests: every distance computed, sorted by (squared distance,
// row), the row itself excluded by index - the plain definitions, with no cleverness.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <tuple>
#include <utility>
#include <vector>

#include "imbal/neighbors.hpp"
#include "imbal/random.hpp"
#include "imbal/strategy.hpp"

namespace imbal::testing_oracle {

struct Data {
  std::vector<double> X;
  std::vector<std::int32_t> y;
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::size_t n_classes = 0;
  MatrixView view() const { return {X.data(), rows, cols}; }
  std::span<const double> row(std::size_t i) const { return {X.data() + i * cols, cols}; }
};

// The k nearest rows of `rows` to row x (x excluded by index). `grouped`: equal distances ranked
// by (class, row) instead of row - the order imbalanced-learn's passes after the first see rows in.
inline std::vector<std::size_t> knn(const Data& d, const std::vector<std::size_t>& rows, std::size_t x,
                                    std::size_t k, bool grouped = false) {
  std::vector<std::tuple<double, std::int32_t, std::size_t>> all;
  for (const auto r : rows) {
    if (r != x) all.emplace_back(squared_euclidean_distance(d.row(x), d.row(r)), grouped ? d.y[r] : 0, r);
  }
  const auto kk = std::min(k, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(kk), all.end());
  std::vector<std::size_t> out;
  for (std::size_t t = 0; t < kk; ++t) out.push_back(std::get<2>(all[t]));
  return out;
}

// Tomek-link ends among `rows`, one flag per position.
inline std::vector<bool> tomek_ends(const Data& d, const std::vector<std::size_t>& rows) {
  std::map<std::size_t, std::size_t> nn;
  for (const auto x : rows) {
    std::size_t best = x;
    double best_sq = 0.0;
    for (const auto r : rows) {
      if (r == x) continue;
      const double sq = squared_euclidean_distance(d.row(x), d.row(r));
      if (best == x || sq < best_sq || (sq == best_sq && r < best)) {
        best = r;
        best_sq = sq;
      }
    }
    nn[x] = best;
  }
  std::vector<bool> ends(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto x = rows[i];
    ends[i] = d.y[nn[x]] != d.y[x] && nn[nn[x]] == x;
  }
  return ends;
}

// One ENN pass: kept rows (ascending) of `rows`; `mode`: kind_sel='mode'.
inline std::vector<std::size_t> enn_pass(const Data& d, const std::vector<std::size_t>& rows,
                                         const std::vector<bool>& clean, std::size_t k, bool mode,
                                         bool grouped = false) {
  std::vector<std::size_t> kept;
  for (const auto x : rows) {
    const auto c = d.y[x];
    bool keep = true;
    if (clean[static_cast<std::size_t>(c)]) {
      const auto nb = knn(d, rows, x, k, grouped);
      std::vector<std::size_t> votes(d.n_classes, 0);
      bool all = true;
      for (const auto r : nb) {
        ++votes[static_cast<std::size_t>(d.y[r])];
        all = all && d.y[r] == c;
      }
      keep = mode ? static_cast<std::int32_t>(std::max_element(votes.begin(), votes.end()) - votes.begin()) == c : all;
    }
    if (keep) kept.push_back(x);
  }
  return kept;
}

inline std::vector<std::size_t> counts_over(const Data& d, const std::vector<std::size_t>& rows) {
  std::vector<std::size_t> counts(d.n_classes, 0);
  for (const auto r : rows) ++counts[static_cast<std::size_t>(d.y[r])];
  return counts;
}

// imbalanced-learn's RENN (renn = true, k fixed) or AllKNN (k = 1..n_neighbors) loop around enn_pass,
// with 'auto' re-resolved on every pass.
inline std::vector<std::size_t> repeated(const Data& d, bool renn, std::size_t n_neighbors, bool mode,
                                         std::size_t max_iter = 100, bool allow_minority = false,
                                         SamplingStrategy strategy = {}) {
  std::vector<std::size_t> rows(d.rows);
  for (std::size_t i = 0; i < d.rows; ++i) rows[i] = i;
  const auto original = counts_over(d, rows);
  // Counter(y) order: first appearance; min keeps the first smallest.
  std::vector<bool> seen(d.n_classes, false);
  std::int32_t minority = -1;
  for (const auto c : d.y) {
    if (seen[static_cast<std::size_t>(c)]) continue;
    seen[static_cast<std::size_t>(c)] = true;
    if (minority < 0 || original[static_cast<std::size_t>(c)] < original[static_cast<std::size_t>(minority)]) minority = c;
  }
  std::size_t present = 0;
  for (const auto n : original) present += n > 0;
  const std::size_t passes = renn ? max_iter : n_neighbors;
  for (std::size_t p = 0; p < passes; ++p) {
    const std::size_t k = renn ? n_neighbors : p + 1;
    const auto plan = resolve_strategy(strategy, counts_over(d, rows), SamplingType::CleanSampling);
    std::vector<bool> clean(d.n_classes, false);
    for (const auto& c : plan.classes) clean[static_cast<std::size_t>(c.label)] = c.targeted;
    auto kept = enn_pass(d, rows, clean, k, mode, /*grouped=*/p > 0);
    const bool converged = kept.size() == rows.size();
    const auto now = counts_over(d, kept);
    bool smaller = false;
    std::size_t left = 0;
    for (std::size_t c = 0; c < d.n_classes; ++c) {
      if (now[c] == 0) continue;
      ++left;
      if (static_cast<std::int32_t>(c) != minority && now[c] < original[static_cast<std::size_t>(minority)]) smaller = true;
    }
    if (!renn && allow_minority) smaller = false;
    rows = std::move(kept);
    if ((renn && converged) || smaller || left < present) break;
  }
  return rows;
}

// Gaussian blobs: class c centred at 1.2 * c in every column, `counts[c]` rows each, interleaved.
inline Data blobs(const std::vector<std::size_t>& counts, std::size_t cols, std::uint64_t seed, double sep = 1.2) {
  Data d;
  d.cols = cols;
  d.n_classes = counts.size();
  Rng rng(seed);
  std::vector<std::size_t> left = counts;
  std::size_t total = 0;
  for (const auto c : counts) total += c;
  while (d.rows < total) {
    for (std::size_t c = 0; c < counts.size(); ++c) {
      if (left[c] == 0) continue;
      --left[c];
      for (std::size_t j = 0; j < cols; ++j) d.X.push_back(rng.normal() + sep * static_cast<double>(c));
      d.y.push_back(static_cast<std::int32_t>(c));
      ++d.rows;
    }
  }
  return d;
}

// Integer grid points (massive distance ties) with random labels, and some rows repeated with other labels.
inline Data grid(std::size_t n, std::size_t cols, std::size_t n_classes, std::uint64_t seed) {
  Data d;
  d.cols = cols;
  d.n_classes = n_classes;
  Rng rng(seed);
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 10 && rng.uniform() < 0.2) {
      const std::size_t src = static_cast<std::size_t>(rng.below(i));
      for (std::size_t j = 0; j < cols; ++j) d.X.push_back(d.X[src * cols + j]);
    } else {
      for (std::size_t j = 0; j < cols; ++j) d.X.push_back(static_cast<double>(rng.below(4)));
    }
    // Skewed labels: class 0 is the bulk.
    const double u = rng.uniform();
    d.y.push_back(u < 0.8 ? 0 : static_cast<std::int32_t>(1 + rng.below(n_classes - 1)));
    ++d.rows;
  }
  return d;
}

}  // namespace imbal::testing_oracle
