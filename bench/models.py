#!/usr/bin/python3
"""Model fit times: every registered model (`imbal list --models --json`) against its
scikit-learn / imbalanced-learn counterpart (the schema's python_module / python_class), on the
same numeric CSV files, both sides with n_jobs threads (default 2) and their default parameters
(equal n_estimators and depth: the defaults are the same), random_state 0.

    /usr/bin/python3 bench/models.py --imbal build/imbal [--quick] [--models a,b] [-o models.md] [--json m.json]

Called by bench/run.py (unless --no-models), which appends the table to its report.

Protocol: imbal's time is the `fit_seconds` that `imbal train --json` reports (the fit alone,
CSV parsing excluded); the reference's is the wall time of `estimator.fit(X, y)` in a fresh
/usr/bin/python3 process after pandas has loaded the file (IsolationForest: fit(X)). Best of R
runs (R = 3 on small files, 1 on big ones). Categorical columns are one-hot encoded once
(pandas.get_dummies) into a numeric copy of the file that both sides read.
The harness process imports only the standard library.
"""
import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEBIAN_PYTHON = "/usr/bin/python3"
CATEGORICAL = {
    "car_vgood.csv": ["Buying", "Maint", "Doors", "Persons", "Lug_boot", "Safety"],
    "adult.csv": ["workclass", "education", "marital_status", "occupation", "relationship", "race", "sex",
                  "native_country"],
    "german_credit.csv": ["checking_status", "credit_history", "purpose", "savings_status", "employment",
                          "personal_status", "other_parties", "property_magnitude", "other_payment_plans",
                          "housing", "job", "own_telephone", "foreign_worker"],
}
GEN_ARGS = ["--features", "20", "--informative", "10", "--redundant", "5", "--weights", "0.99",
            "--flip-y", "0", "--seed", "0"]
BIG_BYTES = 2_000_000
SMOKE = ("smoke_models_2k_x8.csv", ["--samples", "2000", "--features", "8", "--informative", "4", "--redundant",
                                    "2", "--weights", "0.9", "--flip-y", "0", "--seed", "0"])


# --- worker (fresh /usr/bin/python3 per measurement) -------------------------------------------

def worker(payload):
    import warnings
    warnings.simplefilter("ignore")
    import importlib
    import pandas as pd
    a = json.loads(payload)
    df = pd.read_csv(a["path"], dtype={"target": str})
    y = df.pop("target").to_numpy()
    X = df.to_numpy(dtype=float)
    module = importlib.import_module(a["module"])
    cls = getattr(module, a["python_class"])
    kwargs = dict(a["params"])
    import inspect
    sig = inspect.signature(cls).parameters
    if "n_jobs" in sig:
        kwargs["n_jobs"] = a["jobs"]
    if "random_state" in sig:
        kwargs["random_state"] = 0
    best = None
    for _ in range(a["repeat"]):
        est = cls(**kwargs)
        t = time.perf_counter()
        if a["unsupervised"]:
            est.fit(X)
        else:
            est.fit(X, y)
        s = time.perf_counter() - t
        best = s if best is None else min(best, s)
    print(json.dumps({"status": "ok", "best_seconds": best}))


# --- harness --------------------------------------------------------------------------------

def log(msg):
    print(f"[models] {msg}", file=sys.stderr, flush=True)


def reference_of(schema):
    """(module, class) of the counterpart: imblearn for imbalanced-learn classes, else sklearn."""
    module = schema.get("module") or schema.get("python_module", "")
    cls = schema["python_class"]
    if cls.startswith("Balanced") or cls in ("EasyEnsembleClassifier", "RUSBoostClassifier"):
        return f"imblearn.{module}", cls
    return f"sklearn.{module}", cls


def numeric_copy(python, src, data_dir):
    """The file itself when all-numeric, else a one-hot encoded copy (cached)."""
    cat = CATEGORICAL.get(src.name)
    if not cat:
        return src
    out = data_dir / f"{src.stem}_onehot.csv"
    if not out.exists():
        code = ("import pandas as pd,sys;df=pd.read_csv(sys.argv[1],dtype={'target':str});"
                "cat=sys.argv[3].split(',');[df.__setitem__(c,df[c].astype(str)) for c in cat];"
                "t=df.pop('target');X=pd.get_dummies(df,columns=cat,dtype=float);"
                "X.columns=[str(c).replace(',','_').replace(' ','_') for c in X.columns];X['target']=t;"
                "X.to_csv(sys.argv[2],index=False)")
        subprocess.run([python, "-c", code, str(src), str(out), ",".join(cat)], check=True)
    return out


def time_imbal(imbal, model, path, jobs, repeat, params, timeout):
    best = None
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            cmd = [imbal, "--jobs", str(jobs), "train", str(path), "--model", model, "--seed", "0", "--json",
                   "-o", str(Path(tmp) / "m.json")]
            for p in params:
                cmd += ["-p", p]
            try:
                proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
            except subprocess.TimeoutExpired:
                return {"status": "timeout"}
            if proc.returncode != 0:
                return {"status": "error", "error": proc.stderr.strip().splitlines()[-1:]}
            s = json.loads(proc.stdout)["fit_seconds"]
            best = s if best is None else min(best, s)
    return {"status": "ok", "best_seconds": best}


