// iht: instance hardness threshold (M. R. Smith, T. Martinez & C. Giraud-Carrier, "An instance
// level analysis of data complexity", Machine Learning 95(2), 2014), as imbalanced-learn's
// InstanceHardnessThreshold (0.10):
//
//   every row gets the probability of its own class from a cross-validated classifier (the
//   `estimator`, a registered model; folds of StratifiedKFold(n_splits=cv, shuffle=True) with the
//   run's seed - `imbal split --kind stratified-kfold --shuffle --seed S` prints them); then for
//   each targeted class with N rows and a planned count n, the threshold is numpy's
//   percentile(probabilities of the class, (1 - n / N) * 100) (linear interpolation, numpy's
//   arithmetic), and the class keeps its rows with probability >= threshold - n rows, or more when
//   probabilities tie at the threshold (a warning then says so), as imbalanced-learn.
//
// A training fold without some class (a class with fewer rows than cv) is fitted on the classes
// it has; its test rows of the missing class get probability 0 (scikit-learn's cross_val_predict).
// The default estimator is a random forest, as imbalanced-learn's (RandomForestClassifier with 100
// trees); any registered model can replace it (docs/methods/iht.md). imbalanced-learn indexes the probability
// columns by the label VALUE (probabilities[range(n), y]), which equals the class's column only for
// labels 0..K-1; imbal always takes the row's own class.
// Kept rows are listed in input order.
#include <algorithm>
#include <cmath>
#include <set>

#include "imbal/error.hpp"
#include "imbal/model_registry.hpp"
#include "imbal/model_selection.hpp"
#include "imbal/sampler.hpp"
#include "samplers/iht.hpp"

namespace imbal {

namespace detail {

/// numpy.percentile(values, q) with method="linear", step by step as numpy 1.24 computes it.
double numpy_percentile(std::vector<double> values, double q) {
  IMBAL_ASSERT(!values.empty());
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  const double quantile = q / 100.0;
  const double virtual_index = static_cast<double>(n - 1) * quantile;
  double previous_index = 0.0;
  std::size_t prev = 0;
  std::size_t next = 0;
  if (virtual_index >= static_cast<double>(n - 1)) {
    prev = next = n - 1;
    previous_index = -1.0;
  } else if (virtual_index < 0.0) {
    prev = next = 0;
  } else {
    previous_index = std::floor(virtual_index);
    prev = static_cast<std::size_t>(previous_index);
    next = prev + 1;
  }
  const double gamma = virtual_index - previous_index;
  const double a = values[prev];
  const double b = values[next];
  const double diff = b - a;
  return gamma >= 0.5 ? b - diff * (1.0 - gamma) : a + diff * gamma;
}

/// Splits "name" or "name:param=value;param=value" into the model name and its assignments.
std::pair<std::string, std::vector<std::string>> parse_estimator(const std::string& text) {
  const auto colon = text.find(':');
  std::string name = text.substr(0, colon);
  std::vector<std::string> assignments;
  if (colon != std::string::npos) {
    std::string rest = text.substr(colon + 1);
    std::size_t begin = 0;
    while (begin <= rest.size()) {
      const auto end = std::min(rest.find(';', begin), rest.size());
      std::string part = rest.substr(begin, end - begin);
      if (!part.empty()) assignments.push_back(std::move(part));
      begin = end + 1;
    }
  }
  return {std::move(name), std::move(assignments)};
}

}  // namespace detail

namespace {

constexpr const char* kMethod = "iht";

class InstanceHardnessThreshold final : public Sampler {
 public:
  using Sampler::Sampler;
  SamplingType sampling_type() const override { return SamplingType::UnderSampling; }

 protected:
  SamplerOutput resample(const SamplerInput& in, const ResamplePlan& plan) override {
    const std::string spec = params().get_string("estimator");
    const auto [model_name, assignments] = detail::parse_estimator(spec);
    // Fails early (unknown model, bad parameter) with the model registry's words.
    std::unique_ptr<Model> probe;
    try {
      probe = make_model(model_name, assignments);
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(std::string(kMethod) + ": estimator '" + spec + "': " + e.what());
    }
    for (std::size_t j = 0; j < in.categorical.size(); ++j) {
      if (in.categorical[j]) {
        throw InvalidArgument(std::string(kMethod) + ": feature column " + std::to_string(j) +
                              " is categorical, but the estimator reads numbers; encode it first (for example one-hot)");
      }
    }
    const auto cv = static_cast<std::size_t>(params().get_int("cv"));
    const auto proba = cross_val_true_class_proba(in, model_name, assignments, cv);

    SamplerOutput out;
    std::vector<char> keep(in.X.rows, 0);
    for (const auto& cls : plan.classes) {
      const auto& rows = in.class_rows[static_cast<std::size_t>(cls.label)];
      if (!cls.targeted) {
        for (const auto r : rows) keep[r] = 1;
        continue;
      }
      std::vector<double> p(rows.size());
      for (std::size_t i = 0; i < rows.size(); ++i) p[i] = proba[rows[i]];
      const double q = (1.0 - (static_cast<double>(cls.n_out) / static_cast<double>(rows.size()))) * 100.0;
      const double threshold = detail::numpy_percentile(p, q);
      std::size_t kept = 0;
      for (std::size_t i = 0; i < rows.size(); ++i) {
        if (p[i] >= threshold) {
          keep[rows[i]] = 1;
          ++kept;
        }
      }
      if (kept != cls.n_out) {
        out.warnings.push_back(std::string(kMethod) + ": kept " + std::to_string(kept) + " rows of " +
                               in.class_words(cls.label) + " instead of " + std::to_string(cls.n_out) + ": " +
                               std::to_string(kept) +
                               " rows have a probability at or above the percentile threshold (ties), as "
                               "imbalanced-learn keeps them");
      }
    }
    for (std::size_t i = 0; i < in.X.rows; ++i) {
      if (keep[i] != 0) out.indices.push_back(i);
    }
    return out;
  }

