"""imbal.datasets, imbal.model_selection.train_test_split and imbal.metrics' confusion_matrix,
classification_report, precision_recall_curve, roc_curve against scikit-learn 1.2 / imbalanced-learn 0.10:
the same signatures, shapes and (where no random draw is involved) the same values."""
import inspect
import warnings

import numpy as np
import pandas as pd
import pytest
import sklearn.datasets as skd
import sklearn.metrics as skm
import sklearn.model_selection as sms
import imblearn.datasets as imd

import imbal.datasets as ds
import imbal.metrics as ours
from imbal.model_selection import train_test_split

rng = np.random.RandomState(3)
N = 300
Y3 = rng.randint(0, 3, N)
P3 = np.where(rng.rand(N) < 0.7, Y3, rng.randint(0, 3, N))
W = rng.rand(N) + 0.1
YB = (Y3 == 2).astype(int)
SB = np.round(np.clip(0.4 * YB + rng.rand(N) * 0.6, 0, 1), 2)  # ties


def test_signatures_match():
    assert str(inspect.signature(ds.make_classification)) == str(inspect.signature(skd.make_classification))
    assert list(inspect.signature(ds.make_imbalance).parameters) == \
        list(inspect.signature(imd.make_imbalance).parameters)
    assert str(inspect.signature(train_test_split)) == str(inspect.signature(sms.train_test_split))
    for name in ("confusion_matrix", "classification_report", "precision_recall_curve", "roc_curve"):
        assert str(inspect.signature(getattr(ours, name))) == str(inspect.signature(getattr(skm, name))), name


def test_make_classification_shapes_counts_and_determinism():
    X, y = ds.make_classification(n_samples=500, n_features=6, n_informative=3, n_redundant=1, n_classes=3,
                                  weights=[0.7, 0.2], flip_y=0, random_state=5)
    Xs, ys = skd.make_classification(n_samples=500, n_features=6, n_informative=3, n_redundant=1, n_classes=3,
                                     weights=[0.7, 0.2], flip_y=0, random_state=5)
    assert X.shape == Xs.shape and X.dtype == Xs.dtype and y.shape == ys.shape
    assert np.bincount(y).tolist() == np.bincount(ys).tolist()  # class sizes are deterministic
    X2, y2 = ds.make_classification(n_samples=500, n_features=6, n_informative=3, n_redundant=1, n_classes=3,
                                    weights=[0.7, 0.2], flip_y=0, random_state=5)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    with pytest.raises(ValueError):
        ds.make_classification(n_features=2, n_informative=3)


def test_make_imbalance_counts_rows_and_errors():
    X, y = ds.make_classification(n_samples=400, weights=[0.5], flip_y=0, random_state=1)
    Xr, yr = ds.make_imbalance(X, y, sampling_strategy={0: 150, 1: 20}, random_state=0)
    Xi, yi = imd.make_imbalance(X, y, sampling_strategy={0: 150, 1: 20}, random_state=0)
    assert Xr.shape == Xi.shape and np.bincount(yr).tolist() == np.bincount(yi).tolist() == [150, 20]
    rows = {tuple(r) for r in X}
    assert all(tuple(r) in rows for r in Xr) and len({tuple(r) for r in Xr}) == len(Xr)  # no replacement

    def ratio(y, multiplier):
        return {0: int(np.sum(y == 0) * multiplier), 1: int(np.sum(y == 1) * multiplier)}
    Xr, yr = ds.make_imbalance(X, y, sampling_strategy=ratio, multiplier=0.5, random_state=0)
    Xi, yi = imd.make_imbalance(X, y, sampling_strategy=ratio, multiplier=0.5, random_state=0)
    assert np.bincount(yr).tolist() == np.bincount(yi).tolist()
    df = pd.DataFrame(X[:, :3], columns=list("abc"))
    Xd, yd = ds.make_imbalance(df, pd.Series(y, name="t"), sampling_strategy={0: 10, 1: 10}, random_state=0)
    assert isinstance(Xd, pd.DataFrame) and list(Xd.columns) == list("abc") and len(yd) == 20
    with pytest.raises(ValueError, match="dictionary"):
        ds.make_imbalance(X, y, sampling_strategy=0.5)


@pytest.mark.parametrize("kw", [dict(test_size=0.3), dict(test_size=45), dict(train_size=0.5),
                                dict(test_size=0.2, train_size=0.5), dict()])
def test_train_test_split_stratified_counts_equal_sklearn(kw):
    a = train_test_split(np.arange(N), Y3, stratify=Y3, random_state=0, **kw)
    b = sms.train_test_split(np.arange(N), Y3, stratify=Y3, random_state=0, **kw)
    for x, y in zip(a, b):
        assert x.shape == y.shape
    assert np.bincount(a[2]).tolist() == np.bincount(b[2]).tolist()
    assert np.bincount(a[3]).tolist() == np.bincount(b[3]).tolist()
    both = np.concatenate([a[0], a[1]])
    assert len(set(both.tolist())) == len(both)  # train and test disjoint
    assert np.array_equal(Y3[a[0]], a[2])  # arrays split alike


