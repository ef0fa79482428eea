"""Every metric of `imbal metrics` against scikit-learn 1.2 / imbalanced-learn 0.10 (to 1e-12) on
random inputs (binary and multi-class, tied scores, a class absent from y_pred or y_true, sample
weights) and on real scores (a LogisticRegression fitted on shared datasets); and the class counts
of `imbal split` against scikit-learn's stratified splitters on every shared dataset."""
import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from imblearn import metrics as im
from sklearn import metrics as sm
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, StratifiedShuffleSplit, train_test_split
from sklearn.preprocessing import StandardScaler, label_binarize

from conftest import CATEGORICAL, DATASETS, dataset_files, run_imbal

TOL = 1e-12


def close(a, b):
    """Equal to 1e-12 (relative for large values, absolute near 0); None stands for nan."""
    if isinstance(b, dict) and "error" in b:
        raise AssertionError(f"imbal failed where sklearn did not: {b['error']}")
    a = np.asarray(a, dtype=float)
    b = np.asarray([float(v) for v in np.ravel(b)], dtype=float).reshape(np.shape(b))  # "nan", "inf" spelled
    if a.size == 1 and b.size == 1:  # an averaged value: scalar in Python, [v] in imbal's JSON
        a, b = a.ravel(), b.ravel()
    assert a.shape == b.shape, (a.shape, b.shape)
    assert np.allclose(a, b, rtol=TOL, atol=TOL, equal_nan=True), (a, b)


