#include "samplers/interpolation.hpp"

#include "imbal/error.hpp"

namespace imbal::detail {

void require_numeric_features(const SamplerInput& in, const std::string& method) {
  std::string categorical;
  for (std::size_t j = 0; j < in.categorical.size(); ++j) {
    if (in.categorical[j]) categorical += (categorical.empty() ? "" : ", ") + std::to_string(j);
  }
  if (!categorical.empty()) {
    throw InvalidArgument(method + " interpolates numeric features, but feature column(s) " + categorical +
                          " are categorical; use smote-nc for mixed data or smoten for categorical data");
  }
}

Neighbors class_neighbors(const SamplerInput& in, std::int32_t label, std::size_t k,
                          const std::string& method, const std::string& param_name,
                          std::span<const std::size_t> positions) {
  const auto& rows = in.class_rows[static_cast<std::size_t>(label)];
  const std::size_t n = rows.size();
  if (n < k + 1) {
    const std::string cls = in.class_words(label) + " has " + std::to_string(n) + " row" +
                            (n == 1 ? "" : "s");
    if (in.reduce_k && n >= 2) {
      in.warn(std::string(method)
                  .append(": ")
                  .append(cls)
                  .append("; ")
                  .append(param_name)
                  .append(" reduced from ")
                  .append(std::to_string(k))
                  .append(" to ")
                  .append(std::to_string(n - 1))
                  .append(" for this class"));
      k = n - 1;
    } else {
      throw InvalidArgument(
          std::string(method)
              .append(": ")
              .append(cls)
              .append(", but ")
              .append(param_name)
              .append("=")
              .append(std::to_string(k))
              .append(" needs at least ")
              .append(std::to_string(k + 1))
              .append(" (each row and its ")
              .append(std::to_string(k))
              .append(" nearest neighbours of the same class); ")
              .append(n >= 2 ? std::string("set --param ")
                                   .append(param_name)
                                   .append("=")
                                   .append(std::to_string(n - 1))
                                   .append(" or lower, or pass --reduce-k to lower it for small classes only, or ")
                             : std::string())
              .append("leave this class out of the sampling strategy, or use random-over"));
    }
  }
  NeighborOptions options;
  options.n_jobs = in.n_jobs;
  const NeighborIndex index(in.X, rows, options);
  if (positions.empty()) return index.query_rows(rows, k, /*exclude_self=*/true);
  std::vector<std::size_t> queried(positions.size());
  for (std::size_t t = 0; t < positions.size(); ++t) {
    IMBAL_ASSERT(positions[t] < n);
    queried[t] = rows[positions[t]];
  }
  return index.query_rows(queried, k, /*exclude_self=*/true);
}

std::vector<std::size_t> foreign_neighbor_counts(const SamplerInput& in, std::int32_t label, std::size_t k,
                                                 const std::string& method, const std::string& param_name) {
  const std::size_t n = in.X.rows;
  if (n < k + 1) {
    throw InvalidArgument(std::string(method)
                              .append(": ")
                              .append(param_name)
                              .append("=")
                              .append(std::to_string(k))
                              .append(" needs at least ")
                              .append(std::to_string(k + 1))
                              .append(" rows (each row and its ")
                              .append(std::to_string(k))
                              .append(" nearest neighbours among all rows), but the data has ")
                              .append(std::to_string(n))
                              .append(n >= 2 ? std::string("; set --param ")
                                                   .append(param_name)
                                                   .append("=")
                                                   .append(std::to_string(n - 1))
                                                   .append(" or lower")
                                             : std::string()));
  }
  const auto& rows = in.class_rows[static_cast<std::size_t>(label)];
  NeighborOptions options;
  options.n_jobs = in.n_jobs;
  const NeighborIndex index(in.X, options);
  const Neighbors nn = index.query_rows(rows, k, /*exclude_self=*/true);
  std::vector<std::size_t> counts(rows.size(), 0);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (const std::size_t j : nn.indices(i)) {
      if (in.y[j] != label) ++counts[i];
    }
  }
  return counts;
}

void reserve_new_rows(const ResamplePlan& plan, SamplerOutput& out) {
  std::size_t total = 0;
  for (const auto& cls : plan.classes) {
    if (cls.targeted) total += cls.n_new();
  }
  out.synthetic_labels.reserve(out.synthetic_labels.size() + total);
  out.provenance.reserve(out.provenance.size() + total);
}

void append_interpolated(const SamplerInput& in, std::size_t parent, std::size_t neighbor, double step,
                         std::int32_t label, SamplerOutput& out) {
  IMBAL_ASSERT(parent < in.X.rows && neighbor < in.X.rows);
  IMBAL_ASSERT(out.synthetic.rows() == 0);  // explicit rows and interpolated ones do not mix
  out.synthetic_from_provenance = true;
  out.synthetic_labels.push_back(label);
  out.provenance.push_back(
      Provenance{static_cast<std::int64_t>(parent), static_cast<std::int64_t>(neighbor), step});
}

}  // namespace imbal::detail
