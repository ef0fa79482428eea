"""Generates ncr_imblearn.json.gz: imbalanced-learn 0.10's NeighbourhoodCleaningRule (kind_sel 'all'
and 'mode', other parameters default) on every shared numeric dataset, for
tests/python/test_oss_ncr_parity.py. For each (dataset, kind_sel) it stores the rows removed (row
numbers of the file, ascending), or the error imbalanced-learn raised (kind_sel='all' on string
labels: np.all over an object array of strings, then `~` on it, raises a TypeError).

Labels as pandas reads them (numbers stay numbers, strings are an object array), features as float.

Usage (a few minutes; skin_segmentation dominates):
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tests/python/golden/make_ncr_golden.py [DATASETS_DIR]
"""
import gzip
import json
import sys
import time
from pathlib import Path

import imblearn
import numpy as np
import pandas as pd
import scipy
import sklearn
from imblearn.under_sampling import NeighbourhoodCleaningRule

HERE = Path(__file__).resolve().parent
CATEGORICAL = {"car_vgood.csv", "adult.csv", "german_credit.csv"}


def load(path):
    df = pd.read_csv(path)
    return df.drop(columns="target").to_numpy(dtype=float), df["target"].to_numpy()


def main():
    datasets = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[3] / "shared" / "datasets"
    out = {"generated_by": "tests/python/golden/make_ncr_golden.py",
           "versions": {"imblearn": imblearn.__version__, "sklearn": sklearn.__version__, "numpy": np.__version__,
                        "scipy": scipy.__version__, "pandas": pd.__version__, "python": sys.version.split()[0]},
           "results": {}}
    for path in sorted(datasets.glob("*.csv")):
        if path.name in CATEGORICAL:
            continue
        X, y = load(path)
        for kind_sel in ("all", "mode"):
            t = time.time()
            entry = {"rows": len(y)}
            try:
                s = NeighbourhoodCleaningRule(kind_sel=kind_sel)
                s.fit_resample(X, y)
                entry["removed"] = np.setdiff1d(np.arange(len(y)), s.sample_indices_).tolist()
            except TypeError as e:
                entry["error"] = f"TypeError: {e}"
            entry["seconds"] = round(time.time() - t, 2)
            out["results"][f"{path.name}/{kind_sel}"] = entry
            print(f"{path.name:25s} {kind_sel:5s} {entry.get('error', len(entry.get('removed', [])))} "
                  f"{time.time() - t:7.1f} s", flush=True)
    with gzip.open(HERE / "ncr_imblearn.json.gz", "wt") as f:
        json.dump(out, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
