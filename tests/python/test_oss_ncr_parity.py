"""one-sided-selection and ncr against imbalanced-learn 0.10.

ncr (deterministic): the kept row sets must EQUAL imbalanced-learn's NeighbourhoodCleaningRule's on
every shared numeric dataset, for kind_sel 'all' (the default) and 'mode'. imbalanced-learn's
answers are frozen in golden/ncr_imblearn.json.gz (golden/make_ncr_golden.py, which records the
versions); the small files also run live and must reproduce it. Where the sets differ, every
differing row must involve an exact duplicate row or an exact distance tie among the neighbours
that decide it (imbalanced-learn drops the first column of `kneighbors` as "the row itself", which
is another row when the row has a duplicate; see test_cleaning_parity.py) - anything else fails.
With kind_sel='all' imbalanced-learn 0.10 tests np.all(neighbour LABELS) (docs/methods/ncr.md): on
string labels it raises a TypeError; imbal then gives the enn (mode) step alone, checked here.

one-sided-selection (randomised): imbal's seed draws are recomputed in Python (imbal_rng.py) and
handed to imbalanced-learn's own OneSidedSelection in place of its numpy draws; the kept sets must
then be equal, up to the same duplicate / tie rule. Run with -s for the tables.
"""
import gzip
import json
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from imblearn.under_sampling import NeighbourhoodCleaningRule, OneSidedSelection
from imblearn.under_sampling._prototype_selection import _one_sided_selection

from conftest import CATEGORICAL, DATASETS, dataset_files, run_imbal
from imbal_rng import Rng

GOLDEN = Path(__file__).resolve().parent / "golden" / "ncr_imblearn.json.gz"
NUMERIC = [n for n in dataset_files() if n not in CATEGORICAL]
LIVE = ["glass_multiclass.csv", "imb_ecoli.csv", "pima.csv", "yeast_multiclass.csv"]
REPORT = []

_cache = {}


def load(name):
    if name not in _cache:
        df = pd.read_csv(DATASETS / name, float_precision="round_trip")
        _cache[name] = (df.drop(columns="target").to_numpy(dtype=float), df["target"].to_numpy())
    return _cache[name]


@pytest.fixture(scope="module")
def golden():
    with gzip.open(GOLDEN, "rt") as f:
        return json.load(f)


def imbal_kept(tmp_path, name, method, params=(), seed=None):
    out, idx = tmp_path / "out.csv", tmp_path / "idx.csv"
    args = ["resample", DATASETS / name, "--method", method, "-o", out, "--indices", idx, "--quiet"]
    if seed is not None:
        args += ["--seed", seed]
    for p in params:
        args += ["--param", p]
    run_imbal(*args, check=True)
    kept = pd.read_csv(idx)["sample_index"].to_numpy()
    assert (np.diff(kept) > 0).all(), "kept rows are input rows in input order"
    return kept


def exact_sq(X, a, rows):
    """imbal's squared distances (squares rounded one by one, summed in column order)."""
    diff = X[rows] - X[a]
    acc = np.zeros(len(rows))
    for j in range(X.shape[1]):
        acc = acc + diff[:, j] * diff[:, j]
    return acc


def duplicated(X):
    return pd.DataFrame(X).duplicated(keep=False).to_numpy()


def tie_or_duplicate_near(X, dup, x, k, pool=None):
    """Whether row x's k + 1 nearest rows of `pool` (x excluded) include a duplicated row or two
    rows at exactly equal distance (then 'the k nearest' is not unique or imbalanced-learn's
    'drop the first column' may drop another row)."""
    pool = np.arange(len(X)) if pool is None else np.asarray(pool)
    pool = pool[pool != x]
    sq = exact_sq(X, x, pool)
    order = np.lexsort((pool, sq))[: k + 2]
    near = pool[order]
    return bool(dup[x] or dup[near].any() or len(np.unique(sq[order])) < len(order))


# ------------------------------------------------------------------------------------------------
# ncr


