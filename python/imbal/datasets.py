"""imbal.datasets: scikit-learn's make_classification and imbalanced-learn's make_imbalance on the
engine (the generators of ``imbal make-classification`` / ``imbal make-imbalance``).

Signatures and defaults are scikit-learn 1.2's / imbalanced-learn 0.10's; the random draws follow
imbal's own engine, so the same ``random_state`` gives other rows than numpy (same shapes, class
counts and design).
"""
from collections.abc import Mapping

import numpy as np

from . import _core
from ._factory import _seed

__all__ = ["make_classification", "make_imbalance"]


def make_classification(n_samples=100, n_features=20, *, n_informative=2, n_redundant=2, n_repeated=0,
                        n_classes=2, n_clusters_per_class=2, weights=None, flip_y=0.01, class_sep=1.0,
                        hypercube=True, shift=0.0, scale=1.0, shuffle=True, random_state=None):
    """sklearn.datasets.make_classification: returns X (n_samples, n_features) float64 and y (int64).

    ``random_state=None`` draws a seed from numpy's global generator."""
    seed = _seed(random_state)
    if seed is None:
        seed = int(np.random.randint(np.iinfo(np.int32).max))
    w = [] if weights is None else [float(v) for v in weights]
    return _core.make_classification(int(n_samples), int(n_features), int(n_informative), int(n_redundant),
                                     int(n_repeated), int(n_classes), int(n_clusters_per_class), w, float(flip_y),
                                     float(class_sep), bool(hypercube), None if shift is None else float(shift),
                                     None if scale is None else float(scale), bool(shuffle), seed)


def make_imbalance(X, y, *, sampling_strategy=None, random_state=None, verbose=False, **kwargs):
    """imblearn.datasets.make_imbalance: randomly under-samples (X, y) to ``sampling_strategy``, a
    dict {class: count} or a callable ``f(y, **kwargs)`` returning one, with imbal's
    RandomUnderSampler (without replacement), exactly as imbalanced-learn does. Returns
    (X_resampled, y_resampled); pandas inputs stay pandas."""
    if isinstance(sampling_strategy, Mapping):
        strategy = dict(sampling_strategy)
    elif callable(sampling_strategy):
        strategy = sampling_strategy(y, **kwargs)
    else:
        raise ValueError(f"'sampling_strategy' has to be a dictionary or a function returning a dictionary. "
                         f"Got {type(sampling_strategy)} instead.")
    from .under_sampling import RandomUnderSampler
    return RandomUnderSampler(sampling_strategy=strategy, replacement=False,
                              random_state=random_state).fit_resample(X, y)
