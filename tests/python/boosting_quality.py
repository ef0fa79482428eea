"""Average precision of imbal's boosting / balanced-ensemble models against their Python
counterparts under 5-fold stratified cross-validation (shared by test_boosting_quality.py and
golden/make_boosting_quality.py).

Rule ("within the fold-to-fold noise"): |mean AP(imbal) - mean AP(reference)| <= the standard
deviation (ddof=1) of the reference's AP over the 5 folds. Both sides run with fixed but
different random streams (imbal's RNG is not numpy's), so a randomised model differs by
exactly the kind of noise the rule allows.

AP: binary sets, scikit-learn's average_precision_score of the minority class; more classes,
the macro average of the one-vs-rest APs.
"""
import os
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score
from sklearn.model_selection import StratifiedKFold

REPO = Path(__file__).resolve().parents[2]
DATASETS = Path(os.environ.get("IMBAL_DATASETS_DIR", REPO.parent / "shared" / "datasets"))


def reference(model, seed=0, n_jobs=1):
    """The Python counterpart of an imbal model id, with its defaults."""
    if model == "gradient-boosting":
        from xgboost import XGBClassifier
        return XGBClassifier(tree_method="hist", n_jobs=n_jobs, random_state=seed)
    if model == "adaboost":
        from sklearn.ensemble import AdaBoostClassifier
        return AdaBoostClassifier(random_state=seed)
    if model == "balanced-bagging":
        from imblearn.ensemble import BalancedBaggingClassifier
        return BalancedBaggingClassifier(random_state=seed, n_jobs=n_jobs)
    if model == "easy-ensemble":
        from imblearn.ensemble import EasyEnsembleClassifier
        return EasyEnsembleClassifier(random_state=seed, n_jobs=n_jobs)
    if model == "rus-boost":
        from imblearn.ensemble import RUSBoostClassifier
        return RUSBoostClassifier(random_state=seed)
    raise ValueError(model)


def average_precision(y, proba, classes):
    counts = pd.Series(y).value_counts()
    if len(classes) == 2:
        minority = counts.idxmin()
        k = list(classes).index(minority)
        return average_precision_score(y == minority, proba[:, k])
    return float(np.mean([average_precision_score(y == c, proba[:, k]) for k, c in enumerate(classes)]))


def folds(name, n_splits=5):
    df = pd.read_csv(DATASETS / f"{name}.csv")
    y = df["target"].astype(str).to_numpy()
    skf = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=0)
    return df, y, list(skf.split(np.zeros(len(y)), y))


def run_fold_imbal(imbal, model, df, train, test, tmp, params=(), jobs=1):
    tr, te = tmp / "train.csv", tmp / "test.csv"
    df.iloc[train].to_csv(tr, index=False)
    df.iloc[test].drop(columns=["target"]).to_csv(te, index=False)
    out_model, pred = tmp / "model.json", tmp / "pred.csv"
    p = []
    for a in params:
        p += ["-p", a]
    subprocess.run([imbal, "--jobs", str(jobs), "train", str(tr), "--model", model, *p, "--seed", "1",
                    "-o", str(out_model)], check=True, capture_output=True)
    subprocess.run([imbal, "predict", str(out_model), str(te), "-o", str(pred)], check=True, capture_output=True)
    out = pd.read_csv(pred, dtype={"prediction": str})
    classes = [c[len("proba_"):] for c in out.columns if c.startswith("proba_")]
    return out[[f"proba_{c}" for c in classes]].to_numpy(), classes


def compare(imbal, model, name, params=()):
    """Per-fold APs of imbal and the reference on `name`: (imbal list, reference list)."""
    df, y, splits = folds(name)
    X = df.drop(columns=["target"]).to_numpy(dtype=float)
    ours, theirs = [], []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for train, test in splits:
            proba, classes = run_fold_imbal(imbal, model, df, train, test, tmp, params)
            # imbal spells numeric classes as in the file ("1", "-1"): compare as strings.
            ours.append(average_precision(y[test], proba, classes))
            ref = reference(model)
            if model == "gradient-boosting":  # XGBoost wants codes 0..K-1
                codes = {c: i for i, c in enumerate(sorted(set(y)))}
                ref.fit(X[train], np.array([codes[v] for v in y[train]]))
                ref_classes = sorted(set(y))
            else:
                ref.fit(X[train], y[train])
                ref_classes = list(ref.classes_)
            theirs.append(average_precision(y[test], ref.predict_proba(X[test]), ref_classes))
    return ours, theirs


def within_noise(ours, theirs):
    noise = float(np.std(theirs, ddof=1))
    return abs(np.mean(ours) - np.mean(theirs)) <= noise, noise
