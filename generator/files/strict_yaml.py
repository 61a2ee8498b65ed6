"""Strict YAML: one document of plain data, every value traceable to `line:col`.

PyYAML's defaults are the wrong ones for hand-edited business files: `on: monday`
loads as `{True: 'monday'}`, `12:30` as 750 and `0755` as 493, duplicate keys
silently keep the last value, and a deeply nested or alias-heavy file can crash
or hang the process. So we read libyaml's *events* (fast, and iterative, so depth
cannot overflow the C stack) and build the data ourselves with a tiny resolver:
only `true`/`false` are booleans, only plain decimal numbers are numbers, the
rest is text. Positions are not stored while loading (the common case has no
errors); `Source.mark()` re-reads the text the first time a message needs one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

from .yaml_mistakes import LINE_BREAK as _LINE_BREAK
from .yaml_mistakes import Slip, explain, slips

MAX_BYTES = 1024 * 1024
"""A role or procedure file is a few KiB; a megabyte is a mistake, not a playbook."""
MAX_VALUES = 100_000
"""Upper bound on values in one file after expanding aliases (stops alias bombs)."""
MAX_DEPTH = 64
"""Deeper nesting than this is never a playbook and only costs memory."""
DEEP_MESSAGE = f"nested more than {MAX_DEPTH} levels deep; flatten the structure"

Loc = tuple[str | int, ...]
_TAG_MESSAGE = "YAML tags such as '{tag}' are not supported; write the value plainly"
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\.[0-9]+\Z")
_WORDS: dict[str, Any] = {"": None, "~": None, "null": None, "true": True, "false": False}
_NUMBER_START = frozenset("+-0123456789")
_STR = "tag:yaml.org,2002:str"
_PLAIN_TAGS = frozenset({None, "!", _STR})

try:  # libyaml's C parser is ~9x faster; fall back to pure Python where it is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


class YamlProblem(Exception):
    """A file that cannot be read as strict YAML; line and col are 1-based."""

    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.message, self.line, self.col = message, line, col
        self.also: list[YamlProblem] = []
        """Further mistakes in the same file, where they could be told apart."""


@dataclass
class Source:
    """One file: its text, the data built from it, and positions on demand."""

    path: Path
    name: str
    text: str
    data: Any
    slips: list[Slip] = field(default_factory=list)
    """Valid YAML that is almost certainly not what was meant (yaml_mistakes.slips)."""
    _marks: dict[Loc, tuple[int, int]] | None = field(default=None, repr=False)
    _key_marks: dict[Loc, tuple[int, int]] | None = field(default=None, repr=False)

    def mark(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """1-based (line, col) of the value at `loc`, or of its key with `key=True`.

        A loc that does not exist (a missing field) falls back to its nearest
        existing parent, which is where the user has to add it.
        """
        if self._marks is None or self._key_marks is None:
            self._marks, self._key_marks = {}, {}
            _Builder(self._marks, self._key_marks).build(self.text)
        if key and loc in self._key_marks:
            return self._key_marks[loc]
        while loc not in self._marks and loc:
            loc = loc[:-1]
        return self._marks.get(loc, (1, 1))


def read(path: Path, name: str) -> Source:
    """Read one YAML file strictly; raise `YamlProblem` for anything unusable."""
    return from_bytes(path, name, read_bytes(path))


def read_bytes(path: Path) -> bytes:
    """A file's bytes, refused before reading when it is too big to be a playbook file."""
    with path.open("rb") as stream:  # the size of the file opened: one look-up, no race
        size = os.fstat(stream.fileno()).st_size
        if size > MAX_BYTES:
            raise YamlProblem(
                f"file is {-(-size // 1024)} KiB, over the {MAX_BYTES // 1024} KiB limit for "
                "one playbook file; split it (one file per role or procedure)"
            )
        return stream.read()


def from_bytes(path: Path, name: str, raw: bytes) -> Source:
    """The strict reading of bytes already read from `path` (separate from `read`, so that
    the parse cache can look the bytes up before anything is parsed)."""
    text = decode(raw)
    data, blocks = parse_with_blocks(text)
    return Source(path, name, text, data, slips(text, blocks))


