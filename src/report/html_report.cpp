// The self-contained HTML report (include/imbal/report.hpp): inline CSS, inline SVG charts from
// include/imbal/plot.hpp, no script.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "imbal/plot.hpp"
#include "imbal/report.hpp"
#include "imbal/version.hpp"

namespace imbal::report {

namespace {

using plot::escape_xml;

constexpr std::size_t kMaxThresholdCharts = 3;

const char* kStyle = R"(
body { font-family: sans-serif; margin: 0 auto; max-width: 1280px; padding: 1.2em 2em; color: #1b1b1b;
       line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
.summary { color: #444; }
.recommendation { background: #eef5fb; border-left: 4px solid #0072B2; padding: 0.7em 1em; }
.warnings { background: #fff4e5; border-left: 4px solid #E69F00; padding: 0.5em 1em; }
table.metrics { border-collapse: collapse; font-size: 0.78em; width: 100%; }
table.metrics th, table.metrics td { border-bottom: 1px solid #e2e2e2; padding: 0.3em 0.35em; text-align: right;
                                     white-space: nowrap; }
table.metrics th { background: #f4f4f4; position: sticky; top: 0; }
table.metrics td.name, table.metrics th.name { text-align: left; }
table.metrics td.best { font-weight: bold; background: #e8f4ea; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 1em; }
.charts.small { grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); }
figure { margin: 0; max-width: 780px; }
.table-scroll { overflow-x: auto; }
figure svg { width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.85em; color: #555; margin-top: 0.2em; }
footer { margin-top: 2.5em; font-size: 0.8em; color: #666; border-top: 1px solid #ddd; padding-top: 0.5em; }
)";

std::string fixed(double v, int digits) {
  if (!std::isfinite(v)) return "–";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string pct(double part, double whole) {
  return whole > 0 ? fixed(100.0 * part / whole, part / whole < 0.01 ? 2 : 1) + "%" : "–";
}

/// Index of a metric by name, or npos.
std::size_t metric_index(const ReportData& d, std::string_view name) {
  for (std::size_t i = 0; i < d.metric_names.size(); ++i) {
    if (d.metric_names[i] == name) return i;
  }
  return std::string::npos;
}

std::string figure(const std::string& svg, const std::string& caption) {
  std::string out = "<figure>" + svg;
  if (!caption.empty()) out += "<figcaption>" + escape_xml(caption) + "</figcaption>";
  out += "</figure>";
  return out;
}

std::string metric_table(const ReportData& d) {
  const std::size_t nm = d.metric_names.size();
  // Best per column (NaN ignored).
  std::vector<double> best(nm, std::nan(""));
  for (std::size_t m = 0; m < nm; ++m) {
    const bool lower = m < d.lower_is_better.size() && d.lower_is_better[m];
    for (const auto& r : d.methods) {
      if (m >= r.scores.size() || !std::isfinite(r.scores[m].mean)) continue;
      const double v = r.scores[m].mean;
      if (!std::isfinite(best[m]) || (lower ? v < best[m] : v > best[m])) best[m] = v;
    }
  }
  bool any_threshold = false;
  for (const auto& r : d.methods) any_threshold = any_threshold || r.threshold.has_value();
  std::string out = "<div class=\"table-scroll\"><table class=\"metrics\"><thead><tr><th>#</th><th class=\"name\">method</th>";
  for (std::size_t m = 0; m < nm; ++m) {
    const bool lower = m < d.lower_is_better.size() && d.lower_is_better[m];
    out += "<th title=\"" + std::string(lower ? "lower is better" : "higher is better") + "\">" +
           escape_xml(d.metric_names[m]) + (lower ? " ↓" : " ↑") + "</th>";
  }
  if (any_threshold) out += "<th>threshold</th>";
  out += "</tr></thead><tbody>";
  for (std::size_t i = 0; i < d.methods.size(); ++i) {
    const auto& r = d.methods[i];
    out += "<tr><td>" + std::to_string(i + 1) + "</td><td class=\"name\" title=\"" + escape_xml(r.description) +
           "\">" + escape_xml(r.name) + "</td>";
    for (std::size_t m = 0; m < nm; ++m) {
      const Score s = m < r.scores.size() ? r.scores[m] : Score{std::nan(""), std::nan("")};
      const bool is_best = std::isfinite(s.mean) && s.mean == best[m];
      out += std::string(is_best ? "<td class=\"best\">" : "<td>") + escape_xml(format_score(s)) + "</td>";
    }
    if (any_threshold) out += "<td>" + (r.threshold ? fixed(*r.threshold, 3) : std::string("–")) + "</td>";
    out += "</tr>";
  }
  out += "</tbody></table></div>";
  return out;
}

std::string class_chart(const ReportData& d) {
  plot::BarChart c;
  c.title = "Class distribution before and after resampling";
  c.x_label = "class";
  c.y_label = "rows (training data)";
  c.categories = d.class_names;
  c.groups.push_back({"original", d.class_counts});
  for (const auto& r : d.methods) {
    if (!r.resampled_counts.empty() && c.groups.size() < 7) c.groups.push_back({r.name, r.resampled_counts});
  }
  if (c.groups.size() == 1) return "";
  c.width = 760;
  c.value_labels = c.groups.size() * c.categories.size() <= 16;
  return figure(plot::render(c), "Rows per class in the data and in the training set each method produces.");
}

std::string projection_chart(const ReportData& d) {
  if (!d.projection) return "";
  const Projection& p = *d.projection;
  plot::ScatterChart c;
  c.title = "PCA projection: original and synthetic rows";
  c.x.label = "PC1 (" + fixed(100 * p.explained_variance_ratio[0], 1) + "% of variance)";
  c.y.label = "PC2 (" + fixed(100 * p.explained_variance_ratio[1], 1) + "% of variance)";
  for (std::size_t k = 0; k < d.class_names.size(); ++k) {
    plot::ScatterGroup g{"class " + d.class_names[k] + " (original)", {}, {}, false, static_cast<int>(k)};
    for (std::size_t i = 0; i < p.original.rows(); ++i) {
      if (i < p.original_class.size() && p.original_class[i] == k) {
        g.x.push_back(p.original(i, 0));
        g.y.push_back(p.original(i, 1));
      }
    }
    if (!g.x.empty()) c.groups.push_back(std::move(g));
  }
  for (std::size_t k = 0; k < d.class_names.size(); ++k) {
    plot::ScatterGroup g{"class " + d.class_names[k] + " (synthetic, " + p.method + ")", {}, {}, true,
                         static_cast<int>(k)};
    for (std::size_t i = 0; i < p.synthetic.rows(); ++i) {
      if (i < p.synthetic_class.size() && p.synthetic_class[i] == k) {
        g.x.push_back(p.synthetic(i, 0));
        g.y.push_back(p.synthetic(i, 1));
      }
    }
    if (!g.x.empty()) c.groups.push_back(std::move(g));
  }
  c.width = 760;
  c.height = 520;
  return figure(plot::render(c), "Filled dots: original rows; rings: rows made by " + p.method +
                                     ". Axes: the first two principal components of the standardized features.");
}

/// One chart with a curve per method.
std::string curves_chart(const ReportData& d, const std::string& title, const std::string& xl, const std::string& yl,
                         Curve MethodResult::*member, bool diagonal, bool steps, const std::string& score_metric,
                         const std::string& caption) {
  plot::LineChart c;
  c.title = title;
  c.x = {xl, 0.0, 1.0};
  c.y = {yl, 0.0, 1.0};
  c.diagonal = diagonal;
  const std::size_t si = metric_index(d, score_metric);
  for (const auto& r : d.methods) {
    const Curve& cv = r.*member;
    if (cv.x.empty()) continue;
    std::string name = r.name;
    if (si != std::string::npos && si < r.scores.size() && std::isfinite(r.scores[si].mean)) {
      name += " (" + fixed(r.scores[si].mean, 3) + ")";
    }
    plot::Series s{name, cv.x, cv.y};
    s.steps = steps;
    s.markers = member == &MethodResult::calibration;
    s.dashed = c.series.size() >= 10;  // colours repeat after ten: tell them apart
    c.series.push_back(std::move(s));
  }
  if (c.series.empty()) return "";
  if (member == &MethodResult::pr && d.positive_class < d.class_counts.size()) {
    double total = 0.0;
    for (double v : d.class_counts) total += v;
    if (total > 0) {
      c.baseline = d.class_counts[d.positive_class] / total;
      c.baseline_label = "chance (prevalence " + fixed(*c.baseline, 3) + ")";
    }
  }
  c.width = 620;
  c.height = 440;
  return figure(plot::render(c), caption);
}

std::string threshold_charts(const ReportData& d) {
  std::string out;
  std::size_t drawn = 0;
  for (const auto& r : d.methods) {
    if (drawn >= kMaxThresholdCharts) break;
    if (r.threshold_curves.empty()) continue;
    plot::LineChart c;
    c.title = "Metrics versus threshold: " + r.name;
    c.id = "thr-" + std::to_string(drawn);
    c.x = {"decision threshold (probability of class " +
               (d.positive_class < d.class_names.size() ? d.class_names[d.positive_class] : std::string("1")) + ")",
           0.0, 1.0};
    c.y = {"metric value", 0.0, 1.0};
    for (const auto& [name, curve] : r.threshold_curves) c.series.push_back({name, curve.x, curve.y});
    if (r.threshold) c.markers.push_back({*r.threshold, "tuned " + fixed(*r.threshold, 3)});
    c.width = 620;
    c.height = 400;
    out += figure(plot::render(c), "Out-of-fold predictions; the dotted line is the threshold the method uses.");
    ++drawn;
  }
  return out;
}

std::string confusion_charts(const ReportData& d) {
  std::string out;
  const std::size_t k = d.class_names.size();
  for (std::size_t i = 0; i < d.methods.size(); ++i) {
    const auto& r = d.methods[i];
    if (r.confusion.size() != k * k || k == 0) continue;
    plot::Heatmap h;
    h.title = r.name;
    h.row_title = "true class";
    h.column_title = "predicted class";
    h.row_labels = d.class_names;
    h.column_labels = d.class_names;
    h.values = r.confusion;
    for (std::size_t a = 0; a < k; ++a) {
      double row = 0.0;
      for (std::size_t b = 0; b < k; ++b) row += r.confusion[a * k + b];
      for (std::size_t b = 0; b < k; ++b) {
        h.cell_text.push_back(fixed(r.confusion[a * k + b], 0) + " (" + pct(r.confusion[a * k + b], row) + ")");
      }
    }
    h.width = 340;
    h.height = 300;
    out += figure(plot::render(h), r.threshold ? "At threshold " + fixed(*r.threshold, 3) + "; share of the true class "
                                                                                          "in brackets."
                                               : "Share of the true class in brackets.");
  }
  return out;
}

}  // namespace

std::string format_score(const Score& s, int digits) {
  if (!std::isfinite(s.mean)) return "–";
  if (!std::isfinite(s.std)) return fixed(s.mean, digits);
  return fixed(s.mean, digits) + " ± " + fixed(s.std, digits);
}

std::string render_html(const ReportData& d) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                    "<meta name=\"generator\" content=\"imbal " +
                    std::string(kVersion) + "\"><title>" + escape_xml(d.title) + "</title><style>" + kStyle +
                    "</style></head><body>\n";
  out += "<h1>" + escape_xml(d.title) + "</h1>\n";
  double total = 0.0;
  for (double v : d.class_counts) total += v;
  std::string classes;
  for (std::size_t k = 0; k < d.class_names.size() && k < d.class_counts.size(); ++k) {
    if (!classes.empty()) classes += ", ";
    classes += escape_xml(d.class_names[k]) + ": " + fixed(d.class_counts[k], 0) + " (" +
               pct(d.class_counts[k], total) + ")";
  }
  out += "<p class=\"summary\"><b>" + escape_xml(d.dataset) + "</b>: " + std::to_string(d.rows) + " rows, " +
         std::to_string(d.features) + " features. Classes: " + classes + ".</p>\n";
  if (!d.recommendation.empty()) {
    out += "<h2>Recommendation</h2>\n<p class=\"recommendation\">" + escape_xml(d.recommendation) + "</p>\n";
  }
  if (!d.warnings.empty()) {
    out += "<div class=\"warnings\"><b>Warnings</b><ul>";
    for (const auto& w : d.warnings) out += "<li>" + escape_xml(w) + "</li>";
    out += "</ul></div>\n";
  }
  if (!d.methods.empty()) {
    out += "<h2>Results</h2>\n";
    if (!d.protocol.empty()) out += "<p>" + escape_xml(d.protocol) + "</p>\n";
    out += metric_table(d) + "\n";
  }
  const std::string counts = class_chart(d);
  const std::string projection = projection_chart(d);
  if (!counts.empty() || !projection.empty()) {
    out += "<h2>Data and resampling</h2>\n<div class=\"charts\">" + counts + projection + "</div>\n";
  }
  const std::string pr = curves_chart(d, "Precision-recall curves", "recall", "precision", &MethodResult::pr, false,
                                      true, "average-precision",
                                      "Out-of-fold scores; average precision in brackets. The dotted line is a "
                                      "classifier that guesses.");
  const std::string roc = curves_chart(d, "ROC curves", "false positive rate", "true positive rate", &MethodResult::roc,
                                       true, false, "roc-auc", "Out-of-fold scores; ROC-AUC in brackets.");
  if (!pr.empty() || !roc.empty()) out += "<h2>Ranking quality</h2>\n<div class=\"charts\">" + pr + roc + "</div>\n";
  const std::string thresholds = threshold_charts(d);
  if (!thresholds.empty()) out += "<h2>Choosing the threshold</h2>\n<div class=\"charts\">" + thresholds + "</div>\n";
  const std::string confusion = confusion_charts(d);
  if (!confusion.empty()) {
    out += "<h2>Confusion matrices</h2>\n<div class=\"charts small\">" + confusion + "</div>\n";
  }
  const std::string calibration =
      curves_chart(d, "Calibration (reliability) curves", "mean predicted probability", "observed frequency",
                   &MethodResult::calibration, true, false, "brier",
                   "Out-of-fold probabilities in bins; Brier score in brackets. On the diagonal: probabilities "
                   "mean what they say.");
  if (!calibration.empty()) out += "<h2>Calibration</h2>\n<div class=\"charts\">" + calibration + "</div>\n";
  bool notes = false;
  for (const auto& r : d.methods) notes = notes || !r.note.empty();
  if (notes) {
    out += "<h2>Notes</h2>\n<ul>";
    for (const auto& r : d.methods) {
      if (!r.note.empty()) out += "<li><b>" + escape_xml(r.name) + "</b>: " + escape_xml(r.note) + "</li>";
    }
    out += "</ul>\n";
  }
  out += "<footer>" + escape_xml(d.footer.empty() ? "Made by imbal " + std::string(kVersion) : d.footer) +
         "</footer>\n</body></html>\n";
  return out;
}

}  // namespace imbal::report
