"""Type-check dashboard JSON against Grafana's published schema (npm's ``@grafana/schema``).

Each dashboard becomes a TypeScript module in which the JSON is an object literal that
``satisfies`` the schema's types (tests/schema/prelude.ts), each panel against its own kind's
Options and FieldConfig, so ``tsc --strict`` reports an unknown key (excess property check), a
missing required key and a wrong value or enum string. One tsc run checks every dashboard.
Errors come back as (dashboard, JSON path, message).

An imported dashboard may keep keys the schema lacks where its original had them: pass those
JSON paths as ``allowed``; such a key is then written as a spread (``...{"key": value}``), which
TypeScript does not check for excess properties, while a key the schema knows keeps its type.

    python tests/grafana_schema.py install      # npm ci into .cache/schema (make test runs it)
    python tests/grafana_schema.py build/grafana/dashboards/*.json
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tests/schema"
CACHE = ROOT / ".cache/schema"
PANELCFG = "dist/esm/raw/composable/"
# Panel plugin ids whose folder in @grafana/schema is not the id without dashes, lower-cased.
FOLDER_OF_KIND = {"dashlist": "dashboardlist", "annolist": "annotationslist"}
# Unknown-key errors: TS2353 "Object literal may only specify known properties", TS2561 the
# same with "Did you mean".
UNKNOWN_KEY = {"TS2353", "TS2561"}
MAX_ROUNDS = 20


@dataclass(frozen=True)
class SchemaError:
    """One finding: which dashboard, where in its JSON, and tsc's message."""

    dashboard: str
    path: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.dashboard}: {self.path or '(top)'}: {self.code} {self.message}"


def node_missing() -> str | None:
    """Why the check cannot run here, or None when it can."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            return f"{tool} is not on PATH; the Grafana schema check needs Node.js and npm"
    return None


def install(cache: Path = CACHE) -> Path:
    """npm ci the pinned packages into ``cache`` unless the same lock file is installed."""
    lock = (PACKAGE / "package-lock.json").read_bytes()
    stamp = cache / ".installed"
    digest = hashlib.sha256(lock + (PACKAGE / "package.json").read_bytes()).hexdigest()
    tsc = cache / "node_modules/typescript/bin/tsc"
    if stamp.is_file() and stamp.read_text() == digest and tsc.is_file():
        return cache
    cache.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy(PACKAGE / name, cache / name)
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", str(cache)],
        check=True,
    )
    stamp.write_text(digest)
    return cache


def panel_modules(cache: Path = CACHE) -> dict[str, str]:
    """Folder under raw/composable -> the module of that panel kind's Options (and FieldConfig)
    in the installed @grafana/schema."""
    base = cache / "node_modules/@grafana/schema"
    modules = {}
    for dts in sorted(base.glob(PANELCFG + "*/panelcfg/x/*_types.gen.d.ts")):
        folder = dts.relative_to(base / PANELCFG).parts[0]
        modules[folder] = "@grafana/schema/" + str(dts.relative_to(base)).removesuffix(".d.ts")
    return modules


def schema_version(cache: Path = CACHE) -> int:
    """The ``schemaVersion`` of the installed package's default dashboard: the Grafana release
    whose schema the dashboards are checked against."""
    js = cache / "node_modules/@grafana/schema/dist/esm/raw/dashboard/x/dashboard_types.gen.js"
    match = re.search(r"schemaVersion: (\d+)", js.read_text())
    if match is None:
        raise RuntimeError(f"no default schemaVersion in {js}")
    return int(match.group(1))


def _panel_type(kind: str, modules: Mapping[str, str], has_field_config: set[str]) -> str:
    """The TypeScript type a panel of ``kind`` must satisfy (its kind's module is imported as
    ``K_<folder>``)."""
    folder = FOLDER_OF_KIND.get(kind, kind.replace("-", "").lower())
    if kind == "row":
        return "Row"
    if folder not in modules:
        return f"UntypedPanel<{json.dumps(kind)}>"
    alias = "K_" + folder
    custom = f"{alias}.FieldConfig" if folder in has_field_config else "NoCustom"
    return f"PanelOf<{json.dumps(kind)}, {alias}.Options, {custom}>"


@dataclass
class _Writer:
    """TypeScript text with one key per line and the JSON path of every line."""

    modules: Mapping[str, str]
    has_field_config: set[str]
    spread: Collection[str]
    allowed: Collection[str]
    lines: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)

    def emit(self, text: str, path: str) -> None:
        self.lines.append(text)
        self.paths.append(path)

    def value(self, value: Any, path: str, indent: str, head: str, tail: str) -> None:
        """``head`` + value + ``tail``; a panel's object gets ``satisfies`` its kind."""
        if isinstance(value, dict):
            self.emit(f"{indent}{head}{{", path)
            for key, item in value.items():
                sub = f"{path}.{key}" if path else str(key)
                if sub in self.spread or (sub in self.allowed and _is_leaf(item)):
                    self.value(item, sub, indent + "  ", f"...{{{json.dumps(key)}: ", "},")
                else:
                    self.value(item, sub, indent + "  ", f"{json.dumps(key)}: ", ",")
            close = "}"
            if _is_panel_path(path) and isinstance(value.get("type"), str):
                close += " satisfies " + self.kind_type(value["type"])
            self.emit(f"{indent}{close}{tail}", path)
        elif isinstance(value, list):
            self.emit(f"{indent}{head}[", path)
            for index, item in enumerate(value):
                self.value(item, f"{path}[{index}]", indent + "  ", "", ",")
            self.emit(f"{indent}]{tail}", path)
        else:
            self.emit(f"{indent}{head}{json.dumps(value)}{tail}", path)

    def kind_type(self, kind: str) -> str:
        folder = FOLDER_OF_KIND.get(kind, kind.replace("-", "").lower())
        if folder in self.modules:
            self.kinds.add(folder)
        return _panel_type(kind, self.modules, self.has_field_config)


