// smoten: SMOTE for Nominal features (Chawla, Bowyer, Hall & Kegelmeyer, "SMOTE: Synthetic
// Minority Over-sampling Technique", JAIR 16, 2002, section 6.2), as imbalanced-learn 0.10's
// SMOTEN: every feature is nominal; neighbours of a row among the rows of its class are found
// with the Value Difference Metric (Stanfill & Waltz, "Toward memory-based reasoning", CACM 29,
// 1986) fitted on the whole data; a new row takes, feature by feature, the most frequent value
// among a uniformly drawn parent and its k nearest neighbours (ties: the smallest category).
#include "samplers/smoten.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "imbal/error.hpp"
#include "imbal/sampler.hpp"
#include "samplers/metric_neighbors.hpp"

namespace imbal {

namespace detail {

namespace {
constexpr std::size_t kMaxTableLevels = 128;
}

ValueDifferenceMetric::ValueDifferenceMetric(const OrdinalColumns& X, std::span<const std::int32_t> y,
                                             std::size_t n_classes)
    : n_features_(X.cols) {
  // Classes present, in code order (imbalanced-learn: unique_labels(y)).
  std::vector<std::size_t> count_per_class(n_classes, 0);
  for (const auto c : y) ++count_per_class[static_cast<std::size_t>(c)];
  std::vector<std::size_t> slot(n_classes, 0);
  for (std::size_t c = 0; c < n_classes; ++c) {
    if (count_per_class[c] > 0) slot[c] = n_present_++;
  }
  levels_.resize(n_features_);
  proba_.resize(n_features_);
  table_.resize(n_features_);
  for (std::size_t f = 0; f < n_features_; ++f) {
    const std::size_t L = X.categories[f].size();
    levels_[f] = L;
    auto& p = proba_[f];
    p.assign(L * n_present_, 0.0);
    for (std::size_t i = 0; i < X.rows; ++i) {
      // A row whose value no row of interest holds (ordinal -1) cannot change any needed P(c | v).
      const std::int32_t v = X(i, f);
      if (v >= 0) p[static_cast<std::size_t>(v) * n_present_ + slot[static_cast<std::size_t>(y[i])]] += 1.0;
    }
    for (std::size_t v = 0; v < L; ++v) {
      double total = 0.0;
      for (std::size_t c = 0; c < n_present_; ++c) total += p[v * n_present_ + c];
      for (std::size_t c = 0; c < n_present_; ++c) {
        p[v * n_present_ + c] = total > 0 ? p[v * n_present_ + c] / total : 0.0;
      }
    }
    if (L <= kMaxTableLevels) {
      auto& t = table_[f];
      t.resize(L * L);
      for (std::size_t a = 0; a < L; ++a) {
        for (std::size_t b = 0; b < L; ++b) {
          t[a * L + b] = term(f, static_cast<std::int32_t>(a), static_cast<std::int32_t>(b));
        }
      }
    }
  }
}

double ValueDifferenceMetric::term(std::size_t f, std::int32_t a, std::int32_t b) const {
  return term_of(proba_[f].data() + static_cast<std::size_t>(a) * n_present_,
                 proba_[f].data() + static_cast<std::size_t>(b) * n_present_, n_present_);
}

}  // namespace detail

namespace {

// Features in decreasing order of their mean term over a fixed sample of pairs of the class:
// the order in which a lower bound of the distance grows fastest.
std::vector<std::size_t> pruning_order(const detail::ValueDifferenceMetric& vdm, const std::vector<std::int32_t>& local,
                                       std::size_t n) {
  const std::size_t d = vdm.n_features();
  std::vector<double> mean(d, 0.0);
  const std::size_t pairs = std::min<std::size_t>(n, 2000);
  for (std::size_t t = 0; t < pairs; ++t) {
    const std::size_t a = (t * 7919) % n;
    const std::size_t b = (t * 104729 + 1) % n;
    for (std::size_t f = 0; f < d; ++f) mean[f] += vdm.term(f, local[a * d + f], local[b * d + f]);
  }
  std::vector<std::size_t> order(d);
  for (std::size_t f = 0; f < d; ++f) order[f] = f;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return mean[x] > mean[y]; });
  return order;
}

