"""smote-nc and smoten against imbalanced-learn 0.10 on the shared categorical datasets.

smote-nc (german_credit, adult; the README's categorical columns):
  - counts equal the plan (and imbalanced-learn's counts, live on german_credit);
  - every new row's numeric part is parent + step * (neighbour - parent);
  - the neighbour is among the parent's k nearest rows of its class under imbalanced-learn's
    metric: scikit-learn's NearestNeighbors on the data encoded as SMOTENC encodes it (numeric
    columns, then OneHotEncoder entries scaled to median_std_ / 2), median_std_ from imbalanced-learn;
  - each categorical value is a most frequent category among the parent's k neighbours (the set by
    (distance, index), the distance computed here from its definition), and THE most frequent when
    there is no tie;
  - median_std_: imbalanced-learn's live value (german_credit) equals the frozen one in
    golden/smotenc_smoten.txt, which tests/samplers/smote_nc_test.cpp compares with imbal's.
    (adult: imbalanced-learn's SMOTENC takes about a minute there, so the frozen value is used.)
smoten (car_vgood, german_credit, adult; every column nominal, as SMOTEN treats them):
  - counts equal the plan (and imbalanced-learn's counts on car_vgood, german_credit);
  - every new row is, feature by feature, the mode of the parent and its k nearest rows of the class
    under imbalanced-learn's ValueDifferenceMetric (distances from imbalanced-learn's own `pairwise`,
    ties by (distance, index), mode ties to the smallest category): exact equality of every value;
  - the VDM distances of the parent's k + 1 nearest equal those imbalanced-learn's NearestNeighbors
    finds on its precomputed matrix (car_vgood, german_credit), and the frozen VDM distances equal the
    live ones (tests/samplers/smoten_test.cpp compares imbal's with the frozen ones bit for bit).
adult is checked on a sample of the new rows (all rows are generated; the sample keeps the test fast).
"""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from imblearn.metrics.pairwise import ValueDifferenceMetric
from imblearn.over_sampling import SMOTEN, SMOTENC
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

from conftest import CATEGORICAL, DATASETS, run_imbal

K = 5
GOLDEN = Path(__file__).resolve().parent / "golden" / "smotenc_smoten.txt"
MAX_CHECKED = 500  # new rows checked per dataset (adult: a sample)


def golden():
    out = {"median_std": {}, "vdm": {}}
    for line in GOLDEN.read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        parts = line.split()
        if parts[0] == "median_std":
            out["median_std"][parts[1]] = float(parts[2])
        else:
            out["vdm"].setdefault(parts[1], []).append((int(parts[2]), int(parts[3]), float(parts[4])))
    return out


def load(name):
    cat = CATEGORICAL[name]
    df = pd.read_csv(DATASETS / name, dtype={c: str for c in cat + ["target"]}, keep_default_na=False)
    return df.drop(columns="target"), df["target"].to_numpy(), cat


def resample(tmp_path, name, method, cat):
    out, prov = tmp_path / "out.csv", tmp_path / "prov.csv"
    run_imbal("resample", DATASETS / name, "--method", method, "--categorical", ",".join(cat), "--seed", "3",
              "-o", out, "--provenance", prov, check=True)
    res = pd.read_csv(out, dtype={c: str for c in cat + ["target"]}, keep_default_na=False,
                      float_precision="round_trip")
    return res, pd.read_csv(prov)


def check_counts(y, y_res, y_ref=None):
    classes, counts = np.unique(y, return_counts=True)
    got = pd.Series(y_res).value_counts()
    for c in classes:
        assert got[c] == counts.max(), (c, got[c], counts.max())  # auto: every class to the majority
    if y_ref is not None:
        assert got.sort_index().equals(pd.Series(y_ref).value_counts().sort_index())


def sample_rows(n, seed=0):
    rows = np.arange(n)
    if n > MAX_CHECKED:
        rows = np.sort(np.random.RandomState(seed).choice(n, MAX_CHECKED, replace=False))
    return rows


def k_nearest_by_index(d, self_pos, k):
    """The k nearest (self excluded by position), ties by (distance, position), from exact distances."""
    d = d.astype(float).copy()
    d[self_pos] = np.inf
    return np.lexsort((np.arange(len(d)), d))[:k]


