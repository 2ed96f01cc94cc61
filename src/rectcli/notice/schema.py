"""Check plain data against the shipped JSON Schema, collecting every problem with its path.

Only the part of JSON Schema that ``notice.schema.json`` uses is implemented (type, const,
enum, pattern, minLength, minimum, required, properties, additionalProperties, items,
minItems, minProperties, dependentRequired, $ref into $defs). The test suite checks that
this agrees with the reference ``jsonschema`` library, so the one schema file serves both
editors and the loader without a runtime dependency on ``jsonschema``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

Path = tuple[str | int, ...]

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "object": (dict,),
    "array": (list,),
    "boolean": (bool,),
}
_TYPE_WORDS = {"string": "a string", "integer": "a whole number", "number": "a number",
               "object": "a mapping", "array": "a list", "boolean": "true/false", "null": "null"}
_NAMES = {str: "a string", int: "a whole number", float: "a number", dict: "a mapping",
          list: "a list", bool: "true/false", type(None): "nothing (null)"}


def _is(value: Any, tname: str) -> bool:
    if tname == "null":
        return value is None
    if isinstance(value, bool) and tname != "boolean":
        return False
    if tname == "integer" and isinstance(value, float):
        return value.is_integer()  # JSON Schema: 1.0 is an integer (the YAML loader never makes floats)
    return isinstance(value, _TYPES[tname])


def describe(value: Any) -> str:
    return _NAMES.get(type(value), type(value).__name__)


def format_path(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def iter_errors(value: Any, schema: dict[str, Any], root: dict[str, Any] | None = None,
                path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Yield ``(path, message)`` for every way ``value`` breaks ``schema``."""
    root = root if root is not None else schema
    if "$ref" in schema:
        name = schema["$ref"].rpartition("/")[2]
        yield from iter_errors(value, root["$defs"][name], root, path)
        return
    if "const" in schema and value != schema["const"]:
        yield path, f"must be {schema['const']!r}, not {value!r}"
        return
    if "enum" in schema and value not in schema["enum"]:
        yield path, f"must be one of {', '.join(map(str, schema['enum']))}"
        return
    types = schema.get("type")
    if types is not None:
        tlist = [types] if isinstance(types, str) else types
        if not any(_is(value, t) for t in tlist):
            want = " or ".join(_TYPE_WORDS[t] for t in tlist)
            yield path, f"expected {want}, got {describe(value)}"
            return
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            yield path, "must not be empty"
        pattern = schema.get("pattern")
        if pattern and not re.search(pattern, value):
            shown = value if len(value) <= 40 else value[:40] + "…"
            yield path, f"{shown!r} is not of the expected form {pattern}"
    if isinstance(value, int) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            yield path, f"must be at least {schema['minimum']}"
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            yield path, f"must have at least {schema['minItems']} entr{'y' if schema['minItems'] == 1 else 'ies'}"
        if "items" in schema:
            for i, item in enumerate(value):
                yield from iter_errors(item, schema["items"], root, path + (i,))
    if isinstance(value, dict):
        yield from _object_errors(value, schema, root, path)


def _object_errors(value: dict[Any, Any], schema: dict[str, Any], root: dict[str, Any],
                   path: Path) -> Iterator[tuple[Path, str]]:
    props = schema.get("properties", {})
    for key in schema.get("required", []):
        if key not in value:
            yield path, f"missing required key '{key}'"
    if len(value) < schema.get("minProperties", 0):
        yield path, "must not be empty"
    for key, needs in schema.get("dependentRequired", {}).items():
        if key in value:
            for other in needs:
                if other not in value:
                    yield path, f"'{key}' needs '{other}' beside it"
    for key, item in value.items():
        if key in props:
            yield from iter_errors(item, props[key], root, path + (key,))
        elif schema.get("additionalProperties") is False:
            known = ", ".join(props)
            yield path + (key,), f"unknown key '{key}' (expected one of: {known})"
