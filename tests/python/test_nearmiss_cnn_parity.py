"""near-miss and cnn against imbalanced-learn 0.10 on the shared numeric datasets.

near-miss (deterministic): the kept index sets must EQUAL imbalanced-learn's for versions 1 and 2
on every dataset. Version 3 starts by taking the n_neighbors_ver3 nearest rows of the class of
every minority row; when several rows are equidistant at that boundary (exact ties: duplicated
rows, integer-valued data) imbalanced-learn keeps whichever its tree or heap reports, imbal the
lower row index. So for version 3: (a) imbal == the plain definition (exact distances, ties by
index), recomputed here; (b) imbalanced-learn's own second step (`_selection_dist_based` on its
`nn_`) applied to the plain candidate set gives exactly imbal's rows; (c) imbalanced-learn's
candidate set differs from the plain one only where distances tie: every candidate it takes has
an exact distance no larger than the plain n_neighbors_ver3-th one. The differences are reported.
skin_segmentation (245,057 rows) takes imbalanced-learn seconds per version and its version 2
cannot run at all (194,198 x 50,859 distances: 158 GB), so for skin the imbalanced-learn side of
version 1 is frozen in golden/nearmiss_skin.json (make_nearmiss_skin_golden.py), version 2 is not
compared, and version 3 is compared when that file has a version3 entry (the script's plain
version-3 reference on skin did not finish on the loaded build machine, so it is absent for now).

cnn (randomised, different random draws than imbalanced-learn): (1) the defining property: every
removed row of a class is classified correctly by 1-NN over the minority rows and the kept rows
of its class; (2) kept counts comparable to imbalanced-learn's (frozen in golden/cnn_imblearn.json,
imbalanced-learn needs 1-70 s per dataset); (3) imbalanced-learn's own pima output violates the
property (its skip list mixes class positions with row indices), imbal's does not.
Run with -s to see the figures.
"""
import gzip
import hashlib
import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from imblearn.under_sampling import NearMiss
from sklearn.neighbors import NearestNeighbors

from conftest import CATEGORICAL, DATASETS, dataset_files, run_imbal

GOLDEN = Path(__file__).resolve().parent / "golden"
NUMERIC = [n for n in dataset_files() if n not in CATEGORICAL]
SKIN = "skin_segmentation.csv"
REPORT = []


def load(name):
    df = pd.read_csv(DATASETS / name, dtype={"target": str})
    return df.drop(columns="target").to_numpy(dtype=float), df["target"].to_numpy()


def imbal_indices(tmp_path, name, method, params=(), seed=1):
    args = ["resample", DATASETS / name, "--method", method, "--seed", seed, "-o", tmp_path / "out.csv",
            "--indices", tmp_path / "idx.csv", "--quiet"]
    for p in params:
        args += ["--param", p]
    run_imbal(*args, check=True)
    return pd.read_csv(tmp_path / "idx.csv").iloc[:, 0].to_numpy()


def exact_sq(A, B):
    """imbal's squared distance (squares rounded one by one, summed in column order), rows of A
    against rows of B -> (len(A), len(B))."""
    acc = np.zeros((len(A), len(B)))
    for j in range(A.shape[1]):
        diff = A[:, None, j] - B[None, :, j]
        acc = acc + diff * diff
    return acc


