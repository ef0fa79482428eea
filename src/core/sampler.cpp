#include "imbal/sampler.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <thread>

#include "core/parallel.hpp"
#include "core/value_scan.hpp"
#include "imbal/cancel.hpp"
#include "imbal/error.hpp"

namespace imbal {

std::string SamplerInput::class_name(std::int32_t code) const {
  if (labels != nullptr && code >= 0 && static_cast<std::size_t>(code) < labels->size()) {
    return "'" + labels->names[static_cast<std::size_t>(code)] + "'";
  }
  return "class " + std::to_string(code);
}

std::string SamplerInput::class_words(std::int32_t code) const {
  std::string name = class_name(code);
  return name.rfind("class ", 0) == 0 ? name : std::string("class ").append(name);
}

Sampler::Sampler(const MethodSchema& schema, Params params, SamplerOptions options)
    : schema_(&schema), params_(std::move(params)), options_(std::move(options)) {
  IMBAL_ASSERT(params_.schema() == schema_);
}

namespace {

void validate_input(MatrixView X, std::span<const std::int32_t> y, std::size_t n_classes,
                    const std::vector<bool>& categorical, const ClassLabels* labels, int n_jobs) {
  if (X.rows != y.size()) {
    throw InvalidArgument("X has " + std::to_string(X.rows) + " rows but y has " +
                          std::to_string(y.size()) + " labels; they must match");
  }
  if (X.rows == 0) throw InvalidArgument("cannot resample an empty dataset (0 rows)");
  if (X.cols == 0) throw InvalidArgument("cannot resample a dataset without feature columns");
  if (!categorical.empty() && categorical.size() != X.cols) {
    throw InvalidArgument("categorical mask has " + std::to_string(categorical.size()) +
                          " entries for " + std::to_string(X.cols) + " columns");
  }
  if (labels != nullptr && labels->size() != n_classes) {
    throw InvalidArgument("class labels name " + std::to_string(labels->size()) +
                          " classes but n_classes is " + std::to_string(n_classes));
  }
  std::uint32_t largest_code = 0;  // as unsigned: a negative code is huge
  for (const auto code : y) largest_code = std::max(largest_code, static_cast<std::uint32_t>(code));
  for (std::size_t i = 0; largest_code >= n_classes && i < y.size(); ++i) {
    if (y[i] < 0 || static_cast<std::size_t>(y[i]) >= n_classes) {
      throw InvalidArgument("label code " + std::to_string(y[i]) + " of row " + std::to_string(i) +
                            " is outside [0, " + std::to_string(n_classes) + ")");
    }
  }
  // Fast path: branch-free (vectorised) passes over blocks of rows, on up to n_jobs threads
  // (reading a large input once is memory-bound); NaN fails the test too. The first failing
  // block is then searched for the exact cell, so the message does not depend on the threads.
  constexpr std::size_t kRowsPerBlock = 1024;
  const std::size_t n_blocks = (X.rows + kRowsPerBlock - 1) / kRowsPerBlock;
  auto block_is_finite = [&X](std::size_t b) {
    const std::size_t begin = b * kRowsPerBlock;
    const std::size_t end = std::min(X.rows, begin + kRowsPerBlock);
    if (X.stride == X.cols) return detail::all_magnitudes_below_pow2(X.row(begin), (end - begin) * X.cols, 1024);
    for (std::size_t i = begin; i < end; ++i) {
      if (!detail::all_magnitudes_below_pow2(X.row(i), X.cols, 1024)) return false;
    }
    return true;
  };
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> first_bad{n_blocks};
  const std::size_t threads =
      X.rows * X.cols < (std::size_t{1} << 18) ? 1 : std::min<std::size_t>(static_cast<std::size_t>(std::max(1, n_jobs)), n_blocks);
  detail::run_on_threads(threads, [&] {
    for (std::size_t b = next.fetch_add(1); b < n_blocks; b = next.fetch_add(1)) {
      if (b > first_bad.load(std::memory_order_relaxed)) return;
      if (block_is_finite(b)) continue;
      std::size_t seen = first_bad.load();
      while (b < seen && !first_bad.compare_exchange_weak(seen, b)) {
      }
    }
  });
  if (first_bad.load() == n_blocks) return;
  for (std::size_t i = first_bad.load() * kRowsPerBlock; i < X.rows; ++i) {
    const double* row = X.row(i);
    for (std::size_t j = 0; j < X.cols; ++j) {
      if (!std::isfinite(row[j])) {
        throw InvalidArgument("X holds a non-finite value (" + std::to_string(row[j]) + ") at row " +
                              std::to_string(i) + ", column " + std::to_string(j) +
                              "; remove or impute missing values first");
      }
    }
  }
}

// The output matrix: the rows out.indices of X, then the n_new new rows (copied from
// out.synthetic, or interpolated from out.provenance), written once each, on up to n_jobs
// threads (each row's bytes do not depend on the thread count).
Matrix assemble_rows(MatrixView X, const SamplerOutput& out, std::size_t n_new, int n_jobs) {
  const std::size_t n_copied = out.indices.size();
  const std::size_t n = n_copied + n_new;
  const std::size_t d = X.cols;
  Matrix result = Matrix::uninitialized(n, d);
  // Every row index is checked as it is read (a sampler bug is an InternalError, rethrown by
  // run_on_threads), in the same pass that writes the row.
  auto write_row = [&](std::size_t r) {
    double* dst = result.row(r);
    if (r < n_copied) {
      IMBAL_ASSERT(out.indices[r] < X.rows);
      std::copy_n(X.row(out.indices[r]), d, dst);
    } else if (!out.synthetic_from_provenance) {
      std::copy_n(out.synthetic.row(r - n_copied), d, dst);
    } else {
      const Provenance& p = out.provenance[r - n_copied];
      IMBAL_ASSERT(p.parent >= 0 && static_cast<std::size_t>(p.parent) < X.rows);
      IMBAL_ASSERT(p.neighbor >= 0 && static_cast<std::size_t>(p.neighbor) < X.rows);
      const double* a = X.row(static_cast<std::size_t>(p.parent));
      const double* b = X.row(static_cast<std::size_t>(p.neighbor));
      for (std::size_t j = 0; j < d; ++j) dst[j] = a[j] + p.step * (b[j] - a[j]);
    }
  };
  constexpr std::size_t kRowsPerTask = 4096;
  const std::size_t tasks = (n + kRowsPerTask - 1) / kRowsPerTask;
  // Under ~1 MB of output one thread is faster than starting another.
  const std::size_t threads =
      n * d < (std::size_t{1} << 17) ? 1 : std::min<std::size_t>(static_cast<std::size_t>(std::max(1, n_jobs)), tasks);
  std::atomic<std::size_t> next{0};
  detail::run_on_threads(threads, [&] {
    for (std::size_t t = next.fetch_add(1); t < tasks; t = next.fetch_add(1)) {
      const std::size_t end = std::min(n, (t + 1) * kRowsPerTask);
      for (std::size_t r = t * kRowsPerTask; r < end; ++r) write_row(r);
    }
  });
  return result;
}

}  // namespace

ResampleResult Sampler::fit_resample(MatrixView X, std::span<const std::int32_t> y,
                                     std::size_t n_classes, const std::vector<bool>& categorical,
                                     const ClassLabels* labels,
                                     const std::vector<Column>* columns) {
  const int n_jobs = options_.n_jobs > 0 ? options_.n_jobs
                                        : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  validate_input(X, y, n_classes, categorical, labels, n_jobs);
  if (columns != nullptr && columns->size() != X.cols) {
    throw InvalidArgument("column metadata has " + std::to_string(columns->size()) + " entries for " +
                          std::to_string(X.cols) + " columns");
  }

  SamplerInput input;
  input.X = X;
  input.y = y;
  input.n_classes = n_classes;
  input.class_rows.resize(n_classes);
  {
    std::vector<std::size_t> sizes(n_classes, 0);
    for (const auto code : y) ++sizes[static_cast<std::size_t>(code)];
    for (std::size_t c = 0; c < n_classes; ++c) input.class_rows[c].reserve(sizes[c]);
    for (std::size_t i = 0; i < y.size(); ++i) input.class_rows[static_cast<std::size_t>(y[i])].push_back(i);
  }
  input.categorical = categorical;
  input.labels = labels;
  input.columns = columns;
  input.seed = options_.random_state ? *options_.random_state : random_seed();
  input.n_jobs = n_jobs;
  last_seed_ = input.seed;
  input.reduce_k = options_.reduce_k;

  std::vector<std::size_t> counts(n_classes);
  for (std::size_t c = 0; c < n_classes; ++c) counts[c] = input.class_rows[c].size();

  ResampleResult result;
  input.warnings = &result.warnings;
  result.plan = resolve_strategy(options_.sampling_strategy, counts, sampling_type(), labels);

  SamplerOutput out = resample(input, result.plan);
  throw_if_cancelled();
  for (const auto c : out.also_targeted) {
    IMBAL_ASSERT(c >= 0 && static_cast<std::size_t>(c) < result.plan.classes.size());
    result.plan.classes[static_cast<std::size_t>(c)].targeted = true;
  }

  // Assemble: copied rows first, then the synthetic block.
  const std::size_t n_new = out.synthetic_from_provenance ? out.provenance.size() : out.synthetic.rows();
  IMBAL_ASSERT(out.synthetic_labels.size() == n_new);
  IMBAL_ASSERT(!out.synthetic_from_provenance || out.synthetic.rows() == 0);
  IMBAL_ASSERT(out.synthetic.rows() == 0 || out.synthetic.cols() == X.cols);
  IMBAL_ASSERT(out.provenance.empty() || out.provenance.size() == n_new);
  result.X = assemble_rows(X, out, n_new, input.n_jobs);
  result.y.resize(out.indices.size() + n_new);
  for (std::size_t r = 0; r < out.indices.size(); ++r) result.y[r] = y[out.indices[r]];
  std::copy(out.synthetic_labels.begin(), out.synthetic_labels.end(),
            result.y.begin() + static_cast<std::ptrdiff_t>(out.indices.size()));
  result.n_copied = out.indices.size();
  if (schema_->provides_sample_indices || out.provides_sample_indices) {
    std::vector<std::size_t> sample_indices = out.indices;
    for (const auto& p : out.provenance) {
      IMBAL_ASSERT(p.parent >= 0);
      sample_indices.push_back(static_cast<std::size_t>(p.parent));
    }
    IMBAL_ASSERT(sample_indices.size() == result.y.size());
    result.sample_indices = std::move(sample_indices);
  }
  result.indices = std::move(out.indices);
  result.provenance = std::move(out.provenance);
  result.warnings.insert(result.warnings.end(), std::make_move_iterator(out.warnings.begin()),
                         std::make_move_iterator(out.warnings.end()));
  result.attributes = std::move(out.attributes);
  return result;
}

Dataset Sampler::fit_resample(const Dataset& data, ResampleResult* details) {
  ResampleResult result =
      fit_resample(data.X(), data.y(), data.n_classes(), data.categorical_mask(), &data.classes(),
                   &data.columns());
  Dataset out = data.with_rows(std::move(result.X), std::move(result.y));
  if (details != nullptr) {
    *details = std::move(result);
    details->X = Matrix();
    details->y.clear();
  }
  return out;
}

}  // namespace imbal
