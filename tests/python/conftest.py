"""Shared fixtures of the Python test suite: where the imbal binary and the shared datasets are."""
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATASETS = Path(os.environ.get("IMBAL_DATASETS_DIR", REPO.parent / "shared" / "datasets"))

# Columns the datasets' README lists as categorical.
CATEGORICAL = {
    "car_vgood.csv": ["Buying", "Maint", "Doors", "Persons", "Lug_boot", "Safety"],
    "adult.csv": ["workclass", "education", "marital_status", "occupation", "relationship", "race",
                  "sex", "native_country"],
    "german_credit.csv": ["checking_status", "credit_history", "purpose", "savings_status",
                          "employment", "personal_status", "other_parties", "property_magnitude",
                          "other_payment_plans", "housing", "job", "own_telephone", "foreign_worker"],
}


def dataset_files():
    return sorted(p.name for p in DATASETS.glob("*.csv"))


def imbal_bin():
    path = os.environ.get("IMBAL_BIN", str(REPO / "build" / "imbal"))
    if not Path(path).exists():
        pytest.skip(f"imbal binary not found at {path}")
    return path


def run_imbal(*args, check=False, timeout=600):
    """Runs the CLI; returns the CompletedProcess (text mode)."""
    proc = subprocess.run([imbal_bin(), *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"imbal {' '.join(map(str, args))} failed ({proc.returncode}):\n"
                             f"{proc.stderr}")
    return proc


@pytest.fixture
def imbal():
    return run_imbal
