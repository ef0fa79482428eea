// Sampling-strategy resolution, following imbalanced-learn 0.10
// (imblearn/utils/_validation.py: check_sampling_strategy and the _sampling_strategy_* helpers):
// majority = the first class in sorted order with the largest count, minority = the first
// with the smallest; float ratios are binary only and truncated toward zero.
#include "imbal/strategy.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <sstream>

#include "imbal/error.hpp"

namespace imbal {

std::string_view to_string(SamplingType type) {
  switch (type) {
    case SamplingType::OverSampling: return "over-sampling";
    case SamplingType::UnderSampling: return "under-sampling";
    case SamplingType::CleanSampling: return "clean-sampling";
  }
  return "?";
}

namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto pos = s.find(sep, start);
    parts.push_back(trim(s.substr(start, pos == std::string_view::npos ? s.npos : pos - start)));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return parts;
}

std::string name_of(std::int32_t code, const ClassLabels* labels) {
  if (labels != nullptr && code >= 0 && static_cast<std::size_t>(code) < labels->size()) {
    return "'" + labels->names[static_cast<std::size_t>(code)] + "'";
  }
  return std::string("class ").append(std::to_string(code));
}

std::string kind_name(SamplingStrategy::Kind kind) {
  using K = SamplingStrategy::Kind;
  switch (kind) {
    case K::Auto: return "auto";
    case K::Minority: return "minority";
    case K::Majority: return "majority";
    case K::NotMinority: return "not minority";
    case K::NotMajority: return "not majority";
    case K::All: return "all";
    case K::Ratio: return "ratio";
    case K::Counts: return "counts";
    case K::Classes: return "classes";
  }
  return "?";
}

}  // namespace

SamplingStrategy SamplingStrategy::parse(std::string_view raw, const ClassLabels& classes) {
  const std::string text = trim(raw);
  using K = Kind;
  std::string lowered = text;
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::replace(lowered.begin(), lowered.end(), '-', ' ');
  std::replace(lowered.begin(), lowered.end(), '_', ' ');
  if (lowered == "auto") return named(K::Auto);
  if (lowered == "minority") return named(K::Minority);
  if (lowered == "majority") return named(K::Majority);
  if (lowered == "not minority") return named(K::NotMinority);
  if (lowered == "not majority") return named(K::NotMajority);
  if (lowered == "all") return named(K::All);
  if (text.empty()) {
    throw InvalidArgument(
        "sampling strategy is empty; expected auto, minority, majority, not minority, "
        "not majority, all, a ratio in (0, 1], class counts such as 'pos:500,neg:1000' or a "
        "list of classes such as '[pos,neg]'");
  }
  // A plain number is a ratio, unless it names a class (labels such as "1" are common):
  // a ratio needs a decimal point or exponent.
  {
    double value = 0.0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    const bool looks_real = text.find_first_of(".eE") != std::string::npos;
    if (ec == std::errc() && ptr == text.data() + text.size() && looks_real) {
      if (!std::isfinite(value) || value <= 0.0 || value > 1.0) {
        throw InvalidArgument("sampling strategy '" + text +
                              "': a ratio must be in the range (0, 1]");
      }
      return from_ratio(value);
    }
  }
  std::string body = text;
  bool bracketed = false;
  if (body.size() >= 2 && body.front() == '[' && body.back() == ']') {
    body = body.substr(1, body.size() - 2);
    bracketed = true;
  }
  const bool has_counts = body.find(':') != std::string::npos;
  if (has_counts && !bracketed) {
    std::map<std::int32_t, std::int64_t> counts;
    for (const auto& item : split(body, ',')) {
      const auto colon = item.rfind(':');
      if (colon == std::string::npos) {
        throw InvalidArgument("sampling strategy '" + text + "': item '" + item +
                              "' is not of the form class:count");
      }
      const std::string cls = trim(std::string_view(item).substr(0, colon));
      const std::string num = trim(std::string_view(item).substr(colon + 1));
      std::int64_t n = 0;
      const auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), n);
      if (ec != std::errc() || ptr != num.data() + num.size()) {
        throw InvalidArgument("sampling strategy '" + text + "': count '" + num + "' of class '" +
                              cls + "' is not an integer");
      }
      const auto code = classes.code_of(cls);
      if (!counts.emplace(code, n).second) {
        throw InvalidArgument("sampling strategy '" + text + "': class '" + cls +
                              "' is given twice");
      }
    }
    return from_counts(std::move(counts));
  }
  std::vector<std::int32_t> list;
  for (const auto& item : split(body, ',')) {
    if (item.empty()) {
      throw InvalidArgument("sampling strategy '" + text + "': empty class name in the list");
    }
    list.push_back(classes.code_of(item));
  }
  return from_classes(std::move(list));
}

