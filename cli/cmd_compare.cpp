// imbal compare DATA: the study the tutorials teach, done right. Every method (baseline, class
// weights, over-, under- and combined sampling, balanced ensembles, boosting with imbalance
// weights or focal loss) is cross-validated on the same stratified folds, with resampling inside
// the training folds only and (two classes) a decision threshold tuned on out-of-fold F1; the
// methods are ranked on the first metric (average precision for two classes), a recommendation
// is written from the numbers, and --report writes the HTML report (docs/compare.md).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "common.hpp"
#include "imbal/cross_validation.hpp"
#include "imbal/error.hpp"
#include "imbal/metrics.hpp"
#include "imbal/model_registry.hpp"
#include "imbal/model_selection.hpp"
#include "imbal/random.hpp"
#include "imbal/registry.hpp"
#include "imbal/version.hpp"
#include "compare.hpp"
#include "study_report.hpp"

namespace imbal::cli {

namespace {

/// One line of the study: samplers (fit-time only) and a model with parameters.
struct StudyEntry {
  std::string id;
  std::string description;
  std::vector<SamplerStep> samplers;
  std::string model;
  std::vector<std::string> model_params;
  Scaling scaling = Scaling::Standard;
};

const std::vector<std::string> kDefaultMethods = {"baseline",         "class-weights", "random-over",
                                                  "random-under",     "smote",         "borderline-smote",
                                                  "adasyn",           "smote-enn",     "smote-tomek"};
const std::vector<std::string> kDefaultModels = {"balanced-random-forest", "easy-ensemble", "rus-boost",
                                                 "gradient-boosting-weighted", "gradient-boosting-focal"};

std::vector<std::string> split_list(const std::string& text, const char* option) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t pos = text.find(',', start);
    std::string part = text.substr(start, pos == std::string::npos ? std::string::npos : pos - start);
    while (!part.empty() && part.front() == ' ') part.erase(part.begin());
    while (!part.empty() && part.back() == ' ') part.pop_back();
    if (part.empty()) throw UsageError(std::string(option) + ": an empty name in '" + text + "'");
    out.push_back(part);
    if (pos == std::string::npos) break;
    start = pos + 1;
  }
  return out;
}

/// A resampling entry with the base model: "baseline", "class-weights", or any registered
/// method / chain.
StudyEntry method_entry(const std::string& id, const std::string& base_model) {
  StudyEntry e;
  e.id = id;
  e.model = base_model;
  if (id == "baseline") {
    e.description = base_model + " on the data as it is";
  } else if (id == "class-weights") {
    e.model_params = {"class_weight=balanced"};
    e.description = base_model + " with class_weight=balanced (no resampling)";
  } else {
    std::size_t start = 0;
    while (true) {  // every stage of a chain must be a registered method
      const std::size_t pos = id.find('+', start);
      try {
        (void)find_sampler(id.substr(start, pos == std::string::npos ? std::string::npos : pos - start));
      } catch (const InvalidArgument& err) {
        throw UsageError(std::string("--methods: ") + err.what() + " (or baseline, class-weights)");
      }
      if (pos == std::string::npos) break;
      start = pos + 1;
    }
    e.samplers.push_back(SamplerStep{id, {}, {}});
    e.description = id + " on the training folds, then " + base_model;
  }
  return e;
}

/// A model entry: the imbalance-aware ensembles, gradient boosting with class weights or focal
/// loss, or any registered model with its defaults.
StudyEntry model_entry(const std::string& id, const Dataset& data) {
  StudyEntry e;
  e.id = id;
  e.scaling = Scaling::None;
  if (id == "gradient-boosting-weighted") {
    e.model = "gradient-boosting";
    if (data.n_classes() == 2) {
      const auto counts = data.class_counts();
      char ratio[64];
      std::snprintf(ratio, sizeof ratio, "%.17g", static_cast<double>(counts[0]) / static_cast<double>(counts[1]));
      e.model_params = {std::string("scale_pos_weight=") + ratio};
      e.description = "gradient boosting (XGBoost) with scale_pos_weight = negatives / positives";
    } else {
      e.model_params = {"class_weight=balanced"};
      e.description = "gradient boosting (XGBoost) with class_weight=balanced";
    }
  } else if (id == "gradient-boosting-focal") {
    e.model = "gradient-boosting";
    e.model_params = {"focal_gamma=2"};
    e.description = "gradient boosting (XGBoost) with the focal loss, gamma 2 (Lin et al. 2017)";
  } else {
    try {
      (void)find_model(id);
    } catch (const InvalidArgument& err) {
      throw UsageError(std::string("--models: ") + err.what() +
                       " (or gradient-boosting-weighted, gradient-boosting-focal)");
    }
    e.model = id;
    e.description = id + " with its default parameters";
    if (id == "logistic-regression" || id == "k-neighbors") e.scaling = Scaling::Standard;
  }
  return e;
}

