"""Name a YAML syntax mistake in the user's words, at the line they must edit.

libyaml reports where it gave up, which is often far from the mistake: an unclosed
quote on line 2 surfaces as "did not find expected key" on line 51. Each rule
below recognises one common mistake from the lines around that place and says
what to change, and where. A rule may also return the text with its own fix
applied: when the fixed text parses past the mistake, the next error found is
real too, so one run can report several mistakes in a file (see
`strict_yaml.syntax_problems`). Rules are tried in order; the first that
recognises the text wins, and libyaml's own words (with a hint) are the fallback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
"""What YAML (and so every position libyaml reports) counts as a line break."""

_KEY = re.compile(r"( *)(- +)?([A-Za-z_][\w-]*):(?=[ \t]|$)")
_ITEM = re.compile(r"( *)-(?=[ \t]|$)")
_VALUE = re.compile(r"( *(?:- +)?(?:[A-Za-z_][\w-]*: +)?)(.*)")
_NO_SPACE_COLON = re.compile(r"( *(?:- +)?)([A-Za-z_][\w-]*):(?=[^\s/])")
_NO_SPACE_DASH = re.compile(r"( *)-(?=[^\s\-\d.])")
_CURLY: dict[str, str | int | None] = {"\u201c": '"', "\u201d": '"', "\u2018": "'",
                                       "\u2019": "'"}
_QUOTES_NEEDED = {
    "@": "is reserved", "`": "is reserved", "%": "starts a directive",
    "*": "marks an alias", "&": "marks an anchor", "[": "starts a list", "{": "starts a mapping",
}
_HINTS = (
    ("could not find expected ':'", "each line needs 'key: value'; check for a missing colon"),
    ("did not find expected key", "check this line's indentation against the lines above"),
    ("found unexpected end of stream", "a quote or bracket opened above is never closed"),
    ("found unknown escape character",
     "in double quotes a backslash starts an escape; use single quotes"),
    ("expected <block end>", "check this line's indentation against the lines above"),
    ("did not find expected '-' indicator", "list items must line up under each other"),
)
TAB = "a tab character; indent with spaces, YAML does not allow tabs"


@dataclass(frozen=True)
class Mistake:
    """What to tell the user (0-based line and column), and the text with the fix made,
    when the fix is certain enough to look for the next mistake after it."""

    message: str
    line: int
    col: int
    fixed: str | None = None


@dataclass(frozen=True)
class _Error:
    """libyaml's complaint, with the file's lines."""

    lines: list[str]
    problem: str
    context: str
    line: int
    col: int
    context_line: int | None
    context_col: int | None

    def fix(self, line: int, new: str) -> str:
        return "\n".join(new if n == line else text for n, text in enumerate(self.lines))


def explain(exc: yaml.MarkedYAMLError, text: str) -> Mistake:
    """The mistake behind one libyaml error."""
    mark, context = exc.problem_mark or exc.context_mark, exc.context_mark
    lines = LINE_BREAK.split(text)
    error = _Error(lines, exc.problem or "", exc.context or "",
                   mark.line if mark else 0, mark.column if mark else 0,
                   context.line if context else None, context.column if context else None)
    for rule in _RULES:
        try:
            found = rule(error)
        except (IndexError, ValueError, TypeError, AttributeError):  # pragma: no cover
            continue  # a text no rule foresaw: libyaml's own words beat a traceback
        if found is not None:
            return found
    return _libyaml_words(error)


def _tab(e: _Error) -> Mistake | None:
    tabbed = [n for n, line in enumerate(e.lines) if re.match(r"[ -]*\t", line)]
    at_mark = e.lines[e.line][e.col: e.col + 1] == "\t" if e.line < len(e.lines) else False
    if at_mark and e.line not in tabbed:
        tabbed = sorted([e.line, *tabbed])
    before = [n for n in tabbed if n <= e.line]
    if not before:
        return None
    first = before[0]
    others = [str(n + 1) for n in tabbed if n != first]
    more = f" (lines {_series(others)} too)" if len(others) > 1 else (
        f" (line {others[0]} too)" if others else "")
    col = e.col if at_mark and first == e.line else e.lines[first].index("\t")
    return Mistake(f"invalid YAML: {TAB}{more}", first, col)


def _curly_quote(e: _Error) -> Mistake | None:
    for n in _lines_up_to(e, 2):
        match = _VALUE.match(e.lines[n])
        if match and match[2][:1] in _CURLY:
            curly = match[2][0]
            straight = str(_CURLY[curly])
            fixed = e.lines[n].translate(str.maketrans(_CURLY))
            return Mistake(f"invalid YAML: the value starts with a curly quote {curly}, which "
                           f"YAML does not read as a quote (a word processor or chat app typed "
                           f"it); use straight quotes {straight}…{straight}", n,
                           match.end(1), e.fix(n, fixed))
    return None


def _quote_closed_early(e: _Error) -> Mistake | None:
    """`title: 'Owner's work'` or `title: "PPC" management`: text after the closing quote."""
    if e.line >= len(e.lines):
        return None
    match = _VALUE.match(e.lines[e.line])
    if not match or not _quoted(match[2]):
        return None
    start = match.end(1)
    close = _closing_quote(e.lines[e.line], start)
    if close is None or close >= e.col:
        return None
    rest = e.lines[e.line][close + 1:].strip()
    if not rest or rest.startswith("#"):
        return None
    fixed = e.fix(e.line, e.lines[e.line][:start] + _double_quoted(match[2]))
    if match[2][0] == "'" and rest[0].isalnum():
        word = re.findall(r"\S*$", e.lines[e.line][:close])[0] + "'" + rest.split()[0]
        return Mistake(f"invalid YAML: the apostrophe in {word.lstrip(chr(39))} ends the quoted "
                       "text; inside single quotes write it twice ('') or put the value in "
                       "double quotes", e.line, close, fixed)
    return Mistake("invalid YAML: the quoted text ends before the value does; put the whole "
                   "value in quotes", e.line, close, fixed)


def _unclosed_quote(e: _Error) -> Mistake | None:
    """A value that opens a quote and does not close it on its line. A quoted value may go on
    over several lines, but then it closes at the end of a line; the quote of an unclosed
    one is closed by the next quote in the file, which opens some other value."""
    n = 0
    while n <= min(e.line, len(e.lines) - 1):
        match = _VALUE.match(e.lines[n])
        if match and _quoted(match[2]) and _closing_quote(e.lines[n], match.end(1)) is None:
            quote, col = match[2][0], match.end(1)
            end = _closing_after(e.lines, n, quote)
            if end is None or e.lines[end[0]][end[1] + 1:].strip()[:1] not in ("", "#"):
                where = (f" (YAML read on to line {e.line + 1}, column {e.col + 1})"
                         if e.line > n else "")
                return Mistake(f"invalid YAML: close the quote {quote} opened at line {n + 1}, "
                               f"column {col + 1}{where}", n, col,
                               e.fix(n, e.lines[n].rstrip() + quote))
            n = end[0]
        n += 1
    return None


def _unclosed_bracket(e: _Error) -> Mistake | None:
    if e.context not in ("while parsing a flow sequence", "while parsing a flow mapping"):
        return None
    if e.context_line is None or e.context_col is None or e.context_line >= e.line:
        return None
    opened = e.lines[e.context_line][e.context_col]
    closer = "]" if opened == "[" else "}"
    return Mistake(f"invalid YAML: close the bracket {opened} opened at line "
                   f"{e.context_line + 1}, column {e.context_col + 1} with {closer}",
                   e.context_line, e.context_col,
                   e.fix(e.context_line, e.lines[e.context_line].rstrip() + closer))


def _missing_space(e: _Error) -> Mistake | None:
    for n in reversed(_lines_up_to(e, 3)):
        line = e.lines[n]
        colon = _NO_SPACE_COLON.match(line)
        if colon and ": " not in line and colon[2] not in ("http", "https", "mailto"):
            at = colon.end()
            return Mistake(f"invalid YAML: put a space after the colon: "
                           f"'{colon[2]}: {line[at:].strip()}'", n, at,
                           e.fix(n, line[:at] + " " + line[at:]))
        dash = _NO_SPACE_DASH.match(line)
        if dash and not _KEY.match(line):
            at = dash.end()
            return Mistake(f"invalid YAML: put a space after '-' to start a list item: "
                           f"'- {line[at:].strip()}'", n, at,
                           e.fix(n, line[:at] + " " + line[at:]))
    return None


def _no_colon(e: _Error) -> Mistake | None:
    """`purpose Grow the shop`: libyaml reads on, looking for the colon, past the line."""
    if "could not find expected ':'" not in e.problem or e.context_line is None:
        return None
    line = e.lines[e.context_line]
    if _levels(line) or not _content(line):
        return None
    above = _previous(e.lines, e.context_line)
    item = _ITEM.match(e.lines[above]) if above is not None else None
    if above is not None and item and len(item[1]) == len(line) - len(line.lstrip()):
        return _not_an_item(e.context_line, above, len(item[1]))
    return _missing_colon(e.context_line, line)


def _not_an_item(n: int, item: int, col: int) -> Mistake:
    return Mistake(f"invalid YAML: line {n + 1} lines up with the list items above it (line "
                   f"{item + 1}) but does not start with '- '; make it an item, or indent it to "
                   "belong to the item above", n, col)


def _missing_colon(n: int, line: str) -> Mistake:
    return Mistake(f"invalid YAML: line {n + 1} is not 'key: value'; check it for a missing "
                   "colon", n, len(line) - len(line.lstrip()))


def _colon_in_value(e: _Error) -> Mistake | None:
    if "mapping values are not allowed" not in e.problem or e.line >= len(e.lines):
        return None
    key = _KEY.match(e.lines[e.line])
    if key is None or e.col <= key.end() - 1:
        return None
    value = e.lines[e.line][key.end():].strip()
    return Mistake(f"invalid YAML: the value of '{key[3]}' contains ': ', which YAML reads as "
                   f"the start of a key; put the whole value in quotes: "
                   f"{key[3]}: {_double_quoted(value)}", e.line, e.col,
                   e.fix(e.line, e.lines[e.line][:key.end()] + " " + _double_quoted(value)))


def _indentation(e: _Error) -> Mistake | None:
    if e.line >= len(e.lines):
        return None
    line = e.lines[e.line]
    if _ITEM.match(line):
        return _item_out_of_line(e)
    key = _KEY.match(line)
    above = _previous(e.lines, e.line)
    if key is None or above is None:
        return None
    indent, previous = len(key[1]), e.lines[above]
    levels = _levels(previous)
    if not levels:  # the line above is neither a key nor an item: its colon is missing
        return _missing_colon(above, previous)
    if indent > levels[-1] and _has_value(previous):
        return _deeper(e, indent, levels[-1], above)
    if indent < levels[-1]:
        return _shallower(e, indent, above)
    return None


def _deeper(e: _Error, indent: int, level: int, above: int) -> Mistake:
    name = _name(e.lines[above])
    spaces = indent - level
    return Mistake(f"invalid YAML: line {e.line + 1} is indented {_spaces(spaces)} deeper than "
                   f"{name} on line {above + 1}; keys of one block line up", e.line, 0,
                   e.fix(e.line, " " * level + e.lines[e.line].lstrip(" ")))


def _shallower(e: _Error, indent: int, above: int) -> Mistake | None:
    outer = next((n for n in range(above, -1, -1) if _content(e.lines[n])
                  and _levels(e.lines[n]) and _levels(e.lines[n])[0] <= indent), None)
    level = _levels(e.lines[above])[-1]
    if outer is None:
        first = next(n for n in range(len(e.lines)) if _content(e.lines[n]))
        return Mistake(f"invalid YAML: line {first + 1} is indented; the keys at the top of the "
                       "file start at the beginning of the line", first, 0,
                       e.fix(first, e.lines[first].lstrip(" ")))
    outer_levels = _levels(e.lines[outer])
    if indent in outer_levels:
        if _ITEM.match(e.lines[outer]) and outer_levels[0] == indent:
            return _not_an_item(e.line, outer, indent)
        return None
    return Mistake(f"invalid YAML: line {e.line + 1} is indented {_spaces(indent)}: more than "
                   f"{_name(e.lines[outer])} on line {outer + 1}, less than "
                   f"{_name(e.lines[above])} on line {above + 1}; keys of one block line up",
                   e.line, 0, e.fix(e.line, " " * level + e.lines[e.line].lstrip(" ")))


def _item_out_of_line(e: _Error) -> Mistake | None:
    col = len(_ITEM.match(e.lines[e.line])[1])  # type: ignore[index]
    above = _previous(e.lines, e.line)
    key = _KEY.match(e.lines[above]) if above is not None else None
    if above is not None and key and not key[2] and _has_value(e.lines[above]):
        return Mistake(f"invalid YAML: a list item on line {e.line + 1}, but '{key[3]}:' on line "
                       f"{above + 1} already has a value; write the list one way: all items in "
                       "[ ] on the key's line, or each item on a line of its own starting with "
                       "'- '", e.line, col)
    for n in range(e.line - 1, -1, -1):
        item = _ITEM.match(e.lines[n])
        if item and len(item[1]) != col and abs(len(item[1]) - col) <= 2:
            other = len(item[1])
            return Mistake(f"invalid YAML: the list item on line {e.line + 1} starts at column "
                           f"{col + 1}, the one on line {n + 1} at column {other + 1}; line "
                           "them up", e.line, 0,
                           e.fix(e.line, " " * other + e.lines[e.line].lstrip(" ")))
        if _content(e.lines[n]) and len(e.lines[n]) - len(e.lines[n].lstrip(" ")) < col - 2:
            return None
    return None


def _item_after_key(e: _Error) -> Mistake | None:
    """`skills: - Excel`: a block list cannot start on its key's line."""
    if "block sequence entries are not allowed" not in e.problem or e.line >= len(e.lines):
        return None
    key = _KEY.match(e.lines[e.line])
    if key is None:
        return None
    return Mistake(f"invalid YAML: a list cannot start on the line of its key; put "
                   f"'{e.lines[e.line][e.col:].strip()}' on a line of its own, indented under "
                   f"'{key[3]}:'", e.line, e.col)


