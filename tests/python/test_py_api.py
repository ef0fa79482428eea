"""The Python module's API: registry-driven classes with imbalanced-learn's signatures, scikit-learn
compatibility (clone, get_params, Pipeline, GridSearchCV, cross_validate), data handling (no copy,
float32, pandas, label dtypes), errors and Ctrl-C."""
import inspect
import os
import pickle
import signal
import threading
import time

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

import imbal
from imbal import _schema
from conftest import DATASETS

imblearn = pytest.importorskip("imblearn")


def counterpart(schema):
    mod = __import__(f"imblearn.{_schema.module_of(schema)}", fromlist=["x"])
    return getattr(mod, schema["python_class"])


def toy(n=300, seed=0, weights=(0.8, 0.2)):
    rng = np.random.RandomState(seed)
    y = (rng.rand(n) > weights[0]).astype(int)
    X = rng.randn(n, 4) + y[:, None]
    return X, y


# ---- the classes come from the registry ---------------------------------------------------------

@pytest.mark.parametrize("schema", _schema.SAMPLERS, ids=lambda s: s["name"])
def test_every_sampler_has_imblearns_signature(schema):
    ours = imbal.samplers()[schema["name"]]
    theirs = counterpart(schema)
    assert ours.__name__ == theirs.__name__
    p_ours = inspect.signature(ours).parameters
    p_theirs = inspect.signature(theirs).parameters
    assert set(p_ours) == set(p_theirs), schema["name"]
    for name, p in p_theirs.items():
        if p.default is inspect.Parameter.empty:
            assert name == "categorical_features"  # required in imblearn 0.10, None (DataFrame) here
            continue
        if name in ("smote", "enn", "tomek"):
            assert p_ours[name].default is None
            continue
        assert p_ours[name].default == p.default, (schema["name"], name)


@pytest.mark.parametrize("schema", _schema.MODELS, ids=lambda s: s["name"])
def test_every_model_has_the_counterparts_parameter_names(schema):
    ours = imbal.models()[schema["name"]]
    theirs = _counterpart_model(schema)
    p_theirs = _parameters(theirs)
    extensions = _schema.MODEL_EXTENSIONS.get(schema["python_class"], set())
    for name, p in inspect.signature(ours).parameters.items():
        if name.startswith("focal_") or name in extensions:
            continue  # imbal's own extensions (focal loss, ...)
        assert name in p_theirs, (schema["name"], name)
        assert p.default == p_theirs[name].default, (schema["name"], name, p.default, p_theirs[name].default)


def _parameters(cls):
    """The constructor parameters of cls; a **kwargs constructor (xgboost.XGBClassifier) also takes
    its bases' parameters."""
    out = {}
    for klass in cls.__mro__:
        if klass is object or "__init__" not in vars(klass):
            continue
        params = inspect.signature(klass.__init__).parameters
        for name, p in params.items():
            if name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
                out.setdefault(name, p)
        if not any(p.kind is p.VAR_KEYWORD for p in params.values()):
            break
    return out


def _counterpart_model(schema):
    path = imbal._factory.model_counterpart(schema)
    mod, cls = path.rsplit(".", 1)
    return getattr(__import__(mod, fromlist=["x"]), cls)


def test_modules_mirror_imblearn():
    from imbal.combine import SMOTEENN, SMOTETomek  # noqa: F401
    from imbal.linear_model import LogisticRegression  # noqa: F401
    from imbal.over_sampling import ADASYN, SMOTE, SMOTENC, SMOTEN, BorderlineSMOTE, RandomOverSampler  # noqa: F401
    from imbal.under_sampling import EditedNearestNeighbours, NearMiss, RandomUnderSampler, TomekLinks  # noqa: F401


# ---- scikit-learn compatibility ----------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(s["name"] for s in _schema.SAMPLERS))
def test_clone_and_get_params_round_trip(name):
    cls = imbal.samplers()[name]
    est = cls()
    params = est.get_params()
    est2 = clone(est)
    assert est2.get_params() == params
    assert type(est2) is cls
    # set_params changes one value; clone keeps it.
    key = next(iter(k for k in params if k not in ("smote", "enn", "tomek", "categorical_features")))
    est.set_params(**{key: params[key]})
    assert clone(est).get_params()[key] == params[key]
    assert repr(est).startswith(cls.__name__)