std::vector<MetricSpec> study_metrics(std::size_t n_classes) {
  const std::vector<std::string> names =
      n_classes == 2 ? std::vector<std::string>{"average-precision", "roc-auc", "f1", "recall", "precision",
                                                "balanced-accuracy", "geometric-mean", "mcc", "brier"}
                     : std::vector<std::string>{"balanced-accuracy", "f1:average=macro", "geometric-mean", "mcc",
                                                "roc-auc", "log-loss"};
  std::vector<MetricSpec> specs;
  for (const auto& n : names) specs.push_back(MetricSpec::parse(n));
  return specs;
}

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

/// The paragraph under the table: the winner, its margin over the runner-up and the baseline in
/// units of their fold-to-fold spread, its threshold, and calibration.
std::string recommendation(const std::vector<report::MethodResult>& ranked, const std::vector<std::string>& metrics,
                           const report::MethodResult* baseline, std::size_t brier) {
  if (ranked.empty()) return {};
  const auto& best = ranked.front();
  const std::string& metric = metrics.front();
  const auto& s = best.scores.front();
  std::string text = "Best on " + metric + ": " + best.name + " (" + fixed(s.mean, 3) + " ± " + fixed(s.std, 3) + ").";
  if (ranked.size() > 1) {
    const auto& second = ranked[1];
    const double gap = s.mean - second.scores.front().mean;
    const double noise = std::max(s.std, second.scores.front().std);
    text += " The runner-up, " + second.name + ", scores " + fixed(second.scores.front().mean, 3) + "; the gap of " +
            fixed(gap, 3) +
            (gap < noise ? " is within the fold-to-fold spread, so both are equally good choices on this data: "
                           "prefer the simpler or faster one."
                         : " is larger than the fold-to-fold spread.");
  }
  if (baseline != nullptr && baseline != &best) {
    const double gain = s.mean - baseline->scores.front().mean;
    text += " Against the baseline (" + fixed(baseline->scores.front().mean, 3) + ") it " +
            (gain > std::max(s.std, baseline->scores.front().std) ? "is a clear gain of " + fixed(gain, 3) + "."
                                                                    : "is not a clear gain: the baseline with a tuned "
                                                                      "threshold is nearly as good.");
  } else if (baseline == &best) {
    text += " No imbalance method beats the baseline here: keep the plain model and tune its threshold.";
  }
  if (best.threshold) {
    text += " Use its decision threshold " + fixed(*best.threshold, 3) +
            " (tuned on out-of-fold F1) rather than 0.5.";
  }
  if (brier != std::string::npos && baseline != nullptr && baseline != &best &&
      best.scores[brier].mean > baseline->scores[brier].mean + baseline->scores[brier].std) {
    text += " Its probabilities are less calibrated than the baseline's (Brier " + fixed(best.scores[brier].mean, 3) +
            " vs " + fixed(baseline->scores[brier].mean, 3) +
            "): if you need probabilities, add --prior-correction or --calibrate sigmoid in imbal train.";
  }
  return text;
}

}  // namespace

