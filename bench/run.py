#!/usr/bin/python3
"""imbal vs imbalanced-learn, side by side, on the same files, in one run; writes docs/benchmarks.md.

    /usr/bin/python3 bench/run.py --imbal build/imbal --bench-bin build/imbal_bench   (= make bench)
    /usr/bin/python3 bench/run.py --quick          # small datasets + the 100k generated one, R=3
    /usr/bin/python3 bench/run.py --smoke -o /tmp/b.md   # seconds; used by the test suite

Every measurement runs in a fresh process, with the same protocol on both sides:
  load the CSV (not timed as resampling) -> read VmRSS -> reset the RSS high-water mark
  (/proc/self/clear_refs) -> fit_resample R times (best and median wall time) -> read VmHWM.
The memory a method adds is VmHWM after the runs minus VmRSS after loading.
The C++ side is build/imbal_resample_timer (bench/resample_timer.cpp); the Python side is this
file run as `run.py --worker JSON` under Debian's /usr/bin/python3 (imbalanced-learn + OpenBLAS).
The method list comes from `imbal list --json`: a newly registered method gets rows by itself.
The harness process itself imports only the standard library, so that it stays small.
"""
import argparse
import datetime
import functools
import json
import math
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEBIAN_PYTHON = "/usr/bin/python3"

# Columns that /work/shared/datasets/README.md lists as categorical (all others are numeric).
CATEGORICAL = {
    "car_vgood.csv": ["Buying", "Maint", "Doors", "Persons", "Lug_boot", "Safety"],
    "adult.csv": ["workclass", "education", "marital_status", "occupation", "relationship", "race",
                  "sex", "native_country"],
    "german_credit.csv": ["checking_status", "credit_history", "purpose", "savings_status",
                          "employment", "personal_status", "other_parties", "property_magnitude",
                          "other_payment_plans", "housing", "job", "own_telephone", "foreign_worker"],
}

# Generated datasets: imbal make-classification, 1% minority.
GEN_ARGS = ["--features", "20", "--informative", "10", "--redundant", "5", "--weights", "0.99",
            "--flip-y", "0", "--seed", "0"]
GENERATED = {"gen_100k_x20.csv": 100_000, "gen_1m_x20.csv": 1_000_000}
SMOKE_DATA = ("smoke_2k_x8.csv", ["--samples", "2000", "--features", "8", "--informative", "4",
                                  "--redundant", "2", "--weights", "0.9", "--flip-y", "0",
                                  "--seed", "0"])

BIG_BYTES = 2_000_000  # files at least this large count as "big": R=3 and not in --quick
MB = 1e6
# Variants measured besides every method's defaults (issue 4's near-miss-2 memory target at 100k).
DEFAULT_VARIANTS = ("near-miss:version=2", "near-miss:version=3")


# ----------------------------------------------------------------------------------------------
# Worker side (runs in a fresh /usr/bin/python3 per measurement; imports pandas/imblearn there).
# ----------------------------------------------------------------------------------------------

def _status_bytes(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return None


def _reset_peak_rss():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _malloc_trim():
    """Returns freed heap memory to the OS (glibc), so that RSS after loading counts live data only
    and the runs cannot reuse resident memory freed by pandas unseen; the C++ timer does the same."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _load_frame(path, target, categorical):
    """pandas.read_csv, then a float64 C-contiguous matrix with categorical columns ordinal-encoded
    (codes in order of first appearance, as imbal stores them), and the labels as read."""
    import numpy as np
    import pandas as pd
    df = pd.read_csv(path)
    target = target or ("target" if "target" in df.columns else df.columns[-1])
    y = df[target].to_numpy()
    X = df.drop(columns=[target])
    cat_idx = []
    for j, name in enumerate(X.columns):
        if name in categorical or not pd.api.types.is_numeric_dtype(X[name]):
            X[name] = pd.factorize(X[name])[0]
            cat_idx.append(j)
    X = np.ascontiguousarray(X.to_numpy(dtype=np.float64))
    return X, y, cat_idx


def _sampler_class(module, python_class):
    import importlib
    return getattr(importlib.import_module("imblearn." + module), python_class)


def _make_sampler(cls, cat_idx, n_jobs, params=None):
    import inspect
    accepted = inspect.signature(cls).parameters
    kwargs = dict(params or {})
    # iht's estimator names an imbal model: give imbalanced-learn the scikit-learn one.
    if isinstance(kwargs.get("estimator"), str):
        from sklearn.linear_model import LogisticRegression
        from sklearn.neighbors import KNeighborsClassifier
        kwargs["estimator"] = {"k-neighbors": KNeighborsClassifier,
                               "logistic-regression": LogisticRegression}[kwargs["estimator"]]()
    if "random_state" in accepted:
        kwargs["random_state"] = 0
    if "categorical_features" in accepted:  # SMOTENC has no usable default
        kwargs["categorical_features"] = cat_idx
    if n_jobs is not None and "n_jobs" in accepted:
        kwargs["n_jobs"] = n_jobs
    return cls(**kwargs)


def worker_resample(a):
    import gc
    import numpy  # noqa: F401  (imports are not part of the load time)
    import pandas  # noqa: F401
    cls = _sampler_class(a["module"], a["python_class"])
    t0 = time.perf_counter()
    X, y, cat_idx = _load_frame(a["path"], a.get("target"), set(a.get("categorical", [])))
    load_seconds = time.perf_counter() - t0
    sampler = _make_sampler(cls, cat_idx, a.get("n_jobs"), a.get("params"))
    gc.collect()
    _malloc_trim()
    rss_after_load = _status_bytes("VmRSS")
    hwm_after_load = _status_bytes("VmHWM")
    reset = _reset_peak_rss()
    times, rows_out = [], 0
    for r in range(a["repeat"]):
        if r > 0 and a.get("max_seconds") and sum(times) >= a["max_seconds"]:
            break
        start = time.perf_counter()
        X_res, y_res = sampler.fit_resample(X, y)
        times.append(time.perf_counter() - start)
        rows_out = len(y_res)
        del X_res, y_res
    hwm_after_runs = _status_bytes("VmHWM") if reset else None
    import resource
    return {"rows_in": int(X.shape[0]), "cols": int(X.shape[1]), "rows_out": rows_out,
            "repeat": len(times), "load_seconds": load_seconds, "best_seconds": min(times),
            "median_seconds": statistics.median(times), "times": times,
            "rss_after_load_bytes": rss_after_load, "hwm_after_load_bytes": hwm_after_load,
            "hwm_after_runs_bytes": hwm_after_runs,
            "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}


def worker_end_to_end(a):
    """What a user's script does: read with pandas, resample the DataFrame, write with pandas."""
    t0 = time.perf_counter()
    import pandas as pd
    cls = _sampler_class(a["module"], a["python_class"])  # import cost: the user waits for it too
    t1 = time.perf_counter()
    df = pd.read_csv(a["path"])
    target = "target" if "target" in df.columns else df.columns[-1]
    X, y = df.drop(columns=[target]), df[target]
    t2 = time.perf_counter()
    sampler = _make_sampler(cls, [], a.get("n_jobs"), a.get("params"))
    X_res, y_res = sampler.fit_resample(X, y)
    t3 = time.perf_counter()
    X_res[target] = y_res.to_numpy()
    X_res.to_csv(a["output"], index=False)
    t4 = time.perf_counter()
    return {"import_seconds": t1 - t0, "read_seconds": t2 - t1, "resample_seconds": t3 - t2,
            "write_seconds": t4 - t3, "rows_out": int(len(y_res))}


def worker_environment(a):
    import importlib
    info = {"python": platform.python_version()}
    for name in ("numpy", "pandas", "scipy", "sklearn", "imblearn", "threadpoolctl"):
        try:
            info[name] = importlib.import_module(name).__version__
        except Exception:  # noqa: BLE001
            info[name] = None
    import sklearn.neighbors  # noqa: F401  (loads scipy's and sklearn's native libraries)
    try:
        from threadpoolctl import threadpool_info
        info["blas"] = [{k: d.get(k) for k in ("internal_api", "version", "num_threads",
                                               "threading_layer", "architecture", "filepath")}
                        for d in threadpool_info() if d.get("user_api") == "blas"]
    except Exception:  # noqa: BLE001
        info["blas"] = None
    if not info["blas"]:
        try:
            import numpy
            blas = numpy.show_config(mode="dicts")["Build Dependencies"]["blas"]  # numpy >= 1.25
            info["blas"] = [{"internal_api": blas.get("name"), "version": blas.get("version")}]
        except Exception:  # noqa: BLE001
            info["blas"] = None
    available = {}
    for module, cls in a.get("classes", []):
        try:
            available[f"{module}.{cls}"] = hasattr(importlib.import_module("imblearn." + module), cls)
        except Exception:  # noqa: BLE001
            available[f"{module}.{cls}"] = False
    info["available"] = available
    return info


def worker_main(arg):
    a = json.loads(arg)
    fn = {"resample": worker_resample, "e2e": worker_end_to_end, "env": worker_environment}[a["kind"]]
    try:
        out = fn(a)
    except Exception as e:  # noqa: BLE001
        out = {"error": f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:300],
               "refused": isinstance(e, (ValueError, TypeError))}
    print(json.dumps(out))


