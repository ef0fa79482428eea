"""imbal compare / demo / evaluate --report: the ranked study, its determinism, and the HTML report
rendered by a real headless browser (Debian's chromium) into a PNG that is checked to show charts."""
import json
import re
import shutil
import struct
import subprocess
import zlib

import pytest

from conftest import DATASETS, run_imbal

SMALL = ["--methods", "baseline,class-weights,smote,random-under", "--models", "balanced-random-forest",
         "--cv", "3", "--seed", "5"]


def compare_json(data, *extra):
    proc = run_imbal("compare", data, "--json", *SMALL, *extra, check=True)
    return json.loads(proc.stdout)


def test_compare_ranks_by_average_precision_and_recommends():
    res = compare_json(DATASETS / "pima.csv")
    assert res["ranked_by"] == "average-precision"
    aps = [m["metrics"]["average-precision"]["mean"] for m in res["methods"]]
    assert aps == sorted(aps, reverse=True)
    assert {m["name"] for m in res["methods"]} == {"baseline", "class-weights", "smote", "random-under",
                                                    "balanced-random-forest"}
    for m in res["methods"]:
        assert 0 < m["threshold"] < 1
        for name in ["roc-auc", "f1", "recall", "precision", "balanced-accuracy", "geometric-mean", "mcc",
                     "brier", "fit time (s)"]:
            assert name in m["metrics"], name
    best = res["methods"][0]["name"]
    assert res["recommendation"].startswith(f"Best on average-precision: {best} (")


def test_compare_is_deterministic_for_a_seed():
    a = compare_json(DATASETS / "imb_ecoli.csv")
    b = compare_json(DATASETS / "imb_ecoli.csv")
    for r in (a, b):
        r.pop("seconds")
        for m in r["methods"]:
            m["metrics"].pop("fit time (s)")
    assert a == b


def test_compare_multiclass_ranks_by_balanced_accuracy():
    res = compare_json(DATASETS / "glass_multiclass.csv")
    assert res["ranked_by"] == "balanced-accuracy"
    assert all(m["threshold"] is None for m in res["methods"])


def test_compare_bad_options(tmp_path):
    proc = run_imbal("compare", DATASETS / "pima.csv", "--methods", "baseline,smoet")
    assert proc.returncode == 2 and "smoet" in proc.stderr
    proc = run_imbal("compare", DATASETS / "pima.csv", "--models", "random-forrest")
    assert proc.returncode == 2 and "random-forrest" in proc.stderr
    out = tmp_path / "missing-dir" / "r.html"
    proc = run_imbal("compare", DATASETS / "pima.csv", *SMALL, "--report", out)
    assert proc.returncode == 1 and not out.exists()


def png_pixels(path):
    """Decodes an 8-bit RGB/RGBA non-interlaced PNG (what chromium writes) with zlib alone."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and color in (2, 6) and interlace == 0
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is installed by scripts/setup.sh")
def test_demo_report_renders_in_a_browser(tmp_path):
    # The full default study on the embedded data (what `make demo` runs), then chromium draws it.
    report = tmp_path / "demo.html"
    proc = run_imbal("demo", "--report", report, check=True)
    assert f"report: {report}" in proc.stdout
    html = report.read_text()
    assert "<script" not in html and "https://" not in html
    assert re.findall(r"http://[^\"]*", html) == ["http://www.w3.org/2000/svg"] * html.count("<svg ")
    for section in ["Recommendation", "Results", "Data and resampling", "Ranking quality", "Choosing the threshold",
                    "Confusion matrices", "Calibration"]:
        assert f"<h2>{section}</h2>" in html, section
    for label in ["recall", "precision", "false positive rate", "true positive rate", "predicted class",
                  "true class", "mean predicted probability", "PC1 (", "rows (training data)"]:
        assert label in html, label
    for method in ["baseline", "class-weights", "smote", "borderline-smote", "adasyn", "smote-enn", "smote-tomek",
                   "balanced-random-forest", "easy-ensemble", "rus-boost", "gradient-boosting-focal"]:
        assert f">{method}<" in html or f">{method} (" in html, method
    png = tmp_path / "demo.png"
    subprocess.run(["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--window-size=1300,2400", f"--screenshot={png}", report.as_uri()],
                   capture_output=True, timeout=120, check=True)
    width, height, channels, rows = png_pixels(png)
    assert (width, height) == (1300, 2400)
    ink = blue = 0
    for row in rows[::4]:
        for x in range(0, width * channels, channels * 4):
            r, g, b = row[x], row[x + 1], row[x + 2]
            if r < 230 or g < 230 or b < 230:
                ink += 1
            if r < 40 and 90 < g < 140 and b > 150:  # the first curve colour, #0072B2
                blue += 1
    samples = (height // 4) * (width // 4)
    assert ink > 0.03 * samples, "the page looks blank"
    assert blue > 50, "no chart colour drawn"


def test_evaluate_report_one_method(tmp_path):
    report = tmp_path / "eval.html"
    run_imbal("evaluate", DATASETS / "imb_ecoli.csv", "--model", "logistic-regression", "--sampler", "smote",
              "--scale", "standard", "--threshold", "f1", "--cv", "3", "--seed", "1", "--report", report,
              check=True)
    html = report.read_text()
    assert "smote + logistic-regression" in html
    assert html.count("<svg ") >= 6  # classes, PCA, PR, ROC, threshold, confusion, calibration
    assert "synthetic, smote" in html
