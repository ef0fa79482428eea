// imbal metrics: every metric of the library on a CSV of true labels, predicted labels and scores
// (columns y_true, y_pred, score or proba_<class>, sample_weight), printed as JSON or as the two
// classification reports. Also evaluates one registered metric (--metric NAME --param k=v). Used by
// the parity tests against scikit-learn / imbalanced-learn (docs/metrics.md).
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <set>

#include "common.hpp"
#include "imbal/error.hpp"
#include "imbal/metrics.hpp"

namespace imbal::cli {

namespace {

namespace m = imbal::metrics;
using nlohmann::json;

struct MetricsOptions {
  std::string path;
  std::string y_true = "y_true";
  std::string y_pred = "y_pred";
  std::string weight = "sample_weight";
  std::string pos_label;
  std::vector<std::string> labels;
  double beta = 2.0;
  std::string zero_division = "warn";
  double alpha = 0.1;
  double correction = 0.0;
  double max_fpr = 0.5;
  std::string eps = "auto";
  int digits = 2;
  bool report = false;
  std::string metric;
  std::vector<std::string> params;
};

// JSON has no NaN or infinity: they are written as the strings "nan", "inf", "-inf".
json number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return json(v);
}
json numbers(const std::vector<double>& v) {
  json a = json::array();
  for (double x : v) a.push_back(number(x));
  return a;
}

// Runs `f`, storing its JSON result (or {"error": message}) and any warnings under `key`.
void record(json& out, json& warnings_out, const std::string& key, const std::function<json(m::Warnings*)>& f) {
  m::Warnings w;
  try {
    out[key] = f(&w);
  } catch (const InvalidArgument& e) {
    out[key] = json{{"error", e.what()}};
  }
  if (!w.empty()) warnings_out[key] = w;
}

struct Inputs {
  std::vector<std::string> classes;
  std::vector<std::int32_t> y_true, y_pred;
  std::vector<double> score;   // binary score column (probability / score of the positive class)
  std::vector<double> score_greater;  // for roc-auc / log-loss: the score of the greater class (code 1)
  bool score_from_proba = false;      // score taken from the positive class's proba_<class> column
  std::vector<double> proba;   // n x K
  std::vector<double> weight;
  bool has_pred = false, has_score = false, has_proba = false;
};

Inputs load(const MetricsOptions& opt) {
  // Read the header to know which columns exist.
  std::FILE* f = std::fopen(opt.path.c_str(), "rb");
  if (!f) throw DataError(opt.path, 0, 0, "cannot open the file");
  std::string header;
  for (int c; (c = std::fgetc(f)) != EOF && c != '\n';) header += static_cast<char>(c);
  std::fclose(f);
  if (!header.empty() && header.back() == '\r') header.pop_back();
  std::vector<std::string> names;
  {
    std::string cell;
    for (char c : header) {
      if (c == ',') {
        names.push_back(cell);
        cell.clear();
      } else {
        cell += c;
      }
    }
    names.push_back(cell);
  }
  auto has = [&](const std::string& n) { return std::find(names.begin(), names.end(), n) != names.end(); };
  if (!has(opt.y_true)) throw DataError(opt.path, 1, 0, "no column named '" + opt.y_true + "' (the true labels)");
  CsvReadOptions read;
  read.target = opt.y_true;
  read.require_two_classes = false;
  Inputs in;
  in.has_pred = has(opt.y_pred);
  if (in.has_pred) read.categorical.push_back(opt.y_pred);
  const Dataset data = read_csv(opt.path, read);
  // The classes: every spelling in y_true, y_pred and the proba_<class> columns, sorted.
  std::vector<std::string> spellings(data.classes().names);
  std::size_t pred_col = 0, score_col = 0, weight_col = 0;
  std::vector<std::pair<std::string, std::size_t>> proba_cols;
  for (std::size_t j = 0; j < data.columns().size(); ++j) {
    const auto& c = data.columns()[j];
    if (c.name == opt.y_pred) {
      pred_col = j;
      spellings.insert(spellings.end(), c.levels.begin(), c.levels.end());
    } else if (c.name == "score") {
      score_col = j;
      in.has_score = true;
    } else if (c.name == opt.weight) {
      weight_col = j;
      in.weight.resize(data.rows());
    } else if (c.name.rfind("proba_", 0) == 0) {
      proba_cols.emplace_back(c.name.substr(6), j);
      spellings.push_back(c.name.substr(6));
    }
    if (c.categorical() && c.name != opt.y_pred)
      throw DataError(opt.path, 1, j + 1, "column '" + c.name + "' must be numeric");
  }
  // A --pos-label absent from the data is still a class (scikit-learn accepts an absent pos_label).
  if (!opt.pos_label.empty()) spellings.push_back(opt.pos_label);
  std::vector<std::int32_t> codes;
  const ClassLabels classes = ClassLabels::encode(spellings, codes);
  in.classes = classes.names;
  const std::size_t n = data.rows();
  const auto X = data.X();
  for (std::size_t i = 0; i < n; ++i) {
    in.y_true.push_back(classes.code_of(data.classes().names[static_cast<std::size_t>(data.y()[i])]));
    if (in.has_pred) {
      const auto level = static_cast<std::size_t>(X(i, pred_col));
      in.y_pred.push_back(classes.code_of(data.columns()[pred_col].levels[level]));
    }
    if (in.has_score) in.score.push_back(X(i, score_col));
    if (!in.weight.empty()) in.weight[i] = X(i, weight_col);
  }
  if (!proba_cols.empty()) {
    if (proba_cols.size() != classes.size())
      throw DataError(opt.path, 1, 0, "expected one proba_<class> column per class (" +
                                          std::to_string(classes.size()) + "), found " +
                                          std::to_string(proba_cols.size()));
    in.has_proba = true;
    in.proba.resize(n * classes.size());
    for (const auto& [name, col] : proba_cols) {
      const auto k = static_cast<std::size_t>(classes.code_of(name));
      for (std::size_t i = 0; i < n; ++i) in.proba[i * classes.size() + k] = X(i, col);
    }
  }
  return in;
}

std::int32_t code_of(const std::vector<std::string>& classes, const std::string& name, const char* option) {
  for (std::size_t i = 0; i < classes.size(); ++i)
    if (classes[i] == name) return static_cast<std::int32_t>(i);
  std::string known;
  for (const auto& c : classes) known += (known.empty() ? "" : ", ") + c;
  throw UsageError(std::string(option) + ": '" + name + "' is not a class; the classes are: " + known);
}

json label_metrics(const Inputs& in, const MetricsOptions& opt, std::int32_t pos, json& warnings) {
  json out;
  const m::Codes yt = in.y_true, yp = in.y_pred;
  const m::Weights w = in.weight;
  std::vector<std::int32_t> labels;
  for (const auto& l : opt.labels) labels.push_back(code_of(in.classes, l, "--labels"));
  const auto zd = m::parse_zero_division(opt.zero_division);
  auto names_of = [&](const std::vector<std::int32_t>& codes) {
    json a = json::array();
    for (auto c : codes) a.push_back(in.classes[static_cast<std::size_t>(c)]);
    return a;
  };
  out["present_labels"] = names_of(m::unique_labels(yt, yp));
  for (const char* avg_name : {"binary", "micro", "macro", "weighted", "none"}) {
    m::LabelOptions o;
    o.average = m::parse_average(avg_name);
    o.pos_label = pos;
    o.labels = labels;
    o.zero_division = zd;
    o.sample_weight = w;
    const std::string a = avg_name;
    auto put = [&](const std::string& metric, const std::function<std::vector<double>(m::LabelOptions&)>& f) {
      record(out[metric], warnings[metric], a, [&](m::Warnings* ws) {
        m::LabelOptions oo = o;
        oo.warnings = ws;
        return numbers(f(oo));
      });
    };
    put("precision", [&](m::LabelOptions& oo) { return m::precision_scores(yt, yp, oo); });
    put("recall", [&](m::LabelOptions& oo) { return m::recall_scores(yt, yp, oo); });
    put("f1", [&](m::LabelOptions& oo) { return m::fbeta_scores(yt, yp, 1.0, oo); });
    put("fbeta", [&](m::LabelOptions& oo) { return m::fbeta_scores(yt, yp, opt.beta, oo); });
    put("support", [&](m::LabelOptions& oo) {
      auto r = m::precision_recall_fscore_support(yt, yp, 1.0, oo);
      return r.support;
    });
    put("sensitivity", [&](m::LabelOptions& oo) { return m::sensitivity_scores(yt, yp, oo); });
    put("specificity", [&](m::LabelOptions& oo) { return m::specificity_scores(yt, yp, oo); });
    put("geometric_mean", [&](m::LabelOptions& oo) { return m::geometric_mean_scores(yt, yp, oo, opt.correction); });
    put("iba", [&](m::LabelOptions& oo) {
      return m::iba_geometric_mean_scores(yt, yp, oo, opt.alpha, true, opt.correction);
    });
    put("iba_unsquared", [&](m::LabelOptions& oo) {
      return m::iba_geometric_mean_scores(yt, yp, oo, opt.alpha, false, opt.correction);
    });
  }
  {
    m::LabelOptions o;
    o.average = m::Average::Multiclass;
    o.labels = labels;
    o.sample_weight = w;
    record(out["geometric_mean"], warnings["geometric_mean"], "multiclass", [&](m::Warnings* ws) {
      o.warnings = ws;
      return number(m::geometric_mean_score(yt, yp, o, opt.correction));
    });
    record(out["iba"], warnings["iba"], "multiclass", [&](m::Warnings* ws) {
      o.warnings = ws;
      return numbers(m::iba_geometric_mean_scores(yt, yp, o, opt.alpha, true, opt.correction));
    });
  }
  record(out, warnings, "accuracy", [&](m::Warnings*) { return number(m::accuracy_score(yt, yp, true, w)); });
  record(out, warnings, "accuracy_count", [&](m::Warnings*) { return number(m::accuracy_score(yt, yp, false, w)); });
  record(out, warnings, "balanced_accuracy",
         [&](m::Warnings* ws) { return number(m::balanced_accuracy_score(yt, yp, w, false, ws)); });
  record(out, warnings, "balanced_accuracy_adjusted",
         [&](m::Warnings* ws) { return number(m::balanced_accuracy_score(yt, yp, w, true, ws)); });
  record(out, warnings, "mcc", [&](m::Warnings*) { return number(m::matthews_corrcoef(yt, yp, w)); });
  for (const char* kw : {"none", "linear", "quadratic"})
    record(out["cohen_kappa"], warnings, kw, [&](m::Warnings*) {
      return number(m::cohen_kappa_score(yt, yp, labels, m::parse_kappa_weights(kw), w));
    });
  record(out, warnings, "class_likelihood_ratios", [&](m::Warnings* ws) {
    const auto r = m::class_likelihood_ratios(yt, yp, labels, w, ws);
    return json::array({number(r.positive), number(r.negative)});
  });
  for (const char* nm : {"none", "true", "pred", "all"})
    record(out["confusion_matrix"], warnings, nm, [&](m::Warnings*) {
      const auto cm = m::confusion_matrix(yt, yp, labels, w, m::parse_normalize(nm));
      json rows = json::array();
      for (std::size_t i = 0; i < cm.labels.size(); ++i) {
        json row = json::array();
        for (std::size_t j = 0; j < cm.labels.size(); ++j) row.push_back(cm.at(i, j));
        rows.push_back(row);
      }
      return rows;
    });
  std::vector<std::string> target_names;
  const auto report_labels = labels.empty() ? m::unique_labels(yt, yp) : labels;
  for (auto c : report_labels) target_names.push_back(in.classes[static_cast<std::size_t>(c)]);
  record(out, warnings, "classification_report", [&](m::Warnings* ws) {
    const auto r = m::classification_report(yt, yp, labels, target_names, w, zd, ws);
    json d;
    for (const auto& row : r.rows)
      d[row.name] = {{"precision", row.precision}, {"recall", row.recall}, {"f1-score", row.f1}, {"support", row.support}};
    for (const auto& row : r.averages) {
      if (row.name == "accuracy") d["accuracy"] = row.f1;
      else d[row.name] = {{"precision", row.precision}, {"recall", row.recall}, {"f1-score", row.f1}, {"support", row.support}};
    }
    return json{{"dict", d}, {"text", r.text(opt.digits)}};
  });
  record(out, warnings, "classification_report_imbalanced", [&](m::Warnings* ws) {
    const auto r = m::classification_report_imbalanced(yt, yp, labels, target_names, w, opt.alpha, zd, ws);
    json d;
    for (const auto& row : r.rows)
      d[row.name] = {{"pre", row.pre}, {"rec", row.rec}, {"spe", row.spe}, {"f1", row.f1},
                     {"geo", row.geo}, {"iba", row.iba}, {"sup", row.sup}};
    const auto& a = r.average;
    d["avg_pre"] = a.pre, d["avg_rec"] = a.rec, d["avg_spe"] = a.spe, d["avg_f1"] = a.f1;
    d["avg_geo"] = a.geo, d["avg_iba"] = a.iba, d["total_support"] = a.sup;
    return json{{"dict", d}, {"text", r.text(opt.digits)}};
  });
  return out;
}

json score_metrics(const Inputs& in, const MetricsOptions& opt, std::int32_t pos, json& warnings) {
  json out;
  const m::Codes yt = in.y_true;
  const m::Weights w = in.weight;
  std::optional<double> eps;
  if (opt.eps != "auto") eps = std::stod(opt.eps);
  if (in.has_score) {
    const std::span<const double> s = in.score;
    for (bool drop : {true, false})
      record(out, warnings, drop ? "roc_curve" : "roc_curve_all", [&](m::Warnings* ws) {
        const auto r = m::roc_curve(yt, s, pos, w, drop, ws);
        return json{{"fpr", numbers(r.fpr)}, {"tpr", numbers(r.tpr)}, {"thresholds", numbers(r.thresholds)}};
      });
    record(out, warnings, "precision_recall_curve", [&](m::Warnings* ws) {
      const auto r = m::precision_recall_curve(yt, s, pos, w, ws);
      return json{{"precision", numbers(r.precision)}, {"recall", numbers(r.recall)},
                  {"thresholds", numbers(r.thresholds)}};
    });
    // ROC AUC and the log loss take the score of the greater class (scikit-learn's binary convention).
    const std::span<const double> sg = in.score_from_proba ? std::span<const double>(in.score_greater) : s;
    m::RocAucOptions ro;
    ro.sample_weight = w;
    record(out, warnings, "roc_auc", [&](m::Warnings*) { return number(m::roc_auc_score(yt, sg, 1, ro)); });
    ro.max_fpr = opt.max_fpr;
    record(out, warnings, "roc_auc_max_fpr", [&](m::Warnings*) { return number(m::roc_auc_score(yt, sg, 1, ro)); });
    record(out, warnings, "average_precision", [&](m::Warnings* ws) {
      return number(m::average_precision_score(yt, s, 1, pos, m::Average::Macro, w, ws));
    });
    record(out, warnings, "brier", [&](m::Warnings*) { return number(m::brier_score_loss(yt, s, pos, w)); });
    record(out, warnings, "log_loss", [&](m::Warnings*) { return number(m::log_loss(yt, sg, 1, eps, true, w)); });
    record(out, warnings, "log_loss_sum", [&](m::Warnings*) { return number(m::log_loss(yt, sg, 1, eps, false, w)); });
  }
  if (in.has_proba) {
    const std::span<const double> p = in.proba;
    const std::size_t k = in.classes.size();
    for (const char* mc : {"ovr", "ovo"})
      for (const char* avg : {"macro", "weighted", "micro"}) {
        m::RocAucOptions ro;
        ro.multi_class = m::parse_multi_class(mc);
        ro.average = m::parse_average(avg);
        if (ro.multi_class == m::MultiClass::Ovr) ro.sample_weight = w;  // ovo takes no weights
        record(out["roc_auc_multiclass"], warnings, std::string(mc) + "_" + avg,
               [&](m::Warnings*) { return number(m::roc_auc_score(yt, p, k, ro)); });
      }
    for (const char* avg : {"macro", "weighted", "micro"})
      record(out["average_precision_multiclass"], warnings, avg, [&](m::Warnings* ws) {
        return number(m::average_precision_score(yt, p, k, pos, m::parse_average(avg), w, ws));
      });
    record(out, warnings, "log_loss_multiclass",
           [&](m::Warnings*) { return number(m::log_loss(yt, p, k, eps, true, w)); });
  }
  return out;
}

void run_metrics(const MetricsOptions& opt) {
  Inputs in = load(opt);
  std::int32_t pos = 0;
  if (!opt.pos_label.empty()) {
    pos = code_of(in.classes, opt.pos_label, "--pos-label");
  } else {
    // scikit-learn's default pos_label=1; else the greater class.
    pos = static_cast<std::int32_t>(in.classes.size()) - 1;
    for (std::size_t i = 0; i < in.classes.size(); ++i)
      if (in.classes[i] == "1") pos = static_cast<std::int32_t>(i);
  }
  // A binary problem with proba_<class> columns and no score column: the positive class's
  // probability is the score of the binary metrics (as `imbal predict` output is meant to be read);
  // the two-column (one-vs-rest) values stay in the *_multiclass entries of the JSON.
  if (in.has_proba && !in.has_score && in.classes.size() == 2) {
    const std::size_t n = in.y_true.size();
    in.score.resize(n);
    in.score_greater.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      in.score[i] = in.proba[i * 2 + static_cast<std::size_t>(pos)];
      in.score_greater[i] = in.proba[i * 2 + 1];
    }
    in.has_score = true;
    in.score_from_proba = true;
  }
  if (!opt.metric.empty()) {
    m::MetricData d;
    d.y_true = in.y_true;
    d.y_pred = in.y_pred;
    d.n_classes = in.classes.size();
    d.pos_label = pos;
    d.sample_weight = in.weight;
    m::Warnings ws;
    d.warnings = &ws;
    const auto& entry = m::find_metric(opt.metric);
    if (entry.input == m::MetricInput::Scores) {
      if (in.score_from_proba) {
        // roc-auc and log-loss read the greater class's score; the others the positive class's.
        const bool greater = opt.metric == "roc-auc" || opt.metric == "log-loss";
        d.scores = std::span<const double>(greater ? in.score_greater : in.score);
        d.n_columns = 1;
      } else {
        d.scores = in.has_proba ? std::span<const double>(in.proba) : std::span<const double>(in.score);
        d.n_columns = in.has_proba ? in.classes.size() : 1;
      }
      if (!in.has_proba && !in.has_score) throw UsageError("metric " + opt.metric + " needs a score or proba_<class> columns");
    } else if (!in.has_pred) {
      throw UsageError("metric " + opt.metric + " needs a y_pred column");
    }
    std::vector<std::string> params = opt.params;
    const double v = m::evaluate_metric(opt.metric, d, params);
    for (const auto& w : ws) std::fprintf(stderr, "imbal: warning: %s\n", w.c_str());
    std::printf("%s\n", json(number(v)).dump().c_str());
    return;
  }
  if (opt.report) {
    if (!in.has_pred) throw UsageError("--report needs a y_pred column");
    m::Warnings ws;
    std::vector<std::string> names = in.classes;
    std::vector<std::string> target_names;
    for (auto c : m::unique_labels(in.y_true, in.y_pred)) target_names.push_back(names[static_cast<std::size_t>(c)]);
    const auto zd = m::parse_zero_division(opt.zero_division);
    std::printf("%s\n", m::classification_report(in.y_true, in.y_pred, {}, target_names, in.weight, zd, &ws)
                            .text(opt.digits).c_str());
    std::printf("%s", m::classification_report_imbalanced(in.y_true, in.y_pred, {}, target_names, in.weight, opt.alpha,
                                                          zd, &ws).text(opt.digits).c_str());
    if (!global_options().quiet)
      for (const auto& w : ws) std::fprintf(stderr, "imbal: warning: %s\n", w.c_str());
    return;
  }
  json out;
  json warnings = json::object();
  out["classes"] = in.classes;
  out["pos_label"] = in.classes.empty() ? json(nullptr) : json(in.classes[static_cast<std::size_t>(pos)]);
  if (in.has_pred) out["labels"] = label_metrics(in, opt, pos, warnings);
  out["scores"] = score_metrics(in, opt, pos, warnings);
  out["warnings"] = warnings;
  std::printf("%s\n", out.dump(1).c_str());
}

}  // namespace

