#include "imbal/params.hpp"

#include <cctype>
#include <charconv>
#include <optional>
#include <cmath>
#include <sstream>

#include "imbal/csv.hpp"
#include "imbal/error.hpp"

namespace imbal {

std::string_view to_string(ParamType type) {
  switch (type) {
    case ParamType::Int: return "int";
    case ParamType::Float: return "float";
    case ParamType::Bool: return "bool";
    case ParamType::Choice: return "choice";
    case ParamType::FloatPerClass: return "float or per-class map";
    case ParamType::Text: return "text";
    case ParamType::ClassWeight: return "class weights";
  }
  return "?";
}

namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::string number_text(double v) {
  std::string out;
  append_number(out, v);
  return out;
}

std::optional<double> parse_real(std::string_view s) {
  double v = 0.0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

std::string ParamSpec::expectation() const {
  std::string what;
  switch (type) {
    case ParamType::Int: what = "an integer"; break;
    case ParamType::Float: what = "a number"; break;
    case ParamType::Bool: what = "true or false"; break;
    case ParamType::Choice: {
      what = "one of";
      for (std::size_t i = 0; i < choices.size(); ++i) what += (i ? ", " : " ") + choices[i];
      break;
    }
    case ParamType::FloatPerClass: what = "a number or per-class numbers 'class:value,...'"; break;
    case ParamType::Text: what = "a text"; break;
    case ParamType::ClassWeight: {
      for (const auto& c : choices) what += c + ", ";
      what += "or per-class weights 'class:weight,...'";
      break;
    }
  }
  if (min && max) {
    what += std::string(" in ") + (min_exclusive ? "(" : "[") + number_text(*min) + ", " +
            number_text(*max) + (max_exclusive ? ")" : "]");
  } else if (min) {
    what += std::string(min_exclusive ? " > " : " >= ") + number_text(*min);
  } else if (max) {
    what += std::string(max_exclusive ? " < " : " <= ") + number_text(*max);
  }
  if (type == ParamType::Float) {
    for (const auto& c : choices) what += ", or " + c;
  }
  if (nullable) what += ", or none";
  return what;
}

std::string format_value(const ParamValue& value) {
  struct Visitor {
    std::string operator()(std::monostate) const { return "none"; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return number_text(d); }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(const std::map<std::string, double>& m) const {
      std::string out;
      for (const auto& [k, v] : m) out += (out.empty() ? "" : ",") + k + ":" + number_text(v);
      return out;
    }
  };
  return std::visit(Visitor{}, value);
}

const ParamSpec* MethodSchema::find(std::string_view param) const {
  for (const auto& p : params) {
    if (p.name == param) return &p;
  }
  return nullptr;
}

Params::Params(const MethodSchema& schema) : schema_(&schema) {
  for (const auto& p : schema.params) values_.emplace(p.name, p.default_value);
}

namespace {

const ParamSpec& spec_of(const MethodSchema* schema, std::string_view name) {
  IMBAL_ASSERT(schema != nullptr);
  if (const auto* spec = schema->find(name)) return *spec;
  std::string known;
  for (const auto& p : schema->params) known += (known.empty() ? "" : ", ") + p.name;
  throw InvalidArgument("method '" + schema->name + "' has no parameter '" + std::string(name) +
                        "'" + (known.empty() ? " (it takes none)" : "; its parameters are: " + known));
}

[[noreturn]] void bad_value(const MethodSchema& schema, const ParamSpec& spec,
                            std::string_view text) {
  throw InvalidArgument("parameter '" + spec.name + "' of " + schema.name + ": expected " +
                        spec.expectation() + ", got '" + std::string(text) + "'");
}

void check_bounds(const MethodSchema& schema, const ParamSpec& spec, double v,
                  std::string_view text) {
  if (spec.min && (spec.min_exclusive ? !(v > *spec.min) : !(v >= *spec.min))) {
    bad_value(schema, spec, text);
  }
  if (spec.max && (spec.max_exclusive ? !(v < *spec.max) : !(v <= *spec.max))) {
    bad_value(schema, spec, text);
  }
}

}  // namespace

void Params::set(std::string_view name, std::string_view raw) {
  const ParamSpec& spec = spec_of(schema_, name);
  const std::string text = trim(raw);
  if (spec.nullable && (text == "none" || text == "None" || text == "null")) {
    values_[spec.name] = std::monostate{};
    return;
  }
  switch (spec.type) {
    case ParamType::Int: {
      std::int64_t v = 0;
      const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || ptr != text.data() + text.size()) bad_value(*schema_, spec, text);
      check_bounds(*schema_, spec, static_cast<double>(v), text);
      values_[spec.name] = v;
      return;
    }
    case ParamType::Float: {
      // A Float may also accept words (`choices`, e.g. "auto"), kept as strings.
      for (const auto& c : spec.choices) {
        if (c == text) {
          values_[spec.name] = c;
          return;
        }
      }
      const auto v = parse_real(text);
      if (!v) bad_value(*schema_, spec, text);
      check_bounds(*schema_, spec, *v, text);
      values_[spec.name] = *v;
      return;
    }
    case ParamType::Bool: {
      if (text == "true" || text == "True" || text == "1" || text == "yes") {
        values_[spec.name] = true;
      } else if (text == "false" || text == "False" || text == "0" || text == "no") {
        values_[spec.name] = false;
      } else {
        bad_value(*schema_, spec, text);
      }
      return;
    }
    case ParamType::Choice: {
      for (const auto& c : spec.choices) {
        if (c == text) {
          values_[spec.name] = c;
          return;
        }
      }
      bad_value(*schema_, spec, text);
    }
    case ParamType::FloatPerClass: {
      if (const auto v = parse_real(text)) {
        check_bounds(*schema_, spec, *v, text);
        values_[spec.name] = *v;
        return;
      }
      std::map<std::string, double> per_class;
      std::istringstream items(text);
      std::string item;
      while (std::getline(items, item, ',')) {
        const auto colon = item.rfind(':');
        if (colon == std::string::npos) bad_value(*schema_, spec, text);
        const auto key = trim(std::string_view(item).substr(0, colon));
        const auto v = parse_real(trim(std::string_view(item).substr(colon + 1)));
        if (key.empty() || !v) bad_value(*schema_, spec, text);
        check_bounds(*schema_, spec, *v, text);
        per_class[key] = *v;
      }
      if (per_class.empty()) bad_value(*schema_, spec, text);
      values_[spec.name] = std::move(per_class);
      return;
    }
    case ParamType::Text: {
      if (text.empty()) bad_value(*schema_, spec, text);
      values_[spec.name] = text;
      return;
    }
    case ParamType::ClassWeight: {
      for (const auto& c : spec.choices) {
        if (c == text) {
          values_[spec.name] = c;
          return;
        }
      }
      std::map<std::string, double> per_class;
      std::istringstream items(text);
      std::string item;
      while (std::getline(items, item, ',')) {
        const auto colon = item.rfind(':');
        if (colon == std::string::npos) bad_value(*schema_, spec, text);
        const auto key = trim(std::string_view(item).substr(0, colon));
        const auto v = parse_real(trim(std::string_view(item).substr(colon + 1)));
        if (key.empty() || !v || per_class.count(key) != 0) bad_value(*schema_, spec, text);
        check_bounds(*schema_, spec, *v, text);
        per_class[key] = *v;
      }
      if (per_class.empty()) bad_value(*schema_, spec, text);
      values_[spec.name] = std::move(per_class);
      return;
    }
  }
}

void Params::set_value(std::string_view name, ParamValue value) {
  const ParamSpec& spec = spec_of(schema_, name);
  if (std::holds_alternative<std::monostate>(value)) {
    if (!spec.nullable) bad_value(*schema_, spec, "none");
    values_[spec.name] = value;
    return;
  }
  // Validate through the text path so both entry points accept exactly the same values.
  set(name, format_value(value));
}

const ParamValue& Params::get(std::string_view name) const {
  const auto it = values_.find(name);
  IMBAL_ASSERT(it != values_.end());
  return it->second;
}

std::int64_t Params::get_int(std::string_view name) const { return std::get<std::int64_t>(get(name)); }
double Params::get_double(std::string_view name) const {
  const auto& v = get(name);
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  return std::get<double>(v);
}
bool Params::get_bool(std::string_view name) const { return std::get<bool>(get(name)); }
const std::string& Params::get_string(std::string_view name) const {
  return std::get<std::string>(get(name));
}
bool Params::is_none(std::string_view name) const {
  return std::holds_alternative<std::monostate>(get(name));
}

std::pair<std::string, std::string> split_assignment(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    throw InvalidArgument("parameter '" + std::string(text) + "' is not of the form name=value");
  }
  return {trim(text.substr(0, eq)), trim(text.substr(eq + 1))};
}

}  // namespace imbal