void run_compare(const CompareOptions& opt, const Dataset* given) {
  const bool quiet = global_options().quiet;
  if (opt.cv < 2) throw UsageError("--cv: needs at least 2 folds, got " + std::to_string(opt.cv));
  try {
    (void)find_model(opt.base_model);
  } catch (const InvalidArgument& e) {
    throw UsageError(std::string("--base-model: ") + e.what());
  }
  const Dataset data = given != nullptr ? *given : load_data(opt.data, quiet);
  const std::uint64_t seed = opt.seed ? *opt.seed : random_seed();

  std::vector<StudyEntry> entries;
  for (const auto& id : opt.methods.empty() ? kDefaultMethods : split_list(opt.methods, "--methods")) {
    entries.push_back(method_entry(id, opt.base_model));
  }
  if (opt.models != "none") {
    for (const auto& id : opt.models.empty() ? kDefaultModels : split_list(opt.models, "--models")) {
      entries.push_back(model_entry(id, data));
    }
  }
  const bool binary = data.n_classes() == 2;
  const auto specs = study_metrics(data.n_classes());

  std::vector<std::string> warnings;
  const auto splits =
      model_selection::StratifiedKFold(opt.cv, true, Rng(seed, 7).next()).split(data.y(), &warnings);

  report::ReportData rep = report_header(data, opt.data.path, "imbal compare: " + opt.data.path);
  for (const auto& m : specs) {
    rep.metric_names.push_back(m.label());
    rep.lower_is_better.push_back(!metrics::find_metric(m.name).greater_is_better);
  }
  rep.metric_names.push_back("fit time (s)");
  rep.lower_is_better.push_back(true);
  std::optional<Pca> pca;
  if (!opt.report.empty()) rep.projection = original_projection(data, &pca);

  Progress progress("compare", entries.size());  // on a terminal only
  std::vector<report::MethodResult> results;
  std::vector<std::string> failed;
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const StudyEntry& e = entries[i];
    progress.update(i);
    progress.step(e.id);
    PipelineConfig config;
    config.scaling = e.scaling;
    config.samplers = e.samplers;
    config.model = e.model;
    config.model_params = e.model_params;
    config.random_state = Rng(seed, 100 + i).next();
    config.n_jobs = global_options().jobs;
    if (binary) {
      config.threshold.rule = DecisionRule::TunedThreshold;
      config.threshold.objective = ThresholdObjective::FBeta;
      config.threshold.beta = 1.0;
    }
    CrossValidateOptions cvo;
    cvo.metrics = specs;
    cvo.random_state = Rng(seed, 200 + i).next();
    cvo.n_jobs = global_options().jobs;
    try {
      const CrossValidateResult cv = cross_validate(config, data, splits, cvo);
      std::optional<double> threshold;
      if (binary) {  // the threshold each fold tuned, averaged: what a user would deploy
        double sum = 0.0;
        std::size_t n = 0;
        for (const auto& f : cv.folds) {
          if (f.threshold) {
            sum += *f.threshold;
            ++n;
          }
        }
        if (n > 0) threshold = sum / static_cast<double>(n);
      }
      report::MethodResult r = method_result(e.id, e.description, data, cv, rep.positive_class, threshold, true);
      if (!opt.report.empty()) {
        add_resampling(r, e.id, config, data, cv.seed, &rep.projection, pca ? &*pca : nullptr);
      }
      for (const auto& f : cv.folds) {
        for (const auto& w : f.warnings) {
          const std::string line = e.id + ": " + w;
          if (std::find(warnings.begin(), warnings.end(), line) == warnings.end()) warnings.push_back(line);
        }
      }
      results.push_back(std::move(r));
    } catch (const InvalidArgument& err) {
      failed.push_back(e.id + ": " + err.what());
    }
  }
  progress.finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (results.empty()) {
    std::string why;
    for (const auto& f : failed) why += "\n  " + f;
    throw DataError(opt.data.path, 0, 0, "no method could be evaluated:" + why);
  }

  // Rank on the first metric (higher is better for both defaults), ties by name.
  std::vector<report::MethodResult> ranked = results;
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    const double x = a.scores.front().mean;
    const double y = b.scores.front().mean;
    if (std::isnan(x) != std::isnan(y)) return std::isnan(y);
    return x > y;
  });
  const report::MethodResult* baseline = nullptr;
  for (const auto& r : ranked) {
    if (r.name == "baseline") baseline = &r;
  }
  std::size_t brier = std::string::npos;
  for (std::size_t k = 0; k < specs.size(); ++k) {
    if (specs[k].name == "brier") brier = k;
  }
  rep.recommendation = recommendation(ranked, rep.metric_names, baseline, brier);
  for (const auto& f : failed) warnings.push_back("not evaluated: " + f);
  rep.warnings = warnings;
  rep.protocol = std::to_string(opt.cv) + "-fold stratified cross-validation (shuffled, seed " +
                 std::to_string(seed) + "); every method is fitted on the training rows of each fold only — " +
                 "samplers included — and scored on the untouched test rows" +
                 (binary ? "; the decision threshold is tuned on out-of-fold F1 inside each training fold." : ".");
  rep.footer = "Made by imbal " + std::string(kVersion) + " in " + fixed(seconds, 1) + " s.";
  rep.methods = ranked;

  if (!opt.report.empty()) write_report(opt.report, rep);

  if (opt.json) {
    nlohmann::json j;
    j["data"] = opt.data.path;
    j["rows"] = data.rows();
    j["features"] = data.cols();
    j["classes"] = data.classes().names;
    j["class_counts"] = data.class_counts();
    j["cv"] = opt.cv;
    j["seed"] = seed;
    j["ranked_by"] = rep.metric_names.front();
    auto& methods = j["methods"] = nlohmann::json::array();
    for (const auto& r : ranked) {
      nlohmann::json m{{"name", r.name}, {"description", r.description}};
      for (std::size_t k = 0; k < rep.metric_names.size(); ++k) {
        m["metrics"][rep.metric_names[k]] = {{"mean", r.scores[k].mean}, {"std", r.scores[k].std}};
      }
      m["threshold"] = r.threshold ? nlohmann::json(*r.threshold) : nlohmann::json(nullptr);
      methods.push_back(m);
    }
    j["recommendation"] = rep.recommendation;
    j["warnings"] = warnings;
    j["report"] = opt.report.empty() ? nlohmann::json(nullptr) : nlohmann::json(opt.report);
    j["seconds"] = seconds;
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  if (!quiet) {
    for (const auto& w : warnings) std::fprintf(stderr, "imbal: warning: %s\n", w.c_str());
  }
  std::printf("%s: %zu rows, %zu features, %zu classes; %zu-fold stratified CV, seed %llu\n\n",
              opt.data.path.c_str(), data.rows(), data.cols(), data.n_classes(), opt.cv,
              static_cast<unsigned long long>(seed));
  // Columns as wide as their header or widest value.
  std::size_t name_width = 6;
  for (const auto& r : ranked) name_width = std::max(name_width, r.name.size());
  std::vector<std::size_t> widths;
  for (std::size_t k = 0; k < rep.metric_names.size(); ++k) {
    std::size_t w = rep.metric_names[k].size();
    for (const auto& r : ranked) {
      const std::string cell = report::format_score(r.scores[k], 3);
      w = std::max(w, cell.size() - (cell.find("±") != std::string::npos ? 1 : 0));
    }
    widths.push_back(w);
  }
  std::printf("%2s  %-*s", "#", static_cast<int>(name_width), "method");
  for (std::size_t k = 0; k < rep.metric_names.size(); ++k) {
    std::printf("  %*s", static_cast<int>(widths[k]), rep.metric_names[k].c_str());
  }
  if (binary) std::printf("  %9s", "threshold");
  std::printf("\n");
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    const auto& r = ranked[i];
    std::printf("%2zu  %-*s", i + 1, static_cast<int>(name_width), r.name.c_str());
    for (std::size_t k = 0; k < r.scores.size(); ++k) {
      // "±" is one column but two bytes: pad by display width.
      const std::string cell = report::format_score(r.scores[k], 3);
      const std::size_t shown = cell.size() - (cell.find("±") != std::string::npos ? 1 : 0);
      std::printf("  %s%s", std::string(widths[k] > shown ? widths[k] - shown : 0, ' ').c_str(), cell.c_str());
    }
    if (binary) std::printf("  %9s", r.threshold ? fixed(*r.threshold, 3).c_str() : "-");
    std::printf("\n");
  }
  std::printf("\n%s\n", rep.recommendation.c_str());
  if (!opt.report.empty()) std::printf("\nreport: %s\n", opt.report.c_str());
}

