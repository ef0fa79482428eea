// ncr: the neighbourhood cleaning rule (J. Laurikkala, "Improving Identification of Difficult
// Small Classes by Balancing Class Distribution", AIME 2001), as imbalanced-learn's
// NeighbourhoodCleaningRule (0.10) runs it:
//
//   A1: the rows enn with kind_sel="mode" and n_neighbors removes from the cleaned classes (always
//       "mode", whatever kind_sel says: imbalanced-learn hard-codes it);
//   A2: for every row x of the minority (the first, in order of appearance, of the smallest
//       classes), its n_neighbors nearest rows (x excluded) when x's neighbourhood "fails":
//         kind_sel="mode": the most common class among them is not the minority (ties as enn's
//           mode: the smallest class for numeric labels, the nearest for string labels);
//         kind_sel="all": imbalanced-learn 0.10 evaluates np.all(labels): the neighbourhood fails
//           when some neighbour's LABEL VALUE is zero (false) - not when it has another class.
//           With numeric labels that never include 0 (1/-1, 1/2, ...) A2 is then always empty;
//           string labels are never zero here (imbalanced-learn raises a TypeError on them);
//       only the neighbours whose class is cleaned AND has more than threshold_cleaning * n rows
//       (n = all rows) go into A2;
//   the rows of A1 and A2 are removed; kept rows in input order.
//
// Neighbours by the plain definition (x excluded by index, ties by (distance, index)), as enn:
// imbalanced-learn drops the first column of kneighbors instead, which differs when rows repeat
// (docs/methods/ncr.md).
#include <algorithm>
#include <cstdlib>
#include <string>

#include "imbal/error.hpp"
#include "imbal/neighbors.hpp"
#include "imbal/sampler.hpp"
#include "samplers/cleaning.hpp"
#include "samplers/near_miss.hpp"

namespace imbal {
namespace {

constexpr const char* kMethod = "ncr";

// Whether the label of class `code` is false in Python (np.all): a numeric label equal to 0.
// Without labels the codes are the labels.
bool label_is_false(const SamplerInput& in, std::int32_t code) {
  if (in.labels == nullptr) return code == 0;
  if (!in.labels->numeric) return false;
  const std::string& name = in.labels->names[static_cast<std::size_t>(code)];
  char* end = nullptr;
  const double v = std::strtod(name.c_str(), &end);
  return end != name.c_str() && v == 0.0;
}

// The most common class among `nbrs` (nearest first), with enn's tie rule.
std::int32_t mode_of(const SamplerInput& in, std::span<const std::size_t> nbrs, detail::ModeTie tie,
                     std::vector<std::size_t>& counts) {
  std::fill(counts.begin(), counts.end(), std::size_t{0});
  std::size_t best_count = 0;
  for (const auto r : nbrs) best_count = std::max(best_count, ++counts[static_cast<std::size_t>(in.y[r])]);
  if (tie == detail::ModeTie::NearestFirst) {
    for (const auto r : nbrs) {
      if (counts[static_cast<std::size_t>(in.y[r])] == best_count) return in.y[r];
    }
  }
  for (std::size_t c = 0; c < counts.size(); ++c) {
    if (counts[c] == best_count) return static_cast<std::int32_t>(c);
  }
  return -1;
}

class NeighbourhoodCleaningRule final : public Sampler {
 public:
  using Sampler::Sampler;
  SamplingType sampling_type() const override { return SamplingType::CleanSampling; }

