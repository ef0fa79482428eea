"""Sampling-strategy resolution equals imbalanced-learn 0.10's check_sampling_strategy on every
shared dataset, for every strategy kind and sampling type (Debian's python3-imblearn)."""
import json

import numpy as np
import pandas as pd
import pytest
from imblearn.utils import check_sampling_strategy

from conftest import CATEGORICAL, DATASETS, dataset_files, run_imbal

TYPES = {"over": "over-sampling", "under": "under-sampling", "clean": "clean-sampling"}
NAMED = ["auto", "minority", "majority", "not minority", "not majority", "all"]
RATIOS = [0.05, 0.3, 0.5, 0.8, 1.0]


def load_labels(name):
    # Labels as strings, exactly as written (imbal keeps spellings).
    y = pd.read_csv(DATASETS / name, usecols=["target"], dtype=str)["target"].to_numpy()
    # imbal orders integer labels numerically, as numpy does for an integer array.
    try:
        return y.astype(np.int64), True
    except ValueError:
        return y, False


def strategies_for(y, numeric):
    classes, counts = np.unique(y, return_counts=True)
    out = [(s, s) for s in NAMED] + [(r, repr(r)) for r in RATIOS]
    # Counts: every class to the majority count (over), the minority count (under), and one
    # class only; plus an impossible request of each kind.
    n_max, n_min = counts.max(), counts.min()
    out.append(({c: int(n_max) for c in classes}, ",".join(f"{c}:{n_max}" for c in classes)))
    out.append(({c: int(n_min) for c in classes}, ",".join(f"{c}:{n_min}" for c in classes)))
    out.append(({classes[0]: int(counts[0])}, f"{classes[0]}:{counts[0]}"))
    out.append(({classes[-1]: int(counts[-1]) + 7}, f"{classes[-1]}:{counts[-1] + 7}"))
    out.append(({classes[-1]: int(counts[-1]) - 1}, f"{classes[-1]}:{counts[-1] - 1}"))
    out.append(({classes[0]: -1}, f"{classes[0]}:-1"))
    # Lists (cleaning): one class, all classes.
    out.append(([classes[0]], f"[{classes[0]}]"))
    out.append((list(classes), "[" + ",".join(str(c) for c in classes) + "]"))
    return out


def imblearn_plan(strategy, y, kind):
    try:
        return check_sampling_strategy(strategy, y, TYPES[kind])
    except ValueError:
        return None


def imbal_plan(name, text, kind):
    args = ["inspect", DATASETS / name, "--json", "--strategy", text, "--sampling-type", kind]
    if name in CATEGORICAL:
        args += ["--categorical", ",".join(CATEGORICAL[name])]
    proc = run_imbal(*args)
    if proc.returncode != 0:
        assert proc.returncode in (1, 2), proc.stderr
        assert proc.stderr.startswith("imbal: error: "), proc.stderr
        return None
    return json.loads(proc.stdout)["plan"]


@pytest.mark.parametrize("name", dataset_files())
def test_strategy_resolution_matches_imblearn(name):
    y, numeric = load_labels(name)
    checked = 0
    for strategy, text in strategies_for(y, numeric):
        for kind in TYPES:
            expected = imblearn_plan(strategy, y, kind)
            got = imbal_plan(name, text, kind)
            where = f"{name}: strategy {text!r}, {kind}"
            if expected is None:
                assert got is None, f"{where}: imblearn raises, imbal planned {got}"
                continue
            assert got is not None, f"{where}: imbal refused, imblearn planned {dict(expected)}"
            targeted = {str(p["class"]): p for p in got if p["targeted"]}
            assert set(targeted) == {str(k) for k in expected}, where
            for cls, value in expected.items():
                p = targeted[str(cls)]
                if kind == "over":  # imblearn: rows to generate
                    assert p["n_out"] - p["n_in"] == value, where
                elif kind == "under":  # imblearn: rows to keep
                    assert p["n_out"] == value, where
                # clean: imblearn's value is nominal; the targeted set is what matters
            checked += 1
    assert checked >= 20, f"{name}: only {checked} resolvable cases"