def quiet(f, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return f(*args, **kwargs)


def raises_too(f, *args, **kwargs):
    try:
        quiet(f, *args, **kwargs)
    except (ValueError, NotImplementedError):
        return True
    return False


def run_metrics(tmp_path, df, *args):
    path = tmp_path / "in.csv"
    df.to_csv(path, index=False, float_format="%.17g")
    return json.loads(run_imbal("metrics", path, *args, check=True).stdout)


def check_label_metrics(out, y_true, y_pred, w, labels=None, pos_label=1, beta=2.0, zd="warn", alpha=0.1,
                        correction=0.0, class_names=None):
    """Compares the 'labels' block of imbal's JSON with sklearn / imblearn (labels as ints)."""
    L = out["labels"]
    zdv = zd if zd == "warn" else int(zd)
    common = dict(sample_weight=w)
    for avg in ["binary", "micro", "macro", "weighted", "none"]:
        a = None if avg == "none" else avg
        kw = dict(average=a, labels=labels, pos_label=pos_label, zero_division=zdv, **common)
        for name, f in [("precision", sm.precision_score), ("recall", sm.recall_score), ("f1", sm.f1_score)]:
            if raises_too(f, y_true, y_pred, **kw):
                assert "error" in L[name][avg], (name, avg)
                continue
            close(quiet(f, y_true, y_pred, **kw), L[name][avg])
        if raises_too(sm.fbeta_score, y_true, y_pred, beta=beta, **kw):
            assert "error" in L["fbeta"][avg]
        else:
            close(quiet(sm.fbeta_score, y_true, y_pred, beta=beta, **kw), L["fbeta"][avg])
        ikw = dict(average=a, labels=labels, pos_label=pos_label, **common)
        for name, f in [("sensitivity", im.sensitivity_score), ("specificity", im.specificity_score)]:
            if raises_too(f, y_true, y_pred, **ikw):
                assert "error" in L[name][avg], (name, avg)
                continue
            close(quiet(f, y_true, y_pred, **ikw), L[name][avg])
        if raises_too(im.geometric_mean_score, y_true, y_pred, correction=correction, **ikw):
            assert "error" in L["geometric_mean"][avg]
        else:
            close(quiet(im.geometric_mean_score, y_true, y_pred, correction=correction, **ikw),
                  L["geometric_mean"][avg])
            for squared, key in [(True, "iba"), (False, "iba_unsquared")]:
                iba = im.make_index_balanced_accuracy(alpha=alpha, squared=squared)(im.geometric_mean_score)
                close(quiet(iba, y_true, y_pred, correction=correction, **ikw), L[key][avg])
    mc = dict(average="multiclass", labels=labels, **common)
    close(quiet(im.geometric_mean_score, y_true, y_pred, correction=correction, **mc), L["geometric_mean"]["multiclass"])
    iba = im.make_index_balanced_accuracy(alpha=alpha, squared=True)(im.geometric_mean_score)
    close(quiet(iba, y_true, y_pred, correction=correction, **mc), L["iba"]["multiclass"])
    close(sm.accuracy_score(y_true, y_pred, sample_weight=w), L["accuracy"])
    close(sm.accuracy_score(y_true, y_pred, normalize=False, sample_weight=w), L["accuracy_count"])
    close(quiet(sm.balanced_accuracy_score, y_true, y_pred, sample_weight=w), L["balanced_accuracy"])
    close(quiet(sm.balanced_accuracy_score, y_true, y_pred, sample_weight=w, adjusted=True),
          L["balanced_accuracy_adjusted"])
    close(sm.matthews_corrcoef(y_true, y_pred, sample_weight=w), L["mcc"])
    for kw_name in ["none", "linear", "quadratic"]:
        close(quiet(sm.cohen_kappa_score, y_true, y_pred, labels=labels, sample_weight=w,
                    weights=None if kw_name == "none" else kw_name), L["cohen_kappa"][kw_name])
    if raises_too(sm.class_likelihood_ratios, y_true, y_pred, labels=labels, sample_weight=w):
        assert "error" in L["class_likelihood_ratios"]
    else:
        close(quiet(sm.class_likelihood_ratios, y_true, y_pred, labels=labels, sample_weight=w),
              L["class_likelihood_ratios"])
    for nm in ["none", "true", "pred", "all"]:
        close(sm.confusion_matrix(y_true, y_pred, labels=labels, sample_weight=w,
                                  normalize=None if nm == "none" else nm), L["confusion_matrix"][nm])
    # Reports: the text exactly, the dictionaries to 1e-12.
    shown = labels if labels is not None else np.unique(np.r_[y_true, y_pred])
    names = [str(c) if class_names is None else class_names[c] for c in shown]
    rep = quiet(sm.classification_report, y_true, y_pred, labels=labels, target_names=names, sample_weight=w,
                zero_division=zdv)
    assert L["classification_report"]["text"] == rep
    d = quiet(sm.classification_report, y_true, y_pred, labels=labels, target_names=names, sample_weight=w,
              zero_division=zdv, output_dict=True)
    mine = L["classification_report"]["dict"]
    assert set(d) == set(mine)
    for k, v in d.items():
        if isinstance(v, dict):
            for kk in v:
                close(v[kk], mine[k][kk])
        else:
            close(v, mine[k])
    rep = quiet(im.classification_report_imbalanced, y_true, y_pred, labels=labels, target_names=names,
                sample_weight=w, alpha=alpha, zero_division=zdv)
    assert L["classification_report_imbalanced"]["text"] == rep
    d = quiet(im.classification_report_imbalanced, y_true, y_pred, labels=labels, target_names=names,
              sample_weight=w, alpha=alpha, zero_division=zdv, output_dict=True)
    mine = L["classification_report_imbalanced"]["dict"]
    for k, v in d.items():
        key = str(k) if class_names is None or not isinstance(k, (int, np.integer)) else class_names[k]
        if isinstance(v, dict):
            for kk in v:
                close(v[kk], mine[key][kk])
        else:
            close(v, mine[key])


def check_binary_scores(out, y_true, score, w, pos_label=1, max_fpr=0.5):
    S = out["scores"]
    for drop, key in [(True, "roc_curve"), (False, "roc_curve_all")]:
        fpr, tpr, thr = quiet(sm.roc_curve, y_true, score, pos_label=pos_label, sample_weight=w,
                              drop_intermediate=drop)
        close(fpr, S[key]["fpr"])
        close(tpr, S[key]["tpr"])
        close(thr, S[key]["thresholds"])
    p, r, t = quiet(sm.precision_recall_curve, y_true, score, pos_label=pos_label, sample_weight=w)
    close(p, S["precision_recall_curve"]["precision"])
    close(r, S["precision_recall_curve"]["recall"])
    close(t, S["precision_recall_curve"]["thresholds"])
    close(sm.roc_auc_score(y_true, score, sample_weight=w), S["roc_auc"])
    close(sm.roc_auc_score(y_true, score, sample_weight=w, max_fpr=max_fpr), S["roc_auc_max_fpr"])
    close(quiet(sm.average_precision_score, y_true, score, pos_label=pos_label, sample_weight=w),
          S["average_precision"])
    if score.min() >= 0 and score.max() <= 1:
        close(sm.brier_score_loss(y_true, score, pos_label=pos_label, sample_weight=w), S["brier"])
        close(sm.log_loss(y_true, score, sample_weight=w), S["log_loss"])
        close(sm.log_loss(y_true, score, sample_weight=w, normalize=False), S["log_loss_sum"])


def check_multiclass_scores(out, y_true, proba, w, classes):
    S = out["scores"]
    for mc in ["ovr", "ovo"]:
        for avg in ["macro", "weighted", "micro"]:
            got = S["roc_auc_multiclass"][f"{mc}_{avg}"]
            sw = None if mc == "ovo" else w
            if raises_too(sm.roc_auc_score, y_true, proba, multi_class=mc, average=avg, sample_weight=sw,
                          labels=classes):
                assert "error" in got, (mc, avg)
                continue
            close(sm.roc_auc_score(y_true, proba, multi_class=mc, average=avg, sample_weight=sw, labels=classes), got)
    Y = label_binarize(y_true, classes=classes)
    for avg in ["macro", "weighted", "micro"]:
        got = S["average_precision_multiclass"][avg]
        close(quiet(sm.average_precision_score, Y, proba, average=avg, sample_weight=w), got)
    close(sm.log_loss(y_true, proba, sample_weight=w, labels=classes), S["log_loss_multiclass"])


def frame(y_true, y_pred=None, score=None, proba=None, classes=None, w=None):
    d = {"y_true": y_true}
    if y_pred is not None:
        d["y_pred"] = y_pred
    if score is not None:
        d["score"] = score
    if proba is not None:
        for k, c in enumerate(classes):
            d[f"proba_{c}"] = proba[:, k]
    if w is not None:
        d["sample_weight"] = w
    return pd.DataFrame(d)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("weighted", [False, True])
def test_binary_random(tmp_path, seed, weighted):
    rng = np.random.default_rng(seed)
    n = 200
    y_true = (rng.random(n) < 0.2).astype(int)
    y_pred = np.where(rng.random(n) < 0.7, y_true, 1 - y_true)
    # Tied scores: rounded to 1 decimal.
    score = np.round(np.clip(0.3 * y_true + 0.7 * rng.random(n), 0, 1), 1 if seed % 2 == 0 else 17)
    w = np.round(rng.random(n) * 3, 2) if weighted else None
    if weighted:
        w[:5] = 0.0  # zero weights are dropped by the curves
    zd = ["warn", "0", "1"][seed % 3]
    out = run_metrics(tmp_path, frame(y_true, y_pred, score, w=w), "--zero-division", zd, "--beta", "0.5",
                      "--alpha", "0.2", "--max-fpr", "0.3")
    check_label_metrics(out, y_true, y_pred, w, zd=zd, beta=0.5, alpha=0.2)
    check_binary_scores(out, y_true, score, w, max_fpr=0.3)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("weighted", [False, True])
def test_multiclass_random(tmp_path, seed, weighted):
    rng = np.random.default_rng(100 + seed)
    n, k = 300, 4
    y_true = rng.choice(k, size=n, p=[0.6, 0.25, 0.1, 0.05])
    y_pred = np.where(rng.random(n) < 0.6, y_true, rng.integers(0, k, n))
    if seed == 1:
        y_pred[y_pred == 3] = 0  # class 3 never predicted
    logits = rng.normal(size=(n, k)) + 1.5 * np.eye(k)[y_true]
    if seed == 2:
        logits = np.round(logits)  # many ties
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    w = np.round(rng.random(n) * 2 + 0.1, 3) if weighted else None
    correction = 0.001 if seed == 3 else 0.0
    out = run_metrics(tmp_path, frame(y_true, y_pred, proba=proba, classes=list(range(k)), w=w),
                      "--zero-division", ["warn", "0", "1", "warn"][seed], "--correction", str(correction))
    check_label_metrics(out, y_true, y_pred, w, zd=["warn", "0", "1", "warn"][seed], correction=correction)
    check_multiclass_scores(out, y_true, proba, w, list(range(k)))


def test_absent_class_in_y_true_and_labels(tmp_path):
    rng = np.random.default_rng(7)
    n = 120
    y_true = rng.choice([0, 1, 2], size=n)
    y_pred = rng.choice([0, 1, 2, 3], size=n)  # 3 is never true
    out = run_metrics(tmp_path, frame(y_true, y_pred))
    check_label_metrics(out, y_true, y_pred, None)
    # labels= a subset in another order, plus a label absent from both.
    y_true4 = y_true.copy()
    out = run_metrics(tmp_path, frame(y_true4, y_pred), "--labels", "2,0,3")
    check_label_metrics(out, y_true4, y_pred, None, labels=[2, 0, 3])


def test_degenerate_binary_cases(tmp_path):
    # Only negatives in y_true and y_pred; one-class predictions; perfect predictions.
    for y_true, y_pred in [([0, 0, 0, 0], [0, 0, 0, 0]), ([0, 1, 0, 1], [0, 0, 0, 0]),
                           ([0, 1, 1, 0], [0, 1, 1, 0]), ([1, 1, 1, 1], [1, 0, 1, 1])]:
        y_true, y_pred = np.array(y_true), np.array(y_pred)
        for zd in ["warn", "1"]:
            out = run_metrics(tmp_path, frame(y_true, y_pred), "--zero-division", zd, "--pos-label", "1")
            check_label_metrics(out, y_true, y_pred, None, zd=zd)


def test_string_labels_and_pos_label(tmp_path):
    rng = np.random.default_rng(3)
    n = 80
    y_true = rng.choice(["neg", "pos"], size=n, p=[0.8, 0.2])
    y_pred = np.where(rng.random(n) < 0.75, y_true, rng.choice(["neg", "pos"], size=n))
    score = rng.random(n)
    out = run_metrics(tmp_path, frame(y_true, y_pred, score), "--pos-label", "pos")
    yt, yp = (y_true == "pos").astype(int), (y_pred == "pos").astype(int)  # codes: neg=0, pos=1
    check_label_metrics(out, yt, yp, None, pos_label=1, class_names=["neg", "pos"])
    check_binary_scores(out, yt, score, None)
    # pos_label=neg: the scores of the other class.
    out = run_metrics(tmp_path, frame(y_true, y_pred, score), "--pos-label", "neg")
    check_label_metrics(out, yt, yp, None, pos_label=0, class_names=["neg", "pos"])
    close(sm.average_precision_score(y_true, score, pos_label="neg"), out["scores"]["average_precision"])
    fpr, tpr, _ = sm.roc_curve(y_true, score, pos_label="neg")
    close(fpr, out["scores"]["roc_curve"]["fpr"])


def test_log_loss_eps(tmp_path):
    y_true = np.array([0, 1, 1, 0])
    score = np.array([0.0, 1.0, 0.3, 1e-20])
    out = run_metrics(tmp_path, frame(y_true, None, score), "--eps", "1e-7")
    close(quiet(sm.log_loss, y_true, score, eps=1e-7), out["scores"]["log_loss"])
    out = run_metrics(tmp_path, frame(y_true, None, score))
    close(sm.log_loss(y_true, score), out["scores"]["log_loss"])


REAL = ["imb_ecoli.csv", "pima.csv", "imb_oil.csv", "glass_multiclass.csv", "yeast_multiclass.csv"]


@pytest.mark.parametrize("name", REAL)
def test_real_scores_from_logistic_regression(tmp_path, name):
    df = pd.read_csv(DATASETS / name, dtype={"target": str})
    X = StandardScaler().fit_transform(df.drop(columns="target").to_numpy(dtype=float))
    labels = df["target"].to_numpy()
    classes = np.unique(labels)
    y = np.searchsorted(classes, labels)  # codes in sorted-label order
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.5, random_state=0, stratify=y)
    model = LogisticRegression(max_iter=2000).fit(Xtr, ytr)
    proba = model.predict_proba(Xte)
    pred = model.predict(Xte)
    if len(classes) == 2:
        out = run_metrics(tmp_path, frame(yte, pred, proba[:, 1]))
        check_label_metrics(out, yte, pred, None)
        check_binary_scores(out, yte, proba[:, 1], None)
    else:
        present = np.unique(yte)
        keep = np.isin(np.arange(len(classes)), present)
        p = proba[:, keep] / proba[:, keep].sum(axis=1, keepdims=True)
        ymap = np.searchsorted(present, yte)
        pmap = np.searchsorted(present, np.where(np.isin(pred, present), pred, present[0]))
        out = run_metrics(tmp_path, frame(ymap, pmap, proba=p, classes=list(range(len(present)))))
        check_label_metrics(out, ymap, pmap, None)
        check_multiclass_scores(out, ymap, p, None, list(range(len(present))))


