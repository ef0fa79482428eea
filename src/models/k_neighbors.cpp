// k-neighbors: the k-nearest-neighbour vote (E. Fix & J. L. Hodges, "Discriminatory Analysis.
// Nonparametric Discrimination: Consistency Properties", USAF School of Aviation Medicine, 1951;
// T. Cover & P. Hart, "Nearest neighbor pattern classification", IEEE Transactions on Information
// Theory 13(1), 1967), as scikit-learn 1.2's KNeighborsClassifier with the Euclidean metric:
//
//   the n_neighbors nearest training rows of a query (exact distances, ties by training row index:
//   imbal's neighbour engine) vote for their class with weight 1 (weights="uniform") or 1/distance
//   (weights="distance"; when some of them are at distance 0, those weigh 1 and the others 0);
//   probabilities = votes / total votes, added in neighbour order (nearest first) as scikit-learn.
//
// The model keeps its training rows (the saved model holds them too). No sample weights: like
// scikit-learn's KNeighborsClassifier, whose fit takes none.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <memory>

#include "imbal/error.hpp"
#include "imbal/model.hpp"
#include "imbal/neighbors.hpp"
#include "core/parsed_json.hpp"

namespace imbal {

namespace {

constexpr const char* kModel = "k-neighbors";

class KNeighborsClassifier final : public Model {
 public:
  using Model::Model;

 protected:
  void fit_hook(const ModelFitInput& input) override {
    const auto k = static_cast<std::size_t>(params().get_int("n_neighbors"));
    for (const double w : input.sample_weight) {
      if (w != input.sample_weight[0]) {
        throw InvalidArgument(std::string(kModel) +
                              " takes no sample weights or class weights (scikit-learn's KNeighborsClassifier "
                              "has none): every row votes alike");
      }
    }
    if (k > input.X.rows) {
      throw InvalidArgument(std::string(kModel) + ": n_neighbors=" + std::to_string(k) + " but only " +
                            std::to_string(input.X.rows) + " training rows; use a smaller n_neighbors");
    }
    train_ = Matrix(input.X.rows, input.X.cols);
    for (std::size_t i = 0; i < input.X.rows; ++i) std::copy_n(input.X.row(i), input.X.cols, train_.row(i));
    labels_.assign(input.y.begin(), input.y.end());
  }

  void proba_hook(MatrixView X, Matrix& out, int n_jobs) const override {
    if (X.rows == 0) return;
    const auto k = static_cast<std::size_t>(params().get_int("n_neighbors"));
    const bool by_distance = params().get_string("weights") == "distance";
    NeighborOptions options;
    options.n_jobs = n_jobs;
    const NeighborIndex index(train_.view(), options);
    const Neighbors nn = index.query(X, k);
    const std::size_t K = out.cols();
    std::vector<double> weight(k);
    for (std::size_t i = 0; i < X.rows; ++i) {
      const auto ids = nn.indices(i);
      const auto dist = nn.distances(i);
      bool exact_match = false;
      for (std::size_t j = 0; j < k; ++j) exact_match = exact_match || dist[j] == 0.0;
      for (std::size_t j = 0; j < k; ++j) {
        if (!by_distance) {
          weight[j] = 1.0;
        } else if (exact_match) {
          weight[j] = dist[j] == 0.0 ? 1.0 : 0.0;
        } else {
          weight[j] = 1.0 / dist[j];
        }
      }
      double* p = out.row(i);
      for (std::size_t c = 0; c < K; ++c) p[c] = 0.0;
      for (std::size_t j = 0; j < k; ++j) p[static_cast<std::size_t>(labels_[ids[j]])] += weight[j];
      double total = 0.0;
      for (std::size_t c = 0; c < K; ++c) total += p[c];
      if (total == 0.0) total = 1.0;
      for (std::size_t c = 0; c < K; ++c) p[c] /= total;
    }
  }

  std::string state_json() const override {
    nlohmann::json rows = nlohmann::json::array();
    for (std::size_t i = 0; i < train_.rows(); ++i) {
      rows.push_back(std::vector<double>(train_.row(i), train_.row(i) + train_.cols()));
    }
    return nlohmann::json{{"X", rows}, {"y", labels_}}.dump();
  }

  void load_state(const detail::ParsedJson& state) override {
    const nlohmann::json& j = state.json;
    const std::size_t d = n_features();
    const std::string what = std::string(kModel) + " state: ";
    if (!j.contains("X") || !j["X"].is_array() || !j.contains("y") || !j["y"].is_array() ||
        j["X"].size() != j["y"].size()) {
      throw InvalidArgument(what + "'X' (training rows) and 'y' (their class codes) must be arrays of equal length");
    }
    const std::size_t n = j["X"].size();
    const auto k = static_cast<std::size_t>(params().get_int("n_neighbors"));
    if (n < k) {
      throw InvalidArgument(what + "holds " + std::to_string(n) + " training rows, fewer than n_neighbors=" +
                            std::to_string(k));
    }
    Matrix train(n, d);
    std::vector<std::int32_t> labels(n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& row = j["X"][i];
      if (!row.is_array() || row.size() != d) {
        throw InvalidArgument(what + "every training row must hold " + std::to_string(d) + " numbers (n_features)");
      }
      for (std::size_t c = 0; c < d; ++c) {
        if (!row[c].is_number() || !std::isfinite(row[c].get<double>())) {
          throw InvalidArgument(what + "'X' holds a value that is not a finite number");
        }
        train(i, c) = row[c].get<double>();
      }
      const auto& label = j["y"][i];
      if (!label.is_number_integer() || label.get<std::int64_t>() < 0 ||
          label.get<std::int64_t>() >= static_cast<std::int64_t>(n_classes())) {
        throw InvalidArgument(what + "'y' must hold class codes 0.." + std::to_string(n_classes() - 1));
      }
      labels[i] = static_cast<std::int32_t>(label.get<std::int64_t>());
    }
    train_ = std::move(train);
    labels_ = std::move(labels);
  }

 private:
  Matrix train_;
  std::vector<std::int32_t> labels_;
};

}  // namespace

namespace detail {

const MethodSchema& k_neighbors_schema() {
  static const MethodSchema schema = [] {
    MethodSchema s;
    s.name = kModel;
    s.python_class = "KNeighborsClassifier";
    s.python_module = "neighbors";
    s.family = "neighbors";
    s.summary = "k-nearest-neighbour vote (Euclidean distance), uniform or by inverse distance";
    s.reference = "scikit-learn KNeighborsClassifier; T. Cover and P. Hart, Nearest neighbor pattern classification, "
                  "IEEE Transactions on Information Theory 13(1), 1967";
    ParamSpec k;
    k.name = "n_neighbors";
    k.type = ParamType::Int;
    k.default_value = std::int64_t{5};
    k.doc = "Training rows that vote on each query";
    k.min = 1.0;
    ParamSpec weights;
    weights.name = "weights";
    weights.type = ParamType::Choice;
    weights.default_value = std::string("uniform");
    weights.doc = "uniform: every neighbour votes 1; distance: 1 / distance (rows at distance 0 take the whole vote)";
    weights.choices = {"uniform", "distance"};
    s.params = {k, weights};
    return s;
  }();
  return schema;
}

std::unique_ptr<Model> k_neighbors_create(Params params, ModelOptions options) {
  return std::make_unique<KNeighborsClassifier>(k_neighbors_schema(), std::move(params), options);
}

}  // namespace detail

}  // namespace imbal
