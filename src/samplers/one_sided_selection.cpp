// one-sided-selection (M. Kubat & S. Matwin, "Addressing the curse of imbalanced training sets:
// one-sided selection", ICML 1997), as imbalanced-learn's OneSidedSelection (0.10) runs it:
//
//   for every targeted class (in class order), C = every row of the minority + n_seeds_S rows of
//   the class drawn at random; the k-NN rule over C (n_neighbors, default 1; majority vote, ties
//   to the smaller class code as scikit-learn's KNeighborsClassifier) classifies the class's other
//   rows; the class keeps its seeds and the rows that rule gets wrong. Untargeted classes keep
//   every row.
//   Then Tomek links are found among the kept rows, and the rows of the targeted classes that end
//   a link are removed (imbalanced-learn: TomekLinks(sampling_strategy=<the targeted classes>)).
//
// Neighbours are exact, ties by (squared distance, row index); the k nearest rows of C are found
// for all of a class's rows at once through the neighbour engine (multi-threaded). Differences
// from imbalanced-learn (docs/methods/one-sided-selection.md): our random draws; seeds drawn
// without replacement (imbalanced-learn may draw a row twice and then keeps it twice); ties at
// equal distances by row index (imbalanced-learn: whatever its tree reports, and for the Tomek
// step the position in its concatenated, class-grouped array); a row is excluded from its own
// neighbours by index in the Tomek step (imbalanced-learn drops the first column of kneighbors).
// Kept rows are listed in input order.
#include <algorithm>

#include "imbal/error.hpp"
#include "imbal/neighbors.hpp"
#include "imbal/sampler.hpp"
#include "samplers/cleaning.hpp"
#include "samplers/near_miss.hpp"

namespace imbal {

namespace {

constexpr const char* kMethod = "one-sided-selection";

// scikit-learn's KNeighborsClassifier vote between the class and the minority: most votes, a tie
// to the smaller class code.
bool predicts_target(std::size_t target_votes, std::size_t k, std::int32_t target, std::int32_t minority) {
  const std::size_t other = k - target_votes;
  return target_votes > other || (target_votes == other && target < minority);
}

class OneSidedSelection final : public Sampler {
 public:
  using Sampler::Sampler;
  SamplingType sampling_type() const override { return SamplingType::CleanSampling; }

 protected:
  SamplerOutput resample(const SamplerInput& in, const ResamplePlan& plan) override {
    detail::require_numeric_for_cleaning(in, kMethod);
    const std::size_t k =
        params().is_none("n_neighbors") ? 1 : static_cast<std::size_t>(params().get_int("n_neighbors"));
    const auto n_seeds = static_cast<std::size_t>(params().get_int("n_seeds_S"));
    const std::int32_t minority = detail::minority_class(in);
    const auto& min_rows = in.class_rows[static_cast<std::size_t>(minority)];

    std::vector<std::size_t> kept;
    std::vector<bool> targeted(in.n_classes, false);
    for (const auto& cls : plan.classes) {
      const auto& rows = in.class_rows[static_cast<std::size_t>(cls.label)];
      targeted[static_cast<std::size_t>(cls.label)] = cls.targeted;
      if (!cls.targeted) {
        kept.insert(kept.end(), rows.begin(), rows.end());
        continue;
      }
      const auto selected = select(in, cls.label, rows, min_rows, minority, k, n_seeds);
      kept.insert(kept.end(), selected.begin(), selected.end());
    }
    std::sort(kept.begin(), kept.end());

    SamplerOutput out;
    if (kept.size() < 2) {
      out.indices = std::move(kept);
      return out;
    }
    const auto ends = detail::tomek_link_ends(in.X, in.y, in.n_classes, kept, in.n_jobs);
    out.indices.reserve(kept.size());
    for (std::size_t i = 0; i < kept.size(); ++i) {
      if (ends[i] && targeted[static_cast<std::size_t>(in.y[kept[i]])]) continue;
      out.indices.push_back(kept[i]);
    }
    return out;
  }

