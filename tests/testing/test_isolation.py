"""The fakes are test and demo equipment: no product module may import ``pfm_dash.testing``.

Read from the sources (not from what happens to be imported), so a lazy import inside a
function, a relative import or ``importlib.import_module("pfm_dash.testing...")`` counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "pfm_dash"
TESTING = PACKAGE / "testing"


def _module(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of_testing(path: Path, root: Path = ROOT) -> list[str]:
    """``file:line: what`` for each reference to pfm_dash.testing in a module's source."""
    found = []
    module = _module(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value] if node.value.startswith("pfm_dash.testing") else []
        hits = [n for n in names if n == "pfm_dash.testing" or n.startswith("pfm_dash.testing.")]
        if hits:
            rel = path.relative_to(root)
            found.append(f"{rel}:{getattr(node, 'lineno', 0)}: {hits[0]}")
    return found


def product_modules() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if TESTING not in p.parents]


def test_no_product_module_imports_the_fakes() -> None:
    modules = product_modules()
    assert len(modules) > 50 and PACKAGE / "cli" / "push.py" in modules
    found = [hit for path in modules for hit in imports_of_testing(path)]
    assert not found, "product modules must not import pfm_dash.testing:\n" + "\n".join(found)


def test_the_check_sees_every_form_of_import(tmp_path: Path) -> None:
    """The check itself can fail: each form below is reported."""
    sneaky = tmp_path / "pfm_dash" / "push" / "probe.py"
    sneaky.parent.mkdir(parents=True)
    sneaky.write_text(
        "import pfm_dash.testing.fake_grafana\n"
        "from pfm_dash import testing\n"
        "from ..testing.loopback import Answer\n"
        "def f():\n"
        "    import importlib\n"
        "    return importlib.import_module('pfm_dash.testing.faults')\n",
        "utf-8",
    )
    lines = [hit.split(":")[1] for hit in imports_of_testing(sneaky, tmp_path)]
    assert lines == ["1", "2", "3", "6"]
