// smote-enn: SMOTE, then edited nearest neighbours (ENN) removes the rows whose neighbours
// disagree with them. Batista, Prati & Monard, "A study of the behavior of several methods for
// balancing machine learning training data", SIGKDD Explorations 6(1), 2004. imbalanced-learn's
// SMOTEENN with its defaults: SMOTE with the chain's sampling strategy, then enn with
// sampling_strategy='all' (every class is cleaned). Built by composing the two registered
// samplers (samplers/chain.hpp).
#include "imbal/sampler.hpp"
#include "samplers/chain.hpp"

namespace imbal::detail {
namespace {

const std::vector<ChainStage>& stages() {
  static const std::vector<ChainStage> kStages{{"smote", "smote", ""}, {"enn", "enn", "all"}};
  return kStages;
}

}  // namespace

const MethodSchema& smote_enn_schema() {
  static const MethodSchema schema =
      chain_schema("smote-enn", "SMOTEENN", "combine",
                   "SMOTE, then edited nearest neighbours (ENN) removes rows whose neighbours disagree "
                   "with them.",
                   "Batista, Prati & Monard, A study of the behavior of several methods for balancing "
                   "machine learning training data, SIGKDD Explorations 6(1), 2004",
                   stages());
  return schema;
}

std::unique_ptr<Sampler> smote_enn_create(Params params, SamplerOptions options) {
  return make_chain(smote_enn_schema(), stages(), std::move(params), std::move(options));
}

}  // namespace imbal::detail
