"""imbal.metrics against scikit-learn 1.2 / imbalanced-learn 0.10: every registered metric, binary
and multi-class, integer and string labels, with and without sample weights."""
import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
import imblearn.metrics as imm

import imbal.metrics as ours
from imbal import _schema

rng = np.random.RandomState(0)
N = 400
Y2 = rng.randint(0, 2, N)
P2 = np.where(rng.rand(N) < 0.8, Y2, 1 - Y2)
S2 = np.clip(Y2 * 0.3 + rng.rand(N) * 0.7, 0, 1)
Y3 = rng.randint(0, 3, N)
P3 = np.where(rng.rand(N) < 0.7, Y3, rng.randint(0, 3, N))
S3 = rng.dirichlet([1, 1, 1], N)
S3[np.arange(N), Y3] += 0.5
S3 /= S3.sum(axis=1, keepdims=True)
W = rng.rand(N) + 0.1


def reference(name):
    if name in ("index_balanced_accuracy_geometric_mean_score", "focal_loss"):
        return None  # focal_loss: no counterpart, checked against its formula below
    if name in ("confusion_matrix", "classification_report", "precision_recall_curve", "roc_curve"):
        return None  # not registry metrics: test_py_datasets_reports.py
    return getattr(skm, name, None) or getattr(imm, name)


def calls(schema):
    fn = schema["python_class"]
    params = {p["name"] for p in schema["params"]}
    if schema["input"] == "labels":
        yield Y2, P2, {}
        yield np.where(Y2 == 1, "pos", "neg"), np.where(P2 == 1, "pos", "neg"), {"pos_label": "pos"} \
            if "average" in params else {}
        if "average" in params:
            for avg in ("micro", "macro", "weighted"):
                yield Y3, P3, {"average": avg}
        elif not fn.startswith("class_likelihood"):
            yield Y3, P3, {}
    else:
        yield Y2, S2, {}
        if fn in ("roc_auc_score",):
            yield Y3, S3, {"multi_class": "ovr"}
            yield Y3, S3, {"multi_class": "ovo"}
        if fn == "log_loss":
            yield Y3, S3, {}


FUNCTIONS = sorted({n for n in ours.__all__ if reference(n) is not None})


@pytest.mark.parametrize("name", FUNCTIONS)
def test_metric_equals_reference(name):
    fn = getattr(ours, name)
    ref = reference(name)
    schema = getattr(fn, "_imbal_schema", None)
    if schema is None:  # a tuple function (class_likelihood_ratios)
        schema = {"python_class": name, "input": "labels", "params": []}
    n_checked = 0
    for y_true, second, kw in calls(schema):
        if name == "fbeta_score":
            kw = dict(kw, beta=2.0)  # required in scikit-learn, 1.0 by default here
        for weight in (None, W):
            if kw.get("multi_class") == "ovo" and weight is not None:
                continue  # scikit-learn and imbal both refuse weights for one-vs-one
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                a = fn(y_true, second, sample_weight=weight, **kw)
                b = ref(y_true, second, sample_weight=weight, **kw)
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12, err_msg=f"{name} {kw} weight={weight is not None}")
            n_checked += 1
    assert n_checked >= 2


def test_every_registered_metric_has_a_function():
    names = set(ours.__all__)
    for s in _schema.METRICS:
        base = s["python_class"].split("[")[0]
        assert base in names or s["name"] == "iba"
    assert "index_balanced_accuracy_geometric_mean_score" in names


def test_iba_equals_imblearns_decorated_geometric_mean():
    iba = imm.make_index_balanced_accuracy(alpha=0.1, squared=True)(imm.geometric_mean_score)
    assert np.isclose(ours.index_balanced_accuracy_geometric_mean_score(Y2, P2), iba(Y2, P2))


def test_metric_errors():
    with pytest.raises(ValueError, match="pos_label"):
        ours.precision_score(np.array(["a", "b"]), np.array(["a", "b"]))
    with pytest.raises(ValueError, match="average"):
        ours.f1_score(Y3, P3, average="samples")


def focal_reference(y, p, gamma=2.0, alpha=0.25, w=None):
    # The formula of the tutorials' focal_loss (Lin et al. 2017), p = probability of class 1.
    p = np.clip(p, 1e-15, 1 - 1e-15)
    pt = np.where(y == 1, p, 1 - p)
    alpha_t = np.where(y == 1, alpha, 1 - alpha)
    return np.average(-alpha_t * (1 - pt) ** gamma * np.log(pt), weights=w)


@pytest.mark.parametrize("gamma,alpha", [(2.0, 0.25), (0.0, 0.5), (1.5, 0.9)])
def test_focal_loss_equals_formula(gamma, alpha):
    p1 = np.clip(S2, 0, 1)
    kw = {} if (gamma, alpha) == (2.0, 0.25) else {"gamma": gamma, "alpha": alpha}
    assert ours.focal_loss(Y2, p1, **kw) == pytest.approx(focal_reference(Y2, p1, gamma, alpha), rel=1e-12)
    assert ours.focal_loss(Y2, p1, sample_weight=W, **kw) == pytest.approx(
        focal_reference(Y2, p1, gamma, alpha, W), rel=1e-12)
    # String labels: the positive class is the greater label, or pos_label.
    ys = np.where(Y2 == 1, "yes", "no")
    assert ours.focal_loss(ys, p1, **kw) == pytest.approx(focal_reference(Y2, p1, gamma, alpha), rel=1e-12)
    assert ours.focal_loss(Y2, 1 - p1, pos_label=0, **kw) == pytest.approx(
        focal_reference(1 - Y2, 1 - p1, gamma, alpha), rel=1e-12)
    if gamma == 0.0 and alpha == 0.5:
        assert ours.focal_loss(Y2, p1, gamma=0.0, alpha=0.5) == pytest.approx(skm.log_loss(Y2, p1) / 2, rel=1e-9)


def test_focal_loss_refuses_multiclass_and_bad_parameters():
    with pytest.raises(ValueError):
        ours.focal_loss(Y3, S3)
    with pytest.raises(ValueError):
        ours.focal_loss(Y2, np.clip(S2, 0, 1), alpha=1.5)
