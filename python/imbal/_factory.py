"""Classes generated from the registry schemas at import time.

For every registered sampler and model this module builds a class with a real ``__init__``
(keyword-only parameters with imbalanced-learn's / scikit-learn's names and defaults, each stored
unchanged on ``self``), so ``get_params`` / ``set_params`` / ``sklearn.base.clone`` work by
introspection exactly as for hand-written estimators. The classes go into modules named by the
schemas' ``python_module`` (``imbal.over_sampling``, ``imbal.linear_model``, ...), created on the
fly when no file backs them.
"""
import os
import sys
import types
import warnings

import numpy as np

from . import _core, _schema
from ._data import Features, Labels

try:
    from sklearn.base import BaseEstimator, ClassifierMixin
except ImportError:  # pragma: no cover - scikit-learn is a dependency of the classifiers
    BaseEstimator = object
    ClassifierMixin = object


def _n_jobs(n_jobs):
    """scikit-learn's n_jobs: None and -1 use every core (the engine's results do not depend on
    the thread count), -2 all but one, k > 0 k threads."""
    if n_jobs is None:
        return 0
    if isinstance(n_jobs, (bool, np.bool_)) or not isinstance(n_jobs, (int, np.integer)):
        raise TypeError(f"n_jobs must be an integer or None, got {type(n_jobs).__name__}")
    n_jobs = int(n_jobs)
    if n_jobs == 0:
        raise ValueError("n_jobs == 0 has no meaning; use None or -1 for every core")
    if n_jobs < 0:
        return max(1, (os.cpu_count() or 1) + 1 + n_jobs)
    return n_jobs


def _seed(random_state):
    if random_state is None:
        return None
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(np.iinfo(np.int32).max))
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(np.iinfo(np.int32).max))
    if isinstance(random_state, (bool, np.bool_)) or not isinstance(random_state, (int, np.integer)):
        raise TypeError(f"random_state must be an int, a numpy RandomState or None, got {random_state!r}")
    return int(random_state)


_TYPE_CHECKS = {
    "int": ((int, np.integer), "an integer"),
    "float": ((int, float, np.integer, np.floating), "a number"),
    "bool": ((bool, np.bool_), "True or False"),
}


def _check_type(who, spec, value):
    """A TypeError for a value of the wrong Python type (the engine then checks the value)."""
    if value is None or spec["type"] not in _TYPE_CHECKS:
        return
    types_, words = _TYPE_CHECKS[spec["type"]]
    if isinstance(value, str) and value in spec["choices"]:
        return
    if spec["type"] != "bool" and isinstance(value, (bool, np.bool_)):
        ok = False
    else:
        ok = isinstance(value, types_)
    if not ok:
        raise TypeError(f"{who}: parameter '{spec['name']}' expects {spec['expects']} "
                        f"({words}), got {value!r} of type {type(value).__name__}")


def _make_init(signature, doc):
    args = ", ".join(f"{name}=_defaults[{i}]" for i, (name, _) in enumerate(signature))
    body = "\n".join(f"    self.{name} = {name}" for name, _ in signature) or "    pass"
    src = f"def __init__(self, *, {args}):\n{body}\n" if signature else f"def __init__(self):\n{body}\n"
    ns = {"_defaults": [d for _, d in signature]}
    exec(src, ns)  # noqa: S102 - the source is built from registry names only
    init = ns["__init__"]
    init.__doc__ = doc
    return init


# ---- samplers -----------------------------------------------------------------------------------

