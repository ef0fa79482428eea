// Internals of borderline-smote (src/samplers/borderline_smote.cpp), exposed for its tests:
// the danger rule of Han, Wang & Mao (2005) and the Beta(10, 10) draw that splits
// borderline-2's new rows between same-class and any-class neighbours.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "imbal/random.hpp"
#include "imbal/sampler.hpp"

namespace imbal::detail {

/// Han, Wang & Mao's rule, with imbalanced-learn's inequalities (`_in_danger_noise`,
/// kind="danger"): a row whose m nearest neighbours include `n_foreign` rows of other classes
/// is in danger when m/2 <= n_foreign < m (n_foreign == m is noise, n_foreign < m/2 is safe).
constexpr bool borderline_in_danger(std::size_t n_foreign, std::size_t m_neighbors) {
  return 2 * n_foreign >= m_neighbors && n_foreign < m_neighbors;
}

/// The danger mask of class `label`: one flag per row of `in.class_rows[label]`, in that order.
/// Neighbours are the m nearest among ALL rows, the row itself excluded by its index.
/// Throws InvalidArgument when the data has fewer than m_neighbors + 1 rows.
std::vector<bool> borderline_danger(const SamplerInput& in, std::int32_t label, std::size_t m_neighbors);

/// A Gamma(shape, 1) deviate for shape >= 1 (Marsaglia & Tsang, "A simple method for
/// generating gamma variables", ACM TOMS 26(3), 2000), from our engine's normal() and uniform().
double gamma_deviate(Rng& rng, double shape);

/// A Beta(a, b) deviate (a, b >= 1) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b), drawn in
/// that order.
double beta_deviate(Rng& rng, double a, double b);

/// borderline-2's split of `n_new` rows, as imbalanced-learn 0.10 computes the first part:
/// floor(fraction * (n_new + 1)) rows towards same-class neighbours (capped at n_new); the
/// other n_new minus that towards neighbours among all rows. (imbalanced-learn takes
/// floor((1 - fraction) * n_new) for the second part, which can make the total one short.)
std::size_t borderline2_same_class_count(double fraction, std::size_t n_new);

}  // namespace imbal::detail
