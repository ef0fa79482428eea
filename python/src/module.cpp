// imbal._core: the pybind11 layer under the Python package `imbal` (python/imbal). It exposes the
// three registries as plain data (schemas) plus one entry point per kind of work: resample, a
// model handle, metric evaluation and the stratified splitters. Everything imbalanced-learn-like
// (classes, signatures, label encoding, pandas) lives in Python and is generated from the schemas.
//
// Data: X arrives as a C-contiguous float64 array (the Python side converts anything else once);
// such an array is read in place, never copied. Results move out of their C++ containers into
// numpy arrays without a copy either.
//
// Threads and signals: every long call runs on a worker thread with the GIL released while the
// calling thread polls Python's signal handlers (PyErr_CheckSignals) every 50 ms. On Ctrl-C the
// poller requests cancellation (imbal/cancel.hpp), waits for the worker to unwind and re-raises
// KeyboardInterrupt.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "imbal/cancel.hpp"
#include "imbal/error.hpp"
#include "imbal/generators.hpp"
#include "imbal/metrics.hpp"
#include "imbal/model.hpp"
#include "imbal/model_registry.hpp"
#include "imbal/model_selection.hpp"
#include "imbal/registry.hpp"
#include "imbal/version.hpp"

namespace py = pybind11;

namespace {

using imbal::ParamSpec;
using imbal::ParamValue;

// ---- running compute interruptibly ---------------------------------------------------------

template <class F>
auto run_interruptible(F&& work) -> decltype(work()) {
  using R = decltype(work());
  imbal::clear_cancel();
  std::packaged_task<R()> task(std::forward<F>(work));
  std::future<R> done = task.get_future();
  bool interrupted = false;
  {
    py::gil_scoped_release release;
    std::thread worker(std::move(task));
    while (done.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
      py::gil_scoped_acquire acquire;
      if (PyErr_CheckSignals() != 0) {
        interrupted = true;
        imbal::request_cancel();
        py::gil_scoped_release again;
        done.wait();
        break;
      }
    }
    worker.join();
  }
  if (interrupted) {
    imbal::clear_cancel();
    // The worker may have finished anyway; the pending Python exception wins.
    throw py::error_already_set();
  }
  return done.get();
}

// ---- schemas as Python data ------------------------------------------------------------------

py::object to_python(const ParamValue& v) {
  return std::visit(
      [](const auto& x) -> py::object {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return py::none();
        } else if constexpr (std::is_same_v<T, std::map<std::string, double>>) {
          py::dict d;
          for (const auto& [k, val] : x) d[py::str(k)] = val;
          return d;
        } else {
          return py::cast(x);
        }
      },
      v);
}

py::dict schema_dict(const imbal::MethodSchema& s) {
  py::dict d;
  d["name"] = s.name;
  d["python_class"] = s.python_class;
  d["python_module"] = s.python_module;
  d["family"] = s.family;
  d["summary"] = s.summary;
  d["reference"] = s.reference;
  d["provides_sample_indices"] = s.provides_sample_indices;
  py::list params;
  for (const ParamSpec& p : s.params) {
    py::dict q;
    q["name"] = p.name;
    q["type"] = std::string(imbal::to_string(p.type));
    q["default"] = to_python(p.default_value);
    q["doc"] = p.doc;
    q["nullable"] = p.nullable;
    q["choices"] = p.choices;
    q["expects"] = p.expectation();
    params.append(q);
  }
  d["params"] = params;
  return d;
}

py::list sampler_schemas() {
  py::list out;
  for (const auto& e : imbal::samplers()) {
    py::dict d = schema_dict(e.schema());
    d["sampling_type"] = py::none();
    out.append(d);
  }
  return out;
}

py::list model_schemas() {
  py::list out;
  for (const auto& e : imbal::models()) out.append(schema_dict(e.schema()));
  return out;
}

py::list metric_schemas() {
  py::list out;
  for (const auto& e : imbal::metrics::registered_metrics()) {
    py::dict d = schema_dict(e.schema());
    d["input"] = e.input == imbal::metrics::MetricInput::Labels ? "labels" : "scores";
    d["greater_is_better"] = e.greater_is_better;
    out.append(d);
  }
  return out;
}

// ---- parameters: Python values in the CLI's spelling -------------------------------------------

std::string number_text(double v) {
  std::string s = py::str(py::float_(v));
  return s;
}

