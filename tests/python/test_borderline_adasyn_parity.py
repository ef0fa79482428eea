"""borderline-smote and adasyn against imbalanced-learn 0.10 on every shared numeric dataset.

For every targeted class (every class but the majority, as `auto`):

(a) the rows imbal creates new rows from are the ones imbalanced-learn selects.
    - borderline-smote: the danger set. The CLI does not print it, so borderline-1 is asked for
      N = D * (ln D + 25) new rows of a class whose danger set has D rows; each danger row is then
      a parent with probability > 1 - 1e-10, and the set of parents must EQUAL the danger set.
    - adasyn: the number of new rows per parent is deterministic (the largest-remainder rounding
      of r_i * N); it must equal the allocation recomputed here from imbalanced-learn's ratios.
    imbalanced-learn drops the first column of `kneighbors` (assumed to be the row itself) and
    orders equidistant rows its own way; imbal excludes the row by index and breaks ties by row
    index. So the expectation is recomputed here by the plain definition (exclusion by index,
    ties by (distance, index), imbal's distance formula), and: ours == plain definition on every
    row; plain definition == imbalanced-learn on every row that has no exact duplicate and no
    tie between its k-th and (k+1)-th nearest rows (the differences are reported).
(b) counts: imbal gives the plan exactly; imbalanced-learn's counts for the same strategy are
    compared and the differences reported (borderline-2 can be one short, ADASYN misses by rounding).
(c) the segment contract: every new row is parent + step * (neighbour - parent), with the
    neighbour among the parent's k nearest rows (same class, or any class for borderline-2 where
    the step is < 0.5 towards another class).
Run with `-s` to see the reported differences.
"""
import math

import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import ADASYN, BorderlineSMOTE
from sklearn.neighbors import NearestNeighbors

from conftest import CATEGORICAL, DATASETS, dataset_files, run_imbal

NUMERIC = [n for n in dataset_files() if n not in CATEGORICAL]
# (method, dataset, class, selected by imbal, selected by imblearn, rows that differ): printed at
# the end of the module with -s.
REPORT = []
# (dataset, class, new rows requested (= imbal's), new rows imblearn makes; 0: it raises
# "No samples will be generated with the provided ratio settings.")
ADASYN_COUNTS = []
M_NEIGHBORS = 10
N_NEIGHBORS = 5


def load(name):
    df = pd.read_csv(DATASETS / name, dtype={"target": str})
    X = df.drop(columns="target").to_numpy(dtype=float)
    y = df["target"].to_numpy()
    return X, y


def targeted(y):
    classes, counts = np.unique(y, return_counts=True)
    majority = classes[np.argmax(counts)]
    return [c for c in classes if c != majority], int(counts.max())


def exact_squared_distances(A, B):
    """imbal's squared distance: squares rounded one by one, summed in column order. The engine
    ranks by it (two squared distances one ulp apart can have the same square root, so ranking
    by the root would tie them). A: (t, d) queries, B: (t, c, d) candidates -> (t, c)."""
    acc = np.zeros(B.shape[:2])
    for j in range(A.shape[1]):
        diff = B[:, :, j] - A[:, None, j]
        acc = acc + diff * diff
    return acc


def exact_neighbors(X, rows, k, pool=None, return_distance=False):
    """The k nearest rows of `pool` (default: all rows) of each row in `rows`, the row itself
    excluded by index, ties by (distance, index): the plain definition imbal follows. sklearn's
    tree gives candidates; exact distances re-rank them; rows whose candidate list may miss a
    tie are asked again with more candidates."""
    rows = np.asarray(rows)
    pool = np.arange(len(X)) if pool is None else np.asarray(pool)
    algorithm = "kd_tree" if X.shape[1] <= 16 else "ball_tree"
    nn = NearestNeighbors(algorithm=algorithm).fit(X[pool])
    out = np.empty((len(rows), k), dtype=np.int64)
    out_dist = np.empty((len(rows), k))
    todo = np.arange(len(rows))
    kk = min(k + 8, len(pool))
    while todo.size:
        dist, ind = nn.kneighbors(X[rows[todo]], n_neighbors=kk)
        cand = pool[ind]
        exact = exact_squared_distances(X[rows[todo]], X[cand])
        exact[cand == rows[todo][:, None]] = np.inf
        order = np.lexsort((cand, exact), axis=-1)
        cand = np.take_along_axis(cand, order, axis=1)
        exact = np.take_along_axis(exact, order, axis=1)
        kth = np.sqrt(exact[:, k - 1])
        # Complete when no row outside the candidates can be as near as the k-th (tree distances
        # are accurate to a few ulps).
        complete = (kk == len(pool)) | (kth < dist[:, -1] * (1 - 1e-9))
        out[todo[complete]] = cand[complete, :k]
        out_dist[todo[complete]] = np.sqrt(exact[complete, :k])
        todo = todo[~complete]
        kk = min(2 * kk, len(pool))
    return (out, out_dist) if return_distance else out


