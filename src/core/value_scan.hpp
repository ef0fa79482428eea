// A branch-free scan for "every value is finite and below 2^e in magnitude", written with
// 64-bit integer operations only (and, add, or) so that it vectorises even on baseline SSE2.
// It is the fast path of input validation: when it fails, the caller searches the exact cell
// with its own (slower, precise) rule and message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace imbal::detail {

/// True when every one of the n values has |v| < 2^max_exponent (so in particular none is NaN or
/// infinite). max_exponent in [-1022, 1024]; 1024 tests finiteness alone.
inline bool all_magnitudes_below_pow2(const double* v, std::size_t n, int max_exponent) {
  constexpr std::uint64_t kExponentField = 0x7ffULL << 52;
  // The biased exponent field of |v| >= 2^max_exponent is >= first_bad; adding
  // (2048 - first_bad) << 52 carries into bit 63 exactly for those values (no wrap-around:
  // the field is at most 2047).
  const auto first_bad = static_cast<std::uint64_t>(max_exponent + 1023);
  const std::uint64_t shift = (2048 - first_bad) << 52;
  std::uint64_t any = 0;
  for (std::size_t t = 0; t < n; ++t) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, v + t, sizeof bits);
    any |= (bits & kExponentField) + shift;
  }
  return (any >> 63) == 0;
}

}  // namespace imbal::detail