def test_pickle_round_trip():
    from imbal.linear_model import LogisticRegression
    X, y = toy()
    clf = LogisticRegression().fit(X, y)
    clf2 = pickle.loads(pickle.dumps(clf))
    assert np.array_equal(clf2.predict_proba(X), clf.predict_proba(X))
    from imbal.over_sampling import SMOTE
    s = pickle.loads(pickle.dumps(SMOTE(k_neighbors=3)))
    assert s.k_neighbors == 3


def test_inside_imblearn_pipeline_and_gridsearch():
    from imblearn.pipeline import make_pipeline
    from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_validate
    from imbal.linear_model import LogisticRegression
    from imbal.over_sampling import SMOTE
    X, y = toy(400)
    pipe = make_pipeline(SMOTE(random_state=0), LogisticRegression())
    grid = GridSearchCV(pipe, {"smote__k_neighbors": [3, 5], "logisticregression__C": [0.1, 1.0]},
                        cv=StratifiedKFold(3), scoring="balanced_accuracy")
    grid.fit(X, y)
    assert set(grid.best_params_) == {"smote__k_neighbors", "logisticregression__C"}
    res = cross_validate(pipe, X, y, cv=3, scoring="roc_auc")
    assert len(res["test_score"]) == 3 and (res["test_score"] > 0.5).all()
    # imbal's own pipeline and splitters work the same way.
    from imbal.model_selection import StratifiedKFold as OurKFold
    from imbal.pipeline import make_pipeline as our_pipeline
    res = cross_validate(our_pipeline(SMOTE(random_state=0), LogisticRegression()), X, y, cv=OurKFold(3))
    assert len(res["test_score"]) == 3


def test_stratified_kfold_equals_sklearns():
    from sklearn.model_selection import StratifiedKFold
    from imbal.model_selection import StratifiedKFold as Ours
    _, y = toy(103)
    for (a, b), (c, d) in zip(Ours(4).split(None, y), StratifiedKFold(4).split(np.zeros(len(y)), y)):
        assert np.array_equal(np.sort(a), c) and np.array_equal(np.sort(b), d)


def test_combined_steps_are_objects_as_in_imblearn():
    from imbal.combine import SMOTEENN
    from imbal.over_sampling import SMOTE
    from imbal.under_sampling import EditedNearestNeighbours
    X, y = toy(400)
    a = SMOTEENN(random_state=1).fit_resample(X, y)
    b = SMOTEENN(random_state=1, smote=SMOTE(k_neighbors=5), enn=EditedNearestNeighbours(sampling_strategy="all"))
    b = b.fit_resample(X, y)
    assert np.array_equal(a[0], b[0])
    c = SMOTEENN(random_state=1, smote=SMOTE(k_neighbors=2)).fit_resample(X, y)
    assert not np.array_equal(a[0], c[0])
    with pytest.raises(TypeError, match="smote"):
        SMOTEENN(smote=3).fit_resample(X, y)


# ---- data ------------------------------------------------------------------------------------

def test_no_copy_of_c_contiguous_float64():
    from imbal.over_sampling import SMOTE
    from imbal.under_sampling import TomekLinks
    X, y = toy()
    assert X.flags.c_contiguous and X.dtype == np.float64
    for s in (SMOTE(random_state=0), TomekLinks()):
        s.fit_resample(X, y)
        assert s._x_address == X.ctypes.data  # the engine read the caller's buffer
    # Fortran order or float32 are converted (a copy), and the output keeps float32.
    s = SMOTE(random_state=0)
    Xf = np.asfortranarray(X)
    s.fit_resample(Xf, y)
    assert s._x_address != Xf.ctypes.data
    X32, y32 = s.fit_resample(X.astype(np.float32), y)
    assert X32.dtype == np.float32
    X64, y64 = SMOTE(random_state=0).fit_resample(X, y)
    assert np.allclose(X32, X64.astype(np.float32))


