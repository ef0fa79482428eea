// SVG charts for the HTML report (include/imbal/plot.hpp).
//
// Layout: a title line, the plot area with tick labels left and below, axis titles, and the
// legend in a column to the right of the plot area (never over the data). Curves are mapped to
// pixels and simplified with the Ramer-Douglas-Peucker algorithm (Douglas & Peucker 1973) at a
// quarter of a pixel, so a ROC curve of a million thresholds stays a few kilobytes and looks the
// same. Text widths are estimated from the character count (no font metrics offline).
#include "imbal/plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <utility>

namespace imbal::plot {

namespace {

constexpr double kCharWidth = 6.6;  // estimated width of a character at font-size 12
constexpr double kFontSize = 12.0;
constexpr double kTitleSize = 15.0;
constexpr double kTopMargin = 38.0;
constexpr double kLeftMargin = 66.0;
constexpr double kBottomMargin = 50.0;
constexpr double kRightPad = 14.0;
constexpr double kLegendLine = 18.0;
constexpr std::size_t kMaxSideLegend = 6;  // more entries: the legend goes below the plot

struct Point {
  double x;
  double y;
};

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  std::string s(buf);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  if (s == "-0") s = "0";
  return s;
}

/// A tick label: as many decimals as the step needs, thousands separated by commas.
std::string tick_label(double v, double step) {
  int decimals = 0;
  if (step > 0 && step < 1) decimals = std::clamp(static_cast<int>(std::ceil(-std::log10(step) - 1e-9)), 0, 12);
  if (std::abs(v) < step * 1e-9) v = 0.0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s(buf);
  if (decimals == 0 && std::abs(v) >= 1000 && std::abs(v) < 1e15) {
    const bool negative = s.front() == '-';
    std::string digits = negative ? s.substr(1) : s;
    std::string out;
    const std::size_t n = digits.size();
    for (std::size_t i = 0; i < n; ++i) {
      out.push_back(digits[i]);
      if ((n - 1 - i) % 3 == 0 && i + 1 < n) out.push_back(',');
    }
    s = negative ? "-" + out : out;
  }
  return s;
}

/// A value printed on a bar: integers with separators, else 3 significant digits.
std::string value_label(double v) {
  if (std::abs(v - std::round(v)) < 1e-9 && std::abs(v) < 1e15) return tick_label(std::round(v), 1.0);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

double text_width(std::string_view s, double font_size = kFontSize) {
  return static_cast<double>(s.size()) * kCharWidth * font_size / kFontSize;
}

/// The data range of an axis: fixed ends where given, else the data's; widened to nice ticks.
struct Scale {
  double lo = 0.0;
  double hi = 1.0;
  std::vector<double> ticks;
  double step = 0.2;
};

Scale make_scale(const Axis& axis, double data_lo, double data_hi) {
  double lo = axis.min.value_or(data_lo);
  double hi = axis.max.value_or(data_hi);
  if (!std::isfinite(lo) || !std::isfinite(hi)) {
    lo = 0.0;
    hi = 1.0;
  }
  if (lo > hi) std::swap(lo, hi);
  Scale s;
  s.ticks = nice_ticks(lo, hi);
  s.step = s.ticks.size() > 1 ? s.ticks[1] - s.ticks[0] : 1.0;
  // Unfixed ends snap outwards to the ticks; fixed ends stay (ticks outside are dropped).
  s.lo = axis.min ? lo : std::min(lo, s.ticks.front());
  s.hi = axis.max ? hi : std::max(hi, s.ticks.back());
  if (s.hi <= s.lo) s.hi = s.lo + 1.0;
  std::erase_if(s.ticks, [&s](double t) {
    const double eps = (s.hi - s.lo) * 1e-9;
    return t < s.lo - eps || t > s.hi + eps;
  });
  return s;
}

struct Frame {
  double left = kLeftMargin;
  double top = kTopMargin;
  double width = 0.0;   // plot area
  double height = 0.0;  // plot area
  Scale x;
  Scale y;

  double px(double v) const { return left + (v - x.lo) / (x.hi - x.lo) * width; }
  double py(double v) const { return top + height - (v - y.lo) / (y.hi - y.lo) * height; }
};

/// The plot area of a chart of this size with a legend column of width lw on the right.
Frame xy_frame(int width, int height, double lw, Scale x, Scale y) {
  Frame f;
  f.width = std::max(120.0, width - kLeftMargin - kRightPad - lw);
  f.height = std::max(100.0, height - kTopMargin - kBottomMargin);
  f.x = std::move(x);
  f.y = std::move(y);
  return f;
}

void open_svg(std::string& out, int width, int height, std::string_view title) {
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(width) + " " +
         std::to_string(height) + "\" width=\"" + std::to_string(width) + "\" height=\"" +
         std::to_string(height) +
         "\" role=\"img\" font-family=\"sans-serif\" font-size=\"12\" class=\"chart\">";
  out.append("<title>").append(escape_xml(title)).append("</title>");
  out += "<rect x=\"0\" y=\"0\" width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(height) +
         "\" fill=\"#ffffff\"/>";
  out += "<text x=\"" + num(width / 2.0) + "\" y=\"22\" text-anchor=\"middle\" font-size=\"" + num(kTitleSize) +
         "\" font-weight=\"bold\" class=\"chart-title\">" + escape_xml(title) + "</text>";
}

/// Grid, ticks, tick labels and axis titles around the frame.
void draw_axes(std::string& out, const Frame& f, std::string_view x_label, std::string_view y_label) {
  out += "<g class=\"grid\" stroke=\"#e3e3e3\" stroke-width=\"1\">";
  for (double t : f.x.ticks) {
    out += "<line x1=\"" + num(f.px(t)) + "\" y1=\"" + num(f.top) + "\" x2=\"" + num(f.px(t)) + "\" y2=\"" +
           num(f.top + f.height) + "\"/>";
  }
  for (double t : f.y.ticks) {
    out += "<line x1=\"" + num(f.left) + "\" y1=\"" + num(f.py(t)) + "\" x2=\"" + num(f.left + f.width) +
           "\" y2=\"" + num(f.py(t)) + "\"/>";
  }
  out += "</g>";
  out += "<rect x=\"" + num(f.left) + "\" y=\"" + num(f.top) + "\" width=\"" + num(f.width) + "\" height=\"" +
         num(f.height) + "\" fill=\"none\" stroke=\"#555555\" stroke-width=\"1\"/>";
  out += "<g class=\"ticks\" fill=\"#333333\">";
  for (double t : f.x.ticks) {
    out += "<text x=\"" + num(f.px(t)) + "\" y=\"" + num(f.top + f.height + 16) + "\" text-anchor=\"middle\">" +
           escape_xml(tick_label(t, f.x.step)) + "</text>";
  }
  for (double t : f.y.ticks) {
    out += "<text x=\"" + num(f.left - 6) + "\" y=\"" + num(f.py(t) + 4) + "\" text-anchor=\"end\">" +
           escape_xml(tick_label(t, f.y.step)) + "</text>";
  }
  out += "</g>";
  out += "<text x=\"" + num(f.left + f.width / 2) + "\" y=\"" + num(f.top + f.height + 38) +
         "\" text-anchor=\"middle\" class=\"axis-label\">" + escape_xml(x_label) + "</text>";
  const double yx = 16.0;
  const double yy = f.top + f.height / 2;
  out += "<text x=\"" + num(yx) + "\" y=\"" + num(yy) + "\" text-anchor=\"middle\" transform=\"rotate(-90 " + num(yx) +
         " " + num(yy) + ")\" class=\"axis-label\">" + escape_xml(y_label) + "</text>";
}

/// Width of the legend column for these names (0 when there is nothing to list).
double legend_width(const std::vector<std::string>& names) {
  double w = 0.0;
  for (const auto& n : names) w = std::max(w, text_width(n));
  return names.empty() ? 0.0 : std::min(260.0, w + 40.0);
}

struct LegendEntry {
  std::string name;
  std::string color;
  enum class Kind { Line, DashedLine, Dot, Ring, Box } kind = Kind::Line;
};

void draw_legend(std::string& out, double x, double y, const std::vector<LegendEntry>& entries, double max_width) {
  out += "<g class=\"legend\">";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    const double cy = y + static_cast<double>(i) * kLegendLine;
    switch (e.kind) {
      case LegendEntry::Kind::Line:
      case LegendEntry::Kind::DashedLine:
        out += "<line x1=\"" + num(x) + "\" y1=\"" + num(cy) + "\" x2=\"" + num(x + 22) + "\" y2=\"" + num(cy) +
               "\" stroke=\"" + e.color + "\" stroke-width=\"2.5\"" +
               (e.kind == LegendEntry::Kind::DashedLine ? " stroke-dasharray=\"5 3\"" : "") + "/>";
        break;
      case LegendEntry::Kind::Dot:
        out += "<circle cx=\"" + num(x + 11) + "\" cy=\"" + num(cy) + "\" r=\"4\" fill=\"" + e.color + "\"/>";
        break;
      case LegendEntry::Kind::Ring:
        out += "<circle cx=\"" + num(x + 11) + "\" cy=\"" + num(cy) + "\" r=\"4\" fill=\"none\" stroke=\"" +
               e.color + "\" stroke-width=\"1.5\"/>";
        break;
      case LegendEntry::Kind::Box:
        out += "<rect x=\"" + num(x + 4) + "\" y=\"" + num(cy - 6) + "\" width=\"14\" height=\"12\" fill=\"" +
               e.color + "\"/>";
        break;
    }
    std::string name = e.name;
    const auto max_chars = static_cast<std::size_t>(std::max(4.0, (max_width - 30.0) / kCharWidth));
    if (name.size() > max_chars) name = name.substr(0, max_chars - 1) + "…";
    out += "<text x=\"" + num(x + 28) + "\" y=\"" + num(cy + 4) + "\">" + escape_xml(name) + "</text>";
  }
  out += "</g>";
}

/// Ramer-Douglas-Peucker on pixel points: keeps the points farther than eps from the chord.
std::vector<Point> simplify(const std::vector<Point>& pts, double eps) {
  if (pts.size() <= 2) return pts;
  std::vector<char> keep(pts.size(), 0);
  keep.front() = keep.back() = 1;
  std::vector<std::pair<std::size_t, std::size_t>> stack{{0, pts.size() - 1}};
  while (!stack.empty()) {
    const auto [a, b] = stack.back();
    stack.pop_back();
    if (b <= a + 1) continue;
    const double dx = pts[b].x - pts[a].x;
    const double dy = pts[b].y - pts[a].y;
    const double len = std::hypot(dx, dy);
    double worst = -1.0;
    std::size_t at = a;
    for (std::size_t i = a + 1; i < b; ++i) {
      const double dist = len > 0 ? std::abs(dy * (pts[i].x - pts[a].x) - dx * (pts[i].y - pts[a].y)) / len
                                  : std::hypot(pts[i].x - pts[a].x, pts[i].y - pts[a].y);
      if (dist > worst) {
        worst = dist;
        at = i;
      }
    }
    if (worst > eps) {
      keep[at] = 1;
      stack.emplace_back(a, at);
      stack.emplace_back(at, b);
    }
  }
  std::vector<Point> out;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    if (keep[i] != 0) out.push_back(pts[i]);
  }
  return out;
}