// The text the CLI would accept for a Python value (so validation and messages are the CLI's).
std::string value_text(const py::handle& v) {
  if (v.is_none()) return "none";
  if (py::isinstance<py::bool_>(v) || py::isinstance(v, py::module_::import("numpy").attr("bool_"))) {
    return v.cast<bool>() ? "true" : "false";
  }
  if (py::isinstance<py::int_>(v) || py::isinstance(v, py::module_::import("numpy").attr("integer"))) {
    return py::str(py::int_(py::reinterpret_borrow<py::object>(v)));
  }
  if (py::isinstance<py::float_>(v) || py::isinstance(v, py::module_::import("numpy").attr("floating"))) {
    return number_text(v.cast<double>());
  }
  if (py::isinstance<py::dict>(v)) {
    std::string out;
    for (const auto& [k, val] : v.cast<py::dict>()) {
      if (!out.empty()) out += ',';
      out += py::str(k).cast<std::string>() + ':' + value_text(val);
    }
    return out;
  }
  return py::str(v);
}


// ---- arrays --------------------------------------------------------------------------------

using F64 = py::array_t<double, py::array::c_style>;
using I32 = py::array_t<std::int32_t, py::array::c_style>;

imbal::MatrixView view_of(const F64& X) {
  if (X.ndim() != 2) throw imbal::InvalidArgument("X must be a 2-D array");
  return {X.data(), static_cast<std::size_t>(X.shape(0)), static_cast<std::size_t>(X.shape(1))};
}

std::span<const std::int32_t> span_of(const I32& y) {
  if (y.ndim() != 1) throw imbal::InvalidArgument("y must be a 1-D array");
  return {y.data(), static_cast<std::size_t>(y.shape(0))};
}

/// A Python object cast to a C-contiguous float64 array (held here, so the span stays valid);
/// None gives an empty span (sample weights left out).
struct Doubles {
  py::array_t<double, py::array::c_style | py::array::forcecast> array;
  std::span<const double> span;

  explicit Doubles(const py::object& o) {
    if (o.is_none()) return;
    array = o.cast<decltype(array)>();
    span = {array.data(), static_cast<std::size_t>(array.size())};
  }
};

