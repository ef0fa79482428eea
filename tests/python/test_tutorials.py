"""The tutorials (docs/tutorials/*.md) cannot rot: every command, program and snippet in them runs
here, and what it prints must be what the tutorial shows.

A tutorial marks its tested blocks with an HTML comment on the line before the code fence:

    <!-- test: cli -->        a ```sh block, run by bash in a scratch folder shared by the tutorial,
                              with `imbal` on PATH and $D the shared datasets folder;
    <!-- test: python -->     a ```python block, executed in one namespace per tutorial, in order,
                              in the same scratch folder (so it can read the CLI's files);
    <!-- test: cpp FILE -->   a ```cpp block that must be FILE (examples/tutorials/<name>.cpp)
                              verbatim; the program (built by examples/CMakeLists.txt) runs with
                              the datasets folder as its argument;
    <!-- test: output -->     the stdout the previous runnable block prints. Compared line by line:
                              text exactly (runs of spaces collapsed), integers exactly, decimals
                              to two units of their last printed digit. A line holding `<varies>`
                              (timings) is not compared.

The Python blocks need the module (skipped when it was not built, as the other module tests do);
the C++ programs need the examples build (skipped when missing)."""
import contextlib
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import DATASETS, REPO, imbal_bin

TUTORIALS = REPO / "docs" / "tutorials"
NAMES = sorted(p.stem for p in TUTORIALS.glob("*.md") if p.name != "README.md")
BINARY_DIR = Path(os.environ.get("IMBAL_BINARY_DIR", REPO / "build")).resolve()
MARKER = re.compile(r"^<!-- test: (cli|python|cpp|output)(?: (\S+))? -->$")
VOLATILE = re.compile(r"^(\s*fit time \(s\)\s+).*$")  # timings, shown as <varies>
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


class Block:
    def __init__(self, kind, arg, text, line):
        self.kind, self.arg, self.text, self.line = kind, arg, text, line
        self.output = None  # the expected stdout (an `output` block right after)


def blocks(name):
    """The tested blocks of a tutorial, in order; output blocks attached to the block before."""
    lines = (TUTORIALS / f"{name}.md").read_text().split("\n")
    found = []
    i = 0
    while i < len(lines):
        m = MARKER.match(lines[i])
        if not m:
            i += 1
            continue
        assert i + 1 < len(lines) and lines[i + 1].startswith("```"), \
            f"{name}.md:{i + 1}: a test marker must be followed by a code fence"
        end = i + 2
        while not lines[end].startswith("```"):
            end += 1
        text = "\n".join(lines[i + 2:end]) + "\n"
        block = Block(m.group(1), m.group(2), text, i + 1)
        if block.kind == "output":
            assert found and found[-1].kind != "output" and found[-1].output is None, \
                f"{name}.md:{i + 1}: an output block must follow a cli, python or cpp block"
            found[-1].output = block
        else:
            found.append(block)
        i = end + 1
    return found


def _pattern(expected):
    """A regex for one expected line (spaces collapsed): numbers captured, <varies> matches
    anything; returns (regex, expected numbers, which groups are numbers)."""
    parts = re.split(f"(<varies>|{NUMBER.pattern})", " ".join(expected.split()))
    # (a space stands for any run of spaces: column widths may change with the numbers)
    regex, numbers, kinds = "", [], []
    for k, part in enumerate(parts):
        if k % 2 == 0:
            regex += re.escape(part).replace("\\ ", r"\s+")
        elif part == "<varies>":
            regex += "(.*?)"
            kinds.append("varies")
        else:
            regex += f"({NUMBER.pattern})"
            numbers.append(part)
            kinds.append("number")
    return re.compile(regex), numbers, kinds


def _close(expected, actual):
    if not re.search(r"[.eE]", expected):
        return expected == actual
    digits = len(expected.split(".")[1].split("e")[0].split("E")[0]) if "." in expected else 0
    return abs(float(expected) - float(actual)) <= 2 * 10.0 ** -digits + 1e-12


def line_matches(expected, actual):
    regex, numbers, kinds = _pattern(expected)
    m = regex.fullmatch(actual.strip())
    if not m:
        return False
    got = [g for g, kind in zip(m.groups(), kinds) if kind == "number"]
    return all(map(_close, numbers, got))


