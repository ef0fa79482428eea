"""Generates the frozen scikit-learn results that svm-smote's and k-means' tests compare with.

- svm_support.json.gz: for every shared numeric dataset, the rows scikit-learn's
  SVC(gamma="scale") (imbalanced-learn's SVMSMOTE default SVM) keeps as support vectors when fitted
  on the whole data (`support_`, sorted), and its gamma (repr). skin_segmentation takes ~200 s.
- kmeans_inertia.json: the inertia of scikit-learn's KMeans(n_clusters=8, n_init=10,
  random_state=0) (k-means++ and Lloyd, its defaults) on every shared numeric dataset but skin.

Run: /usr/bin/python3 tests/python/golden/make_svm_kmeans_golden.py [DATASETS_DIR]
The versions it ran with are stored in the files.
"""
import gzip
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import KMeans
from sklearn.svm import SVC

HERE = Path(__file__).resolve().parent
DATASETS = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[2].parent / "shared" / "datasets"
CATEGORICAL = {"car_vgood.csv", "adult.csv", "german_credit.csv"}


def load(path):
    df = pd.read_csv(path, dtype={"target": str})
    X = np.ascontiguousarray(df.drop(columns="target").to_numpy(dtype=float))
    return X, df["target"].to_numpy()


def main():
    versions = {"numpy": np.__version__, "scikit-learn": sklearn.__version__, "pandas": pd.__version__}
    names = sorted(p.name for p in DATASETS.glob("*.csv") if p.name not in CATEGORICAL)
    svm, inertia = {}, {}
    for name in names:
        X, y = load(DATASETS / name)
        # Labels as numbers where they are numbers (the CSV's integer labels), as imblearn sees them.
        try:
            y = y.astype(np.int64)
        except ValueError:
            pass
        svc = SVC(gamma="scale").fit(X, y)
        svm[name] = {"gamma": repr(svc._gamma), "support": sorted(int(i) for i in svc.support_)}
        if name != "skin_segmentation.csv":
            km = KMeans(n_clusters=8, n_init=10, random_state=0).fit(X)
            inertia[name] = float(km.inertia_)
        print(name, len(svc.support_), inertia.get(name), flush=True)
    with gzip.open(HERE / "svm_support.json.gz", "wt") as f:
        json.dump({"versions": versions, "datasets": svm}, f)
    (HERE / "kmeans_inertia.json").write_text(json.dumps(
        {"versions": versions, "params": "KMeans(n_clusters=8, n_init=10, random_state=0)", "inertia": inertia},
        indent=1) + "\n")


if __name__ == "__main__":
    main()
