"""bench/models.py (the model fit-time table of `make bench`) in --smoke mode: a 2k generated
file, two models, both sides timed, the table rendered."""
import json
import subprocess
import sys

from conftest import REPO, imbal_bin


def test_smoke_times_both_sides(tmp_path):
    out, raw = tmp_path / "models.md", tmp_path / "models.json"
    proc = subprocess.run([sys.executable, str(REPO / "bench" / "models.py"), "--smoke", "--imbal", imbal_bin(),
                           "--models", "decision-tree,random-forest", "--data-dir", str(tmp_path / "data"),
                           "-o", str(out), "--json", str(raw)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    res = json.loads(raw.read_text())
    assert [r["model"] for r in res["rows"]] == ["decision-tree", "random-forest"]
    for r in res["rows"]:
        assert r["imbal"]["status"] == "ok", r
        assert r["reference_result"]["status"] == "ok", r
        assert r["speedup"] > 0
    assert res["rows"][1]["reference"] == "sklearn.ensemble.RandomForestClassifier"
    text = out.read_text()
    assert "## Model fit time" in text and "`random-forest`" in text
