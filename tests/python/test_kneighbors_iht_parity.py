"""k-neighbors against scikit-learn 1.2's KNeighborsClassifier, and iht against imbalanced-learn
0.10's InstanceHardnessThreshold given the same folds.

k-neighbors: trained on one half of a dataset (`imbal train`), probabilities of the other half
(`imbal predict`) equal scikit-learn's to 1e-12, except for query rows whose n_neighbors-th and
next neighbour are at exactly equal distance (which of them votes is then arbitrary: scikit-learn
takes its tree's choice, imbal the lower row index) - checked, and counted.

iht: the folds of `imbal split --kind stratified-kfold --shuffle --seed S` (the folds imbal's iht
uses with --seed S) replace imbalanced-learn's StratifiedKFold; imbalanced-learn then runs its own
cross_val_predict and percentile rule with LogisticRegression() (features standardised, labels
0..K-1 as imbalanced-learn's probabilities[range(n), y] needs) or KNeighborsClassifier(), and the
kept sets are compared with imbal's (estimator=logistic-regression / k-neighbors). Run with -s for
the table.
"""
import json
import warnings
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from imblearn.under_sampling import InstanceHardnessThreshold
from imblearn.under_sampling._prototype_selection import _instance_hardness_threshold
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler

from conftest import DATASETS, run_imbal

SMALL = ["imb_ecoli.csv", "pima.csv", "glass_multiclass.csv", "yeast_multiclass.csv", "imb_oil.csv"]
REPORT = []


def standardised(name, tmp_path):
    df = pd.read_csv(DATASETS / name)
    features = df.columns[:-1]
    df[features] = StandardScaler().fit_transform(df[features].to_numpy(dtype=float))
    path = tmp_path / f"std_{name}"
    df.to_csv(path, index=False)
    back = pd.read_csv(path, float_precision="round_trip")  # the exact numbers imbal reads
    return path, back[features].to_numpy(dtype=float), back["target"].to_numpy()


def exact_sq(X, q):
    diff = X - q
    acc = np.zeros(len(X))
    for j in range(X.shape[1]):
        acc = acc + diff[:, j] * diff[:, j]
    return acc


@pytest.mark.parametrize("weights", ["uniform", "distance"])
@pytest.mark.parametrize("name", ["imb_ecoli.csv", "pima.csv", "glass_multiclass.csv", "yeast_multiclass.csv"])
def test_kneighbors_probabilities_equal_scikit_learn(tmp_path, name, weights):
    df = pd.read_csv(DATASETS / name)
    rng = np.random.default_rng(0)
    order = rng.permutation(len(df))
    train, test = df.iloc[np.sort(order[: len(df) // 2])], df.iloc[np.sort(order[len(df) // 2:])]
    train_csv, test_csv = tmp_path / "train.csv", tmp_path / "test.csv"
    train.to_csv(train_csv, index=False)
    test.to_csv(test_csv, index=False)
    model, pred = tmp_path / "m.json", tmp_path / "p.csv"
    run_imbal("train", train_csv, "--model", "k-neighbors", "-p", f"weights={weights}", "-o", model, check=True)
    run_imbal("predict", model, test_csv, "-o", pred, check=True)
    Xtr = pd.read_csv(train_csv).drop(columns="target").to_numpy(dtype=float)
    ytr = pd.read_csv(train_csv, dtype={"target": str})["target"].to_numpy()
    Xte = pd.read_csv(test_csv).drop(columns="target").to_numpy(dtype=float)
    ref = KNeighborsClassifier(weights=weights).fit(Xtr, ytr)
    ours = pd.read_csv(pred)[[f"proba_{c}" for c in ref.classes_]].to_numpy()
    theirs = ref.predict_proba(Xte)
    bad = np.flatnonzero(np.abs(ours - theirs).max(axis=1) > 1e-12)
    for i in bad:
        sq = np.sort(exact_sq(Xtr, Xte[i]))
        assert sq[4] == sq[5], f"{name}: query {i} differs without a distance tie at the 5th neighbour"
    REPORT.append(("k-neighbors", name, weights, len(Xte), len(bad)))


class _Folds:
    def __init__(self, splits):
        self.splits = splits

    def __call__(self, n_splits, shuffle, random_state):
        assert n_splits == len(self.splits) and shuffle
        return self

    def get_n_splits(self, *args, **kwargs):
        return len(self.splits)

    def split(self, X, y=None, groups=None):
        for s in self.splits:
            yield np.array(s["train"]), np.array(s["test"])


@pytest.mark.parametrize("estimator", ["logistic-regression", "k-neighbors"])
@pytest.mark.parametrize("name", SMALL)
def test_iht_equals_imblearn_given_the_same_folds(tmp_path, name, estimator):
    path, X, y = standardised(name, tmp_path)
    seed = 3
    split = json.loads(run_imbal("split", path, "--kind", "stratified-kfold", "--n-splits", "5", "--shuffle",
                                 "--seed", seed, "--indices", check=True).stdout)
    out, idx = tmp_path / "out.csv", tmp_path / "idx.csv"
    run_imbal("resample", path, "--method", "iht", "--param", f"estimator={estimator}", "--seed", seed, "-o", out,
              "--indices", idx, "--quiet", check=True)
    ours = pd.read_csv(idx)["sample_index"].to_numpy()
    codes = np.unique(y, return_inverse=True)[1]  # imbalanced-learn indexes probabilities by label value
    model = LogisticRegression() if estimator == "logistic-regression" else KNeighborsClassifier()
    sampler = InstanceHardnessThreshold(estimator=model, cv=5, random_state=seed)
    with mock.patch.object(_instance_hardness_threshold, "StratifiedKFold", _Folds(split["splits"])), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sampler.fit_resample(X, codes)
    theirs = np.sort(sampler.sample_indices_)
    differ = np.setxor1d(ours, theirs)
    REPORT.append(("iht", name, estimator, len(y), len(ours), len(theirs), len(differ)))
    assert len(differ) == 0, f"{name} {estimator}: {len(differ)} rows differ: {differ[:10]}"


def test_report_differences():
    if not REPORT:
        pytest.skip("parity tests did not run")
    print("\nk-neighbors: method, dataset, weights, queries, queries differing (all at distance ties)")
    print("iht: method, dataset, estimator, rows, kept imbal, kept imblearn, rows differing")
    for row in REPORT:
        print(*row, sep=", ")