@pytest.mark.parametrize("name", ["german_credit.csv", "adult.csv"])
def test_smote_nc(tmp_path, name):
    X, y, cat = load(name)
    res, prov = resample(tmp_path, name, "smote-nc", cat)
    n = len(X)
    cont = [c for c in X.columns if c not in cat]
    assert res.drop(columns="target").iloc[:n].equals(X.astype({c: res[c].dtype for c in cont}))
    y_ref = None
    frozen = golden()["median_std"][name]
    if name == "german_credit.csv":
        sm = SMOTENC(categorical_features=[X.columns.get_loc(c) for c in cat], random_state=0)
        _, y_ref = sm.fit_resample(X, y)
        assert sm.median_std_ == frozen, "golden/smotenc_smoten.txt is stale"
    check_counts(y, res["target"].to_numpy(), y_ref)
    median_std = frozen

    # The encoding SMOTENC uses: numeric columns, then one-hot entries median_std / 2.
    Xc = X[cont].to_numpy(dtype=float)
    ohe = OneHotEncoder(sparse_output=False).fit(X[cat])
    enc = np.hstack([Xc, ohe.transform(X[cat]) * median_std / 2])
    cat_encoder = OrdinalEncoder(dtype=np.int64).fit(X[cat])
    codes = cat_encoder.transform(X[cat])

    parents, neighbors, steps = prov["parent"].to_numpy(), prov["neighbor"].to_numpy(), prov["step"].to_numpy()
    assert len(prov) == len(res) - n and (prov["row"].to_numpy() == np.arange(n, len(res))).all()
    assert ((steps >= 0) & (steps < 1)).all() and (y[parents] == y[neighbors]).all()
    assert (res["target"].to_numpy()[n:] == y[parents]).all()
    new_cont = res[cont].to_numpy(dtype=float)[n:]
    expected = Xc[parents] + steps[:, None] * (Xc[neighbors] - Xc[parents])
    assert np.allclose(new_cont, expected, rtol=1e-12, atol=1e-12 * np.abs(Xc).max())

    checked = sample_rows(len(prov))
    new_codes = cat_encoder.transform(res[cat].iloc[n:].iloc[checked])
    n_ties = 0
    for cls in np.unique(y[parents[checked]]):
        rows = np.flatnonzero(y == cls)
        pos = {r: i for i, r in enumerate(rows)}
        mine = checked[y[parents[checked]] == cls]
        # (1) the neighbour within the k nearest by scikit-learn on the encoded data.
        nn = NearestNeighbors(n_neighbors=K + 1).fit(enc[rows])
        dist, _ = nn.kneighbors(enc[parents[mine]])
        d = np.linalg.norm(enc[parents[mine]] - enc[neighbors[mine]], axis=1)
        assert (d <= dist[:, K] * (1 + 1e-7) + 1e-6).all(), name
        # (2) the categorical vote among the k nearest by (distance, index), the distance from its
        # definition (squared numeric differences + 2 (median_std / 2)^2 per differing category).
        for s in mine:
            p = parents[s]
            d2 = ((Xc[rows] - Xc[p]) ** 2).sum(axis=1) + \
                (codes[rows] != codes[p]).sum(axis=1) * (2 * (median_std / 2) ** 2)
            near = rows[k_nearest_by_index(d2, pos[p], K)]
            assert neighbors[s] in near, (name, s)
            row_codes = new_codes[np.searchsorted(checked, s)]
            for f in range(len(cat)):
                votes = np.bincount(codes[near, f], minlength=codes[:, f].max() + 1)
                assert votes[row_codes[f]] == votes.max(), (name, s, cat[f])
                n_ties += (votes == votes.max()).sum() > 1
    print(f"{name}: {len(checked)} new rows checked, {n_ties} tied votes")


@pytest.mark.parametrize("name", ["car_vgood.csv", "german_credit.csv", "adult.csv"])
def test_smoten(tmp_path, name):
    X, y, cat = load(name)
    res, prov = resample(tmp_path, name, "smoten", cat)
    n = len(X)
    assert prov["neighbor"].isna().all() and (prov["step"] == 0).all()
    parents = prov["parent"].to_numpy()
    y_ref = None
    if name != "adult.csv":
        _, y_ref = SMOTEN(random_state=0).fit_resample(X, y)
    check_counts(y, res["target"].to_numpy(), y_ref)
    assert (res["target"].to_numpy()[n:] == y[parents]).all()

    # Every column nominal, categories as SMOTEN's OrdinalEncoder sorts them; VDM fitted on all rows.
    encoder = OrdinalEncoder(dtype=np.int32)
    Xe = encoder.fit_transform(X)
    vdm = ValueDifferenceMetric(n_categories=[len(c) for c in encoder.categories_]).fit(Xe, y)
    for a, b, v in golden()["vdm"][name]:
        assert vdm.pairwise(Xe[[a]], Xe[[b]])[0, 0] == v, "golden/smotenc_smoten.txt is stale"
    res_X = res.drop(columns="target").iloc[n:]
    num = [c for c in X.columns if c not in cat]
    res_X = res_X.astype({c: X[c].dtype for c in num})
    new = encoder.transform(res_X)

    checked = sample_rows(len(prov))
    for cls in np.unique(y[parents[checked]]):
        rows = np.flatnonzero(y == cls)
        pos = {r: i for i, r in enumerate(rows)}
        mine = checked[y[parents[checked]] == cls]
        uniq = np.unique(parents[mine])
        D = np.vstack([vdm.pairwise(Xe[uniq[i:i + 256]], Xe[rows]) for i in range(0, len(uniq), 256)])
        if name != "adult.csv":
            # imbalanced-learn's own neighbour search on its precomputed matrix: same distances.
            full = vdm.pairwise(Xe[rows])
            ref, _ = NearestNeighbors(n_neighbors=K + 1, metric="precomputed").fit(full).kneighbors(full)
        for u, p in enumerate(uniq):
            near = k_nearest_by_index(D[u], pos[p], K)
            voters = np.concatenate([[p], rows[near]])
            if name != "adult.csv":
                assert np.array_equal(np.sort(np.concatenate([[0.0], D[u][near]])), ref[pos[p]]), (name, p)
            mode = [np.bincount(Xe[voters, f]).argmax() for f in range(Xe.shape[1])]
            for s in mine[parents[mine] == p]:
                assert np.array_equal(new[s], mode), (name, s, p)


@pytest.mark.parametrize("name,method", [("german_credit.csv", "smote-nc"), ("car_vgood.csv", "smoten")])
def test_categorical_columns_are_picked_up_from_the_csv(tmp_path, name, method):
    """Without --categorical, inference finds the README's categorical columns: same output."""
    outs = []
    for extra in ([], ["--categorical", ",".join(CATEGORICAL[name])]):
        out = tmp_path / f"out{len(outs)}.csv"
        run_imbal("resample", DATASETS / name, "--method", method, "--seed", "5", "-o", out, *extra, check=True)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