@pytest.mark.parametrize("kind_sel", ["all", "mode"])
@pytest.mark.parametrize("name", NUMERIC)
def test_ncr_kept_sets_equal_imblearn(tmp_path, golden, name, kind_sel):
    X, y = load(name)
    entry = golden["results"][f"{name}/{kind_sel}"]
    assert entry["rows"] == len(y)
    ours = imbal_kept(tmp_path, name, "ncr", [f"kind_sel={kind_sel}"])
    if "error" in entry:
        # imbalanced-learn raises on string labels with kind_sel='all'; imbal: the enn (mode) step.
        assert kind_sel == "all" and y.dtype == object, entry["error"]
        assert np.array_equal(ours, imbal_kept(tmp_path, name, "enn", ["kind_sel=mode"]))
        REPORT.append(("ncr", name, kind_sel, len(y), len(ours), "TypeError", 0))
        return
    theirs = np.setdiff1d(np.arange(len(y)), entry["removed"])
    differ = np.setxor1d(ours, theirs)
    if len(differ):
        dup = duplicated(X)
        classes, counts = np.unique(y, return_counts=True)
        # imbalanced-learn's minority: min(Counter(y)) - the first smallest class in order of appearance.
        first = {c: i for i, c in reversed(list(enumerate(y)))}
        minority = min(classes, key=lambda c: (counts[list(classes).index(c)], first[c]))
        minority_rows = np.flatnonzero(y == minority)
        for x in differ:
            # (A1) x's own enn neighbourhood, or (A2) the neighbourhood of a minority row near x.
            explained = tie_or_duplicate_near(X, dup, x, 3)
            if not explained:
                near_min = minority_rows[np.argsort(exact_sq(X, x, minority_rows))[:20]]
                explained = any(tie_or_duplicate_near(X, dup, m, 3) for m in near_min)
            assert explained, f"{name} kind_sel={kind_sel}: row {x} differs from imblearn without a duplicate or tie"
    REPORT.append(("ncr", name, kind_sel, len(y), len(ours), len(theirs), len(differ)))


@pytest.mark.parametrize("name", LIVE)
def test_ncr_golden_file_matches_a_live_imblearn_run(golden, name):
    X, y = load(name)
    for kind_sel in ("all", "mode"):
        entry = golden["results"][f"{name}/{kind_sel}"]
        s = NeighbourhoodCleaningRule(kind_sel=kind_sel)
        if "error" in entry:
            with pytest.raises(TypeError):
                s.fit_resample(X, y)
            continue
        s.fit_resample(X, y)
        assert np.array_equal(np.setdiff1d(np.arange(len(y)), s.sample_indices_), entry["removed"]), kind_sel


def test_ncr_golden_file_records_its_versions(golden):
    v = golden["versions"]
    assert v["imblearn"].startswith("0.10") and v["sklearn"].startswith("1.2"), v
    assert golden["generated_by"].endswith("make_ncr_golden.py")


# ------------------------------------------------------------------------------------------------
# one-sided-selection

OSS_DATASETS = ["glass_multiclass.csv", "imb_ecoli.csv", "pima.csv", "yeast_multiclass.csv", "imb_oil.csv",
                "imb_abalone_19.csv", "imb_thyroid_sick.csv", "imb_satimage.csv", "imb_mammography.csv"]


class _OurDraws:
    """Stands in for imbalanced-learn's RandomState: randint returns imbal's seed positions,
    class by class in sorted class order (imbal's class codes)."""

    def __init__(self, y, seed, n_seeds, targeted):
        self.queue = []
        self.seeds = {}
        for code, c in enumerate(np.unique(y)):
            if c in targeted:
                n = int((y == c).sum())
                positions = Rng(seed, code).choice(n, n_seeds)
                self.queue.append((n, positions))
                self.seeds[c] = np.flatnonzero(y == c)[positions]

    def randint(self, low, high, size):
        n, positions = self.queue.pop(0)
        assert (low, high, size) == (0, n, len(positions))
        return np.array(positions)


def nearest(X, x, pool):
    """(nearest row of `pool` to x, x excluded; whether that nearest row is not unique)."""
    pool = pool[pool != x]
    sq = exact_sq(X, x, pool)
    order = np.lexsort((pool, sq))
    return pool[order[0]], len(order) > 1 and sq[order[0]] == sq[order[1]]