def test_registered_metric_by_name(tmp_path):
    rng = np.random.default_rng(11)
    y_true = rng.integers(0, 2, 50)
    y_pred = rng.integers(0, 2, 50)
    score = rng.random(50)
    path = tmp_path / "m.csv"
    frame(y_true, y_pred, score).to_csv(path, index=False, float_format="%.17g")
    got = json.loads(run_imbal("metrics", path, "--metric", "fbeta", "--param", "beta=2", "--param", "average=macro",
                               check=True).stdout)
    close(sm.fbeta_score(y_true, y_pred, beta=2, average="macro"), got)
    got = json.loads(run_imbal("metrics", path, "--metric", "roc-auc", check=True).stdout)
    close(sm.roc_auc_score(y_true, score), got)
    proc = run_imbal("metrics", path, "--metric", "nope")
    assert proc.returncode == 1 and "the metrics are" in proc.stderr
    listed = json.loads(run_imbal("list", "--metrics", "--json", check=True).stdout)
    assert {"f1", "roc-auc", "geometric-mean", "iba", "log-loss"} <= {m["name"] for m in listed}


# ---- splitting -------------------------------------------------------------------------------

def split_json(name, *args):
    extra = ["--categorical", ",".join(CATEGORICAL[name])] if name in CATEGORICAL else []
    return json.loads(run_imbal("split", DATASETS / name, *extra, *args, check=True).stdout)


