"""Read a notice file into the model: find it, decode it, parse it safely, validate it.

Every way a file can be wrong becomes a :class:`DataError` naming the file, the line and
the YAML path; nothing else escapes. YAML is read event by event with the safe (C, when
available) parser, so aliases, Python tags, duplicate keys and runaway nesting are refused
before any object is built. Numbers are bounded: an integer must be written plainly in
decimal (YAML 1.1's 022, 1:00:00, 0x1F, 0b101, 1_000, +12 are refused, never reinterpreted)
with at most 18 digits, and a decimal amount (a figure's ``value`` and ``yuan``) has at most 18
digits before and 10 after the point. Text is never bounded so: a heading of digits alone is text.
"""

from __future__ import annotations

import os
import stat
from functools import lru_cache
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any, Callable

from rectcli.errors import DataError
from rectcli.notice.model import Notice

if TYPE_CHECKING:  # checks and schema load only when a file is parsed, not on a cache hit
    from rectcli.notice.checks import Lines, Problem

ENV_VAR = "RECTCLI_DATA"
MAX_BYTES = 8 * 1024 * 1024  # a notice is tens of KB; refuse anything absurd before reading it
MAX_DEPTH = 32  # the format nests 6 deep; libyaml's composer crashes on very deep input
# Numbers: an integer has at most 18 digits (it fits in 64 bits; Python refuses to convert
# more than 4300 digits at all), a decimal amount at most 18 before and 10 after the point
# (28 significant digits, so amounts stay exact in decimal's default context even in 元).
MAX_DIGITS = 18
MAX_PLACES = 10
AMOUNT_KEYS = frozenset({"value", "yuan"})  # the keys whose values are decimal amounts (the schema's $defs/decimal)


def bundled_path() -> FsPath:
    """The notice shipped inside the package (or, in a source checkout, top-level data/).

    The wheel installs it as a plain file beside this module, so a path relative to
    ``__file__`` is the package resource (importlib.resources would cost ~18 ms of start-up).
    """
    package = FsPath(__file__).resolve().parents[1]
    packaged = package / "data" / "notice.yaml"
    if packaged.is_file():
        return packaged
    return package.parents[1] / "data" / "notice.yaml"


