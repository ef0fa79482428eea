// borderline-smote: SMOTE from the rows on the class border only (Han, Wang & Mao,
// "Borderline-SMOTE: A New Over-Sampling Method in Imbalanced Data Sets Learning", ICIC 2005,
// LNCS 3644, pp. 878-887), as imbalanced-learn's BorderlineSMOTE (0.10) does it:
//
// 1. danger set: a row of the class is "in danger" when, among its m_neighbors nearest rows of
//    the whole data (itself excluded by index), m/2 <= (rows of other classes) < m;
// 2. borderline-1: each new row is parent + u * (neighbour - parent), u ~ U[0, 1), the
//    (danger row, neighbour) pair drawn uniformly among the danger rows' k_neighbors nearest
//    same-class neighbours;
// 3. borderline-2: a fraction f ~ Beta(10, 10) of the new rows (floor(f * (n + 1)), as
//    imbalanced-learn) is made as in borderline-1; the rest interpolate towards one of the danger
//    row's k_neighbors nearest rows of ANY class, with the step halved (u/2 in [0, 0.5)) when
//    that neighbour belongs to another class, so the new row stays on the class's side.
//
// Differences from imbalanced-learn 0.10 (docs/methods/borderline-smote.md): exact counts; an
// empty danger set is an error instead of silently adding no rows; borderline-2's second part
// uses the true nearest neighbours among all rows (imbalanced-learn 0.10 indexes the other
// classes' rows with same-class neighbour positions, its issue #846, changed by its PR #1023).
#include <algorithm>
#include <cmath>

#include "imbal/error.hpp"
#include "imbal/sampler.hpp"
#include "samplers/borderline.hpp"
#include "samplers/interpolation.hpp"

namespace imbal {
namespace detail {

std::vector<bool> borderline_danger(const SamplerInput& in, std::int32_t label, std::size_t m_neighbors) {
  const auto counts = foreign_neighbor_counts(in, label, m_neighbors, "borderline-smote", "m_neighbors");
  std::vector<bool> danger(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) danger[i] = borderline_in_danger(counts[i], m_neighbors);
  return danger;
}

double gamma_deviate(Rng& rng, double shape) {
  IMBAL_ASSERT(shape >= 1.0);
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x = 0.0;
    double v = 0.0;
    do {
      x = rng.normal();
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = rng.uniform();
    const double x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2) return d * v;
    if (std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v))) return d * v;
  }
}

double beta_deviate(Rng& rng, double a, double b) {
  const double x = gamma_deviate(rng, a);
  const double y = gamma_deviate(rng, b);
  return x / (x + y);
}

std::size_t borderline2_same_class_count(double fraction, std::size_t n_new) {
  const double first = std::floor(fraction * static_cast<double>(n_new + 1));
  if (!(first > 0.0)) return 0;
  return std::min(static_cast<std::size_t>(first), n_new);
}

}  // namespace detail

namespace {

constexpr const char* kMethod = "borderline-smote";


class BorderlineSmote final : public Sampler {
 public:
  using Sampler::Sampler;
  SamplingType sampling_type() const override { return SamplingType::OverSampling; }

