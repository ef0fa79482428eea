#include "imbal/registry.hpp"

#include <array>

#include "imbal/error.hpp"
#include "samplers/chain.hpp"

namespace imbal {

namespace detail {
#define IMBAL_SAMPLER(id)                  \
  const MethodSchema& id##_schema();       \
  std::unique_ptr<Sampler> id##_create(Params params, SamplerOptions options);
#include "samplers/registry.def"
#undef IMBAL_SAMPLER
}  // namespace detail

namespace {
const std::array kSamplers = {
#define IMBAL_SAMPLER(id) SamplerEntry{&detail::id##_schema, &detail::id##_create},
#include "samplers/registry.def"
#undef IMBAL_SAMPLER
};
}  // namespace

std::span<const SamplerEntry> samplers() { return kSamplers; }

const SamplerEntry& find_sampler(std::string_view name) {
  for (const auto& entry : kSamplers) {
    if (entry.schema().name == name) return entry;
  }
  std::string known;
  for (const auto& entry : kSamplers) known += (known.empty() ? "" : ", ") + entry.schema().name;
  throw InvalidArgument("unknown method '" + std::string(name) + "'; the methods are: " + known);
}

std::unique_ptr<Sampler> make_sampler(std::string_view name, SamplerOptions options) {
  if (name.find('+') != std::string_view::npos) return detail::make_named_chain(name, {}, std::move(options));
  const auto& entry = find_sampler(name);
  return entry.create(Params(entry.schema()), std::move(options));
}

std::unique_ptr<Sampler> make_sampler(std::string_view name,
                                      const std::vector<std::string>& assignments,
                                      SamplerOptions options) {
  if (name.find('+') != std::string_view::npos) return detail::make_named_chain(name, assignments, std::move(options));
  const auto& entry = find_sampler(name);
  Params params(entry.schema());
  for (const auto& a : assignments) {
    const auto [key, value] = split_assignment(a);
    params.set(key, value);
  }
  return entry.create(std::move(params), std::move(options));
}

}  // namespace imbal