def _reserved_start(e: _Error) -> Mistake | None:
    if e.line >= len(e.lines):
        return None
    match = _VALUE.match(e.lines[e.line])
    first = match[2][:1] if match else ""
    if first not in _QUOTES_NEEDED or match is None:
        return None
    if first in "[{" and "did not find expected key" not in e.problem:
        return None
    return Mistake(f"invalid YAML: '{first}' at the start of a value {_QUOTES_NEEDED[first]}; "
                   "put the whole value in quotes", e.line,
                   match.end(1),
                   e.fix(e.line, e.lines[e.line][:match.end(1)] + _double_quoted(match[2])))


def _libyaml_words(e: _Error) -> Mistake:
    message = f"invalid YAML: {e.problem or 'could not read this'}"
    if e.context and e.context_line is not None and e.context_line != e.line:
        message += f" ({e.context} at line {e.context_line + 1})"
    for needle, hint in _HINTS:
        if needle in e.problem or needle in e.context:
            message += f"; {hint}"
            break
    return Mistake(message, e.line, e.col)


_RULES: tuple[Callable[[_Error], Mistake | None], ...] = (
    _tab, _curly_quote, _quote_closed_early, _unclosed_quote, _unclosed_bracket,
    _missing_space, _no_colon, _colon_in_value, _item_after_key, _indentation, _reserved_start,
)