def decode(raw: bytes) -> str:
    """UTF-8 with or without a byte-order mark; anything else names the bad byte."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Notepad's "Unicode"
        raise YamlProblem("file is saved as UTF-16; save it as UTF-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _end_of(raw[: exc.start].decode("utf-8"))  # characters, not bytes
        raise YamlProblem(
            f"file is not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8", line, col
        ) from None


def parse(text: str) -> Any:
    """The plain data of one YAML document (None for an empty one)."""
    return parse_with_blocks(text)[0]


Block = tuple[str, int, int, int, str]
"""Text that spans lines: its style ('|', '>', or '' for plain text continued on the next
lines), 0-based first line, the line and column it ends at, and the text."""


def parse_with_blocks(text: str) -> tuple[Any, list[Block]]:
    """The data, and where its blocks of text are (see yaml_mistakes.slips).

    Well-formed files take the fast path: libyaml composes the node tree in C and
    `_convert` turns it into data. Anything unusual (a syntax error, a tag, a
    duplicate key, deep nesting, heavy aliasing) goes to the event builder, which
    is slower but never recurses and says exactly where the problem is.
    """
    if _fast_path_safe(text):
        blocks: list[Block] = []
        try:
            return _convert(yaml.compose(text, Loader=_Composer), blocks), blocks
        except (_Fallback, yaml.YAMLError):
            pass
    builder = _Builder(None, None)
    return builder.build(text), builder.blocks


class _Composer(_Loader):  # type: ignore[misc, valid-type]
    """libyaml's composer with no implicit types: every node gets its kind's default tag,
    or its explicit tag, which `_convert` refuses."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        return self.DEFAULT_TAGS[kind]  # type: ignore[no-any-return]

    # Path resolvers are never registered; the composer calls these once per node.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    DEFAULT_TAGS: ClassVar[dict[type, str]] = {
        yaml.ScalarNode: _STR,
        yaml.SequenceNode: "tag:yaml.org,2002:seq",
        yaml.MappingNode: "tag:yaml.org,2002:map",
    }


class _Fallback(Exception):
    """The fast path met something only the event builder reports well."""


_STRUCTURE = re.compile(r"[\[{:?-]")
_TAG = re.compile(r"(?:^|[\s\[{,:-])!")
_FAST_DEPTH_LIMIT = 10_000
"""libyaml's composer recurses in C: nesting depth is bounded by the number of
characters that can open a level, and 20,000 levels were seen to be safe."""


def _fast_path_safe(text: str) -> bool:
    if "!" in text and _TAG.search(text):
        return False
    # A text shorter than the limit cannot hold that many openers: most files are not
    # counted at all (counting every ':' and '-' of every file showed in a check's time).
    return len(text) < _FAST_DEPTH_LIMIT or len(_STRUCTURE.findall(text)) < _FAST_DEPTH_LIMIT


def _convert(node: yaml.Node | None, blocks: list[Block]) -> Any:
    """Node tree -> plain data; aliases share one converted value and count their size."""
    if node is None:
        return None
    done: dict[int, tuple[Any, int]] = {}
    value, size = _convert_node(node, done, 0, blocks)
    if size > MAX_VALUES:
        raise _Fallback
    return value


def _convert_node(node: yaml.Node, done: dict[int, tuple[Any, int]], depth: int,
                  blocks: list[Block]) -> tuple[Any, int]:
    known = done.get(id(node))
    if known is not None:
        return known
    if depth >= MAX_DEPTH:
        raise _Fallback
    if isinstance(node, yaml.ScalarNode):
        if node.tag != _STR:
            raise _Fallback
        result = _scalar_value(node, blocks), 1
    elif isinstance(node, yaml.SequenceNode):
        result = _sequence(node, done, depth, blocks)
    elif isinstance(node, yaml.MappingNode):
        result = _mapping(node, done, depth, blocks)
    else:  # pragma: no cover - libyaml composes no other kind
        raise _Fallback
    if result[1] > MAX_VALUES:
        raise _Fallback
    done[id(node)] = result
    return result


def _sequence(node: yaml.SequenceNode, done: dict[int, tuple[Any, int]], depth: int,
              blocks: list[Block]) -> tuple[list[Any], int]:
    items: list[Any] = []
    size = 1
    inline = depth + 1 < MAX_DEPTH  # most values are scalars: converted here, no recursion
    for child in node.value:
        if inline and child.__class__ is _ScalarNode and child.tag == _STR:
            items.append(_scalar_value(child, blocks))
            size += 1
        else:
            item, child_size = _convert_node(child, done, depth + 1, blocks)
            items.append(item)
            size += child_size
    return items, size


def _mapping(node: yaml.MappingNode, done: dict[int, tuple[Any, int]], depth: int,
             blocks: list[Block]) -> tuple[dict[str, Any], int]:
    mapping: dict[str, Any] = {}
    size = 1
    inline = depth + 1 < MAX_DEPTH
    for key_node, value_node in node.value:
        key = key_node.value
        if key_node.__class__ is not _ScalarNode or key in mapping or (
                key == "<<" and not key_node.style):
            raise _Fallback  # the event builder says which key, and where
        if inline and value_node.__class__ is _ScalarNode and value_node.tag == _STR:
            mapping[key] = _scalar_value(value_node, blocks)
            size += 1
        else:
            mapping[key], child_size = _convert_node(value_node, done, depth + 1, blocks)
            size += child_size
    return mapping, size


