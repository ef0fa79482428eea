#include "svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace imbal::cli {

namespace {

std::string escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// Formats up to four numbers; every format string in this file is a literal passed through here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
std::string fmt(const char* format, double a, double b = 0, double c = 0, double d = 0) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, format, a, b, c, d);
  return buffer;
}
#pragma GCC diagnostic pop

}  // namespace

std::string svg_bar_chart(const std::string& title, const std::vector<std::string>& categories,
                          const std::vector<BarSeries>& series, const std::string& x_label,
                          const std::string& y_label) {
  static const char* kColors[] = {"#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3"};
  const double width = std::max(480.0, 80.0 + 70.0 * static_cast<double>(categories.size()) *
                                                  std::max<double>(1.0, static_cast<double>(series.size()) * 0.6));
  const double height = 360.0;
  const double left = 70.0;
  const double right = 20.0;
  const double top = 50.0;
  const double bottom = 60.0;
  const double plot_w = width - left - right;
  const double plot_h = height - top - bottom;
  std::size_t max_value = 1;
  for (const auto& s : series) {
    for (const auto v : s.values) max_value = std::max(max_value, v);
  }
  // A "nice" axis maximum and tick step.
  const double magnitude = std::pow(10.0, std::floor(std::log10(static_cast<double>(max_value))));
  double step = magnitude;
  for (const double m : {0.1, 0.2, 0.25, 0.5, 1.0}) {
    if (static_cast<double>(max_value) / (m * magnitude * 10.0) <= 1.0 ||
        static_cast<double>(max_value) / (m * magnitude) <= 6.0) {
      step = m * magnitude;
      break;
    }
  }
  step = std::max(step, 1.0);
  const double axis_max = std::ceil(static_cast<double>(max_value) / step) * step;

  std::string out;
  out += fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
             "font-family=\"sans-serif\" font-size=\"12\">\n",
             width, height, width, height);
  out += "<title>" + escape(title) + "</title>\n";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  out += fmt("<text x=\"%.1f\" y=\"24\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">", width / 2) +
         escape(title) + "</text>\n";
  for (double v = 0; v <= axis_max + 1e-9; v += step) {
    const double y = top + plot_h * (1.0 - v / axis_max);
    out += fmt("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", left, y, left + plot_w, y);
    out += fmt("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>\n", left - 6, y + 4, v);
  }
  const double group_w = plot_w / static_cast<double>(std::max<std::size_t>(1, categories.size()));
  const double bar_w = group_w * 0.8 / static_cast<double>(std::max<std::size_t>(1, series.size()));
  for (std::size_t c = 0; c < categories.size(); ++c) {
    const double gx = left + group_w * static_cast<double>(c) + group_w * 0.1;
    for (std::size_t s = 0; s < series.size(); ++s) {
      const double v = c < series[s].values.size() ? static_cast<double>(series[s].values[c]) : 0.0;
      const double h = plot_h * v / axis_max;
      const double x = gx + bar_w * static_cast<double>(s);
      out += fmt("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" ", x, top + plot_h - h, bar_w * 0.95, h) +
             "fill=\"" + kColors[s % 5] + "\"><title>" + escape(categories[c]) + " (" +
             escape(series[s].name) + "): " + fmt("%.0f", v) + "</title></rect>\n";
      out += fmt("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"10\">%.0f</text>\n",
                 x + bar_w * 0.475, top + plot_h - h - 3, v);
    }
    out += fmt("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", gx + group_w * 0.4, top + plot_h + 16) +
           escape(categories[c]) + "</text>\n";
  }
  out += fmt("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", left, top + plot_h,
             left + plot_w, top + plot_h);
  out += fmt("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", left, top, left, top + plot_h);
  out += fmt("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", left + plot_w / 2, height - 18) +
         escape(x_label) + "</text>\n";
  out += fmt("<text transform=\"translate(16 %.1f) rotate(-90)\" text-anchor=\"middle\">", top + plot_h / 2) +
         escape(y_label) + "</text>\n";
  if (series.size() > 1) {
    for (std::size_t s = 0; s < series.size(); ++s) {
      const double y = top - 14 + 14.0 * static_cast<double>(s);
      out += fmt("<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" ", left + plot_w - 110, y) + "fill=\"" +
             kColors[s % 5] + "\"/>\n";
      out += fmt("<text x=\"%.1f\" y=\"%.1f\">", left + plot_w - 95, y + 9) + escape(series[s].name) + "</text>\n";
    }
  }
  out += "</svg>\n";
  return out;
}

}  // namespace imbal::cli