def resolve_path(data: str | os.PathLike[str] | None = None) -> FsPath:
    """``--data`` beats ``$RECTCLI_DATA`` beats the bundled notice."""
    chosen = data if data not in (None, "") else os.environ.get(ENV_VAR) or None
    return FsPath(chosen) if chosen is not None else bundled_path()


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    """The JSON Schema of format 2 (shipped beside the bundled notice)."""
    import json

    here = FsPath(str(bundled_path())).with_name("notice.schema.json")
    return json.loads(here.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_schema_v1() -> dict[str, Any]:
    """The JSON Schema of format 1 (rectcli 1.x), for reading its files."""
    import json

    return json.loads((FsPath(__file__).resolve().parent / "schema-v1.json").read_text(encoding="utf-8"))


def read_text(path: FsPath) -> str:
    """The file's text: UTF-8 (with or without BOM), else GB18030/GBK; clear errors otherwise."""
    raw, _ = read_bytes(path)
    return decode(raw, str(path))


def read_bytes(path: FsPath) -> tuple[bytes, os.stat_result]:
    """The file's bytes and its stat, refusing what is not a sensible notice file."""
    name = str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise DataError(f"{name}: no such file; pass --data PATH or set {ENV_VAR}") from None
    except OSError as e:
        raise DataError(f"{name}: cannot read: {e.strerror or e}") from None
    if stat.S_ISDIR(st.st_mode):
        raise DataError(f"{name}: is a directory, not a notice file")
    if not stat.S_ISREG(st.st_mode):
        raise DataError(f"{name}: not a regular file")
    if st.st_size > MAX_BYTES:
        raise DataError(f"{name}: {st.st_size:,} bytes is too large for a notice file "
                        f"(the limit is {MAX_BYTES // (1024 * 1024)} MiB)")
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise DataError(f"{name}: cannot read: {e.strerror or e}") from None
    return raw, st


def decode(raw: bytes, name: str) -> str:
    if b"\x00" in raw:
        raise DataError(f"{name}: binary data (NUL bytes), not a YAML notice file")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise DataError(f"{name}: not valid UTF-8 (byte {utf8_error.start}) "
                            "nor GB18030/GBK text") from None
        if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
            raise DataError(f"{name}: not valid UTF-8 (byte {utf8_error.start}) "
                            "and not Chinese text in GB18030/GBK either")
    if not text.strip():
        raise DataError(f"{name}: empty file")
    return text


def parse_yaml(text: str, name: str) -> tuple[Any, Lines]:
    """Plain data from YAML text, plus the line of every value, keyed by its path."""
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_cls(text)
    builder = _Builder(loader, name)
    try:
        try:
            return builder.build()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        problem = e.problem or e.context or "unreadable"
        raise DataError(f"{where}: malformed YAML: {problem}") from None
    except yaml.YAMLError as e:
        raise DataError(f"{name}: malformed YAML: {str(e).splitlines()[0]}") from None


class _Builder:
    """Turn the parser's event stream into dicts, lists and scalars, recording lines."""

    def __init__(self, loader: Any, name: str) -> None:
        self.loader = loader
        self.name = name
        self.lines: Lines = {}

    def fail(self, event: Any, message: str) -> DataError:
        return DataError(f"{self.name}:{event.start_mark.line + 1}: {message}")

    def build(self) -> tuple[Any, Lines]:
        import yaml

        loader = self.loader
        loader.get_event()  # StreamStart
        if loader.check_event(yaml.StreamEndEvent):
            raise DataError(f"{self.name}: empty file (no YAML document)")
        loader.get_event()  # DocumentStart
        value = self.node((), 0)
        loader.get_event()  # DocumentEnd
        if not loader.check_event(yaml.StreamEndEvent):
            raise self.fail(loader.peek_event(), "more than one YAML document; a notice file holds one")
        return value, self.lines

    def node(self, path: tuple[Any, ...], depth: int) -> Any:
        import yaml

        event = self.loader.get_event()
        self.lines[path] = event.start_mark.line + 1
        if depth > MAX_DEPTH:
            raise self.fail(event, f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise self.fail(event, "YAML anchors and aliases (&name, *name) are not allowed in a notice file")
        if isinstance(event, yaml.ScalarEvent):
            return self.scalar(event, path)
        tag = event.tag
        if isinstance(event, yaml.SequenceStartEvent):
            if tag not in (None, "!", "tag:yaml.org,2002:seq"):
                raise self.fail(event, f"YAML tag {tag} is not allowed")
            items: list[Any] = []
            while not self.loader.check_event(yaml.SequenceEndEvent):
                items.append(self.node(path + (len(items),), depth + 1))
            self.loader.get_event()
            return items
        if isinstance(event, yaml.MappingStartEvent):
            if tag not in (None, "!", "tag:yaml.org,2002:map"):
                raise self.fail(event, f"YAML tag {tag} is not allowed")
            mapping: dict[Any, Any] = {}
            while not self.loader.check_event(yaml.MappingEndEvent):
                key_event = self.loader.peek_event()
                if not isinstance(key_event, yaml.ScalarEvent):
                    raise self.fail(key_event, "mapping keys must be plain text")
                key = self.node(path + ("<key>",), depth + 1)
                if not isinstance(key, (str, int)) or isinstance(key, bool):
                    raise self.fail(key_event, f"mapping key {key!r} must be text")
                key = str(key)
                if key in mapping:
                    from rectcli.notice.schema import format_path

                    raise self.fail(key_event, f"{format_path(path + (key,))}: duplicate key '{key}'")
                mapping[key] = self.node(path + (key,), depth + 1)
            self.lines.pop(path + ("<key>",), None)
            self.loader.get_event()
            return mapping
        raise self.fail(event, f"unexpected YAML event {type(event).__name__}")

    def scalar(self, event: Any, path: tuple[Any, ...]) -> Any:
        import yaml

        value = event.value
        if event.tag not in (None, "!") and not event.tag.startswith("tag:yaml.org,2002:"):
            raise self.fail(event, f"YAML tag {event.tag} is not allowed")
        tag = event.tag
        if tag in (None, "!"):
            tag = self.loader.resolve(yaml.ScalarNode, value, event.implicit)
        if tag == "tag:yaml.org,2002:int":
            return self.integer(event, path, tag)
        if tag in ("tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:str"):
            # Never let a number pass through float: keep exactly what was written, but bounded
            # where it is an amount (a heading or a paragraph of digits alone is text)
            problem = decimal_problem(value) if path and path[-1] in AMOUNT_KEYS else ""
            if problem:
                raise self.fail(event, f"{_where(path)}{problem}")
            return value
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError):
            raise self.fail(event, f"cannot read value {value!r} as {tag.rpartition(':')[2]}") from None

    def integer(self, event: Any, path: tuple[Any, ...], tag: str) -> int:
        """Only a plain decimal integer (``-?[0-9]+``, no leading zero unless it is 0) of at most
        :data:`MAX_DIGITS` digits. YAML 1.1 also reads 022 (octal 18), 1:00:00 (base 60, 3600),
        0x1F, 0b101, 1_000 and +12 as integers; a notice never means those, so they are refused
        rather than silently turned into another number."""
        import yaml

        value = event.value
        digits = value.lstrip("+-")
        if len(digits) > MAX_DIGITS:
            raise self.fail(event, f"{_where(path)}number too long ({len(digits):,} digits; "
                                   f"at most {MAX_DIGITS})")
        if is_plain_integer(value):
            return int(value)
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
        try:
            meant = f" (YAML 1.1 reads it as {self.loader.construct_object(node, deep=True)})"
        except (yaml.YAMLError, ValueError, OverflowError):
            meant = ""
        raise self.fail(event, f"{_where(path)}{value!r} is not a plain decimal integer{meant}; "
                               "write the number in decimal digits without a leading zero, "
                               "or quote it if it is text")


def _where(path: tuple[Any, ...]) -> str:
    """``metadata.meetings: `` for a value, ``metadata: key `` for a mapping key."""
    from rectcli.notice.schema import format_path

    if path and path[-1] == "<key>":
        return f"{format_path(path[:-1])}: key "
    return f"{format_path(path)}: "


def is_plain_integer(text: str) -> bool:
    """``-?[0-9]+`` in ASCII digits, without a leading zero unless the number is 0."""
    digits = text[1:] if text.startswith("-") else text
    return digits.isascii() and digits.isdigit() and (digits == "0" or digits[0] != "0")


def decimal_problem(text: str) -> str:
    """What is wrong with ``text`` as a number, if it is written as one (``[0-9]+(.[0-9]+)?``,
    the form of every amount): too many digits before or after the point. Anything else is
    text, and fine here."""
    whole, dot, places = text.partition(".")
    if not (whole.isascii() and whole.isdigit()) or (dot and not (places.isascii() and places.isdigit())):
        return ""
    if len(whole) > MAX_DIGITS:
        return f"number too long ({len(whole):,} digits before the point; at most {MAX_DIGITS})"
    if len(places) > MAX_PLACES:
        return f"too many decimal places ({len(places):,}; at most {MAX_PLACES})"
    return ""


def parse_file(path: FsPath) -> tuple[Any, Lines]:
    name = str(path)
    return parse_yaml(read_text(path), name)


def load_notice(data: str | os.PathLike[str] | None = None, *, use_cache: bool = True) -> Notice:
    """The notice the command line reads: ``data``, else ``$RECTCLI_DATA``, else the bundled
    one; through the parse cache unless ``use_cache`` is false."""
    return load_file(resolve_path(data), use_cache=use_cache)


def load_file(path: FsPath, *, use_cache: bool = False) -> Notice:
    """Load and validate the notice file ``path`` (format 2, or format 1 read as format 2);
    raise :class:`DataError` naming every problem. Reads no environment; writes the parse cache
    only when ``use_cache`` is true."""
    from rectcli import __version__
    from rectcli.notice.build import build

    raw_bytes, st = read_bytes(path)
    if not use_cache:
        raw, lines = parse_yaml(decode(raw_bytes, str(path)), str(path))
        return build(as_format2(raw, lines, str(path)), str(path))
    from rectcli.notice import cache

    digest = cache.digest(raw_bytes)
    cached = cache.read(path, st, digest, __version__)
    if cached is not None:
        # The entry is what this version wrote after validating this exact file (its stamp and
        # both digests match); it is not checked against the schema again (~2 ms per run), but
        # the notice it builds is type-checked (~0.3 ms). Anything that does not build cleanly
        # — a forged or damaged entry — means: parse the file again (and rewrite the entry).
        try:
            notice = build(cached, str(path))
            if well_formed(notice):
                return notice
        except Exception:  # noqa: BLE001 - whatever a bad entry does, the file is the truth
            pass
    raw, lines = parse_yaml(decode(raw_bytes, str(path)), str(path))
    data2 = as_format2(raw, lines, str(path))
    notice = build(data2, str(path))
    cache.write(path, st, digest, __version__, data2)
    return notice


def as_format2(raw: Any, lines: Lines, name: str) -> dict[str, Any]:
    """Format-2 plain data from a parsed file of either format, or :class:`DataError` listing
    what makes it unusable."""
    problems = load_problems(raw, lines)
    if problems:
        raise DataError([p.format(name) for p in problems], hint=f"`rectcli validate {name}` lists them all")
    if raw["schema_version"] == 1:
        from rectcli.notice.upgrade import upgrade

        return upgrade(raw)
    return raw


def load_problems(raw: Any, lines: Lines) -> list[Problem]:
    """What makes a parsed file unusable, by its format's own rules."""
    return _problems(raw, lines, "load_problems")


def all_problems(raw: Any, lines: Lines) -> list[Problem]:
    """Everything ``validate`` checks. A format-1 file is checked by its own rules (with
    line numbers), then, read as format 2, by format 2's (which can name paths only)."""
    return _problems(raw, lines, "all_problems")


def _problems(raw: Any, lines: Lines, which: str) -> list[Problem]:
    """One set of checks (``load_problems`` or ``all_problems``), by the file's own version."""
    from rectcli.notice import checks

    problems = checks.version_problem(raw, lines)
    if problems:
        return problems
    if raw["schema_version"] == 1:
        from rectcli.notice import checks_v1
        from rectcli.notice.upgrade import upgrade

        problems = getattr(checks_v1, which)(raw, lines, load_schema_v1())
        if problems:
            return problems
        return getattr(checks, which)(upgrade(raw), {}, load_schema())
    return getattr(checks, which)(raw, lines, load_schema())


def dump(data: dict[str, Any]) -> str:
    """Format-2 plain data as the YAML of a notice file (block style, Chinese as is)."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter: ~10× the pure-Python one
    body = yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1_000_000,
                     default_flow_style=False)
    return "# yaml-language-server: $schema=notice.schema.json\n" + body


# ---------------------------------------------------------------- checking a built notice


def well_formed(notice: Notice) -> bool:
    """Whether every field of the notice has its declared type (``str``, ``bool``, ``int``
    within :data:`MAX_DIGITS` digits and not a bool, ``X | None``, ``tuple[X, ...]``, nested
    records) and the values other code converts are convertible: node ids are paths of counts,
    amounts plain decimals. For data that did not come through the loader's own checks (the
    parse cache). About 0.3 ms for the bundled notice."""
    if not _conforms(notice, Notice):
        return False
    for node in notice.nodes():
        if not all(_is_count(part) for part in node.id.split(".")):
            return False

    def amounts(outcome: Any) -> bool:
        return _is_amount(outcome.raw) and all(amounts(part) for part in outcome.breakdown)

    return all(amounts(o) for o in notice.outcomes + notice.stated)


def _is_amount(text: str) -> bool:
    """``[0-9]+(.[0-9]+)?`` within :data:`MAX_DIGITS` and :data:`MAX_PLACES` digits."""
    whole, dot, places = text.partition(".")
    return (0 < len(whole) <= MAX_DIGITS and whole.isascii() and whole.isdigit()
            and (not dot or (0 < len(places) <= MAX_PLACES and places.isascii() and places.isdigit())))


def _is_count(text: str) -> bool:
    return 0 < len(text) <= MAX_DIGITS and text.isascii() and text.isdigit() and text[0] != "0"


_CHECKERS: dict[Any, Callable[[Any], bool]] = {}


def _conforms(value: Any, kind: Any) -> bool:
    return _checker(kind)(value)


def _checker(kind: Any) -> Callable[[Any], bool]:
    """A function that tells whether a value has type ``kind``; built once per type."""
    check = _CHECKERS.get(kind)
    if check is None:
        check = _CHECKERS[kind] = _make_checker(kind)
    return check


def _make_checker(kind: Any) -> Callable[[Any], bool]:
    import types

    if isinstance(kind, str):  # a forward reference in the model: tuple["Node", ...]
        from rectcli.notice import model

        resolved = getattr(model, kind, None)
        return _checker(resolved) if resolved is not None else (lambda value: False)
    if kind is bool:
        return lambda value: type(value) is bool
    if isinstance(kind, types.UnionType):
        options = [_checker(option) for option in kind.__args__]
        return lambda value: any(check(value) for check in options)
    if kind is type(None):
        return lambda value: value is None
    if kind is int:
        bound = 10 ** MAX_DIGITS
        return lambda value: type(value) is int and -bound < value < bound
    if getattr(kind, "__origin__", None) is tuple:
        item_type = kind.__args__[0]
        if item_type is str:
            return lambda value: type(value) is tuple and all(type(v) is str for v in value)
        return lambda value: type(value) is tuple and all(map(_checker(item_type), value))
    if isinstance(kind, type) and hasattr(kind, "_fields"):  # a record
        merged: dict[str, Any] = {}
        for klass in reversed(kind.__mro__):
            merged.update(klass.__dict__.get("__annotations__", {}))
        if any(isinstance(annotation, str) for annotation in merged.values()):
            import typing

            merged = typing.get_type_hints(kind)
        plain = tuple(name for name in kind._fields if merged[name] in (str, bool))
        nested = tuple((name, merged[name]) for name in kind._fields if merged[name] not in (str, bool))

        def record(value: Any) -> bool:
            if type(value) is not kind:
                return False
            fields = value.__dict__
            for name in plain:
                if type(fields[name]) is not merged[name]:
                    return False
            return all(_checker(sub)(fields[name]) for name, sub in nested)

        return record
    if kind in (str, float):
        return lambda value: type(value) is kind
    return lambda value: False  # an annotation this checker does not know: do not trust it
