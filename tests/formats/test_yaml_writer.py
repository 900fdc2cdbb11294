"""Our YAML writer writes PyYAML's bytes, or declines: on the build's files, the corpus's
rule files and scalars chosen to sit on every edge of PyYAML's quoting rules."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from pfm_dash.formats.yaml import DUMPER, PY_DUMPER, dump_yaml
from pfm_dash.formats.yaml_writer import Unsure, _not_text, write_yaml
from tests.corpus_testing import corpus_dir

ROOT = Path(__file__).resolve().parents[2]


def pyyaml(data: Any) -> str:
    """What the build wrote before this writer: PyYAML's dumpers (libyaml's and the pure one
    agree, which test_prometheus holds)."""
    out = dump_yaml(data, dumper=DUMPER)
    assert out == dump_yaml(data, dumper=PY_DUMPER)
    return out


def same_or_declined(data: Any) -> bool:
    """True when the writer wrote the document (then byte-identical), False when it declined."""
    try:
        ours = write_yaml(data)
    except Unsure:
        return False
    assert ours == pyyaml(data)
    return True


def test_every_yaml_file_the_build_writes_is_written_byte_identical() -> None:
    files = sorted((ROOT / "build").rglob("*.yml")) + sorted((ROOT / "build").rglob("*.yaml"))
    assert files
    for path in files:
        data = yaml.safe_load(path.read_text())
        assert write_yaml(data) == pyyaml(data), path  # never declined: no PyYAML in a build


def test_corpus_rule_files_are_written_byte_identical_or_declined() -> None:
    files = sorted(corpus_dir().rglob("*.yml")) + sorted(corpus_dir().rglob("*.yaml"))
    written = read = 0
    for path in files:
        try:
            data = yaml.safe_load(path.read_text())
        except yaml.YAMLError:
            continue
        read += 1
        written += same_or_declined(data)
    # 117 of 120 when written: the others hold non-ASCII text ("°C"), left to PyYAML.
    assert read and written >= read * 9 // 10, f"declined {read - written} of {read}"


TRICKY = [
    "",
    " ",
    "a",
    "-",
    "- a",
    "-a",
    "?",
    "? a",
    "?a",
    ":",
    ": a",
    ":a",
    "a:",
    "a: b",
    "a:b",
    "#",
    "# a",
    "a #b",
    "a#b",
    "'",
    "'a'",
    "it's",
    '"',
    '"a"',
    'job="x"',
    "a b  c",
    " a",
    "a ",
    "---",
    "--- a",
    "...",
    "..a",
    "[a]",
    "{a}",
    "a,b",
    "a[5m]",
    "&a",
    "*a",
    "!a",
    "|",
    ">",
    "%a",
    "@a",
    "`a",
    "a|b",
    "a > 0.5",
    "yes",
    "Yes",
    "YES",
    "y",
    "n",
    "no",
    "on",
    "off",
    "true",
    "True",
    "false",
    "null",
    "Null",
    "~",
    "<<",
    "=",
    "0",
    "1",
    "-1",
    "+1",
    "0.5",
    ".5",
    "1.",
    "1e5",
    "1.0e+5",
    "1.0e5",
    "0x1f",
    "0b101",
    "017",
    "09",
    "1_000",
    "1:30",
    "1:30.5",
    "190:20:30",
    ".inf",
    "-.inf",
    ".nan",
    ".NaN",
    "inf",
    "nan",
    "5m",
    "1h30m",
    "2026-12-01",
    "2026-1-1 1:02:03",
    "2026-12-01T10:00:00Z",
    "2026-12-01 10:00:00 +01:00",
    "a\nb",
    "a\nb\n",
    "a\n\nb",
    "\na",
    " a\nb",
    "a\n b",
    "a \nb",
    "a\nb ",
    "a\n",
    "a\n\n",
    "\n",
    "line 1\n  indented\nline 3\n",
    "x" * 150,
    "x" * 20_000,
    "caf\u00e9",
    "tab\there",
    "a\x7fb",
    "1.5",
    "-0.0",
    "+.5",
    "0o17",
]
NUMBERS = [0, 1, -5, 10**20, 0.5, 1e17, 1e-7, -2.5e-10, 3.0, float("inf"), float("nan"), True]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_text_as_value_key_and_item(text: str) -> None:
    for doc in ({"k": text}, {text: 1}, [text], {"k": [text]}, [{"k": text, "j": [[text]]}]):
        same_or_declined(doc)


def test_numbers_and_shapes() -> None:
    for value in NUMBERS:
        same_or_declined({"k": value, "l": [value]})
    doc: Any
    for doc in ({}, [], {"a": {}}, {"a": []}, [[], {}], [[1, [2, 3]], {"a": {"b": {"c": [4]}}}]):
        assert same_or_declined(doc), doc
    assert not same_or_declined("just text")  # a document that is a scalar: PyYAML's


def test_plain_text_is_quoted_exactly_when_pyyaml_reads_it_as_another_type() -> None:
    resolver = yaml.resolver.Resolver()
    for text in TRICKY + [str(n) for n in NUMBERS] + ["0:0", "-0b1", "+0x_", "._", "1e+5"]:
        if text and "\n" not in text:
            tag = resolver.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
            other = tag != resolver.DEFAULT_SCALAR_TAG
            assert _not_text(text) == other, text


def test_shared_containers_and_other_types_are_left_to_pyyaml() -> None:
    shared: list[int] = [1]
    for doc in ({"a": shared, "b": shared}, {"a": (1, 2)}, {1: "a"}, {"a": {1, 2}}):
        with pytest.raises(Unsure):
            write_yaml(doc)
    assert dump_yaml({"a": shared, "b": shared}) == pyyaml({"a": shared, "b": shared})


def test_a_build_does_not_import_pyyaml() -> None:
    code = (
        "import sys; from pfm_dash.cli import main\n"  # main, not console: it would exit at once
        "try: main(['build', '--check', '--no-cache'])\n"
        "except SystemExit as exc: assert not exc.code, exc.code\n"
        "assert 'yaml' not in sys.modules, 'a build imported PyYAML'\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=os.environ
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