void add_compare_options(CLI::App& cmd, CompareOptions& opt) {
  cmd.add_option("--methods", opt.methods,
                 "Comma-separated resampling entries fitted with --base-model: baseline, class-weights, or any "
                 "method or chain (default: baseline, class-weights, random-over, random-under, smote, "
                 "borderline-smote, adasyn, smote-enn, smote-tomek)");
  cmd.add_option("--models", opt.models,
                 "Comma-separated model entries: any model, gradient-boosting-weighted, gradient-boosting-focal, or "
                 "none (default: balanced-random-forest, easy-ensemble, rus-boost, gradient-boosting-weighted, "
                 "gradient-boosting-focal)");
  cmd.add_option("--base-model", opt.base_model, "Model fitted after each resampling entry")->capture_default_str();
  cmd.add_option("--cv", opt.cv, "Number of stratified folds")->capture_default_str();
  cmd.add_flag("--json", opt.json, "Print the results as JSON");
}

void register_compare(CLI::App& app) {
  auto opt = std::make_shared<CompareOptions>();
  auto* cmd = app.add_subcommand(
      "compare", "Compare imbalance methods with leak-free stratified CV: ranked table, recommendation, HTML report");
  add_data_options(*cmd, opt->data);
  add_compare_options(*cmd, *opt);
  cmd->add_option("--seed", opt->seed, "Seed of the folds, samplers and models (default: random)");
  cmd->add_option("--report", opt->report, "Write the HTML report to this file");
  cmd->callback([opt] { run_compare(*opt, nullptr); });
}

}  // namespace imbal::cli
