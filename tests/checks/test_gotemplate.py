"""Go text/template syntax as Prometheus parses alert templates, checked against promtool."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from pfm_dash.checks.gotemplate import check, labels_used

VALID = [
    "{{ $labels.instance }} down",
    "{{ if $labels.x }}a{{ end }}",
    "{{ $x := 1 }}{{ $x }}",
    "{{ range $i, $e := $labels }}{{ $i }}={{ $e }}{{ end }}",
    '{{ printf "%.2f" $value }}',
    "{{ $value | humanize }}",
    "{{ $value | }}",
    "{{/* a comment */}}",
    "{{- $value -}}",
    "{{ with $labels.job }}{{ . }}{{ else }}none{{ end }}",
    '{{ if eq $labels.a "b" }}x{{ else if eq $labels.a "c" }}y{{ else }}z{{ end }}',
    "{{ range . }}{{ break }}{{ end }}",
    '{{ query "up" | first | value | humanize }}',
    '{{ index $labels "a" }} {{ .Labels.job }} {{ $externalURL }}',
    "{{ ($value).x }} {{ 0x1F }} {{ 1.5 }} {{ 'a' }} {{ nil }}",
    '{{ define "x" }}y{{ end }}',
]
INVALID = {
    "{{ $labels.instance .": "unclosed action",
    "{{ $labels.instance down }}": 'function "down" not defined',
    "{{ humanizePercentag $value }}": 'function "humanizePercentag" not defined',
    "{{ if $labels.x }}a": "unexpected EOF",
    "{{ end }}": "unexpected {{end}}",
    "{{ else }}": "unexpected {{else}}",
    "{{ if }}x{{end}}": "missing value for if",
    "{{ }}": "missing value for command",
    "{{ $foo }}": 'undefined variable "$foo"',
    "{{ if true }}{{ $x := 1 }}{{ end }}{{ $x }}": 'undefined variable "$x"',
    '{{ printf "%.2f $value }}': "unterminated quoted string",
    "{{ `raw }}": "unterminated raw quoted string",
    "{{ (humanize $value }}": "unclosed left paren",
    "{{ humanize $value) }}": "unexpected right paren",
    "{{ | humanize }}": 'unexpected "|" in command',
    "{{/* c }}": "unclosed comment",
    "{{ 3x }}": "bad number syntax",
    "{{ break }}": "{{break}} outside {{range}}",
    '{{ if true }}{{ define "x" }}y{{ end }}{{ end }}': "unexpected <define> in command",
    "{{ now }}": 'function "now" not defined',
}


@pytest.mark.parametrize("src", VALID)
def test_valid_templates_pass(src: str) -> None:
    assert check(src) is None


@pytest.mark.parametrize(("src", "message"), list(INVALID.items()))
def test_invalid_templates_fail_in_gos_words(src: str, message: str) -> None:
    error = check(src)
    assert error is not None and error.message.startswith(message), error


def test_the_error_offset_points_into_the_template() -> None:
    error = check("ok {{ $labels.a }} then {{ $nope }}")
    assert error is not None and error.offset == len("ok {{ $labels.a }} then {{ ")


def test_agrees_with_promtool_on_every_case(tmp_path: Path) -> None:
    """Each case is an annotation of its own alert: promtool must refuse exactly ours."""
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool is not on PATH (make test installs it)")
    cases = VALID + list(INVALID)
    rules = [{"alert": f"A{i}", "expr": "up", "annotations": {"d": c}} for i, c in enumerate(cases)]
    path = tmp_path / "t.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "g", "rules": rules}]}))
    proc = subprocess.run([promtool, "check", "rules", str(path)], capture_output=True, text=True)
    refused = {int(n) - 1 for n in re.findall(r", rule (\d+), ", proc.stderr)}
    assert refused == {i for i, c in enumerate(cases) if check(c) is not None}


def test_labels_used_reads_every_form() -> None:
    used = labels_used('{{ $labels.a }} {{$labels.b}} {{ index $labels "c" }} {{ .Labels.d }} $e')
    assert [name for name, _ in used] == ["a", "b", "c", "d"]