def foreign_counts_by_index(X, y, cls, k):
    """Per row of class `cls`: other-class rows among its k nearest rows (plain definition), and
    whether imbalanced-learn may legitimately see another neighbour list: the row has an exact
    duplicate (kneighbors' column 0 may be the duplicate, not the row), or the k-th and
    (k+1)-th nearest rows are (nearly) tied (sklearn orders ties its own way)."""
    rows = np.flatnonzero(y == cls)
    nbrs, dist = exact_neighbors(X, rows, k + 1, return_distance=True)
    counts = (y[nbrs[:, :k]] != cls).sum(axis=1)
    dup = pd.DataFrame(X).duplicated(keep=False).to_numpy()[rows]
    tie = dist[:, k] - dist[:, k - 1] <= 1e-9 * dist[:, k]
    return counts, dup | tie


def foreign_counts_imblearn(X, y, cls, k):
    nn = NearestNeighbors(n_neighbors=k + 1).fit(X)
    nns = nn.kneighbors(X[y == cls], return_distance=False)[:, 1:]
    return (y[nns] != cls).sum(axis=1)


def danger_imblearn(X, y, cls, m):
    nn_m = NearestNeighbors(n_neighbors=m + 1).fit(X)
    return BorderlineSMOTE(m_neighbors=m)._in_danger_noise(nn_m, X[y == cls], cls, y, kind="danger")


def danger_rule(n_foreign, m):
    return (n_foreign >= m / 2) & (n_foreign < m)