# ----------------------------------------------------------------------------------------------
# Harness side.
# ----------------------------------------------------------------------------------------------

def log(msg):
    print(msg, file=sys.stderr, flush=True)


def busy_cpu_seconds():
    """CPU seconds the whole machine spent busy since boot (/proc/stat: user, nice, system, irq,
    softirq; steal and idle/iowait excluded)."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()[1:]
        return sum(int(fields[i]) for i in (0, 1, 2, 5, 6)) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def own_cpu_seconds():
    t = os.times()
    return t.user + t.system


def estimate_seconds(history, n_rows):
    """Process seconds expected on n_rows, from the (rows, seconds) of earlier ok runs of the same
    method and side (files in increasing size), or None with no history. Linear in rows from the last
    run, unless the last two runs (a 5x size step at least, the last taking 10 s or more) grew faster:
    then their exponent, capped at 2. Linear never skips wrongly; the fitted exponent saves the
    minutes an O(n^2) method (svm-smote) would spend timing out at 1M rows on both sides."""
    if not history:
        return None
    rows, secs = history[-1]
    exponent = 1.0
    if len(history) >= 2 and secs >= 10:
        rows0, secs0 = history[-2]
        if rows >= 5 * rows0 and secs0 > 0:
            exponent = min(2.0, max(1.0, math.log(secs / secs0) / math.log(rows / rows0)))
    return secs * (n_rows / max(rows, 1)) ** exponent


def run_process(cmd, timeout):
    """Runs cmd with a timeout; returns (status, stdout, stderr, wall seconds, child peak RSS bytes,
    CPU seconds used by *other* processes meanwhile). status: 'ok', 'timeout', 'refused' (exit 2)
    or 'error'. Peak RSS comes from wait4's rusage of that very child; the others' CPU is the
    machine's busy time (/proc/stat) minus the child's and the harness's own CPU time."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        busy0, own0 = busy_cpu_seconds(), own_cpu_seconds()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        deadline = start + timeout
        rusage, code = None, None
        while True:
            pid, wstatus, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid == proc.pid:
                code, rusage = os.waitstatus_to_exitcode(wstatus), ru
                proc.returncode = code
                break
            if time.perf_counter() > deadline:
                proc.kill()
                _, wstatus, ru = os.wait4(proc.pid, 0)
                proc.returncode = -9
                wall = time.perf_counter() - start
                return "timeout", "", "", wall, None, None
            time.sleep(0.005)
        wall = time.perf_counter() - start
        busy1, own1 = busy_cpu_seconds(), own_cpu_seconds()
        others = None
        if busy0 is not None and busy1 is not None:
            others = max(0.0, (busy1 - busy0) - (rusage.ru_utime + rusage.ru_stime) - (own1 - own0))
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    # Exit 2: the tool refused the input (usage error, invalid parameter for this data).
    status = "ok" if code == 0 else "refused" if code == 2 else "error"
    return status, stdout, stderr, wall, rusage.ru_maxrss * 1024 if rusage else None, others


def last_json_line(text):
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError("no JSON line in output")


def worker_cmd(python, payload):
    return [python, str(Path(__file__).resolve()), "--worker", json.dumps(payload)]


def short_error(stderr):
    lines = [ln.strip() for ln in stderr.strip().splitlines() if ln.strip()]
    line = lines[-1] if lines else "failed"
    for prefix in ("imbal_resample_timer: ", "imbal: "):
        line = line.removeprefix(prefix)
    return line[:240]


def extra_bytes(r):
    """The memory a run added on top of the loaded data: high-water mark after the runs (reset
    after loading) minus RSS after loading; falls back to the process peak."""
    if not r or r.get("status") != "ok":
        return None
    base = r.get("rss_after_load_bytes")
    top = r.get("hwm_after_runs_bytes") or r.get("peak_rss_bytes")
    if base is None or top is None:
        return None
    return max(0, top - base)


def peak_bytes(r):
    if not r or r.get("status") != "ok":
        return None
    vals = [r.get(k) for k in ("hwm_after_load_bytes", "hwm_after_runs_bytes") if r.get(k)]
    return max(vals) if vals else r.get("peak_rss_bytes")


@functools.lru_cache(maxsize=None)
def csv_shape(path):
    with open(path, "rb") as f:
        header = f.readline()
        rows = sum(1 for line in f if line.strip())
    return rows, header.count(b",")  # feature columns = fields - 1 (the target)


def python_params(method):
    """A variant's parameters for the imbalanced-learn class: numbers as numbers."""
    out = {}
    for k, v in method.get("variant_params", {}).items():
        for conv in (int, float):
            try:
                out[k] = conv(v)
                break
            except ValueError:
                continue
        else:
            out[k] = {"true": True, "false": False, "none": None}.get(v.lower(), v)
    return out


def warm_cache(path):
    with open(path, "rb") as f:
        while f.read(1 << 22):
            pass


