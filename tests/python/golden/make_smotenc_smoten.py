"""Freezes the deterministic intermediates of imbalanced-learn's SMOTENC and SMOTEN on the shared
categorical datasets, for tests/samplers/smote_nc_test.cpp and smoten_test.cpp (which cannot
run Python) and checked against a live imbalanced-learn by tests/python/test_smotenc_smoten_parity.py.

  median_std DATASET VALUE        SMOTENC(categorical_features=README's columns).median_std_
  vdm DATASET I J VALUE           ValueDifferenceMetric (k=1, r=2) fitted as SMOTEN fits it
                                  (OrdinalEncoder over every column, all rows), distance of rows I, J

Run: /usr/bin/python3 tests/python/golden/make_smotenc_smoten.py > tests/python/golden/smotenc_smoten.txt
"""
import sys
from pathlib import Path

import imblearn
import numpy as np
import pandas as pd
import sklearn
from imblearn.metrics.pairwise import ValueDifferenceMetric
from imblearn.over_sampling import SMOTENC
from sklearn.preprocessing import OrdinalEncoder

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from conftest import CATEGORICAL, DATASETS  # noqa: E402

N_ROWS = 12  # VDM distances of N_ROWS x N_ROWS pairs per dataset


def load(name):
    """The dataset as imbalanced-learn users load it: categorical columns as strings."""
    cat = CATEGORICAL[name]
    df = pd.read_csv(DATASETS / name, dtype={c: str for c in cat + ["target"]}, keep_default_na=False)
    X = df.drop(columns="target")
    return X, df["target"].to_numpy(), [X.columns.get_loc(c) for c in cat]


def median_std(name):
    X, y, cat = load(name)
    sm = SMOTENC(categorical_features=cat, random_state=0)
    sm.fit_resample(X, y)
    return sm.median_std_


def vdm_pairs(name):
    X, y, _ = load(name)
    encoder = OrdinalEncoder(dtype=np.int32)
    Xe = encoder.fit_transform(X)
    vdm = ValueDifferenceMetric(n_categories=[len(c) for c in encoder.categories_]).fit(Xe, y)
    rows = np.random.RandomState(0).choice(len(X), size=N_ROWS, replace=False)
    rows[0], rows[1] = 0, 1
    D = vdm.pairwise(Xe[rows])
    return [(int(a), int(b), D[i, j]) for i, a in enumerate(rows) for j, b in enumerate(rows)]


def lines():
    out = [f"# imbalanced-learn {imblearn.__version__}, scikit-learn {sklearn.__version__}, "
           f"numpy {np.__version__}, pandas {pd.__version__}"]
    for name in ["german_credit.csv", "adult.csv"]:
        out.append(f"median_std {name} {median_std(name)!r}")
    for name in ["car_vgood.csv", "german_credit.csv", "adult.csv"]:
        out += [f"vdm {name} {a} {b} {v!r}" for a, b, v in vdm_pairs(name)]
    return out


if __name__ == "__main__":
    print("\n".join(lines()))
