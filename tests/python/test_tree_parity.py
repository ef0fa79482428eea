"""decision-tree against scikit-learn 1.2's DecisionTreeClassifier: the same tree, node for node
(split feature, threshold, children, weighted class counts, sample counts, impurity), through
`imbal train`.

Where the trees can differ: with max_features=None both visit every feature at every node, but in
an order drawn from their (different) random generators, and each keeps the first split of
strictly best impurity decrease. When splits on two features tie exactly, the choice depends on
the visiting order. The comparison therefore walks both trees from the root and, where the splits
differ, requires an exact tie (equal weighted children impurity) and skips the two subtrees.
Ties are common in small nodes and on features with few distinct values; on the data below most
nodes match exactly (at least half of them, usually far more) and every difference is a tie.
One more difference comes from rounding: with non-integer weights (class_weight='balanced') a pure
node's Gini impurity `1 - sum(w_k^2) / W^2` can round to +-5e-16 depending on the order in which
the weights were summed; scikit-learn splits a pure node whose impurity rounds above 2.2e-16
(into pure children), imbal may stop there. The predictions are the same.
"""
import json

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification
from sklearn.tree import DecisionTreeClassifier

from conftest import DATASETS, run_imbal


def write_csv(X, y, path):
    df = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])])
    df["target"] = y
    df.to_csv(path, index=False)
    back = pd.read_csv(path)
    return back.drop(columns=["target"]).to_numpy(dtype=float), back["target"].to_numpy()


def imbal_tree(path, tmp_path, params, extra=()):
    model = tmp_path / "tree.json"
    args = []
    for p in params:
        args += ["-p", p]
    run_imbal("train", path, "--model", "decision-tree", *args, *extra, "--seed", "1", "-o", model, check=True)
    return json.loads(model.read_text())["members"][0]["model"]["state"]["tree"], model


def assert_same_tree(ours, ref, where, min_matched=0.5):
    """Walks both trees from the root: equal nodes must agree on split, counts and impurity; where
    the splits differ, the two must tie exactly (same weighted children impurity
    W_L * impurity_L + W_R * impurity_R, from each tree's own arrays) and the subtrees are skipped.
    At least `min_matched` of the reference's nodes must be matched exactly."""
    t = ref.tree_
    value = np.array(ours["value"]).reshape(len(ours["feature"]), -1)
    matched, ties = 0, []

    def proxy(left, right, w, imp, i):
        return w[left[i]] * imp[left[i]] + w[right[i]] * imp[right[i]]

    stack = [(0, 0)]
    while stack:
        i, j = stack.pop()
        assert ours["n_node_samples"][i] == t.n_node_samples[j], f"{where}: node {j} sample count"
        np.testing.assert_allclose(value[i], t.value[j, 0], rtol=1e-12, err_msg=f"{where}: node {j} class counts")
        np.testing.assert_allclose(ours["impurity"][i], t.impurity[j], rtol=1e-9, atol=1e-12,
                                   err_msg=f"{where}: node {j} impurity")
        ours_leaf, ref_leaf = ours["children_left"][i] == -1, t.children_left[j] == -1
        if ours_leaf != ref_leaf and abs(t.impurity[j]) <= 1e-12:
            # A pure node whose impurity rounds to +-5e-16: one side stops (<= 2.2e-16), the
            # other splits it into pure children. Same predictions; summation order decides.
            ties.append(j)
            continue
        assert ours_leaf == ref_leaf, f"{where}: node {j} is a leaf on one side only"
        matched += 1
        if ours_leaf:
            continue
        if ours["feature"][i] == t.feature[j] and ours["threshold"][i] == t.threshold[j]:
            stack += [(ours["children_left"][i], t.children_left[j]), (ours["children_right"][i], t.children_right[j])]
            continue
        a = proxy(ours["children_left"], ours["children_right"], ours["weighted_n_node_samples"], ours["impurity"], i)
        b = proxy(t.children_left, t.children_right, t.weighted_n_node_samples, t.impurity, j)
        assert abs(a - b) <= 1e-9 * max(1.0, abs(b)), \
            f"{where}: node {j} splits differ without a tie: imbal feature {ours['feature'][i]} <= " \
            f"{ours['threshold'][i]} ({a}), scikit-learn feature {t.feature[j]} <= {t.threshold[j]} ({b})"
        ties.append(j)
    assert matched >= min_matched * t.node_count, f"{where}: only {matched} of {t.node_count} nodes matched"
    return matched, ties