 private:
  // The probability of each row's own class, predicted by the model fitted on the other folds.
  static std::vector<double> cross_val_true_class_proba(const SamplerInput& in, const std::string& model_name,
                                                        const std::vector<std::string>& assignments, std::size_t cv) {
    std::vector<std::string> split_warnings;
    std::vector<model_selection::Split> splits;
    try {
      splits = model_selection::StratifiedKFold(cv, /*shuffle=*/true, in.seed).split(in.y, &split_warnings);
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(std::string(kMethod) + ": cv=" + std::to_string(cv) + ": " + e.what());
    }
    for (auto& w : split_warnings) in.warn(std::string(kMethod) + ": " + w);
    std::vector<double> proba(in.X.rows, 0.0);
    std::set<std::string> model_warnings;
    for (std::size_t f = 0; f < splits.size(); ++f) {
      const auto& split = splits[f];
      // Classes present in the training rows, compacted to codes 0..K'-1.
      std::vector<std::int32_t> code(in.n_classes, -1);
      std::vector<std::int32_t> y_train(split.train.size());
      for (const auto r : split.train) code[static_cast<std::size_t>(in.y[r])] = 0;
      std::int32_t next = 0;
      ClassLabels labels;
      for (std::size_t c = 0; c < in.n_classes; ++c) {
        if (code[c] < 0) continue;
        code[c] = next++;
        labels.names.push_back(in.class_name(static_cast<std::int32_t>(c)));
      }
      for (std::size_t i = 0; i < split.train.size(); ++i) y_train[i] = code[static_cast<std::size_t>(in.y[split.train[i]])];
      ModelOptions options;
      options.random_state = Rng(in.seed, 0x1000 + f).next();
      options.n_jobs = in.n_jobs;
      auto model = make_model(model_name, assignments, options);
      {
        // The training rows are released before the test rows are gathered (memory).
        const Matrix X_train = gather_rows(in.X, split.train);
        try {
          model->fit(X_train.view(), y_train, static_cast<std::size_t>(next), {}, &labels);
        } catch (const InvalidArgument& e) {
          throw InvalidArgument(std::string(kMethod) + ": fitting the estimator on fold " + std::to_string(f + 1) +
                                " of cv=" + std::to_string(cv) + " (" + std::to_string(split.train.size()) +
                                " training rows): " + e.what());
        }
      }
      for (const auto& w : model->warnings()) model_warnings.insert(w);
      const Matrix X_test = gather_rows(in.X, split.test);
      const Matrix p = model->predict_proba(X_test.view());
      for (std::size_t i = 0; i < split.test.size(); ++i) {
        const std::int32_t c = code[static_cast<std::size_t>(in.y[split.test[i]])];
        proba[split.test[i]] = c < 0 ? 0.0 : p(i, static_cast<std::size_t>(c));
      }
    }
    for (const auto& w : model_warnings) in.warn(std::string(kMethod) + ": estimator: " + w);
    return proba;
  }
};

}  // namespace

namespace detail {

const MethodSchema& iht_schema() {
  static const MethodSchema schema{
      kMethod,
      "InstanceHardnessThreshold",
      "under_sampling",
      "under-sampling",
      "Instance hardness threshold: keep the rows of each under-sampled class that a cross-validated classifier "
      "finds easiest (highest probability of their own class).",
      "M. R. Smith, T. Martinez and C. Giraud-Carrier, An instance level analysis of data complexity, Machine "
      "Learning 95(2), 2014",
      {ParamSpec{"estimator", ParamType::Text, std::string{"random-forest"},
                 "The classifier: a registered model (imbal list), optionally with parameters as "
                 "'name:param=value;param=value' (imbalanced-learn's default: a random forest of 100 trees)",
                 false, std::nullopt, std::nullopt, false, false, {}},
       ParamSpec{"cv", ParamType::Int, std::int64_t{5},
                 "Folds of the stratified, shuffled cross-validation that predicts each row's probability", false,
                 2.0, std::nullopt, false, false, {}}},
      /*provides_sample_indices=*/true};
  return schema;
}

std::unique_ptr<Sampler> iht_create(Params params, SamplerOptions options) {
  return std::make_unique<InstanceHardnessThreshold>(iht_schema(), std::move(params), std::move(options));
}

}  // namespace detail
}  // namespace imbal