std::string SamplingStrategy::to_string(const ClassLabels* labels) const {
  auto label = [&](std::int32_t code) {
    if (labels != nullptr && code >= 0 && static_cast<std::size_t>(code) < labels->size()) {
      return labels->names[static_cast<std::size_t>(code)];
    }
    return std::to_string(code);
  };
  switch (kind) {
    case Kind::Ratio: {
      std::ostringstream s;
      s << ratio;
      std::string out = s.str();
      if (out.find_first_of(".eE") == std::string::npos) out += ".0";
      return out;
    }
    case Kind::Counts: {
      std::string out;
      for (const auto& [code, n] : counts) {
        if (!out.empty()) out += ',';
        out.append(label(code)).append(":").append(std::to_string(n));
      }
      return out;
    }
    case Kind::Classes: {
      std::string out = "[";
      for (std::size_t i = 0; i < classes.size(); ++i) {
        if (i > 0) out += ',';
        out += label(classes[i]);
      }
      return out + "]";
    }
    default: return kind_name(kind);
  }
}

std::vector<std::int32_t> ResamplePlan::targeted_classes() const {
  std::vector<std::int32_t> out;
  for (const auto& c : classes) {
    if (c.targeted) out.push_back(c.label);
  }
  return out;
}

std::size_t ResamplePlan::total_out() const {
  std::size_t total = 0;
  for (const auto& c : classes) total += c.n_out;
  return total;
}