/// The finite runs of a series as data points (steps expanded).
std::vector<std::vector<Point>> runs(const Series& s) {
  std::vector<std::vector<Point>> out(1);
  const std::size_t n = std::min(s.x.size(), s.y.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) {
      if (!out.back().empty()) out.emplace_back();
      continue;
    }
    if (s.steps && !out.back().empty()) out.back().push_back({s.x[i], out.back().back().y});
    out.back().push_back({s.x[i], s.y[i]});
  }
  if (out.back().empty()) out.pop_back();
  return out;
}

void data_range(const std::vector<double>& v, double& lo, double& hi) {
  for (double x : v) {
    if (!std::isfinite(x)) continue;
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
}

/// 64-bit FNV-1a of the text, in hex: a deterministic element id.
std::string fnv1a_hex(std::string_view text) {
  std::uint64_t h = 14695981039346656037ULL;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string close_svg(std::string out) {
  out += "</svg>";
  return out;
}

}  // namespace

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        // Control characters are not allowed in XML 1.0 text.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return {0.0, 1.0};
  if (lo > hi) std::swap(lo, hi);
  if (hi - lo < 1e-300 * std::max(1.0, std::abs(lo)) || hi == lo) {
    const double mag = std::abs(lo) > 0 ? std::pow(10.0, std::floor(std::log10(std::abs(lo)))) : 1.0;
    lo -= mag / 2;
    hi += mag / 2;
  }
  target = std::max(target, 2);
  const double raw = (hi - lo) / target;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    step = m * mag;
    if ((hi - lo) / step <= target) break;
  }
  const double first = std::floor(lo / step + 1e-9) * step;
  const double last = std::ceil(hi / step - 1e-9) * step;
  std::vector<double> ticks;
  for (int i = 0;; ++i) {
    const double t = first + i * step;
    if (t > last + step * 1e-9 || i > 1000) break;
    ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
  }
  return ticks;
}