SETTINGS = [
    ({"max_depth": 5, "min_samples_leaf": 5}, ["max_depth=5", "min_samples_leaf=5"]),
    ({"criterion": "entropy", "max_depth": 6, "min_samples_leaf": 8},
     ["criterion=entropy", "max_depth=6", "min_samples_leaf=8"]),
    ({"class_weight": "balanced", "max_depth": 5, "min_samples_leaf": 5},
     ["class_weight=balanced", "max_depth=5", "min_samples_leaf=5"]),
    ({"max_leaf_nodes": 12, "min_samples_leaf": 5}, ["max_leaf_nodes=12", "min_samples_leaf=5"]),
    ({"min_samples_split": 40, "min_impurity_decrease": 0.002, "max_depth": 8},
     ["min_samples_split=40", "min_impurity_decrease=0.002", "max_depth=8"]),
]


@pytest.mark.parametrize("seed", [0, 1])
def test_same_tree_as_scikit_learn_on_generated_data(seed, tmp_path):
    X, y = make_classification(n_samples=1500, n_features=8, n_informative=5, weights=[0.8, 0.2], flip_y=0.05,
                               random_state=seed)
    X, y = write_csv(X, y, tmp_path / "gen.csv")
    for ref_params, ours_params in SETTINGS:
        ours, _ = imbal_tree(tmp_path / "gen.csv", tmp_path, ours_params)
        ref = DecisionTreeClassifier(random_state=0, **ref_params).fit(X, y)
        assert_same_tree(ours, ref, f"seed {seed} {ref_params}")


@pytest.mark.parametrize("name", ["imb_mammography", "pima", "imb_ecoli", "yeast_multiclass"])
def test_same_tree_as_scikit_learn_on_shared_datasets(name, tmp_path):
    """Real data, with repeated values (thresholds between distinct values match exactly)."""
    df = pd.read_csv(DATASETS / f"{name}.csv")
    X = df.drop(columns=["target"]).to_numpy(dtype=float)
    y = df["target"].astype(str).to_numpy()
    for ref_params, ours_params in SETTINGS[:2]:
        ours, _ = imbal_tree(DATASETS / f"{name}.csv", tmp_path, ours_params)
        ref = DecisionTreeClassifier(random_state=0, **ref_params).fit(X, y)
        assert_same_tree(ours, ref, f"{name} {ref_params}")


def test_predictions_equal_scikit_learn(tmp_path):
    X, y = make_classification(n_samples=2000, n_features=6, random_state=3)
    X, y = write_csv(X, y, tmp_path / "gen.csv")
    ours, model = imbal_tree(tmp_path / "gen.csv", tmp_path, ["max_depth=4", "min_samples_leaf=10"])
    ref = DecisionTreeClassifier(max_depth=4, min_samples_leaf=10, random_state=0).fit(X, y)
    matched, ties = assert_same_tree(ours, ref, "gen")
    assert not ties and matched == ref.tree_.node_count, "this tree has no tie: it must be equal throughout"
    X2, _ = make_classification(n_samples=3000, n_features=6, random_state=4)
    X2, _ = write_csv(X2 * 1.3, np.zeros(len(X2), dtype=int), tmp_path / "new.csv")
    out = tmp_path / "pred.csv"
    run_imbal("predict", model, tmp_path / "new.csv", "-o", out, check=True)
    pred = pd.read_csv(out)
    np.testing.assert_allclose(pred[["proba_0", "proba_1"]].to_numpy(), ref.predict_proba(X2), rtol=0, atol=1e-15)
