"""The bad-input suite: malformed files, bad parameters and impossible strategies each give a
clear error (message checked), the right exit code (1 data/runtime, 2 usage), no output file,
and an untouched input."""
import hashlib
from pathlib import Path

import pytest

from conftest import DATASETS, run_imbal

GOOD = "a,b,target\n1,2,x\n3,4,x\n5,6,y\n7,8,x\n"

# (id, file content, extra args, exit code, substrings expected in stderr)
CSV_CASES = [
    ("empty-file", "", [], 1, ["empty"]),
    ("header-only", "a,b,target\n", [], 1, ["no data rows"]),
    ("ragged-short", "a,b,target\n1,2,x\n3,y\n", [], 1, ["line 3", "expected 3 fields, found 2"]),
    ("ragged-long", "a,b,target\n1,2,x\n3,4,5,y\n", [], 1, ["line 3", "expected 3 fields, found 4"]),
    ("empty-cell", "a,b,target\n1,,x\n3,4,y\n", [], 1, ["line 2", "column 2", "empty"]),
    ("empty-label", "a,b,target\n1,2,\n3,4,y\n", [], 1, ["line 2", "column 3", "empty"]),
    ("nan", "a,b,target\n1,nan,x\n3,4,y\n", [], 1, ["line 2", "column 2", "non-finite"]),
    ("inf", "a,b,target\n1,2,x\n-inf,4,y\n", [], 1, ["line 3", "column 1", "non-finite"]),
    ("single-class", "a,b,target\n1,2,x\n3,4,x\n", [], 1, ["one class", "'x'"]),
    ("unknown-target", GOOD, ["--target", "label"], 1, ["label", "target"]),
    ("unterminated-quote", 'a,b,target\n1,"2,x\n3,4,y\n', [], 1, ["line 2", "quote"]),
    ("text-after-quote", 'a,b,target\n1,"2"z,x\n3,4,y\n', [], 1, ["line 2", "column 2"]),
    ("duplicate-header", "a,a,target\n1,2,x\n3,4,y\n", [], 1, ["'a'", "column 2"]),
    ("empty-header-name", "a,,target\n1,2,x\n3,4,y\n", [], 1, ["line 1", "column 2"]),
    ("blank-line-inside", "a,b,target\n1,2,x\n\n3,4,y\n", [], 1, ["line 3"]),
    ("unknown-categorical", GOOD, ["--categorical", "zz"], 1, ["zz"]),
]


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content.encode())
    return path


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def check_failure(proc, code, expected, out_path=None):
    assert proc.returncode == code, f"exit {proc.returncode}, stderr: {proc.stderr}"
    assert proc.stderr.startswith("imbal: error: "), proc.stderr
    for piece in expected:
        assert piece in proc.stderr, f"{piece!r} not in {proc.stderr!r}"
    if out_path is not None:
        assert not Path(out_path).exists(), "no output file on failure"
        leftovers = [p.name for p in Path(out_path).parent.iterdir() if ".tmp." in p.name]
        assert not leftovers, f"temporary files left behind: {leftovers}"


@pytest.mark.parametrize("case", CSV_CASES, ids=[c[0] for c in CSV_CASES])
def test_malformed_csv(tmp_path, case):
    _, content, extra, code, expected = case
    data = write(tmp_path, "in.csv", content)
    before = digest(data)
    out = tmp_path / "out.csv"
    proc = run_imbal("resample", data, "--method", "random-over", "--seed", "1", "-o", out, *extra)
    check_failure(proc, code, expected + ["in.csv"], out)
    assert digest(data) == before, "the input is never modified"


def test_missing_file(tmp_path):
    out = tmp_path / "out.csv"
    proc = run_imbal("resample", tmp_path / "nope.csv", "--method", "random-over", "-o", out)
    check_failure(proc, 1, ["nope.csv"], out)


