"""The registries of the C++ engine as Python data, and the few rules that turn a schema into an
imbalanced-learn / scikit-learn signature.

Every class of the package is generated from these schemas at import time (``_factory.py``): a
method or model registered in C++ appears in Python without any Python edit. The tables below
only record where imbalanced-learn 0.10 / scikit-learn 1.2 signatures deviate from the common
rule "every sampler takes sampling_strategy, random_state and n_jobs; every model random_state and
n_jobs"; a new method only needs an entry here if its imbalanced-learn counterpart deviates too.
"""
from . import _core

SAMPLERS = _core.sampler_schemas()
MODELS = _core.model_schemas()
METRICS = _core.metric_schemas()

# imbalanced-learn samplers without random_state (deterministic methods).
NO_RANDOM_STATE = {"tomek-links", "enn", "renn", "all-knn", "near-miss", "ncr"}
# imbalanced-learn samplers without n_jobs.
NO_N_JOBS = {"random-over", "random-under", "cluster-centroids"}
# Parameters imbalanced-learn has that the engine takes as data rather than as a parameter:
# (name, default). SMOTENC's categorical_features is required in imbalanced-learn 0.10; here it
# defaults to None, meaning "the categorical columns of a pandas DataFrame".
# svm_estimator / (others later) are accepted as None only: the engine trains its own model.
EXTRA_SAMPLER_PARAMS = {"smote-nc": [("categorical_features", None)], "svm-smote": [("svm_estimator", None)]}
# scikit-learn estimators without n_jobs / random_state (by Python class name).
MODEL_NO_N_JOBS = {"DecisionTreeClassifier", "GradientBoostingClassifier", "HistGradientBoostingClassifier",
                   "AdaBoostClassifier", "RUSBoostClassifier"}
MODEL_NO_RANDOM_STATE = {"KNeighborsClassifier"}
# scikit-learn estimators whose fit takes no sample_weight (the engine refuses weights for them).
MODEL_NO_SAMPLE_WEIGHT = {"KNeighborsClassifier"}
# Parameters whose Python default is None where the registry has a value: None means "the engine's
# default" (documented on the class), as for imbalanced-learn's estimator-like parameters and
# xgboost's None defaults. A None value is not passed to the engine.
NONE_MEANS_DEFAULT = {
    "iht": {"estimator"},
    "gradient-boosting": {"max_depth", "learning_rate", "subsample", "colsample_bytree", "min_child_weight",
                          "reg_lambda", "reg_alpha", "gamma", "tree_method", "max_bin", "scale_pos_weight"},
}
# imbal's own model parameters, without a counterpart in the mirrored class (besides focal_*).
MODEL_EXTENSIONS = {"XGBClassifier": {"class_weight"}, "IsolationForest": {"positive_class"}}

# Where a registry module name lives in the package.
MODULE_ALIASES = {"over-sampling": "over_sampling", "under-sampling": "under_sampling"}


def python_default(schema, spec):
    """The Python signature's default of a registry parameter: None where None means the engine's
    default (NONE_MEANS_DEFAULT); a text default that reads as a number (int-or-float parameters such
    as min_samples_split, max_features) as that number, as scikit-learn has it. Values go back to
    the engine as text either way."""
    if spec["name"] in NONE_MEANS_DEFAULT.get(schema["name"], ()):
        return None
    default = spec["default"]
    if spec["type"] == "text" and isinstance(default, str):
        for convert in (int, float):
            try:
                return convert(default)
            except ValueError:
                pass
    return default


def none_means_default(schema, name):
    return name in NONE_MEANS_DEFAULT.get(schema["name"], ())


def module_of(schema):
    mod = schema.get("python_module") or ""
    mod = mod.split(".")[-1]
    return MODULE_ALIASES.get(mod, mod)


def sampler_signature(schema):
    """[(name, default)] of the imbalanced-learn signature of a sampler schema, in order."""
    name = schema["name"]
    out = [("sampling_strategy", "auto")]
    if name not in NO_RANDOM_STATE:
        out.append(("random_state", None))
    out.extend(EXTRA_SAMPLER_PARAMS.get(name, []))
    seen_groups = []
    for p in schema["params"]:
        if "." in p["name"]:
            # A combined method's step parameters ("smote.k_neighbors") are set through the step
            # object, as in imbalanced-learn: SMOTEENN(smote=SMOTE(k_neighbors=3)).
            group = p["name"].split(".", 1)[0]
            if group not in seen_groups:
                seen_groups.append(group)
                out.append((group, None))
            continue
        out.append((p["name"], python_default(schema, p)))
    if name not in NO_N_JOBS:
        out.append(("n_jobs", None))
    return out


def model_signature(schema):
    out = [(p["name"], python_default(schema, p)) for p in schema["params"]]
    if schema["python_class"] not in MODEL_NO_RANDOM_STATE:
        out.append(("random_state", None))
    if schema["python_class"] not in MODEL_NO_N_JOBS:
        out.append(("n_jobs", None))
    return out