 protected:
  SamplerOutput resample(const SamplerInput& in, const ResamplePlan& plan) override {
    detail::require_numeric_for_cleaning(in, kMethod);
    const auto k = static_cast<std::size_t>(params().get_int("n_neighbors"));
    const auto kind = detail::parse_kind_sel(params().get_string("kind_sel"));
    const double threshold = params().get_double("threshold_cleaning");
    detail::require_rows_for_neighbors(kMethod, in.X.rows, k);
    const std::size_t n = in.X.rows;
    const detail::ModeTie tie = detail::mode_tie_for(in);

    std::vector<bool> clean(in.n_classes, false);
    for (const auto& cls : plan.classes) clean[static_cast<std::size_t>(cls.label)] = cls.targeted;

    // A1: enn with kind_sel="mode".
    std::vector<std::size_t> rows(n);
    for (std::size_t i = 0; i < n; ++i) rows[i] = i;
    std::vector<char> removed(n, 1);
    {
      detail::EnnEditor editor(in.X, in.y, in.n_classes, k, detail::KindSel::Mode, in.n_jobs, tie);
      for (const auto r : editor.pass(rows, clean, k)) removed[r] = 0;
    }

    // A2: the neighbours of the minority rows whose neighbourhood fails, from the large cleaned classes.
    std::vector<bool> under(in.n_classes, false);
    bool any_under = false;
    for (const auto& cls : plan.classes) {
      under[static_cast<std::size_t>(cls.label)] =
          cls.targeted && static_cast<double>(cls.n_in) > static_cast<double>(n) * threshold;
      any_under = any_under || under[static_cast<std::size_t>(cls.label)];
    }
    const std::int32_t minority = detail::minority_class(in);
    const auto& min_rows = in.class_rows[static_cast<std::size_t>(minority)];
    if (any_under && !min_rows.empty()) {
      NeighborOptions options;
      options.n_jobs = in.n_jobs;
      const NeighborIndex index(in.X, options);
      const Neighbors nn = index.query_rows(min_rows, k, /*exclude_self=*/true);
      std::vector<std::size_t> counts(in.n_classes, 0);
      for (std::size_t i = 0; i < min_rows.size(); ++i) {
        const auto nbrs = nn.indices(i);
        bool fails = false;
        if (kind == detail::KindSel::Mode) {
          fails = mode_of(in, nbrs, tie, counts) != minority;
        } else {
          for (const auto r : nbrs) fails = fails || label_is_false(in, in.y[r]);
        }
        if (!fails) continue;
        for (const auto r : nbrs) {
          if (under[static_cast<std::size_t>(in.y[r])]) removed[r] = 1;
        }
      }
    }

    SamplerOutput out;
    out.indices.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (removed[i] == 0) out.indices.push_back(i);
    }
    return out;
  }
};

}  // namespace

namespace detail {

const MethodSchema& ncr_schema() {
  static const MethodSchema schema{
      kMethod,
      "NeighbourhoodCleaningRule",
      "under_sampling",
      "cleaning",
      "Neighbourhood cleaning rule: enn (kind_sel mode) on the cleaned classes, then remove the large cleaned "
      "classes' rows near minority rows whose neighbourhood fails.",
      "J. Laurikkala, Improving Identification of Difficult Small Classes by Balancing Class Distribution, "
      "AIME 2001",
      {n_neighbors_param("Nearest neighbours of each row (enn step) and of each minority row (second step)"),
       ParamSpec{"kind_sel", ParamType::Choice, std::string{"all"},
                 "Second step only (the enn step always uses mode): mode: a minority row's neighbourhood fails "
                 "when its most common class is not the minority; all: as imbalanced-learn 0.10, when some "
                 "neighbour's label value is 0",
                 false, std::nullopt, std::nullopt, false, false, {"all", "mode"}},
       ParamSpec{"threshold_cleaning", ParamType::Float, 0.5,
                 "Second step: only classes with more than threshold_cleaning * (all rows) rows lose rows",
                 false, 0.0, 1.0, true, true, {}}},
      /*provides_sample_indices=*/true};
  return schema;
}

std::unique_ptr<Sampler> ncr_create(Params params, SamplerOptions options) {
  return std::make_unique<NeighbourhoodCleaningRule>(ncr_schema(), std::move(params), std::move(options));
}

}  // namespace detail
}  // namespace imbal