class BaseSampler(BaseEstimator):
    """What every generated sampler shares: imbalanced-learn's fit_resample on the C++ engine."""

    _schema = None
    _estimator_type = "sampler"

    def fit(self, X, y):
        """Checks the input and the parameters by resampling (as imbalanced-learn's fit)."""
        self.fit_resample(X, y)
        return self

    def _engine_params(self):
        schema = self._schema
        who = schema["python_class"]
        params = {}
        groups = {}
        for spec in schema["params"]:
            name = spec["name"]
            if "." in name:
                group, sub = name.split(".", 1)
                obj = getattr(self, group)
                if obj is None:
                    continue
                if not hasattr(obj, "get_params"):
                    raise TypeError(f"{who}: parameter '{group}' expects a sampler object or None, got {obj!r}")
                values = groups.setdefault(group, obj.get_params(deep=False))
                if sub in values:
                    value = values[sub]
                    if sub == "sampling_strategy" and not isinstance(value, str):
                        raise TypeError(f"{who}: the {group} step's sampling_strategy must be a string here, "
                                        f"got {value!r}")
                    params[name] = value
                continue
            value = getattr(self, name)
            if value is None and _schema.none_means_default(schema, name):
                continue  # the engine's default
            _check_type(who, spec, value)
            params[name] = value
        return params

    def fit_resample(self, X, y):
        """Resamples (X, y); returns (X_resampled, y_resampled) of the same kinds as X and y."""
        schema = self._schema
        who = schema["python_class"]
        name = schema["name"]
        params = self._engine_params()
        categorical = None
        for extra, _ in _schema.EXTRA_SAMPLER_PARAMS.get(name, []):
            if extra == "categorical_features":
                categorical = self.categorical_features
            elif getattr(self, extra) is not None:
                raise ValueError(f"{who}: {extra} must be None: imbal's {name} uses its own engine for this step "
                                 f"(docs/python.md lists the differences from imbalanced-learn)")
        # Categorical columns always reach the engine, which refuses them where a method cannot use them
        # (with the CLI's message naming smote-nc / smoten).
        features = Features(X, who, categorical)
        labels = Labels(y, who, n_rows=features.array.shape[0])
        strategy = self.sampling_strategy
        if callable(strategy):
            strategy = strategy(labels.classes[labels.codes])
        random_state = _seed(getattr(self, "random_state", None))
        out = _core.resample(name, params, features.array, labels.codes, labels.names, labels.numeric,
                             features.categorical, features.columns, features.levels, strategy, random_state,
                             _n_jobs(getattr(self, "n_jobs", None)))
        self._x_address = out["x_address"]  # the buffer the engine read (tests check no copy)
        for message in out["warnings"]:
            warnings.warn(f"{who}: {message}", UserWarning, stacklevel=2)
        n_copied = out["n_copied"]
        if out["sample_indices"] is not None:
            self.sample_indices_ = out["sample_indices"]
        if _is_generating(schema):
            self.provenance_ = Provenance(n_copied, out["parent"], out["neighbor"], out["step"])
        self.n_features_in_ = features.array.shape[1]
        if features.frame is not None:
            self.feature_names_in_ = np.asarray(features.frame.columns, dtype=object)
        return features.rebuild(out["X"]), labels.decode(out["y"])

    def _more_tags(self):
        return {"X_types": ["2darray", "dataframe"]}


class Provenance:
    """Where the new rows of an over-sampler came from: row ``first_new + k`` of the output is
    ``X[parent[k]] + step[k] * (X[neighbor[k]] - X[parent[k]])`` (neighbor -1: the method perturbed
    or built the row otherwise; parent -1: no single parent, e.g. a centroid). Indices are rows of
    the input."""

    def __init__(self, first_new, parent, neighbor, step):
        self.first_new = int(first_new)
        self.parent = parent
        self.neighbor = neighbor
        self.step = step

    def __len__(self):
        return len(self.parent)

    def __repr__(self):
        return f"Provenance({len(self)} new rows from row {self.first_new})"

    def to_frame(self):
        import pandas as pd
        return pd.DataFrame({"row": np.arange(self.first_new, self.first_new + len(self)), "parent": self.parent,
                             "neighbor": self.neighbor, "step": self.step})


def _is_generating(schema):
    return schema["family"] in ("over-sampling", "combined")


# ---- models -------------------------------------------------------------------------------------

