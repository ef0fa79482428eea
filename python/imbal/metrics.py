"""imbal.metrics: the engine's metric registry as scikit-learn / imbalanced-learn functions.

Every registered metric becomes a function named as its Python counterpart (``precision_score``,
``geometric_mean_score``, ...) with the counterpart's leading arguments (y_true, y_pred or
y_score / y_prob) and keyword arguments: the metric's registry parameters, ``pos_label`` where the
counterpart has one, and ``sample_weight``. Registry entries that are one element of a tuple
(``class_likelihood_ratios[0]`` / ``[1]``) are joined into one function returning the tuple.
Labels may be of any dtype; ``pos_label`` is a label value, as in scikit-learn.

Besides the registry: ``confusion_matrix``, ``classification_report`` and
``precision_recall_curve`` with scikit-learn 1.2's signatures and return values.

Not provided: ``average=None`` (per-class arrays) and the ``labels=`` argument of the registry
functions; ``roc_curve`` (use scikit-learn's). ``make_index_balanced_accuracy`` is not a decorator here: the
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


# ---- confusion matrix, report, precision-recall curve (not registry metrics) ----------------------

def _weights(sample_weight, n):
    if sample_weight is None:
        return None
    w = np.ascontiguousarray(sample_weight, dtype=np.float64).ravel()
    if w.shape[0] != n:
        raise ValueError(f"Found input variables with inconsistent numbers of samples: [{n}, {w.shape[0]}]")
    return w


def _encode_pair(y_true, y_pred, labels):
    """Codes of y_true / y_pred over the sorted union of their labels (and labels=), and the codes
    of labels= in the given order (empty: none given)."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.ndim != 1 or y_pred.shape != y_true.shape:
        raise ValueError(f"Found input variables with inconsistent numbers of samples: "
                         f"[{y_true.shape[0] if y_true.ndim else 0}, {y_pred.shape[0] if y_pred.ndim else 0}]")
    parts = [y_true, y_pred] + ([np.asarray(labels)] if labels is not None else [])
    try:
        classes, codes = np.unique(np.concatenate(parts), return_inverse=True)
    except TypeError:
        raise TypeError("y_true, y_pred and labels mix label types; give labels of one type")
    codes = codes.astype(np.int32)
    n = len(y_true)
    t, p = codes[:n].copy(), codes[n:2 * n].copy()
    lab = codes[2 * n:].copy() if labels is not None else np.zeros(0, np.int32)
    return classes, t, p, lab


def _warn_all(messages):
    for m in messages:
        warnings.warn(m, _undefined_metric_warning(), stacklevel=3)


def confusion_matrix(y_true, y_pred, *, labels=None, sample_weight=None, normalize=None):
    """sklearn.metrics.confusion_matrix: C[i, j] = rows of true label i predicted as j (labels in
    sorted order, or labels=); int64 without weights and normalization, float64 otherwise."""
    if normalize not in (None, "true", "pred", "all"):
        raise ValueError("normalize must be one of {'true', 'pred', 'all', None}")
    classes, t, p, lab = _encode_pair(y_true, y_pred, labels)
    if labels is not None:
        if len(lab) == 0:
            raise ValueError("'labels' should contains at least one label.")
        if not np.isin(lab, t).any():
            raise ValueError("At least one label specified must be in y_true")
    w = _weights(sample_weight, len(t))
    cm, _ = _core.confusion_matrix(t, p, lab, w, normalize or "none")
    if normalize is None and (w is None or np.issubdtype(np.asarray(sample_weight).dtype, np.integer)):
        return np.rint(cm).astype(np.int64)
    return cm


def classification_report(y_true, y_pred, *, labels=None, target_names=None, sample_weight=None, digits=2,
                          output_dict=False, zero_division="warn"):
    """sklearn.metrics.classification_report: the same text (byte-identical) or, with output_dict,
    the same dict {name: {precision, recall, f1-score, support}, accuracy, macro avg, weighted avg}."""
    classes, t, p, lab = _encode_pair(y_true, y_pred, labels)
    shown = lab if labels is not None else np.unique(np.concatenate([t, p])).astype(np.int32)
    if target_names is None:
        names = [f"{classes[c]}" for c in shown]
    else:
        names = [str(n) for n in target_names]
        if len(names) != len(shown):
            raise ValueError(f"Number of classes, {len(shown)}, does not match size of target_names, "
                             f"{len(names)}. Try specifying the labels parameter")
    w = _weights(sample_weight, len(t))
    text, rows, averages, messages = _core.classification_report(t, p, lab, names, w, str(zero_division), int(digits))
    _warn_all(messages)
    if not output_dict:
        return text

    def entry(row):
        support = row[4] if w is not None else int(round(row[4]))
        return {"precision": row[1], "recall": row[2], "f1-score": row[3], "support": support}
    out = {row[0]: entry(row) for row in rows}
    for row in averages:
        out[row[0]] = row[3] if row[0] == "accuracy" else entry(row)
    return out


def _binary_curve_input(y_true, scores, pos_label):
    """(class codes, float64 scores, the positive class's code) for the binary curves, with
    scikit-learn's checks."""
    y_true = np.asarray(y_true)
    scores = np.ascontiguousarray(scores, dtype=np.float64).ravel()
    if y_true.ndim != 1 or scores.shape[0] != y_true.shape[0]:
        raise ValueError(f"Found input variables with inconsistent numbers of samples: "
                         f"[{y_true.shape[0] if y_true.ndim else 0}, {scores.shape[0]}]")
    classes, t = np.unique(y_true, return_inverse=True)
    if len(classes) > 2:
        raise ValueError("multiclass format is not supported")
    if pos_label is None:
        code = len(classes) - 1 if len(classes) else 0
    else:
        hits = np.flatnonzero(classes.astype(object) == pos_label)
        code = int(hits[0]) if len(hits) else len(classes)
    return t.astype(np.int32), scores, code


def precision_recall_curve(y_true, probas_pred, *, pos_label=None, sample_weight=None):
    """sklearn.metrics.precision_recall_curve (1.2): (precision, recall, thresholds), precision and
    recall one longer than thresholds, ending at recall 0, precision 1. pos_label defaults to the
    greater label (scikit-learn: 1 for {0, 1} or {-1, 1} labels)."""
    t, scores, code = _binary_curve_input(y_true, probas_pred, pos_label)
    precision, recall, thresholds, messages = _core.precision_recall_curve(t, scores, code,
                                                                          _weights(sample_weight, len(t)))
    _warn_all(messages)
    return precision, recall, thresholds


def roc_curve(y_true, y_score, *, pos_label=None, sample_weight=None, drop_intermediate=True):
    """sklearn.metrics.roc_curve (1.2): (fpr, tpr, thresholds), starting at (0, 0) with threshold
    max(score) + 1; drop_intermediate drops the points on straight segments. pos_label defaults
    to the greater label (scikit-learn: 1 for {0, 1} or {-1, 1} labels)."""
    t, scores, code = _binary_curve_input(y_true, y_score, pos_label)
    fpr, tpr, thresholds, messages = _core.roc_curve(t, scores, code, _weights(sample_weight, len(t)),
                                                     bool(drop_intermediate))
    _warn_all(messages)
    return fpr, tpr, thresholds


__all__ += ["confusion_matrix", "classification_report", "precision_recall_curve", "roc_curve"]
