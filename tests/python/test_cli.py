"""End-to-end behaviour of the CLI: output format, determinism, summaries, list, demo."""
import csv
import io
import json

import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import RandomOverSampler
from imblearn.under_sampling import RandomUnderSampler

from conftest import CATEGORICAL, DATASETS, dataset_files, run_imbal


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


def test_resample_keeps_columns_order_and_spellings(tmp_path):
    data = tmp_path / "in.csv"
    # Target not last, string labels with a comma, quoted categorical values.
    data.write_text('id,"label, long",x\n1,"pos, rare",0.5\n2,neg,1.25\n3,neg,-3\n4,neg,1e-7\n'
                    '5,neg,2\n6,"pos, rare",7\n'.replace("1e-7", "1e-07"))
    out = tmp_path / "out.csv"
    run_imbal("resample", data, "--target", "label, long", "--method", "random-over", "--seed", "3",
              "-o", out, check=True)
    rows = read_rows(out)
    assert rows[0] == ["id", "label, long", "x"]
    original = read_rows(data)[1:]
    assert rows[1:len(original) + 1] == original
    labels = [r[1] for r in rows[1:]]
    assert labels.count("pos, rare") == labels.count("neg") == 4


def test_numbers_round_trip_exactly(tmp_path):
    rng = np.random.default_rng(0)
    values = rng.standard_normal(300) * 10.0 ** rng.integers(-300, 300, 300)
    df = pd.DataFrame({"v": values, "target": ["a"] * 250 + ["b"] * 50})
    data = tmp_path / "in.csv"
    df.to_csv(data, index=False, float_format="%.17g")
    out = tmp_path / "out.csv"
    run_imbal("resample", data, "--method", "random-under", "--seed", "1", "-o", out, "--indices",
              tmp_path / "idx.csv", check=True)
    got = pd.read_csv(out, float_precision="round_trip")
    idx = pd.read_csv(tmp_path / "idx.csv")["sample_index"].to_numpy()
    assert np.array_equal(got["v"].to_numpy(), values[idx])


@pytest.mark.parametrize("method", ["random-over", "random-under"])
def test_same_seed_same_bytes_any_thread_count(tmp_path, method):
    data = DATASETS / "imb_mammography.csv"
    outs = []
    for jobs, name in [(1, "a.csv"), (2, "b.csv"), (1, "c.csv")]:
        run_imbal("--jobs", jobs, "resample", data, "--method", method, "--seed", "42", "-o",
                  tmp_path / name, check=True)
        outs.append((tmp_path / name).read_bytes())
    assert outs[0] == outs[1] == outs[2]
    run_imbal("resample", data, "--method", method, "--seed", "43", "-o", tmp_path / "d.csv",
              check=True)
    assert (tmp_path / "d.csv").read_bytes() != outs[0]


def test_stdout_output_and_summary_on_stderr():
    proc = run_imbal("resample", DATASETS / "imb_ecoli.csv", "--method", "random-under", "--seed",
                     "1", "-o", "-", check=True)
    rows = list(csv.reader(io.StringIO(proc.stdout)))
    assert rows[0][-1] == "target"
    assert len(rows) == 1 + 70
    assert "random-under" in proc.stderr


def test_resample_json_summary(tmp_path):
    proc = run_imbal("resample", DATASETS / "glass_multiclass.csv", "--method", "random-over",
                     "--seed", "5", "--json", "-o", tmp_path / "o.csv", check=True)
    summary = json.loads(proc.stdout)
    assert summary["rows_before"] == 214
    assert all(c["after"] == 76 for c in summary["classes"])


def test_provenance_of_smoothed_bootstrap(tmp_path):
    out, prov = tmp_path / "o.csv", tmp_path / "p.csv"
    run_imbal("resample", DATASETS / "imb_ecoli.csv", "--method", "random-over", "--param",
              "shrinkage=1", "--seed", "2", "-o", out, "--provenance", prov, check=True)
    p = pd.read_csv(prov)
    assert list(p.columns) == ["row", "parent", "neighbor", "step"]
    assert len(p) == 301 - 35
    assert p["row"].min() == 336
    y = pd.read_csv(DATASETS / "imb_ecoli.csv")["target"].to_numpy()
    assert (y[p["parent"].to_numpy()] == 1).all()