def time_reference(python, schema, path, jobs, repeat, params, timeout):
    module, cls = reference_of(schema)
    payload = json.dumps({"path": str(path), "module": module, "python_class": cls, "jobs": jobs,
                          "repeat": repeat, "params": params, "unsupervised": schema.get("family") == "anomaly"})
    try:
        proc = subprocess.run([python, str(Path(__file__).resolve()), "--worker", payload], capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"status": "timeout"}
    if proc.returncode != 0:
        return {"status": "error", "error": proc.stderr.strip().splitlines()[-1:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def datasets(args, data_dir):
    out = []
    if args.smoke:
        name, gen = SMOKE
        paths = [data_dir / name]
        if not paths[0].exists():
            subprocess.run([args.imbal, "--quiet", "make-classification", *gen, "-o", str(paths[0])], check=True,
                           stdout=subprocess.DEVNULL)
        return paths
    ddir = Path(args.datasets) if args.datasets else REPO.parent / "shared" / "datasets"
    shared = sorted(ddir.glob("*.csv")) if ddir.is_dir() else []
    out.extend(p for p in shared if not (args.quick and p.stat().st_size >= BIG_BYTES))
    gen = data_dir / "gen_100k_x20.csv"
    if not gen.exists() or gen.stat().st_size == 0:
        log(f"generating {gen} ...")
        subprocess.run([args.imbal, "--quiet", "make-classification", "--samples", "100000", *GEN_ARGS, "-o",
                        str(gen)], check=True, stdout=subprocess.DEVNULL)
    out.append(gen)
    return sorted(out, key=lambda p: p.stat().st_size)


def fmt_s(x):
    if x is None:
        return "–"
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s"


def run(args):
    data_dir = Path(args.data_dir) if args.data_dir else Path(args.imbal).resolve().parent / "bench-data"
    data_dir.mkdir(parents=True, exist_ok=True)
    models = json.loads(subprocess.run([args.imbal, "list", "--models", "--json"], capture_output=True, text=True,
                                       check=True).stdout)
    if args.models:
        wanted = args.models.split(",")
        models = [m for m in models if m["name"] in wanted]
    params = {}
    if args.smoke:
        params = {m["name"]: {"n_estimators": 10} for m in models if any(p["name"] == "n_estimators"
                                                                            for p in m["params"])}
    rows = []
    for path in datasets(args, data_dir):
        numeric = numeric_copy(args.python, path, data_dir)
        big = path.stat().st_size >= BIG_BYTES
        repeat = args.repeat or (1 if big or args.smoke else 3)
        with open(numeric) as f:
            n_rows = sum(1 for _ in f) - 1
        with open(numeric) as f:
            n_cols = len(f.readline().split(",")) - 1
        for m in models:
            p = params.get(m["name"], {})
            ours = time_imbal(args.imbal, m["name"], numeric, args.jobs, repeat, [f"{k}={v}" for k, v in p.items()],
                              args.timeout)
            theirs = time_reference(args.python, m, numeric, args.jobs, repeat, p, args.timeout)
            row = {"dataset": path.name, "rows": n_rows, "cols": n_cols, "model": m["name"],
                   "reference": ".".join(reference_of(m)), "imbal": ours, "reference_result": theirs,
                   "repeat": repeat}
            if ours.get("status") == "ok" and theirs.get("status") == "ok" and ours["best_seconds"] > 0:
                row["speedup"] = theirs["best_seconds"] / ours["best_seconds"]
            log(f"{m['name']:>24} {path.name:<26} imbal {fmt_s(ours.get('best_seconds'))} "
                f"reference {fmt_s(theirs.get('best_seconds'))} "
                f"speed-up {row.get('speedup', float('nan')):.2f}")
            rows.append(row)
    return {"jobs": args.jobs, "rows": rows}


def render(res):
    lines = ["## Model fit time", "",
             f"`bench/models.py`: `imbal train` fit time (`fit_seconds`) against the scikit-learn / "
             f"imbalanced-learn estimator's `fit`, both with {res['jobs']} threads (`n_jobs={res['jobs']}`), default "
             "parameters (equal number of trees and depth), best of R runs; categorical columns one-hot encoded "
             "for both. Figures are indicative on a shared machine.", "",
             "| dataset | rows × cols | model | reference | imbal fit | reference fit | speed-up |",
             "|---|---|---|---|---:|---:|---:|"]
    for r in res["rows"]:
        sp = f"{r['speedup']:.2f}×" if "speedup" in r else r["imbal"].get("status", "?") + " / " + \
            r["reference_result"].get("status", "?")
        lines.append(f"| {r['dataset']} | {r['rows']:,} × {r['cols']} | `{r['model']}` | `{r['reference']}` | "
                     f"{fmt_s(r['imbal'].get('best_seconds'))} | {fmt_s(r['reference_result'].get('best_seconds'))} | "
                     f"{sp} |")
    return "\n".join(lines)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--imbal", default=str(REPO / "build" / "imbal"))
    p.add_argument("--python", default=DEBIAN_PYTHON if Path(DEBIAN_PYTHON).exists() else sys.executable)
    p.add_argument("--datasets", help="folder of CSV files (default: <repo>/../shared/datasets)")
    p.add_argument("--data-dir", help="cache of generated / encoded data (default: <imbal's dir>/bench-data)")
    p.add_argument("--models", help="comma-separated model ids (default: every registered model)")
    p.add_argument("--jobs", type=int, default=2, help="threads on both sides (default 2)")
    p.add_argument("--repeat", type=int, help="runs per measurement (default 3 small, 1 big)")
    p.add_argument("--timeout", type=float, default=600.0)
    p.add_argument("--quick", action="store_true", help="small datasets + generated 100k x 20")
    p.add_argument("--smoke", action="store_true", help="a 2k generated file, 10 trees (for tests)")
    p.add_argument("-o", "--output", help="Markdown table")
    p.add_argument("--json", dest="json_out")
    return p.parse_args(argv)


def main(argv):
    if len(argv) >= 2 and argv[0] == "--worker":
        worker(argv[1])
        return 0
    args = parse_args(argv)
    res = run(args)
    text = render(res)
    if args.output:
        Path(args.output).write_text(text + "\n")
    else:
        print(text)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(res, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
