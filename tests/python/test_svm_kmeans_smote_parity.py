"""svm-smote and kmeans-smote against imbalanced-learn 0.10 / scikit-learn 1.2 on the shared numeric datasets.

svm-smote, for every targeted class (every class but the majority):
(a) the support vectors: scikit-learn's SVC(gamma="scale") (imblearn's default `svm_estimator_`) fitted
    on the whole X, y, `support_` filtered by class. Datasets under 2,000 rows are fitted live and must
    equal the frozen golden/svm_support.json.gz (make_svm_kmeans_golden.py), which is used for the larger
    ones (skin_segmentation is left out here: one SVM fit takes minutes; see docs/methods/svm-smote.md).
    Noise support vectors (all m nearest rows of other classes) are dropped, the others split into danger
    and safe, by the plain definition (exclusion by index, ties by (distance, index)); imblearn's own
    `_in_danger_noise` must agree on every support vector without an exact duplicate or a k-th-neighbour tie.
    The CLI is asked for enough rows that each used support vector is a parent with probability
    > 1 - 1e-5: the set of parents must EQUAL the used support vectors, the positive steps must come from
    danger ones and the negative steps (extrapolation) from safe ones.
(b) counts equal the plan; (c) every new row is parent + step * (neighbour - parent), step in [0, 1) for
    danger parents and in (-out_step, 0] for safe ones, the neighbour among the parent's k nearest rows of
    the class.
kmeans-smote: counts equal the plan; new rows on the segment, step in [0, 1); the neighbour is of the
parent's class and among the parent's k nearest rows of the class *in the same cluster*. Clusters are not
printed, so the test uses the (parent, neighbour) pairs: they connect rows of one cluster, so each connected
component lies inside a cluster and "k nearest in the cluster" implies "k nearest in the component" (a
necessary condition; C++ kmeans_smote_test checks the exact one). imblearn's counts are reported.
Run with `-s` to see the report.
"""
import gzip
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import KMeansSMOTE, SVMSMOTE
from sklearn.neighbors import NearestNeighbors
from sklearn.svm import SVC

from conftest import CATEGORICAL, DATASETS, dataset_files, run_imbal
from test_borderline_adasyn_parity import danger_rule, exact_neighbors, foreign_counts_by_index, load, targeted

GOLDEN = Path(__file__).resolve().parent / "golden"
NUMERIC = [n for n in dataset_files() if n not in CATEGORICAL]
SVM_DATASETS = [n for n in NUMERIC if n != "skin_segmentation.csv"]
KMEANS_DATASETS = [n for n in NUMERIC if n != "skin_segmentation.csv"]
M, K, OUT_STEP = 10, 5, 0.5
REPORT = []


def golden_support():
    with gzip.open(GOLDEN / "svm_support.json.gz", "rt") as f:
        return json.load(f)["datasets"]


def svc_support(name, X, y):
    golden = golden_support()[name]
    if len(X) < 2000:
        try:
            y_fit = y.astype(np.int64)
        except ValueError:
            y_fit = y
        svc = SVC(gamma="scale").fit(np.ascontiguousarray(X), y_fit)
        assert sorted(map(int, svc.support_)) == golden["support"], f"{name}: golden file is stale"
        assert repr(svc._gamma) == golden["gamma"]
    return np.array(golden["support"], dtype=np.int64)


def run(tmp_path, name, method, counts, params=()):
    out, prov = tmp_path / f"{method}.csv", tmp_path / f"{method}-prov.csv"
    args = ["resample", DATASETS / name, "--method", method, "--seed", 7, "-o", out, "--provenance", prov]
    if counts is not None:
        args += ["--strategy", ",".join(f"{c}:{n}" for c, n in counts.items())]
    for p in params:
        args += ["--param", p]
    proc = run_imbal(*args)
    if proc.returncode != 0:
        return proc, None, None
    res = pd.read_csv(out, dtype={"target": str}, float_precision="round_trip")
    return proc, res, pd.read_csv(prov)


