"""Fit times of imbal's boosting / balanced-ensemble models against their Python counterparts
(n_jobs=2 where they have it): imbal's time is the `fit_seconds` of `imbal train --json` (the fit
alone, no CSV parsing), Python's the `fit` call alone.

    /usr/bin/python3 bench/boosting_fit_times.py --imbal build/imbal [--sets a,b] [--models m,n]

Figures are indicative: the machine is shared.
"""
import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "python"))
from boosting_quality import DATASETS, reference  # noqa: E402

MODELS = ["gradient-boosting", "adaboost", "balanced-bagging", "easy-ensemble", "rus-boost"]


def generated(n=100_000, d=20, seed=0):
    from sklearn.datasets import make_classification
    X, y = make_classification(n_samples=n, n_features=d, n_informative=10, weights=[0.95, 0.05],
                               random_state=seed)
    df = pd.DataFrame(X, columns=[f"f{j}" for j in range(d)])
    df["target"] = y
    return df


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--imbal", default="build/imbal")
    ap.add_argument("--sets", default="imb_ecoli,imb_satimage,imb_mammography,generated_100k_20")
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    print("| model | dataset | rows x features | imbal fit (s) | Python fit (s) | speed-up |")
    print("|---|---|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for name in args.sets.split(","):
            df = generated() if name.startswith("generated") else pd.read_csv(DATASETS / f"{name}.csv")
            path = tmp / f"{name}.csv"
            df.to_csv(path, index=False)
            X = df.drop(columns=["target"]).to_numpy(dtype=float)
            y = df["target"].astype(str).to_numpy()
            codes = np.unique(y, return_inverse=True)[1]
            for model in args.models.split(","):
                # imbal: the train command's own "fit" time from its JSON summary when present,
                # else the wall time of the whole command (CSV parsing included).
                t = time.perf_counter()
                proc = subprocess.run([args.imbal, "--jobs", str(args.jobs), "train", str(path), "--model", model,
                                       "--seed", "1", "-o", str(tmp / "m.json"), "--json"],
                                      check=True, capture_output=True, text=True)
                ours = time.perf_counter() - t
                try:
                    import json
                    summary = json.loads(proc.stdout)
                    ours = float(summary.get("fit_seconds", ours))
                except Exception:
                    pass
                ref = reference(model, n_jobs=args.jobs)
                t = time.perf_counter()
                ref.fit(X, codes if model == "gradient-boosting" else y)
                theirs = time.perf_counter() - t
                print(f"| `{model}` | {name} | {X.shape[0]} x {X.shape[1]} | {ours:.2f} | {theirs:.2f} | "
                      f"{theirs / ours:.1f}x |", flush=True)


if __name__ == "__main__":
    main()
