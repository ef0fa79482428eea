"""imbal.model_selection: scikit-learn's stratified splitters on the engine (docs/splitting.md).

The class counts of every fold equal scikit-learn's; StratifiedKFold without shuffle gives
scikit-learn's very folds. With shuffling the rows follow imbal's own random engine. Each class
works wherever scikit-learn takes a ``cv`` (GridSearchCV, cross_validate): split(X, y, groups)
yields (train, test) index arrays and get_n_splits() counts them.
"""
import warnings

import numpy as np

from . import _core
from ._factory import _seed

try:
    from sklearn.base import BaseEstimator as _Base
except ImportError:  # pragma: no cover
    _Base = object

__all__ = ["StratifiedKFold", "RepeatedStratifiedKFold", "StratifiedShuffleSplit", "train_test_split"]


def _codes(y):
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D for a stratified split, got shape {y.shape}")
    _, codes = np.unique(y, return_inverse=True)
    return np.ascontiguousarray(codes, dtype=np.int32)


class _Splitter:
    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"


class StratifiedKFold(_Splitter):
    def __init__(self, n_splits=5, *, shuffle=False, random_state=None):
        self.n_splits = n_splits
        self.shuffle = shuffle
        self.random_state = random_state

    def get_n_splits(self, X=None, y=None, groups=None):
        return self.n_splits

    def split(self, X, y, groups=None):
        splits, messages = _core.stratified_kfold(_codes(y), int(self.n_splits), bool(self.shuffle),
                                                  _seed(self.random_state))
        for m in messages:
            warnings.warn(m, UserWarning, stacklevel=2)
        yield from splits


class RepeatedStratifiedKFold(_Splitter):
    def __init__(self, *, n_splits=5, n_repeats=10, random_state=None):
        self.n_splits = n_splits
        self.n_repeats = n_repeats
        self.random_state = random_state

    def get_n_splits(self, X=None, y=None, groups=None):
        return self.n_splits * self.n_repeats

    def split(self, X, y, groups=None):
        yield from _core.repeated_stratified_kfold(_codes(y), int(self.n_splits), int(self.n_repeats),
                                                   _seed(self.random_state))


class StratifiedShuffleSplit(_Splitter):
    def __init__(self, n_splits=10, *, test_size=None, train_size=None, random_state=None):
        self.n_splits = n_splits
        self.test_size = test_size
        self.train_size = train_size
        self.random_state = random_state

    def get_n_splits(self, X=None, y=None, groups=None):
        return self.n_splits

    def split(self, X, y, groups=None):
        yield from _core.stratified_shuffle_split(_codes(y), int(self.n_splits), self.test_size, self.train_size,
                                                  _seed(self.random_state))


def _take(a, idx):
    if hasattr(a, "iloc"):
        return a.iloc[idx]
    if isinstance(a, list):
        return [a[i] for i in idx]
    return np.asarray(a)[idx]


def train_test_split(*arrays, test_size=None, train_size=None, random_state=None, shuffle=True, stratify=None):
    """sklearn.model_selection.train_test_split: [a_train, a_test for every array]. With ``stratify``
    the class counts equal scikit-learn's (a StratifiedShuffleSplit of one split); test_size defaults
    to 0.25. ``shuffle=False`` keeps the row order (train first) and refuses ``stratify``. The rows
    drawn follow imbal's random engine."""
    if not arrays:
        raise ValueError("At least one array required as input")
    n = len(arrays[0])
    for a in arrays[1:]:
        if len(a) != n:
            raise ValueError(f"Found input variables with inconsistent numbers of samples: "
                             f"{[len(x) for x in arrays]}")
    if not shuffle and stratify is not None:
        raise ValueError("Stratified train/test split is not implemented for shuffle=False")
    codes = None if stratify is None else _codes(stratify)
    if codes is not None and len(codes) != n:
        raise ValueError(f"stratify has {len(codes)} rows, the arrays {n}")
    train, test = _core.train_test_split(n, test_size, train_size, _seed(random_state), bool(shuffle), codes)
    out = []
    for a in arrays:
        out += [_take(a, train), _take(a, test)]
    return out
