"""`imbal make-classification` against scikit-learn 1.2's make_classification (Debian's
python3-sklearn).

imbal draws from its own random engine, so the values differ from scikit-learn's; what must agree
is the distribution. Checked here:
- class counts before label noise (flip_y=0) are exactly scikit-learn's (the allocation rule is
  deterministic);
- with label noise, the mean class counts over seeds agree;
- "its informative features carry the signal as scikit-learn's do": the same classifier, scored by
  5-fold cross-validation, does as well on imbal's data as on scikit-learn's (all features, and
  the informative columns alone), and no better than chance on the useless columns alone.

Tolerance: over S seeds, the two mean scores may differ by 4 standard errors of the difference
of means, sqrt(sd_imbal**2 / S + sd_sklearn**2 / S) with the seed-to-seed standard deviations
(plus a floor of 0.01 for nearly deterministic scores). Both sides are seeded, so the test is
deterministic; the bound only states how close "the same distribution" has to be.

The scikit-learn side of the signal test (its data and the tree's CV scores, 12 seeds x 3
settings: half the file's time) is frozen in golden/generators_sklearn.json, written by
golden/make_generators_golden.py with these very functions; one seed per setting is recomputed
live and must equal the frozen figures, so a different scikit-learn (or edited SETTINGS) fails
here instead of silently comparing against stale numbers.
"""
import json
import csv
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.tree import DecisionTreeClassifier

DEFAULTS = dict(n_samples=100, n_features=20, n_informative=2, n_redundant=2, n_repeated=0,
                n_classes=2, n_clusters_per_class=2, weights=None, flip_y=0.01, class_sep=1.0,
                hypercube=True, shift=0.0, scale=1.0, shuffle=True)

SETTINGS = {
    # The seeds' two settings.
    "seeds-a": dict(n_samples=2000, n_features=20, weights=[0.95, 0.05], flip_y=0.05),
    "seeds-b": dict(n_samples=10000, n_features=2, n_informative=2, n_redundant=0,
                    n_clusters_per_class=1, weights=[0.99], flip_y=0.0),
    # Harder: five imbalanced classes, two clusters each, features of every kind, label noise.
    "five-class": dict(n_samples=3000, n_features=12, n_informative=4, n_redundant=2,
                       n_repeated=1, n_classes=5, n_clusters_per_class=2,
                       weights=[0.4, 0.25, 0.15, 0.12, 0.08], flip_y=0.02, class_sep=0.8),
}
SEEDS = range(12)
GOLDEN = Path(__file__).resolve().parent / "golden" / "generators_sklearn.json"
LIVE_SEED = 0  # recomputed live against the golden file
FLAGS = dict(n_samples="--samples", n_features="--features", n_informative="--informative",
             n_redundant="--redundant", n_repeated="--repeated", n_classes="--classes",
             n_clusters_per_class="--clusters-per-class", weights="--weights", flip_y="--flip-y",
             class_sep="--class-sep", hypercube="--hypercube", shift="--shift", scale="--scale",
             shuffle="--shuffle")


def imbal_bin():
    path = os.environ.get("IMBAL_BIN")
    if not path:
        pytest.skip("IMBAL_BIN is not set")
    if not Path(path).exists():
        pytest.skip(f"imbal binary not found at {path}")
    probe = subprocess.run([path, "make-classification", "--help"], capture_output=True, text=True)
    if probe.returncode != 0 or "--clusters-per-class" not in probe.stdout:
        pytest.skip("imbal make-classification is not implemented yet")
    return path


def cli_value(value):
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(repr(float(v)) for v in value)
    return repr(value)


def imbal_make_classification(binary, out_dir, seed, **params):
    full = {**DEFAULTS, **params}
    args = [binary, "make-classification"]
    for name, flag in FLAGS.items():
        if name == "weights" and full[name] is None:
            continue
        args += [flag, cli_value(full[name])]
    out = Path(out_dir) / f"mc-{seed}.csv"
    args += ["--seed", str(seed), "-o", str(out), "--quiet"]
    proc = subprocess.run(args, capture_output=True, text=True)
    assert proc.returncode == 0, f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}"
    with open(out, newline="") as f:
        header = next(csv.reader(f))
    data = np.loadtxt(out, delimiter=",", skiprows=1, ndmin=2)
    assert header[-1] == "target"
    assert header[:-1] == [f"x{j}" for j in range(full["n_features"])]
    return data[:, :-1], data[:, -1].astype(np.int64)


def sklearn_make_classification(seed, **params):
    return make_classification(**{**DEFAULTS, **params}, random_state=seed)


def cv_scores(X, y):
    """Mean 5-fold accuracy and balanced accuracy of a shallow tree."""
    model = DecisionTreeClassifier(max_depth=6, random_state=0)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    scores = cross_validate(model, X, y, cv=folds, scoring=("accuracy", "balanced_accuracy"))
    return scores["test_accuracy"].mean(), scores["test_balanced_accuracy"].mean()