class Harness:
    def __init__(self, args):
        self.args = args
        self.imbal = str(Path(args.imbal).resolve())
        build_dir = Path(self.imbal).parent
        self.timer = str(Path(args.timer).resolve()) if args.timer else str(build_dir / "imbal_resample_timer")
        self.data_dir = Path(args.data_dir) if args.data_dir else build_dir / "bench-data"
        self.python = args.python
        self.build_dir = build_dir

    # -- inputs ---------------------------------------------------------------------------------

    def methods(self):
        proc = subprocess.run([self.imbal, "list", "--json"], capture_output=True, text=True, check=True)
        entries = json.loads(proc.stdout)
        by_name = {e["name"]: e for e in entries}

        def entry_of(wanted):
            # A variant with parameters: "near-miss:version=2" (several: "m:a=1;b=2").
            base, _, spec = wanted.partition(":")
            entry = dict(by_name[base], id=base)
            if spec:
                entry["name"] = wanted
                entry["variant_params"] = dict(kv.split("=", 1) for kv in spec.split(";"))
            return entry

        if self.args.methods:
            wanted = [m.strip() for m in self.args.methods.split(",") if m.strip()]
            unknown = sorted({w.split(":")[0] for w in wanted} - set(by_name))
            if unknown:
                sys.exit(f"run.py: unknown method(s) {', '.join(unknown)}; imbal has "
                         f"{', '.join(e['name'] for e in entries)}")
            return [entry_of(w) for w in wanted]
        # Every registered method with its defaults, each followed by its DEFAULT_VARIANTS.
        out = []
        for e in entries:
            out.append(entry_of(e["name"]))
            out += [entry_of(v) for v in DEFAULT_VARIANTS if v.partition(":")[0] == e["name"]]
        return out

    def generate(self, name, gen_args):
        path = self.data_dir / name
        if not path.exists() or path.stat().st_size == 0:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            log(f"generating {path} ...")
            subprocess.run([self.imbal, "--quiet", "make-classification", *gen_args, "-o", str(path)],
                           check=True, stdout=subprocess.DEVNULL)
        return path

    def datasets(self):
        """[(name, path, categorical columns, big?)] sorted by file size."""
        a = self.args
        out = []
        if a.smoke:
            name, gen_args = SMOKE_DATA
            out.append(self.generate(name, gen_args))
        else:
            ddir = Path(a.datasets) if a.datasets else REPO.parent / "shared" / "datasets"
            shared = sorted(ddir.glob("*.csv")) if ddir.is_dir() else []
            if not shared:
                log(f"warning: no CSV files in {ddir}")
            out.extend(p for p in shared if not (a.quick and p.stat().st_size >= BIG_BYTES))
            generated = dict(GENERATED)
            if a.generated:
                generated = {f"gen_{n // 1000}k_x20.csv" if n % 1000 == 0 else f"gen_{n}_x20.csv": n
                             for n in (int(v) for v in a.generated.split(","))}
            for name, n in generated.items():
                if a.quick and n > 100_000:
                    continue
                out.append(self.generate(name, ["--samples", str(n), *GEN_ARGS]))
        out.sort(key=lambda p: p.stat().st_size)
        return [(p.name, p, CATEGORICAL.get(p.name, []), p.stat().st_size >= BIG_BYTES) for p in out]

    def repeat_for(self, big):
        if self.args.repeat:
            return self.args.repeat
        if self.args.smoke:
            return 1
        return 3 if (big or self.args.quick) else 5

    # -- measurements ---------------------------------------------------------------------------

    def time_imbal(self, method, path, categorical, repeat):
        cmd = [self.timer, str(path), "--method", method.get("id", method["name"]), "--seed", "0",
               "--repeat", str(repeat), "--max-seconds", str(self.args.repeat_budget),
               "--jobs", str(self.args.jobs)]
        for k, v in method.get("variant_params", {}).items():
            cmd += ["--param", f"{k}={v}"]
        if categorical:
            cmd += ["--categorical", ",".join(categorical)]
        status, out, err, wall, _, others = run_process(cmd, self.args.timeout)
        if status != "ok":
            return {"status": status, "error": short_error(err) if status != "timeout" else None}
        r = last_json_line(out)
        r.update(status="ok", process_seconds=wall, others_cpu_seconds=others)
        return r

    def time_imblearn(self, method, path, categorical, repeat):
        payload = {"kind": "resample", "path": str(path), "module": method["module"],
                   "python_class": method["python_class"], "categorical": categorical,
                   "repeat": repeat, "max_seconds": self.args.repeat_budget,
                   "n_jobs": self.args.imblearn_jobs, "params": python_params(method)}
        status, out, err, wall, _, others = run_process(worker_cmd(self.python, payload), self.args.timeout)
        if status != "ok":
            return {"status": status, "error": short_error(err) if status != "timeout" else None}
        r = last_json_line(out)
        if "error" in r:
            return {"status": "refused" if r.get("refused") else "error", "error": r["error"]}
        r.update(status="ok", process_seconds=wall, others_cpu_seconds=others)
        return r

    def environment(self, methods):
        payload = {"kind": "env", "classes": [(m["module"], m["python_class"]) for m in methods]}
        status, out, err, *_ = run_process(worker_cmd(self.python, payload), 120)
        if status != "ok":
            sys.exit(f"run.py: {self.python} cannot import the Python stack: {short_error(err)}")
        return last_json_line(out)

    def end_to_end(self, method, path, out_dir):
        out_dir.mkdir(parents=True, exist_ok=True)
        res = {"method": method["name"]}
        out_csv = out_dir / f"e2e_imbal_{method['name'].replace(':', '_')}.csv"
        cmd = [self.imbal, "--quiet", "--jobs", str(self.args.jobs), "resample", str(path),
               "--method", method.get("id", method["name"]), "--seed", "0", "-o", str(out_csv)]
        for k, v in method.get("variant_params", {}).items():
            cmd += ["--param", f"{k}={v}"]
        status, _, err, wall, peak, others = run_process(cmd, self.args.timeout)
        rows = None
        if status == "ok":
            with open(out_csv, "rb") as f:
                rows = sum(1 for _ in f) - 1
        res["imbal"] = {"status": status, "seconds": wall, "peak_rss_bytes": peak, "rows_out": rows,
                        "process_seconds": wall, "others_cpu_seconds": others,
                        "error": short_error(err) if status in ("error", "refused") else None}
        out_csv.unlink(missing_ok=True)

        out_csv = out_dir / f"e2e_pandas_{method['name'].replace(':', '_')}.csv"
        payload = {"kind": "e2e", "path": str(path), "module": method["module"],
                   "python_class": method["python_class"], "output": str(out_csv),
                   "n_jobs": self.args.imblearn_jobs, "params": python_params(method)}
        status, out, err, wall, peak, others = run_process(worker_cmd(self.python, payload), self.args.timeout)
        py = {"status": status, "seconds": wall, "peak_rss_bytes": peak, "process_seconds": wall,
              "others_cpu_seconds": others,
              "error": short_error(err) if status in ("error", "refused") else None}
        if status == "ok":
            r = last_json_line(out)
            if "error" in r:
                py.update(status="refused" if r.get("refused") else "error", error=r["error"])
            else:
                py.update(r)
        res["imblearn"] = py
        out_csv.unlink(missing_ok=True)
        return res

    def csv_io(self):
        """Google Benchmark CSV cases of imbal_bench (bench/csv_bench.cpp), if present."""
        if self.args.smoke and not self.args.bench_bin:
            return {"status": "skipped", "note": "skipped in --smoke mode"}
        bench = self.args.bench_bin or str(self.build_dir / "imbal_bench")
        if not Path(bench).exists():
            return {"status": "absent", "note": f"`{bench}` does not exist (Google Benchmark not "
                                                "installed, or not built)"}
        cmd = [bench, "--benchmark_format=json", "--benchmark_filter=(Csv|CSV|csv)"]
        status, out, err, *_ = run_process(cmd, max(self.args.timeout, 300))
        if status != "ok":
            return {"status": status, "note": f"`imbal_bench` failed: {short_error(err)}"}
        try:
            data = json.loads(out)
        except json.JSONDecodeError:
            return {"status": "error", "note": "`imbal_bench` printed no JSON"}
        cases = [b for b in data.get("benchmarks", []) if b.get("run_type", "iteration") == "iteration"]
        if not cases:
            return {"status": "empty", "note": "`imbal_bench` has no CSV cases (bench/csv_bench.cpp)"}
        return {"status": "ok", "cases": cases, "context": data.get("context", {})}

    def neighbors(self):
        """The neighbour engine alone (issue: 100k x 20, all points against all points, k = 1, 3, 5):
        imbal_bench's BM_KnnAllVsAll / BM_KnnMinorityVsAll (brute force, all cores) and the FMA
        peak it measures in the same process, against scikit-learn's NearestNeighbors
        (bench/neighbors_sklearn.py, n_jobs=2) on data of the same shape and distribution."""
        a = self.args
        if a.smoke or a.no_neighbors:
            return {"status": "skipped", "note": "skipped (--smoke or --no-neighbors)"}
        bench = a.bench_bin or str(self.build_dir / "imbal_bench")
        if not Path(bench).exists():
            return {"status": "absent", "note": f"`{bench}` does not exist (Google Benchmark not installed, "
                                                "or not built)"}
        filt = "BM_PeakFma/2/|BM_KnnAllVsAll/backend:0/k:[135]/jobs:0|BM_KnnMinorityVsAll/backend:0/"
        log("neighbour engine: imbal_bench " + filt)
        status, out, err, wall, _, others = run_process(
            [bench, "--benchmark_format=json", f"--benchmark_filter={filt}"], max(a.timeout, 600))
        if status != "ok":
            return {"status": status, "note": f"`imbal_bench` failed: {short_error(err)}"}
        try:
            cases = [b for b in json.loads(out).get("benchmarks", [])
                     if b.get("run_type", "iteration") == "iteration"]
        except json.JSONDecodeError:
            return {"status": "error", "note": "`imbal_bench` printed no JSON"}
        log("neighbour engine: scikit-learn (bench/neighbors_sklearn.py)")
        sk_cmd = [self.python, str(REPO / "bench" / "neighbors_sklearn.py"), "--ks", "1,3,5", "--jobs", "2"]
        status, sk_out, sk_err, sk_wall, _, sk_others = run_process(sk_cmd, max(a.timeout, 900))
        sk_rows, sk_env = [], {}
        if status == "ok":
            for line in sk_out.splitlines():
                line = line.strip()
                if line.startswith("{"):
                    obj = json.loads(line)
                    (sk_rows.append(obj) if "case" in obj else sk_env.update(obj))
        return {"status": "ok", "imbal": cases, "imbal_others_cpu": others, "imbal_wall": wall,
                "sklearn": sk_rows, "sklearn_env": sk_env, "sklearn_status": status,
                "sklearn_error": short_error(sk_err) if status != "ok" else None,
                "sklearn_others_cpu": sk_others, "sklearn_wall": sk_wall}

    # -- the run --------------------------------------------------------------------------------

    def run(self):
        a = self.args
        started = time.time()
        load_start = os.getloadavg()
        methods = self.methods()
        if not Path(self.timer).exists():
            sys.exit(f"run.py: {self.timer} not found (build the imbal_resample_timer target)")
        env = self.environment(methods)
        common, missing = [], []
        for m in methods:
            (common if env["available"].get(f"{m['module']}.{m['python_class']}") else missing).append(m)
        if a.smoke and not a.methods:
            common = common[:1]
        datasets = self.datasets()
        rows = []
        # Once a side times out on a dataset, larger datasets are skipped for that side and method;
        # a side whose process time, extrapolated from the previous files, would exceed the timeout
        # is skipped without trying (see estimate_seconds).
        for m in common:
            gave_up = {"imbal": None, "imblearn": None}
            history = {"imbal": [], "imblearn": []}  # (rows, process seconds) of the ok runs, in order
            for name, path, cat, big in datasets:
                repeat = self.repeat_for(big)
                n_rows, n_cols = csv_shape(path)
                row = {"dataset": name, "rows": n_rows, "cols": n_cols, "bytes": path.stat().st_size,
                       "method": m["name"], "python_class": m["python_class"], "repeat": repeat}
                warm_cache(path)
                for side, fn in (("imbal", self.time_imbal), ("imblearn", self.time_imblearn)):
                    if gave_up[side]:
                        row[side] = {"status": "skipped", "error": f"timed out on {gave_up[side]}"}
                        continue
                    estimate = estimate_seconds(history[side], n_rows)
                    if estimate is not None and estimate > a.timeout:
                        prev_rows, prev_s = history[side][-1]
                        row[side] = {"status": "skipped", "error": f"estimated {estimate:.0f} s, over the "
                                     f"{a.timeout:.0f} s timeout ({prev_s:.0f} s on {prev_rows:,} rows)"}
                        continue
                    t = time.perf_counter()
                    row[side] = fn(m, path, cat, repeat)
                    elapsed = time.perf_counter() - t
                    if row[side]["status"] == "timeout":
                        gave_up[side] = name
                    elif row[side]["status"] == "ok":
                        history[side].append((n_rows, elapsed))
                    log(f"{m['name']:>20} {name:<24} {side:<8} {row[side]['status']:<7} "
                        f"best {fmt_s(row[side].get('best_seconds'))} (process {elapsed:.1f} s)"
                        + (f": {row[side]['error']}" if row[side].get("error") else ""))
                rows.append(row)

        e2e = []
        e2e_data = None
        e2e_methods = [m for m in common if a.e2e_methods == "all" or a.smoke
                       or m["name"] in a.e2e_methods.split(",")]
        if not a.no_e2e and datasets and e2e_methods:
            # The largest file without categorical columns (the big generated one in a full run).
            e2e_data = max(datasets, key=lambda d: 0 if d[2] else d[1].stat().st_size)
            for m in e2e_methods:
                prior = [r for r in rows if r["method"] == m["name"] and r["dataset"] == e2e_data[0]]
                if prior and any(prior[0][s]["status"] in ("timeout", "skipped") for s in ("imbal", "imblearn")):
                    e2e.append({"method": m["name"], "skipped": "timed out or skipped in the resampling table"})
                    continue
                warm_cache(e2e_data[1])
                res = self.end_to_end(m, e2e_data[1], self.data_dir / "e2e-out")
                log(f"{m['name']:>20} end-to-end on {e2e_data[0]}: imbal {res['imbal']['status']} "
                    f"{res['imbal']['seconds']:.2f} s, pandas+imblearn {res['imblearn']['status']} "
                    f"{res['imblearn']['seconds']:.2f} s")
                e2e.append(res)

        csv_io = self.csv_io()
        neighbors = self.neighbors()
        result = {
            "command": command_line(),
            "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "duration_seconds": time.time() - started,
            "load_before": load_start, "load_after": os.getloadavg(),
            "machine": machine_info(), "build": build_info(self.build_dir),
            "imbal_version": subprocess.run([self.imbal, "--version"], capture_output=True,
                                            text=True).stdout.strip(),
            "git": git_info(), "env": env, "jobs": a.jobs, "imblearn_jobs": a.imblearn_jobs,
            "repeat_budget": a.repeat_budget,
            "mode": "smoke" if a.smoke else "quick" if a.quick else "full",
            "methods": [m["name"] for m in common], "missing": [m["name"] for m in missing],
            "rows": rows, "e2e": e2e, "e2e_dataset": None if e2e_data is None else
            {"name": e2e_data[0], "rows": csv_shape(e2e_data[1])[0], "cols": csv_shape(e2e_data[1])[1],
             "bytes": e2e_data[1].stat().st_size},
            "csv_io": csv_io,
            "neighbors": neighbors,
        }
        return result


