// The metric registry: name -> schema + evaluation, built from src/metrics/registry.def. The
// CLI (`imbal list`, `imbal metrics`) and, later, evaluation and Python iterate it.
#include <array>
#include <cmath>

#include "imbal/focal_loss.hpp"
#include "metrics/metrics_internal.hpp"

namespace imbal::metrics {

namespace {

ParamSpec choice(std::string name, std::string def, std::vector<std::string> choices, std::string doc) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = ParamType::Choice;
  p.default_value = std::move(def);
  p.doc = std::move(doc);
  p.choices = std::move(choices);
  return p;
}
ParamSpec real(std::string name, double def, std::string doc, std::optional<double> min = std::nullopt,
               std::optional<double> max = std::nullopt, bool min_exclusive = false) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = ParamType::Float;
  p.default_value = def;
  p.doc = std::move(doc);
  p.min = min;
  p.max = max;
  p.min_exclusive = min_exclusive;
  return p;
}
ParamSpec flag(std::string name, bool def, std::string doc) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = ParamType::Bool;
  p.default_value = def;
  p.doc = std::move(doc);
  return p;
}
ParamSpec average_param(std::string def = "binary", bool multiclass = false) {
  std::vector<std::string> c = {"binary", "micro", "macro", "weighted"};
  if (multiclass) c.push_back("multiclass");
  return choice("average", std::move(def), std::move(c), "How per-class values are combined");
}
ParamSpec zero_division_param() {
  return choice("zero_division", "warn", {"warn", "0", "1"}, "Value when a ratio is 0/0 ('warn': 0 and a warning)");
}

MethodSchema schema(std::string name, std::string function, std::string module, std::string family,
                    std::string summary, std::vector<ParamSpec> params) {
  MethodSchema s;
  s.name = std::move(name);
  s.python_class = std::move(function);
  s.python_module = std::move(module);
  s.family = std::move(family);
  s.summary = std::move(summary);
  s.params = std::move(params);
  return s;
}

LabelOptions label_options(const MetricData& d, const Params& p) {
  LabelOptions o;
  o.pos_label = d.pos_label;
  o.sample_weight = d.sample_weight;
  o.warnings = d.warnings;
  if (p.schema()->find("average")) o.average = parse_average(p.get_string("average"));
  if (p.schema()->find("zero_division")) o.zero_division = parse_zero_division(p.get_string("zero_division"));
  return o;
}

#define SCHEMA(id, ...)                                   \
  const MethodSchema& id##_schema() {                     \
    static const MethodSchema s = schema(__VA_ARGS__);    \
    return s;                                             \
  }

SCHEMA(accuracy, "accuracy", "accuracy_score", "sklearn.metrics", "labels", "Share of correct predictions", {})
double accuracy_compute(const MetricData& d, const Params&) {
  return accuracy_score(d.y_true, d.y_pred, true, d.sample_weight);
}
SCHEMA(balanced_accuracy, "balanced-accuracy", "balanced_accuracy_score", "sklearn.metrics", "labels",
       "Mean per-class recall", {flag("adjusted", false, "Rescale so that chance scores 0")})
double balanced_accuracy_compute(const MetricData& d, const Params& p) {
  return balanced_accuracy_score(d.y_true, d.y_pred, d.sample_weight, p.get_bool("adjusted"), d.warnings);
}
SCHEMA(precision, "precision", "precision_score", "sklearn.metrics", "labels", "tp / (tp + fp)",
       {average_param(), zero_division_param()})
double precision_compute(const MetricData& d, const Params& p) {
  return precision_score(d.y_true, d.y_pred, label_options(d, p));
}
SCHEMA(recall, "recall", "recall_score", "sklearn.metrics", "labels", "tp / (tp + fn)",
       {average_param(), zero_division_param()})
double recall_compute(const MetricData& d, const Params& p) {
  return recall_score(d.y_true, d.y_pred, label_options(d, p));
}
SCHEMA(f1, "f1", "f1_score", "sklearn.metrics", "labels", "Harmonic mean of precision and recall",
       {average_param(), zero_division_param()})
double f1_compute(const MetricData& d, const Params& p) { return f1_score(d.y_true, d.y_pred, label_options(d, p)); }
SCHEMA(fbeta, "fbeta", "fbeta_score", "sklearn.metrics", "labels",
       "Weighted harmonic mean of precision and recall (recall beta times as important)",
       {real("beta", 1.0, "Weight of recall", 0.0), average_param(), zero_division_param()})
double fbeta_compute(const MetricData& d, const Params& p) {
  return fbeta_score(d.y_true, d.y_pred, p.get_double("beta"), label_options(d, p));
}
SCHEMA(sensitivity, "sensitivity", "sensitivity_score", "imblearn.metrics", "labels",
       "True positive rate tp / (tp + fn)", {average_param()})
