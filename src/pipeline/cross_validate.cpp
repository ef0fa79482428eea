// cross_validate (scikit-learn's cross_validate with an imblearn Pipeline: resampling only inside
// the training folds).
#include "imbal/cross_validation.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

#include "core/parallel.hpp"
#include "imbal/error.hpp"
#include "imbal/metrics.hpp"
#include "imbal/random.hpp"

namespace imbal {

MetricSpec MetricSpec::parse(std::string_view text) {
  MetricSpec spec;
  std::size_t start = 0;
  bool first = true;
  while (true) {
    const std::size_t pos = text.find(':', start);
    const std::string part(text.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (first) {
      spec.name = part;
      first = false;
    } else {
      spec.params.push_back(part);
    }
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  const auto& entry = metrics::find_metric(spec.name);
  Params p(entry.schema());
  for (const auto& a : spec.params) {
    const auto [name, value] = split_assignment(a);
    p.set(name, value);
  }
  return spec;
}

std::string MetricSpec::label() const {
  std::string out = name;
  for (const auto& p : params) out += ":" + p;
  return out;
}

std::vector<double> score_predictions(const std::vector<MetricSpec>& specs, std::span<const std::int32_t> y_true,
                                      std::span<const std::int32_t> y_pred, MatrixView proba, std::size_t n_classes,
                                      std::vector<std::string>* warnings) {
  std::vector<double> p1;
  metrics::MetricData d;
  d.y_true = y_true;
  d.y_pred = y_pred;
  d.n_classes = n_classes;
  d.pos_label = 1;
  d.warnings = warnings;
  std::vector<double> full;
  if (n_classes == 2) {
    p1.resize(proba.rows);
    for (std::size_t i = 0; i < proba.rows; ++i) p1[i] = proba(i, 1);
    d.scores = p1;
    d.n_columns = 1;
  } else {
    full.resize(proba.rows * proba.cols);
    for (std::size_t i = 0; i < proba.rows; ++i) std::copy(proba.row(i), proba.row(i) + proba.cols, full.data() + i * proba.cols);
    d.scores = full;
    d.n_columns = proba.cols;
  }
  std::vector<double> out;
  for (const auto& s : specs) out.push_back(metrics::evaluate_metric(s.name, d, s.params));
  return out;
}

CrossValidateResult cross_validate(const PipelineConfig& config, MatrixView X, std::span<const std::int32_t> y,
                                   std::size_t n_classes, const std::vector<Column>& columns,
                                   const ClassLabels* labels, const std::vector<model_selection::Split>& splits,
                                   const CrossValidateOptions& options) {
  if (splits.empty()) throw InvalidArgument("cross_validate: no splits");
  if (options.metrics.empty()) throw InvalidArgument("cross_validate: no metrics");
  if (X.rows != y.size()) throw InvalidArgument("cross_validate: X and y differ in rows");
  for (const auto& s : splits) {
    for (const auto v : {&s.train, &s.test}) {
      for (std::size_t r : *v) {
        if (r >= X.rows) throw InvalidArgument("cross_validate: a split names row " + std::to_string(r) + " of " +
                                               std::to_string(X.rows));
      }
    }
    if (s.train.empty() || s.test.empty()) throw InvalidArgument("cross_validate: a split has no train or no test row");
  }
  Pipeline(config).validate(n_classes, labels);
  CrossValidateResult result;
  result.metrics = options.metrics;
  result.seed = options.random_state ? *options.random_state : random_seed();
  const int n_jobs = options.n_jobs > 0 ? options.n_jobs
                                         : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  const std::size_t n_folds = splits.size();
  result.folds.resize(n_folds);
  std::vector<Matrix> fold_proba(n_folds);
  std::vector<std::vector<std::int32_t>> fold_pred(n_folds);
  const std::size_t threads = std::min<std::size_t>(n_folds, static_cast<std::size_t>(n_jobs));
  const int per_fold = std::max(1, n_jobs / static_cast<int>(threads));
  std::atomic<std::size_t> next{0};
  detail::run_on_threads(threads, [&] {
    for (std::size_t f = next++; f < n_folds; f = next++) {
      const auto& s = splits[f];
      FoldResult& fr = result.folds[f];
      PipelineConfig c = config;
      c.random_state = Rng(result.seed, f).next();
      c.n_jobs = per_fold;
      Pipeline p(std::move(c));
      std::vector<std::int32_t> ytr(s.train.size()), yte(s.test.size());
      for (std::size_t i = 0; i < s.train.size(); ++i) ytr[i] = y[s.train[i]];
      for (std::size_t i = 0; i < s.test.size(); ++i) yte[i] = y[s.test[i]];
      const auto t0 = std::chrono::steady_clock::now();
      try {
        p.fit(gather_rows(X, s.train), ytr, n_classes, columns, labels);
      } catch (const InvalidArgument& e) {
        throw InvalidArgument("fold " + std::to_string(f + 1) + ": " + e.what());
      }
      const auto t1 = std::chrono::steady_clock::now();
      fold_proba[f] = p.predict_proba(gather_rows(X, s.test));
      fold_pred[f] = p.decide(fold_proba[f]);
      fr.scores = score_predictions(options.metrics, yte, fold_pred[f], fold_proba[f], n_classes, &fr.warnings);
      const auto t2 = std::chrono::steady_clock::now();
      fr.fit_seconds = std::chrono::duration<double>(t1 - t0).count();
      fr.score_seconds = std::chrono::duration<double>(t2 - t1).count();
      fr.threshold = p.threshold();
      fr.n_train = s.train.size();
      fr.n_test = s.test.size();
      fr.warnings.insert(fr.warnings.begin(), p.fit_info().warnings.begin(), p.fit_info().warnings.end());
    }
  });
  const std::size_t M = options.metrics.size();
  result.mean.assign(M, 0.0);
  result.std.assign(M, 0.0);
  for (std::size_t m = 0; m < M; ++m) {
    double sum = 0.0;
    for (const auto& fr : result.folds) sum += fr.scores[m];
    const double mean = sum / static_cast<double>(n_folds);
    double var = 0.0;
    for (const auto& fr : result.folds) var += (fr.scores[m] - mean) * (fr.scores[m] - mean);
    result.mean[m] = mean;
    result.std[m] = std::sqrt(var / static_cast<double>(n_folds));
  }
  result.oof_proba = Matrix(X.rows, n_classes, std::nan(""));
  result.oof_pred.assign(X.rows, -1);
  result.oof_fold.assign(X.rows, -1);
  for (std::size_t f = 0; f < n_folds; ++f) {
    const auto& test = splits[f].test;
    for (std::size_t r = 0; r < test.size(); ++r) {
      std::copy(fold_proba[f].row(r), fold_proba[f].row(r) + n_classes, result.oof_proba.row(test[r]));
      result.oof_pred[test[r]] = fold_pred[f][r];
      result.oof_fold[test[r]] = static_cast<std::int32_t>(f);
    }
  }
  return result;
}

CrossValidateResult cross_validate(const PipelineConfig& config, const Dataset& data,
                                   const std::vector<model_selection::Split>& splits,
                                   const CrossValidateOptions& options) {
  return cross_validate(config, data.X(), data.y(), data.n_classes(), data.columns(), &data.classes(), splits,
                        options);
}

}  // namespace imbal