def test_train_test_split_unshuffled_and_types():
    for kw in (dict(), dict(test_size=0.4)):
        a = train_test_split(list(range(10)), np.arange(10), shuffle=False, **kw)
        b = sms.train_test_split(list(range(10)), np.arange(10), shuffle=False, **kw)
        assert a[0] == b[0] and a[1] == b[1] and np.array_equal(a[2], b[2])
    df = pd.DataFrame({"x": np.arange(20)})
    tr, te = train_test_split(df, random_state=1)
    assert isinstance(tr, pd.DataFrame) and len(tr) == 15 and len(te) == 5
    with pytest.raises(ValueError):
        train_test_split(np.arange(5), np.arange(6))
    with pytest.raises(ValueError):
        train_test_split(np.arange(10), shuffle=False, stratify=np.arange(10) % 2)


@pytest.mark.parametrize("kw", [dict(), dict(normalize="true"), dict(normalize="pred"), dict(normalize="all"),
                                dict(labels=[2, 0]), dict(labels=[2, 0, 5])])
@pytest.mark.parametrize("weighted", [False, True])
def test_confusion_matrix_equals_sklearn(kw, weighted):
    w = W if weighted else None
    a = ours.confusion_matrix(Y3, P3, sample_weight=w, **kw)
    b = skm.confusion_matrix(Y3, P3, sample_weight=w, **kw)
    assert a.dtype == b.dtype and a.shape == b.shape
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_confusion_matrix_string_labels():
    yt, yp = np.where(YB == 1, "yes", "no"), np.where(SB > 0.5, "yes", "no")
    assert np.array_equal(ours.confusion_matrix(yt, yp), skm.confusion_matrix(yt, yp))
    with pytest.raises(ValueError):
        ours.confusion_matrix(yt, yp, labels=["maybe"])


@pytest.mark.parametrize("kw", [dict(), dict(digits=4), dict(labels=[1, 2]), dict(target_names=["a", "b", "c"]),
                                dict(zero_division=0)])
@pytest.mark.parametrize("weighted", [False, True])
def test_classification_report_equals_sklearn(kw, weighted):
    w = W if weighted else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert ours.classification_report(Y3, P3, sample_weight=w, **kw) == \
            skm.classification_report(Y3, P3, sample_weight=w, **kw)
        a = ours.classification_report(Y3, P3, sample_weight=w, output_dict=True, **kw)
        b = skm.classification_report(Y3, P3, sample_weight=w, output_dict=True, **kw)
    assert list(a) == list(b)
    for k in b:
        if isinstance(b[k], dict):
            assert list(a[k]) == list(b[k])
            np.testing.assert_allclose([a[k][m] for m in b[k]], [b[k][m] for m in b[k]], rtol=1e-12)
        else:
            assert a[k] == pytest.approx(b[k], rel=1e-12)


def test_classification_report_warns_on_zero_division():
    yp = np.zeros(N, int)
    with pytest.warns(Warning):
        ours.classification_report(YB, yp)


@pytest.mark.parametrize("weighted", [False, True])
def test_precision_recall_curve_equals_sklearn(weighted):
    w = W if weighted else None
    for yt, kw in ((YB, {}), (np.where(YB == 1, "pos", "neg"), {"pos_label": "pos"}), (1 - YB, {"pos_label": 0})):
        a = ours.precision_recall_curve(yt, SB, sample_weight=w, **kw)
        b = skm.precision_recall_curve(yt, SB, sample_weight=w, **kw)
        assert len(a) == 3
        for x, y in zip(a, b):
            assert x.shape == y.shape
            np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError):
        ours.precision_recall_curve(Y3, SB)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("drop_intermediate", [True, False])
def test_roc_curve_equals_sklearn(weighted, drop_intermediate):
    w = W if weighted else None
    for yt, kw in ((YB, {}), (np.where(YB == 1, "pos", "neg"), {"pos_label": "pos"}), (1 - YB, {"pos_label": 0})):
        a = ours.roc_curve(yt, SB, sample_weight=w, drop_intermediate=drop_intermediate, **kw)
        b = skm.roc_curve(yt, SB, sample_weight=w, drop_intermediate=drop_intermediate, **kw)
        assert len(a) == 3
        for x, y in zip(a, b):
            assert x.shape == y.shape
            np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-12)
    # The area under it is roc_auc_score's.
    fpr, tpr, _ = ours.roc_curve(YB, SB)
    assert np.trapz(tpr, fpr) == pytest.approx(skm.roc_auc_score(YB, SB), abs=1e-12)
    with pytest.raises(ValueError):
        ours.roc_curve(Y3, SB)


def test_roc_curve_warns_without_positives():
    with pytest.warns(Warning):
        ours.roc_curve(np.zeros(N, int), SB, pos_label=1)
