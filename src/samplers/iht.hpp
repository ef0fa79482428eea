// Pieces of iht exposed for tests.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace imbal::detail {

/// numpy.percentile(values, q) with method="linear" (numpy 1.24's arithmetic, step by step);
/// q in percent. `values` must not be empty.
double numpy_percentile(std::vector<double> values, double q);

/// Splits an estimator spelling "name" or "name:param=value;param=value" into the model name and
/// its "param=value" assignments.
std::pair<std::string, std::vector<std::string>> parse_estimator(const std::string& text);

}  // namespace imbal::detail