_ScalarNode = yaml.ScalarNode


def _scalar_value(node: Any, blocks: list[Block]) -> Any:
    """A scalar's value: quoted and block text as it is (a block noted for slips), plain
    text through `_plain`; plain text continued on the next lines is noted too (a list
    item folded into it is the most common silent slip). One call per value: this runs
    for every value of every file."""
    if node.style:
        if node.style in ("|", ">"):
            _note(node, blocks)
        return node.value
    if node.start_mark.line != node.end_mark.line:
        _note(node, blocks)
    value = node.value
    if value in _WORDS or value[0] in _NUMBER_START:  # `_plain`'s own first tests
        return _plain(value)
    return value  # a word: text, as most values are


def _spans_lines(node: Any) -> bool:
    return node.start_mark.line != node.end_mark.line  # type: ignore[no-any-return]


def _note(node: Any, blocks: list[Block]) -> None:
    start, end = node.start_mark, node.end_mark
    blocks.append((node.style or "", start.line, end.line, end.column, node.value))


def _plain(value: str) -> Any:
    """Plain text is text, except null, true, false and plain decimal numbers. Most plain
    values are words, which one look-up and their first character tell apart."""
    if value in _WORDS:
        return _WORDS[value]
    if value[0] not in _NUMBER_START:
        return value
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value


def _scalar(event: yaml.ScalarEvent) -> Any:
    if event.tag not in _PLAIN_TAGS:
        raise _at(event, _TAG_MESSAGE.format(tag=event.tag))
    if event.style or event.tag is not None:  # quoted, block or '!!str': always text
        return event.value
    return _plain(event.value)


def _at(event: Any, message: str) -> YamlProblem:
    mark = event.start_mark
    return YamlProblem(message, mark.line + 1, mark.column + 1)


class _Frame:
    __slots__ = ("anchor", "container", "first_seen", "key", "key_event", "loc", "start")

    def __init__(self, container: Any, loc: Loc, anchor: str | None, start: int) -> None:
        self.container = container
        self.loc = loc
        self.key: str | None = None
        self.key_event: Any = None
        self.first_seen: dict[str, int] = {}
        self.anchor = anchor
        self.start = start


class _Builder:
    """Turns libyaml events into dicts, lists and scalars without recursion."""

    def __init__(
        self,
        marks: dict[Loc, tuple[int, int]] | None,
        key_marks: dict[Loc, tuple[int, int]] | None,
    ) -> None:
        self.marks, self.key_marks = marks, key_marks
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.count = 0
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = 0
        self.blocks: list[Block] = []

    def build(self, text: str) -> Any:
        try:
            for event in yaml.parse(text, Loader=_Loader):
                self._event(event)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            if "maximum nesting depth" in str(exc.problem) and mark is not None:
                # libyaml stops at 1,000 levels; ours is MAX_DEPTH, so point at where that
                # was crossed: the text up to libyaml's mark is shallow enough to build.
                _Builder(None, None).build(text[: mark.index])
            raise syntax_problems(exc, text) from None
        except yaml.reader.ReaderError as exc:  # a control character; no mark, only a position
            raise _reader_problem(exc, text) from None
        except yaml.YAMLError as exc:
            raise YamlProblem(f"invalid YAML: {exc}") from None
        return self.root

    def _event(self, event: Any) -> None:
        if isinstance(event, yaml.ScalarEvent):
            if event.style in ("|", ">") or (not event.style and _spans_lines(event)):
                _note(event, self.blocks)
            self._value(event, _scalar(event) if self._expects_value() else None)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._open(event)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self._close()
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event)
        elif isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise _at(event, "only one YAML document per file; remove this '---' and "
                          "what follows")

    def _expects_value(self) -> bool:
        return not self.stack or not isinstance(self.stack[-1].container, dict) or (
            self.stack[-1].key is not None
        )

    def _value(self, event: Any, value: Any, *, size: int = 1) -> None:
        self.count += size
        if self.count > MAX_VALUES:
            raise _at(
                event,
                f"file expands to over {MAX_VALUES:,} values; YAML aliases (*name) that "
                "repeat each other (an 'alias bomb') are not allowed",
            )
        if isinstance(event, yaml.ScalarEvent) and event.anchor:
            self.anchors[event.anchor] = (value, 1)
        if not self.stack:
            self.root = value
            self._mark((), event)
            return
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            self._mark(frame.loc + (len(frame.container),), event)
            frame.container.append(value)
        elif frame.key is None:
            self._key(frame, event)
        else:
            self._mark(frame.loc + (frame.key,), event)
            frame.container[frame.key] = value
            frame.key = None

    def _key(self, frame: _Frame, event: Any) -> None:
        if not isinstance(event, yaml.ScalarEvent) or event.start_mark is None:
            raise _at(event, "a key must be plain text, not a list or mapping")
        key = event.value
        if key == "<<" and not event.style:
            raise _at(event, "merge keys ('<<') are not supported; write the keys out")
        line = event.start_mark.line + 1
        if key in frame.first_seen:
            raise _at(event, f"duplicate key '{key}' (first at line {frame.first_seen[key]}); "
                      "remove one")
        frame.first_seen[key] = line
        frame.key = key
        if self.key_marks is not None:
            self.key_marks[frame.loc + (key,)] = (line, event.start_mark.column + 1)

    def _mark(self, loc: Loc, event: Any) -> None:
        if self.marks is not None:
            self.marks[loc] = (event.start_mark.line + 1, event.start_mark.column + 1)

    def _open(self, event: Any) -> None:
        if event.tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            raise _at(event, _TAG_MESSAGE.format(tag=event.tag))
        if len(self.stack) >= MAX_DEPTH:
            raise _at(event, DEEP_MESSAGE)
        container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
        if self.stack and isinstance(self.stack[-1].container, dict) and self.stack[-1].key is None:
            raise _at(event, "a key must be plain text, not a list or mapping")
        parent_loc = self._child_loc()
        self._value(event, container)
        self.stack.append(_Frame(container, parent_loc, event.anchor, self.count))

    def _child_loc(self) -> Loc:
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return frame.loc + (len(frame.container),)
        return frame.loc + (frame.key,)  # type: ignore[operator]

    def _close(self) -> None:
        frame = self.stack.pop()
        if frame.anchor:
            self.anchors[frame.anchor] = (frame.container, self.count - frame.start + 1)

    def _alias(self, event: Any) -> None:
        if event.anchor not in self.anchors:
            raise _at(event, f"alias '*{event.anchor}' refers to no anchor "
                      f"'&{event.anchor}' above it")
        value, size = self.anchors[event.anchor]
        if self.stack and isinstance(self.stack[-1].container, dict) and self.stack[-1].key is None:
            raise _at(event, "a key must be plain text, not an alias")
        self._value(event, value, size=size)


