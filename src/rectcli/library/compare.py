"""The outcomes of many notices side by side: a row per notice, a column per outcome key.

Columns are the keys of the shared vocabulary (``rectcli/vocab/outcomes.yaml``, in its order; keys
it does not list follow, sorted) that at least one selected notice reports. A cell is the notice's
first top-level outcome with that key, in reading order (a breakdown part is never a column; a key
a notice states twice counts once, and ``repeated`` names those cells). Values are exact decimal
strings; money is in 元 (120.747万元 → 1207470). Totals are exact sums, given only where a column
has one unit and is not a percentage.
"""

from __future__ import annotations

import gc
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from rectcli.record import Record

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
    from rectcli import vocab

    text = vocab.text("outcomes.yaml")
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


def _record(cls: Any, values: dict[str, Any]) -> Any:
    """A Record made from its values in field order (what cls(*values) makes, without the checks)."""
    obj = object.__new__(cls)
    object.__setattr__(obj, "__dict__", values)
    return obj


def _total(present: list[str]) -> str | None:
    """The exact sum of a column's values; None if one is not a number. Whole numbers (most
    values) are summed as ints; the answer is the Decimal sum's (28 digits are exact there)."""
    try:
        whole = sum(map(int, present))
        if len(str(abs(whole))) <= 28:
            return str(whole)
    except ValueError:
        pass
    try:
        return _plain(sum(map(Decimal, present), Decimal(0)))
    except InvalidOperation:
        return None


def compare(conn: Any, clause: str, params: list[Any], sort_by: str | None = None) -> CompareTable:
    """One read of the notices in listing order (a covering index) beside each one's compare row
    (table compare_rows: its cells as one string), the units from a covering index on headlines;
    rows are built from plain tuples, the totals summed over the column values only."""
    from rectcli.library.store import CELL_SEP, ORDER, NoticeRef

    fetched = conn.execute(f"SELECT n.id, n.issuer, n.date, n.title, c.cells, c.repeated FROM notices n"
                           f" LEFT JOIN compare_rows c ON c.notice_id = n.notice_id WHERE {clause}"
                           f" ORDER BY {ORDER}", params).fetchall()
    # the cells were chosen at add time (table headlines: the first top-level outcome of each
    # key, money in 元); the units of a column in the order the notices were added
    units: dict[str, dict[str, None]] = {}
    if clause == "1" and not params:
        sql = "SELECT key, unit FROM headlines GROUP BY key, unit ORDER BY min(notice_id)"
    else:
        sql = (f"SELECT h.key, h.unit FROM headlines h JOIN notices n ON n.notice_id = h.notice_id WHERE {clause}"
               f" GROUP BY h.key, h.unit ORDER BY min(h.notice_id)")
    for key, unit in conn.execute(sql, params if clause != "1" or params else ()):
        units.setdefault(key, {})[unit] = None
    order = {k: i for i, k in enumerate(vocabulary_keys())}
    keys = sorted(units, key=lambda k: (order.get(k, len(order)), k))
    if sort_by is not None and sort_by not in keys:
        _unknown(sort_by, keys)
    empty = (None,) * len(keys)
    blank = dict.fromkeys(keys)  # a row's cells fill a copy: its values come out in column order
    rows = []
    new, put = object.__new__, object.__setattr__
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of new objects, none cyclic: no collection passes over them
    try:
        for id_, issuer, date, title, cells, again in fetched:
            if cells:
                parts = iter(cells.split(CELL_SEP))
                filled = blank.copy()
                filled.update(zip(parts, parts))
                values = tuple(filled.values() if len(filled) == len(keys) else map(filled.get, keys))
            else:
                values = empty
            ref = new(NoticeRef)
            put(ref, "__dict__", {"id": id_, "issuer": issuer, "date": date, "title": title})
            row = new(CompareRow)
            put(row, "__dict__", {"notice": ref, "values": values,
                                  "repeated": tuple(again.split(CELL_SEP)) if again else ()})
            rows.append(row)
    finally:
        if collecting:
            gc.enable()
    columns, totals = [], []
    by_column = list(zip(*(r.values for r in rows))) if rows else [() for _ in keys]
    for k, column in zip(keys, by_column):
        present = [v for v in column if v is not None]
        unit = "/".join(units[k])
        columns.append(_record(CompareColumn, {"key": k, "unit": unit, "notices": len(present)}))
        totals.append(_total(present) if len(units[k]) == 1 and unit != "%" else None)
    table = CompareTable(tuple(columns), tuple(rows), tuple(totals))
    return table if sort_by is None else sorted_by(table, sort_by)


def sorted_by(table: CompareTable, key: str) -> CompareTable:
    """The table with its rows largest first by the column ``key`` (notices without a value
    last; equal values keep their order)."""
    keys = [c.key for c in table.columns]
    if key not in keys:
        _unknown(key, keys)
    i = keys.index(key)
    rows = sorted(table.rows, key=lambda r: (r.values[i] is None, -(_decimal(r.values[i]) or Decimal(0))))
    return table._replace(rows=tuple(rows))


def _unknown(key: str, keys: list[str]) -> None:
    from rectcli.errors import QueryError

    raise QueryError(f"no outcome {key!r} in the selected notices; outcome keys there: {', '.join(keys) or 'none'}")