def fold_counts(y, classes, splits):
    return [([int((y[tr] == c).sum()) for c in classes], [int((y[te] == c).sum()) for c in classes])
            for tr, te in splits]


@pytest.mark.parametrize("name", dataset_files())
def test_stratified_kfold_counts_and_folds(name):
    y = pd.read_csv(DATASETS / name, usecols=["target"], dtype={"target": str})["target"].to_numpy()
    out = split_json(name, "--kind", "stratified-kfold", "--n-splits", "5", "--indices")
    classes = out["classes"]
    ref = list(StratifiedKFold(5).split(np.zeros(len(y)), y))
    # Without shuffle the folds themselves are scikit-learn's.
    for mine, (tr, te) in zip(out["splits"], ref):
        assert mine["test"] == te.tolist()
        assert mine["train"] == tr.tolist()
    shuffled = split_json(name, "--kind", "stratified-kfold", "--n-splits", "5", "--shuffle", "--seed", "3")
    expect = fold_counts(y, classes, ref)
    assert [(s["train_counts"], s["test_counts"]) for s in shuffled["splits"]] == expect
    rep = split_json(name, "--kind", "repeated-stratified-kfold", "--n-splits", "3", "--n-repeats", "2",
                     "--seed", "1")
    expect3 = fold_counts(y, classes, StratifiedKFold(3).split(np.zeros(len(y)), y))
    assert [(s["train_counts"], s["test_counts"]) for s in rep["splits"]] == expect3 * 2