def check_rows(X, y, res, p):
    X_res = res.drop(columns="target").to_numpy(dtype=float)
    assert np.array_equal(X_res[:len(X)], X)
    assert len(p) == len(X_res) - len(X)
    parents, neighbors, steps = p["parent"].to_numpy(), p["neighbor"].to_numpy(), p["step"].to_numpy()
    expected = X[parents] + steps[:, None] * (X[neighbors] - X[parents])
    scale = max(1.0, np.abs(X).max())
    assert np.allclose(X_res[p["row"].to_numpy()], expected, rtol=1e-12, atol=1e-12 * scale)
    assert (res["target"].to_numpy()[len(X):] == y[parents]).all()
    assert (y[neighbors] == y[parents]).all(), "neighbours are of the parent's class"
    return parents, neighbors, steps


def k_nearest_table(X, parents, k, pool):
    uniq = np.unique(parents)
    return {int(r): set(map(int, nb)) for r, nb in zip(uniq, exact_neighbors(X, uniq, k, np.asarray(pool)))}


@pytest.mark.parametrize("name", SVM_DATASETS)
def test_svm_smote_support_vectors_counts_and_segments(tmp_path, name):
    X, y = load(name)
    classes, n_max = targeted(y)
    support = svc_support(name, X, y)
    k = int(min(K, np.unique(y, return_counts=True)[1].min() - 1))
    nn_m = NearestNeighbors(n_neighbors=M + 1).fit(X)
    used, danger, counts = {}, {}, {}
    for c in classes:
        rows = np.flatnonzero(y == c)
        foreign, ambiguous = foreign_counts_by_index(X, y, c, M)
        pos = np.searchsorted(rows, support[y[support] == c])
        noise = foreign[pos] == M
        # imblearn's own noise / danger test on the same support vectors.
        sm = SVMSMOTE(m_neighbors=M)
        their_noise = sm._in_danger_noise(nn_m, X[rows[pos]], c, y, kind="noise")
        assert not ((their_noise != noise) & ~ambiguous[pos]).any(), f"{name} class {c}: noise"
        kept = pos[~noise]
        is_danger = danger_rule(foreign[kept], M)
        their_danger = sm._in_danger_noise(nn_m, X[rows[kept]], c, y, kind="danger")
        assert not ((their_danger != is_danger) & ~ambiguous[kept]).any(), f"{name} class {c}: danger"
        used[c], danger[c] = set(map(int, rows[kept])), set(map(int, rows[kept][is_danger]))
        REPORT.append((name, c, int(pos.size), int(noise.sum()), int(is_danger.sum()),
                       int((~is_danger).sum()), int((their_noise != noise).sum() + (their_danger != is_danger).sum())))
        nd, ns = int(is_danger.sum()), int((~is_danger).sum())
        need = [s * (math.log(s) + 12) / (0.25 if nd and ns else 1.0) for s in (nd, ns) if s]
        counts[c] = len(rows) + math.ceil(max(need)) if need else None
    for c in [c for c in classes if counts[c] is None]:
        proc, _, _ = run(tmp_path, name, "svm-smote", {c: n_max}, [f"k_neighbors={k}"])
        assert proc.returncode == 1 and "svm-smote" in proc.stderr, proc.stderr
    plan = {c: n for c, n in counts.items() if n is not None}
    if not plan:
        return
    proc, res, p = run(tmp_path, name, "svm-smote", plan, [f"k_neighbors={k}"])
    assert proc.returncode == 0, proc.stderr
    parents, neighbors, steps = check_rows(X, y, res, p)
    ours = res["target"].value_counts()
    for c, n in plan.items():
        assert ours[c] == n, f"{name} class {c}: count"
        sel = y[parents] == c
        pa, nb, st = parents[sel], neighbors[sel], steps[sel]
        assert set(map(int, pa)) == used[c], f"{name} class {c}: parents != used support vectors"
        from_danger = np.isin(pa, list(danger[c]))
        assert ((st >= 0) & (st < 1))[from_danger].all()
        assert ((st <= 0) & (st > -OUT_STEP))[~from_danger].all()
        table = k_nearest_table(X, pa, k, np.flatnonzero(y == c))
        assert all(int(b) in table[int(a)] for a, b in zip(pa, nb)), f"{name} class {c}: neighbour"


