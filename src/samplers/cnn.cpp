// cnn: Condensed Nearest Neighbour (P. E. Hart, "The condensed nearest neighbor rule", IEEE
// Transactions on Information Theory 14(3), 1968, pp. 515-516), as imbalanced-learn's
// CondensedNearestNeighbour (0.10) runs it, one class against the minority at a time:
//
//   store C = every minority row + n_seeds_S rows of the class drawn at random;
//   one pass over the rows of the class in input order: a row not in C is classified by the
//   n_neighbors nearest rows of C (majority vote, ties to the smaller class code, as sklearn's
//   KNeighborsClassifier); if that is wrong, the row joins C.
//   The class keeps the rows of C that belong to it.
//
// Neighbours are exact, ties by (squared distance, row index). Incremental, never refitting:
//   - the k nearest rows of the initial store are found for every row at once (multi-threaded);
//   - rows join C only from the class itself, so a row the initial store already classifies
//     correctly stays correct whatever joins later (the class's votes can only grow): it is
//     settled without looking at the rows that joined;
//   - the other rows are merged with the rows that joined C so far (packed contiguously); for
//     n_neighbors = 1 the scan stops at the first joined row nearer than the nearest minority row.
// Differences from imbalanced-learn (docs/methods/cnn.md): our random draws; seeds are drawn
// without replacement (imbalanced-learn may draw a row twice and then lists it twice); a row of C
// is never re-tested (imbalanced-learn may append a seed again when a minority duplicate ties
// with it); imbalanced-learn's skip list mixes class positions with row indices, so it skips some
// rows that should be tested (a skipped misclassified row is dropped): we test every row.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "imbal/error.hpp"
#include "imbal/neighbors.hpp"
#include "imbal/sampler.hpp"
#include "neighbors/neighbors_internal.hpp"
#include "samplers/interpolation.hpp"
#include "samplers/near_miss.hpp"

namespace imbal {

namespace {

constexpr const char* kMethod = "cnn";

std::string class_words(const SamplerInput& in, std::int32_t label) {
  std::string name = in.class_name(label);
  return name.rfind("class ", 0) == 0 ? name : std::string("class ").append(name);
}

struct Near {
  double sq;
  std::size_t row;
  bool target;
};

bool nearer(const Near& a, const Near& b) { return a.sq < b.sq || (a.sq == b.sq && a.row < b.row); }

// sklearn's KNeighborsClassifier vote between the class and the minority: most votes, a tie to
// the smaller class code.
bool predicts_target(std::size_t target_votes, std::size_t k, std::int32_t target, std::int32_t minority) {
  const std::size_t other = k - target_votes;
  return target_votes > other || (target_votes == other && target < minority);
}

class Cnn final : public Sampler {
 public:
  using Sampler::Sampler;
  SamplingType sampling_type() const override { return SamplingType::CleanSampling; }

 protected:
  SamplerOutput resample(const SamplerInput& in, const ResamplePlan& plan) override {
    detail::require_numeric_features(in, kMethod);
    const std::size_t k = params().is_none("n_neighbors") ? 1 : static_cast<std::size_t>(params().get_int("n_neighbors"));
    const auto n_seeds = static_cast<std::size_t>(params().get_int("n_seeds_S"));
    const std::int32_t minority = detail::minority_class(in);
    const auto& min_rows = in.class_rows[static_cast<std::size_t>(minority)];
    SamplerOutput out;
    for (const auto& cls : plan.classes) {
      const auto& rows = in.class_rows[static_cast<std::size_t>(cls.label)];
      if (!cls.targeted) {
        out.indices.insert(out.indices.end(), rows.begin(), rows.end());
        continue;
      }
      const auto kept = condense(in, cls.label, rows, min_rows, minority, k, n_seeds);
      out.indices.insert(out.indices.end(), kept.begin(), kept.end());
    }
    // Like every cleaning method: the kept rows in input order.
    std::sort(out.indices.begin(), out.indices.end());
    return out;
  }

