"""smote-enn and smote-tomek against imbalanced-learn's SMOTEENN / SMOTETomek.

SMOTE's random draws differ between the libraries, so the test fixes the SMOTE stage: it runs
`imbal resample --method smote --seed S` and applies imbalanced-learn's cleaning step with
SMOTEENN's / SMOTETomek's defaults (EditedNearestNeighbours / TomekLinks with
sampling_strategy='all') to that output. `--method smote-enn --seed S` must keep exactly the
same rows (the SMOTE stage uses the run's seed as is), and its provenance must be SMOTE's.
"""
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from imblearn.under_sampling import EditedNearestNeighbours, TomekLinks

from conftest import DATASETS, run_imbal

CASES = [("imb_ecoli.csv", []), ("pima.csv", []), ("glass_multiclass.csv", []),
         ("imb_oil.csv", []), ("imb_abalone_19.csv", []),
         ("yeast_multiclass.csv", ["--param", "smote.k_neighbors=4"])]


def read(path):
    df = pd.read_csv(path, dtype={"target": str})
    return df.drop(columns="target").to_numpy(dtype=np.float64), df["target"].to_numpy()


def row_multiset(X, y):
    return Counter((tuple(x), label) for x, label in zip(X.tolist(), y.tolist()))


@pytest.mark.parametrize("method,cleaner", [("smote-enn", lambda: EditedNearestNeighbours(sampling_strategy="all")),
                                            ("smote-tomek", lambda: TomekLinks(sampling_strategy="all"))])
@pytest.mark.parametrize("name,extra", CASES)
def test_cleaning_stage_equals_imblearn_on_our_smote_output(tmp_path, method, cleaner, name, extra):
    smote_extra = [a.replace("smote.", "") for a in extra]
    run_imbal("resample", DATASETS / name, "--method", "smote", "--seed", "11", *smote_extra,
              "-o", tmp_path / "smote.csv", check=True)
    run_imbal("resample", DATASETS / name, "--method", method, "--seed", "11", *extra,
              "-o", tmp_path / "combined.csv", "--provenance", tmp_path / "prov.csv", check=True)
    Xs, ys = read(tmp_path / "smote.csv")
    Xc, yc = read(tmp_path / "combined.csv")
    Xi, yi = cleaner().fit_resample(Xs, ys)
    assert row_multiset(Xc, yc) == row_multiset(Xi, yi)
    assert len(yc) < len(ys), "the cleaning step removed rows"

    # Provenance of the kept new rows is SMOTE's: parent and neighbour are input rows and the
    # row lies on their segment.
    X0, y0 = read(DATASETS / name)
    prov = pd.read_csv(tmp_path / "prov.csv")
    n_copied = len(yc) - len(prov)
    assert (prov["row"].to_numpy() == np.arange(n_copied, len(yc))).all()
    parent, neighbor, step = (prov[c].to_numpy() for c in ("parent", "neighbor", "step"))
    expected = X0[parent] + step[:, None] * (X0[neighbor] - X0[parent])
    np.testing.assert_allclose(Xc[n_copied:], expected, rtol=1e-12, atol=1e-12)
    assert (y0[parent] == yc[n_copied:]).all() and (y0[neighbor] == yc[n_copied:]).all()
