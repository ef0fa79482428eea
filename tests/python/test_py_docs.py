"""docs/python.md's class table is generated from the registries (scripts/gen_python_docs.py):
fail when a method, model or metric was added or changed without regenerating it."""
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_python_doc_is_current():
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "gen_python_docs.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr + "\nregenerate: PYTHONPATH=build/python /usr/bin/python3 " \
        "scripts/gen_python_docs.py"


def test_python_doc_names_every_class():
    import imbal
    text = (REPO / "docs" / "python.md").read_text()
    for cls in list(imbal.samplers().values()) + list(imbal.models().values()):
        assert f"{cls.__module__}.{cls.__name__}" in text
