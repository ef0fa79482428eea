"""5-fold stratified cross-validation of imbal's tree models against their scikit-learn /
imbalanced-learn counterparts (average precision), shared by tests/python/test_forest_parity.py
and tests/python/golden/make_model_cv_golden.py.

Data: every shared dataset; categorical columns (the datasets' README list) one-hot encoded with
pandas.get_dummies (one 0/1 column per level, float) and written as an all-numeric CSV that both
sides read, so both see exactly the same features.

Score: binary data: average precision of the minority class; more classes: the macro average of
the one-vs-rest average precisions (isolation-forest, a one-class score, always uses the AP of
its anomaly class = the minority).

Folds: StratifiedKFold(n_splits=5, shuffle=True, random_state=0). Seeds: imbal --seed 0,
scikit-learn random_state=0 (the generators differ, so randomised models differ fold by fold).
"""
import subprocess
import time
from pathlib import Path

import numpy as np
import pandas as pd

CATEGORICAL = {
    "car_vgood": ["Buying", "Maint", "Doors", "Persons", "Lug_boot", "Safety"],
    "adult": ["workclass", "education", "marital_status", "occupation", "relationship", "race", "sex",
              "native_country"],
    "german_credit": ["checking_status", "credit_history", "purpose", "savings_status", "employment",
                      "personal_status", "other_parties", "property_magnitude", "other_payment_plans", "housing",
                      "job", "own_telephone", "foreign_worker"],
}

DATASETS = ["imb_ecoli", "imb_satimage", "imb_thyroid_sick", "imb_oil", "imb_letter_img", "imb_mammography",
            "imb_abalone_19", "car_vgood", "pima", "adult", "german_credit", "yeast_multiclass",
            "glass_multiclass", "skin_segmentation"]

MODELS = ["decision-tree", "random-forest", "balanced-random-forest", "isolation-forest"]


def reference(model, seed=0, n_jobs=2):
    from sklearn.ensemble import IsolationForest, RandomForestClassifier
    from sklearn.tree import DecisionTreeClassifier
    if model == "decision-tree":
        return DecisionTreeClassifier(random_state=seed)
    if model == "random-forest":
        return RandomForestClassifier(n_estimators=100, n_jobs=n_jobs, random_state=seed)
    if model == "balanced-random-forest":
        from imblearn.ensemble import BalancedRandomForestClassifier
        return BalancedRandomForestClassifier(n_estimators=100, n_jobs=n_jobs, random_state=seed)
    if model == "isolation-forest":
        return IsolationForest(random_state=seed, n_jobs=n_jobs)
    raise ValueError(model)


def load_encoded(datasets_dir, name):
    df = pd.read_csv(Path(datasets_dir) / f"{name}.csv", dtype={"target": str})
    y = df.pop("target").astype(str).to_numpy()
    cat = [c for c in CATEGORICAL.get(name, []) if c in df.columns]
    for c in cat:
        df[c] = df[c].astype(str)
    X = pd.get_dummies(df, columns=cat, dtype=float) if cat else df.astype(float)
    X.columns = [str(c).replace(",", "_").replace(" ", "_") for c in X.columns]
    return X, y


def minority_class(y):
    labels, counts = np.unique(y, return_counts=True)
    return labels[np.argmin(counts)]


def score(y_true, proba_by_class, model):
    """Average precision: minority AP (binary, isolation-forest), else macro one-vs-rest AP."""
    from sklearn.metrics import average_precision_score
    classes = sorted(proba_by_class)
    if model == "isolation-forest":
        (m, s), = proba_by_class.items()
        return average_precision_score(y_true == m, s)
    if len(classes) == 2:
        m = minority_class(y_true)
        return average_precision_score(y_true == m, proba_by_class[m])
    aps = [average_precision_score(y_true == c, proba_by_class[c]) for c in classes if (y_true == c).any()]
    return float(np.mean(aps))


def folds(y, n_splits=5):
    from sklearn.model_selection import StratifiedKFold
    return list(StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=0).split(np.zeros(len(y)), y))


