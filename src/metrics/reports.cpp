// Text and structured reports: scikit-learn's classification_report and imbalanced-learn's
// classification_report_imbalanced, formatted exactly as they print.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include "metrics/metrics_internal.hpp"

namespace imbal::metrics {

std::string python_float_repr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string sci(buf, res.ptr);  // d.ddde[+-]xx
  const bool negative = sci[0] == '-';
  if (negative) sci.erase(0, 1);
  const auto epos = sci.find('e');
  std::string digits = sci.substr(0, epos);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  const int exponent = std::stoi(sci.substr(epos + 1));
  const int decpt = exponent + 1;  // value = 0.digits * 10^decpt
  std::string out;
  if (decpt <= -4 || decpt > 16) {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out.append(".").append(digits, 1);
    char e[16];
    std::snprintf(e, sizeof e, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    out += e;
  } else if (decpt <= 0) {
    out = "0." + std::string(static_cast<std::size_t>(-decpt), '0') + digits;
  } else if (static_cast<std::size_t>(decpt) >= digits.size()) {
    out = digits + std::string(static_cast<std::size_t>(decpt) - digits.size(), '0') + ".0";
  } else {
    out = digits.substr(0, static_cast<std::size_t>(decpt)) + "." + digits.substr(static_cast<std::size_t>(decpt));
  }
  return negative ? "-" + out : out;
}

namespace {

std::string fixed(double v, int digits) {
  char buf[512];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}
std::string right(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}
std::string support_text(double v, bool weighted) {
  if (!weighted) return std::to_string(static_cast<long long>(v));
  return python_float_repr(v);
}
std::vector<std::string> names_for(std::span<const std::int32_t> labels, std::span<const std::string> target_names) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < labels.size(); ++i)
    names.push_back(i < target_names.size() ? target_names[i] : std::to_string(labels[i]));
  return names;
}

}  // namespace

ClassificationReport classification_report(Codes y_true, Codes y_pred, std::span<const std::int32_t> labels,
                                           std::span<const std::string> target_names, Weights sample_weight,
                                           ZeroDivision zero_division, Warnings* warnings) {
  detail::check_labels(y_true, y_pred, sample_weight, "classification_report");
  const auto present = unique_labels(y_true, y_pred);
  const bool labels_given = !labels.empty();
  std::vector<std::int32_t> used = labels_given ? std::vector<std::int32_t>(labels.begin(), labels.end()) : present;
  bool micro_is_accuracy = true;
  if (labels_given) {
    auto a = used, b = present;
    std::sort(a.begin(), a.end());
    a.erase(std::unique(a.begin(), a.end()), a.end());
    micro_is_accuracy = a == b;
  }
  if (!target_names.empty() && target_names.size() != used.size()) {
    if (labels_given)
      detail::warn(warnings, "labels size, " + std::to_string(used.size()) + ", does not match size of target_names, " +
                                 std::to_string(target_names.size()));
    else
      throw InvalidArgument("classification_report: number of classes, " + std::to_string(used.size()) +
                            ", does not match size of target_names, " + std::to_string(target_names.size()) +
                            "; try specifying the labels parameter");
  }
  const auto names = names_for(used, target_names);
  LabelOptions opt;
  opt.average = Average::None;
  opt.labels = used;
  opt.sample_weight = sample_weight;
  opt.zero_division = zero_division;
  opt.warnings = warnings;
  const auto per = precision_recall_fscore_support(y_true, y_pred, 1.0, opt);
  ClassificationReport report;
  report.weighted_support = !sample_weight.empty();
  double total_support = 0;
  for (std::size_t i = 0; i < used.size(); ++i) {
    report.rows.push_back({names[i], per.precision[i], per.recall[i], per.fscore[i], per.support[i]});
  }
  total_support = detail::pairwise_sum(per.support);
  for (Average avg : {Average::Micro, Average::Macro, Average::Weighted}) {
    opt.average = avg;
    const auto a = precision_recall_fscore_support(y_true, y_pred, 1.0, opt);
    std::string heading = avg == Average::Micro ? (micro_is_accuracy ? "accuracy" : "micro avg")
                                                : std::string(to_string(avg)) + " avg";
    report.averages.push_back({heading, a.precision[0], a.recall[0], a.fscore[0], total_support});
  }
  return report;
}

