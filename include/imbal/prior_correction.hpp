// Prior correction after resampling (Saerens, Latinne & Decaestecker 2002, "Adjusting the
// outputs of a classifier to new a priori probabilities: a simple procedure", Neural Computation
// 14(1); Elkan 2001, "The foundations of cost-sensitive learning", theorem 2). A model fitted on
// data whose class priors were changed (by a sampler, or by class weights) estimates
// p'(k|x) under the changed priors pi'_k; the probabilities under the true priors pi_k are
//   p(k|x) = p'(k|x) pi_k / pi'_k / sum_j p'(j|x) pi_j / pi'_j.
#pragma once

#include <span>
#include <vector>

#include "imbal/matrix.hpp"

namespace imbal {

/// Class priors (shares summing to 1) from per-class masses (counts or weight sums).
std::vector<double> priors_from_mass(std::span<const double> mass);

/// Maps each row of `proba` (n x K) from the priors `fitted` (what the model was trained on) to
/// `target` (the true training priors). A class with fitted prior 0 keeps probability 0. A row
/// whose corrected mass is 0 is left as it was. Throws InvalidArgument on sizes that differ or a
/// negative / non-finite prior.
void correct_priors(Matrix& proba, std::span<const double> target, std::span<const double> fitted);

}  // namespace imbal