// The exact search on rows embedded as their class probabilities with the features in `order`
// (as `ValueDifferenceMetric::embed_features` writes them). A candidate is first bounded from
// below by its terms summed in `order` (most discriminating first) and dropped as soon as that
// partial sum, shrunk by far more than its rounding error, reaches the current k-th distance;
// the others get the exact distance, summed in column order (what imbalanced-learn computes).
// C: the number of classes when known at compile time (0: any).
template <std::size_t C>
void search_embedded(const detail::ValueDifferenceMetric& vdm, const std::vector<double>& emb,
                     const std::vector<std::size_t>& order, std::size_t n, std::size_t k, int n_jobs,
                     std::vector<std::size_t>& nn, std::vector<double>& nn_dist) {
  const std::size_t c = C == 0 ? vdm.n_present_classes() : C;
  const std::size_t d = vdm.n_features();
  const std::size_t width = d * c;
  std::vector<std::size_t> position(d);  // where feature f sits in an embedded row
  for (std::size_t t = 0; t < d; ++t) position[order[t]] = t;
  const auto term = [c](const double* pa, const double* pb) {
    if constexpr (C == 2) {
      const double s = std::abs(pb[0] - pa[0]) + std::abs(pb[1] - pa[1]);
      return s * s;
    } else {
      return detail::ValueDifferenceMetric::term_of(pa, pb, c);
    }
  };
  constexpr double kShrink = 1.0 - 1e-10;  // >> d * machine epsilon for any realistic d
  detail::exact_neighbors_by(
      n, k, n_jobs,
      [&](std::size_t a, std::size_t b, double limit) {
        const double* ea = emb.data() + a * width;
        const double* eb = emb.data() + b * width;
        if (limit < std::numeric_limits<double>::infinity()) {
          double bound = 0.0;
          for (std::size_t t = 0; t < width; t += c) {
            bound += term(ea + t, eb + t);
            if (bound * kShrink >= limit) return limit;
          }
        }
        double acc = 0.0;
        for (std::size_t f = 0; f < d; ++f) acc += term(ea + position[f] * c, eb + position[f] * c);
        return acc;
      },
      nn, nn_dist);
}

class Smoten final : public Sampler {
 public:
  using Sampler::Sampler;
  SamplingType sampling_type() const override { return SamplingType::OverSampling; }

