// smote-tomek: SMOTE, then the rows of Tomek links (pairs of rows of different classes that are
// each other's nearest neighbour) are removed. Batista, Bazzan & Monard, "Balancing training data
// for automated annotation of keywords: a case study", WOB 2003. imbalanced-learn's SMOTETomek
// with its defaults: SMOTE with the chain's sampling strategy, then tomek-links with
// sampling_strategy='all' (every class is cleaned). Built by composing the two registered
// samplers (samplers/chain.hpp).
#include "imbal/sampler.hpp"
#include "samplers/chain.hpp"

namespace imbal::detail {
namespace {

const std::vector<ChainStage>& stages() {
  static const std::vector<ChainStage> kStages{{"smote", "smote", ""}, {"tomek-links", "tomek", "all"}};
  return kStages;
}

}  // namespace

const MethodSchema& smote_tomek_schema() {
  static const MethodSchema schema =
      chain_schema("smote-tomek", "SMOTETomek", "combine",
                   "SMOTE, then remove the rows of Tomek links (pairs of rows of different classes that "
                   "are each other's nearest neighbour).",
                   "Batista, Bazzan & Monard, Balancing training data for automated annotation of "
                   "keywords: a case study, WOB 2003",
                   stages());
  return schema;
}

std::unique_ptr<Sampler> smote_tomek_create(Params params, SamplerOptions options) {
  return make_chain(smote_tomek_schema(), stages(), std::move(params), std::move(options));
}

}  // namespace imbal::detail