class BaseClassifier(ClassifierMixin, BaseEstimator):
    """What every generated classifier shares: scikit-learn's classifier API on the C++ engine."""

    _schema = None

    def _engine_params(self):
        who = self._schema["python_class"]
        params = {}
        for spec in self._schema["params"]:
            value = getattr(self, spec["name"])
            if value is None and _schema.none_means_default(self._schema, spec["name"]):
                continue  # the engine's default
            _check_type(who, spec, value)
            params[spec["name"]] = value
        return params

    def fit(self, X, y, sample_weight=None):
        from sklearn.utils.multiclass import check_classification_targets
        from sklearn.utils.validation import _check_sample_weight
        X, y = self._validate_data(X, y, dtype=np.float64, order="C", y_numeric=False)
        check_classification_targets(y)
        labels = Labels(y, self._schema["python_class"], n_rows=X.shape[0])
        if len(labels.classes) < 2:
            raise ValueError(f"{self._schema['python_class']}: needs samples of at least 2 classes in the data, "
                             f"but the data contains only one class: {labels.classes[0]!r}")
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float64)
            weighted = np.unique(labels.codes[sample_weight > 0])
            if len(weighted) < 2:
                # Deterministic, whatever the model (a balanced forest would otherwise fail only when a
                # tree happens to draw zero-weight rows alone).
                raise ValueError(f"{self._schema['python_class']}: needs samples of at least 2 classes with a "
                                 f"positive sample_weight, got {len(weighted)} class(es)")
        model = _core.Model(self._schema["name"], self._engine_params(), _seed(getattr(self, "random_state", None)),
                            _n_jobs(getattr(self, "n_jobs", None)))
        model.fit(X, labels.codes, labels.names, labels.numeric, sample_weight)
        for message in model.warnings():
            warnings.warn(f"{self._schema['python_class']}: {message}", _convergence_warning(message), stacklevel=2)
        self._model = model
        self.classes_ = labels.classes
        self._set_state_attributes()
        return self

    def _set_state_attributes(self):
        """The fitted state of the model file (its JSON "state") as scikit-learn-style attributes:
        every numeric field or array `x` becomes `x_` (logistic regression: coef_, intercept_,
        n_iter_), whatever the model."""
        import json
        state = json.loads(self._model.save_json()).get("state", {})
        for key, value in state.items():
            try:
                arr = np.asarray(value, dtype=np.float64)
            except (TypeError, ValueError):
                continue
            if key.startswith("n_") and arr.ndim == 0:
                arr = np.atleast_1d(arr.astype(np.int64))
            elif key == "oob_decision_function":
                arr = arr.reshape(-1, len(self.classes_))  # stored row-major, flat
            setattr(self, f"{key}_", arr)

    def _rows(self, X):
        from sklearn.utils.validation import check_is_fitted
        check_is_fitted(self, "_model")
        return self._validate_data(X, dtype=np.float64, order="C", reset=False)

    def predict_proba(self, X):
        X = self._rows(X)
        return self._model.predict_proba(X)

    def predict_log_proba(self, X):
        return np.log(self.predict_proba(X))

    def decision_function(self, X):
        X = self._rows(X)
        scores = self._model.decision_function(X)
        if scores.shape[1] == 1:
            return scores.ravel()
        if scores.shape[1] == 2 and len(self.classes_) == 2:
            # A binary model whose scores are per class (the probabilities by default): scikit-learn's
            # binary decision_function is one score per row, > 0 for classes_[1] (as predict).
            return scores[:, 1] - scores[:, 0]
        return scores

    def predict(self, X):
        X = self._rows(X)
        return self.classes_[self._model.predict(X)]

    def __getstate__(self):
        state = self.__dict__.copy()
        if "_model" in state:
            state["_model"] = state["_model"].save_json()
        return state

    def __setstate__(self, state):
        if "_model" in state:
            state["_model"] = _core.Model.load_json(state["_model"])
        self.__dict__.update(state)


def _convergence_warning(message):
    if "iter" in message:
        try:
            from sklearn.exceptions import ConvergenceWarning
            return ConvergenceWarning
        except ImportError:  # pragma: no cover
            pass
    return UserWarning


# ---- generation ---------------------------------------------------------------------------------