class _OssExplainer:
    """Whether a row on which imbal and imbalanced-learn disagree (same seeds) is decided by an exact
    distance tie or a duplicated row: in step 1 (its nearest row of C), or in the Tomek step (its
    nearest row among the rows step 1 keeps, or that row's nearest)."""

    def __init__(self, X, y, minority, seeds):
        self.X, self.y, self.dup = X, y, duplicated(X)
        self.C = {c: np.concatenate([np.flatnonzero(y == minority), s]) for c, s in seeds.items()}
        kept = [np.flatnonzero(~np.isin(y, list(seeds)))]
        for c, s in seeds.items():
            rows = np.setdiff1d(np.flatnonzero(y == c), s)
            C = self.C[c]
            near = np.empty(len(rows), dtype=np.int64)
            for chunk in np.array_split(np.arange(len(rows)), max(1, len(rows) // 64)):
                diff = X[rows[chunk]][:, None, :] - X[C][None, :, :]
                acc = np.zeros(diff.shape[:2])
                for j in range(X.shape[1]):
                    acc = acc + diff[:, :, j] * diff[:, :, j]
                near[chunk] = C[np.lexsort((np.broadcast_to(C, acc.shape), acc), axis=-1)[:, 0]]
            kept += [s, rows[y[near] != c]]
        self.K = np.sort(np.concatenate(kept))

    def __call__(self, x):
        if self.dup[x]:
            return True
        if self.y[x] in self.C and nearest(self.X, x, self.C[self.y[x]])[1]:
            return True
        a, tie = nearest(self.X, x, self.K)
        return bool(tie or self.dup[a] or nearest(self.X, a, self.K)[1])


@pytest.mark.parametrize("name", OSS_DATASETS)
def test_oss_equals_imblearn_given_our_seeds(tmp_path, name):
    X, y = load(name)
    seed, n_seeds = 5, 3
    ours = imbal_kept(tmp_path, name, "one-sided-selection", [f"n_seeds_S={n_seeds}"], seed=seed)
    sampler = OneSidedSelection(n_seeds_S=n_seeds)
    classes, counts = np.unique(y, return_counts=True)
    first = {c: i for i, c in reversed(list(enumerate(y)))}
    minority = min(classes, key=lambda c: (counts[list(classes).index(c)], first[c]))
    targeted = [c for c in classes if c != minority]
    draws = _OurDraws(y, seed, n_seeds, targeted)
    with mock.patch.object(_one_sided_selection, "check_random_state", lambda _: draws):
        sampler.fit_resample(X, y)
    assert not draws.queue
    theirs = np.unique(sampler.sample_indices_)
    differ = np.setxor1d(ours, theirs)
    if len(differ):
        explain = _OssExplainer(X, y, minority, draws.seeds)
        for x in differ:
            assert explain(x), f"{name}: row {x} differs without a duplicate or an exact distance tie"
    REPORT.append(("one-sided-selection", name, f"n_seeds_S={n_seeds}", len(y), len(ours), len(theirs), len(differ)))


def test_oss_rng_port_matches_imbal(tmp_path):
    """The Python port draws what imbal draws: 10 rows of class 0 on a line far from 3 minority rows;
    with n_seeds_S=1 every other class-0 row is nearest to the seed, so only the seed stays."""
    x = [float(i) for i in range(10)] + [1000.0, 1001.0, 1002.0]
    csv = tmp_path / "line.csv"
    pd.DataFrame({"f": x, "target": [0] * 10 + [1] * 3}).to_csv(csv, index=False)
    for seed in (1, 2, 3, 12345, 2**63 + 7):
        out, idx = tmp_path / "o.csv", tmp_path / "i.csv"
        run_imbal("resample", csv, "--method", "one-sided-selection", "--seed", seed, "-o", out, "--indices", idx,
                  "--quiet", check=True)
        kept = pd.read_csv(idx)["sample_index"].tolist()
        assert kept == [Rng(seed, 0).choice(10, 1)[0], 10, 11, 12], seed


def test_report_differences():
    """Prints the per-dataset comparison (pytest -s)."""
    if not REPORT:
        pytest.skip("parity tests did not run")
    print("\nmethod, dataset, params, rows, kept imbal, kept imblearn, rows differing (all explained)")
    for row in REPORT:
        print(*row, sep=", ")