def test_labels_come_back_in_their_own_dtype():
    from imbal.over_sampling import RandomOverSampler
    X, y = toy()
    for labels in (np.where(y == 1, "pos", "neg"), y.astype(bool), y * 10 - 3, y.astype(np.uint8),
                   np.where(y == 1, "pos", "neg").astype(object)):
        Xr, yr = RandomOverSampler(random_state=0).fit_resample(X, labels)
        assert yr.dtype == labels.dtype
        assert set(np.unique(yr)) == set(np.unique(labels))
        n_major = max(np.bincount(y))
        assert np.unique(yr, return_counts=True)[1].tolist() == [n_major, n_major]
    # sampling_strategy names classes by their labels.
    Xr, yr = RandomOverSampler(sampling_strategy={"pos": 100}, random_state=0).fit_resample(
        X, np.where(y == 1, "pos", "neg"))
    assert (yr == "pos").sum() == 100 and (yr == "neg").sum() == (y == 0).sum()


def test_sampling_strategy_forms_match_imblearn():
    from imblearn.under_sampling import RandomUnderSampler as Theirs
    from imbal.under_sampling import RandomUnderSampler
    X, y = toy(500, weights=(0.6, 0.4))
    y = y + (np.arange(500) % 7 == 0)  # three classes
    for strategy in ("auto", "majority", "not minority", "all", {0: 40, 1: 50}, lambda y: {0: 30}):
        _, ours = RandomUnderSampler(sampling_strategy=strategy, random_state=0).fit_resample(X, y)
        _, theirs = Theirs(sampling_strategy=strategy, random_state=0).fit_resample(X, y)
        assert np.array_equal(np.unique(ours, return_counts=True)[1], np.unique(theirs, return_counts=True)[1])


def test_pandas_round_trip_keeps_names_dtypes_and_categories():
    from imbal.over_sampling import SMOTE, SMOTENC, SMOTEN
    df = pd.read_csv(DATASETS / "german_credit.csv")
    y = df.pop("target")
    cats = df.select_dtypes(object).columns
    df[cats] = df[cats].astype("category")
    Xr, yr = SMOTENC(random_state=0).fit_resample(df, y)
    assert isinstance(Xr, pd.DataFrame) and isinstance(yr, pd.Series)
    assert list(Xr.columns) == list(df.columns)
    assert (Xr.dtypes == df.dtypes).all()
    assert yr.name == "target" and yr.dtype == y.dtype
    for c in cats:
        assert set(Xr[c].unique()) <= set(df[c].unique())
    pd.testing.assert_frame_equal(Xr.iloc[: len(df)], df)
    counts = yr.value_counts()
    assert counts.iloc[0] == counts.iloc[1]
    # Object columns are categorical too; SMOTEN takes every column as categorical.
    obj = df[cats].astype(object)
    Xn, _ = SMOTEN(random_state=0).fit_resample(obj, y)
    assert list(Xn.columns) == list(cats) and (Xn.dtypes == object).all()
    # A numeric DataFrame with an int column: SMOTE keeps the dtypes (values cast as imblearn does).
    num = df.select_dtypes("number")
    Xs, _ = SMOTE(random_state=0).fit_resample(num, y)
    assert (Xs.dtypes == num.dtypes).all() and list(Xs.columns) == list(num.columns)


def test_smotenc_categorical_features_by_index_mask_and_name():
    from imblearn.over_sampling import SMOTENC as Theirs
    from imbal.over_sampling import SMOTENC
    rng = np.random.RandomState(0)
    X = np.column_stack([rng.randn(200), rng.randint(0, 3, 200), rng.randn(200), rng.randint(5, 8, 200)])
    y = (rng.rand(200) > 0.8).astype(int)
    ref = Theirs(categorical_features=[1, 3], random_state=0).fit_resample(X, y)[1]
    for spec in ([1, 3], np.array([False, True, False, True])):
        Xr, yr = SMOTENC(categorical_features=spec, random_state=0).fit_resample(X, y)
        assert np.array_equal(np.bincount(yr), np.bincount(ref))
        assert set(np.unique(Xr[:, 1])) <= {0, 1, 2} and set(np.unique(Xr[:, 3])) <= {5, 6, 7}
    df = pd.DataFrame(X, columns=list("abcd"))
    Xr, _ = SMOTENC(categorical_features=["b", "d"], random_state=0).fit_resample(df, y)
    assert set(np.unique(Xr["d"])) <= {5, 6, 7}