void register_metrics(CLI::App& app) {
  auto opt = std::make_shared<MetricsOptions>();
  auto* cmd = app.add_subcommand(
      "metrics",
      "Every metric on a CSV of y_true, y_pred, score or proba_<class>, sample_weight columns (JSON; docs/metrics.md). "
      "Binary with proba_<class> columns and no score: the --pos-label column is the score");
  cmd->add_option("FILE", opt->path, "CSV file")->required();
  cmd->add_option("--y-true", opt->y_true, "Column of true labels")->capture_default_str();
  cmd->add_option("--y-pred", opt->y_pred, "Column of predicted labels")->capture_default_str();
  cmd->add_option("--weight", opt->weight, "Column of sample weights (used when present)")->capture_default_str();
  cmd->add_option("--pos-label", opt->pos_label, "Positive class (default: the class '1', else the greater class)");
  cmd->add_option("--labels", opt->labels, "Labels to report, in order (scikit-learn's labels=)")->delimiter(',');
  cmd->add_option("--beta", opt->beta, "beta of the F-beta entries")->capture_default_str();
  cmd->add_option("--zero-division", opt->zero_division, "warn, 0 or 1")->capture_default_str();
  cmd->add_option("--alpha", opt->alpha, "alpha of the index balanced accuracy")->capture_default_str();
  cmd->add_option("--correction", opt->correction, "correction of the geometric mean")->capture_default_str();
  cmd->add_option("--max-fpr", opt->max_fpr, "max_fpr of the partial ROC AUC entry")->capture_default_str();
  cmd->add_option("--eps", opt->eps, "eps of the log loss (auto: machine epsilon)")->capture_default_str();
  cmd->add_option("--digits", opt->digits, "Digits in the text reports")->capture_default_str();
  cmd->add_flag("--report", opt->report, "Print classification_report and classification_report_imbalanced");
  cmd->add_option("--metric", opt->metric, "Evaluate only this registered metric (see imbal list)");
  cmd->add_option("--param", opt->params, "Parameter of --metric as name=value (repeatable)");
  cmd->callback([opt] { run_metrics(*opt); });
}

}  // namespace imbal::cli
