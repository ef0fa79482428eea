"""Generates cleaning_imblearn.json.gz: imbalanced-learn 0.10's answers for tomek-links, enn, renn
and all-knn on every shared numeric dataset, pass by pass, for tests/python/test_cleaning_parity.py.

For each (dataset, configuration) it stores, for every pass of the inner EditedNearestNeighbours
(one pass for TomekLinks and EditedNearestNeighbours), the input rows it removed (row numbers of the
original file, ascending). The passes of RepeatedEditedNearestNeighbours and AllKNN are replayed
here exactly as imbalanced-learn's loops run them (same inner sampler, same stopping rules), and the
final kept set is checked against the real class's `sample_indices_` before anything is written.

Usage (a few minutes; skin_segmentation dominates):
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tests/python/golden/make_cleaning_golden.py [DATASETS_DIR]
"""
import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path

import imblearn
import numpy as np
import pandas as pd
import scipy
import sklearn
from imblearn.under_sampling import AllKNN, EditedNearestNeighbours, RepeatedEditedNearestNeighbours, TomekLinks

HERE = Path(__file__).resolve().parent
CATEGORICAL = {"car_vgood.csv", "adult.csv", "german_credit.csv"}
CONFIGS = {
    "tomek-links": {},
    "enn": {"kind_sel": "all"},
    "enn-mode": {"kind_sel": "mode"},
    "renn": {"kind_sel": "all"},
    "renn-mode": {"kind_sel": "mode"},
    "all-knn": {"kind_sel": "all"},
    "all-knn-mode": {"kind_sel": "mode"},
}


def load(path):
    df = pd.read_csv(path)
    return df.drop(columns="target").to_numpy(dtype=float), df["target"].to_numpy()


def removed(idx, kept_positions, n):
    mask = np.ones(n, dtype=bool)
    mask[kept_positions] = False
    return sorted(int(i) for i in idx[mask])


def replay(X, y, config):
    """imbalanced-learn's loops (RepeatedEditedNearestNeighbours / AllKNN._fit_resample, 0.10)
    with the removed rows of every pass recorded."""
    kind_sel = CONFIGS[config].get("kind_sel", "all")
    target_stats = Counter(y)
    class_minority = min(target_stats, key=target_stats.get)
    idx = np.arange(len(y))
    X_, y_ = X, y
    passes = []
    ks = [3] * 100 if config.startswith("renn") else [1, 2, 3]
    for k in ks:
        enn = EditedNearestNeighbours(n_neighbors=k, kind_sel=kind_sel)
        X_enn, y_enn = enn.fit_resample(X_, y_)
        passes.append(removed(idx, enn.sample_indices_, len(y_)))
        b_conv = len(y_) == len(y_enn)
        stats_enn = Counter(y_enn)
        count_non_min = np.array([v for c, v in stats_enn.items() if c != class_minority])
        b_min_bec_maj = np.any(count_non_min < target_stats[class_minority])
        b_remove = len(stats_enn) < len(target_stats)
        idx = idx[enn.sample_indices_]
        X_, y_ = X_enn, y_enn
        if config.startswith("renn") and (b_conv or b_min_bec_maj or b_remove):
            break
        if config.startswith("all-knn") and (b_min_bec_maj or b_remove):
            break
    return passes, np.sort(idx)


def run(X, y, config):
    kind_sel = CONFIGS[config].get("kind_sel", "all")
    if config == "tomek-links":
        s = TomekLinks()
    elif config.startswith("enn"):
        s = EditedNearestNeighbours(kind_sel=kind_sel)
    elif config.startswith("renn"):
        s = RepeatedEditedNearestNeighbours(kind_sel=kind_sel)
    else:
        s = AllKNN(kind_sel=kind_sel)
    s.fit_resample(X, y)
    kept = np.sort(s.sample_indices_)
    if config == "tomek-links" or config.startswith("enn"):
        passes = [removed(np.arange(len(y)), s.sample_indices_, len(y))]
    else:
        passes, replayed = replay(X, y, config)
        assert np.array_equal(replayed, kept), f"{config}: replay differs from imblearn's own result"
    return passes, kept, getattr(s, "n_iter_", None)


def main():
    datasets = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[3] / "shared" / "datasets"
    out = {"generated_by": "tests/python/golden/make_cleaning_golden.py",
           "versions": {"imblearn": imblearn.__version__, "sklearn": sklearn.__version__, "numpy": np.__version__,
                        "scipy": scipy.__version__, "pandas": pd.__version__, "python": sys.version.split()[0]},
           "configs": CONFIGS, "results": {}}
    for path in sorted(datasets.glob("*.csv")):
        if path.name in CATEGORICAL:
            continue
        X, y = load(path)
        for config in CONFIGS:
            t = time.time()
            passes, kept, n_iter = run(X, y, config)
            out["results"][f"{path.name}/{config}"] = {"rows": len(y), "passes": passes, "n_kept": int(len(kept)),
                                                     "n_iter": n_iter, "seconds": round(time.time() - t, 2)}
            print(f"{path.name:25s} {config:13s} passes {len(passes):3d} kept {len(kept):7d} "
                  f"{time.time() - t:7.1f} s", flush=True)
    with gzip.open(HERE / "cleaning_imblearn.json.gz", "wt") as f:
        json.dump(out, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