std::string_view palette(std::size_t i) {
  // Okabe & Ito (2008), "Color Universal Design", without the yellow (too pale on white), then
  // grey-black.
  static constexpr std::string_view kColors[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00",
                                                 "#56B4E9", "#000000", "#8C564B", "#7F7F7F", "#332288"};
  return kColors[i % (sizeof kColors / sizeof kColors[0])];
}

std::string render(const LineChart& chart) {
  double xlo = std::numeric_limits<double>::infinity();
  double xhi = -xlo;
  double ylo = xlo;
  double yhi = -xlo;
  for (const auto& s : chart.series) {
    data_range(s.x, xlo, xhi);
    data_range(s.y, ylo, yhi);
  }
  if (chart.baseline) {
    ylo = std::min(ylo, *chart.baseline);
    yhi = std::max(yhi, *chart.baseline);
  }
  std::vector<LegendEntry> legend;
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    legend.push_back({chart.series[i].name, std::string(palette(i)),
                      chart.series[i].dashed ? LegendEntry::Kind::DashedLine : LegendEntry::Kind::Line});
  }
  if (chart.diagonal) legend.push_back({"y = x (reference)", "#999999", LegendEntry::Kind::DashedLine});
  if (chart.baseline && !chart.baseline_label.empty()) {
    legend.push_back({chart.baseline_label, "#999999", LegendEntry::Kind::DashedLine});
  }
  std::vector<std::string> names;
  for (const auto& e : legend) names.push_back(e.name);
  // Many curves: the legend goes below the plot in two columns (a side column would squeeze the
  // plot); the chart grows by its rows.
  const bool legend_below = legend.size() > kMaxSideLegend;
  const std::size_t legend_rows = legend_below ? (legend.size() + 1) / 2 : 0;
  const int height =
      chart.height + (legend_below ? static_cast<int>(static_cast<double>(legend_rows) * kLegendLine + 8.0) : 0);
  const double lw = legend_below ? 0.0 : legend_width(names);

  const Frame f = xy_frame(chart.width, chart.height, lw, make_scale(chart.x, xlo, xhi), make_scale(chart.y, ylo, yhi));
  std::string out;
  open_svg(out, chart.width, height, chart.title);
  draw_axes(out, f, chart.x.label, chart.y.label);
  const std::string clip_id = "clip-" + (chart.id.empty() ? fnv1a_hex(chart.title) : chart.id);
  out += "<clipPath id=\"" + clip_id + "\"><rect x=\"" + num(f.left - 2) + "\" y=\"" + num(f.top - 2) +
         "\" width=\"" + num(f.width + 4) + "\" height=\"" + num(f.height + 4) + "\"/></clipPath>";
  out += "<g clip-path=\"url(#" + clip_id + ")\">";
  if (chart.diagonal) {
    const double a = std::max(f.x.lo, f.y.lo);
    const double b = std::min(f.x.hi, f.y.hi);
    if (a < b) {
      out += "<line x1=\"" + num(f.px(a)) + "\" y1=\"" + num(f.py(a)) + "\" x2=\"" + num(f.px(b)) + "\" y2=\"" +
             num(f.py(b)) + "\" stroke=\"#999999\" stroke-dasharray=\"4 4\" stroke-width=\"1.5\"/>";
    }
  }
  if (chart.baseline) {
    out += "<line x1=\"" + num(f.left) + "\" y1=\"" + num(f.py(*chart.baseline)) + "\" x2=\"" +
           num(f.left + f.width) + "\" y2=\"" + num(f.py(*chart.baseline)) +
           "\" stroke=\"#999999\" stroke-dasharray=\"4 4\" stroke-width=\"1.5\"/>";
  }
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const auto& s = chart.series[i];
    const std::string color(palette(i));
    out += "<g class=\"series\" data-name=\"" + escape_xml(s.name) + "\">";
    for (const auto& run : runs(s)) {
      std::vector<Point> pts;
      pts.reserve(run.size());
      for (const auto& p : run) pts.push_back({f.px(p.x), f.py(p.y)});
      const auto simple = simplify(pts, 0.25);
      std::string d;
      for (std::size_t j = 0; j < simple.size(); ++j) {
        d.append(j == 0 ? "M" : "L").append(num(simple[j].x)).append(",").append(num(simple[j].y));
      }
      out += "<path d=\"" + d + "\" fill=\"none\" stroke=\"" + color + "\" stroke-width=\"2\"" +
             (s.dashed ? " stroke-dasharray=\"6 3\"" : "") + " stroke-linejoin=\"round\"/>";
      if (s.markers) {
        for (const auto& p : pts) {
          out += "<circle cx=\"" + num(p.x) + "\" cy=\"" + num(p.y) + "\" r=\"3\" fill=\"" + color + "\"/>";
        }
      }
    }
    out += "</g>";
  }
  for (const auto& m : chart.markers) {
    if (!std::isfinite(m.x) || m.x < f.x.lo || m.x > f.x.hi) continue;
    out += "<line x1=\"" + num(f.px(m.x)) + "\" y1=\"" + num(f.top) + "\" x2=\"" + num(f.px(m.x)) + "\" y2=\"" +
           num(f.top + f.height) + "\" stroke=\"#444444\" stroke-width=\"1\" stroke-dasharray=\"2 3\"/>";
    out += "<text x=\"" + num(f.px(m.x) + 4) + "\" y=\"" + num(f.top + 14) + "\" font-size=\"11\" fill=\"#444444\">" +
           escape_xml(m.label) + "</text>";
  }
  out += "</g>";
  if (legend_below) {
    const double column = (chart.width - 24.0) / 2.0;
    const std::vector<LegendEntry> first(legend.begin(), legend.begin() + static_cast<std::ptrdiff_t>(legend_rows));
    const std::vector<LegendEntry> second(legend.begin() + static_cast<std::ptrdiff_t>(legend_rows), legend.end());
    const double y = f.top + f.height + kBottomMargin + 4.0;
    draw_legend(out, 12.0, y, first, column);
    draw_legend(out, 12.0 + column, y, second, column);
  } else {
    draw_legend(out, f.left + f.width + 12, f.top + 8, legend, lw);
  }
  return close_svg(std::move(out));
}