def test_dry_run_writes_nothing(tmp_path):
    proc = run_imbal("resample", DATASETS / "imb_ecoli.csv", "--method", "random-over",
                     "--strategy", "0.5", "--dry-run", check=True)
    assert "dry run" in proc.stdout
    assert "150" in proc.stdout  # int(301 * 0.5) = 150 minority rows planned


@pytest.mark.parametrize("name", dataset_files())
def test_random_samplers_counts_equal_imblearn(tmp_path, name):
    df = pd.read_csv(DATASETS / name, dtype={"target": str})
    y = df["target"].to_numpy()
    X = np.zeros((len(y), 1))
    extra = ["--categorical", ",".join(CATEGORICAL[name])] if name in CATEGORICAL else []
    for method, cls, strategies in [
        # imblearn 0.10's parameter validation of the over-samplers rejects 'minority' (a bug:
        # check_sampling_strategy defines it); the strategy parity test covers it directly.
        ("random-over", RandomOverSampler, ["auto", "all", "not minority"]),
        ("random-under", RandomUnderSampler, ["auto", "all", "majority", "not minority"]),
    ]:
        for strategy in strategies:
            _, y_ref = cls(sampling_strategy=strategy, random_state=0).fit_resample(X, y)
            proc = run_imbal("resample", DATASETS / name, "--method", method, "--strategy", strategy,
                             "--seed", "0", "--json", "-o", tmp_path / "o.csv", *extra, check=True)
            got = {c["class"]: c["after"] for c in json.loads(proc.stdout)["classes"]}
            ref = dict(zip(*np.unique(y_ref, return_counts=True)))
            assert got == {str(k): int(v) for k, v in ref.items()}, (name, method, strategy)


def test_inspect_table_and_json(tmp_path):
    proc = run_imbal("inspect", DATASETS / "yeast_multiclass.csv", "--plot", tmp_path / "c.svg",
                     check=True)
    assert "imbalance ratio 92.60" in proc.stdout
    assert "CYT" in proc.stdout and "#" in proc.stdout
    svg = (tmp_path / "c.svg").read_text()
    assert svg.startswith("<svg") and "<title>" in svg and "ERL" in svg
    info = json.loads(run_imbal("inspect", DATASETS / "adult.csv", "--json", check=True).stdout)
    assert info["rows"] == 48842
    assert info["categorical_features"] == 8
    assert {c["class"]: c["count"] for c in info["classes"]} == {"<=50K": 37155, ">50K": 11687}


@pytest.mark.parametrize("counts,majority,minority", [
    ({"a": 3, "b": 3}, "a", "b"),                  # balanced: first vs last class
    ({"a": 2, "b": 2, "c": 2}, "a", "c"),
    ({"a": 1, "b": 4, "c": 4, "d": 1}, "b", "d"),  # ties on both sides
    ({"a": 5, "b": 2, "c": 7}, "c", "b"),
])
def test_inspect_majority_and_minority_differ_on_ties(tmp_path, counts, majority, minority):
    data = tmp_path / "d.csv"
    rows = [f"{i},{c}" for c, k in counts.items() for i in range(k)]
    data.write_text("x,target\n" + "\n".join(rows) + "\n")
    info = json.loads(run_imbal("inspect", data, "--json", check=True).stdout)
    assert (info["majority"], info["minority"]) == (majority, minority)
    text = run_imbal("inspect", data, check=True).stdout
    assert f"majority '{majority}' {counts[majority]} : minority '{minority}' {counts[minority]}" in text


def test_list_prints_every_method_with_parameters():
    methods = json.loads(run_imbal("list", "--json", check=True).stdout)
    names = {m["name"] for m in methods}
    assert {"random-over", "random-under"} <= names
    over = next(m for m in methods if m["name"] == "random-over")
    assert over["python_class"] == "RandomOverSampler"
    assert over["params"][0]["name"] == "shrinkage" and over["params"][0]["default"] is None
    text = run_imbal("list", check=True).stdout
    models = json.loads(run_imbal("list", "--models", "--json", check=True).stdout)
    assert "logistic-regression" in {m["name"] for m in models}
    for m in methods + models:
        assert m["name"] in text
        for p in m["params"]:
            assert p["name"] in text


