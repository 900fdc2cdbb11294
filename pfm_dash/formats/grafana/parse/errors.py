"""The one error an import reports: the file, the JSON path inside it, what is wrong."""

from __future__ import annotations

from pfm_dash.errors import DeclarationError, Location, display_path


class DashboardJsonError(DeclarationError):
    """Bad dashboard JSON, e.g. ``x.json: $.panels[3]: panel has no "type"``.

    A :class:`DeclarationError` so the CLI prints it without a traceback and exits 2.
    """

    def __init__(self, source: str, json_path: str, message: str, hint: str = "") -> None:
        super().__init__(message, Location(source, 0), hint)
        self.source = source
        self.json_path = json_path

    def __str__(self) -> str:
        return f"{display_path(self.source)}: {self.json_path}: {self.message}"

    def render(self) -> str:
        text = f"{display_path(self.source)}: {self.json_path}: error: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text