def theirs_fold(model, X, y, train, test, seed=0):
    est = reference(model, seed)
    t0 = time.perf_counter()
    if model == "isolation-forest":
        est.fit(X.iloc[train].to_numpy())
        fit_s = time.perf_counter() - t0
        m = minority_class(y[train])
        return {m: -est.score_samples(X.iloc[test].to_numpy())}, fit_s
    est.fit(X.iloc[train].to_numpy(), y[train])
    fit_s = time.perf_counter() - t0
    p = est.predict_proba(X.iloc[test].to_numpy())
    return {c: p[:, k] for k, c in enumerate(est.classes_)}, fit_s


def ours_fold(imbal, model, X, y, train, test, workdir, seed=0, params=()):
    workdir = Path(workdir)
    tr = X.iloc[train].copy()
    tr["target"] = y[train]
    tr.to_csv(workdir / "train.csv", index=False)
    X.iloc[test].to_csv(workdir / "test.csv", index=False)
    args = [imbal, "--jobs", "2", "train", workdir / "train.csv", "--model", model, "--seed", str(seed),
            "-o", workdir / "model.json", "--json"]
    for p in params:
        args += ["-p", p]
    out = subprocess.run([str(a) for a in args], capture_output=True, text=True, check=True)
    import json
    fit_s = json.loads(out.stdout)["fit_seconds"]
    subprocess.run([str(a) for a in [imbal, "--jobs", "2", "predict", workdir / "model.json", workdir / "test.csv",
                                     "-o", workdir / "pred.csv"]], capture_output=True, text=True, check=True)
    pred = pd.read_csv(workdir / "pred.csv", dtype={"prediction": str})
    if model == "isolation-forest":
        m = minority_class(y[train])
        return {m: pred[f"proba_{m}"].to_numpy()}, fit_s
    classes = sorted(set(y[train]))
    return {c: pred[f"proba_{c}"].to_numpy() for c in classes}, fit_s


def cv(imbal, model, X, y, workdir, sides=("ours", "theirs")):
    """Per-fold average precision of each side, and fit seconds."""
    out = {s: [] for s in sides}
    secs = {s: 0.0 for s in sides}
    for train, test in folds(y):
        if "ours" in sides:
            p, t = ours_fold(imbal, model, X, y, train, test, workdir)
            out["ours"].append(score(y[test], p, model))
            secs["ours"] += t
        if "theirs" in sides:
            p, t = theirs_fold(model, X, y, train, test)
            out["theirs"].append(score(y[test], p, model))
            secs["theirs"] += t
    return out, secs


def reference_seed_means(model, X, y, seeds=range(10)):
    """The reference's 5-fold mean AP for each random_state in `seeds` (its own seed-to-seed
    spread: a fully grown decision tree breaks exact ties between splits by its random feature
    order, so its CV mean moves with random_state)."""
    out = []
    for seed in seeds:
        aps = []
        for train, test in folds(y):
            est = reference(model, seed)
            est.fit(X.iloc[train].to_numpy(), y[train])
            p = est.predict_proba(X.iloc[test].to_numpy())
            aps.append(score(y[test], {c: p[:, k] for k, c in enumerate(est.classes_)}, model))
        out.append(float(np.mean(aps)))
    return out


def noise(theirs):
    """The rule's tolerance: two standard errors of the reference's 5-fold mean
    (2 * sample std of its per-fold AP / sqrt(5))."""
    theirs = np.asarray(theirs, dtype=float)
    return 2.0 * theirs.std(ddof=1) / np.sqrt(len(theirs))


def within_noise(ours, theirs, seed_means=None):
    """The rule: within two standard errors of the reference's 5-fold mean, or (decision-tree,
    where the reference's seed spread is recorded) within the range of the reference's 5-fold
    means over random_state 0..9."""
    if abs(np.mean(ours) - np.mean(theirs)) <= noise(theirs):
        return True
    return bool(seed_means) and min(seed_means) <= np.mean(ours) <= max(seed_means)
