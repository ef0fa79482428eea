"""imbal: imbalanced-learn's API on a fast C++ engine.

Switch by changing the import: ``from imbal.over_sampling import SMOTE`` where
``from imblearn.over_sampling import SMOTE`` was. Every class is generated from the C++
registries at import time (see imbal/_factory.py and docs/python.md), so the package always
offers exactly the methods and models the engine has.
"""
from . import _core
from ._core import __version__

from . import _factory as _factory

_factory.build_all()

from . import datasets, metrics, model_selection, pipeline  # noqa: E402,F401


def show_versions():
    """The versions of imbal and of the Python packages it works with."""
    import sys
    import numpy
    print(f"imbal {__version__} (python {sys.version.split()[0]}, numpy {numpy.__version__})")


def samplers():
    """Registry id -> class of every sampler."""
    from . import _schema
    return {s["name"]: getattr(__import__(f"imbal.{_schema.module_of(s)}", fromlist=["x"]), s["python_class"])
            for s in _schema.SAMPLERS}


def models():
    """Registry id -> class of every model (classifier)."""
    from . import _schema
    return {s["name"]: getattr(__import__(f"imbal.{_schema.module_of(s)}", fromlist=["x"]), s["python_class"])
            for s in _schema.MODELS}