 private:
  // The seeds of the class and the rows of the class the k-NN rule over C misclassifies.
  static std::vector<std::size_t> select(const SamplerInput& in, std::int32_t label,
                                         const std::vector<std::size_t>& rows,
                                         const std::vector<std::size_t>& min_rows, std::int32_t minority,
                                         std::size_t k, std::size_t n_seeds) {
    if (n_seeds > rows.size()) {
      throw InvalidArgument(std::string(kMethod) + ": n_seeds_S=" + std::to_string(n_seeds) + " but " +
                            in.class_words(label) + " has only " + std::to_string(rows.size()) +
                            " rows to draw the seeds from; lower n_seeds_S");
    }
    Rng rng(in.seed, static_cast<std::uint64_t>(label));
    const auto seed_pos = rng.choice(rows.size(), n_seeds, /*replace=*/false);
    std::vector<char> is_seed(rows.size(), 0);
    std::vector<std::size_t> kept;
    for (const auto p : seed_pos) {
      is_seed[p] = 1;
      kept.push_back(rows[p]);
    }
    if (label == minority) {
      // C holds every row of the class: each is its own nearest row of C and is classified
      // correctly, so only the seeds stay (as imbalanced-learn).
      return kept;
    }
    std::vector<std::size_t> store(min_rows);
    store.insert(store.end(), kept.begin(), kept.end());
    std::sort(store.begin(), store.end());
    if (k > store.size()) {
      throw InvalidArgument(std::string(kMethod) + ": n_neighbors=" + std::to_string(k) + " but C (the " +
                            std::to_string(min_rows.size()) + " rows of the minority " + in.class_words(minority) +
                            " and n_seeds_S=" + std::to_string(n_seeds) + " seed rows of " + in.class_words(label) +
                            ") has only " + std::to_string(store.size()) +
                            " rows; lower n_neighbors or raise n_seeds_S");
    }
    std::vector<std::size_t> todo;
    for (std::size_t p = 0; p < rows.size(); ++p) {
      if (is_seed[p] == 0) todo.push_back(rows[p]);
    }
    if (todo.empty()) return kept;
    NeighborOptions nn_options;
    nn_options.n_jobs = in.n_jobs;
    const NeighborIndex index(in.X, store, nn_options);
    const Neighbors nn = index.query_rows(todo, k, /*exclude_self=*/false);
    for (std::size_t t = 0; t < todo.size(); ++t) {
      std::size_t votes = 0;
      for (std::size_t j = 0; j < k; ++j) votes += in.y[nn(t, j)] == label ? 1 : 0;
      if (!predicts_target(votes, k, label, minority)) kept.push_back(todo[t]);
    }
    return kept;
  }
};

}  // namespace

namespace detail {

const MethodSchema& one_sided_selection_schema() {
  static const MethodSchema schema{
      kMethod,
      "OneSidedSelection",
      "under_sampling",
      "cleaning",
      "One-sided selection: keep the rows of each cleaned class that k-NN over the minority and a few seeds "
      "misclassifies, then remove the cleaned classes' ends of Tomek links.",
      "M. Kubat and S. Matwin, Addressing the curse of imbalanced training sets: one-sided selection, ICML 1997",
      {ParamSpec{"n_neighbors", ParamType::Int, std::monostate{},
                 "Neighbours of the k-NN rule that decides which rows of a class are kept (none: 1)", true, 1.0,
                 std::nullopt, false, false, {}},
       ParamSpec{"n_seeds_S", ParamType::Int, std::int64_t{1},
                 "Rows of the class drawn at random to join the minority in C", false, 1.0, std::nullopt, false,
                 false, {}}},
      /*provides_sample_indices=*/true};
  return schema;
}

std::unique_ptr<Sampler> one_sided_selection_create(Params params, SamplerOptions options) {
  return std::make_unique<OneSidedSelection>(one_sided_selection_schema(), std::move(params), std::move(options));
}

}  // namespace detail
}  // namespace imbal