def _is_leaf(value: Any) -> bool:
    """No object inside: spreading it loses no excess-property check, so an allowed leaf is
    spread from the first round (objects only once tsc names them, to keep their insides
    checked)."""
    if isinstance(value, dict):
        return False
    return not isinstance(value, list) or all(_is_leaf(item) for item in value)


def _is_panel_path(path: str) -> bool:
    """``panels[3]`` or a collapsed row's ``panels[3].panels[0]``."""
    return re.fullmatch(r"panels\[\d+\](\.panels\[\d+\])?", path) is not None


def module_text(
    model: Mapping[str, Any],
    modules: Mapping[str, str],
    has_field_config: set[str],
    spread: Collection[str] = (),
    allowed: Collection[str] = (),
) -> tuple[str, list[str]]:
    """The TypeScript module checking one dashboard, and the JSON path of each of its lines."""
    writer = _Writer(modules, has_field_config, spread, allowed)
    writer.value(dict(model), "", "", "export const dashboard = ", " satisfies Dashboard;")
    head = [
        'import type { Dashboard, NoCustom, PanelOf, Row, UntypedPanel } from "./prelude";',
        *(
            f'import type * as K_{folder} from "{modules[folder]}";'
            for folder in sorted(writer.kinds)
        ),
    ]
    return "\n".join([*head, *writer.lines, ""]), [""] * len(head) + writer.paths


def _field_config_kinds(cache: Path, modules: Mapping[str, str]) -> set[str]:
    """The panel kinds whose module exports a FieldConfig (stat and gauge do not)."""
    found = set()
    for folder, module in modules.items():
        dts = cache / "node_modules" / (module + ".d.ts")
        if re.search(r"export (interface|type) FieldConfig\b", dts.read_text()):
            found.add(folder)
    return found


_DIAGNOSTIC = re.compile(
    r"^(?P<file>[^()\s]+)\((?P<line>\d+),(?P<col>\d+)\): error (?P<code>TS\d+): (?P<msg>.*)$"
)


