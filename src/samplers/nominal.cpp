#include "samplers/nominal.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>

#include "imbal/error.hpp"

namespace imbal::detail {

void require_class_rows(const SamplerInput& in, std::int32_t label, std::size_t k, const std::string& method,
                        const std::string& param_name) {
  const std::size_t n = in.class_rows[static_cast<std::size_t>(label)].size();
  if (n >= k + 1) return;
  throw InvalidArgument(method + ": class " + in.class_name(label) + " has " + std::to_string(n) + " row" +
                        (n == 1 ? "" : "s") + ", but " + param_name + "=" + std::to_string(k) +
                        " needs at least " + std::to_string(k + 1) + " (each row and its " + std::to_string(k) +
                        " nearest neighbours of the same class); " +
                        (n >= 2 ? "set --param " + param_name + "=" + std::to_string(n - 1) + " or lower, or " : "") +
                        "leave this class out of the sampling strategy, or use random-over");
}

namespace {

bool parse_number(const std::string& s, double& v) {
  const char* b = s.data();
  const char* e = b + s.size();
  if (b != e && *b == '+') ++b;
  const auto [ptr, ec] = std::from_chars(b, e, v);
  return ec == std::errc() && ptr == e && b != e && std::isfinite(v);
}

}  // namespace

OrdinalColumns ordinal_encode(const SamplerInput& in, const std::vector<std::size_t>& which,
                              const std::vector<bool>& needed) {
  OrdinalColumns out;
  out.rows = in.X.rows;
  out.cols = which.size();
  out.codes.resize(out.rows * out.cols);
  out.categories.resize(out.cols);
  std::vector<std::pair<double, std::uint32_t>> sorted(in.X.rows);
  for (std::size_t f = 0; f < which.size(); ++f) {
    const std::size_t j = which[f];
    // Rows sorted by value; equal values get one ordinal, in numeric order.
    for (std::size_t i = 0; i < in.X.rows; ++i) sorted[i] = {in.X(i, j), static_cast<std::uint32_t>(i)};
    std::sort(sorted.begin(), sorted.end());
    std::vector<double> values;
    for (std::size_t t = 0; t < sorted.size();) {
      std::size_t u = t;
      bool wanted = needed.empty();
      for (; u < sorted.size() && sorted[u].first == sorted[t].first; ++u) {
        wanted = wanted || needed[sorted[u].second];
      }
      if (wanted) values.push_back(sorted[t].first);
      const auto code = wanted ? static_cast<std::int32_t>(values.size() - 1) : -1;
      for (; t < u; ++t) out.codes[static_cast<std::size_t>(sorted[t].second) * out.cols + f] = code;
    }
    // Categorical columns with known spellings are re-ordered by spelling, as np.unique sorts the
    // strings imbalanced-learn sees.
    const bool categorical = j < in.categorical.size() && in.categorical[j];
    if (categorical && in.columns != nullptr && !(*in.columns)[j].levels.empty()) {
      const auto& levels = (*in.columns)[j].levels;
      const auto spelling = [&](double code) -> const std::string& {
        const auto c = static_cast<std::size_t>(code);
        IMBAL_ASSERT(code >= 0 && c < levels.size() && static_cast<double>(c) == code);
        return levels[c];
      };
      bool numeric = true;
      std::vector<double> number(values.size());
      for (std::size_t v = 0; v < values.size() && numeric; ++v) numeric = parse_number(spelling(values[v]), number[v]);
      std::vector<std::size_t> order(values.size());
      std::iota(order.begin(), order.end(), std::size_t{0});
      if (numeric) {
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return number[a] < number[b]; });
      } else {
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return spelling(values[a]) < spelling(values[b]); });
      }
      std::vector<std::int32_t> rank(values.size());
      std::vector<double> reordered(values.size());
      for (std::size_t v = 0; v < order.size(); ++v) {
        rank[order[v]] = static_cast<std::int32_t>(v);
        reordered[v] = values[order[v]];
      }
      for (std::size_t i = 0; i < in.X.rows; ++i) {
        auto& code = out.codes[i * out.cols + f];
        if (code >= 0) code = rank[static_cast<std::size_t>(code)];
      }
      values = std::move(reordered);
    }
    out.categories[f] = std::move(values);
  }
  return out;
}

}  // namespace imbal::detail