# ----------------------------------------------------------------------------------------------
# Environment description.
# ----------------------------------------------------------------------------------------------

def machine_info():
    info = {"nproc": os.cpu_count(), "usable_cpus": len(os.sched_getaffinity(0)),
            "kernel": platform.release(), "cpu": None, "mem_total_bytes": None}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    info["mem_total_bytes"] = int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        with open("/proc/cpuinfo") as f:
            flags = next((ln.split(":", 1)[1].split() for ln in f if ln.startswith("flags")), [])
        info["simd"] = [x for x in ("sse4_2", "avx", "avx2", "fma", "avx512f") if x in flags]
    except OSError:
        info["simd"] = []
    return info


def build_info(build_dir):
    info = {"dir": str(build_dir)}
    cache = build_dir / "CMakeCache.txt"
    if cache.exists():
        for line in cache.read_text(errors="replace").splitlines():
            for key in ("CMAKE_BUILD_TYPE", "CMAKE_CXX_COMPILER", "CMAKE_CXX_FLAGS_RELEASE"):
                if line.startswith(key + ":"):
                    info[key] = line.split("=", 1)[1]
    cxx = info.get("CMAKE_CXX_COMPILER")
    if cxx and Path(cxx).exists():
        out = subprocess.run([cxx, "--version"], capture_output=True, text=True).stdout
        info["compiler"] = out.splitlines()[0] if out else cxx
    return info