def largest_remainder(weights, total):
    weights = [int(w) for w in weights]
    s = sum(weights)
    parts = [w * total // s for w in weights]
    rem = [w * total % s for w in weights]
    left = total - sum(parts)
    for i in sorted(range(len(weights)), key=lambda i: (-rem[i], i))[:left]:
        parts[i] += 1
    return np.array(parts)


def strategy(counts):
    return ",".join(f"{c}:{n}" for c, n in counts.items())


def resample(tmp_path, name, method, params, counts, seed=7):
    out, prov = tmp_path / f"{method}.csv", tmp_path / f"{method}-prov.csv"
    args = ["resample", DATASETS / name, "--method", method, "--seed", seed, "-o", out,
            "--provenance", prov, "--strategy", strategy(counts)]
    for p in params:
        args += ["--param", p]
    run_imbal(*args, check=True)
    res = pd.read_csv(out, dtype={"target": str}, float_precision="round_trip")
    return res, pd.read_csv(prov)


def check_segments(X, y, res, p):
    """The new rows are parent + step * (neighbour - parent), originals first, labels of the parent."""
    X_res = res.drop(columns="target").to_numpy(dtype=float)
    assert np.array_equal(X_res[:len(X)], X)
    assert len(p) == len(X_res) - len(X)
    parents, neighbors, steps = p["parent"].to_numpy(), p["neighbor"].to_numpy(), p["step"].to_numpy()
    expected = X[parents] + steps[:, None] * (X[neighbors] - X[parents])
    assert np.allclose(X_res[p["row"].to_numpy()], expected, rtol=1e-12, atol=1e-12 * max(1.0, np.abs(X).max()))
    assert (res["target"].to_numpy()[len(X):] == y[parents]).all()
    assert ((steps >= 0) & (steps < 1)).all()
    return parents, neighbors, steps


def neighbor_table(X, y, cls, parents, k, pool):
    """{parent: set of its k nearest rows of `pool`} for the distinct parents."""
    uniq = np.unique(parents)
    nbrs = exact_neighbors(X, uniq, k, pool)
    return {int(r): set(map(int, nb)) for r, nb in zip(uniq, nbrs)}


def k_for(y):
    return int(min(5, np.unique(y, return_counts=True)[1].min() - 1))


@pytest.mark.parametrize("name", NUMERIC)
def test_borderline_smote_danger_sets_counts_and_segments(tmp_path, name):
    X, y = load(name)
    classes, n_max = targeted(y)
    k = k_for(y)
    n_in = {c: int((y == c).sum()) for c in classes}
    danger = {}
    for c in classes:
        counts, ambiguous = foreign_counts_by_index(X, y, c, M_NEIGHBORS)
        ours_def = danger_rule(counts, M_NEIGHBORS)
        theirs = danger_imblearn(X, y, c, M_NEIGHBORS)
        differ = ours_def != theirs
        assert not (differ & ~ambiguous).any(), f"{name} class {c}: plain definition != imblearn"
        REPORT.append(("borderline-smote", name, c, int(ours_def.sum()), int(theirs.sum()), int(differ.sum())))
        danger[c] = np.flatnonzero(y == c)[ours_def]
    with_danger = [c for c in classes if len(danger[c])]
    for c in classes:
        if not len(danger[c]):
            proc = run_imbal("resample", DATASETS / name, "--method", "borderline-smote", "--param", f"k_neighbors={k}",
                             "--strategy", f"{c}:{n_max}", "-o", tmp_path / "none.csv")
            assert proc.returncode == 1 and "is in danger" in proc.stderr, proc.stderr
    if not with_danger:
        return

    # (a) borderline-1 with enough rows that every danger row is drawn: parents == danger set.
    many = {c: n_in[c] + math.ceil(len(danger[c]) * (math.log(len(danger[c])) + 25)) for c in with_danger}
    res, p = resample(tmp_path, name, "borderline-smote", [f"k_neighbors={k}"], many)
    parents, neighbors, steps = check_segments(X, y, res, p)
    for c in with_danger:
        mine = parents[y[parents] == c]
        assert (mine.size == many[c] - n_in[c]), f"{name} class {c}: count"
        assert set(map(int, np.unique(mine))) == set(map(int, danger[c])), f"{name} class {c}: parents != danger set"
        # (c) the neighbour is one of the parent's k nearest same-class rows.
        table = neighbor_table(X, y, c, mine, k, np.flatnonzero(y == c))
        assert all(int(nb) in table[int(pa)] for pa, nb in zip(mine, neighbors[y[parents] == c])), name

    # (b) + (c) borderline-2 at the majority count: exact counts, segments, steps.
    target = {c: n_max for c in with_danger}
    res2, p2 = resample(tmp_path, name, "borderline-smote", [f"k_neighbors={k}", "kind=borderline-2"], target)
    parents, neighbors, steps = check_segments(X, y, res2, p2)
    ours_counts = res2["target"].value_counts()
    for c in with_danger:
        assert ours_counts[c] == n_max, f"{name} class {c}"
        sel = y[parents] == c
        assert set(map(int, parents[sel])) <= set(map(int, danger[c]))
        foreign = y[neighbors[sel]] != c
        assert (steps[sel][foreign] < 0.5).all(), f"{name} class {c}: step towards another class >= 0.5"
        any_table = neighbor_table(X, y, c, parents[sel], k, None)
        same_table = neighbor_table(X, y, c, parents[sel], k, np.flatnonzero(y == c))
        for pa, nb, fo in zip(parents[sel], neighbors[sel], foreign):
            pa, nb = int(pa), int(nb)
            assert nb in any_table[pa] or (not fo and nb in same_table[pa]), f"{name}: {pa} -> {nb}"
    for kind in ("borderline-1", "borderline-2"):
        _, y_ref = BorderlineSMOTE(k_neighbors=k, kind=kind, sampling_strategy=target,
                                   random_state=0).fit_resample(X, y)
        ref = pd.Series(y_ref).value_counts()
        diff = {c: int(ref[c]) - n_max for c in with_danger if ref[c] != n_max}
        if diff:
            print(f"\n[borderline-smote {kind}] {name}: imblearn misses the requested count by {diff}")


@pytest.mark.parametrize("name", NUMERIC)
def test_adasyn_allocation_counts_and_segments(tmp_path, name):
    X, y = load(name)
    classes, n_max = targeted(y)
    k = min(N_NEIGHBORS, k_for(y))
    expected_counts, usable, same_as_imblearn = {}, [], {}
    for c in classes:
        ours_def, ambiguous = foreign_counts_by_index(X, y, c, k)
        theirs = foreign_counts_imblearn(X, y, c, k)
        differ = ours_def != theirs
        assert not (differ & ~ambiguous).any(), f"{name} class {c}: plain definition != imblearn"
        REPORT.append(("adasyn", name, c, int(ours_def.sum()), int(theirs.sum()), int(differ.sum())))
        same_as_imblearn[c] = not differ.any()
        if ours_def.sum() == 0:
            proc = run_imbal("resample", DATASETS / name, "--method", "adasyn", "--param", f"n_neighbors={k}",
                             "--strategy", f"{c}:{n_max}", "-o", tmp_path / "none.csv")
            assert proc.returncode == 1 and "ratios are all zero" in proc.stderr, proc.stderr
            continue
        usable.append(c)
        expected_counts[c] = ours_def
    if not usable:
        return
    target = {c: n_max for c in usable}
    res, p = resample(tmp_path, name, "adasyn", [f"n_neighbors={k}"], target)
    parents, neighbors, _ = check_segments(X, y, res, p)
    ours_counts = res["target"].value_counts()
    for c in usable:
        rows = np.flatnonzero(y == c)
        n_new = n_max - len(rows)
        assert ours_counts[c] == n_max, f"{name} class {c}"
        # (a) per-parent counts: exactly the largest-remainder allocation of the ratios.
        per_parent = pd.Series(parents[y[parents] == c]).value_counts().reindex(rows, fill_value=0).to_numpy()
        assert np.array_equal(per_parent, largest_remainder(expected_counts[c], n_new)), f"{name} class {c}"
        # imbalanced-learn's own rounding (np.rint of the normalised ratios), for the report.
        ratio = expected_counts[c] / k
        ratio = ratio / ratio.sum()
        rint_total = int(np.rint(ratio * n_new).astype(int).sum())
        try:
            _, y_ref = ADASYN(n_neighbors=k, sampling_strategy={c: n_max}, random_state=0).fit_resample(X, y)
            theirs = int((y_ref == c).sum()) - len(rows)
        except ValueError as e:  # every np.rint(r_i * N) is 0
            assert "No samples will be generated" in str(e)
            theirs = 0
        assert theirs == rint_total or not same_as_imblearn[c]
        ADASYN_COUNTS.append((name, c, n_new, theirs))
        # (c) neighbours among the parent's k nearest same-class rows.
        mine = parents[y[parents] == c]
        table = neighbor_table(X, y, c, mine, k, rows)
        assert all(int(nb) in table[int(pa)] for pa, nb in zip(mine, neighbors[y[parents] == c])), name


@pytest.fixture(scope="module", autouse=True)
def print_report():
    yield
    if REPORT:
        print("\n[parity] method, dataset, class: rows selected by imbal / by imblearn "
              "(danger rows; adasyn: sum of other-class neighbour counts), rows that differ")
        for method, name, c, ours, theirs, differ in REPORT:
            print(f"  {method:17s} {name:24s} {c:10s} {ours:6d} / {theirs:6d}  differ: {differ}")
    if ADASYN_COUNTS:
        print("[parity] adasyn new rows: dataset, class, requested (= imbal), imblearn (0: it raises)")
        for name, c, n_new, theirs in ADASYN_COUNTS:
            print(f"  {name:24s} {c:10s} {n_new:7d} {theirs:7d}  ({theirs - n_new:+d})")


def test_borderline_and_adasyn_refuse_categorical_data(tmp_path):
    for method in ("borderline-smote", "adasyn"):
        proc = run_imbal("resample", DATASETS / "adult.csv", "--method", method, "-o", tmp_path / "o.csv")
        assert proc.returncode == 1
        assert "smote-nc" in proc.stderr
        assert not (tmp_path / "o.csv").exists()
