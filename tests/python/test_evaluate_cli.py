"""`imbal evaluate` behaviour: the table and --json, determinism across --jobs, usage errors
(exit 2) and data errors (exit 1), and the train -> predict round trip of a full pipeline."""
import json

import numpy as np
import pandas as pd
import pytest

from conftest import DATASETS, run_imbal

ECOLI = DATASETS / "imb_ecoli.csv"
GLASS = DATASETS / "glass_multiclass.csv"
CAR = DATASETS / "car_vgood.csv"


def test_table_shows_mean_std_and_tuned_threshold():
    proc = run_imbal("evaluate", ECOLI, "--model", "logistic-regression", "--sampler", "smote", "--threshold", "f1",
                     "--cv", "3", "--threshold-cv", "3", "--seed", "4", check=True)
    out = proc.stdout
    for word in ["average-precision", "roc-auc", "balanced-accuracy", "fit time (s)", "±", "tuned threshold",
                 "smote", "training folds only", "3-fold stratified CV", "seed 4"]:
        assert word in out, (word, out)


def test_json_is_deterministic_across_jobs():
    args = ["evaluate", ECOLI, "--model", "logistic-regression", "--sampler", "random-under", "--prior-correction",
            "--threshold", "balanced-accuracy", "--threshold-cv", "3", "--metrics",
            "roc-auc,brier,geometric-mean", "--json", "--seed", "9"]
    a = json.loads(run_imbal("--jobs", "1", *args, check=True).stdout)
    b = json.loads(run_imbal("--jobs", "2", *args, check=True).stdout)
    for key in ["metrics", "threshold", "seed", "cv", "class_counts"]:
        if key == "metrics":
            for m in a["metrics"]:
                assert a["metrics"][m]["folds"] == b["metrics"][m]["folds"]
        elif key == "threshold":
            assert a["threshold"]["folds"] == b["threshold"]["folds"]
            assert a["threshold"]["final"] == b["threshold"]["final"]
        else:
            assert a[key] == b[key]
    assert len(a["metrics"]["roc-auc"]["folds"]) == 5
    assert a["prior_correction"] is True
    assert 0.0 <= a["threshold"]["final"] <= 1.0


def test_multiclass_cost_matrix_and_categorical_data():
    proc = run_imbal("evaluate", GLASS, "--model", "logistic-regression", "--cost",
                     ";".join(",".join("0" if i == j else ("5" if i == 5 else "1") for j in range(6))
                              for i in range(6)), "--scale", "standard", "--cv", "3", "--json", "--seed", "1",
                     check=True)
    j = json.loads(proc.stdout)
    assert j["threshold"]["rule"] == "expected-cost"
    proc = run_imbal("evaluate", CAR, "--model", "logistic-regression", "--cv", "3", "--metrics", "roc-auc",
                     "--json", "--seed", "1", check=True)
    assert json.loads(proc.stdout)["one_hot"] is True


@pytest.mark.parametrize("args,fragment", [
    (["--model", "no-such"], "no-such"),
    (["--model", "logistic-regression", "--metrics", "acuracy"], "acuracy"),
    (["--model", "logistic-regression", "--cv", "1"], "--cv"),
    (["--model", "logistic-regression", "--threshold", "1.5"], "--threshold"),
    (["--model", "logistic-regression", "--threshold", "cost"], "--cost"),
    (["--model", "logistic-regression", "--calibrate", "platt"], "calibration"),
    (["--model", "logistic-regression", "--calibrate", "sigmoid", "--prior-correction"], "choose one"),
    (["--model", "logistic-regression", "--cost", "fn=x"], "cost"),
    (["--model", "logistic-regression", "--sampler", "smoot"], "smoot"),
    (["--model", "logistic-regression", "--sampler", "smote", "--strategy", "nonsense"], "nonsense"),
    (["--model", "logistic-regression", "--scale", "robust"], "scaling"),
    (["--model", "logistic-regression", "--strategy", "auto"], "--sampler"),
])
def test_usage_errors_exit_2(args, fragment, tmp_path):
    proc = run_imbal("evaluate", ECOLI, *args)
    assert proc.returncode == 2, proc.stderr
    assert fragment in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def test_threshold_on_multiclass_is_a_usage_error():
    proc = run_imbal("evaluate", GLASS, "--model", "logistic-regression", "--threshold", "f1")
    assert proc.returncode == 2
    assert "two classes" in proc.stderr


def test_data_errors_exit_1(tmp_path):
    proc = run_imbal("evaluate", tmp_path / "missing.csv", "--model", "logistic-regression")
    assert proc.returncode == 1
    tiny = tmp_path / "tiny.csv"
    tiny.write_text("a,target\n1,x\n2,x\n3,x\n4,y\n5,x\n6,x\n")
    proc = run_imbal("evaluate", tiny, "--model", "logistic-regression", "--cv", "3")
    assert proc.returncode == 1, proc.stderr
    assert "error" in proc.stderr


def test_train_predict_round_trip_applies_threshold_and_calibration(tmp_path):
    model = tmp_path / "m.json"
    run_imbal("train", ECOLI, "--model", "logistic-regression", "--sampler", "smote", "--calibrate", "isotonic",
              "--threshold", "f1", "--threshold-cv", "3", "--scale", "standard", "--seed", "3", "-o", model,
              check=True)
    saved = json.loads(model.read_text())
    assert saved["format_version"] == 2
    assert saved["samplers"][0]["method"] == "smote"
    threshold = saved["decision"]["threshold"]
    out = tmp_path / "p.csv"
    run_imbal("predict", model, ECOLI, "-o", out, check=True)
    pred = pd.read_csv(out, dtype={"prediction": str})
    assert len(pred) == len(pd.read_csv(ECOLI))
    positive = pred["proba_1"].to_numpy() >= threshold
    assert np.array_equal(pred["prediction"].to_numpy() == "1", positive)
    # Predicting twice gives the same bytes.
    out2 = tmp_path / "p2.csv"
    run_imbal("predict", model, ECOLI, "-o", out2, check=True)
    assert out.read_bytes() == out2.read_bytes()
