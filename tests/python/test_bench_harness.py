"""The benchmark harness (bench/run.py + imbal_resample_timer) in --smoke mode: tiny generated
data, one method, R=1; checks the report's tables and that both sides agree on the output size."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, imbal_bin

RUN_PY = REPO / "bench" / "run.py"


def timer_bin():
    imbal = imbal_bin()
    build_dir = Path(os.environ.get("IMBAL_BINARY_DIR", Path(imbal).parent))
    timer = build_dir / "imbal_resample_timer"
    if not timer.exists():
        pytest.skip(f"imbal_resample_timer not found at {timer}")
    return imbal, timer


def test_smoke_report_has_tables_and_ratios(tmp_path):
    imbal, timer = timer_bin()
    out, raw = tmp_path / "bench.md", tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(RUN_PY), "--smoke", "--imbal", imbal, "--timer", str(timer),
         "--data-dir", str(tmp_path / "data"), "-o", str(out), "--json", str(raw)],
        capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()

    assert "bench/run.py" in text and "make bench" in text          # how to regenerate
    assert "cores" in text and "imbalanced-learn 0." in text        # machine and versions
    header = next(line for line in text.splitlines() if line.startswith("| dataset | rows × cols | method"))
    for column in ("imbal best", "imblearn best", "speed-up", "imbal extra MB", "imblearn extra MB",
                   "memory ratio", "rows out"):
        assert column in header
    res = json.loads(raw.read_text())
    assert res["mode"] == "smoke" and len(res["methods"]) == 1
    (row,) = res["rows"]
    assert row["imbal"]["status"] == "ok", row["imbal"]
    assert row["imblearn"]["status"] == "ok", row["imblearn"]
    assert row["speedup"] > 0
    assert row["imbal"]["rows_out"] == row["imblearn"]["rows_out"]
    assert row["imbal"]["rss_after_load_bytes"] > 0
    # The ratio shows up in the table row of that method.
    method_rows = [line for line in text.splitlines() if f"`{row['method']}`" in line and "×" in line]
    assert method_rows, text
    # End to end ran on the same file.
    (e2e,) = res["e2e"]
    assert e2e["imbal"]["status"] == "ok" and e2e["imblearn"]["status"] == "ok", e2e
    assert e2e["imbal"]["rows_out"] == e2e["imblearn"]["rows_out"]
    assert "## CSV I/O throughput" in text


def test_timer_usage_errors_exit_2(tmp_path):
    _, timer = timer_bin()
    proc = subprocess.run([str(timer)], capture_output=True, text=True)
    assert proc.returncode == 2 and "usage:" in proc.stderr
    data = tmp_path / "d.csv"
    data.write_text("x,target\n1,a\n2,a\n3,b\n")
    proc = subprocess.run([str(timer), str(data), "--method", "no-such-method"], capture_output=True,
                          text=True)
    assert proc.returncode == 2 and "random-over" in proc.stderr  # lists the valid names
    proc = subprocess.run([str(timer), str(data), "--method", "random-over", "--repeat", "x"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "--repeat" in proc.stderr


def test_timer_prints_one_json_line(tmp_path):
    _, timer = timer_bin()
    data = tmp_path / "d.csv"
    data.write_text("x,c,target\n" + "".join(f"{i},{'uv'[i % 2]},{'a' if i < 8 else 'b'}\n"
                                             for i in range(10)))
    proc = subprocess.run([str(timer), str(data), "--method", "random-over", "--repeat", "3",
                           "--categorical", "c", "--seed", "1"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    (line,) = proc.stdout.strip().splitlines()
    r = json.loads(line)
    assert r["rows_in"] == 10 and r["cols"] == 2 and r["rows_out"] == 16 and len(r["times"]) == 3
    assert 0 <= r["best_seconds"] <= r["median_seconds"]
    assert r["peak_rss_bytes"] >= r["rss_after_load_bytes"] > 0
    # --max-seconds stops repeating once the runs took that long (but runs at least once).
    proc = subprocess.run([str(timer), str(data), "--method", "random-under", "--repeat", "5",
                           "--max-seconds", "1e-9"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    r = json.loads(proc.stdout)
    assert r["repeat"] == 1 and len(r["times"]) == 1 and r["rows_out"] == 4


def test_skip_estimate_is_linear_unless_growth_was_faster():
    sys.path.insert(0, str(REPO / "bench"))
    import run
    assert run.estimate_seconds([], 10) is None
    # One earlier file, or a step under 5x in size, or a last run under 10 s: linear.
    assert run.estimate_seconds([(100_000, 20.0)], 1_000_000) == pytest.approx(200.0)
    assert run.estimate_seconds([(50_000, 2.0), (100_000, 20.0)], 1_000_000) == pytest.approx(200.0)
    assert run.estimate_seconds([(10_000, 0.5), (100_000, 5.0)], 1_000_000) == pytest.approx(50.0)
    # Quadratic growth between the last two (10x rows, 100x time): quadratic, capped at n^2.
    assert run.estimate_seconds([(10_000, 0.2), (100_000, 20.0)], 1_000_000) == pytest.approx(2000.0)
    assert run.estimate_seconds([(10_000, 0.002), (100_000, 20.0)], 1_000_000) == pytest.approx(2000.0)
    # Never below linear, even when the last file was faster than the one before.
    assert run.estimate_seconds([(10_000, 30.0), (100_000, 20.0)], 1_000_000) == pytest.approx(200.0)