# (id, args after DATA, exit code, expected substrings)
ARG_CASES = [
    ("unknown-method", ["--method", "smoot"], 2, ["smoot", "random-over"]),
    ("unknown-param", ["--method", "random-under", "--param", "k_neighbors=3"], 2,
     ["k_neighbors", "replacement"]),
    ("bad-param-value", ["--method", "random-under", "--param", "replacement=maybe"], 2,
     ["replacement", "true or false", "maybe"]),
    ("param-without-equals", ["--method", "random-over", "--param", "shrinkage"], 2,
     ["name=value"]),
    ("negative-shrinkage", ["--method", "random-over", "--param", "shrinkage=-1"], 2,
     ["shrinkage", ">= 0"]),
    ("ratio-too-big", ["--method", "random-over", "--strategy", "1.5"], 2, ["(0, 1]"]),
    ("unknown-class", ["--method", "random-over", "--strategy", "zz:10"], 2, ["zz", "-1, 1"]),
    ("bad-count", ["--method", "random-over", "--strategy", "1:many"], 2, ["many"]),
    ("over-cannot-shrink", ["--method", "random-over", "--strategy", "-1:10"], 1,
     ["'-1'", "over-sampler"]),
    ("under-cannot-grow", ["--method", "random-under", "--strategy", "1:1000"], 1,
     ["'1'", "under-sampler"]),
    ("majority-for-over", ["--method", "random-over", "--strategy", "majority"], 1,
     ["majority", "over-sampler"]),
    ("minority-for-under", ["--method", "random-under", "--strategy", "minority"], 1, ["minority"]),
    ("ratio-removes-rows", ["--method", "random-over", "--strategy", "0.01"], 1, ["increase the ratio"]),
    ("list-for-over", ["--method", "random-over", "--strategy", "[1]"], 1, ["cleaning"]),
    ("shrinkage-missing-class", ["--method", "random-over", "--param", "shrinkage=-1:1"], 1,
     ["shrinkage", "'1'"]),
    ("no-output", ["--method", "random-over"], 2, ["-o"]),
    ("bad-separator", ["--method", "random-over", "--sep", "ab"], 2, ["--sep"]),
    ("bad-seed", ["--method", "random-over", "--seed", "abc"], 2, ["seed"]),
]


@pytest.mark.parametrize("case", ARG_CASES, ids=[c[0] for c in ARG_CASES])
def test_bad_arguments(tmp_path, case):
    _, args, code, expected = case
    out = tmp_path / "out.csv"
    data = DATASETS / "imb_ecoli.csv"
    if "-o" in expected:
        proc = run_imbal("resample", data, *args)
    else:
        proc = run_imbal("resample", data, *args, "-o", out)
    check_failure(proc, code, expected, out)


def test_ratio_for_multiclass(tmp_path):
    out = tmp_path / "out.csv"
    proc = run_imbal("resample", DATASETS / "glass_multiclass.csv", "--method", "random-over",
                     "--strategy", "0.5", "-o", out)
    check_failure(proc, 1, ["binary", "6 classes"], out)


def test_unknown_command():
    proc = run_imbal("frobnicate")
    assert proc.returncode == 2


def test_make_classification_bad_parameters(tmp_path):
    out = tmp_path / "gen.csv"
    proc = run_imbal("make-classification", "--samples", "100", "--features", "3", "--informative",
                     "2", "--redundant", "2", "-o", out)
    assert proc.returncode == 2, proc.stderr
    assert "n_informative" in proc.stderr or "features" in proc.stderr, proc.stderr
    assert not out.exists()
    proc = run_imbal("make-classification", "--classes", "2", "--weights", "0.5,0.3,0.2", "-o", out)
    assert proc.returncode == 2, proc.stderr
    assert "weights" in proc.stderr
    assert not out.exists()


def test_make_imbalance_impossible(tmp_path):
    out = tmp_path / "imb.csv"
    proc = run_imbal("make-imbalance", DATASETS / "imb_ecoli.csv", "--strategy", "1:500", "-o", out)
    check_failure(proc, 1, ["'1'"], out)


def test_failed_run_keeps_existing_output(tmp_path):
    """A failure never truncates an existing output file."""
    out = tmp_path / "out.csv"
    out.write_text("precious\n")
    bad = write(tmp_path, "bad.csv", "a,target\n1,x\n")
    proc = run_imbal("resample", bad, "--method", "random-over", "-o", out)
    assert proc.returncode == 1
    assert out.read_text() == "precious\n"


def test_unwritable_output(tmp_path):
    proc = run_imbal("resample", DATASETS / "imb_ecoli.csv", "--method", "random-over", "--seed", "1",
                     "-o", tmp_path / "no_such_dir" / "out.csv")
    assert proc.returncode == 1
    assert "no_such_dir" in proc.stderr
