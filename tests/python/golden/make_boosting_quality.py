"""Regenerates golden/boosting_quality.json: 5-fold stratified CV average precision of imbal's
gradient-boosting, adaboost, balanced-bagging, easy-ensemble and rus-boost against
XGBClassifier / AdaBoostClassifier / imblearn's ensembles on the numeric shared datasets (rule:
boosting_quality.py), and prints the markdown table of docs/models/adaboost.md.

    IMBAL_BIN=build/imbal /usr/bin/python3 tests/python/golden/make_boosting_quality.py [--sets a,b] [--models m,n]

Ran with: scikit-learn 1.2.1, imbalanced-learn 0.10.0, xgboost 1.7.4 (Debian 12), numpy 1.24.
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from boosting_quality import compare, within_noise  # noqa: E402

MODELS = ["gradient-boosting", "adaboost", "balanced-bagging", "easy-ensemble", "rus-boost"]
SETS = ["imb_ecoli", "glass_multiclass", "pima", "imb_oil", "yeast_multiclass", "imb_thyroid_sick", "imb_abalone_19",
        "imb_satimage", "imb_mammography", "imb_letter_img"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("-o", "--output", default=str(HERE / "boosting_quality.json"))
    args = ap.parse_args()
    imbal = os.environ.get("IMBAL_BIN", str(HERE.parents[2] / "build" / "imbal"))
    out = Path(args.output)
    rows = json.loads(out.read_text())["rows"] if out.exists() else []
    for name in args.sets.split(","):
        for model in args.models.split(","):
            t = time.time()
            ours, theirs = compare(imbal, model, name)
            ok, noise = within_noise(ours, theirs)
            rows = [r for r in rows if not (r["model"] == model and r["dataset"] == name)]
            rows.append({"model": model, "dataset": name, "imbal_folds": ours, "reference_folds": theirs,
                         "imbal_mean": float(np.mean(ours)), "reference_mean": float(np.mean(theirs)),
                         "reference_sd": noise, "within_noise": bool(ok)})
            print(f"{model:18s} {name:18s} {np.mean(ours):.4f} {np.mean(theirs):.4f} +- {noise:.4f} "
                  f"{'ok' if ok else 'OUT'} ({time.time() - t:.1f}s)", file=sys.stderr, flush=True)
            out.write_text(json.dumps({"versions": "scikit-learn 1.2.1, imbalanced-learn 0.10.0, xgboost 1.7.4",
                                       "rows": rows}, indent=1) + "\n")
    order = {m: i for i, m in enumerate(MODELS)}
    sets = {s: i for i, s in enumerate(SETS)}
    print("| model | dataset | imbal AP | reference AP | reference fold SD | within noise |")
    print("|---|---|---:|---:|---:|---|")
    for r in sorted(rows, key=lambda r: (order.get(r["model"], 99), sets.get(r["dataset"], 99))):
        print(f"| `{r['model']}` | {r['dataset']} | {r['imbal_mean']:.3f} | {r['reference_mean']:.3f} | "
              f"{r['reference_sd']:.3f} | {'yes' if r['within_noise'] else '**no**'} |")


if __name__ == "__main__":
    main()