std::string render(const BarChart& chart) {
  double hi = 0.0;
  for (const auto& g : chart.groups) {
    for (double v : g.values) {
      if (std::isfinite(v)) hi = std::max(hi, v);
    }
  }
  std::vector<LegendEntry> legend;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < chart.groups.size(); ++i) {
    legend.push_back({chart.groups[i].name, std::string(palette(i)), LegendEntry::Kind::Box});
    names.push_back(chart.groups[i].name);
  }
  const double lw = legend_width(names);
  Frame f;
  f.width = std::max(120.0, chart.width - kLeftMargin - kRightPad - lw);
  f.height = std::max(100.0, chart.height - kTopMargin - kBottomMargin);
  Axis yaxis{chart.y_label, 0.0, std::nullopt};
  f.y = make_scale(yaxis, 0.0, hi > 0 ? hi * 1.08 : 1.0);  // room for the value labels
  f.x.lo = 0.0;
  f.x.hi = 1.0;

  std::string out;
  open_svg(out, chart.width, chart.height, chart.title);
  Frame axes = f;
  axes.x.ticks.clear();  // categories are labelled below instead
  draw_axes(out, axes, chart.x_label, chart.y_label);
  const std::size_t nc = std::max<std::size_t>(chart.categories.size(), 1);
  const std::size_t ng = std::max<std::size_t>(chart.groups.size(), 1);
  const double slot = f.width / static_cast<double>(nc);
  const double bar = slot * 0.8 / static_cast<double>(ng);
  const auto max_chars = static_cast<std::size_t>(std::max(3.0, slot / kCharWidth));
  for (std::size_t c = 0; c < chart.categories.size(); ++c) {
    std::string label = chart.categories[c];
    if (label.size() > max_chars) label = label.substr(0, max_chars - 1) + "…";
    out += "<text x=\"" + num(f.left + slot * (static_cast<double>(c) + 0.5)) + "\" y=\"" +
           num(f.top + f.height + 16) + "\" text-anchor=\"middle\" fill=\"#333333\">" + escape_xml(label) +
           "</text>";
    for (std::size_t g = 0; g < chart.groups.size(); ++g) {
      const auto& values = chart.groups[g].values;
      if (c >= values.size() || !std::isfinite(values[c])) continue;
      const double v = values[c];
      const double x = f.left + slot * static_cast<double>(c) + slot * 0.1 + bar * static_cast<double>(g);
      const double top = f.py(std::max(v, 0.0));
      out += "<rect x=\"" + num(x) + "\" y=\"" + num(top) + "\" width=\"" + num(std::max(bar - 1.0, 1.0)) +
             "\" height=\"" + num(f.top + f.height - top) + "\" fill=\"" + std::string(palette(g)) + "\"><title>" +
             escape_xml(chart.groups[g].name + ", " + chart.categories[c] + ": " + value_label(v)) +
             "</title></rect>";
      if (chart.value_labels) {
        out += "<text x=\"" + num(x + bar / 2) + "\" y=\"" + num(top - 3) +
               "\" text-anchor=\"middle\" font-size=\"10\" fill=\"#333333\">" + escape_xml(value_label(v)) +
               "</text>";
      }
    }
  }
  draw_legend(out, f.left + f.width + 12, f.top + 8, legend, lw);
  return close_svg(std::move(out));
}