 protected:
  SamplerOutput resample(const SamplerInput& in, const ResamplePlan& plan) override {
    detail::require_numeric_features(in, kMethod);
    const auto k = static_cast<std::size_t>(params().get_int("k_neighbors"));
    const auto m = static_cast<std::size_t>(params().get_int("m_neighbors"));
    const bool borderline2 = params().get_string("kind") == "borderline-2";
    SamplerOutput out;
    out.keep_all_rows(in.X.rows);
    detail::reserve_new_rows(plan, out);
    for (const auto& cls : plan.classes) {
      if (!cls.targeted || cls.n_new() == 0) continue;
      const auto& rows = in.class_rows[static_cast<std::size_t>(cls.label)];
      const auto mask = detail::borderline_danger(in, cls.label, m);
      std::vector<std::size_t> danger;  // positions in `rows`
      for (std::size_t i = 0; i < rows.size(); ++i) {
        if (mask[i]) danger.push_back(i);
      }
      if (danger.empty()) throw_no_danger(in, cls, m);
      // (only the rows in danger are interpolated from, so only they are queried)
      const Neighbors same = detail::class_neighbors(in, cls.label, k, kMethod, "k_neighbors", danger);
      Rng rng(in.seed, static_cast<std::uint64_t>(cls.label));
      std::size_t n_same = cls.n_new();
      if (borderline2) n_same = detail::borderline2_same_class_count(detail::beta_deviate(rng, 10.0, 10.0), cls.n_new());
      const std::size_t k_same = same.k;  // k, or fewer for a small class under reduce_k
      const std::size_t n_same_pairs = danger.size() * k_same;
      for (std::size_t s = 0; s < n_same; ++s) {
        const auto pair = static_cast<std::size_t>(rng.below(n_same_pairs));
        const std::size_t t = pair / k_same;
        const double step = rng.uniform();
        detail::append_interpolated(in, rows[danger[t]], same(t, pair % k_same), step, cls.label, out);
      }
      const std::size_t n_any = cls.n_new() - n_same;
      if (n_any == 0) continue;
      // borderline-2: neighbours of the danger rows among all rows (m_neighbors >= 1 foreign
      // neighbours made them danger rows, so the data has more than k_same + 1 rows; k is
      // capped by the data's size for the reduce_k case).
      std::vector<std::size_t> danger_rows(danger.size());
      for (std::size_t t = 0; t < danger.size(); ++t) danger_rows[t] = rows[danger[t]];
      NeighborOptions options;
      options.n_jobs = in.n_jobs;
      const NeighborIndex all(in.X, options);
      const std::size_t k_any = std::min(k, in.X.rows - 1);
      const Neighbors any = all.query_rows(danger_rows, k_any, /*exclude_self=*/true);
      const std::size_t n_any_pairs = danger.size() * k_any;
      for (std::size_t s = 0; s < n_any; ++s) {
        const auto pair = static_cast<std::size_t>(rng.below(n_any_pairs));
        const std::size_t t = pair / k_any;
        const std::size_t neighbor = any(t, pair % k_any);
        double step = rng.uniform();
        if (in.y[neighbor] != cls.label) step *= 0.5;
        detail::append_interpolated(in, danger_rows[t], neighbor, step, cls.label, out);
      }
    }
    return out;
  }

 private:
  [[noreturn]] static void throw_no_danger(const SamplerInput& in, const ClassPlan& cls, std::size_t m) {
    const auto foreign = detail::foreign_neighbor_counts(in, cls.label, m, kMethod, "m_neighbors");
    const auto noise = static_cast<std::size_t>(std::count(foreign.begin(), foreign.end(), m));
    const std::size_t n = cls.n_in;
    throw InvalidArgument(
        std::string(kMethod)
            .append(": no row of ")
            .append(in.class_words(cls.label))
            .append(" is in danger, so there is no row to create new rows from (a row is in danger when at "
                    "least half, but not all, of its m_neighbors=")
            .append(std::to_string(m))
            .append(" nearest rows belong to other classes; of the ")
            .append(std::to_string(n))
            .append(" rows of the class, ")
            .append(std::to_string(n - noise))
            .append(" are safe and ")
            .append(std::to_string(noise))
            .append(" are noise). The sampling strategy asks for ")
            .append(std::to_string(cls.n_new()))
            .append(" new rows of this class; imbalanced-learn would silently add none. Use smote, change "
                    "m_neighbors, or leave this class out of the sampling strategy"));
  }
};

}  // namespace

namespace detail {

const MethodSchema& borderline_smote_schema() {
  static const MethodSchema schema{
      kMethod,
      "BorderlineSMOTE",
      "over_sampling",
      "over-sampling",
      "SMOTE from the rows in danger only: rows whose m nearest neighbours are at least half, but not all, of "
      "other classes.",
      "Han, Wang & Mao, Borderline-SMOTE: A New Over-Sampling Method in Imbalanced Data Sets Learning, "
      "ICIC 2005, LNCS 3644",
      {ParamSpec{"k_neighbors", ParamType::Int, std::int64_t{5},
                 "Nearest neighbours of a row in danger to interpolate towards", false, 1.0, std::nullopt, false,
                 false, {}},
       ParamSpec{"m_neighbors", ParamType::Int, std::int64_t{10},
                 "Nearest neighbours among all rows that decide whether a row is in danger", false, 1.0,
                 std::nullopt, false, false, {}},
       ParamSpec{"kind", ParamType::Choice, std::string{"borderline-1"},
                 "borderline-1: same-class neighbours only; borderline-2: also neighbours of other classes "
                 "(step < 0.5)",
                 false, std::nullopt, std::nullopt, false, false, {"borderline-1", "borderline-2"}}},
      /*provides_sample_indices=*/false};
  return schema;
}

std::unique_ptr<Sampler> borderline_smote_create(Params params, SamplerOptions options) {
  return std::make_unique<BorderlineSmote>(borderline_smote_schema(), std::move(params), std::move(options));
}

}  // namespace detail
}  // namespace imbal