def test_sample_indices_and_provenance():
    from imbal.over_sampling import SMOTE, RandomOverSampler
    from imbal.under_sampling import RandomUnderSampler
    X, y = toy()
    s = RandomUnderSampler(random_state=0)
    Xr, yr = s.fit_resample(X, y)
    assert np.array_equal(X[s.sample_indices_], Xr) and np.array_equal(y[s.sample_indices_], yr)
    s = RandomOverSampler(random_state=0)
    Xr, _ = s.fit_resample(X, y)
    assert np.array_equal(X[s.sample_indices_], Xr)
    s = SMOTE(random_state=0)
    Xr, yr = s.fit_resample(X, y)
    p = s.provenance_
    assert p.first_new == len(X) and len(p) == len(Xr) - len(X)
    expected = X[p.parent] + p.step[:, None] * (X[p.neighbor] - X[p.parent])
    assert np.allclose(Xr[len(X):], expected)
    assert (y[p.parent] == y[p.neighbor]).all() and (yr[len(X):] == y[p.parent]).all()
    assert list(p.to_frame().columns) == ["row", "parent", "neighbor", "step"]
    assert not hasattr(SMOTE(), "sample_indices_")


def test_same_seed_same_bytes_any_n_jobs():
    from imbal.over_sampling import SMOTE
    X, y = toy(2000)
    a = SMOTE(random_state=3, n_jobs=1).fit_resample(X, y)[0]
    b = SMOTE(random_state=3, n_jobs=2).fit_resample(X, y)[0]
    c = SMOTE(random_state=3).fit_resample(X, y)[0]
    assert a.tobytes() == b.tobytes() == c.tobytes()


# ---- errors ----------------------------------------------------------------------------------

def test_errors_are_valueerror_or_typeerror_with_the_clis_words(imbal):
    from imbal.over_sampling import SMOTE
    from imbal.under_sampling import NearMiss
    X, y = toy()
    with pytest.raises(ValueError) as e:
        SMOTE(k_neighbors=0).fit_resample(X, y)
    cli = imbal("resample", DATASETS / "imb_ecoli.csv", "--method", "smote", "--param", "k_neighbors=0",
                "-o", os.devnull)
    assert cli.returncode != 0
    assert str(e.value) in cli.stderr
    with pytest.raises(TypeError, match="k_neighbors"):
        SMOTE(k_neighbors="five").fit_resample(X, y)
    with pytest.raises(ValueError, match="version"):
        NearMiss(version=4).fit_resample(X, y)
    with pytest.raises(ValueError, match="rows"):
        SMOTE().fit_resample(X, y[:-1])
    with pytest.raises(ValueError, match="NaN"):
        X2 = X.copy()
        X2[0, 0] = np.nan
        SMOTE().fit_resample(X2, y)
    with pytest.raises(ValueError, match="sampling_strategy|strategy"):
        SMOTE(sampling_strategy="sometimes").fit_resample(X, y)
    with pytest.raises(ValueError, match="categorical"):
        SMOTE().fit_resample(pd.DataFrame({"a": ["x", "y"] * 150, "b": X[:, 0]}), y)
    with pytest.raises(TypeError, match="random_state"):
        SMOTE(random_state="x").fit_resample(X, y)


# ---- Ctrl-C ----------------------------------------------------------------------------------

def test_ctrl_c_interrupts_a_long_run():
    from imbal.under_sampling import EditedNearestNeighbours
    rng = np.random.RandomState(0)
    X = rng.randn(200_000, 4)  # low dimension: the kd-tree, whose work queue hands out small chunks
    y = (rng.rand(len(X)) > 0.5).astype(int)
    enn = EditedNearestNeighbours(sampling_strategy="all", n_neighbors=15, n_jobs=1)
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    finished = False
    start = time.perf_counter()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            enn.fit_resample(X, y)
            finished = True  # the run ended before the signal: the test cannot tell
            time.sleep(30)
    finally:
        timer.cancel()
    elapsed = time.perf_counter() - start
    assert not finished, "the run finished before Ctrl-C; make it longer"
    assert elapsed < 3, f"took {elapsed:.1f} s to stop"
    # The engine is usable afterwards.
    from imbal.over_sampling import SMOTE
    SMOTE(random_state=0).fit_resample(*toy())