std::string render(const ScatterChart& chart) {
  double xlo = std::numeric_limits<double>::infinity();
  double xhi = -xlo;
  double ylo = xlo;
  double yhi = -xlo;
  std::vector<LegendEntry> legend;
  std::vector<std::string> names;
  std::vector<std::size_t> strides;
  for (std::size_t i = 0; i < chart.groups.size(); ++i) {
    const auto& g = chart.groups[i];
    data_range(g.x, xlo, xhi);
    data_range(g.y, ylo, yhi);
    const std::size_t n = std::min(g.x.size(), g.y.size());
    const std::size_t cap = std::max<std::size_t>(chart.max_points_per_group, 1);
    const std::size_t stride = n > cap ? (n + cap - 1) / cap : 1;
    strides.push_back(stride);
    std::string name = g.name;
    if (stride > 1) name += " (" + tick_label(static_cast<double>((n + stride - 1) / stride), 1.0) + " of " +
                            tick_label(static_cast<double>(n), 1.0) + " shown)";
    const std::size_t slot = g.color >= 0 ? static_cast<std::size_t>(g.color) : i;
    legend.push_back({name, std::string(palette(slot)), g.hollow ? LegendEntry::Kind::Ring : LegendEntry::Kind::Dot});
    names.push_back(name);
  }
  const double lw = legend_width(names);
  const Frame f = xy_frame(chart.width, chart.height, lw, make_scale(chart.x, xlo, xhi), make_scale(chart.y, ylo, yhi));
  std::string out;
  open_svg(out, chart.width, chart.height, chart.title);
  draw_axes(out, f, chart.x.label, chart.y.label);
  for (std::size_t i = 0; i < chart.groups.size(); ++i) {
    const auto& g = chart.groups[i];
    const std::size_t slot = g.color >= 0 ? static_cast<std::size_t>(g.color) : i;
    const std::string color(palette(slot));
    out += "<g class=\"points\" data-name=\"" + escape_xml(g.name) + "\"" +
           (g.hollow ? " fill=\"none\" stroke=\"" + color + "\" stroke-width=\"1.2\""
                     : " fill=\"" + color + "\" fill-opacity=\"0.7\"") +
           ">";
    const std::size_t n = std::min(g.x.size(), g.y.size());
    for (std::size_t j = 0; j < n; j += strides[i]) {
      if (!std::isfinite(g.x[j]) || !std::isfinite(g.y[j])) continue;
      out += "<circle cx=\"" + num(f.px(g.x[j])) + "\" cy=\"" + num(f.py(g.y[j])) + "\" r=\"" +
             (g.hollow ? "3" : "2.5") + "\"/>";
    }
    out += "</g>";
  }
  draw_legend(out, f.left + f.width + 12, f.top + 8, legend, lw);
  return close_svg(std::move(out));
}