def git_info():
    try:
        rev = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return rev + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return None


def command_line():
    argv = [Path(sys.argv[0]).resolve()]
    try:
        argv[0] = argv[0].relative_to(REPO)
    except ValueError:
        pass
    return " ".join(shlex.quote(str(x)) for x in [DEBIAN_PYTHON, *argv, *sys.argv[1:]])


# ----------------------------------------------------------------------------------------------
# Report.
# ----------------------------------------------------------------------------------------------

def fmt_s(x):
    if x is None:
        return "–"
    if x < 1e-3:
        return f"{x * 1e6:.0f} µs"
    if x < 1:
        return f"{x * 1e3:.1f} ms"
    return f"{x:.2f} s"


def fmt_mb(b):
    return "–" if b is None else f"{b / MB:.1f}"


def fmt_ratio(x):
    if x is None or not math.isfinite(x):
        return "–"
    return f"{x:.0f}×" if x >= 100 else f"{x:.1f}×" if x >= 10 else f"{x:.2f}×"


def ratio(num, den, floor=0.0):
    if num is None or den is None or den <= floor or num <= 0:
        return None
    return num / den


def mem_ratio(py, cpp):
    # Below 1 MB, page granularity and allocator caching dominate: no ratio.
    if py is None or cpp is None or py < MB:
        return None
    return py / max(cpp, MB)


def side_cell(r, key="best_seconds"):
    if r["status"] == "ok":
        return fmt_s(r[key])
    if r["status"] == "timeout":
        return "timeout"
    if r["status"] == "skipped":
        return "skipped"
    if r["status"] == "refused":
        return "n/a"
    return "error"


BUSY_SHARE = 0.25  # other processes used more than a quarter of a core on average


def busy_side(s):
    """True when other processes used the CPU noticeably while this measurement ran (at least
    BUSY_SHARE of a core on average, and 0.05 s in all: /proc/stat counts 10 ms ticks)."""
    others, wall = s.get("others_cpu_seconds"), s.get("process_seconds")
    return bool(others and wall and others > 0.05 and others > BUSY_SHARE * wall)


def busy_row(r):
    return any(busy_side(r[s]) for s in ("imbal", "imblearn"))


