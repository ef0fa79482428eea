#!/usr/bin/python3
"""Freezes the scikit-learn side of test_generators_parity.py's signal test into
generators_sklearn.json: for every setting and seed, make_classification's data scored by the
test's own cv_scores (CV accuracy and balanced accuracy of a depth-6 tree on all features, on the
informative and on the useless columns) and the class counts, with the versions used. It imports
the test module, so the figures come from exactly the code the test runs; the test recomputes one
seed live and compares it with this file.

    /usr/bin/python3 tests/python/golden/make_generators_golden.py
"""
import json
import platform
import sys
from pathlib import Path

import numpy as np
import sklearn

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import test_generators_parity as t  # noqa: E402

out = {"sklearn": sklearn.__version__, "numpy": np.__version__, "python": platform.python_version(),
       "seeds": list(t.SEEDS), "defaults": t.DEFAULTS, "settings": {}}
for setting in sorted(t.SETTINGS):
    out["settings"][setting] = {"params": t.SETTINGS[setting], **t.sklearn_scores(setting, t.SEEDS)}
(HERE / "generators_sklearn.json").write_text(json.dumps(out, indent=1) + "\n")
print("wrote", HERE / "generators_sklearn.json")