 private:
  static std::vector<std::size_t> condense(const SamplerInput& in, std::int32_t label,
                                           const std::vector<std::size_t>& rows,
                                           const std::vector<std::size_t>& min_rows, std::int32_t minority,
                                           std::size_t k, std::size_t n_seeds) {
    if (n_seeds > rows.size()) {
      throw InvalidArgument(std::string(kMethod) + ": n_seeds_S=" + std::to_string(n_seeds) + " but " +
                            class_words(in, label) + " has only " + std::to_string(rows.size()) +
                            " rows to draw the seeds from; lower n_seeds_S");
    }
    Rng rng(in.seed, static_cast<std::uint64_t>(label));
    const auto seed_pos = rng.choice(rows.size(), n_seeds, /*replace=*/false);
    std::vector<char> in_store(rows.size(), 0);
    std::vector<std::size_t> kept;
    for (const auto p : seed_pos) {
      in_store[p] = 1;
      kept.push_back(rows[p]);
    }
    if (label == minority) {
      // Every row of the class is already in the store (imbalanced-learn: C = minority + seeds),
      // so every row is classified by itself: only the seeds stay.
      std::sort(kept.begin(), kept.end());
      return kept;
    }
    std::vector<std::size_t> store(min_rows);
    store.insert(store.end(), kept.begin(), kept.end());
    std::sort(store.begin(), store.end());
    if (k > store.size()) {
      throw InvalidArgument(std::string(kMethod) + ": n_neighbors=" + std::to_string(k) +
                            " but the initial store (the " + std::to_string(min_rows.size()) +
                            " rows of the minority " + class_words(in, minority) + " and n_seeds_S=" +
                            std::to_string(n_seeds) + " seed rows of " + class_words(in, label) + ") has only " +
                            std::to_string(store.size()) + " rows; lower n_neighbors or raise n_seeds_S");
    }
    std::vector<std::size_t> todo;
    for (std::size_t p = 0; p < rows.size(); ++p) {
      if (in_store[p] == 0) todo.push_back(rows[p]);
    }
    if (todo.empty()) {
      std::sort(kept.begin(), kept.end());
      return kept;
    }
    NeighborOptions nn_options;
    nn_options.n_jobs = in.n_jobs;
    const NeighborIndex initial(in.X, store, nn_options);
    const Neighbors nn0 = initial.query_rows(todo, k, /*exclude_self=*/false);

    const std::size_t d = in.X.cols;
    std::vector<double> joined_x;  // rows that joined the store, packed
    std::vector<std::size_t> joined;
    std::vector<Near> best(k);
    for (std::size_t t = 0; t < todo.size(); ++t) {
      const std::size_t row = todo[t];
      const double* x = in.X.row(row);
      std::size_t votes = 0;
      for (std::size_t j = 0; j < k; ++j) {
        const std::size_t nb = nn0(t, j);
        const bool target = in.y[nb] == label;
        best[j] = Near{nn::exact_sq(x, in.X.row(nb), d), nb, target};
        votes += target ? 1 : 0;
      }
      if (predicts_target(votes, k, label, minority)) continue;  // settled: stays correct
      bool correct = false;
      if (k == 1) {
        const Near limit = best[0];
        for (std::size_t a = 0; a < joined.size(); ++a) {
          const double sq = nn::exact_sq(x, joined_x.data() + a * d, d);
          if (nearer(Near{sq, joined[a], true}, limit)) {
            correct = true;
            break;
          }
        }
      } else {
        // best is ascending by (sq, row); merge the joined rows into the k nearest.
        for (std::size_t a = 0; a < joined.size(); ++a) {
          const double sq = nn::exact_sq(x, joined_x.data() + a * d, d);
          const Near cand{sq, joined[a], true};
          if (!nearer(cand, best[k - 1])) continue;
          votes -= best[k - 1].target ? 1 : 0;
          std::size_t pos = k - 1;
          while (pos > 0 && nearer(cand, best[pos - 1])) {
            best[pos] = best[pos - 1];
            --pos;
          }
          best[pos] = cand;
          ++votes;
          if (predicts_target(votes, k, label, minority)) {
            correct = true;  // later joined rows only add votes for the class
            break;
          }
        }
      }
      if (!correct) {
        joined.push_back(row);
        joined_x.insert(joined_x.end(), x, x + d);
        kept.push_back(row);
      }
    }
    std::sort(kept.begin(), kept.end());
    return kept;
  }
};

}  // namespace

namespace detail {

const MethodSchema& cnn_schema() {
  static const MethodSchema schema{
      kMethod,
      "CondensedNearestNeighbour",
      "under_sampling",
      "cleaning",
      "Condensed nearest neighbour: keep a subset of each class that still classifies the class's other rows "
      "correctly with k-NN against the minority.",
      "P. E. Hart, The condensed nearest neighbor rule, IEEE Transactions on Information Theory 14(3), 1968",
      {ParamSpec{"n_neighbors", ParamType::Int, std::monostate{},
                 "Neighbours of the k-NN rule that decides whether a row joins the store (none: 1)", true, 1.0,
                 std::nullopt, false, false, {}},
       ParamSpec{"n_seeds_S", ParamType::Int, std::int64_t{1},
                 "Rows of the class drawn at random to start the store with", false, 1.0, std::nullopt, false,
                 false, {}}},
      /*provides_sample_indices=*/true};
  return schema;
}

std::unique_ptr<Sampler> cnn_create(Params params, SamplerOptions options) {
  return std::make_unique<Cnn>(cnn_schema(), std::move(params), std::move(options));
}

}  // namespace detail
}  // namespace imbal
