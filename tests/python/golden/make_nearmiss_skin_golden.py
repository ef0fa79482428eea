#!/usr/bin/python3
"""Freezes imbalanced-learn's NearMiss versions 1 and 3 on skin_segmentation.csv (245,057 rows:
seconds per run, too slow for the test suite) into nearmiss_skin.json:
  version1: sha256 of the sorted kept indices (int64 bytes) and their number;
  version3: rows of the targeted class only: imbalanced-learn's number of kept rows, the sha256
            of the kept set by the plain definition (exact distances, ties at the
            n_neighbors_ver3-th nearest row broken by row index; imbal must equal it), and the
            number of rows where imbalanced-learn's set differs from it.
Version 2 is not frozen: imbalanced-learn needs 194,198 x 50,859 distances (158 GB).

    /usr/bin/python3 tests/python/golden/make_nearmiss_skin_golden.py [DATASETS_DIR]
"""
import json
import os
import platform
import sys
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
if len(sys.argv) > 1:
    os.environ["IMBAL_DATASETS_DIR"] = sys.argv[1]
sys.path.insert(0, str(HERE.parent))

import imblearn  # noqa: E402
import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from imblearn.under_sampling import NearMiss  # noqa: E402

import test_nearmiss_cnn_parity as t  # noqa: E402

X, y = t.load(t.SKIN)
out = {"imblearn": imblearn.__version__, "sklearn": sklearn.__version__, "numpy": np.__version__,
       "python": platform.python_version()}
for version in (1, 3):
    nm = NearMiss(version=version)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nm.fit_resample(X, y)
    idx = nm.sample_indices_
    entry = {"sha256": t.digest(idx), "kept": int(len(idx))}
    if version == 3:
        minority = t.minority_of(y)
        expected = set()
        for cls, n_out in t.targets(y).items():
            expected |= t.plain_nearmiss3(X, y, cls, minority, n_out, knn=t.exact_knn_tree)[1]
        targeted = np.isin(y, list(t.targets(y)))
        theirs = {i for i in idx.tolist() if targeted[i]}
        entry = {"kept": len(theirs), "plain_sha256": t.digest(list(expected)),
                 "differ": len(expected ^ theirs)}
    out[f"version{version}"] = entry
    print(version, entry, flush=True)
(HERE / "nearmiss_skin.json").write_text(json.dumps(out) + "\n")