MAX_SYNTAX_ERRORS = 10
"""Mistakes reported per file: beyond that the file needs a fresh look, not a list."""


def syntax_problems(exc: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    """The mistake behind a libyaml error, with the mistakes after it in `also`.

    After a mistake whose fix is certain (see yaml_mistakes), the fixed text is parsed
    again: an error further down is then a mistake of its own. An error at or above the
    last one means the fix was not the whole story, and the search stops there.
    """
    if exc.problem and "maximum nesting depth" in exc.problem:  # libyaml's own limit
        mark = exc.problem_mark
        return YamlProblem(DEEP_MESSAGE, *(_in_text(text, mark.line + 1, mark.column + 1)
                                           if mark else (1, 1)))
    found: list[YamlProblem] = []
    mistake = explain(exc, text)
    while True:
        found.append(YamlProblem(mistake.message, *_in_text(text, mistake.line + 1,
                                                            mistake.col + 1)))
        if mistake.fixed is None or len(found) == MAX_SYNTAX_ERRORS:
            break
        try:
            for _ in yaml.parse(mistake.fixed, Loader=_Loader):
                pass
            break
        except yaml.MarkedYAMLError as again:
            following = explain(again, mistake.fixed)
            if following.line <= mistake.line or "nesting depth" in str(again.problem):
                break
            mistake = following
        except yaml.YAMLError:
            break
    first = found[0]
    first.also = found[1:]
    return first


def _end_of(before: str) -> tuple[int, int]:
    """1-based (line, col) of the character that follows `before`."""
    lines = _LINE_BREAK.split(before)
    return len(lines), len(lines[-1]) + 1


def _in_text(text: str, line: int, col: int) -> tuple[int, int]:
    """libyaml puts the end of a file that lacks a final line break on the line after it,
    which no editor can go to: point at the end of the last line instead."""
    lines = _LINE_BREAK.split(text)
    if line > len(lines):
        return len(lines), len(lines[-1]) + 1
    return line, col


def _reader_problem(exc: yaml.reader.ReaderError, text: str) -> YamlProblem:
    """A character YAML does not allow, at its line and column (one line of message)."""
    if _Loader is yaml.SafeLoader:  # pragma: no cover - the pure-Python reader counts characters
        before = text[: exc.position]
    else:  # libyaml counts bytes of the UTF-8 text
        before = text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore")
    character = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return YamlProblem(
        f"invalid YAML: control character U+{character:04X} is not allowed; delete it",
        *_end_of(before),
    )
