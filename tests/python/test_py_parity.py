"""The Python module against imbalanced-learn 0.10, on every shared dataset, in one process.

- counts: every sampler gives imbalanced-learn's class counts. Live imbalanced-learn runs on the
  files up to ~6,500 rows; on the three big files the counts of the plan-bound methods come from
  imbalanced-learn's own check_sampling_strategy, and the cleaning methods' from the frozen
  golden/cleaning_imblearn.json.gz (imbalanced-learn needs minutes there). svm-smote, kmeans-smote,
  adasyn and cnn are compared live only (the CLI parity files cover the big files).
- index sets: near-miss 1/2 equal imbalanced-learn's sample_indices_ (live); tomek-links, enn,
  renn and all-knn equal the golden kept sets, or, where the golden file and imbal differ by the
  duplicate-row rule (test_cleaning_parity.py explains each), the CLI's kept set.
- the SMOTE contract for the interpolating samplers: every new row lies on the segment from its
  parent to a same-class neighbour, as the provenance_ attribute says.
- the Python module equals the CLI: same seed, same output bytes.
"""
import gzip
import hashlib
import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from imblearn.utils import check_sampling_strategy

import imbal
from imbal import _schema
from conftest import CATEGORICAL, DATASETS, dataset_files, run_imbal

GOLDEN = Path(__file__).resolve().parent / "golden"
NUMERIC = [n for n in dataset_files() if n not in CATEGORICAL]
BIG = {"skin_segmentation.csv", "imb_letter_img.csv", "imb_mammography.csv"}
LIVE_ONLY = {"svm-smote", "kmeans-smote", "adasyn", "cnn"}
CLEANING_GOLDEN = {"tomek-links": "tomek-links", "enn": "enn", "renn": "renn", "all-knn": "all-knn"}
SAMPLERS = {s["name"]: s for s in _schema.SAMPLERS}
_cache = {}


def load(name):
    if name not in _cache:
        df = pd.read_csv(DATASETS / name, dtype={"target": str})
        y = df.pop("target").to_numpy()
        if name in CATEGORICAL:
            df[CATEGORICAL[name]] = df[CATEGORICAL[name]].astype("category")
            _cache[name] = (df, y)
        else:
            _cache[name] = (np.ascontiguousarray(df.to_numpy(dtype=float)), y)
    return _cache[name]


def ours(method, **params):
    return imbal.samplers()[method](**params)


def theirs(method, **params):
    s = SAMPLERS[method]
    mod = __import__(f"imblearn.{_schema.module_of(s)}", fromlist=["x"])
    return getattr(mod, s["python_class"])(**params)


def counts(y):
    c, n = np.unique(np.asarray(y).astype(str), return_counts=True)
    return dict(zip(c, n.tolist()))


def small_k(y, k):
    return int(max(1, min(k, np.unique(y, return_counts=True)[1].min() - 1)))


def params_for(method, y):
    """Parameters that let the method run on every file (neighbour counts a tiny class allows)."""
    p = {}
    if method in ("smote", "borderline-smote", "svm-smote", "smote-nc", "smoten"):
        p["k_neighbors"] = small_k(y, 5)
    if method == "adasyn":
        p["n_neighbors"] = small_k(y, 5)
    if method == "kmeans-smote":
        p["k_neighbors"] = small_k(y, 2)
    return p


@pytest.fixture(scope="module")
def golden():
    with gzip.open(GOLDEN / "cleaning_imblearn.json.gz", "rt") as f:
        return json.load(f)


def cases():
    for name in dataset_files():
        for method in SAMPLERS:
            if name in CATEGORICAL and method not in ("smote-nc", "smoten", "random-over", "random-under"):
                continue
            if name not in CATEGORICAL and method in ("smote-nc", "smoten"):
                continue
            if name in BIG and method in LIVE_ONLY:
                continue
            yield name, method