def same_output(expected, actual, where):
    exp = expected.rstrip("\n").split("\n")
    act = actual.rstrip("\n").split("\n")
    assert len(exp) == len(act), \
        f"{where}: {len(act)} lines printed, the tutorial shows {len(exp)}:\n{actual}"
    for k, (e, a) in enumerate(zip(exp, act), 1):
        assert line_matches(e, a), \
            f"{where}, output line {k}:\n  tutorial: {e}\n  printed:  {a}\n\nfull output:\n{actual}"


def keep_varies(old, new):
    """The new line with the parts an old line marks <varies> marked again (for --update)."""
    if "<varies>" not in old:
        return new
    regex, _, kinds = _pattern(old)
    line = new.rstrip()
    indent = len(line) - len(line.lstrip())
    m = regex.fullmatch(line.strip())
    if not m:
        return new
    for g in reversed([k + 1 for k, kind in enumerate(kinds) if kind == "varies"]):
        line = line[:indent + m.start(g)] + "<varies>" + line[indent + m.end(g):]
    return line


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """One scratch folder per tutorial, shared by its CLI and Python blocks; `imbal` on PATH."""
    bindir = tmp_path_factory.mktemp("bin")
    (bindir / "imbal").symlink_to(Path(imbal_bin()).resolve())
    env = dict(os.environ, PATH=f"{bindir}{os.pathsep}{os.environ['PATH']}", D=str(DATASETS))
    folders = {}

    def get(name):
        if name not in folders:
            folders[name] = tmp_path_factory.mktemp(name)
        return folders[name], env
    return get


def run_cli(name, scratch):
    folder, env = scratch(name)
    if shutil.which("jq") is None and any("jq " in b.text for b in blocks(name) if b.kind == "cli"):
        pytest.skip("the tutorial's commands use jq (scripts/setup.sh installs it)")
    for b in blocks(name):
        if b.kind != "cli":
            continue
        proc = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", b.text], cwd=folder, env=env,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, f"{name}.md:{b.line}: exit {proc.returncode}\n{proc.stderr}"
        if b.output is not None:
            same_output(b.output.text, proc.stdout, f"{name}.md:{b.line} (cli)")


@pytest.mark.parametrize("name", NAMES)
def test_tutorial_has_all_three_faces(name):
    kinds = {b.kind for b in blocks(name)}
    assert {"cli", "python", "cpp"} <= kinds, f"{name}.md lacks a tested block of {set(('cli', 'python', 'cpp')) - kinds}"


@pytest.mark.parametrize("name", NAMES)
def test_tutorial_cli(name, scratch):
    run_cli(name, scratch)


@pytest.mark.parametrize("name", NAMES)
def test_tutorial_python(name, scratch, monkeypatch):
    pytest.importorskip("imbal")
    pytest.importorskip("imblearn")
    folder, env = scratch(name)
    if not any(folder.iterdir()):  # the Python blocks read the files the CLI blocks wrote
        run_cli(name, scratch)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("D", str(DATASETS))
    namespace = {"__name__": f"tutorial_{name.replace('-', '_')}"}
    for b in blocks(name):
        if b.kind != "python":
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(b.text, f"{name}.md:{b.line}", "exec"), namespace)  # noqa: S102
        if b.output is not None:
            same_output(b.output.text, out.getvalue(), f"{name}.md:{b.line} (python)")


@pytest.mark.parametrize("name", NAMES)
def test_tutorial_cpp_is_the_example_source(name):
    cpp = [b for b in blocks(name) if b.kind == "cpp"]
    for b in cpp:
        assert b.arg, f"{name}.md:{b.line}: a cpp block names its file"
        source = (REPO / b.arg).read_text()
        assert b.text == source, f"{name}.md:{b.line} differs from {b.arg}: paste the file again"


