#!/usr/bin/python3
"""Python-level rows: imbal's Python module against imbalanced-learn on the same numpy arrays, in
the same process (what a user sees after changing the import). Called by bench/run.py (unless
--no-python); also runs alone:

    PYTHONPATH=build/python /usr/bin/python3 bench/python_bench.py [--quick] [--json OUT] [-o OUT.md]

Each (dataset, method) is timed as the best of R fit_resample calls on both sides (imbal with all
cores, imbalanced-learn with its defaults); the arrays are loaded once, outside the timing.
"""
import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
METHODS = ["random-under", "random-over", "smote", "borderline-smote", "tomek-links", "enn", "near-miss"]
QUICK_METHODS = ["random-under", "smote", "tomek-links", "enn"]
DATASETS = ["imb_satimage.csv", "imb_mammography.csv", "imb_letter_img.csv"]
# imbalanced-learn takes minutes on these (dataset, method) pairs (scikit-learn's neighbour search on
# 100k x 20: ~300 s for tomek-links on a loaded 2-core machine): imbal only, except tomek-links,
# measured once as the reference point.
IMBLEARN_TOO_SLOW = {("generated 100k x 20", m) for m in ("enn", "near-miss", "borderline-smote")}


def load(path):
    import pandas as pd
    df = pd.read_csv(path)
    y = df.pop("target").to_numpy()
    return np.ascontiguousarray(df.to_numpy(dtype=np.float64)), y


def generated(n=100_000, d=20):
    from sklearn.datasets import make_classification
    return make_classification(n_samples=n, n_features=d, n_informative=10, n_redundant=5, weights=[0.99],
                               flip_y=0, random_state=0)


def best_of(fn, repeat, budget=20.0):
    times = []
    start = time.perf_counter()
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
        if time.perf_counter() - start > budget:
            break
    return min(times)


def make(method, lib):
    import imbal
    from imbal import _schema
    schema = next(s for s in _schema.SAMPLERS if s["name"] == method)
    if lib == "imbal":
        cls = imbal.samplers()[method]
    else:
        mod = __import__(f"imblearn.{_schema.module_of(schema)}", fromlist=["x"])
        cls = getattr(mod, schema["python_class"])
    kwargs = {"random_state": 0} if "random_state" in cls().get_params() else {}
    return cls(**kwargs)


def run(quick=False, repeat=3, datasets_dir=None):
    datasets_dir = Path(datasets_dir or os.environ.get("IMBAL_DATASETS_DIR", REPO.parent / "shared" / "datasets"))
    data = [(name, *load(datasets_dir / name)) for name in (DATASETS[:1] if quick else DATASETS)]
    data.append(("generated 100k x 20", *generated()))
    rows = []
    for name, X, y in data:
        for method in (QUICK_METHODS if quick else METHODS):
            row = {"dataset": name, "rows": len(X), "cols": X.shape[1], "method": method}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ours = make(method, "imbal")
                row["imbal_s"] = best_of(lambda: ours.fit_resample(X, y), repeat)
                if (name, method) in IMBLEARN_TOO_SLOW:
                    row["imblearn_s"] = None
                else:
                    theirs = make(method, "imblearn")
                    row["imblearn_s"] = best_of(lambda: theirs.fit_resample(X, y), repeat)
            rows.append(row)
            print(f"python bench: {name} {method}: imbal {row['imbal_s']:.4f} s, imblearn "
                  f"{row['imblearn_s'] if row['imblearn_s'] is None else round(row['imblearn_s'], 4)} s",
                  file=sys.stderr)
    return rows


def markdown(rows):
    lines = ["## Python module: imbal vs imbalanced-learn in the same process", "",
             "Same numpy arrays, same process, best of up to 3 `fit_resample` calls per side (imbal: all cores; "
             "imbalanced-learn: its defaults). Indicative when the machine is shared.", "",
             "| dataset | rows x cols | method | imbal (s) | imbalanced-learn (s) | speed-up |", "|---|---|---|---|---|---|"]
    for r in rows:
        theirs = "n/a" if r["imblearn_s"] is None else f"{r['imblearn_s']:.4f}"
        speed = "n/a" if r["imblearn_s"] is None else f"{r['imblearn_s'] / max(r['imbal_s'], 1e-9):.1f}x"
        lines.append(f"| {r['dataset']} | {r['rows']} x {r['cols']} | {r['method']} | {r['imbal_s']:.4f} | "
                     f"{theirs} | {speed} |")
    return "\n".join(lines)


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="one dataset + the generated one, four methods")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--datasets", help="folder of the shared CSV files")
    p.add_argument("--json", help="write the rows as JSON")
    p.add_argument("-o", "--output", help="write the Markdown section (default: stdout)")
    args = p.parse_args(argv)
    rows = run(args.quick, args.repeat, args.datasets)
    text = markdown(rows)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1) + "\n")
    if args.output:
        Path(args.output).write_text(text + "\n")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
