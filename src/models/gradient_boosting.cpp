// gradient-boosting: gradient-boosted trees trained by XGBoost (Chen & Guestrin, "XGBoost: a
// scalable tree boosting system", KDD 2016) through its C API (Debian's libxgboost-dev 1.7).
// Every call to the XGBoost C API is in this file. Parameters are xgboost.XGBClassifier's.
// Binary problems use binary:logistic, more classes multi:softprob. An optional focal loss
// (Lin, Goyal, Girshick, He & Dollar, ICCV 2017) replaces the log loss through XGBoost's custom
// objective hook (XGBoosterBoostOneIter): we compute its gradient and Hessian
// (src/models/focal_gradient.hpp) from the margins of the trees so far.
// The booster's own JSON model is embedded in our model file; probabilities are computed here
// from XGBoost's margins (in double), so that they sum to 1 exactly as the contract asks.
#include <xgboost/c_api.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <sstream>

#include "imbal/error.hpp"
#include "imbal/model.hpp"
#include "models/focal_gradient.hpp"
#include "models/parallel.hpp"
#include "core/parsed_json.hpp"

namespace imbal {

namespace {

constexpr const char* kName = "gradient-boosting";
constexpr std::size_t kSmallProblem = 100000;  // feature values

/// Throws InvalidArgument with XGBoost's last error when a C API call failed.
void check(int status, const char* what) {
  if (status != 0) {
    throw InvalidArgument(std::string(kName) + ": XGBoost failed in " + what + ": " + XGBGetLastError());
  }
}

/// RAII handles.
struct DMatrix {
  DMatrixHandle h = nullptr;
  DMatrix() = default;
  DMatrix(const DMatrix&) = delete;
  DMatrix& operator=(const DMatrix&) = delete;
  ~DMatrix() {
    if (h != nullptr) XGDMatrixFree(h);
  }
};

struct Booster {
  BoosterHandle h = nullptr;
  Booster() = default;
  Booster(const Booster&) = delete;
  Booster& operator=(const Booster&) = delete;
  ~Booster() {
    if (h != nullptr) XGBoosterFree(h);
  }
};

/// The rows as XGBoost's float32 matrix; a finite double outside the float range is an error
/// (it would become infinite, which XGBoost does not accept either).
void make_dmatrix(MatrixView X, int n_jobs, DMatrix& out) {
  std::vector<float> data(X.rows * X.cols);
  const double fmax = static_cast<double>(std::numeric_limits<float>::max());
  for (std::size_t i = 0; i < X.rows; ++i) {
    const double* row = X.row(i);
    for (std::size_t j = 0; j < X.cols; ++j) {
      if (std::abs(row[j]) > fmax) {
        throw InvalidArgument(std::string(kName) + ": feature " + std::to_string(j) + " of row " + std::to_string(i) +
                              " is " + std::to_string(row[j]) +
                              ", beyond XGBoost's float32 range (|x| <= 3.4e38); rescale the feature");
      }
      data[i * X.cols + j] = static_cast<float>(row[j]);
    }
  }
  check(XGDMatrixCreateFromMat_omp(data.data(), X.rows, X.cols, std::numeric_limits<float>::quiet_NaN(), &out.h,
                                   n_jobs),
        "XGDMatrixCreateFromMat");
}

void set_param(BoosterHandle h, const char* name, const std::string& value) {
  check(XGBoosterSetParam(h, name, value.c_str()), name);
}

std::string number(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

/// Margins of every row: n x outputs (outputs = 1 for binary, K otherwise).
std::vector<double> margins(BoosterHandle h, DMatrixHandle dm, std::size_t rows, std::size_t outputs, bool training) {
  const std::string config = std::string(R"({"type": 1, "training": )") + (training ? "true" : "false") +
                             R"(, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false})";
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  check(XGBoosterPredictFromDMatrix(h, dm, config.c_str(), &shape, &dim, &result), "XGBoosterPredictFromDMatrix");
  bst_ulong total = 1;
  for (bst_ulong d = 0; d < dim; ++d) total *= shape[d];
  if (total != rows * outputs) {
    throw InvalidArgument(std::string(kName) + ": XGBoost returned " + std::to_string(total) + " margins, expected " +
                          std::to_string(rows * outputs));
  }
  return std::vector<double>(result, result + total);
}

class GradientBoosting final : public Model {
 public:
  using Model::Model;

 protected:
  void fit_hook(const ModelFitInput& input) override {
    const auto& p = params();
    const std::size_t K = input.n_classes;
    const std::size_t n = input.X.rows;
    const double gamma = p.get_double("focal_gamma");
    const bool has_alpha = !p.is_none("focal_alpha");
    const double alpha = has_alpha ? p.get_double("focal_alpha") : 0.0;
    const bool focal = gamma > 0.0 || has_alpha;
    const double spw = p.get_double("scale_pos_weight");
    if (K != 2 && spw != 1.0) {
      throw InvalidArgument("parameter 'scale_pos_weight' of gradient-boosting applies to binary problems only (this one has " +
                            std::to_string(K) + " classes); weigh classes with class_weight instead");
    }
    if (K != 2 && has_alpha) {
      throw InvalidArgument("parameter 'focal_alpha' of gradient-boosting applies to binary problems only (this one has " +
                            std::to_string(K) + " classes); weigh classes with class_weight instead");
    }

    // XGBoost's OpenMP barriers cost more than they save on small problems (and much more on a
    // busy machine): one thread below ~100k feature values. The model does not depend on it.
    const int threads = n * input.X.cols < kSmallProblem ? 1 : input.n_jobs;
    DMatrix dtrain;
    make_dmatrix(input.X, threads, dtrain);
    std::vector<float> labels(n), weights(n);
    for (std::size_t i = 0; i < n; ++i) {
      labels[i] = static_cast<float>(input.y[i]);
      weights[i] = static_cast<float>(input.sample_weight[i]);
    }
    check(XGDMatrixSetFloatInfo(dtrain.h, "label", labels.data(), n), "XGDMatrixSetFloatInfo(label)");
    check(XGDMatrixSetFloatInfo(dtrain.h, "weight", weights.data(), n), "XGDMatrixSetFloatInfo(weight)");

    Booster booster;
    check(XGBoosterCreate(&dtrain.h, 1, &booster.h), "XGBoosterCreate");
    set_param(booster.h, "verbosity", "0");
    set_param(booster.h, "nthread", std::to_string(threads));
    // XGBoost's seed is a 32-bit integer parameter in practice: keep the low 31 bits.
    set_param(booster.h, "seed", std::to_string(input.seed & 0x7fffffffULL));
    set_param(booster.h, "booster", "gbtree");
    set_param(booster.h, "objective", K == 2 ? "binary:logistic" : "multi:softprob");
    if (K != 2) set_param(booster.h, "num_class", std::to_string(K));
    set_param(booster.h, "tree_method", p.get_string("tree_method"));
    set_param(booster.h, "max_depth", std::to_string(p.get_int("max_depth")));
    set_param(booster.h, "eta", number(p.get_double("learning_rate")));
    set_param(booster.h, "subsample", number(p.get_double("subsample")));
    set_param(booster.h, "colsample_bytree", number(p.get_double("colsample_bytree")));
    set_param(booster.h, "min_child_weight", number(p.get_double("min_child_weight")));
    set_param(booster.h, "lambda", number(p.get_double("reg_lambda")));
    set_param(booster.h, "alpha", number(p.get_double("reg_alpha")));
    set_param(booster.h, "gamma", number(p.get_double("gamma")));
    set_param(booster.h, "max_bin", std::to_string(p.get_int("max_bin")));
    set_param(booster.h, "base_score", "0.5");
    // With the focal loss XGBoost never sees the objective's gradients: we weigh them ourselves.
    if (!focal && spw != 1.0) set_param(booster.h, "scale_pos_weight", number(spw));

    const auto rounds = static_cast<int>(p.get_int("n_estimators"));
    const std::size_t outputs = K == 2 ? 1 : K;
    std::vector<float> grad, hess;
    if (focal) {
      grad.resize(n * outputs);
      hess.resize(n * outputs);
    }
    for (int it = 0; it < rounds; ++it) {
      if (!focal) {
        check(XGBoosterUpdateOneIter(booster.h, it, dtrain.h), "XGBoosterUpdateOneIter");
        continue;
      }
      const std::vector<double> z = margins(booster.h, dtrain.h, n, outputs, true);
      focal_gradients(z, input, K, gamma, has_alpha ? alpha : -1.0, spw, threads, grad, hess);
      check(XGBoosterBoostOneIter(booster.h, dtrain.h, grad.data(), hess.data(), grad.size()), "XGBoosterBoostOneIter");
    }
    bst_ulong len = 0;
    const char* buffer = nullptr;
    check(XGBoosterSaveModelToBuffer(booster.h, R"({"format": "json"})", &len, &buffer), "XGBoosterSaveModelToBuffer");
    booster_json_ = nlohmann::json::parse(buffer, buffer + len);
    booster_.reset();
    load_booster();
  }

  void proba_hook(MatrixView X, Matrix& out, int n_jobs) const override {
    const Matrix z = decision_hook(X, n_jobs);
    const std::size_t K = out.cols();
    for (std::size_t i = 0; i < X.rows; ++i) {
      double* prob = out.row(i);
      const double* zi = z.row(i);
      if (K == 2) {
        const double e = std::exp(-std::abs(zi[0]));
        prob[1] = zi[0] >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
        prob[0] = 1.0 - prob[1];
        continue;
      }
      double zmax = zi[0];
      for (std::size_t k = 1; k < K; ++k) zmax = std::max(zmax, zi[k]);
      double sum = 0.0;
      for (std::size_t k = 0; k < K; ++k) {
        prob[k] = std::exp(zi[k] - zmax);
        sum += prob[k];
      }
      for (std::size_t k = 0; k < K; ++k) prob[k] /= sum;
    }
  }

  /// XGBoost's margins (raw scores): n x 1 for binary problems, n x K otherwise.
  Matrix decision_hook(MatrixView X, int n_jobs) const override {
    const std::size_t outputs = n_classes() == 2 ? 1 : n_classes();
    Matrix out(X.rows, outputs);
    if (X.rows == 0) return out;
    const int threads = X.rows * X.cols < kSmallProblem ? 1 : n_jobs;
    DMatrix dm;
    make_dmatrix(X, threads, dm);
    // A booster handle is not safe for concurrent predictions: one prediction at a time.
    std::lock_guard<std::mutex> lock(predict_mutex_);
    set_param(booster_->h, "nthread", std::to_string(threads));
    const std::vector<double> z = margins(booster_->h, dm.h, X.rows, outputs, false);
    std::copy(z.begin(), z.end(), out.storage().begin());
    return out;
  }

  std::string state_json() const override { return nlohmann::json{{"booster", booster_json_}}.dump(); }

  void load_state(const detail::ParsedJson& state) override {
    const nlohmann::json& j = state.json;
    if (!j.contains("booster") || !j["booster"].is_object()) {
      throw InvalidArgument("gradient-boosting state: 'booster' (XGBoost's JSON model) is missing");
    }
    const auto& b = j["booster"];
    const auto* mp = b.contains("learner") && b["learner"].is_object() && b["learner"].contains("learner_model_param")
                         ? &b["learner"]["learner_model_param"]
                         : nullptr;
    if (mp == nullptr || !mp->is_object() || !mp->contains("num_feature") || !(*mp)["num_feature"].is_string() ||
        !mp->contains("num_class") || !(*mp)["num_class"].is_string()) {
      throw InvalidArgument("gradient-boosting state: the booster has no learner.learner_model_param "
                            "(num_feature, num_class): not an XGBoost JSON model");
    }
    const std::string nf = (*mp)["num_feature"].get<std::string>();
    if (nf != std::to_string(n_features())) {
      throw InvalidArgument("gradient-boosting state: the booster has " + nf + " features, the file's n_features is " +
                            std::to_string(n_features()));
    }
    const std::string nc = (*mp)["num_class"].get<std::string>();
    const std::string want = n_classes() == 2 ? "0" : std::to_string(n_classes());
    if (nc != want) {
      throw InvalidArgument("gradient-boosting state: the booster's num_class is " + nc + ", expected " + want +
                            " for the file's " + std::to_string(n_classes()) + " classes");
    }
    booster_json_ = b;
    load_booster();
  }

 private:
  void focal_gradients(const std::vector<double>& z, const ModelFitInput& input, std::size_t K, double gamma,
                       double alpha, double spw, int threads, std::vector<float>& grad, std::vector<float>& hess) const {
    const std::size_t n = input.X.rows;
    const std::size_t rows_per_block = detail::block_rows(n, 4096);
    const std::size_t n_blocks = (n + rows_per_block - 1) / rows_per_block;
    // XGBoost's floor for Hessians (kRtEps in its objectives): a leaf of rows whose focal-loss
    // curvature is negative still gets a finite Newton step, bounded by reg_lambda.
    constexpr double kMinHess = 1e-6;
    detail::parallel_blocks(n_blocks, n < 20000 ? 1 : threads, [&](std::size_t blk) {
      const std::size_t begin = blk * rows_per_block;
      const std::size_t end = std::min(n, begin + rows_per_block);
      std::vector<double> pk(K), g(K), h(K);
      for (std::size_t i = begin; i < end; ++i) {
        const double w = input.sample_weight[i];
        if (K == 2) {
          const bool positive = input.y[i] == 1;
          double a = w * (positive ? spw : 1.0);
          if (alpha >= 0.0) a *= positive ? alpha : 1.0 - alpha;
          double gi = 0.0, hi = 0.0;
          detail::focal_binary_grad_hess(z[i], positive, gamma, 1.0, gi, hi);
          grad[i] = static_cast<float>(a * gi);
          hess[i] = static_cast<float>(a * std::max(hi, kMinHess));
          continue;
        }
        detail::focal_softmax_grad_hess(z.data() + i * K, K, static_cast<std::size_t>(input.y[i]), gamma, 1.0,
                                        pk.data(), g.data(), h.data());
        for (std::size_t k = 0; k < K; ++k) {
          grad[i * K + k] = static_cast<float>(w * g[k]);
          hess[i * K + k] = static_cast<float>(w * std::max(h[k], kMinHess));
        }
      }
    });
  }

  void load_booster() {
    auto booster = std::make_shared<Booster>();
    check(XGBoosterCreate(nullptr, 0, &booster->h), "XGBoosterCreate");
    const std::string text = booster_json_.dump();
    if (XGBoosterLoadModelFromBuffer(booster->h, text.data(), text.size()) != 0) {
      throw InvalidArgument(std::string("gradient-boosting state: XGBoost cannot read the booster: ") + XGBGetLastError());
    }
    set_param(booster->h, "verbosity", "0");
    booster_ = std::move(booster);
  }

  nlohmann::json booster_json_;
  std::shared_ptr<Booster> booster_;
  mutable std::mutex predict_mutex_;
};

ParamSpec spec(std::string name, ParamType type, ParamValue default_value, std::string doc) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = type;
  p.default_value = std::move(default_value);
  p.doc = std::move(doc);
  return p;
}

}  // namespace

namespace detail {

const MethodSchema& gradient_boosting_schema() {
  static const MethodSchema schema = [] {
    MethodSchema s;
    s.name = kName;
    s.python_class = "XGBClassifier";
    s.python_module = "xgboost";
    s.family = "boosting";
    s.summary = "Gradient-boosted trees (XGBoost 1.7 through its C API), optional focal-loss objective";
    s.reference = "Chen & Guestrin, KDD 2016 (XGBoost); focal loss: Lin et al., ICCV 2017";
    ParamSpec n_estimators = spec("n_estimators", ParamType::Int, std::int64_t{100}, "Boosting rounds (trees per class)");
    n_estimators.min = 1;
    ParamSpec max_depth = spec("max_depth", ParamType::Int, std::int64_t{6}, "Deepest tree level");
    max_depth.min = 1;
    ParamSpec learning_rate = spec("learning_rate", ParamType::Float, 0.3, "Shrinkage of every tree (XGBoost's eta)");
    learning_rate.min = 0.0;
    learning_rate.min_exclusive = true;
    ParamSpec subsample = spec("subsample", ParamType::Float, 1.0, "Fraction of rows sampled for each tree");
    subsample.min = 0.0;
    subsample.min_exclusive = true;
    subsample.max = 1.0;
    ParamSpec colsample = spec("colsample_bytree", ParamType::Float, 1.0, "Fraction of features sampled for each tree");
    colsample.min = 0.0;
    colsample.min_exclusive = true;
    colsample.max = 1.0;
    ParamSpec mcw = spec("min_child_weight", ParamType::Float, 1.0, "Least Hessian sum in a leaf");
    mcw.min = 0.0;
    ParamSpec lambda = spec("reg_lambda", ParamType::Float, 1.0, "L2 penalty on leaf weights");
    lambda.min = 0.0;
    ParamSpec ralpha = spec("reg_alpha", ParamType::Float, 0.0, "L1 penalty on leaf weights");
    ralpha.min = 0.0;
    ParamSpec g = spec("gamma", ParamType::Float, 0.0, "Least loss reduction for a split (min_split_loss)");
    g.min = 0.0;
    ParamSpec tree_method = spec("tree_method", ParamType::Choice, std::string("hist"),
                                 "XGBoost's tree construction: hist (histograms), approx or exact");
    tree_method.choices = {"hist", "approx", "exact"};
    ParamSpec max_bin = spec("max_bin", ParamType::Int, std::int64_t{256}, "Histogram bins per feature (hist, approx)");
    max_bin.min = 2;
    ParamSpec spw = spec("scale_pos_weight", ParamType::Float, 1.0,
                         "Weight multiplier of the second class's rows (binary only)");
    spw.min = 0.0;
    spw.min_exclusive = true;
    ParamSpec class_weight = spec("class_weight", ParamType::ClassWeight, std::monostate{},
                                  "Class weights: none, balanced (n / (K * count)) or 'class:weight,...'");
    class_weight.nullable = true;
    class_weight.choices = {"balanced"};
    class_weight.min = 0.0;
    ParamSpec fg = spec("focal_gamma", ParamType::Float, 0.0,
                        "Focal loss focusing parameter gamma; 0 (with focal_alpha none) is XGBoost's log loss");
    fg.min = 0.0;
    ParamSpec fa = spec("focal_alpha", ParamType::Float, std::monostate{},
                        "Focal loss alpha: weight of class 1, 1 - alpha for class 0 (binary only); none: no weighting");
    fa.nullable = true;
    fa.min = 0.0;
    fa.max = 1.0;
    s.params = {n_estimators, max_depth, learning_rate, subsample, colsample, mcw, lambda, ralpha, g,
                tree_method, max_bin, spw, class_weight, fg, fa};
    return s;
  }();
  return schema;
}

std::unique_ptr<Model> gradient_boosting_create(Params params, ModelOptions options) {
  return std::make_unique<GradientBoosting>(gradient_boosting_schema(), std::move(params), options);
}

}  // namespace detail

}  // namespace imbal
