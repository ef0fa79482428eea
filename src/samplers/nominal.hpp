// Pieces shared by the nominal over-samplers smote-nc and smoten: the class-size check with
// its advice, and the ordinal encoding of nominal columns in imbalanced-learn's category order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "imbal/sampler.hpp"

namespace imbal::detail {

/// Throws InvalidArgument naming the class, its size, the parameter and the fix when class
/// `label` has fewer than k + 1 rows (each row and its k nearest neighbours of the class).
void require_class_rows(const SamplerInput& in, std::int32_t label, std::size_t k, const std::string& method,
                        const std::string& param_name);

/// Nominal columns encoded as ordinals 0..L-1 in the order imbalanced-learn's OneHotEncoder /
/// OrdinalEncoder sort categories (np.unique): a categorical column by its category spellings
/// (numerically when every spelling present is a number, byte-wise otherwise; by code when the
/// spellings are unknown), any other column by value. Only values present in the data count, and
/// with a set of needed rows only the values those rows hold (other rows get ordinal -1): the
/// order among them is the same.
struct OrdinalColumns {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<std::int32_t> codes;             ///< rows x cols, row-major
  std::vector<std::vector<double>> categories; ///< per column: the value (as stored in X) of each ordinal

  std::int32_t operator()(std::size_t i, std::size_t j) const { return codes[i * cols + j]; }
};

/// Encodes the columns `which` of the input (in that order). `needed` (empty: every row) flags
/// the rows whose values get ordinals.
OrdinalColumns ordinal_encode(const SamplerInput& in, const std::vector<std::size_t>& which,
                              const std::vector<bool>& needed = {});

}  // namespace imbal::detail
