// Self-contained SVG charts for the HTML report (imbal compare / evaluate --report): line charts
// (PR, ROC, calibration and metric-versus-threshold curves), grouped bar charts (class counts),
// scatter plots (the PCA projection of original and synthetic rows) and heat maps (confusion
// matrices). Every chart has a title, axis labels and a legend, uses only inline SVG (no script,
// no external font or stylesheet) and is sized by a viewBox so it scales with the page.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imbal::plot {

/// One axis: its label and an optional fixed range (else the data's, widened to "nice" ticks).
struct Axis {
  std::string label;
  std::optional<double> min;
  std::optional<double> max;
};

/// A polyline. `x` and `y` have the same length; non-finite points break the line.
struct Series {
  std::string name;
  std::vector<double> x;
  std::vector<double> y;
  bool dashed = false;
  bool markers = false;  ///< a dot on every point (few-point curves, e.g. calibration bins)
  /// Draw as a step function (the value holds until the next x), as PR curves are defined.
  bool steps = false;
};

/// A vertical marker line with a short label (e.g. the tuned threshold).
struct Marker {
  double x = 0.0;
  std::string label;
};

struct LineChart {
  std::string title;
  Axis x;
  Axis y;
  std::vector<Series> series;
  /// A dotted grey reference diagonal y = x (ROC chance line, perfect calibration).
  bool diagonal = false;
  /// A dotted grey horizontal reference line (e.g. the PR chance level, the prevalence).
  std::optional<double> baseline;
  std::string baseline_label;
  std::vector<Marker> markers;
  /// Element id prefix, unique within a page (default: a hash of the title).
  std::string id;
  int width = 640;
  int height = 420;
};

/// Bars grouped by category: one bar per group in each category (e.g. class counts before and
/// after resampling).
struct BarGroup {
  std::string name;
  std::vector<double> values;  ///< one per category
};

struct BarChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<std::string> categories;
  std::vector<BarGroup> groups;
  bool value_labels = true;  ///< print each bar's value above it
  int width = 640;
  int height = 420;
};

/// Points of one kind (e.g. "class 1 (original)", "class 1 (synthetic)").
struct ScatterGroup {
  std::string name;
  std::vector<double> x;
  std::vector<double> y;
  bool hollow = false;  ///< ring markers (synthetic rows), else filled dots
  /// Palette slot; -1: the group's position. Lets "original" and "synthetic" of one class share a
  /// colour.
  int color = -1;
};

struct ScatterChart {
  std::string title;
  Axis x;
  Axis y;
  std::vector<ScatterGroup> groups;
  /// At most this many points are drawn per group (an evenly spaced subset, the legend says so).
  std::size_t max_points_per_group = 4000;
  int width = 640;
  int height = 480;
};

/// A matrix of values with a colour scale (e.g. a confusion matrix).
struct Heatmap {
  std::string title;
  std::string row_title;     ///< e.g. "true class"
  std::string column_title;  ///< e.g. "predicted class"
  std::vector<std::string> row_labels;
  std::vector<std::string> column_labels;
  std::vector<double> values;          ///< row-major, rows x columns; colour by value / row max
  std::vector<std::string> cell_text;  ///< optional, row-major; default: the value
  int width = 360;
  int height = 320;
};

std::string render(const LineChart& chart);
std::string render(const BarChart& chart);
std::string render(const ScatterChart& chart);
std::string render(const Heatmap& chart);

/// Text safe inside SVG / HTML element content and attribute values.
std::string escape_xml(std::string_view text);

/// "Nice" tick positions covering [lo, hi] (steps of 1, 2 or 5 times a power of ten), at most
/// about `target` of them. lo == hi gives a unit range around the value.
std::vector<double> nice_ticks(double lo, double hi, int target = 6);

/// The colour of palette slot i (Okabe & Ito's colour-blind-safe palette, then repeats).
std::string_view palette(std::size_t i);

}  // namespace imbal::plot