@pytest.mark.parametrize("name", NAMES)
def test_tutorial_cpp_output(name):
    for b in blocks(name):
        if b.kind != "cpp":
            continue
        exe = BINARY_DIR / "examples" / "tutorials" / Path(b.arg).stem
        if not exe.exists():
            pytest.skip(f"{exe} not built (IMBAL_BUILD_EXAMPLES)")
        proc = subprocess.run([str(exe), str(DATASETS)], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, f"{exe} failed ({proc.returncode}):\n{proc.stderr}"
        if b.output is not None:
            same_output(b.output.text, proc.stdout, f"{name}.md:{b.line} (cpp)")


def test_every_example_is_in_a_tutorial():
    shown = {b.arg for name in NAMES for b in blocks(name) if b.kind == "cpp"}
    for source in sorted((REPO / "examples" / "tutorials").glob("*.cpp")):
        assert f"examples/tutorials/{source.name}" in shown, f"{source.name} is in no tutorial"


def test_index_lists_every_tutorial():
    index = (TUTORIALS / "README.md").read_text()
    for name in NAMES:
        assert f"({name}.md)" in index, f"docs/tutorials/README.md does not link {name}.md"
    assert "docs/tutorials/README.md" in (REPO / "README.md").read_text()


def run_all(name, folder, env):
    """Runs every block of a tutorial (the CLI's in bash, the Python's in one namespace, the C++
    programs); returns {block line: stdout}. For --update."""
    printed = {}
    namespace = {"__name__": "tutorial"}
    cwd = os.getcwd()
    os.chdir(folder)
    os.environ["D"] = env["D"]
    try:
        for b in blocks(name):
            if b.kind == "cli":
                proc = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", b.text], env=env,
                                      capture_output=True, text=True, timeout=300)
                assert proc.returncode == 0, f"{name}.md:{b.line}: {proc.stderr}"
                printed[b.line] = proc.stdout
            elif b.kind == "python":
                out = io.StringIO()
                with contextlib.redirect_stdout(out):
                    exec(compile(b.text, f"{name}.md:{b.line}", "exec"), namespace)  # noqa: S102
                printed[b.line] = out.getvalue()
            elif b.kind == "cpp":
                exe = BINARY_DIR / "examples" / "tutorials" / Path(b.arg).stem
                proc = subprocess.run([str(exe), env["D"]], capture_output=True, text=True, check=True)
                printed[b.line] = proc.stdout
    finally:
        os.chdir(cwd)
    return printed


def update(name, folder, env):
    """Pastes what every block prints into its output block (lines with <varies> kept)."""
    printed = run_all(name, folder, env)
    path = TUTORIALS / f"{name}.md"
    lines = path.read_text().split("\n")
    result = []
    i = 0
    current = None
    while i < len(lines):
        m = MARKER.match(lines[i])
        if m and m.group(1) != "output":
            current = i + 1
        if m and m.group(1) == "output":
            end = i + 2
            while not lines[end].startswith("```"):
                end += 1
            old = lines[i + 2:end]
            new = [VOLATILE.sub(r"\1<varies>", n) for n in printed[current].rstrip("\n").split("\n")]
            if len(old) == len(new):
                new = [keep_varies(o, n) for o, n in zip(old, new)]
            result += lines[i:i + 2] + new
            i = end
            continue
        result.append(lines[i])
        i += 1
    path.write_text("\n".join(result))


def test_same_output_can_fail():
    same_output("a 1 0.50\n", "a  1 0.51\n", "self-test")
    with pytest.raises(AssertionError):
        same_output("a 1 0.50\n", "a 2 0.50\n", "self-test")
    with pytest.raises(AssertionError):
        same_output("a 0.50\n", "a 0.53\n", "self-test")
    with pytest.raises(AssertionError):
        same_output("a 0.50\n", "b 0.50\n", "self-test")
    same_output("fit <varies>\nx 3\n", "fit 0.123 s\nx 3\n", "self-test")
    same_output("a 0.5 <varies> 7\n", "a 0.5 0.031 ± 0.008 7\n", "self-test")
    with pytest.raises(AssertionError):
        same_output("a 0.5 <varies> 7\n", "a 0.5 0.031 ± 0.008 8\n", "self-test")
    assert keep_varies("a 0.5 <varies> 7", " a  0.6 0.031 ± 0.008 7") == " a  0.6 <varies> 7"


if __name__ == "__main__":
    # Pastes the real output of every block into the tutorials named (default: all):
    #   IMBAL_BIN=build/imbal IMBAL_BINARY_DIR=build PYTHONPATH=build/python \
    #   /usr/bin/python3 tests/python/test_tutorials.py [NAME...]
    # Review the diff: every number in it is what the code printed.
    import sys
    import tempfile
    bindir = Path(tempfile.mkdtemp())
    (bindir / "imbal").symlink_to(Path(os.environ.get("IMBAL_BIN", REPO / "build" / "imbal")).resolve())
    run_env = dict(os.environ, PATH=f"{bindir}{os.pathsep}{os.environ['PATH']}", D=str(DATASETS))
    for tutorial in sys.argv[1:] or NAMES:
        update(tutorial, Path(tempfile.mkdtemp()), run_env)
        print("updated", tutorial)