def approximate_mode_outcomes(counts, n_draws):
    """Every result scikit-learn's _approximate_mode can give (ties at the cut broken at random)."""
    counts = np.asarray(counts)
    cont = counts / counts.sum() * n_draws
    floored = np.floor(cont)
    need = int(n_draws - floored.sum())
    rem = cont - floored
    out = floored.astype(int).copy()
    for value in np.sort(np.unique(rem))[::-1]:
        if need == 0:
            break
        inds = np.where(rem == value)[0]
        if len(inds) <= need:
            out[inds] += 1
            need -= len(inds)
        else:
            return out, inds, need  # `need` of `inds` get one more, chosen at random
    return out, np.array([], dtype=int), 0


def assert_mode_like(got, counts, n_draws):
    base, tied, need = approximate_mode_outcomes(counts, n_draws)
    extra = np.asarray(got) - base
    assert extra.min() >= 0 and extra.sum() == need and set(np.flatnonzero(extra)) <= set(tied), (got, base)


@pytest.mark.parametrize("name", dataset_files())
def test_stratified_shuffle_split_counts(name):
    y = pd.read_csv(DATASETS / name, usecols=["target"], dtype={"target": str})["target"].to_numpy()
    out = split_json(name, "--kind", "stratified-shuffle-split", "--n-splits", "3", "--test-size", "0.3",
                     "--seed", "5")
    classes = out["classes"]
    counts = np.array([(y == c).sum() for c in classes])
    ref = list(StratifiedShuffleSplit(3, test_size=0.3, random_state=5).split(np.zeros(len(y)), y))
    for mine, (tr, te) in zip(out["splits"], ref):
        theirs_tr = [int((y[tr] == c).sum()) for c in classes]
        theirs_te = [int((y[te] == c).sum()) for c in classes]
        assert sum(mine["train_counts"]) == len(tr) and sum(mine["test_counts"]) == len(te)
        base, tied, _ = approximate_mode_outcomes(counts, len(tr))
        if len(tied) == 0:  # no random tie-break: exactly scikit-learn's counts
            assert mine["train_counts"] == theirs_tr
            base_te, tied_te, _ = approximate_mode_outcomes(counts - np.array(theirs_tr), len(te))
            if len(tied_te) == 0:
                assert mine["test_counts"] == theirs_te
        assert_mode_like(mine["train_counts"], counts, len(tr))
        assert_mode_like(mine["test_counts"], counts - np.array(mine["train_counts"]), len(te))
    tts = split_json(name, "--kind", "train-test-split", "--test-size", "0.25", "--seed", "0")
    _, te = train_test_split(np.arange(len(y)), test_size=0.25, random_state=0, stratify=y)
    assert sum(tts["splits"][0]["test_counts"]) == len(te)
    n_train = len(y) - len(te)
    assert_mode_like(tts["splits"][0]["train_counts"], counts, n_train)