def geomean(xs):
    xs = [x for x in xs if x]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def render(res, timeout):
    L = []
    m, env, b = res["machine"], res["env"], res["build"]
    L.append("# Benchmarks: imbal vs imbalanced-learn")
    L.append("")
    L.append("Generated by `bench/run.py`; do not edit by hand. Regenerate with `make bench` "
             "(after `make build`), which runs:")
    L.append("")
    L.append("```sh")
    L.append(res["command"])
    L.append("```")
    L.append("")
    L.append(f"Mode: **{res['mode']}**. Date: {res['date']}. Run took {res['duration_seconds'] / 60:.1f} min. "
             f"Commit: {res['git'] or 'unknown'}.")
    L.append("")
    L.append("## Machine and versions")
    L.append("")
    L.append(f"- Machine: **{m['nproc']} cores** ({m['usable_cpus']} usable), {m['cpu'] or 'unknown CPU'}"
             f" ({', '.join(m.get('simd') or []) or 'no SIMD flags read'}), "
             f"{(m['mem_total_bytes'] or 0) / 2**30:.1f} GiB RAM, Linux {m['kernel']}. "
             f"Load average (1 min) {res['load_before'][0]:.2f} before, {res['load_after'][0]:.2f} after.")
    if res["load_before"][0] > 0.5 * (m["nproc"] or 1):
        L.append(f"- **Warning**: the machine was busy when the run started (load {res['load_before'][0]:.2f} on "
                 f"{m['nproc']} cores): times are noisy.")
    busy = [r for r in res["rows"] if busy_row(r)] + [e for e in res["e2e"] if "imbal" in e and busy_row(e)]
    if busy:
        L.append(f"- **Warning**: {len(busy)} measurements ran while other processes used the CPU (more than "
                 f"{BUSY_SHARE:g} of a core on average, from /proc/stat minus the measured process); they are "
                 "marked † and their times are less reliable.")
    else:
        L.append("- No other process used noticeable CPU during any measurement (checked per measurement "
                 "from /proc/stat).")
    L.append(f"- imbal: `{res['imbal_version']}`, {b.get('CMAKE_BUILD_TYPE', '?')} build "
             f"({b.get('compiler', b.get('CMAKE_CXX_COMPILER', '?'))}, flags `{b.get('CMAKE_CXX_FLAGS_RELEASE', '')}`), "
             f"threads: {'all cores' if res['jobs'] == 0 else res['jobs']} (`--jobs {res['jobs']}`).")
    jobs_note = "" if res["imblearn_jobs"] is None else f" except n_jobs={res['imblearn_jobs']}"
    blas = env.get("blas") or []
    blas_txt = "; ".join(f"{d.get('internal_api')} {d.get('version')} ({d.get('threading_layer') or '?'}, "
                         f"{d.get('num_threads')} threads, {d.get('architecture') or '?'})" for d in blas) or "unknown"
    L.append(f"- Python {env.get('python')}: imbalanced-learn {env.get('imblearn')}, scikit-learn {env.get('sklearn')}, "
             f"numpy {env.get('numpy')}, scipy {env.get('scipy')}, pandas {env.get('pandas')}; "
             f"BLAS: {blas_txt}. imbalanced-learn estimators at their defaults"
             f"{jobs_note}.")
    L.append("")
    L.append("## How it is measured")
    L.append("")
    L.append("Both sides read the same CSV files and run the same protocol in a fresh process per "
             "(method, dataset): load the file (not part of the resampling time), `malloc_trim(0)`, record the RSS, reset "
             "the RSS high-water mark (`/proc/self/clear_refs`), run `fit_resample` R times with "
             "`random_state=0` / `--seed 0` and the default `sampling_strategy='auto'`, report the best "
             "(and median) wall time. imbalanced-learn gets a float64 C-contiguous numpy array (categorical "
             "columns ordinal-encoded with pandas, as imbal stores them); imbal gets its own `read_csv` "
             "result with the same columns marked categorical. *Extra memory* = peak RSS during the runs "
             "− RSS after loading, i.e. what the method adds on top of the data (output included); *peak* is "
             "the whole process's high-water mark. Speed-up = imblearn time / imbal time; memory ratio = "
             "imblearn extra / imbal extra (shown only when imblearn adds at least 1 MB; imbal's extra "
             "is counted as at least 1 MB). "
             f"Timeout per process: {timeout:.0f} s (a side that times out is skipped on larger files). "
             "MB = 10^6 bytes. See bench/README.md.")
    L.append("")
    if res["missing"]:
        L.append(f"Methods registered in imbal without an imbalanced-learn counterpart here: "
                 f"{', '.join(res['missing'])}.")
        L.append("")

    rows = res["rows"]
    if rows:
        L.append("## Summary per method")
        L.append("")
        L.append(f"Speed-ups are geometric means over the datasets; *big* = files of {BIG_BYTES / MB:.0f} MB or "
                 "more, where per-call overheads no longer dominate.")
        L.append("")
        L.append("| method | datasets | speed-up, all | min | max | speed-up, big files | memory ratio, geo-mean |")
        L.append("|---|---:|---:|---:|---:|---:|---:|")
        for meth in res["methods"]:
            mine = [r for r in rows if r["method"] == meth]
            sp = [r["speedup"] for r in mine if r.get("speedup")]
            big = [r["speedup"] for r in mine if r.get("speedup") and r["bytes"] >= BIG_BYTES]
            mr = [r["mem_ratio"] for r in mine if r.get("mem_ratio")]
            L.append(f"| `{meth}` | {len(sp)} | {fmt_ratio(geomean(sp))} | {fmt_ratio(min(sp) if sp else None)} "
                     f"| {fmt_ratio(max(sp) if sp else None)} | {fmt_ratio(geomean(big))} | {fmt_ratio(geomean(mr))} |")
        L.append("")
        L.append("On files under a megabyte the times are fractions of a millisecond and imbalanced-learn's "
                 "fixed per-call cost (input validation, strategy checks: about 1–2 ms) dominates, which is "
                 "where the largest ratios come from; the big files show throughput.")
        L.append("")
        L.append("## fit_resample: time and memory")
        L.append("")
        L.append(f"R = repetitions (best of R shown; median in parentheses; 5 on small files, 3 on big ones, "
                 f"fewer once the runs took {res['repeat_budget']:g} s; `a / b` when imbal and imblearn differ). "
                 "Rows out should agree, as both resolve the sampling strategy the same way; "
                 "a difference is shown in bold.")
        L.append("")
        L.append("| dataset | rows × cols | method | R | imbal best (median) | imblearn best (median) | speed-up "
                 "| imbal extra MB | imblearn extra MB | memory ratio | imbal peak MB | imblearn peak MB | rows out |")
        L.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for meth in res["methods"]:
            for r in (r for r in rows if r["method"] == meth):
                ci, py = r["imbal"], r["imblearn"]

                def cell(s):
                    c = side_cell(s)
                    return f"{c} ({fmt_s(s['median_seconds'])})" if s["status"] == "ok" else c
                if ci["status"] == "ok" and py["status"] == "ok":
                    out = (f"{ci['rows_out']:,}" if ci["rows_out"] == py["rows_out"]
                           else f"**{ci['rows_out']:,} vs {py['rows_out']:,}**")
                else:
                    out = f"{(ci.get('rows_out') or py.get('rows_out') or 0):,}" if (
                        ci.get("rows_out") or py.get("rows_out")) else "–"
                reps = {ci.get("repeat", r["repeat"]) if ci["status"] == "ok" else None,
                        py.get("repeat", r["repeat"]) if py["status"] == "ok" else None} - {None}
                rep = (f"{ci['repeat']} / {py['repeat']}" if len(reps) == 2
                       else str(reps.pop()) if reps else str(r["repeat"]))
                mark = " †" if busy_row(r) else ""
                L.append(f"| {r['dataset'].removesuffix('.csv')}{mark} | {r['rows']:,} × {r['cols']} | `{meth}` | {rep} "
                         f"| {cell(ci)} | {cell(py)} | **{fmt_ratio(r.get('speedup'))}** "
                         f"| {fmt_mb(r.get('imbal_extra'))} | {fmt_mb(r.get('imblearn_extra'))} "
                         f"| {fmt_ratio(r.get('mem_ratio'))} | {fmt_mb(peak_bytes(ci))} | {fmt_mb(peak_bytes(py))} "
                         f"| {out} |")
        L.append("")
        errors = [(r, s) for r in rows for s in ("imbal", "imblearn")
                  if r[s]["status"] in ("error", "refused", "skipped") and r[s].get("error")]
        if errors:
            L.append("Cells marked n/a (the library refused the input: exit 2 / ValueError), error or skipped:")
            L.append("")
            for r, s in errors:
                L.append(f"- `{r['method']}` on {r['dataset']}, {s}: {r[s]['error']}")
            L.append("")
        L.append("CSV load time of the same files (one read each, file in the page cache; imbal `read_csv` "
                 "with type inference vs `pandas.read_csv` + encoding to a float64 matrix):")
        L.append("")
        L.append("| dataset | MB | imbal load | pandas load | speed-up | imbal MB/s |")
        L.append("|---|---:|---:|---:|---:|---:|")
        seen = set()
        for r in rows:
            if r["dataset"] in seen or r["imbal"]["status"] != "ok" or r["imblearn"]["status"] != "ok":
                continue
            seen.add(r["dataset"])
            li, lp = r["imbal"]["load_seconds"], r["imblearn"]["load_seconds"]
            L.append(f"| {r['dataset'].removesuffix('.csv')} | {r['bytes'] / MB:.1f} | {fmt_s(li)} | {fmt_s(lp)} "
                     f"| {fmt_ratio(ratio(lp, li))} | {r['bytes'] / MB / li:.0f} |")
        L.append("")

    L.append("## End to end: the whole command")
    L.append("")
    if res["e2e"]:
        d = res["e2e_dataset"]
        L.append(f"Read + resample + write `{d['name']}` ({d['rows']:,} rows × {d['cols']} features, "
                 f"{d['bytes'] / MB:.1f} MB): `imbal resample DATA --method M --seed 0 -o OUT.csv` vs a "
                 "Python script doing `pandas.read_csv` → `fit_resample` on the DataFrame → `DataFrame.to_csv` "
                 "(interpreter start-up and imports included, as the user waits for them). Wall time of the "
                 "whole process; peak RSS from `wait4`.")
        L.append("")
        L.append("| method | imbal | pandas + imblearn | speed-up | python: import / read / resample / write "
                 "| imbal peak MB | python peak MB | rows out |")
        L.append("|---|---:|---:|---:|---|---:|---:|---:|")
        for e in res["e2e"]:
            if "skipped" in e:
                L.append(f"| `{e['method']}` | skipped: {e['skipped']} | | | | | | |")
                continue
            ci, py = e["imbal"], e["imblearn"]
            ci_t = fmt_s(ci["seconds"]) if ci["status"] == "ok" else ci["status"]
            py_t = fmt_s(py["seconds"]) if py["status"] == "ok" else py["status"]
            sp = ratio(py["seconds"], ci["seconds"]) if ci["status"] == py["status"] == "ok" else None
            parts = " / ".join(fmt_s(py.get(k)) for k in ("import_seconds", "read_seconds", "resample_seconds",
                                                          "write_seconds")) if py["status"] == "ok" else "–"
            rows_out = ci.get("rows_out")
            if ci["status"] == py["status"] == "ok" and ci["rows_out"] != py["rows_out"]:
                rows_out = f"**{ci['rows_out']:,} vs {py['rows_out']:,}**"
            elif rows_out is not None:
                rows_out = f"{rows_out:,}"
            mark = " †" if busy_row(e) else ""
            L.append(f"| `{e['method']}`{mark} | {ci_t} | {py_t} | **{fmt_ratio(sp)}** | {parts} "
                     f"| {fmt_mb(ci['peak_rss_bytes'] if ci['status'] == 'ok' else None)} "
                     f"| {fmt_mb(py['peak_rss_bytes'] if py['status'] == 'ok' else None)} | {rows_out or '–'} |")
            for side, s in (("imbal", ci), ("python", py)):
                if s["status"] in ("error", "refused"):
                    L.append(f"| | {side} error: {s.get('error')} | | | | | | |")
        L.append("")
    else:
        L.append("Not run.")
        L.append("")

    L.append("## CSV I/O throughput (imbal_bench)")
    L.append("")
    io = res["csv_io"]
    if io["status"] == "ok":
        L.append("Google Benchmark cases from `bench/csv_bench.cpp` (`imbal_bench --benchmark_filter=Csv`); "
                 "throughput = bytes of CSV text per second, as the case reports it.")
        L.append("")
        L.append("| case | time per iteration | CPU time | iterations | throughput MB/s |")
        L.append("|---|---:|---:|---:|---:|")
        to_s = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
        for c in io["cases"]:
            unit = to_s.get(c.get("time_unit", "ns"), 1e-9)
            bps = c.get("bytes_per_second")
            L.append(f"| `{c['name']}` | {fmt_s(c['real_time'] * unit)} | {fmt_s(c['cpu_time'] * unit)} "
                     f"| {c.get('iterations', '–')} | {f'{bps / MB:.0f}' if bps else '–'} |")
    else:
        L.append(f"Not measured: {io['note']}.")
    L.append("")
    L.extend(render_neighbors(res.get("neighbors") or {"status": "skipped", "note": "not run"}))
    return "\n".join(L)