@pytest.mark.parametrize("name,method", list(cases()))
def test_counts_equal_imblearn(golden, name, method):
    X, y = load(name)
    params = params_for(method, y)
    kept = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = ours(method, **({"random_state": 0} if "random_state" in ours(method).get_params() else {}), **params)
        Xr, yr = s.fit_resample(X, y)
    assert len(Xr) == len(yr)
    if name in BIG and method in CLEANING_GOLDEN:
        entry = golden["results"][f"{name}/{CLEANING_GOLDEN[method]}"]
        removed = np.concatenate([np.asarray(p, dtype=np.int64) for p in entry["passes"]])
        kept = np.setdiff1d(np.arange(len(y)), removed)
        expected = counts(y[kept])
    elif name in BIG and method != "near-miss" and method != "cnn":
        stype = s._schema["family"]
        stype = {"over-sampling": "over-sampling", "under-sampling": "under-sampling"}.get(stype, "clean-sampling")
        plan = check_sampling_strategy("auto", y, stype)
        expected = counts(y)
        for c, n in plan.items():
            expected[str(c)] = expected[str(c)] + n if stype == "over-sampling" else n
        if method in ("smote-enn", "smote-tomek"):
            pytest.skip("combined methods on the big files: covered by test_combine_parity.py")
    elif name == "skin_segmentation.csv" and method == "near-miss":
        ref = json.loads((GOLDEN / "nearmiss_skin.json").read_text())["version1"]
        idx = np.sort(s.sample_indices_)
        assert len(idx) == ref["kept"]
        assert hashlib.sha256(idx.astype(np.int64).tobytes()).hexdigest() == ref["sha256"]
        expected = counts(yr)  # the kept count is checked above
    else:
        t = theirs(method, **({"random_state": 0} if "random_state" in theirs(method).get_params() else {}),
                   **({"categorical_features": [list(X.columns).index(c) for c in CATEGORICAL[name]]}
                      if method == "smote-nc" else {}), **params)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                Xt = X if method not in ("smoten",) else X.astype(str)
                _, yt = t.fit_resample(Xt, y)
            except (ValueError, RuntimeError) as e:
                pytest.skip(f"imbalanced-learn fails here: {e}")
        expected = counts(yt)
        if method in ("near-miss", "tomek-links", "enn", "renn", "all-knn"):
            check_index_set(name, method, s.sample_indices_, t.sample_indices_)
    if method in CLEANING_GOLDEN and kept is not None and not np.array_equal(np.sort(s.sample_indices_), kept):
        # The duplicate-row rule (test_cleaning_parity.py): then imbal must equal the CLI.
        cli = cli_indices(name, method)
        assert np.array_equal(np.sort(s.sample_indices_), np.sort(cli)), (name, method)
        return
    assert counts(yr) == expected, (name, method)


def check_index_set(name, method, mine, ref):
    if np.array_equal(np.sort(mine), np.sort(ref)):
        return
    # Cleaning methods may differ from imblearn by the duplicate-row rule: then imbal == CLI.
    assert method != "near-miss", (name, method)
    assert np.array_equal(np.sort(mine), np.sort(cli_indices(name, method))), (name, method)


def cli_indices(name, method, tmp=Path("/tmp")):
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        run_imbal("resample", DATASETS / name, "--method", method, "--seed", "0", "-o", Path(d) / "o.csv",
                  "--indices", Path(d) / "i.csv", "--quiet", check=True)
        return pd.read_csv(Path(d) / "i.csv").iloc[:, 0].to_numpy()


@pytest.mark.parametrize("name", ["imb_ecoli.csv", "glass_multiclass.csv", "pima.csv", "yeast_multiclass.csv"])
def test_near_miss_versions_1_2_index_sets_equal_imblearn(name):
    X, y = load(name)
    for version in (1, 2):
        a = ours("near-miss", version=version)
        a.fit_resample(X, y)
        b = theirs("near-miss", version=version)
        b.fit_resample(X, y)
        assert np.array_equal(np.sort(a.sample_indices_), np.sort(b.sample_indices_)), (name, version)


@pytest.mark.parametrize("method", ["smote", "borderline-smote", "svm-smote", "adasyn", "kmeans-smote"])
@pytest.mark.parametrize("name", ["imb_ecoli.csv", "yeast_multiclass.csv", "imb_satimage.csv"])
def test_smote_contract(name, method):
    X, y = load(name)
    s = ours(method, random_state=1, **params_for(method, y))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            Xr, yr = s.fit_resample(X, y)
        except ValueError as e:
            pytest.skip(str(e))
    n = len(X)
    assert np.array_equal(Xr[:n], X) and np.array_equal(yr[:n], y)
    p = s.provenance_
    assert len(p) == len(Xr) - n
    inter = p.neighbor >= 0
    new = Xr[n:][inter]
    expected = X[p.parent[inter]] + p.step[inter, None] * (X[p.neighbor[inter]] - X[p.parent[inter]])
    assert np.allclose(new, expected, rtol=1e-12, atol=1e-12 * max(1.0, np.abs(X).max()))
    assert ((p.step[inter] >= 0) & (p.step[inter] <= 1)).all()
    assert (yr[n:] == y[p.parent]).all()


@pytest.mark.parametrize("method", sorted(SAMPLERS))
def test_python_equals_cli_byte_for_byte(tmp_path, method):
    name = "german_credit.csv" if method in ("smote-nc", "smoten") else "imb_ecoli.csv"
    X, y = load(name)
    if "random_state" not in ours(method).get_params():
        s = ours(method)
    else:
        s = ours(method, random_state=5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        Xr, yr = s.fit_resample(X, y)
    run_imbal("resample", DATASETS / name, "--method", method, "--seed", "5", "-o", tmp_path / "o.csv", "--quiet",
              check=True)
    cli = pd.read_csv(tmp_path / "o.csv", dtype={"target": str}, float_precision="round_trip")
    assert list(cli["target"]) == list(yr)
    cli = cli.drop(columns="target")
    if isinstance(Xr, pd.DataFrame):
        for c in Xr.columns:
            if isinstance(Xr[c].dtype, pd.CategoricalDtype):
                assert list(Xr[c].astype(str)) == list(cli[c].astype(str)), c
            else:
                assert np.array_equal(Xr[c].to_numpy(dtype=float), cli[c].to_numpy(dtype=float)), c
    else:
        assert np.array_equal(Xr, cli.to_numpy(dtype=float))
