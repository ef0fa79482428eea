// smote-nc: SMOTE for Nominal and Continuous features (Chawla, Bowyer, Hall & Kegelmeyer,
// "SMOTE: Synthetic Minority Over-sampling Technique", JAIR 16, 2002, section 6.1), as
// imbalanced-learn 0.10's SMOTENC. Distances add, for every categorical feature on which two
// rows differ, what imbalanced-learn's one-hot encoding scaled by median_std / 2 adds:
// 2 * (median_std / 2)^2. Continuous features are interpolated as in SMOTE; each categorical
// feature of a new row takes the category most frequent among the parent's k neighbours (ties
// drawn uniformly, as imbalanced-learn does).
#include "samplers/smote_nc.hpp"

#include <algorithm>
#include <cmath>

#include "imbal/error.hpp"
#include "samplers/metric_neighbors.hpp"
#include "samplers/nominal.hpp"

namespace imbal {

namespace detail {

double smote_nc_median_std(const SamplerInput& in, std::int32_t* minority_out) {
  // Counter(y) keeps first-appearance order and min() returns the first minimum.
  std::int32_t minority = -1;
  std::size_t best = 0;
  std::size_t first_row = 0;
  for (std::size_t c = 0; c < in.n_classes; ++c) {
    const auto& rows = in.class_rows[c];
    if (rows.empty()) continue;
    if (minority < 0 || rows.size() < best || (rows.size() == best && rows.front() < first_row)) {
      minority = static_cast<std::int32_t>(c);
      best = rows.size();
      first_row = rows.front();
    }
  }
  IMBAL_ASSERT(minority >= 0);
  if (minority_out != nullptr) *minority_out = minority;
  const auto& rows = in.class_rows[static_cast<std::size_t>(minority)];
  std::vector<double> stds;
  for (std::size_t j = 0; j < in.X.cols; ++j) {
    if (j < in.categorical.size() && in.categorical[j]) continue;
    double mean = 0.0;
    for (const auto i : rows) mean += in.X(i, j);
    mean /= static_cast<double>(rows.size());
    double ss = 0.0;
    for (const auto i : rows) {
      const double dev = in.X(i, j) - mean;
      ss += dev * dev;
    }
    stds.push_back(std::sqrt(ss / static_cast<double>(rows.size())));
  }
  IMBAL_ASSERT(!stds.empty());
  std::sort(stds.begin(), stds.end());
  const std::size_t m = stds.size();
  return m % 2 == 1 ? stds[m / 2] : (stds[m / 2 - 1] + stds[m / 2]) / 2.0;
}

}  // namespace detail

namespace {

class SmoteNc final : public Sampler {
 public:
  using Sampler::Sampler;
  SamplingType sampling_type() const override { return SamplingType::OverSampling; }

