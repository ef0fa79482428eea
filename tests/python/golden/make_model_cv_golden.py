"""Generates tests/python/golden/model_cv.json: per-fold average precision of imbal's tree models
and of their scikit-learn / imbalanced-learn counterparts under 5-fold stratified CV on every
shared dataset (tests/python/model_cv.py says how), and prints the table of docs/models.md.

    /usr/bin/python3 tests/python/golden/make_model_cv_golden.py --imbal build/imbal \
        [--datasets a,b] [--models m1,m2] [--sides ours,theirs] [--table]

Existing entries of other datasets / models / sides are kept (the file is merged). The reference
side is frozen here because scikit-learn / imbalanced-learn take minutes on the big datasets
(forests of 100 trees, 5 folds); test_forest_parity.py re-runs both sides live on small datasets
and checks the rule on this file for the others.
"""
import argparse
import json
import os
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import model_cv  # noqa: E402

GOLDEN = HERE / "model_cv.json"


def versions():
    import imblearn
    import sklearn
    return {"scikit-learn": sklearn.__version__, "imbalanced-learn": imblearn.__version__,
            "numpy": np.__version__}


def table(golden):
    lines = ["| dataset | model | imbal AP | reference AP | |difference| | noise (2 SE) | within |",
             "|---|---|---:|---:|---:|---:|:---:|"]
    for name in model_cv.DATASETS:
        for model in model_cv.MODELS:
            e = golden.get("results", {}).get(name, {}).get(model)
            if not e or "ours" not in e or "theirs" not in e:
                continue
            ours, theirs = np.mean(e["ours"]), np.mean(e["theirs"])
            nz = model_cv.noise(e["theirs"])
            seeds = e.get("theirs_seed_means")
            ok = "yes" if abs(ours - theirs) <= nz else \
                f"seed range {min(seeds):.4f}–{max(seeds):.4f}" if model_cv.within_noise(e["ours"], e["theirs"], seeds) \
                else "**no**"
            lines.append(f"| {name} | {model} | {ours:.4f} | {theirs:.4f} | {abs(ours - theirs):.4f} | {nz:.4f} | {ok} |")
    return "\n".join(lines)


def main():
    warnings.simplefilter("ignore")
    ap = argparse.ArgumentParser()
    ap.add_argument("--imbal", default="build/imbal")
    ap.add_argument("--datasets-dir", default=os.environ.get("IMBAL_DATASETS_DIR", "/work/shared/datasets"))
    ap.add_argument("--datasets", default=",".join(model_cv.DATASETS))
    ap.add_argument("--models", default=",".join(model_cv.MODELS))
    ap.add_argument("--sides", default="ours,theirs")
    ap.add_argument("--table", action="store_true", help="only print the table of the current file")
    ap.add_argument("--seed-spread", action="store_true",
                    help="record the reference's 5-fold mean over random_state 0..9 (decision-tree only)")
    ap.add_argument("--golden", default=str(GOLDEN), help="the file to merge into (default: %(default)s)")
    args = ap.parse_args()
    out_path = Path(args.golden)
    golden = json.loads(out_path.read_text()) if out_path.exists() else {}
    if args.table:
        print(table(golden))
        return
    golden["versions"] = versions()
    golden["rule"] = model_cv.noise.__doc__.strip()
    results = golden.setdefault("results", {})
    sides = tuple(args.sides.split(","))
    if args.seed_spread:
        for name in args.datasets.split(","):
            X, y = model_cv.load_encoded(args.datasets_dir, name)
            entry = results.setdefault(name, {}).setdefault("decision-tree", {})
            entry["theirs_seed_means"] = [round(v, 6) for v in model_cv.reference_seed_means("decision-tree", X, y)]
            print(name, "decision-tree seed means", entry["theirs_seed_means"], flush=True)
            out_path.write_text(json.dumps(golden, indent=1, sort_keys=True) + "\n")
        print(table(golden))
        return
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.datasets.split(","):
            X, y = model_cv.load_encoded(args.datasets_dir, name)
            for model in args.models.split(","):
                out, secs = model_cv.cv(args.imbal, model, X, y, tmp, sides=sides)
                entry = results.setdefault(name, {}).setdefault(model, {})
                for s in sides:
                    entry[s] = [round(float(v), 6) for v in out[s]]
                    entry[f"{s}_fit_seconds"] = round(secs[s], 3)
                print(name, model, {s: round(float(np.mean(out[s])), 4) for s in sides},
                      {s: round(secs[s], 2) for s in sides}, flush=True)
                out_path.write_text(json.dumps(golden, indent=1, sort_keys=True) + "\n")
    print(table(golden))


if __name__ == "__main__":
    main()
