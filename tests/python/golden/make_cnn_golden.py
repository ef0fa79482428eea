#!/usr/bin/python3
"""Freezes imbalanced-learn's CondensedNearestNeighbour results on the shared numeric datasets
(too slow to run in the test suite: 1 s to minutes per dataset) into cnn_imblearn.json:
per dataset and random_state, the kept count per class, the seconds it took, and for pima the
kept indices (sample_indices_, used to show that imblearn's output breaks the defining property),
with the versions used. The file is rewritten after each dataset, so an interrupted run keeps
what it finished. skin_segmentation (245k rows) and imb_letter_img are left out: imblearn would
need hours; the larger ones run with one random_state.

    /usr/bin/python3 tests/python/golden/make_cnn_golden.py [DATASETS_DIR]
"""
import json
import platform
import sys
import time
from pathlib import Path

import imblearn
import numpy as np
import pandas as pd
import sklearn
from imblearn.under_sampling import CondensedNearestNeighbour

HERE = Path(__file__).resolve().parent
DATASETS = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[3] / "shared" / "datasets"
NAMES = ["imb_ecoli", "glass_multiclass", "yeast_multiclass", "pima", "imb_oil", "imb_abalone_19",
         "imb_thyroid_sick", "imb_satimage", "imb_mammography"]
STATES = {"imb_ecoli": [0, 1], "glass_multiclass": [0, 1], "yeast_multiclass": [0, 1], "pima": [0, 1],
          "imb_oil": [0, 1]}  # others: [0]

out = {"imblearn": imblearn.__version__, "sklearn": sklearn.__version__, "numpy": np.__version__,
       "python": platform.python_version(), "datasets": {}}
for name in NAMES:
    df = pd.read_csv(DATASETS / f"{name}.csv", dtype={"target": str})
    X = df.drop(columns="target").to_numpy(dtype=float)
    y = df["target"].to_numpy()
    runs = []
    for rs in STATES.get(name, [0]):
        t = time.perf_counter()
        cnn = CondensedNearestNeighbour(random_state=rs)
        cnn.fit_resample(X, y)
        seconds = time.perf_counter() - t
        idx = cnn.sample_indices_
        classes, counts = np.unique(y[idx], return_counts=True)
        runs.append({"random_state": rs, "seconds": round(seconds, 2),
                     "n_kept": int(len(idx)), "kept": {str(c): int(n) for c, n in zip(classes, counts)}})
        if name == "pima":
            runs[-1]["sample_indices"] = [int(i) for i in idx]
        print(name, rs, len(idx), f"{seconds:.1f}s", flush=True)
    out["datasets"][name] = runs
    (HERE / "cnn_imblearn.json").write_text(json.dumps(out, separators=(",", ":")) + "\n")