def exact_knn(X, queries, pool, k):
    """The k nearest rows of `pool` (ascending row indices) of each row in `queries` by (exact
    squared distance, row index), and the exact k-th squared distance. Brute force in chunks."""
    queries, pool = np.asarray(queries), np.asarray(pool)
    out = np.empty((len(queries), k), dtype=np.int64)
    kth = np.empty(len(queries))
    step = max(1, 4_000_000 // max(1, len(pool)))
    for s in range(0, len(queries), step):
        sq = exact_sq(X[queries[s:s + step]], X[pool])
        order = np.argsort(sq, axis=1, kind="stable")[:, :k]  # stable: ties by position = by row
        out[s:s + step] = pool[order]
        kth[s:s + step] = np.take_along_axis(sq, order[:, -1:], axis=1)[:, 0]
    return out, kth


def exact_knn_tree(X, queries, pool, k):
    """exact_knn for large inputs (the skin golden file): sklearn's tree proposes, a radius query a
    little beyond its k-th distance collects every possible tie, exact distances decide."""
    nn = NearestNeighbors(algorithm="kd_tree").fit(X[pool])
    dist, _ = nn.kneighbors(X[queries], n_neighbors=k)
    within = nn.radius_neighbors(X[queries], radius=dist[:, -1] * (1 + 1e-9) + 1e-300, return_distance=False)
    out = np.empty((len(queries), k), dtype=np.int64)
    kth = np.empty(len(queries))
    for i, cand in enumerate(within):
        rows = pool[cand]
        sq = exact_sq(X[queries[i]][None, :], X[rows])[0]
        order = np.lexsort((rows, sq))[:k]
        out[i] = rows[order]
        kth[i] = sq[order[-1]]
    return out, kth


def sum_distances(dist):
    return np.sum(dist, axis=1)  # numpy's summation, as imbalanced-learn


def plain_nearmiss3(X, y, cls, minority, n_out, k=3, k3=3, knn=exact_knn):
    """Version 3 by its plain definition: candidates by (exact distance, index), then the n_out
    largest scores (exact distances to the k nearest minority rows), ties to the lower row."""
    rows, mrows = np.flatnonzero(y == cls), np.flatnonzero(y == minority)
    near, kth = knn(X, mrows, rows, k3)
    cands = np.unique(near)
    scores = []
    step = max(1, 4_000_000 // len(mrows))
    for s in range(0, len(cands), step):
        sq = exact_sq(X[cands[s:s + step]], X[mrows])
        part = np.sqrt(np.partition(sq, k - 1, axis=1)[:, :k])
        scores.append(sum_distances(np.sort(part, axis=1)))
    scores = np.concatenate(scores)
    order = sorted(range(len(cands)), key=scores.__getitem__, reverse=True)[:n_out]
    return cands, set(cands[order].tolist()), kth


def imblearn_step2(X, y, cls, minority, cands, n_out):
    """imbalanced-learn's own second step of version 3 on a given candidate set."""
    nm = NearMiss(version=3)
    nm._validate_estimator()
    nm.nn_.fit(X[y == minority])
    dist, _ = nm.nn_.kneighbors(X[cands], n_neighbors=nm.nn_.n_neighbors)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sel = nm._selection_dist_based(X[cands], y[cands], dist, n_out, cls, sel_strategy="farthest")
    return set(cands[sel].tolist())


def minority_of(y):
    from collections import Counter
    counts = Counter(y)
    return min(counts, key=counts.get)


def targets(y):
    """Classes `auto` targets for under-sampling and their n_out (imbalanced-learn's rule)."""
    classes, counts = np.unique(y, return_counts=True)
    smallest = classes[np.argmin(counts)]
    return {c: int(counts.min()) for c in classes if c != smallest}


def digest(indices):
    return hashlib.sha256(np.sort(np.asarray(indices, dtype=np.int64)).tobytes()).hexdigest()


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("name", NUMERIC)
def test_nearmiss_1_2_equal_imblearn(tmp_path, name, version):
    if name == SKIN and version == 2:
        pytest.skip("imbalanced-learn cannot run NearMiss-2 on skin_segmentation (158 GB of distances)")
    ours = imbal_indices(tmp_path, name, "near-miss", [f"version={version}"])
    assert len(ours) == len(set(ours.tolist()))
    if name == SKIN:
        golden = json.loads((GOLDEN / "nearmiss_skin.json").read_text())
        assert digest(ours) == golden["version1"]["sha256"], "skin: kept set differs from imblearn's (frozen)"
        REPORT.append((f"near-miss-{version}", name, len(ours), golden["version1"]["kept"], 0))
        return
    X, y = load(name)
    nm = NearMiss(version=version)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nm.fit_resample(X, y)
    theirs = nm.sample_indices_
    REPORT.append((f"near-miss-{version}", name, len(ours), len(theirs), len(set(ours) ^ set(theirs))))
    assert set(ours.tolist()) == set(theirs.tolist()), f"{name} v{version}"
    # Per class in sorted label order, every untargeted row kept.
    assert (np.diff(pd.Series(y[ours]).map({c: i for i, c in enumerate(np.unique(y))}).to_numpy()) >= 0).all()


@pytest.mark.parametrize("name", NUMERIC)
def test_nearmiss_3_is_the_definition_and_imblearn_differs_only_by_ties(tmp_path, name):
    X, y = load(name)
    ours = set(imbal_indices(tmp_path, name, "near-miss", ["version=3"]).tolist())
    minority = minority_of(y)
    targeted = np.isin(y, list(targets(y)))
    ours_targeted = {i for i in ours if targeted[i]}
    if name == SKIN:
        golden = json.loads((GOLDEN / "nearmiss_skin.json").read_text()).get("version3")
        if golden is None:
            pytest.skip("golden/nearmiss_skin.json has no version3 entry (run make_nearmiss_skin_golden.py)")
        assert digest(list(ours_targeted)) == golden["plain_sha256"], "skin: imbal != plain definition (frozen)"
        REPORT.append(("near-miss-3", name, len(ours_targeted), golden["kept"], golden["differ"]))
        return
    theirs_all, expected_all = set(), set()
    for cls, n_out in targets(y).items():
        rows = np.flatnonzero(y == cls)
        cands, expected, kth = plain_nearmiss3(X, y, cls, minority, n_out)
        # (b) imbalanced-learn's own second step on the plain candidates gives the plain rows.
        assert expected == imblearn_step2(X, y, cls, minority, cands, n_out), f"{name} {cls}: step 2"
        expected_all |= expected
        # (c) imbalanced-learn's candidates: no farther than the plain k-th nearest (ties aside).
        nn3 = NearestNeighbors(n_neighbors=3).fit(X[rows])
        _, ind = nn3.kneighbors(X[y == minority])
        theirs_c = rows[ind]
        mrows = np.flatnonzero(y == minority)
        sq = np.stack([exact_sq(X[mrows], X[theirs_c[:, j]]).diagonal() for j in range(3)], axis=1)
        assert (sq.max(axis=1) <= kth * (1 + 1e-12)).all(), f"{name} {cls}: imblearn candidate beyond the k-th"
        theirs_all |= imblearn_step2(X, y, cls, minority, np.unique(theirs_c), n_out)
    # (a) imbal is the plain definition.
    assert ours_targeted == expected_all, f"{name}: imbal != plain definition"
    nm = NearMiss(version=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nm.fit_resample(X, y)
    full_theirs = {i for i in nm.sample_indices_.tolist() if targeted[i]}
    assert full_theirs == theirs_all, f"{name}: imblearn's result is its candidates + its step 2"
    REPORT.append(("near-miss-3", name, len(ours_targeted), len(full_theirs), len(expected_all ^ full_theirs)))


def classified_by_kept(X, y, kept, minority):
    """Removed rows of each class that 1-NN over (minority rows + kept rows of the class) gets
    wrong, ties by (exact distance, index): the defining property of Hart's rule wants none."""
    kept = np.asarray(sorted(kept))
    bad = 0
    for cls in np.unique(y):
        if cls == minority:
            continue
        rows = np.flatnonzero(y == cls)
        store = np.union1d(np.flatnonzero(y == minority), kept[y[kept] == cls])
        removed = np.setdiff1d(rows, kept)
        if len(removed) == 0:
            continue
        near, _ = exact_knn(X, removed, store, 1)
        bad += int((y[near[:, 0]] != cls).sum())
    return bad


CNN_GOLDEN = json.loads((GOLDEN / "cnn_imblearn.json").read_text()) if (GOLDEN / "cnn_imblearn.json").exists() else None


@pytest.mark.parametrize("name", [n for n in NUMERIC if n != SKIN])
def test_cnn_defining_property_and_counts(tmp_path, name):
    X, y = load(name)
    minority = minority_of(y)
    counts = []
    for seed in ((1, 2) if len(y) < 5000 else (1,)):
        ours = imbal_indices(tmp_path, name, "cnn", seed=seed)
        assert len(ours) == len(set(ours.tolist()))
        assert set(np.flatnonzero(y == minority).tolist()) <= set(ours.tolist())
        assert classified_by_kept(X, y, ours, minority) == 0, f"{name}: a removed row is misclassified"
        counts.append(len(ours))
    stem = name[:-4]
    if CNN_GOLDEN is None or stem not in CNN_GOLDEN["datasets"]:
        REPORT.append(("cnn", name, counts, None, None))
        return
    runs = CNN_GOLDEN["datasets"][stem]
    theirs = [r["n_kept"] for r in runs]
    REPORT.append(("cnn", name, counts, theirs, [r["seconds"] for r in runs]))
    ratio = np.mean(counts) / np.mean(theirs)
    # imbalanced-learn skips some rows it should test (see the module docstring): it keeps fewer.
    assert 0.8 <= ratio <= 1.3, f"{name}: imbal keeps {counts}, imblearn {theirs}"
    if stem == "pima":
        bad = [classified_by_kept(X, y, np.array(r["sample_indices"]), minority) for r in runs]
        REPORT.append(("cnn: imblearn's removed pima rows misclassified by its kept set", name, bad, None, None))
        assert min(bad) > 0


def test_zz_report():
    print()
    for row in REPORT:
        print("  ", row)
