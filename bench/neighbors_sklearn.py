#!/usr/bin/python3
"""scikit-learn's side of the k-NN benchmark (bench/neighbors_bench.cpp, docs/neighbors.md).

Times NearestNeighbors(n_neighbors=k + 1).fit(X).kneighbors(X) -- what imbalanced-learn does
(k + 1 because the query row itself comes back first) -- on standard normal data of the same
shape as the C++ benchmark (different random draws of the same distribution), and the "1 %
minority" variant: kneighbors(X[::100]) against all rows.

Run with Debian's Python (scikit-learn 1.2, OpenBLAS):
    /usr/bin/python3 bench/neighbors_sklearn.py                      # 100k x 20, k = 1, 3, 5
    /usr/bin/python3 bench/neighbors_sklearn.py --algorithms auto,kd_tree --repeat 3
Prints one JSON object per measurement and a summary table.
"""
import argparse
import json
import os
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--cols", type=int, default=20)
    ap.add_argument("--ks", default="1,3,5")
    ap.add_argument("--jobs", type=int, default=2, help="n_jobs for NearestNeighbors (default 2)")
    ap.add_argument("--algorithms", default="auto",
                    help="comma-separated: auto (brute at d > 15), brute, kd_tree, ball_tree")
    ap.add_argument("--repeat", type=int, default=1, help="best of R runs")
    ap.add_argument("--no-minority", action="store_true", help="skip the 1 %% minority queries")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    import numpy as np
    import sklearn
    from sklearn.neighbors import NearestNeighbors
    from threadpoolctl import threadpool_info

    X = np.random.default_rng(args.seed).standard_normal((args.rows, args.cols))
    minority = X[::100]
    ks = [int(k) for k in args.ks.split(",")]
    print(json.dumps({"sklearn": sklearn.__version__, "numpy": np.__version__,
                      "python": sys.version.split()[0], "cpus": os.cpu_count(),
                      "load_avg": os.getloadavg(),
                      "blas": [(i.get("internal_api"), i.get("version"), i.get("num_threads"))
                               for i in threadpool_info()]}), flush=True)

    results = []
    for algorithm in args.algorithms.split(","):
        for case, queries in [("all-vs-all", X)] + ([] if args.no_minority else
                                                    [("minority-vs-all", minority)]):
            for k in ks:
                best = float("inf")
                method = None
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    nn = NearestNeighbors(n_neighbors=k + 1, algorithm=algorithm, n_jobs=args.jobs)
                    nn.fit(X)
                    nn.kneighbors(queries)
                    best = min(best, time.perf_counter() - t0)
                    method = nn._fit_method
                flops = 2.0 * len(queries) * args.rows * args.cols
                row = {"case": case, "algorithm": algorithm, "fit_method": method, "k": k,
                       "rows": args.rows, "cols": args.cols, "queries": len(queries),
                       "seconds": round(best, 4), "gflops": round(flops / best * 1e-9, 2)}
                results.append(row)
                print(json.dumps(row), flush=True)

    print(f"\n{'case':<16} {'algorithm':<10} {'k':>2} {'seconds':>9} {'GFLOP/s':>8}")
    for r in results:
        print(f"{r['case']:<16} {r['algorithm'] + '/' + str(r['fit_method']):<10} {r['k']:>2} "
              f"{r['seconds']:>9.3f} {r['gflops']:>8.2f}")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