std::string render(const Heatmap& chart) {
  const std::size_t rows = chart.row_labels.size();
  const std::size_t cols = chart.column_labels.size();
  double label_w = 0.0;
  for (const auto& l : chart.row_labels) label_w = std::max(label_w, text_width(l));
  label_w = std::min(label_w, 120.0);
  const double left = 34.0 + label_w + 8.0;
  const double top = kTopMargin + 22.0;
  const double width = std::max(60.0, chart.width - left - kRightPad);
  const double height = std::max(60.0, chart.height - top - 40.0);
  const double cw = width / static_cast<double>(std::max<std::size_t>(cols, 1));
  const double ch = height / static_cast<double>(std::max<std::size_t>(rows, 1));

  std::string out;
  open_svg(out, chart.width, chart.height, chart.title);
  out += "<text x=\"" + num(left + width / 2) + "\" y=\"" + num(top - 24) +
         "\" text-anchor=\"middle\" class=\"axis-label\">" + escape_xml(chart.column_title) + "</text>";
  const double yx = 14.0;
  const double yy = top + height / 2;
  out += "<text x=\"" + num(yx) + "\" y=\"" + num(yy) + "\" text-anchor=\"middle\" transform=\"rotate(-90 " + num(yx) +
         " " + num(yy) + ")\" class=\"axis-label\">" + escape_xml(chart.row_title) + "</text>";
  for (std::size_t c = 0; c < cols; ++c) {
    out += "<text x=\"" + num(left + cw * (static_cast<double>(c) + 0.5)) + "\" y=\"" + num(top - 6) +
           "\" text-anchor=\"middle\">" + escape_xml(chart.column_labels[c]) + "</text>";
  }
  for (std::size_t r = 0; r < rows; ++r) {
    out += "<text x=\"" + num(left - 6) + "\" y=\"" + num(top + ch * (static_cast<double>(r) + 0.5) + 4) +
           "\" text-anchor=\"end\">" + escape_xml(chart.row_labels[r]) + "</text>";
    double total = 0.0;
    for (std::size_t c = 0; c < cols; ++c) {
      const std::size_t at = r * cols + c;
      if (at < chart.values.size() && std::isfinite(chart.values[at])) total += std::abs(chart.values[at]);
    }
    for (std::size_t c = 0; c < cols; ++c) {
      const std::size_t at = r * cols + c;
      const double v = at < chart.values.size() ? chart.values[at] : std::numeric_limits<double>::quiet_NaN();
      // Colour: the cell's share of its row (recall-like for a confusion matrix), white to blue.
      const double share = total > 0 && std::isfinite(v) ? std::clamp(std::abs(v) / total, 0.0, 1.0) : 0.0;
      const auto mix = [share](int from, int to) {
        return static_cast<int>(std::lround(from + (to - from) * share));
      };
      char color[16];
      std::snprintf(color, sizeof color, "#%02X%02X%02X", mix(0xFF, 0x00), mix(0xFF, 0x4B), mix(0xFF, 0x8C));
      const double x = left + cw * static_cast<double>(c);
      const double y = top + ch * static_cast<double>(r);
      out += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(cw) + "\" height=\"" + num(ch) +
             "\" fill=\"" + color + "\" stroke=\"#ffffff\" stroke-width=\"2\"/>";
      std::string text = at < chart.cell_text.size() ? chart.cell_text[at]
                                                      : (std::isfinite(v) ? value_label(v) : std::string("–"));
      out += "<text x=\"" + num(x + cw / 2) + "\" y=\"" + num(y + ch / 2 + 5) +
             "\" text-anchor=\"middle\" font-size=\"14\" fill=\"" + (share > 0.55 ? "#ffffff" : "#111111") + "\">" +
             escape_xml(text) + "</text>";
    }
  }
  return close_svg(std::move(out));
}

}  // namespace imbal::plot