def _doc(schema, signature, counterpart):
    lines = [f"{schema['summary']}", "", f"imbal's ``{schema['name']}`` on the C++ engine; mirrors "
             f"``{counterpart}``.", "", f"Reference: {schema['reference']}", "", "Parameters", "----------"]
    specs = {p["name"]: p for p in schema["params"]}
    for name, default in signature:
        spec = specs.get(name)
        text = spec["doc"] if spec else _COMMON_DOCS.get(name, "")
        if spec and _schema.none_means_default(schema, name):
            text = f"{text.rstrip('.')}; None: imbal's default ({spec['default']!r})."
        lines.append(f"{name} : default={default!r}")
        lines.append(f"    {text}")
    return "\n".join(lines)


_COMMON_DOCS = {
    "sampling_strategy": "Which classes to resample and to what counts, as in imbalanced-learn.",
    "random_state": "Seed (int), numpy RandomState or None (a fresh seed).",
    "n_jobs": "Threads; None or -1: every core (results do not depend on it).",
    "categorical_features": "Categorical columns: indices, a boolean mask or DataFrame column names; "
                            "None: the categorical columns of a DataFrame.",
    "smote": "The SMOTE step (an imbal SMOTE object) or None for its defaults.",
    "enn": "The ENN step (an imbal EditedNearestNeighbours object) or None for its defaults.",
    "tomek": "The Tomek step (an imbal TomekLinks object) or None for its defaults.",
}

_MODULES = {}


def _module(name):
    """The package module `imbal.<name>`, created when no file backs it."""
    full = f"imbal.{name}"
    if full in sys.modules:
        return sys.modules[full]
    mod = types.ModuleType(full, f"imbal.{name}: generated from the registry schemas")
    mod.__all__ = []
    sys.modules[full] = mod
    setattr(sys.modules["imbal"], name, mod)
    return mod


def _add(module_name, cls):
    mod = _module(module_name)
    cls.__module__ = mod.__name__
    setattr(mod, cls.__name__, cls)
    if cls.__name__ not in mod.__all__:
        mod.__all__.append(cls.__name__)
    _MODULES.setdefault(module_name, []).append(cls)


def sampler_counterpart(schema):
    return f"imblearn.{_schema.module_of(schema)}.{schema['python_class']}"


# Counterparts outside scikit-learn / imbalanced-learn: the schema's python_module is the package.
_THIRD_PARTY_MODULES = ("xgboost",)


def model_counterpart(schema):
    mod = schema["python_module"]
    if mod.startswith(("sklearn.", "imblearn.")) or mod in _THIRD_PARTY_MODULES:
        return f"{mod}.{schema['python_class']}"
    prefix = "imblearn" if mod in ("ensemble",) and schema["python_class"].startswith(
        ("Balanced", "EasyEnsemble", "RUSBoost")) else "sklearn"
    return f"{prefix}.{mod}.{schema['python_class']}"


def _fit_without_sample_weight(self, X, y):
    """Fits on (X, y) (this model takes no sample weights, as its scikit-learn counterpart)."""
    return BaseClassifier.fit(self, X, y)


def build_all():
    classes = []
    for schema in _schema.SAMPLERS:
        signature = _schema.sampler_signature(schema)
        cls = type(schema["python_class"], (BaseSampler,), {
            "_schema": schema,
            "__init__": _make_init(signature, None),
            "__doc__": _doc(schema, signature, sampler_counterpart(schema)),
        })
        _add(_schema.module_of(schema), cls)
        classes.append(cls)
    for schema in _schema.MODELS:
        signature = _schema.model_signature(schema)
        members = {
            "_schema": schema,
            "__init__": _make_init(signature, None),
            "__doc__": _doc(schema, signature, model_counterpart(schema)),
        }
        if schema["python_class"] in _schema.MODEL_NO_SAMPLE_WEIGHT:
            members["fit"] = _fit_without_sample_weight
        cls = type(schema["python_class"], (BaseClassifier,), members)
        _add(_schema.module_of(schema), cls)
        classes.append(cls)
    return classes