ResamplePlan resolve_strategy(const SamplingStrategy& strategy,
                              std::span<const std::size_t> class_counts, SamplingType type,
                              const ClassLabels* labels) {
  using K = SamplingStrategy::Kind;
  ResamplePlan plan;
  plan.type = type;
  plan.classes.resize(class_counts.size());
  std::vector<std::int32_t> present;
  for (std::size_t c = 0; c < class_counts.size(); ++c) {
    plan.classes[c] = ClassPlan{static_cast<std::int32_t>(c), class_counts[c], class_counts[c], false};
    if (class_counts[c] > 0) present.push_back(static_cast<std::int32_t>(c));
  }
  if (present.size() <= 1) {
    throw InvalidArgument("the target needs more than 1 class to resample; got " +
                          std::to_string(present.size()) + " class" +
                          (present.size() == 1 ? " (" + name_of(present[0], labels) + ")" : ""));
  }
  auto count = [&](std::int32_t c) { return class_counts[static_cast<std::size_t>(c)]; };
  // First class (in sorted code order) with the largest / smallest count: Python's max/min
  // over a dict built from np.unique keep the first of equal values.
  std::int32_t majority = present[0];
  std::int32_t minority = present[0];
  for (const auto c : present) {
    if (count(c) > count(majority)) majority = c;
    if (count(c) < count(minority)) minority = c;
  }
  const std::size_t n_majority = count(majority);
  const std::size_t n_minority = count(minority);
  auto target = [&](std::int32_t c, std::size_t n_out) {
    auto& entry = plan.classes[static_cast<std::size_t>(c)];
    entry.targeted = true;
    entry.n_out = n_out;
  };
  // Targets `c` the way the named strategies do for each family.
  auto target_named = [&](std::int32_t c) {
    if (type == SamplingType::OverSampling) {
      target(c, n_majority);
    } else if (type == SamplingType::UnderSampling) {
      target(c, n_minority);
    } else {
      target(c, count(c));
    }
  };
  auto family = std::string(to_string(type));

  switch (strategy.kind) {
    case K::Auto:
    case K::NotMajority:
    case K::NotMinority: {
      K kind = strategy.kind;
      if (kind == K::Auto) kind = type == SamplingType::OverSampling ? K::NotMajority : K::NotMinority;
      const std::int32_t skip = kind == K::NotMajority ? majority : minority;
      for (const auto c : present) {
        if (c != skip) target_named(c);
      }
      break;
    }
    case K::All:
      for (const auto c : present) target_named(c);
      break;
    case K::Majority:
      if (type == SamplingType::OverSampling) {
        throw InvalidArgument(
            "sampling strategy 'majority' cannot be used with an over-sampler (it would "
            "over-sample the largest class); use 'minority', 'not majority', 'all' or counts");
      }
      target_named(majority);
      break;
    case K::Minority:
      if (type != SamplingType::OverSampling) {
        throw InvalidArgument("sampling strategy 'minority' cannot be used with an " + family +
                              " method (it would shrink the smallest class); use 'majority', "
                              "'not minority', 'all' or counts");
      }
      target_named(minority);
      break;
    case K::Ratio: {
      const double r = strategy.ratio;
      if (!(r > 0.0 && r <= 1.0)) {
        throw InvalidArgument("sampling strategy ratio must be in the range (0, 1]; got " +
                              std::to_string(r));
      }
      if (present.size() != 2) {
        throw InvalidArgument(
            "a sampling strategy ratio is only defined for binary targets; this target has " +
            std::to_string(present.size()) + " classes: give class counts instead "
            "(for example 'a:100,b:200')");
      }
      if (type == SamplingType::OverSampling) {
        for (const auto c : present) {
          if (c == majority) continue;
          const double desired = static_cast<double>(n_majority) * r - static_cast<double>(count(c));
          const auto n_new = static_cast<std::int64_t>(desired);  // int(): truncation toward zero
          if (n_new <= 0) {
            throw InvalidArgument(
                "sampling strategy ratio " + strategy.to_string() + " asks for " +
                std::to_string(static_cast<std::int64_t>(static_cast<double>(n_majority) * r)) +
                " rows of minority class " + name_of(c, labels) + ", which already has " +
                std::to_string(count(c)) + " (majority " + std::to_string(n_majority) +
                "): an over-sampler cannot remove rows; increase the ratio");
          }
          target(c, count(c) + static_cast<std::size_t>(n_new));
        }
      } else if (type == SamplingType::UnderSampling) {
        for (const auto c : present) {
          if (c == minority) continue;
          const auto keep = static_cast<std::int64_t>(static_cast<double>(n_minority) / r);
          if (keep > static_cast<std::int64_t>(count(c))) {
            throw InvalidArgument(
                "sampling strategy ratio " + strategy.to_string() + " asks for " +
                std::to_string(keep) + " rows of majority class " + name_of(c, labels) +
                ", which has only " + std::to_string(count(c)) +
                ": an under-sampler cannot add rows; increase the ratio");
          }
          target(c, static_cast<std::size_t>(keep));
        }
      } else {
        throw InvalidArgument(
            "cleaning methods do not take a sampling ratio; give 'auto', 'majority', "
            "'not minority', 'not majority', 'all' or a list of classes to clean");
      }
      break;
    }
    case K::Counts: {
      if (type == SamplingType::CleanSampling) {
        throw InvalidArgument(
            "cleaning methods do not take class counts as sampling strategy; give the list of "
            "classes to clean instead (for example '[neg]')");
      }
      for (const auto& [c, n] : strategy.counts) {
        if (c < 0 || static_cast<std::size_t>(c) >= class_counts.size() || count(c) == 0) {
          throw InvalidArgument("sampling strategy names " + name_of(c, labels) +
                                ", which is not present in the data");
        }
      }
      for (const auto& [c, n] : strategy.counts) {
        if (n < 0) {
          throw InvalidArgument("sampling strategy asks for " + std::to_string(n) + " rows of " +
                                name_of(c, labels) + "; a count cannot be negative");
        }
      }
      for (const auto& [c, n] : strategy.counts) {
        const auto have = static_cast<std::int64_t>(count(c));
        if (type == SamplingType::OverSampling && n < have) {
          throw InvalidArgument("sampling strategy asks for " + std::to_string(n) + " rows of " +
                                name_of(c, labels) + ", which has " + std::to_string(have) +
                                ": an over-sampler can only keep or grow a class");
        }
        if (type == SamplingType::UnderSampling && n > have) {
          throw InvalidArgument("sampling strategy asks for " + std::to_string(n) + " rows of " +
                                name_of(c, labels) + ", which has " + std::to_string(have) +
                                ": an under-sampler can only keep or shrink a class");
        }
        target(c, static_cast<std::size_t>(n));
      }
      break;
    }
    case K::Classes: {
      if (type != SamplingType::CleanSampling) {
        throw InvalidArgument(
            "a list of classes is a sampling strategy for cleaning methods only; " + family +
            " methods take 'auto', a named strategy, a ratio or class counts");
      }
      for (const auto c : strategy.classes) {
        if (c < 0 || static_cast<std::size_t>(c) >= class_counts.size() || count(c) == 0) {
          throw InvalidArgument("sampling strategy names " + name_of(c, labels) +
                                ", which is not present in the data");
        }
      }
      for (const auto c : strategy.classes) target(c, count(c));
      break;
    }
  }
  return plan;
}

}  // namespace imbal