 protected:
  SamplerOutput resample(const SamplerInput& in, const ResamplePlan& plan) override {
    const auto k = static_cast<std::size_t>(params().get_int("k_neighbors"));
    const std::size_t d = in.X.cols;
    SamplerOutput out;
    out.keep_all_rows(in.X.rows);
    for (const auto& cls : plan.classes) {
      if (cls.targeted && cls.n_new() > 0) detail::require_class_rows(in, cls.label, k, "smoten", "k_neighbors");
    }
    std::vector<std::size_t> all(d);
    for (std::size_t j = 0; j < d; ++j) all[j] = j;
    // Only the values of the rows of targeted classes matter (P(c | v) of another value is never
    // used): memory in proportion to those rows, not to every distinct value of the data.
    std::vector<bool> needed(in.X.rows, false);
    for (const auto& cls : plan.classes) {
      if (!cls.targeted || cls.n_new() == 0) continue;
      for (const auto i : in.class_rows[static_cast<std::size_t>(cls.label)]) needed[i] = true;
    }
    const detail::OrdinalColumns X = detail::ordinal_encode(in, all, needed);
    const detail::ValueDifferenceMetric vdm(X, in.y, in.n_classes);
    out.synthetic = Matrix(0, d);
    for (const auto& cls : plan.classes) {
      if (!cls.targeted || cls.n_new() == 0) continue;
      const auto& rows = in.class_rows[static_cast<std::size_t>(cls.label)];
      const std::size_t n = rows.size();
      // The class's ordinals, contiguous, for the neighbour search.
      std::vector<std::int32_t> local(n * d);
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < d; ++j) local[i * d + j] = X(rows[i], j);
      }
      std::vector<std::size_t> nn;
      std::vector<double> nn_dist;
      // Each row as its class probabilities (streams through memory; same values bit for bit)
      // when that costs at most the input's size, else table look-ups on the ordinals.
      const std::size_t width = d * vdm.n_present_classes();
      if (n * vdm.n_present_classes() <= in.X.rows) {
        const std::vector<std::size_t> order = pruning_order(vdm, local, n);
        std::vector<double> emb(n * width);
        std::vector<std::int32_t> permuted(d);
        for (std::size_t i = 0; i < n; ++i) {
          for (std::size_t t = 0; t < d; ++t) permuted[t] = local[i * d + order[t]];
          vdm.embed_features(permuted.data(), order, emb.data() + i * width);
        }
        if (vdm.n_present_classes() == 2) {
          search_embedded<2>(vdm, emb, order, n, k, in.n_jobs, nn, nn_dist);
        } else {
          search_embedded<0>(vdm, emb, order, n, k, in.n_jobs, nn, nn_dist);
        }
      } else {
        detail::exact_neighbors_by(
            n, k, in.n_jobs,
            [&](std::size_t a, std::size_t b, double limit) {
              return vdm.distance(local.data() + a * d, local.data() + b * d, limit);
            },
            nn, nn_dist);
      }
      Rng rng(in.seed, static_cast<std::uint64_t>(cls.label));
      std::vector<std::int32_t> votes(k + 1);
      out.synthetic.reserve_rows(out.synthetic.rows() + cls.n_new());
      for (std::size_t s = 0; s < cls.n_new(); ++s) {
        const auto i = static_cast<std::size_t>(rng.below(n));
        double* row = out.synthetic.add_row();
        for (std::size_t j = 0; j < d; ++j) {
          // The row itself and its k neighbours vote; ties go to the smallest category.
          votes[0] = local[i * d + j];
          for (std::size_t m = 0; m < k; ++m) votes[m + 1] = local[nn[i * k + m] * d + j];
          std::sort(votes.begin(), votes.end());
          std::int32_t best = votes[0];
          std::size_t best_count = 0;
          for (std::size_t a = 0; a < votes.size();) {
            std::size_t b = a;
            while (b < votes.size() && votes[b] == votes[a]) ++b;
            if (b - a > best_count) {
              best_count = b - a;
              best = votes[a];
            }
            a = b;
          }
          row[j] = X.categories[j][static_cast<std::size_t>(best)];
        }
        out.synthetic_labels.push_back(cls.label);
        out.provenance.push_back(Provenance{static_cast<std::int64_t>(rows[i]), Provenance::kNoNeighbor, 0.0});
      }
    }
    return out;
  }
};

}  // namespace

namespace detail {

const MethodSchema& smoten_schema() {
  static const MethodSchema schema{
      "smoten",
      "SMOTEN",
      "over_sampling",
      "over-sampling",
      "Nominal data: each new row takes the most frequent category, feature by feature, among a row of the class "
      "and its k nearest same-class neighbours under the Value Difference Metric.",
      "Chawla, Bowyer, Hall & Kegelmeyer, SMOTE: Synthetic Minority Over-sampling Technique, JAIR 16, 2002 (SMOTE-N); "
      "Stanfill & Waltz, Toward memory-based reasoning, CACM 29, 1986 (VDM)",
      {ParamSpec{"k_neighbors", ParamType::Int, std::int64_t{5},
                 "Nearest neighbours of the same class (Value Difference Metric) that vote with the row", false, 1.0,
                 std::nullopt, false, false, {}}},
      /*provides_sample_indices=*/false};
  return schema;
}

std::unique_ptr<Sampler> smoten_create(Params params, SamplerOptions options) {
  return std::make_unique<Smoten>(smoten_schema(), std::move(params), std::move(options));
}

}  // namespace detail
}  // namespace imbal
