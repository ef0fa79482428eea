// Minimal self-contained SVG charts for the CLI (no external scripts or fonts).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace imbal::cli {

struct BarSeries {
  std::string name;
  std::vector<std::size_t> values;
};

/// A grouped bar chart: one group per category, one bar per series, with title, axis labels
/// and a legend when there is more than one series.
std::string svg_bar_chart(const std::string& title, const std::vector<std::string>& categories,
                          const std::vector<BarSeries>& series, const std::string& x_label,
                          const std::string& y_label);

}  // namespace imbal::cli