def _run_tsc(cache: Path, work: Path, files: Iterable[str]) -> list[tuple[str, int, str, str]]:
    """(file, line, code, message) of each tsc error over ``files`` in ``work``."""
    config = {
        "compilerOptions": {
            "strict": True,
            "noEmit": True,
            "skipLibCheck": True,
            "module": "esnext",
            "moduleResolution": "bundler",
            "target": "es2022",
            "lib": ["es2022"],
            "types": [],
            "typeRoots": [],
        },
        "files": sorted(files),
    }
    (work / "tsconfig.json").write_text(json.dumps(config, indent=2))
    (work / "node_modules").symlink_to(cache / "node_modules", target_is_directory=True)
    proc = subprocess.run(
        [
            "node",
            str(cache / "node_modules/typescript/bin/tsc"),
            "-p",
            str(work),
            "--pretty",
            "false",
        ],
        capture_output=True,
        text=True,
        cwd=work,
    )
    (work / "node_modules").unlink()
    found: list[tuple[str, int, str, str]] = []
    for line in proc.stdout.splitlines():
        match = _DIAGNOSTIC.match(line)
        if match:
            found.append((match["file"], int(match["line"]), match["code"], match["msg"]))
        elif found and line.startswith(" "):
            file, number, code, message = found[-1]
            found[-1] = (file, number, code, message + "\n" + line.strip())
        elif line.strip():
            found.append(("", 0, "tsc", line))
    if proc.returncode not in (0, 1, 2) or (proc.returncode and not found):
        raise RuntimeError(f"tsc failed: {proc.stdout}{proc.stderr}")
    return found


def check(
    dashboards: Mapping[str, Mapping[str, Any]],
    allowed: Mapping[str, Collection[str]] | None = None,
    cache: Path = CACHE,
) -> dict[str, list[SchemaError]]:
    """Schema errors per dashboard name (an empty list: it type-checks), in one tsc run (more
    only while an allowed key hides others behind it: tsc reports one unknown key per object).

    ``allowed`` maps a dashboard name to JSON paths (``panels[2].options.legacyKey``) where a key
    the schema lacks may stay, e.g. the paths an imported dashboard's original had.
    """
    allowed = allowed or {}
    modules = panel_modules(cache)
    has_field_config = _field_config_kinds(cache, modules)
    names = {f"d{index}.ts": name for index, name in enumerate(dashboards)}
    spread: dict[str, set[str]] = {name: set() for name in dashboards}
    with tempfile.TemporaryDirectory(prefix="pfm-schema-") as tmp:
        work = Path(tmp)
        shutil.copy(PACKAGE / "prelude.ts", work / "prelude.ts")
        for _ in range(MAX_ROUNDS):
            line_paths = {}
            for file, name in names.items():
                text, paths = module_text(
                    dashboards[name], modules, has_field_config, spread[name], allowed.get(name, ())
                )
                (work / file).write_text(text)
                line_paths[file] = paths
            errors: dict[str, list[SchemaError]] = {name: [] for name in dashboards}
            widened = False
            for file, line, code, message in _run_tsc(cache, work, names):
                if Path(file).name not in names:
                    raise RuntimeError(f"tsc: {file}({line}): {code} {message}")
                name = names[Path(file).name]
                path = line_paths[file][line - 1]
                if (
                    code in UNKNOWN_KEY
                    and path in allowed.get(name, ())
                    and path not in spread[name]
                ):
                    spread[name].add(path)
                    widened = True
                else:
                    errors[name].append(SchemaError(name, path, code, message))
            if not widened:
                return errors
    raise RuntimeError(f"schema check did not settle in {MAX_ROUNDS} rounds")


def main(argv: list[str]) -> int:
    """``install``, or check the dashboard files given."""
    if argv[:1] == ["install"]:
        reason = node_missing()
        if reason:
            print(f"skipping the Grafana schema tools: {reason}", file=sys.stderr)
            return 0
        install()
        return 0
    install()
    found = check({path: json.loads(Path(path).read_text()) for path in argv})
    problems = [str(error) for errors in found.values() for error in errors]
    print("\n".join(problems) or f"{len(found)} dashboard(s) match @grafana/schema")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
