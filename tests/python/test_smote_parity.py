"""SMOTE against imbalanced-learn 0.10 on every shared numeric dataset: the same class counts,
and every synthetic row on the segment between its parent and a neighbour that is among the
parent's k nearest rows of the same class (the contract; the random draws differ by design)."""
import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import SMOTE
from sklearn.neighbors import NearestNeighbors

from conftest import CATEGORICAL, DATASETS, dataset_files, run_imbal

NUMERIC = [n for n in dataset_files() if n not in CATEGORICAL]


@pytest.mark.parametrize("name", NUMERIC)
def test_smote_contract_and_counts(tmp_path, name):
    df = pd.read_csv(DATASETS / name, dtype={"target": str})
    X = df.drop(columns="target").to_numpy(dtype=float)
    y = df["target"].to_numpy()
    classes, counts = np.unique(y, return_counts=True)
    k = int(min(5, counts.min() - 1))
    out, prov = tmp_path / "out.csv", tmp_path / "prov.csv"
    run_imbal("resample", DATASETS / name, "--method", "smote", "--param", f"k_neighbors={k}",
              "--seed", "7", "-o", out, "--provenance", prov, check=True)
    res = pd.read_csv(out, dtype={"target": str}, float_precision="round_trip")
    _, y_ref = SMOTE(k_neighbors=k, random_state=0).fit_resample(X, y)
    assert (res["target"].value_counts().sort_index() ==
            pd.Series(y_ref).value_counts().sort_index()).all()
    # Originals first, unchanged.
    X_res = res.drop(columns="target").to_numpy(dtype=float)
    assert np.array_equal(X_res[:len(X)], X)
    p = pd.read_csv(prov)
    assert len(p) == len(X_res) - len(X)
    parents, neighbors, steps = p["parent"].to_numpy(), p["neighbor"].to_numpy(), p["step"].to_numpy()
    new = X_res[p["row"].to_numpy()]
    expected = X[parents] + steps[:, None] * (X[neighbors] - X[parents])
    assert np.allclose(new, expected, rtol=1e-12, atol=1e-12 * np.abs(X).max())
    assert ((steps >= 0) & (steps < 1)).all()
    assert (y[parents] == y[neighbors]).all()
    assert (res["target"].to_numpy()[len(X):] == y[parents]).all()
    # The neighbour is among the parent's k nearest same-class rows (by distance, so ties at the
    # k-th distance count as within).
    for cls in np.unique(y[parents]):
        rows = np.flatnonzero(y == cls)
        nn = NearestNeighbors(n_neighbors=k + 1).fit(X[rows])
        dist, _ = nn.kneighbors(X[rows])
        kth = dict(zip(rows, dist[:, k]))  # column 0 is the row itself (or a duplicate at 0)
        mine = parents[y[parents] == cls]
        theirs = neighbors[y[parents] == cls]
        d = np.linalg.norm(X[mine] - X[theirs], axis=1)
        assert (d <= np.array([kth[r] for r in mine]) * (1 + 1e-12) + 1e-12).all(), name


def test_smote_refuses_categorical_data(tmp_path):
    proc = run_imbal("resample", DATASETS / "adult.csv", "--method", "smote", "-o", tmp_path / "o.csv")
    assert proc.returncode == 1
    assert "smote-nc" in proc.stderr
    assert not (tmp_path / "o.csv").exists()