std::string ClassificationReport::text(int digits) const {
  std::size_t width = std::string("weighted avg").size();
  for (const auto& r : rows) width = std::max(width, r.name.size());
  width = std::max(width, static_cast<std::size_t>(digits));
  std::string out = right("", width) + " ";
  for (const char* h : {"precision", "recall", "f1-score", "support"}) out.append(" ").append(right(h, 9));
  out += "\n\n";
  auto line = [&](const ReportRow& r) {
    return right(r.name, width) + " " + " " + right(fixed(r.precision, digits), 9) + " " +
           right(fixed(r.recall, digits), 9) + " " + right(fixed(r.f1, digits), 9) + " " +
           right(support_text(r.support, weighted_support), 9) + "\n";
  };
  for (const auto& r : rows) out += line(r);
  out += "\n";
  for (const auto& r : averages) {
    if (r.name == "accuracy") {
      out += right(r.name, width) + " " + " " + right("", 9) + " " + right("", 9) + " " +
             right(fixed(r.f1, digits), 9) + " " + right(support_text(r.support, weighted_support), 9) + "\n";
    } else {
      out += line(r);
    }
  }
  return out;
}

ImbalancedReport classification_report_imbalanced(Codes y_true, Codes y_pred, std::span<const std::int32_t> labels,
                                                  std::span<const std::string> target_names, Weights sample_weight,
                                                  double alpha, ZeroDivision zero_division, Warnings* warnings) {
  detail::check_labels(y_true, y_pred, sample_weight, "classification_report_imbalanced");
  const std::vector<std::int32_t> used =
      labels.empty() ? unique_labels(y_true, y_pred) : std::vector<std::int32_t>(labels.begin(), labels.end());
  const auto names = names_for(used, target_names);
  LabelOptions opt;
  opt.average = Average::None;
  opt.labels = used;
  opt.sample_weight = sample_weight;
  opt.zero_division = zero_division;
  opt.warnings = warnings;
  const auto prf = precision_recall_fscore_support(y_true, y_pred, 1.0, opt);
  LabelOptions ss = opt;
  ss.zero_division = ZeroDivision::Warn;
  const auto spe = specificity_scores(y_true, y_pred, ss);
  const auto geo = geometric_mean_scores(y_true, y_pred, ss);
  const auto iba = iba_geometric_mean_scores(y_true, y_pred, ss, alpha, true);
  ImbalancedReport report;
  report.weighted_support = !sample_weight.empty();
  for (std::size_t i = 0; i < used.size(); ++i)
    report.rows.push_back({names[i], prf.precision[i], prf.recall[i], spe[i], prf.fscore[i], geo[i], iba[i],
                           prf.support[i]});
  const auto& w = prf.support;
  auto avg = [&](const std::vector<double>& v) { return detail::weighted_average(v, w); };
  report.average = {"avg / total", avg(prf.precision), avg(prf.recall), avg(spe), avg(prf.fscore),
                    avg(geo),      avg(iba),           detail::pairwise_sum(w)};
  return report;
}

std::string ImbalancedReport::text(int digits) const {
  const std::string last = "avg / total";
  std::size_t width = last.size();
  for (const auto& r : rows) width = std::max(width, r.name.size());
  width = std::max(width, static_cast<std::size_t>(digits));
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s = right(cells[0], width) + "  ";
    for (std::size_t i = 1; i < cells.size(); ++i) s.append(i > 1 ? " " : "").append(right(cells[i], 9));
    return s + "\n";
  };
  std::string out = line({"", "pre", "rec", "spe", "f1", "geo", "iba", "sup"}) + "\n";
  auto values = [&](const ImbalancedReportRow& r) {
    return line({r.name, fixed(r.pre, digits), fixed(r.rec, digits), fixed(r.spe, digits), fixed(r.f1, digits),
                 fixed(r.geo, digits), fixed(r.iba, digits), support_text(r.sup, weighted_support)});
  };
  for (const auto& r : rows) out += values(r);
  out += "\n";
  out += values(average);
  return out;
}

}  // namespace imbal::metrics
