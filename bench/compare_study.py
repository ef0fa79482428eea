#!/usr/bin/env python3
"""`imbal compare` on every shared dataset: wall time, and ranking stability across two seeds.

Runs `imbal compare DATA --seed S --json` (the default 14 entries, 5-fold stratified CV, all
cores) on each CSV of the shared datasets folder, once with seed 0, and again with seed 1 on the
larger files (at least --stable-min-rows rows). For each file with two runs it reports how the
ranking moved:

  * Spearman's rank correlation between the two orders of the entries;
  * whether the top entry is the same;
  * when it is not, whether the two top entries are a statistical tie: each seed's winner is
    within one fold standard deviation (of the ranking metric) of the other seed's winner in
    that seed's own table. A ranking is called *stable* when Spearman's rho >= 0.8 and the top
    entry is the same or a tie by that rule.

Used by bench/run.py (a section of docs/benchmarks.md); runs alone too:
    /usr/bin/python3 bench/compare_study.py --imbal build/imbal [-o FILE.md] [--json FILE]
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--imbal", default=str(REPO / "build" / "imbal"), help="the imbal executable")
    p.add_argument("--datasets", default=str(REPO.parent / "shared" / "datasets"), help="folder of CSV files")
    p.add_argument("--stable-min-rows", type=int, default=5000,
                   help="files with at least this many rows are compared under a second seed (default 5000)")
    p.add_argument("--timeout", type=float, default=1800.0, help="seconds per compare run (default 1800)")
    p.add_argument("--only", help="comma-separated file stems to run (default: all)")
    p.add_argument("-o", "--output", help="write the Markdown section here (default: stdout)")
    p.add_argument("--json", dest="json_out", help="also write the raw results as JSON")
    return p.parse_args(argv)


def count_rows(path):
    with open(path, "rb") as f:
        return max(0, sum(1 for _ in f) - 1)


def run_compare(args, path, seed):
    cmd = [args.imbal, "compare", str(path), "--seed", str(seed), "--json"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        return {"seed": seed, "error": (proc.stderr.strip().splitlines() or ["exit %d" % proc.returncode])[-1],
                "wall_seconds": wall}
    data = json.loads(proc.stdout)
    metric = data["ranked_by"]
    order = [m["name"] for m in data["methods"]]
    scores = {m["name"]: (m["metrics"][metric]["mean"], m["metrics"][metric]["std"]) for m in data["methods"]}
    return {"seed": seed, "wall_seconds": wall, "metric": metric, "order": order, "scores": scores,
            "rows": data.get("rows"), "classes": len(data.get("classes", []))}


def spearman(order_a, order_b):
    """Spearman's rho between two rankings of the same entries (no ties in a ranking)."""
    common = [e for e in order_a if e in order_b]
    n = len(common)
    if n < 2:
        return float("nan")
    rank_a = {e: i for i, e in enumerate([e for e in order_a if e in common])}
    rank_b = {e: i for i, e in enumerate([e for e in order_b if e in common])}
    d2 = sum((rank_a[e] - rank_b[e]) ** 2 for e in common)
    return 1.0 - 6.0 * d2 / (n * (n * n - 1))


def stability(first, second):
    rho = spearman(first["order"], second["order"])
    top_a, top_b = first["order"][0], second["order"][0]
    same_top = top_a == top_b
    tie = False
    if not same_top:
        # Each seed's winner within one fold std of the other seed's winner, in that seed's table.
        mean_a, std_a = first["scores"][top_a]
        tie_a = first["scores"][top_b][0] >= mean_a - std_a
        mean_b, std_b = second["scores"][top_b]
        tie_b = second["scores"][top_a][0] >= mean_b - std_b
        tie = tie_a and tie_b
    return {"spearman": rho, "same_top": same_top, "top_tie": tie,
            "stable": rho >= 0.8 and (same_top or tie)}


def run(args):
    files = sorted(Path(args.datasets).glob("*.csv"))
    if args.only:
        wanted = set(args.only.split(","))
        files = [f for f in files if f.stem in wanted]
    results = []
    for path in files:
        rows = count_rows(path)
        entry = {"file": path.stem, "rows": rows, "runs": []}
        seeds = [0, 1] if rows >= args.stable_min_rows else [0]
        for seed in seeds:
            print(f"compare {path.stem} seed {seed} ...", file=sys.stderr, flush=True)
            try:
                entry["runs"].append(run_compare(args, path, seed))
            except subprocess.TimeoutExpired:
                entry["runs"].append({"seed": seed, "error": f"timeout after {args.timeout:.0f} s"})
        ok = [r for r in entry["runs"] if "error" not in r]
        if len(ok) == 2:
            entry["stability"] = stability(ok[0], ok[1])
        results.append(entry)
    return {"files": results, "load_after": os.getloadavg()[0], "stable_min_rows": args.stable_min_rows}


def fmt_seconds(s):
    return f"{s:.1f} s" if s < 120 else f"{s / 60:.1f} min"


def render(res):
    lines = ["## `imbal compare` on every shared dataset", "",
             "`imbal compare DATA --seed S --json`: the default 14 entries (9 resampling entries with logistic "
             "regression, 5 ensemble / boosting models), 5-fold stratified CV, threshold tuned for F1 inside each "
             "training fold, all cores. Wall time of the whole command. Files with at least "
             f"{res['stable_min_rows']:,} rows run under a second seed; *stable* = Spearman's rho between the two rankings >= 0.8 and the same winner, or two "
             "winners that tie (each within one fold standard deviation of the other in both tables). "
             "Regenerate alone with `/usr/bin/python3 bench/compare_study.py --imbal build/imbal`.", "",
             "| dataset | rows | time, seed 0 | time, seed 1 | ranked by | winner, seed 0 | winner, seed 1 | Spearman rho | stable |",
             "|---|---:|---:|---:|---|---|---|---:|---|"]
    for e in res["files"]:
        runs = e["runs"]
        first = runs[0]
        second = runs[1] if len(runs) > 1 else None
        if "error" in first:
            lines.append(f"| {e['file']} | {e['rows']:,} | failed: {first['error']} | | | | | | |")
            continue
        t1 = fmt_seconds(first["wall_seconds"])
        t2 = fmt_seconds(second["wall_seconds"]) if second and "error" not in second else (
            f"failed: {second['error']}" if second else "—")
        w1 = f"`{first['order'][0]}` ({first['scores'][first['order'][0]][0]:.3f})"
        w2 = "—"
        rho = "—"
        stable = "—"
        if "stability" in e:
            st = e["stability"]
            w2 = f"`{second['order'][0]}` ({second['scores'][second['order'][0]][0]:.3f})"
            rho = f"{st['spearman']:.2f}"
            stable = "yes" if st["stable"] else "**no**"
            if st["stable"] and not st["same_top"]:
                stable += " (winners tie)"
        lines.append(f"| {e['file']} | {e['rows']:,} | {t1} | {t2} | {first['metric']} | {w1} | {w2} | {rho} | {stable} |")
    total = sum(r.get("wall_seconds", 0.0) for e in res["files"] for r in e["runs"])
    lines += ["", f"All runs together: {fmt_seconds(total)}. Load average (1 min) after the runs: {res['load_after']:.2f}."]
    return "\n".join(lines)


def main(argv):
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