 protected:
  SamplerOutput resample(const SamplerInput& in, const ResamplePlan& plan) override {
    const auto k = static_cast<std::size_t>(params().get_int("k_neighbors"));
    const std::size_t d = in.X.cols;
    std::vector<std::size_t> cont;
    std::vector<std::size_t> cat;
    for (std::size_t j = 0; j < d; ++j) {
      (j < in.categorical.size() && in.categorical[j] ? cat : cont).push_back(j);
    }
    if (cat.empty()) {
      throw InvalidArgument(
          "smote-nc needs categorical feature columns, but every column is numeric; use smote for numeric "
          "data, or mark the categorical columns (CLI: --categorical COLS)");
    }
    if (cont.empty()) {
      throw InvalidArgument(
          "smote-nc needs some numeric (continuous) feature columns, but every column is categorical; use smoten "
          "for categorical data");
    }
    SamplerOutput out;
    out.keep_all_rows(in.X.rows);
    for (const auto& cls : plan.classes) {
      if (cls.targeted && cls.n_new() > 0) detail::require_class_rows(in, cls.label, k, "smote-nc", "k_neighbors");
    }
    const double median_std = detail::smote_nc_median_std(in);
    const double half = median_std / 2.0;
    const double mismatch = half * half + half * half;  // two one-hot entries differ by median_std / 2
    const std::size_t dc = cont.size();
    const std::size_t dk = cat.size();
    out.synthetic = Matrix(0, d);
    for (const auto& cls : plan.classes) {
      if (!cls.targeted || cls.n_new() == 0) continue;
      const auto& rows = in.class_rows[static_cast<std::size_t>(cls.label)];
      const std::size_t n = rows.size();
      std::vector<double> xc(n * dc);
      std::vector<double> xk(n * dk);
      for (std::size_t i = 0; i < n; ++i) {
        const double* r = in.X.row(rows[i]);
        for (std::size_t j = 0; j < dc; ++j) xc[i * dc + j] = r[cont[j]];
        for (std::size_t j = 0; j < dk; ++j) xk[i * dk + j] = r[cat[j]];
      }
      std::vector<std::size_t> nn;
      std::vector<double> nn_dist;
      // Squared distance in imbalanced-learn's encoded space: continuous columns (in column
      // order), then 2 * (median_std / 2)^2 per categorical feature that differs.
      detail::exact_neighbors_by(
          n, k, in.n_jobs,
          [&](std::size_t a, std::size_t b, double limit) {
            const double* ca = xc.data() + a * dc;
            const double* cb = xc.data() + b * dc;
            double acc = 0.0;
            for (std::size_t j = 0; j < dc; ++j) {
              const double diff = ca[j] - cb[j];
              acc += diff * diff;
            }
            if (acc >= limit) return acc;  // the categorical terms are non-negative
            const double* ka = xk.data() + a * dk;
            const double* kb = xk.data() + b * dk;
            std::size_t differ = 0;
            for (std::size_t j = 0; j < dk; ++j) differ += ka[j] != kb[j] ? 1 : 0;
            return acc + static_cast<double>(differ) * mismatch;
          },
          nn, nn_dist);
      Rng rng(in.seed, static_cast<std::uint64_t>(cls.label));
      std::vector<double> votes(k);
      std::vector<double> tied;
      out.synthetic.reserve_rows(out.synthetic.rows() + cls.n_new());
      for (std::size_t s = 0; s < cls.n_new(); ++s) {
        const auto pair = static_cast<std::size_t>(rng.below(n * k));
        const std::size_t i = pair / k;
        const std::size_t nb = nn[pair];
        const double step = rng.uniform();
        const double* a = in.X.row(rows[i]);
        const double* b = in.X.row(rows[nb]);
        double* row = out.synthetic.add_row();
        for (const auto j : cont) row[j] = a[j] + step * (b[j] - a[j]);
        for (std::size_t f = 0; f < dk; ++f) {
          // The parent's k neighbours vote (the parent itself does not, as in imbalanced-learn);
          // a tie is broken by a uniform draw among the tied categories (ascending codes).
          for (std::size_t m = 0; m < k; ++m) votes[m] = xk[nn[i * k + m] * dk + f];
          std::sort(votes.begin(), votes.end());
          std::size_t best_count = 0;
          tied.clear();
          for (std::size_t u = 0; u < k;) {
            std::size_t v = u;
            while (v < k && votes[v] == votes[u]) ++v;
            if (v - u > best_count) {
              best_count = v - u;
              tied.clear();
            }
            if (v - u == best_count) tied.push_back(votes[u]);
            u = v;
          }
          row[cat[f]] = tied.size() == 1 ? tied[0] : tied[static_cast<std::size_t>(rng.below(tied.size()))];
        }
        out.synthetic_labels.push_back(cls.label);
        out.provenance.push_back(
            Provenance{static_cast<std::int64_t>(rows[i]), static_cast<std::int64_t>(rows[nb]), step});
      }
    }
    return out;
  }
};

}  // namespace

namespace detail {

const MethodSchema& smote_nc_schema() {
  static const MethodSchema schema{
      "smote-nc",
      "SMOTENC",
      "over_sampling",
      "over-sampling",
      "Mixed data: interpolate the numeric columns as SMOTE does; each categorical column takes the category most "
      "frequent among the k nearest same-class neighbours.",
      "Chawla, Bowyer, Hall & Kegelmeyer, SMOTE: Synthetic Minority Over-sampling Technique, JAIR 16, 2002 "
      "(SMOTE-NC, section 6.1)",
      {ParamSpec{"k_neighbors", ParamType::Int, std::int64_t{5},
                 "Nearest neighbours of the same class to interpolate towards and to take categories from", false,
                 1.0, std::nullopt, false, false, {}}},
      /*provides_sample_indices=*/false};
  return schema;
}

std::unique_ptr<Sampler> smote_nc_create(Params params, SamplerOptions options) {
  return std::make_unique<SmoteNc>(smote_nc_schema(), std::move(params), std::move(options));
}

}  // namespace detail
}  // namespace imbal
