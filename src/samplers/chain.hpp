// Chains of samplers: each stage resamples the previous stage's output. imbalanced-learn offers
// two fixed chains, SMOTEENN (Batista, Prati & Monard 2004) and SMOTETomek (Batista, Bazzan &
// Monard 2003); imbal builds those from this one composition and accepts any chain the user
// names ("smote+enn", "random-under+smote", ...).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "imbal/params.hpp"
#include "imbal/sampler.hpp"

namespace imbal::detail {

/// One stage: a registered method, the prefix of its parameters in the chain's schema
/// ("smote" gives "smote.k_neighbors"), and its sampling strategy when it is not the first
/// stage (the first one runs with the chain's own strategy). Empty strategy: "all" for a
/// cleaning method (what SMOTEENN / SMOTETomek do), "auto" otherwise.
struct ChainStage {
  std::string method;
  std::string prefix;
  std::string strategy;
};

/// The schema of a chain: every stage's parameters with its prefix, and
/// "<prefix>.sampling_strategy" (a Text parameter) for every stage after the first.
MethodSchema chain_schema(std::string name, std::string python_class, std::string python_module,
                          std::string summary, std::string reference, const std::vector<ChainStage>& stages);

/// Creates the chain sampler for a schema made by chain_schema.
std::unique_ptr<Sampler> make_chain(const MethodSchema& schema, std::vector<ChainStage> stages, Params params,
                                    SamplerOptions options);

/// A chain named by the user, "a+b+...": stages are the registered methods a, b, ... (a method
/// named twice gets prefixes "m" and "m2"). `assignments` are "name=value" texts; a name
/// without a prefix is accepted when exactly one stage has that parameter.
std::unique_ptr<Sampler> make_named_chain(std::string_view name, const std::vector<std::string>& assignments,
                                          SamplerOptions options);

}  // namespace imbal::detail