# --- reading lines ----------------------------------------------------------------------------

def _quoted(value: str) -> bool:
    return value[:1] in ("'", '"')


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _previous(lines: list[str], n: int) -> int | None:
    return next((m for m in range(n - 1, -1, -1) if _content(lines[m])), None)


def _lines_up_to(e: _Error, count: int) -> list[int]:
    """The error's line and the content lines just above it, top first."""
    found = [e.line] if e.line < len(e.lines) else []
    while len(found) < count and (above := _previous(e.lines, found[0] if found else
                                                       len(e.lines))) is not None:
        found.insert(0, above)
    return found


def _levels(line: str) -> list[int]:
    """Columns where a line opens a block: its item's '-', its key."""
    key = _KEY.match(line)
    if key:
        dash = [len(key[1])] if key[2] else []
        return [*dash, len(key[1]) + len(key[2] or "")]
    item = _ITEM.match(line)
    if item:
        rest = line[item.end():]
        return [len(item[1]), item.end() + len(rest) - len(rest.lstrip())]
    return []


def _has_value(line: str) -> bool:
    """True for `key: value` and `- value`, whose block is closed: no child can follow."""
    key = _KEY.match(line)
    rest = line[key.end():] if key else line[_ITEM.match(line).end():]  # type: ignore[union-attr]
    rest = rest.strip()
    return bool(rest) and not rest.startswith(("#", "|", ">", "&"))


