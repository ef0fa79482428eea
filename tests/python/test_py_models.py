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


def _importance_data():
    from sklearn.datasets import make_classification
    # Continuous features (no split ties), 4 informative of 8, 10 % minority.
    return make_classification(n_samples=600, n_features=8, n_informative=4, n_redundant=0, weights=[0.9],
                               random_state=3)


def _importances_from_tree(tree, n_features):
    """scikit-learn's compute_feature_importances, in numpy, from a tree's saved arrays."""
    left, right = np.array(tree["children_left"]), np.array(tree["children_right"])
    imp, w = np.array(tree["impurity"]), np.array(tree["weighted_n_node_samples"])
    out = np.zeros(n_features)
    for i in np.flatnonzero(left != -1):
        out[tree["feature"][i]] += w[i] * imp[i] - w[left[i]] * imp[left[i]] - w[right[i]] * imp[right[i]]
    return out / out.sum() if out.sum() > 0 else out


@pytest.mark.parametrize("params", [{"max_depth": 3}, {"max_depth": 4, "min_samples_leaf": 5, "class_weight": "balanced"},
                                    {"max_depth": None}])
def test_decision_tree_feature_importances_match_sklearn(params):
    import json
    from sklearn.tree import DecisionTreeClassifier
    X, y = _importance_data()
    ours = imbal.tree.DecisionTreeClassifier(random_state=0, **params).fit(X, y)
    # Always: scikit-learn's formula applied to our own tree.
    tree = json.loads(ours._model.save_json())["state"]["tree"]
    np.testing.assert_allclose(ours.feature_importances_, _importances_from_tree(tree, X.shape[1]), rtol=1e-9,
                               atol=1e-12)
    if params["max_depth"] is not None:
        # Shallow trees with large nodes are the same tree as scikit-learn's here (deeper, small
        # nodes tie between features visited in a different random order: test_tree_parity.py),
        # so the importances are scikit-learn's.
        ref = DecisionTreeClassifier(random_state=0, **params).fit(X, y)
        np.testing.assert_allclose(ours.feature_importances_, ref.feature_importances_, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("cls_name", ["RandomForestClassifier", "BalancedRandomForestClassifier"])
def test_forest_feature_importances_and_oob(cls_name):
    import pickle
    from sklearn.ensemble import RandomForestClassifier
    X, y = _importance_data()
    cls = getattr(imbal.ensemble, cls_name)
    ours = cls(n_estimators=200, oob_score=True, random_state=0).fit(X, y)
    imp = ours.feature_importances_
    assert imp.shape == (X.shape[1],) and (imp >= 0).all()
    assert imp.sum() == pytest.approx(1.0, abs=1e-12)
    # Other random streams than scikit-learn's, so not equal values; but the same four features
    # (the informative ones) must come out on top.
    ref = RandomForestClassifier(n_estimators=200, oob_score=True, random_state=0).fit(X, y)
    assert set(np.argsort(imp)[-4:]) == set(np.argsort(ref.feature_importances_)[-4:])
    assert 0.5 < ours.oob_score_ <= 1.0
    assert ours.oob_decision_function_.shape == (X.shape[0], 2)
    if cls_name == "RandomForestClassifier":
        assert abs(ours.oob_score_ - ref.oob_score_) < 0.03
    # Kept through pickling (the model file).
    back = pickle.loads(pickle.dumps(ours))
    np.testing.assert_array_equal(back.feature_importances_, imp)
    np.testing.assert_array_equal(back.predict_proba(X), ours.predict_proba(X))


def test_forest_model_file_with_bad_importances_is_refused():
    import json
    from imbal import _core
    X, y = _importance_data()
    text = imbal.ensemble.RandomForestClassifier(n_estimators=3, random_state=0).fit(X, y)._model.save_json()
    doc = json.loads(text)
    assert len(doc["state"]["feature_importances"]) == X.shape[1]
    doc["state"]["feature_importances"] = doc["state"]["feature_importances"][:-1]
    with pytest.raises(ValueError, match="feature_importances' must be an array of 8 numbers"):
        _core.Model.load_json(json.dumps(doc))
    doc["state"]["feature_importances"] = ["x"] * X.shape[1]
    with pytest.raises(ValueError, match="feature_importances' holds a non-number"):
        _core.Model.load_json(json.dumps(doc))
    del doc["state"]["feature_importances"]  # a file without them still loads
    model = _core.Model.load_json(json.dumps(doc))
    assert model.predict_proba(X).shape == (X.shape[0], 2)
