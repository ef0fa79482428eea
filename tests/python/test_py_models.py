"""The Python module's classifiers: scikit-learn's check_estimator for every registered model (all 13,
about 30 s), and
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
# (python class, check name), the check name with its arguments where only one variant is excluded
# ("check_sample_weights_invariance(kind=zeros)").
_IFOREST_UNSUPERVISED = ("an anomaly detector fitted without the labels (they only name the anomaly class, "
                         "positive_class): it cannot separate the check's classes (scikit-learn's IsolationForest "
                         "is not a classifier at all)")
_BOOTSTRAP_COUNTS_ROWS = ("each tree's bootstrap / subsample draws rows by count, so zero-weight rows change which "
                          "rows a tree sees: zero weight is not removal (scikit-learn's IsolationForest declares "
                          "the same)")
EXCLUDED = {
    ("IsolationForest", "check_classifiers_train"): _IFOREST_UNSUPERVISED,
    ("IsolationForest", "check_classifiers_classes"): _IFOREST_UNSUPERVISED,
    ("IsolationForest", "check_sample_weights_invariance(kind=zeros)"): _BOOTSTRAP_COUNTS_ROWS,
    ("RandomForestClassifier", "check_sample_weights_invariance(kind=zeros)"): _BOOTSTRAP_COUNTS_ROWS,
    ("BalancedRandomForestClassifier", "check_sample_weights_invariance(kind=zeros)"): _BOOTSTRAP_COUNTS_ROWS,
}


def _check_names(check):
    """The check's name, then (for a partial) the name with its keyword arguments."""
    func = getattr(check, "func", check)
    names = [func.__name__]
    keywords = getattr(check, "keywords", None)
    if keywords:
        names.insert(0, f"{func.__name__}({','.join(f'{k}={v}' for k, v in keywords.items())})")
    return names


@parametrize_with_checks(MODELS)
def test_sklearn_check_estimator(estimator, check):
    reason = next((EXCLUDED[(type(estimator).__name__, n)] for n in _check_names(check)
                   if (type(estimator).__name__, n) in EXCLUDED), None)
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
