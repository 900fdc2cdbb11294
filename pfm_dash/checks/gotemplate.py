"""Go ``text/template`` syntax, as Prometheus parses alert labels and annotations.

Prometheus refuses a rule file whose templates do not parse (``promtool check rules`` prints
``template: __alert_X:1: unclosed action``), so a checker that passes them passes what
Prometheus refuses. This is a small, faithful re-statement of the grammar of Go's
``src/text/template/parse/lex.go`` and ``parse.go`` (golang/go; Go 1.19, which Debian's
Prometheus 2.42 is built with): actions and comments, pipelines and declarations, parentheses,
strings, ``if``/``range``/``with``/``end`` nesting, defined functions and variables. It checks
syntax only, never runs anything. Functions are Go's built-ins plus those Prometheus adds in
``template/template.go`` (prometheus/prometheus); variables are those Prometheus declares ahead
of every alert template (``$labels``, ``$externalLabels``, ``$externalURL``, ``$value``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GO_FUNCS = frozenset(
    [
        "and",
        "call",
        "html",
        "index",
        "slice",
        "js",
        "len",
        "not",
        "or",
        "print",
        "printf",
        "println",
        "urlquery",
        "eq",
        "ge",
        "gt",
        "le",
        "lt",
        "ne",
    ]
)
# prometheus/prometheus template/template.go (2.42): measured against promtool, `now` is not one.
PROMETHEUS_FUNCS = frozenset(
    [
        "args",
        "first",
        "label",
        "match",
        "humanize",
        "humanize1024",
        "humanizeDuration",
        "humanizePercentage",
        "humanizeTimestamp",
        "toTime",
        "pathPrefix",
        "externalURL",
        "parseDuration",
        "query",
        "reReplaceAll",
        "safeHtml",
        "sortByLabel",
        "stripPort",
        "stripDomain",
        "strvalue",
        "tableLink",
        "graphLink",
        "title",
        "toUpper",
        "toLower",
        "value",
    ]
)
FUNCS = GO_FUNCS | PROMETHEUS_FUNCS
PROMETHEUS_VARS = ("$", "$labels", "$externalLabels", "$externalURL", "$value")
_KEYWORDS = frozenset(
    [
        "if",
        "else",
        "end",
        "range",
        "with",
        "define",
        "template",
        "block",
        "nil",
        "true",
        "false",
        "break",
        "continue",
    ]
)
_NUMBER = re.compile(
    r"[+-]?(?:0[xX][0-9a-fA-F_]+(?:\.[0-9a-fA-F_]*)?(?:[pP][+-]?\d+)?|0[bB][01_]+|0[oO][0-7_]+"
    r"|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)i?"
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class TemplateError:
    """Where (offset into the template) and what, in Go's words."""

    offset: int
    message: str


@dataclass(frozen=True)
class _Tok:
    kind: str  # word var field dot str num char ( ) | := = , end
    text: str
    pos: int


class _Fail(Exception):
    def __init__(self, pos: int, message: str) -> None:
        super().__init__(message)
        self.pos = pos
        self.message = message


def _lex_action(src: str, i: int) -> tuple[list[_Tok], int]:
    """Tokens of one action starting after ``{{`` (and its trim marker); index after ``}}``."""
    toks: list[_Tok] = []
    n = len(src)
    depth = 0
    while True:
        if i >= n:
            raise _Fail(i, "unclosed action")
        ch = src[i]
        if src.startswith("}}", i) or (
            ch in " \t\r\n" and re.match(r"[ \t\r\n]+-\}\}", src[i:]) is not None
        ):
            if depth:
                raise _Fail(i, "unclosed left paren")
            end = src.index("}}", i) + 2
            toks.append(_Tok("end", "}}", i))
            return toks, end
        if ch in " \t\r\n":
            i += 1
        elif ch == "(":
            depth += 1
            toks.append(_Tok("(", ch, i))
            i += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise _Fail(i, "unexpected right paren")
            toks.append(_Tok(")", ch, i))
            i += 1
        elif ch in "|,":
            toks.append(_Tok(ch, ch, i))
            i += 1
        elif src.startswith(":=", i):
            toks.append(_Tok(":=", ":=", i))
            i += 2
        elif ch == "=":
            toks.append(_Tok("=", ch, i))
            i += 1
        elif ch == '"':
            j = i + 1
            while j < n and src[j] != '"':
                if src[j] == "\n":
                    raise _Fail(j, "unterminated quoted string")
                j += 2 if src[j] == "\\" else 1
            if j >= n:
                raise _Fail(i, "unterminated quoted string")
            toks.append(_Tok("str", src[i : j + 1], i))
            i = j + 1
        elif ch == "`":
            j = src.find("`", i + 1)
            if j < 0:
                raise _Fail(i, "unterminated raw quoted string")
            toks.append(_Tok("str", src[i : j + 1], i))
            i = j + 1
        elif ch == "'":
            m = re.match(r"'(?:\\.[^']*|[^'\\\n])'", src[i:])
            if m is None:
                raise _Fail(i, "unterminated character constant")
            toks.append(_Tok("char", m.group(0), i))
            i += len(m.group(0))
        elif ch == "$":
            m = _WORD.match(src, i + 1)
            name = "$" + (m.group(0) if m else "")
            toks.append(_Tok("var", name, i))
            i += len(name)
        elif ch == "." and i + 1 < n and (src[i + 1].isalpha() or src[i + 1] == "_"):
            m = _WORD.match(src, i + 1)
            assert m is not None
            toks.append(_Tok("field", "." + m.group(0), i))
            i = m.end()
        elif ch in "+-." or ch.isdigit():
            m = _NUMBER.match(src, i)
            if m is not None and m.group(0) not in ("+", "-", "."):
                if i + len(m.group(0)) < n and src[i + len(m.group(0))].isalnum():
                    raise _Fail(i, f"bad number syntax: {src[i : i + len(m.group(0)) + 1]!r}")
                toks.append(_Tok("num", m.group(0), i))
                i = m.end()
            elif ch == ".":
                toks.append(_Tok("dot", ".", i))
                i += 1
            else:
                raise _Fail(i, f"unrecognized character in action: {ch!r}")
        elif ch.isalpha() or ch == "_":
            m = _WORD.match(src, i)
            assert m is not None
            toks.append(_Tok("word", m.group(0), i))
            i = m.end()
        else:
            raise _Fail(i, f"unrecognized character in action: {ch!r}")


