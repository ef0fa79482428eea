// The registry of samplers, built from one X-macro list (src/samplers/registry.def).
#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "imbal/params.hpp"
#include "imbal/sampler.hpp"

namespace imbal {

struct SamplerEntry {
  const MethodSchema& (*schema)();
  std::unique_ptr<Sampler> (*create)(Params params, SamplerOptions options);
};

/// Every registered sampler, in registry order.
std::span<const SamplerEntry> samplers();
/// The entry of `name`; throws InvalidArgument listing the valid names when unknown.
const SamplerEntry& find_sampler(std::string_view name);
/// Creates a sampler by name with its default parameters. A name "a+b+..." is a chain of
/// registered methods, each resampling the previous one's output (parameters "a.param").
std::unique_ptr<Sampler> make_sampler(std::string_view name, SamplerOptions options = {});
/// Creates a sampler by name with parameters given as "name=value" texts.
std::unique_ptr<Sampler> make_sampler(std::string_view name,
                                      const std::vector<std::string>& assignments,
                                      SamplerOptions options = {});

}  // namespace imbal