double sensitivity_compute(const MetricData& d, const Params& p) {
  return sensitivity_score(d.y_true, d.y_pred, label_options(d, p));
}
SCHEMA(specificity, "specificity", "specificity_score", "imblearn.metrics", "labels",
       "True negative rate tn / (tn + fp)", {average_param()})
double specificity_compute(const MetricData& d, const Params& p) {
  return specificity_score(d.y_true, d.y_pred, label_options(d, p));
}
SCHEMA(geometric_mean, "geometric-mean", "geometric_mean_score", "imblearn.metrics", "labels",
       "Geometric mean of the per-class recalls (binary: sqrt(sensitivity * specificity))",
       {average_param("multiclass", true), real("correction", 0.0, "Replaces a zero recall (multiclass average)", 0.0)})
double geometric_mean_compute(const MetricData& d, const Params& p) {
  return geometric_mean_score(d.y_true, d.y_pred, label_options(d, p), p.get_double("correction"));
}
SCHEMA(iba, "iba", "make_index_balanced_accuracy(geometric_mean_score)", "imblearn.metrics", "labels",
       "Index balanced accuracy of the geometric mean: (1 + alpha (sens - spec)) * gmean^2",
       {real("alpha", 0.1, "Weight of the dominance sensitivity - specificity"),
        flag("squared", true, "Square the geometric mean"), average_param("multiclass", true),
        real("correction", 0.0, "Replaces a zero recall (multiclass average)", 0.0)})
double iba_compute(const MetricData& d, const Params& p) {
  const auto v = iba_geometric_mean_scores(d.y_true, d.y_pred, label_options(d, p), p.get_double("alpha"),
                                           p.get_bool("squared"), p.get_double("correction"));
  return v.at(0);
}
SCHEMA(mcc, "mcc", "matthews_corrcoef", "sklearn.metrics", "labels", "Matthews correlation coefficient", {})
double mcc_compute(const MetricData& d, const Params&) {
  return matthews_corrcoef(d.y_true, d.y_pred, d.sample_weight);
}
SCHEMA(cohen_kappa, "cohen-kappa", "cohen_kappa_score", "sklearn.metrics", "labels",
       "Agreement beyond chance between y_true and y_pred",
       {choice("weights", "none", {"none", "linear", "quadratic"}, "Disagreement weights")})
double cohen_kappa_compute(const MetricData& d, const Params& p) {
  return cohen_kappa_score(d.y_true, d.y_pred, {}, parse_kappa_weights(p.get_string("weights")), d.sample_weight);
}
SCHEMA(lr_plus, "lr-plus", "class_likelihood_ratios[0]", "sklearn.metrics", "labels",
       "Positive likelihood ratio sensitivity / (1 - specificity) (binary)", {})
double lr_plus_compute(const MetricData& d, const Params&) {
  return class_likelihood_ratios(d.y_true, d.y_pred, {}, d.sample_weight, d.warnings).positive;
}
SCHEMA(lr_minus, "lr-minus", "class_likelihood_ratios[1]", "sklearn.metrics", "labels",
       "Negative likelihood ratio (1 - sensitivity) / specificity (binary)", {})
double lr_minus_compute(const MetricData& d, const Params&) {
  return class_likelihood_ratios(d.y_true, d.y_pred, {}, d.sample_weight, d.warnings).negative;
}
SCHEMA(roc_auc, "roc-auc", "roc_auc_score", "sklearn.metrics", "scores", "Area under the ROC curve",
       {choice("average", "macro", {"micro", "macro", "weighted"}, "How per-class AUCs are combined (multi-class)"),
        choice("multi_class", "ovr", {"ovr", "ovo"}, "One-vs-rest or one-vs-one (multi-class)"),
        [] {
          auto p = real("max_fpr", 1.0, "Partial AUC up to this false positive rate, McClish-corrected (binary)", 0.0,
                        1.0, true);
          p.nullable = true;
          p.default_value = std::monostate{};
          return p;
        }()})
double roc_auc_compute(const MetricData& d, const Params& p) {
  RocAucOptions o;
  o.average = parse_average(p.get_string("average"));
  o.multi_class = parse_multi_class(p.get_string("multi_class"));
  if (!p.is_none("max_fpr")) o.max_fpr = p.get_double("max_fpr");
  o.sample_weight = d.sample_weight;
  return roc_auc_score(d.y_true, d.scores, d.n_columns, o);
}
SCHEMA(average_precision, "average-precision", "average_precision_score", "sklearn.metrics", "scores",
       "Step-wise area under the precision-recall curve",
       {choice("average", "macro", {"micro", "macro", "weighted"}, "How per-class values are combined (multi-class)")})
