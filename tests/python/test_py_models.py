"""The Python module's classifiers: scikit-learn's check_estimator for every registered model, and
logistic regression against scikit-learn's on shared datasets."""
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

import imbal
from conftest import DATASETS

MODELS = [cls() for _, cls in sorted(imbal.models().items())]
# Checks a model may fail, with the reason (docs/python.md repeats this table). Keyed by
# (python class, check name).
EXCLUDED = {}


def _id(est, check=None):
    name = getattr(check, "func", check).__name__ if check is not None else ""
    return f"{type(est).__name__}-{name}"


@parametrize_with_checks(MODELS)
def test_sklearn_check_estimator(estimator, check):
    name = getattr(check, "func", check).__name__
    reason = EXCLUDED.get((type(estimator).__name__, name))
    if reason:
        pytest.skip(reason)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(estimator)


@pytest.mark.parametrize("name", ["pima.csv", "imb_ecoli.csv", "glass_multiclass.csv"])
def test_logistic_regression_matches_sklearn(name):
    from sklearn.linear_model import LogisticRegression as Theirs
    from sklearn.preprocessing import StandardScaler
    from imbal.linear_model import LogisticRegression
    df = pd.read_csv(DATASETS / name, dtype={"target": str})
    y = df.pop("target").to_numpy()
    X = StandardScaler().fit_transform(df.to_numpy(dtype=float))
    for kw in ({}, {"C": 0.1, "class_weight": "balanced"}):
        a = LogisticRegression(max_iter=1000, **kw).fit(X, y)
        b = Theirs(max_iter=1000, **kw).fit(X, y)
        assert list(a.classes_) == list(b.classes_)
        assert np.abs(a.predict_proba(X) - b.predict_proba(X)).max() < 1e-3
        assert (a.predict(X) == b.predict(X)).mean() > 0.99
        d = a.decision_function(X)
        assert d.shape == b.decision_function(X).shape