@pytest.mark.parametrize("name", KMEANS_DATASETS)
def test_kmeans_smote_counts_segments_and_cluster_neighbours(tmp_path, name):
    X, y = load(name)
    classes, n_max = targeted(y)
    k = 2
    proc, res, p = run(tmp_path, name, "kmeans-smote", None)
    params = []
    if proc.returncode != 0:
        assert proc.returncode == 1 and "no cluster qualifies" in proc.stderr
        assert "cluster_balance_threshold" in proc.stderr and "kmeans_estimator" in proc.stderr
        try:
            KMeansSMOTE(random_state=0).fit_resample(X, y)
            theirs = "ran"
        except RuntimeError:
            theirs = "RuntimeError too"
        REPORT.append((name, "kmeans default", "error", theirs))
        small = [c for c in classes if (y == c).sum() < k + 1]
        if small:  # a class too small for any cluster
            return
        params = ["kmeans_estimator=1"]
        proc, res, p = run(tmp_path, name, "kmeans-smote", None, params)
        assert proc.returncode == 0, proc.stderr
    parents, neighbors, steps = check_rows(X, y, res, p)
    assert ((steps >= 0) & (steps < 1)).all()
    ours = res["target"].value_counts()
    for c in classes:
        assert ours[c] == n_max, f"{name} class {c}: count"
    # Components of the (parent, neighbour) graph lie inside clusters.
    parent_of = {}

    def find(a):
        while parent_of.setdefault(a, a) != a:
            parent_of[a] = parent_of[parent_of[a]]
            a = parent_of[a]
        return a

    for a, b in zip(parents, neighbors):
        parent_of[find(int(a))] = find(int(b))
    components = {}
    for r in list(parent_of):
        components.setdefault(find(r), []).append(r)
    for members in components.values():
        members = np.array(sorted(members))
        sel = np.isin(parents, members)
        kk = min(k, len(members) - 1)
        table = k_nearest_table(X, parents[sel], kk, members)
        assert all(int(b) in table[int(a)] for a, b in zip(parents[sel], neighbors[sel])), name
    if not params:
        try:
            _, y_ref = KMeansSMOTE(random_state=0).fit_resample(X, y)
            ref = pd.Series(y_ref).value_counts()
            REPORT.append((name, "kmeans counts", {c: int(ref[c]) - n_max for c in classes}, "imblearn - plan"))
        except RuntimeError:
            REPORT.append((name, "kmeans default", "ran", "imblearn RuntimeError"))


def test_kmeans_golden_inertia_is_current():
    """The frozen KMeans inertia the C++ k-means test compares with equals scikit-learn's (small sets)."""
    from sklearn.cluster import KMeans
    golden = json.loads((GOLDEN / "kmeans_inertia.json").read_text())["inertia"]
    for name in ("imb_ecoli.csv", "glass_multiclass.csv", "pima.csv"):
        X, _ = load(name)
        km = KMeans(n_clusters=8, n_init=10, random_state=0).fit(np.ascontiguousarray(X))
        assert km.inertia_ == pytest.approx(golden[name], rel=1e-12)


@pytest.fixture(scope="module", autouse=True)
def print_report():
    yield
    if REPORT:
        print("\n[parity] svm-smote: dataset, class, support vectors of the class, noise, danger, safe, "
              "rows where imblearn's noise/danger test differs; kmeans-smote notes")
        for item in REPORT:
            print("  " + "  ".join(map(str, item)))


def test_svm_and_kmeans_smote_refuse_categorical_data(tmp_path):
    for method in ("svm-smote", "kmeans-smote"):
        proc = run_imbal("resample", DATASETS / "car_vgood.csv", "--method", method, "-o", tmp_path / "o.csv")
        assert proc.returncode == 1
        assert "smote-nc" in proc.stderr
        assert not (tmp_path / "o.csv").exists()