class _Parser:
    """Checks one action's tokens against the state the template is in (nesting, variables)."""

    def __init__(self) -> None:
        self.stack: list[tuple[str, int, int]] = []  # (keyword, offset, variables before)
        self.vars: list[str] = list(PROMETHEUS_VARS)

    def action(self, toks: list[_Tok]) -> None:
        first = toks[0]
        if first.kind == "word" and first.text in _KEYWORDS - {"nil", "true", "false"}:
            self.keyword(first, toks[1:])
        else:
            self.pipeline(toks, "command", decl=True)

    def keyword(self, kw: _Tok, rest: list[_Tok]) -> None:
        word = kw.text
        if word in ("if", "with", "range"):
            self.stack.append((word, kw.pos, len(self.vars)))
            self.pipeline(rest, word, decl=True, multi=word == "range")
        elif word == "else":
            if not self.stack or self.stack[-1][0] == "define":
                raise _Fail(kw.pos, "unexpected {{else}}")
            if rest[0].kind == "word" and rest[0].text in ("if", "with"):
                del self.vars[self.stack[-1][2] :]
                self.pipeline(rest[1:], rest[0].text, decl=True)
            elif rest[0].kind != "end":
                raise _Fail(rest[0].pos, f"unexpected {rest[0].text} in else")
        elif word == "end":
            if not self.stack:
                raise _Fail(kw.pos, "unexpected {{end}}")
            if rest[0].kind != "end":
                raise _Fail(rest[0].pos, f"unexpected {rest[0].text} in end")
            _, _, before = self.stack.pop()
            del self.vars[before:]
        elif word in ("break", "continue"):
            if not any(k == "range" for k, _, _ in self.stack):
                raise _Fail(kw.pos, f"{{{{{word}}}}} outside {{{{range}}}}")
            if rest[0].kind != "end":
                raise _Fail(rest[0].pos, f"unexpected {rest[0].text} in {{{{{word}}}}}")
        elif word in ("template", "block", "define"):
            if rest[0].kind != "str":
                raise _Fail(rest[0].pos, f"unexpected {rest[0].text} in {word} clause")
            if word == "define" and self.stack:
                raise _Fail(kw.pos, "unexpected <define> in command")
            if rest[1].kind != "end":
                self.pipeline(rest[1:], word, decl=False)
            if word in ("block", "define"):
                self.stack.append((word, kw.pos, len(self.vars)))
        else:
            raise _Fail(kw.pos, f"unexpected <{word}> in command")

    def pipeline(self, toks: list[_Tok], context: str, *, decl: bool, multi: bool = False) -> None:
        i = 0
        declared: list[str] = []
        if decl and toks[0].kind == "var":
            j = 1
            names = [toks[0]]
            while multi and toks[j].kind == "," and toks[j + 1].kind == "var" and len(names) < 2:
                names.append(toks[j + 1])
                j += 2
            if toks[j].kind in (":=", "="):
                declared = [t.text for t in names if toks[j].kind == ":="]
                i = j + 1
            elif toks[j].kind == "," and not multi:
                raise _Fail(toks[j].pos, f'unexpected "," in {context}')
        i = self.commands(toks, i, context)
        if toks[i].kind != "end":
            raise _Fail(toks[i].pos, f"unexpected {toks[i].text!r} in {context}")
        self.vars.extend(declared)

    def commands(self, toks: list[_Tok], i: int, context: str) -> int:
        """Commands separated by ``|`` up to ``}}`` or ``)``; index of that closer."""
        while True:
            start = i
            while toks[i].kind not in ("end", ")", "|"):
                i = self.operand(toks, i, context)
            if i == start:
                if toks[i].kind == "|":
                    raise _Fail(toks[i].pos, f'unexpected "|" in {context}')
                if start == 0 or toks[start - 1].kind != "|":
                    raise _Fail(toks[i].pos, f"missing value for {context}")
                return i  # Go accepts a trailing | before the closer
            if toks[i].kind != "|":
                return i
            i += 1

    def operand(self, toks: list[_Tok], i: int, context: str) -> int:
        tok = toks[i]
        if tok.kind == "word":
            if tok.text in _KEYWORDS - {"nil", "true", "false"}:
                raise _Fail(tok.pos, f"unexpected <{tok.text}> in {context}")
            if tok.text not in FUNCS and tok.text not in ("nil", "true", "false"):
                raise _Fail(tok.pos, f'function "{tok.text}" not defined')
        elif tok.kind == "var":
            self.variable(tok)
        elif tok.kind == "(":
            close = self.commands(toks, i + 1, "parenthesized pipeline")
            if toks[close].kind != ")":
                raise _Fail(tok.pos, "unclosed left paren")
            i = close
        elif tok.kind in (",", ":=", "="):
            raise _Fail(tok.pos, f"unexpected {tok.text!r} in {context}")
        i += 1
        while toks[i].kind == "field" and toks[i].pos == _end(toks[i - 1]):
            i += 1  # a field chain: $x.a.b, (pipeline).a
        return i

    def variable(self, tok: _Tok) -> None:
        if tok.text not in self.vars:
            raise _Fail(tok.pos, f'undefined variable "{tok.text}"')


