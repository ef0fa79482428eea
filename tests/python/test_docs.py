"""Docs do not drift from the code: every registered method has a page naming each parameter and
its default, and the CLI reference is what `make docs` generates from the binary."""
import json
import subprocess
import sys

from conftest import REPO, imbal_bin, run_imbal


def test_every_method_has_a_page_with_its_parameters():
    for m in json.loads(run_imbal("list", "--json", check=True).stdout):
        page = REPO / "docs" / "methods" / f"{m['name']}.md"
        assert page.exists(), f"missing {page}"
        text = page.read_text()
        assert m["python_class"] in text
        for p in m["params"]:
            assert f"`{p['name']}`" in text, f"{page.name}: parameter {p['name']} undocumented"
            default = "none" if p["default"] is None else str(p["default"]).lower()
            assert f"`{default}`" in text, f"{page.name}: default of {p['name']} ({default}) not shown"


def test_cli_reference_is_current():
    generated = subprocess.run([sys.executable, str(REPO / "scripts" / "gen_cli_reference.py"), imbal_bin()],
                               capture_output=True, text=True, check=True).stdout
    current = (REPO / "docs" / "cli-reference.md").read_text()
    assert current == generated, "docs/cli-reference.md is stale: run `make docs`"


def test_every_model_has_a_page_with_its_parameters():
    models = json.loads(run_imbal("list", "--models", "--json", check=True).stdout)
    assert models, "no models registered"
    index = (REPO / "docs" / "models.md").read_text()
    for m in models:
        assert m["kind"] == "model"
        page = REPO / "docs" / "models" / f"{m['name']}.md"
        assert page.exists(), f"missing {page}"
        assert f"models/{m['name']}.md" in index, f"docs/models.md does not link {page.name}"
        text = page.read_text()
        assert m["python_class"] in text
        for p in m["params"]:
            assert f"`{p['name']}`" in text, f"{page.name}: parameter {p['name']} undocumented"
            default = "none" if p["default"] is None else str(p["default"]).lower()
            assert f"`{default}`" in text, f"{page.name}: default of {p['name']} ({default}) not shown"
