#!/usr/bin/python3
"""Regenerates the class table of docs/python.md from the registries, through the built module.

    PYTHONPATH=build/python /usr/bin/python3 scripts/gen_python_docs.py          # rewrite the doc
    PYTHONPATH=build/python /usr/bin/python3 scripts/gen_python_docs.py --check  # exit 1 if stale

The table sits between the BEGIN/END markers; everything else in the doc is hand-written.
tests/python/test_py_docs.py fails when the doc is not current.
"""
import inspect
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "python.md"
BEGIN = "<!-- BEGIN GENERATED: scripts/gen_python_docs.py -->"
END = "<!-- END GENERATED -->"


def fmt_signature(cls):
    parts = []
    for name, p in inspect.signature(cls).parameters.items():
        parts.append(f"{name}={p.default!r}")
    return ", ".join(parts)


def table():
    import imbal
    from imbal import _factory, _schema
    import imbal.metrics as metrics
    lines = ["| imbal | registry id | counterpart | parameters (defaults) |", "|---|---|---|---|"]
    for s in _schema.SAMPLERS:
        cls = imbal.samplers()[s["name"]]
        lines.append(f"| `imbal.{_schema.module_of(s)}.{cls.__name__}` | `{s['name']}` | "
                     f"`{_factory.sampler_counterpart(s)}` | `{fmt_signature(cls)}` |")
    for s in _schema.MODELS:
        cls = imbal.models()[s["name"]]
        lines.append(f"| `imbal.{_schema.module_of(s)}.{cls.__name__}` | `{s['name']}` | "
                     f"`{_factory.model_counterpart(s)}` | `{fmt_signature(cls)}` |")
    lines += ["", "| imbal.metrics | registry id(s) | counterpart |", "|---|---|---|"]
    for name in metrics.__all__:
        fn = getattr(metrics, name)
        schema = getattr(fn, "_imbal_schema", None)
        if schema is not None:
            ids, counterpart = f"`{schema['name']}`", f"`{schema['python_module']}.{schema['python_class']}`"
        else:
            parts = [s for s in _schema.METRICS if s["python_class"].startswith(name + "[")]
            if parts:  # a tuple of registry metrics
                ids = ", ".join(f"`{s['name']}`" for s in parts)
                counterpart = f"`{parts[0]['python_module']}.{name}`"
            else:  # not a registry metric (reports, curves)
                ids, counterpart = "—", f"`sklearn.metrics.{name}`"
        lines.append(f"| `{name}{inspect.signature(fn)}` | {ids} | {counterpart} |")
    lines += ["", "| imbal.model_selection | counterpart |", "|---|---|"]
    from imbal import model_selection
    for name in model_selection.__all__:
        lines.append(f"| `{name}` | `sklearn.model_selection.{name}` |")
    lines += ["", "| imbal.datasets | counterpart |", "|---|---|"]
    from imbal import datasets
    for name in datasets.__all__:
        origin = "sklearn.datasets" if name == "make_classification" else "imblearn.datasets"
        lines.append(f"| `{name}{inspect.signature(getattr(datasets, name))}` | `{origin}.{name}` |")
    return "\n".join(lines)


def render(text):
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{table()}\n{END}{tail}"


def main():
    text = DOC.read_text()
    new = render(text)
    if "--check" in sys.argv:
        if new != text:
            print("docs/python.md is stale: run scripts/gen_python_docs.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