template <class T>
py::array_t<T> to_numpy(std::vector<T>&& v) {
  auto* heap = new std::vector<T>(std::move(v));
  py::capsule owner(heap, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>({static_cast<py::ssize_t>(heap->size())}, {sizeof(T)}, heap->data(), owner);
}

py::array_t<double> to_numpy(imbal::Matrix&& m) {
  auto* heap = new imbal::Matrix(std::move(m));
  py::capsule owner(heap, [](void* p) { delete static_cast<imbal::Matrix*>(p); });
  const auto rows = static_cast<py::ssize_t>(heap->rows());
  const auto cols = static_cast<py::ssize_t>(heap->cols());
  return py::array_t<double>({rows, cols},
                             {static_cast<py::ssize_t>(sizeof(double)) * cols, static_cast<py::ssize_t>(sizeof(double))},
                             heap->data(), owner);
}

imbal::ClassLabels make_labels(const std::vector<std::string>& names, bool numeric) {
  imbal::ClassLabels labels;
  labels.names = names;
  labels.numeric = numeric;
  return labels;
}

// ---- sampling strategy ------------------------------------------------------------------------

imbal::SamplingStrategy make_strategy(const py::handle& s, const imbal::ClassLabels& labels) {
  using imbal::SamplingStrategy;
  if (py::isinstance<py::str>(s)) return SamplingStrategy::parse(s.cast<std::string>(), labels);
  if (py::isinstance<py::dict>(s)) {
    std::map<std::int32_t, std::int64_t> counts;
    for (const auto& [k, v] : s.cast<py::dict>()) {
      const std::int32_t code = labels.code_of(py::str(k).cast<std::string>());
      if (!(py::isinstance<py::int_>(v) || py::isinstance(v, py::module_::import("numpy").attr("integer")))) {
        throw py::type_error("sampling_strategy: the number of samples of class '" + py::str(k).cast<std::string>() +
                             "' must be an integer, got " + py::repr(v).cast<std::string>());
      }
      counts[code] = v.cast<std::int64_t>();
    }
    return SamplingStrategy::from_counts(std::move(counts));
  }
  if (py::isinstance<py::list>(s) || py::isinstance<py::tuple>(s)) {
    std::vector<std::int32_t> classes;
    for (const auto& k : s) classes.push_back(labels.code_of(py::str(k).cast<std::string>()));
    return SamplingStrategy::from_classes(std::move(classes));
  }
  if (py::isinstance<py::bool_>(s)) {
    throw py::type_error("sampling_strategy must be a float, a str, a dict or a list, got a bool");
  }
  if (py::isinstance<py::float_>(s) || py::isinstance<py::int_>(s) ||
      py::isinstance(s, py::module_::import("numpy").attr("number"))) {
    return SamplingStrategy::from_ratio(s.cast<double>());
  }
  throw py::type_error("sampling_strategy must be a float, a str, a dict, a list or a callable, got " +
                       py::str(py::type::of(s).attr("__name__")).cast<std::string>());
}

// ---- resample -------------------------------------------------------------------------------

struct ColumnInfo {
  std::string name;
  std::vector<std::string> levels;  // empty: numeric
  bool categorical = false;
};

py::dict resample(const std::string& method, const py::dict& params, const F64& X, const I32& y,
                  const std::vector<std::string>& class_names, bool numeric_labels,
                  const std::vector<bool>& categorical, const std::vector<std::string>& column_names,
                  const std::vector<std::vector<std::string>>& column_levels, const py::object& strategy,
                  const py::object& random_state, int n_jobs, bool reduce_k) {
  const imbal::MatrixView view = view_of(X);
  const auto codes = span_of(y);
  const imbal::ClassLabels labels = make_labels(class_names, numeric_labels);

  // Parameters go through the CLI's parser: the same validation, the same messages.
  std::vector<std::string> assignments;
  for (const auto& [k, v] : params) assignments.push_back(k.cast<std::string>() + "=" + value_text(v));
  imbal::SamplerOptions options;
  options.n_jobs = n_jobs;
  options.reduce_k = reduce_k;
  auto sampler = imbal::make_sampler(method, assignments, options);
  try {
    options.sampling_strategy = make_strategy(strategy, labels);
  } catch (const imbal::InvalidArgument& e) {
    throw imbal::InvalidArgument(std::string("sampling_strategy: ") + e.what());  // the CLI says --strategy
  }
  if (!random_state.is_none()) {
    const auto seed = random_state.cast<std::int64_t>();
    if (seed < 0) throw imbal::InvalidArgument("random_state must be >= 0 or None, got " + std::to_string(seed));
    options.random_state = static_cast<std::uint64_t>(seed);
  }
  sampler->set_options(options);

  std::vector<imbal::Column> columns;
  const bool have_columns = !column_names.empty();
  if (have_columns) {
    if (column_names.size() != view.cols || column_levels.size() != view.cols) {
      throw imbal::InvalidArgument("column metadata does not match the number of columns of X");
    }
    for (std::size_t j = 0; j < view.cols; ++j) {
      imbal::Column c;
      c.name = column_names[j];
      const bool cat = j < categorical.size() && categorical[j];
      c.kind = cat ? imbal::ColumnKind::Categorical : imbal::ColumnKind::Numeric;
      if (cat) c.levels = column_levels[j];
      columns.push_back(std::move(c));
    }
  }
  const std::size_t n_classes = labels.size();
  imbal::ResampleResult result = run_interruptible([&] {
    return sampler->fit_resample(view, codes, n_classes, categorical, &labels, have_columns ? &columns : nullptr);
  });

  py::dict out;
  out["x_address"] = reinterpret_cast<std::uintptr_t>(view.data);
  out["seed"] = sampler->last_seed();
  out["n_copied"] = result.n_copied;
  const std::size_t n_new = result.provenance.size();
  std::vector<std::int64_t> parent(n_new), neighbor(n_new);
  std::vector<double> step(n_new);
  for (std::size_t k = 0; k < n_new; ++k) {
    parent[k] = result.provenance[k].parent;
    neighbor[k] = result.provenance[k].neighbor;
    step[k] = result.provenance[k].step;
  }
  out["X"] = to_numpy(std::move(result.X));
  out["y"] = to_numpy(std::move(result.y));
  std::vector<std::int64_t> indices(result.indices.begin(), result.indices.end());
  out["indices"] = to_numpy(std::move(indices));
  out["parent"] = to_numpy(std::move(parent));
  out["neighbor"] = to_numpy(std::move(neighbor));
  out["step"] = to_numpy(std::move(step));
  if (result.sample_indices) {
    std::vector<std::int64_t> si(result.sample_indices->begin(), result.sample_indices->end());
    out["sample_indices"] = to_numpy(std::move(si));
  } else {
    out["sample_indices"] = py::none();
  }
  out["warnings"] = result.warnings;
  return out;
}

std::string sampling_type(const std::string& method) {
  auto sampler = imbal::make_sampler(method);
  return std::string(imbal::to_string(sampler->sampling_type()));
}

// ---- models ---------------------------------------------------------------------------------

class PyModel {
 public:
  PyModel(const std::string& name, const py::dict& params, const py::object& random_state, int n_jobs) {
    std::vector<std::string> assignments;
    for (const auto& [k, v] : params) assignments.push_back(k.cast<std::string>() + "=" + value_text(v));
    imbal::ModelOptions options;
    options.n_jobs = n_jobs;
    if (!random_state.is_none()) {
      const auto seed = random_state.cast<std::int64_t>();
      if (seed < 0) throw imbal::InvalidArgument("random_state must be >= 0 or None, got " + std::to_string(seed));
      options.random_state = static_cast<std::uint64_t>(seed);
    }
    model_ = imbal::make_model(name, assignments, options);
  }
  explicit PyModel(std::unique_ptr<imbal::Model> m) : model_(std::move(m)) {}

  void fit(const F64& X, const I32& y, const std::vector<std::string>& class_names, bool numeric,
           const py::object& sample_weight) {
    const auto view = view_of(X);
    const auto codes = span_of(y);
    labels_ = make_labels(class_names, numeric);
    std::vector<double> weights;
    if (!sample_weight.is_none()) {
      auto w = sample_weight.cast<py::array_t<double, py::array::c_style | py::array::forcecast>>();
      weights.assign(w.data(), w.data() + w.size());
    }
    run_interruptible([&] {
      model_->fit(view, codes, labels_.size(), weights, &labels_);
      return 0;
    });
  }
  py::array_t<double> predict_proba(const F64& X) const {
    const auto view = view_of(X);
    return to_numpy(run_interruptible([&] { return model_->predict_proba(view); }));
  }
  py::array_t<double> decision_function(const F64& X) const {
    const auto view = view_of(X);
    return to_numpy(run_interruptible([&] { return model_->decision_function(view); }));
  }
  py::array_t<std::int32_t> predict(const F64& X) const {
    const auto view = view_of(X);
    return to_numpy(run_interruptible([&] { return model_->predict(view); }));
  }
  std::vector<std::string> warnings() const { return model_->warnings(); }
  std::string save_json() const { return model_->save_json(); }
  static PyModel load_json(const std::string& text) { return PyModel(imbal::load_model_json(text, "pickle")); }
  std::size_t n_features() const { return model_->n_features(); }

 private:
  std::unique_ptr<imbal::Model> model_;
  imbal::ClassLabels labels_;
};

// ---- metrics --------------------------------------------------------------------------------

double metric(const std::string& name, const I32& y_true, const py::object& y_pred, const py::object& scores,
              std::size_t n_columns, std::size_t n_classes, std::int32_t pos_label, const py::object& sample_weight,
              const py::dict& params, py::list warnings_out) {
  imbal::metrics::MetricData data;
  data.y_true = span_of(y_true);
  I32 pred;
  py::array_t<double, py::array::c_style | py::array::forcecast> sc;
  py::array_t<double, py::array::c_style | py::array::forcecast> w;
  if (!y_pred.is_none()) {
    pred = y_pred.cast<I32>();
    data.y_pred = span_of(pred);
  }
  if (!scores.is_none()) {
    sc = scores.cast<decltype(sc)>();
    data.scores = {sc.data(), static_cast<std::size_t>(sc.size())};
  }
  if (!sample_weight.is_none()) {
    w = sample_weight.cast<decltype(w)>();
    data.sample_weight = {w.data(), static_cast<std::size_t>(w.size())};
  }
  data.n_columns = n_columns;
  data.n_classes = n_classes;
  data.pos_label = pos_label;
  imbal::metrics::Warnings warnings;
  data.warnings = &warnings;
  std::vector<std::string> assignments;
  for (const auto& [k, v] : params) assignments.push_back(k.cast<std::string>() + "=" + value_text(v));
  double value = 0;
  {
    py::gil_scoped_release release;
    value = imbal::metrics::evaluate_metric(name, data, assignments);
  }
  for (const auto& m : warnings) warnings_out.append(m);
  return value;
}

// ---- splitting ------------------------------------------------------------------------------

py::list splits_to_python(std::vector<imbal::model_selection::Split>&& splits) {
  py::list out;
  for (auto& s : splits) {
    std::vector<std::int64_t> tr(s.train.begin(), s.train.end()), te(s.test.begin(), s.test.end());
    out.append(py::make_tuple(to_numpy(std::move(tr)), to_numpy(std::move(te))));
  }
  return out;
}

std::optional<std::uint64_t> seed_of(const py::object& random_state) {
  if (random_state.is_none()) return std::nullopt;
  const auto seed = random_state.cast<std::int64_t>();
  if (seed < 0) throw imbal::InvalidArgument("random_state must be >= 0 or None, got " + std::to_string(seed));
  return static_cast<std::uint64_t>(seed);
}

imbal::model_selection::SplitSize size_of(const py::object& v) {
  using imbal::model_selection::SplitSize;
  if (v.is_none()) return {};
  if (py::isinstance<py::float_>(v) || py::isinstance(v, py::module_::import("numpy").attr("floating"))) {
    return SplitSize::fraction(v.cast<double>());
  }
  const auto n = v.cast<std::int64_t>();
  if (n < 0) throw imbal::InvalidArgument("a split size must be >= 0, got " + std::to_string(n));
  return SplitSize::count(static_cast<std::size_t>(n));
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "imbal's C++ engine (use the Python package `imbal`, not this module)";
  m.attr("__version__") = std::string(imbal::kVersion);
  py::register_exception<imbal::Cancelled>(m, "Cancelled", PyExc_KeyboardInterrupt);
  m.def("sampler_schemas", &sampler_schemas);
  m.def("model_schemas", &model_schemas);
  m.def("metric_schemas", &metric_schemas);
  m.def("sampling_type", &sampling_type);
  m.def("resample", &resample, py::arg("method"), py::arg("params"), py::arg("X").noconvert(), py::arg("y").noconvert(),
        py::arg("class_names"), py::arg("numeric_labels"), py::arg("categorical"), py::arg("column_names"),
        py::arg("column_levels"), py::arg("strategy"), py::arg("random_state"), py::arg("n_jobs"),
        py::arg("reduce_k") = false);
  py::class_<PyModel>(m, "Model")
      .def(py::init<const std::string&, const py::dict&, const py::object&, int>())
      .def("fit", &PyModel::fit, py::arg("X").noconvert(), py::arg("y").noconvert(), py::arg("class_names"),
           py::arg("numeric"), py::arg("sample_weight"))
      .def("predict_proba", &PyModel::predict_proba, py::arg("X").noconvert())
      .def("decision_function", &PyModel::decision_function, py::arg("X").noconvert())
      .def("predict", &PyModel::predict, py::arg("X").noconvert())
      .def("warnings", &PyModel::warnings)
      .def("save_json", &PyModel::save_json)
      .def_static("load_json", &PyModel::load_json)
      .def_property_readonly("n_features", &PyModel::n_features);
  m.def("metric", &metric);
  m.def("stratified_kfold", [](const I32& y, std::size_t n_splits, bool shuffle, const py::object& random_state) {
    imbal::model_selection::StratifiedKFold cv(n_splits, shuffle, seed_of(random_state));
    std::vector<std::string> warnings;
    auto splits = cv.split(span_of(y), &warnings);
    return py::make_tuple(splits_to_python(std::move(splits)), warnings);
  });
  m.def("stratified_shuffle_split", [](const I32& y, std::size_t n_splits, const py::object& test_size,
                                       const py::object& train_size, const py::object& random_state) {
    imbal::model_selection::StratifiedShuffleSplit cv(n_splits, size_of(test_size), size_of(train_size),
                                                      seed_of(random_state));
    return splits_to_python(cv.split(span_of(y)));
  });
  m.def("train_test_split", [](std::size_t n_samples, const py::object& test_size, const py::object& train_size,
                               const py::object& random_state, bool shuffle, const py::object& stratify) {
    I32 strat;
    std::span<const std::int32_t> s;
    if (!stratify.is_none()) {
      strat = stratify.cast<I32>();
      s = span_of(strat);
    }
    std::vector<imbal::model_selection::Split> v;
    v.push_back(imbal::model_selection::train_test_split(n_samples, size_of(test_size), size_of(train_size),
                                                         seed_of(random_state), shuffle, s));
    py::list l = splits_to_python(std::move(v));
    return py::object(l[0]);
  });
  m.def("confusion_matrix", [](const I32& y_true, const I32& y_pred, const I32& labels, const py::object& sample_weight,
                               const std::string& normalize) {
    const Doubles w(sample_weight);
    auto cm = imbal::metrics::confusion_matrix(span_of(y_true), span_of(y_pred), span_of(labels), w.span,
                                               imbal::metrics::parse_normalize(normalize));
    const std::size_t k = cm.labels.size();
    imbal::Matrix out(k, k);
    for (std::size_t i = 0; i < k; ++i)
      for (std::size_t j = 0; j < k; ++j) out(i, j) = cm.at(i, j);
    return py::make_tuple(to_numpy(std::move(out)), to_numpy(std::move(cm.labels)));
  });
  m.def("classification_report", [](const I32& y_true, const I32& y_pred, const I32& labels,
                                    const std::vector<std::string>& target_names, const py::object& sample_weight,
                                    const std::string& zero_division, int digits) {
    const Doubles w(sample_weight);
    imbal::metrics::Warnings warnings;
    const auto r = imbal::metrics::classification_report(span_of(y_true), span_of(y_pred), span_of(labels),
                                                         target_names, w.span,
                                                         imbal::metrics::parse_zero_division(zero_division),
                                                         &warnings);
    auto rows = [](const std::vector<imbal::metrics::ReportRow>& v) {
      py::list l;
      for (const auto& row : v) l.append(py::make_tuple(row.name, row.precision, row.recall, row.f1, row.support));
      return l;
    };
    return py::make_tuple(r.text(digits), rows(r.rows), rows(r.averages), warnings);
  });
  m.def("precision_recall_curve", [](const I32& y_true, const py::object& scores, std::int32_t pos_label,
                                     const py::object& sample_weight) {
    const Doubles sc(scores);
    const Doubles w(sample_weight);
    imbal::metrics::Warnings warnings;
    auto c = imbal::metrics::precision_recall_curve(span_of(y_true), sc.span, pos_label, w.span, &warnings);
    return py::make_tuple(to_numpy(std::move(c.precision)), to_numpy(std::move(c.recall)),
                          to_numpy(std::move(c.thresholds)), warnings);
  });
  m.def("roc_curve", [](const I32& y_true, const py::object& scores, std::int32_t pos_label,
                        const py::object& sample_weight, bool drop_intermediate) {
    const Doubles sc(scores);
    const Doubles w(sample_weight);
    imbal::metrics::Warnings warnings;
    auto c = imbal::metrics::roc_curve(span_of(y_true), sc.span, pos_label, w.span, drop_intermediate, &warnings);
    return py::make_tuple(to_numpy(std::move(c.fpr)), to_numpy(std::move(c.tpr)), to_numpy(std::move(c.thresholds)),
                          warnings);
  });
  m.def("make_classification",
        [](std::size_t n_samples, std::size_t n_features, std::size_t n_informative, std::size_t n_redundant,
           std::size_t n_repeated, std::size_t n_classes, std::size_t n_clusters_per_class,
           std::vector<double> weights, double flip_y, double class_sep, bool hypercube, std::optional<double> shift,
           std::optional<double> scale, bool shuffle, std::uint64_t seed) {
          imbal::MakeClassificationOptions o;
          o.n_samples = n_samples, o.n_features = n_features, o.n_informative = n_informative;
          o.n_redundant = n_redundant, o.n_repeated = n_repeated, o.n_classes = n_classes;
          o.n_clusters_per_class = n_clusters_per_class, o.weights = std::move(weights), o.flip_y = flip_y;
          o.class_sep = class_sep, o.hypercube = hypercube, o.shift = shift, o.scale = scale, o.shuffle = shuffle;
          o.seed = seed;
          const imbal::Dataset d = imbal::make_classification(o);
          const auto X = d.X();
          imbal::Matrix out(X.rows, X.cols);
          for (std::size_t i = 0; i < X.rows; ++i)
            for (std::size_t j = 0; j < X.cols; ++j) out(i, j) = X(i, j);
          std::vector<std::int64_t> y(d.y().begin(), d.y().end());
          return py::make_tuple(to_numpy(std::move(out)), to_numpy(std::move(y)));
        });
  m.def("repeated_stratified_kfold",
        [](const I32& y, std::size_t n_splits, std::size_t n_repeats, const py::object& random_state) {
          imbal::model_selection::RepeatedStratifiedKFold cv(n_splits, n_repeats, seed_of(random_state));
          return splits_to_python(cv.split(span_of(y)));
        });
}