def test_demo_compares_on_the_embedded_data(tmp_path):
    # The quick form (two methods, three folds); tests/python/test_compare.py runs the full study.
    report = tmp_path / "demo.html"
    proc = run_imbal("demo", "--methods", "baseline,random-under", "--models", "none", "--cv", "3",
                     "--report", report, check=True)
    assert "random-under" in proc.stdout and "baseline" in proc.stdout
    assert f"report: {report}" in proc.stdout
    assert report.stat().st_size > 10000


def test_help_everywhere():
    for cmd in ["inspect", "resample", "make-classification", "make-imbalance", "train", "predict", "evaluate",
                "compare", "metrics", "split", "list", "demo"]:
        proc = run_imbal(cmd, "--help")
        assert proc.returncode == 0 and "Usage" in proc.stdout, cmd


def test_reduce_k_only_when_asked(tmp_path):
    # yeast's class ERL has 5 rows: SMOTE's k_neighbors=5 needs 6. Without --reduce-k that is an
    # error naming the fix and nothing is written; with it, ERL uses 4 neighbours and a warning
    # says so (also under --quiet), every class reaches the majority count.
    data = DATASETS / "yeast_multiclass.csv"
    out = tmp_path / "out.csv"
    proc = run_imbal("resample", data, "--method", "smote", "--seed", "1", "-o", out)
    assert proc.returncode == 1
    assert "class 'ERL' has 5 rows" in proc.stderr and "--reduce-k" in proc.stderr, proc.stderr
    assert not out.exists()
    proc = run_imbal("--quiet", "resample", data, "--method", "smote", "--seed", "1", "--reduce-k",
                     "-o", out, check=True)
    assert proc.stderr.count("imbal: warning:") == 1, proc.stderr
    assert "class 'ERL' has 5 rows; k_neighbors reduced from 5 to 4 for this class" in proc.stderr
    counts = {}
    for row in read_rows(out)[1:]:
        counts[row[-1]] = counts.get(row[-1], 0) + 1
    assert len(counts) == 10 and set(counts.values()) == {463}, counts


def test_split_train_out_test_out_writes_the_split_rows(tmp_path):
    data = tmp_path / "in.csv"
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"a": rng.standard_normal(60).round(3), "label": ["x"] * 45 + ["y, rare"] * 15,
                       "c": rng.integers(0, 5, 60)})
    df.to_csv(data, index=False)
    tr, te = tmp_path / "train.csv", tmp_path / "test.csv"
    proc = run_imbal("split", data, "--target", "label", "--kind", "train-test-split", "--test-size", "0.25",
                     "--seed", "3", "--indices", "--train-out", tr, "--test-out", te, check=True)
    split = json.loads(proc.stdout)["splits"][0]
    original = read_rows(data)
    for path, idx in ((tr, split["train"]), (te, split["test"])):
        rows = read_rows(path)
        assert rows[0] == original[0]  # same columns, same order
        assert rows[1:] == [original[i + 1] for i in sorted(idx)]  # the split's rows, in file order
    assert len(read_rows(te)) - 1 == 15 and [r[1] for r in read_rows(te)[1:]].count("y, rare") == 4
    # Clear errors, and no partial output on failure.
    for args in (["--kind", "stratified-kfold"], ["--kind", "stratified-shuffle-split", "--n-splits", "3"]):
        bad = run_imbal("split", data, "--target", "label", *args, "--train-out", tmp_path / "a.csv")
        assert bad.returncode != 0 and "single train/test split" in bad.stderr
    bad = run_imbal("split", data, "--target", "label", "--kind", "train-test-split", "--train-out", tmp_path / "s.csv",
                    "--test-out", tmp_path / "s.csv")
    assert bad.returncode != 0 and "same file" in bad.stderr
    bad = run_imbal("split", data, "--target", "label", "--kind", "train-test-split",
                    "--train-out", tmp_path / "ok.csv", "--test-out", tmp_path / "missing" / "t.csv")
    assert bad.returncode != 0 and "missing" in bad.stderr
    assert not (tmp_path / "ok.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "test.csv", "train.csv"]