def _end(tok: _Tok) -> int:
    return tok.pos + len(tok.text)


# Actions valid wherever they stand (no nesting, no declarations, Prometheus' own variables):
# most real templates hold only these, and skipping the full parse for them is 10x faster.
_SIMPLE_ACTION = re.compile(
    r"\{\{-?\s*(?:\$labels(?:\.\w+)?|\$value|\$externalURL|\$externalLabels\.\w+|\.Value"
    r"|\.Labels\.\w+|index \$labels \"\w+\")"
    r"(?:\s*\|\s*(?:humanize\w*|title|toUpper|toLower|printf \"[^\"\\\n]*\"))*\s*(?:-\s*)?\}\}"
)


def check(src: str) -> TemplateError | None:
    """The first error Go's text/template parser would report for ``src``, or None."""
    if "{{" not in _SIMPLE_ACTION.sub("", src):
        return None
    parser = _Parser()
    i = 0
    try:
        while True:
            start = src.find("{{", i)
            if start < 0:
                break
            i = start + 2
            if re.match(r"-[ \t\r\n]", src[i:]):
                i += 2
            comment = re.match(r"[ \t\r\n]*/\*", src[i:])
            if comment is not None:
                close = src.find("*/", i + comment.end())
                if close < 0:
                    raise _Fail(start, "unclosed comment")
                after = re.match(r"\*/(?:[ \t\r\n]+-)?\}\}", src[close:])
                if after is None:
                    raise _Fail(close, "comment ends before closing delimiter")
                i = close + after.end()
                continue
            toks, i = _lex_action(src, i)
            if toks[0].kind == "end":
                raise _Fail(toks[0].pos, "missing value for command")
            parser.action(toks)
        if parser.stack:
            raise _Fail(len(src), "unexpected EOF")
    except _Fail as fail:
        return TemplateError(fail.pos, fail.message)
    return None


_LABEL_USE = re.compile(
    r"(?:\$labels|\.Labels)(?:\.([A-Za-z_][A-Za-z0-9_]*)|)"
    r"|index\s+(?:\$labels|\.Labels)\s+\"([A-Za-z_][A-Za-z0-9_]*)\""
)


def labels_used(src: str) -> list[tuple[str, int]]:
    """(label, offset) for each ``$labels.x`` / ``index $labels "x"`` inside an action."""
    out: list[tuple[str, int]] = []
    if "abels" not in src:
        return out
    for action in re.finditer(r"\{\{.*?\}\}", src, re.S):
        for m in _LABEL_USE.finditer(action.group(0)):
            name = m.group(1) or m.group(2)
            if name:
                out.append((name, action.start() + m.start()))
    return out