def assert_same_mean(ours, theirs, what):
    ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    n = len(ours)
    se = np.sqrt(ours.var(ddof=1) / n + theirs.var(ddof=1) / n)
    tolerance = max(4.0 * se, 0.01)
    diff = abs(ours.mean() - theirs.mean())
    assert diff <= tolerance, (f"{what}: imbal {ours.mean():.4f} (sd {ours.std(ddof=1):.4f}) vs "
                               f"scikit-learn {theirs.mean():.4f} (sd {theirs.std(ddof=1):.4f}); "
                               f"difference {diff:.4f} > tolerance {tolerance:.4f}")


def append_scores(r, params, X, y, X_plain, y_plain):
    """One seed's figures: CV accuracy and balanced accuracy on all features, on the informative
    and on the useless columns alone (unshuffled data: informative first, useless last), counts."""
    full = {**DEFAULTS, **params}
    n_inf = full["n_informative"]
    n_useless = full["n_features"] - n_inf - full["n_redundant"] - full["n_repeated"]
    accuracy, balanced = cv_scores(X, y)
    r["accuracy"].append(float(accuracy))
    r["balanced"].append(float(balanced))
    r["counts"].append(np.bincount(y, minlength=full["n_classes"]).tolist())
    r["informative"].append(float(cv_scores(X_plain[:, :n_inf], y_plain)[1]))
    if n_useless > 0:
        r["useless"].append(float(cv_scores(X_plain[:, -n_useless:], y_plain)[1]))


def sklearn_scores(setting, seeds):
    params = SETTINGS[setting]
    r = {key: [] for key in ("accuracy", "balanced", "informative", "useless", "counts")}
    for seed in seeds:
        X, y = sklearn_make_classification(seed, **params)
        X_plain, y_plain = sklearn_make_classification(seed, **params, shuffle=False)
        append_scores(r, params, X, y, X_plain, y_plain)
    return r


def sklearn_side(setting):
    """The frozen scikit-learn figures of every seed, after recomputing LIVE_SEED's live."""
    golden = json.loads(GOLDEN.read_text())
    entry = golden["settings"].get(setting)
    assert entry is not None and entry["params"] == SETTINGS[setting] and \
        golden["seeds"] == list(SEEDS) and golden["defaults"] == DEFAULTS, \
        f"{GOLDEN.name} does not match SETTINGS / SEEDS: run tests/python/golden/make_generators_golden.py"
    live = sklearn_scores(setting, [LIVE_SEED])
    i = list(SEEDS).index(LIVE_SEED)
    for key, values in live.items():
        assert values == entry[key][i:i + len(values)], \
            (f"{setting}: scikit-learn's {key} for seed {LIVE_SEED} is {values}, the golden file has "
             f"{entry[key][i:i + 1]} (scikit-learn {golden['sklearn']}): regenerate it")
    return entry


@pytest.mark.parametrize("setting", sorted(SETTINGS))
def test_class_counts_before_flipping_equal_sklearn(setting, tmp_path):
    binary = imbal_bin()
    params = {**SETTINGS[setting], "flip_y": 0.0}
    n_classes = {**DEFAULTS, **params}["n_classes"]
    for seed in range(3):
        _, y_ours = imbal_make_classification(binary, tmp_path, seed, **params)
        _, y_theirs = sklearn_make_classification(seed, **params)
        assert np.bincount(y_ours, minlength=n_classes).tolist() == \
            np.bincount(y_theirs, minlength=n_classes).tolist()


@pytest.mark.parametrize("setting", sorted(SETTINGS))
def test_informative_features_carry_the_signal_as_sklearn(setting, tmp_path):
    binary = imbal_bin()
    params = SETTINGS[setting]
    full = {**DEFAULTS, **params}
    n_classes = full["n_classes"]
    n_inf = full["n_informative"]
    n_useless = full["n_features"] - n_inf - full["n_redundant"] - full["n_repeated"]
    ours = {key: [] for key in ("accuracy", "balanced", "informative", "useless", "counts")}
    for seed in SEEDS:
        X, y = imbal_make_classification(binary, tmp_path, seed, **params)
        X_plain, y_plain = imbal_make_classification(binary, tmp_path, seed, **params, shuffle=False)
        append_scores(ours, params, X, y, X_plain, y_plain)
    theirs = sklearn_side(setting)
    assert_same_mean(ours["accuracy"], theirs["accuracy"], f"{setting}: CV accuracy")
    assert_same_mean(ours["balanced"], theirs["balanced"], f"{setting}: CV balanced accuracy")
    assert_same_mean(ours["informative"], theirs["informative"],
                     f"{setting}: CV balanced accuracy on the informative features")
    # The informative features alone are far better than chance...
    assert np.mean(ours["informative"]) > 1.0 / n_classes + 0.1
    if n_useless > 0:
        # ... the useless ones are not.
        assert_same_mean(ours["useless"], theirs["useless"],
                         f"{setting}: CV balanced accuracy on the useless features")
        assert np.mean(ours["useless"]) < 1.0 / n_classes + 0.05
    # Label noise moves the class counts the same way (towards uniform).
    counts_ours, counts_theirs = np.array(ours["counts"]), np.array(theirs["counts"])
    for k in range(n_classes):
        assert_same_mean(counts_ours[:, k], counts_theirs[:, k], f"{setting}: rows of class {k}")
