// Writing JSON that embeds JSON text already serialised elsewhere (a model's state inside its
// model file, member models inside a pipeline file) without parsing that text back into a DOM
// only to serialise it again: for a forest of deep trees that round trip cost more than the fit.
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace imbal::detail {

/// `document` with each (key path -> raw JSON text) part spliced in. Each part's place must hold
/// the string splice_marker(i) (i = its index in `parts`); the document is serialised with
/// `indent` (-1: compact) and each marker replaced by the raw text, which is taken as is (it must
/// be valid JSON: the callers pass nlohmann's own output). If a marker does not occur exactly
/// once (some other string of the document happens to contain it), falls back to parsing the
/// parts into the document.
struct SplicePart {
  nlohmann::json::json_pointer where;
  std::string_view text;
};

inline std::string splice_marker(std::size_t i) {
  return "\x01imbal-splice-" + std::to_string(i) + "\x01";
}

inline std::string dump_with_spliced(nlohmann::json document, const std::vector<SplicePart>& parts, int indent) {
  std::string out = document.dump(indent);
  // Markers as the serialiser writes them (control characters escaped).
  struct Place {
    std::size_t at, length, part;
    bool operator<(const Place& o) const { return at < o.at; }
  };
  std::vector<Place> places;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string quoted = nlohmann::json(splice_marker(i)).dump();
    const std::size_t at = out.find(quoted);
    if (at == std::string::npos || out.find(quoted, at + 1) != std::string::npos) {
      for (const auto& p : parts) document[p.where] = nlohmann::json::parse(p.text);
      return document.dump(indent);
    }
    places.push_back({at, quoted.size(), i});
  }
  std::sort(places.begin(), places.end());
  std::string result;
  std::size_t total = out.size();
  for (const auto& p : parts) total += p.text.size();
  result.reserve(total);
  std::size_t from = 0;
  for (const auto& place : places) {
    result.append(out, from, place.at - from);
    result.append(parts[place.part].text);
    from = place.at + place.length;
  }
  result.append(out, from, std::string::npos);
  return result;
}

}  // namespace imbal::detail