double average_precision_compute(const MetricData& d, const Params& p) {
  return average_precision_score(d.y_true, d.scores, d.n_columns, d.pos_label, parse_average(p.get_string("average")),
                                 d.sample_weight, d.warnings);
}
SCHEMA(brier, "brier", "brier_score_loss", "sklearn.metrics", "scores",
       "Mean squared error of the positive-class probability (binary)", {})
double brier_compute(const MetricData& d, const Params&) {
  if (d.n_columns != 1) throw InvalidArgument("brier: needs one column of positive-class probabilities");
  return brier_score_loss(d.y_true, d.scores, d.pos_label, d.sample_weight);
}
SCHEMA(log_loss, "log-loss", "log_loss", "sklearn.metrics", "scores", "Cross-entropy of the predicted probabilities",
       {[] {
         auto p = real("eps", 0.0, "Clipping of probabilities to [eps, 1 - eps]; none: machine epsilon ('auto')", 0.0,
                       0.5, true);
         p.nullable = true;
         p.default_value = std::monostate{};
         return p;
       }()})
double log_loss_compute(const MetricData& d, const Params& p) {
  std::optional<double> eps;
  if (!p.is_none("eps")) eps = p.get_double("eps");
  return log_loss(d.y_true, d.scores, d.n_columns, eps, true, d.sample_weight);
}
SCHEMA(focal_loss, "focal-loss", "focal_loss", "imbal.metrics", "scores",
       "Focal loss of the positive-class probability, mean of -alpha_t (1 - p_t)^gamma log(p_t) (binary; "
       "Lin et al. 2017)",
       {real("gamma", 2.0, "Focusing parameter: down-weights well-classified rows (0: weighted log loss)", 0.0),
        real("alpha", 0.25, "Weight of the positive class (1 - alpha for the negative class)", 0.0, 1.0)})
double focal_loss_compute(const MetricData& d, const Params& p) {
  // The positive class is pos_label (as for brier); one column of its probabilities, or two
  // columns (one per class) of which the pos_label one is read.
  const std::size_t n = d.y_true.size();
  std::vector<double> col;
  std::span<const double> prob = d.scores;
  if (d.n_columns == 2 && (d.pos_label == 0 || d.pos_label == 1)) {
    if (d.scores.size() != n * 2) throw InvalidArgument("focal-loss: expected 2 probability columns per row");
    col.resize(n);
    for (std::size_t i = 0; i < n; ++i) col[i] = d.scores[i * 2 + static_cast<std::size_t>(d.pos_label)];
    prob = col;
  } else if (d.n_columns != 1) {
    throw InvalidArgument("focal-loss: needs one column of positive-class probabilities (binary problems), got " +
                          std::to_string(d.n_columns) + " columns");
  }
  if (d.n_classes > 2)
    throw InvalidArgument("focal-loss: binary problems only, there are " + std::to_string(d.n_classes) + " classes");
  std::vector<std::int32_t> y(n);
  for (std::size_t i = 0; i < n; ++i) y[i] = d.y_true[i] == d.pos_label ? 1 : 0;
  return focal_loss(y, prob, p.get_double("gamma"), p.get_double("alpha"), d.sample_weight);
}
#undef SCHEMA

bool greater_is_better(std::string_view name) {
  return name != "brier" && name != "log-loss" && name != "focal-loss";
}

const std::array kMetrics = {
#define IMBAL_METRIC(id)                                                                                  \
  MetricEntry{&id##_schema, id##_schema().family == "scores" ? MetricInput::Scores : MetricInput::Labels, \
              greater_is_better(id##_schema().name), &id##_compute},
#include "metrics/registry.def"
#undef IMBAL_METRIC
};

}  // namespace

std::span<const MetricEntry> registered_metrics() { return kMetrics; }

const MetricEntry& find_metric(std::string_view name) {
  for (const auto& e : kMetrics)
    if (e.schema().name == name) return e;
  std::string known;
  for (const auto& e : kMetrics) known += (known.empty() ? "" : ", ") + e.schema().name;
  throw InvalidArgument("unknown metric '" + std::string(name) + "'; the metrics are: " + known);
}

double evaluate_metric(std::string_view name, const MetricData& data, const std::vector<std::string>& assignments) {
  const auto& entry = find_metric(name);
  Params params(entry.schema());
  for (const auto& a : assignments) {
    const auto [k, v] = split_assignment(a);
    params.set(k, v);
  }
  return entry.compute(data, params);
}

}  // namespace imbal::metrics
