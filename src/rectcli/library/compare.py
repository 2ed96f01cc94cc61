"""The outcomes of many notices side by side: a row per notice, a column per outcome key.

Columns are the keys of the shared vocabulary (``rectcli/vocab/outcomes.yaml``, in its order; keys
it does not list follow, sorted) that at least one selected notice reports. A cell is the notice's
first top-level outcome with that key, in reading order (a breakdown part is never a column; a key
a notice states twice counts once, and ``repeated`` names those cells). Values are exact decimal
strings; money is in 元 (120.747万元 → 1207470). Totals are exact sums, given only where a column
has one unit and is not a percentage.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from rectcli.record import Record

MONEY = ("元", "万元", "亿元")


class CompareColumn(Record):
    key: str
    unit: str            # 元 for money; the unit as written, or units joined by / when they differ
    notices: int         # notices with a value in this column


class CompareRow(Record):
    notice: Any          # rectcli.library.store.NoticeRef
    values: tuple[str | None, ...]
    repeated: tuple[str, ...] = ()   # keys this notice states more than once (the first is shown)


class CompareTable(Record):
    columns: tuple[CompareColumn, ...]
    rows: tuple[CompareRow, ...]
    totals: tuple[str | None, ...]


@lru_cache(maxsize=1)
def vocabulary_keys() -> tuple[str, ...]:
    """The outcome keys of the shared vocabulary, in its order (read without a YAML parser)."""
    from importlib.resources import files

    text = files("rectcli").joinpath("vocab/outcomes.yaml").read_text(encoding="utf-8")
    return tuple(dict.fromkeys(re.findall(r"^\s*-\s*key:\s*([A-Za-z_][A-Za-z0-9_]*)", text, re.M)))


def _decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _plain(d: Decimal) -> str:
    out = format(d, "f")
    if "." in out:
        out = out.rstrip("0").rstrip(".")
    return out


def compare(conn: Any, clause: str, params: list[Any], sort_by: str | None = None) -> CompareTable:
    from rectcli.errors import QueryError
    from rectcli.library.store import ORDER, NoticeRef

    notices = conn.execute(f"SELECT n.notice_id, n.id, n.issuer, n.date, n.title FROM notices n"
                           f" WHERE {clause} ORDER BY {ORDER}", params).fetchall()
    # the cells were chosen at add time (table headlines: the first top-level outcome of each
    # key, money in 元); the units of a column in the order the notices were added
    units: dict[str, dict[str, None]] = {}
    for key, unit in conn.execute(
            f"SELECT h.key, h.unit FROM headlines h JOIN notices n ON n.notice_id = h.notice_id WHERE {clause}"
            f" GROUP BY h.key, h.unit ORDER BY min(h.notice_id)", params):
        units.setdefault(key, {})[unit] = None
    cells: dict[int, dict[str, str]] = {}
    repeated: dict[int, list[str]] = {}
    for nid, key, value, rep in conn.execute(
            f"SELECT h.notice_id, h.key, h.value, h.repeated FROM headlines h JOIN notices n"
            f" ON n.notice_id = h.notice_id WHERE {clause} ORDER BY h.notice_id, h.seq", params):
        cells.setdefault(nid, {})[key] = value
        if rep:
            repeated.setdefault(nid, []).append((rep, key))
    repeated = {nid: [k for _, k in sorted(keys)] for nid, keys in repeated.items()}  # type: ignore[misc]
    order = {k: i for i, k in enumerate(vocabulary_keys())}
    keys = sorted(units, key=lambda k: (order.get(k, len(order)), k))
    if sort_by is not None and sort_by not in keys:
        known = ", ".join(keys) if keys else "none"
        raise QueryError(f"no outcome {sort_by!r} in the selected notices; outcome keys there: {known}")
    rows = [CompareRow(NoticeRef(*n[1:]), tuple(cells.get(n[0], {}).get(k) for k in keys),
                       tuple(repeated.get(n[0], ())))
            for n in notices]
    if sort_by is not None:
        i = keys.index(sort_by)
        rows.sort(key=lambda r: (r.values[i] is None, -(_decimal(r.values[i]) or Decimal(0))))
    columns, totals = [], []
    for i, k in enumerate(keys):
        present = [r.values[i] for r in rows if r.values[i] is not None]
        unit = "/".join(units[k])
        columns.append(CompareColumn(k, unit, len(present)))
        values = [_decimal(v) for v in present]
        if len(units[k]) == 1 and unit != "%" and all(v is not None for v in values):
            totals.append(_plain(sum(values, Decimal(0))))  # type: ignore[arg-type]
        else:
            totals.append(None)
    return CompareTable(tuple(columns), tuple(rows), tuple(totals))
