// Pieces shared by the interpolating over-samplers (SMOTE and its variants): the within-class
// neighbour table with a clear error when a class is too small, and the interpolation step
// new = parent + step * (neighbor - parent) with its provenance.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "imbal/neighbors.hpp"
#include "imbal/sampler.hpp"

namespace imbal::detail {

/// Throws InvalidArgument when a feature column is categorical: `method` interpolates numbers
/// and the user should pick smote-nc or smoten instead.
void require_numeric_features(const SamplerInput& in, const std::string& method);

/// The k nearest neighbours of every row of class `label` among the rows of the same class,
/// each row excluded by its index (not by dropping the first column: duplicates stay).
/// When the class has fewer than k + 1 rows: with in.reduce_k and at least 2 rows, k becomes
/// (rows - 1) and a warning is recorded (use the result's `k`, not the asked one); otherwise
/// throws InvalidArgument naming the class, its size, the parameter and the fixes.
/// With `positions` (indices into in.class_rows[label]), only those rows are queried: result row
/// t holds the neighbours of the class's row positions[t] (the same neighbours as without it).
Neighbors class_neighbors(const SamplerInput& in, std::int32_t label, std::size_t k,
                          const std::string& method, const std::string& param_name,
                          std::span<const std::size_t> positions = {});

/// For every row of class `label` (in `in.class_rows[label]` order): how many of its k nearest
/// neighbours among ALL rows of the data (the row itself excluded by its index, ties by
/// (distance, index)) belong to another class. Used by borderline-smote (the danger rule) and
/// adasyn (the density ratios). Throws InvalidArgument naming `param_name` when the data has
/// fewer than k + 1 rows.
std::vector<std::size_t> foreign_neighbor_counts(const SamplerInput& in, std::int32_t label, std::size_t k,
                                                 const std::string& method, const std::string& param_name);

/// Reserves room in `out` for the plan's new rows (labels and provenance), so that appending
/// them never re-allocates.
void reserve_new_rows(const ResamplePlan& plan, SamplerOutput& out);

/// Appends the row parent + step * (neighbor - parent) to `out` by its label and provenance
/// (fit_resample computes it: see SamplerOutput::synthetic_from_provenance).
void append_interpolated(const SamplerInput& in, std::size_t parent, std::size_t neighbor, double step,
                         std::int32_t label, SamplerOutput& out);

}  // namespace imbal::detail
