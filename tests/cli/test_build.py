"""`pfm-dash build`: deterministic bytes, minimal rewrites, --check, the cache, help texts."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, run_cli


def snapshot_tree(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_committed_build_is_fresh() -> None:
    result = run_cli("build", "--check", "--no-cache", cwd=ROOT)
    assert result.code == 0, result.text
    assert "build/ is fresh" in result.out


def test_build_twice_gives_identical_bytes_and_rewrites_nothing(pfm_copy: Path) -> None:
    result = run_cli("build", "--no-cache", cwd=pfm_copy)
    assert result.code == 0, result.text
    assert "0 file(s) changed" in result.out, "committed build/ differs from a fresh build"
    before = snapshot_tree(pfm_copy / "build")
    time.sleep(0.01)
    assert run_cli("build", "--no-cache", cwd=pfm_copy).code == 0
    assert snapshot_tree(pfm_copy / "build") == before  # same bytes, untouched mtimes


# Renamed: a panel no alert links to (a panel's id follows its title, so renaming a linked
# panel rightly changes its alert's viewPanel link too).
RENAME = ('title="Request Rate"', 'title="Requests per Second"')


def test_changed_title_makes_check_fail_naming_the_stale_file(pfm_copy: Path) -> None:
    source = pfm_copy / "dashboards/pfm_overview.py"
    source.write_text(source.read_text().replace(*RENAME))
    result = run_cli("build", "--check", cwd=pfm_copy)
    assert result.code == 1
    assert "build/grafana/dashboards/pfm-overview.json: stale" in result.err
    assert "run 'pfm-dash build'" in result.err
    assert "rules" not in result.err  # nothing else is reported stale
    assert (
        (pfm_copy / "build/grafana/dashboards/pfm-overview.json").read_text().count("Request Rate")
    ), "--check must not write"


def test_only_the_changed_file_is_rewritten(pfm_copy: Path) -> None:
    before = snapshot_tree(pfm_copy / "build")
    source = pfm_copy / "dashboards/pfm_overview.py"
    source.write_text(source.read_text().replace(*RENAME))
    result = run_cli("build", cwd=pfm_copy)
    assert result.code == 0, result.text
    assert "updated  build/grafana/dashboards/pfm-overview.json" in result.out
    after = snapshot_tree(pfm_copy / "build")
    changed = {k for k in after if after[k] != before.get(k)}
    assert changed == {"grafana/dashboards/pfm-overview.json"}


def test_files_no_longer_declared_are_removed(pfm_copy: Path) -> None:
    (pfm_copy / "alerts/business.py").unlink()
    stray = pfm_copy / "build/grafana/dashboards/old.json"
    stray.write_text("{}")
    check = run_cli("build", "--check", cwd=pfm_copy)
    assert check.code == 1
    assert "build/prometheus/rules/pfm-business.rules.yml: extra" in check.err
    assert "build/grafana/dashboards/old.json: extra" in check.err
    assert run_cli("build", cwd=pfm_copy).code == 0
    assert not stray.exists()
    assert not (pfm_copy / "build/prometheus/rules/pfm-business.rules.yml").exists()
    assert run_cli("build", "--check", cwd=pfm_copy).code == 0


def test_missing_build_is_reported(pfm_copy: Path) -> None:
    (pfm_copy / "build/prometheus/tests/pfm-security.test.yml").unlink()
    result = run_cli("build", "--check", cwd=pfm_copy)
    assert result.code == 1
    assert "build/prometheus/tests/pfm-security.test.yml: missing" in result.err


def test_out_option(pfm_copy: Path) -> None:
    result = run_cli("build", "--out", "elsewhere", cwd=pfm_copy)
    assert result.code == 0, result.text
    assert (pfm_copy / "elsewhere/grafana/dashboards/pfm-overview.json").is_file()


def test_cache_skips_unchanged_and_notices_any_change(pfm_copy: Path) -> None:
    assert run_cli("build", cwd=pfm_copy).code == 0
    cached = run_cli("build", cwd=pfm_copy)
    assert "up to date" in cached.out
    # A hand edit in build/ is an input change too.
    target = pfm_copy / "build/prometheus/rules/pfm-security.rules.yml"
    target.write_text(target.read_text() + "# edited\n")
    rebuilt = run_cli("build", cwd=pfm_copy)
    assert "up to date" not in rebuilt.out
    assert "updated  build/prometheus/rules/pfm-security.rules.yml" in rebuilt.out
    # So is a source edit, even with the same size and mtime preserved.
    source = pfm_copy / "alerts/security.py"
    stat = source.stat()
    source.write_text(source.read_text().replace("300 failed", "301 failed"))
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert "up to date" not in run_cli("build", cwd=pfm_copy).out


def test_help_and_version() -> None:
    top = run_cli("--help", cwd=ROOT)
    assert top.code == 0 and "build" in top.out and "Commands" in top.out
    build = run_cli("build", "--help", cwd=ROOT)
    assert build.code == 0 and "--check" in build.out and "--no-cache" in build.out
    version = run_cli("--version", cwd=ROOT)
    assert version.code == 0 and version.out.startswith("pfm-dash, version ")


def test_unknown_command_is_a_usage_error() -> None:
    result = run_cli("frobnicate", cwd=ROOT)
    assert result.code == 2 and "No such command" in result.err and "Traceback" not in result.err


def test_files_pfm_dash_does_not_own_are_left_alone(pfm_copy: Path) -> None:
    notes = pfm_copy / "build/README.md"
    notes.write_text("hand-written\n")
    handmade = pfm_copy / "build/prometheus/rules/legacy.yml"
    handmade.write_text("groups: []\n")
    assert run_cli("build", "--check", cwd=pfm_copy).code == 0
    assert run_cli("build", cwd=pfm_copy).code == 0
    assert notes.read_text() == "hand-written\n" and handmade.exists()


def test_out_must_not_contain_the_sources(pfm_copy: Path) -> None:
    result = run_cli("build", "--out", ".", cwd=pfm_copy)
    assert result.code == 2 and "choose a folder of its own" in result.err
    assert (pfm_copy / "dashboards/pfm_overview.py").exists()


def test_a_misspelled_source_folder_is_an_error(pfm_copy: Path) -> None:
    pyproject = pfm_copy / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace('"dashboards", "alerts"', '"dashbords", "alerts"')
    )
    result = run_cli("build", cwd=pfm_copy)
    assert (
        result.code == 2
        and "[tool.pfm-dash] sources: names folders that do not exist: dashbords" in result.err
    )
    assert (pfm_copy / "build/grafana/dashboards/pfm-overview.json").exists()


def test_a_failing_build_writes_nothing(pfm_copy: Path) -> None:
    """Files are staged and moved into place only once everything compiled."""
    from pfm_dash.output import sync_tree

    def stream() -> Iterator[tuple[str, bytes]]:
        yield "grafana/dashboards/pfm-overview.json", b"changed\n"
        yield "grafana/dashboards/brand-new.json", b"{}\n"
        raise RuntimeError("compilation failed half-way")

    before = snapshot_tree(pfm_copy / "build")
    with pytest.raises(RuntimeError):
        sync_tree(pfm_copy / "build", stream(), check=False)
    assert snapshot_tree(pfm_copy / "build") == before


def test_cache_notices_data_files_in_the_source_folders(pfm_copy: Path) -> None:
    assert run_cli("build", cwd=pfm_copy).code == 0
    assert "up to date" in run_cli("build", cwd=pfm_copy).out
    (pfm_copy / "dashboards/thresholds.json").write_text('{"error_rate": 0.05}\n')
    assert "up to date" not in run_cli("build", cwd=pfm_copy).out


@pytest.mark.parametrize("folder", ["alerts", "dashboards", "build/prometheus"])
def test_the_output_does_not_depend_on_the_working_directory(pfm_copy: Path, folder: str) -> None:
    result = run_cli("build", "--no-cache", cwd=pfm_copy / folder)
    assert result.code == 0, result.text
    assert "0 file(s) changed" in result.out, result.out


def test_a_hand_written_file_matching_a_generated_name_is_kept(pfm_copy: Path) -> None:
    manual = pfm_copy / "build/prometheus/rules/manual.rules.yml"
    manual.write_text("groups:\n- name: manual\n  rules: []\n")
    assert run_cli("build", "--check", cwd=pfm_copy).code == 0
    assert run_cli("build", "--no-cache", cwd=pfm_copy).code == 0
    assert manual.read_text() == "groups:\n- name: manual\n  rules: []\n"


def test_sources_that_declare_nothing_leave_build_alone(pfm_copy: Path) -> None:
    for folder in ("dashboards", "alerts"):
        for module in (pfm_copy / folder).glob("*.py"):
            module.unlink()
    before = sorted(p.relative_to(pfm_copy) for p in (pfm_copy / "build").rglob("*"))
    result = run_cli("build", "--no-cache", cwd=pfm_copy)
    assert result.code == 2, result.text
    assert "dashboards/, alerts/ declare no dashboard, rule group or team" in result.err
    assert sorted(p.relative_to(pfm_copy) for p in (pfm_copy / "build").rglob("*")) == before
