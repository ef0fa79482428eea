// Test data shared by the ensemble tests (adaboost, rus-boost, balanced-bagging, easy-ensemble).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "imbal/model_registry.hpp"
#include "imbal/random.hpp"

namespace imbal::testdata {

struct Data {
  std::vector<double> X;
  std::vector<std::int32_t> y;
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::size_t K = 0;
  MatrixView view() const { return {X.data(), rows, cols}; }
};

inline Data blobs(const std::vector<std::size_t>& counts, std::size_t cols, std::uint64_t seed, double shift = 1.2) {
  Data d;
  d.cols = cols;
  d.K = counts.size();
  Rng rng(seed);
  for (std::size_t c = 0; c < counts.size(); ++c) {
    for (std::size_t i = 0; i < counts[c]; ++i) {
      for (std::size_t j = 0; j < cols; ++j) d.X.push_back(rng.normal() + (j % counts.size() == c ? shift : 0.0));
      d.y.push_back(static_cast<std::int32_t>(c));
      ++d.rows;
    }
  }
  return d;
}

inline std::unique_ptr<Model> make(const std::string& name, std::vector<std::string> params, int jobs = 1,
                                   std::uint64_t seed = 5) {
  ModelOptions options;
  options.n_jobs = jobs;
  options.random_state = seed;
  return make_model(name, params, options);
}

inline double accuracy(const Model& m, const Data& d) {
  const auto pred = m.predict(d.view());
  std::size_t right = 0;
  for (std::size_t i = 0; i < d.rows; ++i) right += pred[i] == d.y[i] ? 1 : 0;
  return static_cast<double>(right) / static_cast<double>(d.rows);
}

}  // namespace imbal::testdata
