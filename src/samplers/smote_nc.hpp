// The deterministic intermediate of smote-nc, exposed for the tests.
#pragma once

#include <cstdint>

#include "imbal/sampler.hpp"

namespace imbal::detail {

/// imbalanced-learn 0.10's SMOTENC.median_std_: the median over the continuous (non-categorical)
/// columns of their population standard deviation within the minority class of the whole data
/// (the class with the fewest rows; among equals, the one whose first row comes first). One value
/// for every targeted class, as imbalanced-learn 0.10 does. `minority` receives that class.
double smote_nc_median_std(const SamplerInput& in, std::int32_t* minority = nullptr);

}  // namespace imbal::detail