def render_neighbors(nb):
    """The neighbour-engine section: imbal's brute force vs scikit-learn and vs the FMA peak."""
    L = ["## The neighbour engine alone (100,000 × 20)", ""]
    if nb["status"] != "ok":
        L += [f"Not measured: {nb['note']}.", ""]
        return L
    to_s = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    peak = next((c.get("GFLOP/s") for c in nb["imbal"] if c["name"].startswith("BM_PeakFma/2")), None)
    sk = {(r["case"], r["k"]): r for r in nb["sklearn"]}
    L.append("Exact k nearest neighbours of standard normal data, every point against all points and the 1 % "
             "minority (every 100th point) against all points; build and query included. imbal: "
             "`imbal_bench` (bench/neighbors_bench.cpp), brute-force backend (what `Auto` picks at d = 20), "
             "all cores. scikit-learn: `NearestNeighbors(n_neighbors=k + 1, n_jobs=2).fit(X).kneighbors(Q)` "
             "(bench/neighbors_sklearn.py: what imbalanced-learn calls), "
             f"scikit-learn {nb['sklearn_env'].get('sklearn', '?')}, BLAS "
             f"{', '.join(str(b[0]) + ' ' + str(b[1]) for b in nb['sklearn_env'].get('blas', [])) or '?'}. "
             "The floating-point limit is n_queries·n·d multiply-adds at this machine's measured "
             f"double-precision FMA peak (`BM_PeakFma/2`, 2 threads, same run): "
             f"**{peak:.0f} GFLOP/s**. imbal's brute force filters candidates in single precision (16 lanes "
             "per AVX-512 instruction, twice the double rate) and re-ranks them exactly in double "
             "(docs/neighbors.md), so it can beat the double-precision limit; the last column compares it "
             "with the single-precision limit (half the double one's time)." if peak else "The FMA peak was not measured.")
    L.append("")
    L.append("| case | k | imbal | scikit-learn | imbal vs scikit-learn | flop limit (double) | imbal vs double limit "
             "| imbal vs single-precision limit |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for c in nb["imbal"]:
        name = c["name"]
        if name.startswith("BM_KnnAllVsAll"):
            case, queries = "all-vs-all", 100_000
        elif name.startswith("BM_KnnMinorityVsAll"):
            case, queries = "minority-vs-all", 1_000
        else:
            continue
        k = int(name.split("/k:")[1].split("/")[0])
        t = c["real_time"] * to_s.get(c.get("time_unit", "ns"), 1e-9)
        limit = 2.0 * queries * 100_000 * 20 / (peak * 1e9) if peak else None
        s_row = sk.get((case, k))
        s_t = s_row["seconds"] if s_row else None
        L.append(f"| {case} ({queries:,} queries) | {k} | {fmt_s(t)} | {fmt_s(s_t) if s_t else '–'} "
                 f"| **{fmt_ratio(ratio(s_t, t)) if s_t else '–'}** | {fmt_s(limit) if limit else '–'} "
                 f"| {f'{limit / t * 100:.0f} % of peak' if limit else '–'} "
                 f"| {f'{limit / 2 / t * 100:.0f} % of peak' if limit else '–'} |")
    if nb.get("sklearn_status") != "ok":
        L.append("")
        L.append(f"scikit-learn side failed: {nb.get('sklearn_error')}.")
    for side in ("imbal", "sklearn"):
        others, wall = nb.get(f"{side}_others_cpu"), nb.get(f"{side}_wall")
        if others and wall and others > BUSY_SHARE * wall:
            L.append("")
            L.append(f"**Warning**: other processes used {others:.0f} CPU-seconds during the {wall:.0f} s of the "
                     f"{side} side: its times are less reliable.")
    L.append("")
    L.append("Regenerate only this section's data: `./build/imbal_bench --benchmark_filter='BM_PeakFma/2/|"
             "BM_KnnAllVsAll/backend:0/k:[135]/jobs:0|BM_KnnMinorityVsAll/backend:0/'` and "
             "`/usr/bin/python3 bench/neighbors_sklearn.py`; docs/neighbors.md has the kd-tree, crossover and "
             "few-queries cases.")
    L.append("")
    return L


def summarise(res):
    for r in res["rows"]:
        ci, py = r["imbal"], r["imblearn"]
        if ci["status"] == "ok" and py["status"] == "ok":
            r["speedup"] = ratio(py["best_seconds"], ci["best_seconds"])
            r["imbal_extra"], r["imblearn_extra"] = extra_bytes(ci), extra_bytes(py)
            r["mem_ratio"] = mem_ratio(r["imblearn_extra"], r["imbal_extra"])
        else:
            r["imbal_extra"], r["imblearn_extra"] = extra_bytes(ci), extra_bytes(py)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--imbal", default=str(REPO / "build" / "imbal"), help="the imbal executable")
    p.add_argument("--timer", help="imbal_resample_timer (default: next to --imbal)")
    p.add_argument("--bench-bin", help="imbal_bench, for the CSV I/O cases (default: next to --imbal)")
    p.add_argument("--python", default=DEBIAN_PYTHON if Path(DEBIAN_PYTHON).exists() else sys.executable,
                   help="interpreter with pandas + imbalanced-learn (default: /usr/bin/python3)")
    p.add_argument("--datasets", help="folder of CSV files (default: <repo>/../shared/datasets)")
    p.add_argument("--data-dir", help="cache of generated data (default: <imbal's build dir>/bench-data)")
    p.add_argument("--methods", help="comma-separated method ids, a variant with parameters as "
                   "id:name=value[;name=value] (default: every method both have)")
    p.add_argument("--repeat", type=int, help="repetitions per run (default: 5 small, 3 big/quick, 1 smoke)")
    p.add_argument("--repeat-budget", type=float, default=10.0,
                   help="stop repeating once the runs took this many seconds (at least one run; "
                        "0: always R; default %(default)s)")
    p.add_argument("--timeout", type=float, default=300.0, help="seconds per process (default 300)")
    p.add_argument("--jobs", type=int, default=0, help="imbal threads (default 0: all cores)")
    p.add_argument("--imblearn-jobs", type=int, default=None,
                   help="n_jobs for imbalanced-learn estimators that take it (default: their default)")
    p.add_argument("--quick", action="store_true", help="small datasets + 100k generated, R=3")
    p.add_argument("--generated", help="sizes of the generated datasets, e.g. 10000,100000 "
                   "(default: 100000 and 1000000)")
    p.add_argument("--smoke", action="store_true", help="tiny generated data, one method, R=1 (for tests)")
    p.add_argument("--no-e2e", action="store_true", help="skip the end-to-end comparison")
    p.add_argument("--no-neighbors", action="store_true",
                   help="skip the neighbour-engine benchmark (100k x 20 vs scikit-learn, about 3 min)")
    p.add_argument("--e2e-methods", default="random-over,random-under,smote",
                   help="methods timed end to end, comma-separated, or 'all' (default: %(default)s; "
                        "over-samplers all write the same-sized output, so more adds little)")
    p.add_argument("--no-models", action="store_true",
                   help="skip the model fit-time table (bench/models.py; not run with --smoke)")
    p.add_argument("--no-python", action="store_true", help="skip the Python-module rows (bench/python_bench.py)")
    p.add_argument("--no-compare", action="store_true",
                   help="skip `imbal compare` on every shared dataset (bench/compare_study.py; full mode only)")
    p.add_argument("-o", "--output", default=str(REPO / "docs" / "benchmarks.md"), help="Markdown report")
    p.add_argument("--json", dest="json_out", help="also write the raw results as JSON")
    args = p.parse_args(argv)
    if args.repeat is not None and args.repeat < 1:
        p.error("--repeat must be >= 1")
    if not Path(args.imbal).exists():
        p.error(f"imbal executable not found: {args.imbal} (run `make build`)")
    return args


def python_rows(args, res):
    """The Python module's rows (bench/python_bench.py, run with the module imbal's build dir has)."""
    env = dict(os.environ, PYTHONPATH=str(Path(args.imbal).resolve().parent / "python"))
    cmd = [args.python, str(REPO / "bench" / "python_bench.py")] + (["--quick"] if args.quick else [])
    if args.datasets:
        cmd += ["--datasets", args.datasets]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        log(f"python bench failed: {proc.stderr.strip()[-400:]}")
        return "## Python module\n\nnot measured: " + (proc.stderr.strip().splitlines() or ["?"])[-1]
    res["python_markdown"] = proc.stdout
    return proc.stdout.strip()


def main(argv):
    if len(argv) >= 2 and argv[0] == "--worker":
        worker_main(argv[1])
        return 0
    args = parse_args(argv)
    res = Harness(args).run()
    summarise(res)
    text = render(res, args.timeout)
    if not args.no_models and not args.smoke:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import models as model_bench
        margs = model_bench.parse_args(["--imbal", args.imbal, "--python", args.python]
                                       + (["--quick"] if args.quick else [])
                                       + (["--datasets", args.datasets] if args.datasets else [])
                                       + (["--data-dir", args.data_dir] if args.data_dir else []))
        res["models"] = model_bench.run(margs)
        text += "\n\n" + model_bench.render(res["models"])
    if not args.no_python and not args.smoke:
        text += "\n\n" + python_rows(args, res)
    if not args.no_compare and not args.smoke and not args.quick:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import compare_study
        cargs = compare_study.parse_args(["--imbal", args.imbal]
                                         + (["--datasets", args.datasets] if args.datasets else []))
        res["compare"] = compare_study.run(cargs)
        text += "\n\n" + compare_study.render(res["compare"])
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(text + "\n")
    tmp.replace(out)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(res, indent=1, default=str) + "\n")
    log(f"wrote {out} ({res['duration_seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