@pytest.mark.parametrize("pos_label", [None, "0"])
def test_binary_proba_columns_score_the_positive_class(tmp_path, pos_label):
    # `imbal predict` writes proba_<class> columns: on a binary problem the score metrics must read
    # the positive class's column (as a `score` column), not average over both classes.
    from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score
    rng = np.random.default_rng(7)
    n = 300
    y = (rng.random(n) < 0.15).astype(int)
    p1 = np.clip(0.3 * y + rng.random(n) * 0.7, 0.0, 1.0)
    path = tmp_path / "pred.csv"
    pd.DataFrame({"y_true": y, "y_pred": (p1 >= 0.5).astype(int), "proba_0": 1.0 - p1, "proba_1": p1}).to_csv(
        path, index=False, float_format="%.17g")
    extra = [] if pos_label is None else ["--pos-label", pos_label]
    pos = 1 if pos_label is None else 0
    ppos = p1 if pos == 1 else 1.0 - p1

    def one(metric):
        return json.loads(run_imbal("metrics", path, "--metric", metric, *extra, check=True).stdout)

    ap = average_precision_score(y, ppos, pos_label=pos)
    macro = average_precision_score(np.eye(2)[y], np.column_stack([1.0 - p1, p1]), average="macro")
    assert abs(ap - macro) > 1e-3  # the test can tell the two apart
    assert one("average-precision") == pytest.approx(ap, abs=1e-12)
    assert one("brier") == pytest.approx(brier_score_loss(y, ppos, pos_label=pos), abs=1e-12)
    assert one("roc-auc") == pytest.approx(roc_auc_score(y, p1), abs=1e-12)
    assert one("log-loss") == pytest.approx(log_loss(y, p1), abs=1e-12)
    # focal-loss (lower is better): the seed tutorials' formula on the positive class's probability.
    yp = (y == pos).astype(int)
    pt = np.where(yp == 1, ppos, 1 - ppos)
    focal = np.mean(-np.where(yp == 1, 0.25, 0.75) * (1 - pt) ** 2 * np.log(np.clip(pt, 1e-15, 1)))
    assert one("focal-loss") == pytest.approx(focal, rel=1e-12)
    full = json.loads(run_imbal("metrics", path, *extra, check=True).stdout)
    assert full["scores"]["average_precision"] == pytest.approx(ap, abs=1e-12)
    assert full["scores"]["roc_auc"] == pytest.approx(roc_auc_score(y, p1), abs=1e-12)
    assert full["scores"]["average_precision_multiclass"]["macro"] == pytest.approx(macro, abs=1e-12)