def _name(line: str) -> str:
    key = _KEY.match(line)
    return f"'{key[3]}:'" if key else "the list item"


def _spaces(n: int) -> str:
    return "1 space" if n == 1 else f"{n} spaces"


def _series(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else items[0]


def _closing_quote(line: str, start: int) -> int | None:
    """Column of the quote that closes the one at `start` on the same line."""
    quote, n = line[start], start + 1
    while n < len(line):
        if quote == '"' and line[n] == "\\":
            n += 2
            continue
        if line[n] == quote:
            if quote == "'" and line[n + 1: n + 2] == "'":
                n += 2
                continue
            return n
        n += 1
    return None


def _closing_after(lines: list[str], n: int, quote: str) -> tuple[int, int] | None:
    """Where a quote left open on line n is closed on a later line, as YAML reads it."""
    for m in range(n + 1, len(lines)):
        probe = quote + lines[m]  # reuse the one-line scanner from the start of the line
        close = _closing_quote(probe, 0)
        if close is not None:
            return m, close - 1
    return None


def _double_quoted(value: str) -> str:
    """A value as YAML double quotes write it; a trailing comment stays outside."""
    text = value.strip()
    if text[:1] in "'\"" and text[-1:] == text[:1] and len(text) > 1:
        text = text[1:-1]
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- valid YAML that is almost certainly a slip ------------------------------------------------

_COMMENT_SUSPECT = re.compile(r"(?<= )#\S")
_DASH_SUSPECT = re.compile(r"\n *-[A-Za-z]")
_KEY_LIKE = re.compile(r" *([a-z][a-z_]*): +\S")


@dataclass(frozen=True)
class Slip:
    """A warning at a 0-based line and column; `key` is set for a line inside a block of
    text that reads like a key, which is a slip only if the word is a playbook key."""

    message: str
    line: int
    col: int
    key: str | None = None


Span = tuple[str, int, int, int, str]
"""Text the parse saw span lines (strict_yaml.Block): style, first line, end, text."""


def slips(text: str, spans: list[Span]) -> list[Slip]:
    """Warnings for valid YAML that does not say what its author meant. The parse notes
    the values that span lines: blocks of text (`|`, `>`) are read for swallowed keys,
    plain text for list items folded into it. Cheap patterns pick the rare files worth
    parsing again for the other slips ('-item', ' #' cutting a value short)."""
    suspect = bool(_DASH_SUSPECT.search("\n" + text) or ("#" in text and any(
        text[text.rfind("\n", 0, m.start()) + 1: m.start()].strip()  # not a comment line
        for m in _COMMENT_SUSPECT.finditer(text))))
    if not spans and not suspect:
        return []
    lines = text.splitlines()  # as YAML splits text it accepted (no \v, \f or \x1c-\x1e)
    found: list[Slip] = []
    for style, start, end_line, end_col, value in spans:
        if style:
            found += _swallowed_keys(start, end_line, end_col, lines)
        elif not _dash_item(lines, start, value):
            found += _folded_items(start, end_line, value, lines)
    if suspect:
        for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if isinstance(event, yaml.ScalarEvent) and not event.style:
                found.extend(_plain_slips(event, lines))
    return sorted(found, key=lambda slip: (slip.line, slip.col))


def _swallowed_keys(start: int, end_line: int, end_col: int, lines: list[str]) -> list[Slip]:
    """Keys swallowed by a block of text sit at its end; a key-like line followed by prose
    is prose ("note: ..." in a step)."""
    last = end_line if end_col == 0 else end_line + 1  # it ends at the next line's start
    found: list[Slip] = []
    for n in reversed(range(start + 1, min(last, len(lines)))):
        key = _KEY_LIKE.match(lines[n])
        if key is None and _content(lines[n]):
            break
        if key:
            owner = _name(lines[start])
            found.insert(0, Slip(
                f"line {n + 1} reads like the key '{key[1]}:' but is part of the text of "
                f"{owner} on line {start + 1}; if it is a key, indent it like {owner}",
                n, key.start(1), key[1]))
    return found


def _dash_item(lines: list[str], line: int, value: str) -> bool:
    """`-Excel` alone at the start of its line: an item missing the space after '-'."""
    text = lines[line] if line < len(lines) else ""
    return bool(re.fullmatch(r"-[A-Za-z]", value[:2])) and text.lstrip(" ").startswith(value[:2])


def _folded_items(start: int, end_line: int, value: str, lines: list[str]) -> list[Slip]:
    found = []
    for n in range(start + 1, min(end_line + 1, len(lines))):
        stripped = lines[n].lstrip(" ")
        if stripped.startswith("- ") and not _wrapped(lines, n):
            found.append(Slip(
                f"line {n + 1} is read as more of the text on line {start + 1}, not as a "
                f"new list item: YAML joins them into '{_short(value)}'; line up its '-' "
                "with the '-' above it", n, len(lines[n]) - len(stripped)))
    return found


def _plain_slips(event: yaml.ScalarEvent, lines: list[str]) -> list[Slip]:
    """'-item' and ' #' after a value: the slips no span shows (folds come from spans)."""
    start, end = event.start_mark, event.end_mark
    found: list[Slip] = []
    if start is None or end is None:
        return found
    if _dash_item(lines, start.line, event.value):
        return [Slip(f"'{_short(event.value)}' is text, not a list item; put a space after "
                     "'-' to make it one", start.line, start.column + 1)]
    if end.line < len(lines):
        after = lines[end.line][end.column:]
        comment = re.match(r" +(#\S.*)", after)
        if comment:
            value = repr(_short(event.value)) if event.value else "empty"
            found.append(Slip(
                f"'{comment[1]}' is read as a comment, so the value is {value}; put the whole "
                "value in quotes", end.line, end.column + after.index("#")))
    return found


def _wrapped(lines: list[str], n: int) -> bool:
    """A line continued after it ran past 80 columns: how YAML writers (PyYAML) wrap long
    text, which can put a ' - ' from the text at the start of a line. People who slip
    indent an item under a line of ordinary length."""
    return len(lines[n - 1].rstrip()) > 80


def _short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
