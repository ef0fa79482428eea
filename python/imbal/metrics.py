"""imbal.metrics: the engine's metric registry as scikit-learn / imbalanced-learn functions.

Every registered metric becomes a function named as its Python counterpart (``precision_score``,
``geometric_mean_score``, ...) with the counterpart's leading arguments (y_true, y_pred or
y_score / y_prob) and keyword arguments: the metric's registry parameters, ``pos_label`` where the
counterpart has one, and ``sample_weight``. Registry entries that are one element of a tuple
(``class_likelihood_ratios[0]`` / ``[1]``) are joined into one function returning the tuple.
Labels may be of any dtype; ``pos_label`` is a label value, as in scikit-learn.

Not provided: ``average=None`` (per-class arrays) and the ``labels=`` argument; reports and
curves (use scikit-learn's). ``make_index_balanced_accuracy`` is not a decorator here: the
registry's ``iba`` is offered as ``index_balanced_accuracy_geometric_mean_score``.
"""
import re
import warnings

import numpy as np

from . import _core, _schema

__all__ = []

# The second positional argument, where the counterpart does not call it y_pred / y_score.
_SECOND_ARG = {"brier_score_loss": "y_prob", "log_loss": "y_pred", "focal_loss": "y_pred"}
# Functions with pos_label besides those with average='binary' (with the counterpart's default).
_POS_LABEL = {"average_precision_score": 1, "brier_score_loss": None, "focal_loss": None}
_RENAMED = {"make_index_balanced_accuracy(geometric_mean_score)": "index_balanced_accuracy_geometric_mean_score"}


def _undefined_metric_warning():
    try:
        from sklearn.exceptions import UndefinedMetricWarning
        return UndefinedMetricWarning
    except ImportError:  # pragma: no cover
        return UserWarning


def _evaluate(schema, y_true, second, pos_label, sample_weight, params):
    who = schema["python_class"]
    y_true = np.asarray(y_true)
    if y_true.ndim != 1:
        raise ValueError(f"{who}: y_true must be 1-D, got shape {y_true.shape}")
    if sample_weight is not None:
        sample_weight = np.ascontiguousarray(sample_weight, dtype=np.float64)
    if schema["input"] == "labels":
        y_pred = np.asarray(second)
        if y_pred.shape != y_true.shape:
            raise ValueError(f"Found input variables with inconsistent numbers of samples: "
                             f"[{y_true.shape[0]}, {y_pred.shape[0] if y_pred.ndim else 0}]")
        try:
            classes, codes = np.unique(np.concatenate([y_true, y_pred]), return_inverse=True)
        except TypeError:
            raise TypeError(f"{who}: y_true and y_pred mix label types; give labels of one type")
        codes = codes.astype(np.int32)
        t, p = codes[: len(y_true)].copy(), codes[len(y_true):].copy()
        scores, n_columns = None, 0
    else:
        classes, t = np.unique(y_true, return_inverse=True)
        t = t.astype(np.int32)
        p = None
        scores = np.ascontiguousarray(second, dtype=np.float64)
        if scores.ndim == 2 and scores.shape[1] == 1:
            scores = scores.ravel()
        n_columns = 1 if scores.ndim == 1 else scores.shape[1]
        if scores.shape[0] != y_true.shape[0]:
            raise ValueError(f"Found input variables with inconsistent numbers of samples: "
                             f"[{y_true.shape[0]}, {scores.shape[0]}]")
    code = 1
    if pos_label is not None:
        hits = np.flatnonzero(classes.astype(object) == pos_label) if len(classes) else []
        if len(hits):
            code = int(hits[0])
        elif params.get("average", "binary") == "binary" and len(classes) <= 2:
            raise ValueError(f"pos_label={pos_label!r} is not a valid label. It should be one of "
                             f"{list(classes)}")
        else:
            code = len(classes)  # a label absent from the data
    elif len(classes):
        code = len(classes) - 1
    params = {k: v for k, v in params.items() if v is not None or _nullable(schema, k)}
    messages = []
    value = _core.metric(schema["name"], t, p, scores, n_columns, len(classes), code, sample_weight, params,
                         messages)
    for m in messages:
        warnings.warn(m, _undefined_metric_warning(), stacklevel=3)
    return value


def _nullable(schema, name):
    return any(p["name"] == name and p["nullable"] for p in schema["params"])


def _python_default(spec):
    # A nullable real whose None stands for scikit-learn's 'auto' (log_loss's eps).
    if spec["nullable"] and spec["default"] is None and "'auto'" in spec["doc"]:
        return "auto"
    # A choice whose default is the word 'none' is scikit-learn's None (cohen_kappa_score's weights).
    if spec["type"] == "choice" and spec["default"] == "none":
        return None
    return spec["default"]


def _make(schema):
    name = _RENAMED.get(schema["python_class"], schema["python_class"])
    second = _SECOND_ARG.get(name, "y_pred" if schema["input"] == "labels" else "y_score")
    kw = [(p["name"], _python_default(p)) for p in schema["params"]]
    has_binary = any(p["name"] == "average" and "binary" in p["choices"] for p in schema["params"])
    if has_binary:
        kw.append(("pos_label", 1))
    elif name in _POS_LABEL:
        kw.append(("pos_label", _POS_LABEL[name]))
    kw.append(("sample_weight", None))
    defaults = [d for _, d in kw]
    args = ", ".join(f"{k}=_defaults[{i}]" for i, (k, _) in enumerate(kw))
    params = ", ".join(f"{k!r}: {k}" for k, _ in kw if k not in ("pos_label", "sample_weight"))
    pos = "pos_label" if any(k == "pos_label" for k, _ in kw) else "None"
    src = (f"def {name}(y_true, {second}, *, {args}):\n"
           f"    params = {{{params}}}\n"
           f"    params = {{k: (None if v == 'auto' and k == 'eps' else v) for k, v in params.items()}}\n"
           f"    return _evaluate(_schema_, y_true, {second}, {pos}, sample_weight, params)\n")
    ns = {"_defaults": defaults, "_evaluate": _evaluate, "_schema_": schema}
    exec(src, ns)  # noqa: S102 - built from registry names only
    fn = ns[name]
    fn.__module__ = __name__
    fn.__doc__ = (f"{schema['summary']}.\n\nimbal's metric ``{schema['name']}``; mirrors "
                  f"``{schema['python_module']}.{schema['python_class']}``.")
    fn._imbal_schema = schema
    return name, fn


def _tuple_function(name, parts):
    def fn(y_true, y_pred, *, sample_weight=None):
        return tuple(_evaluate(s, y_true, y_pred, None, sample_weight, {}) for s in parts)
    fn.__name__ = fn.__qualname__ = name
    fn.__module__ = __name__
    fn.__doc__ = f"{name} of {parts[0]['python_module']}: the tuple of imbal's metrics " + \
        ", ".join(s["name"] for s in parts) + "."
    return fn


def _build():
    tuples = {}
    for schema in _schema.METRICS:
        m = re.fullmatch(r"(\w+)\[(\d+)\]", schema["python_class"])
        if m:
            tuples.setdefault(m.group(1), []).append((int(m.group(2)), schema))
            continue
        name, fn = _make(schema)
        globals()[name] = fn
        __all__.append(name)
    for name, parts in tuples.items():
        globals()[name] = _tuple_function(name, [s for _, s in sorted(parts, key=lambda t: t[0])])
        __all__.append(name)


_build()
