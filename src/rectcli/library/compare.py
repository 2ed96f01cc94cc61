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
from collections.abc import Iterator, Sequence
from functools import lru_cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from rectcli.record import Record

if TYPE_CHECKING:  # decimal is imported where a value is parsed: the whole library's table needs none
    from decimal import Decimal


class CompareColumn(Record):
    key: str
    unit: str            # 元 for money; the unit as written, or units joined by / when they differ
    notices: int         # notices with a value in this column


class CompareRow(Record):
    notice: Any          # rectcli.library.store.NoticeRef
    values: tuple[str | None, ...]
    repeated: tuple[str, ...] = ()   # keys this notice states more than once (the first is shown)


class CompareRows(Sequence[CompareRow]):
    """The rows of a compare table, in its order: a :class:`CompareRow` is made when it is read.

    A table of 10,000 notices is mostly read once, in order, by a writer: :meth:`texts` gives
    each row as text fields without making records of it.
    """

    __slots__ = ("_read", "_cells", "_slots", "_order")

    def __init__(self, read: list[tuple[Any, ...]], cells: list[list[str]], slots: Sequence[int],
                 order: Sequence[int] | None = None) -> None:
        self._read = read      # (id, issuer, date, title, cells, repeated) per notice
        self._cells = cells    # each notice's cells, a column of the library each ("" for none)
        self._slots = slots    # the library columns of this table, in its column order
        self._order = order    # the rows' places in ``read``, when not read order

    def __len__(self) -> int:
        return len(self._read) if self._order is None else len(self._order)

    def _places(self) -> Sequence[int]:
        return range(len(self._read)) if self._order is None else self._order

    def _row(self, place: int) -> CompareRow:
        from rectcli.library.store import CELL_SEP, NoticeRef

        id_, issuer, date, title, _, again = self._read[place]
        cells = self._cells[place]
        return CompareRow(NoticeRef(id_, issuer, date, title), tuple(cells[s] or None for s in self._slots),
                          tuple(again.split(CELL_SEP)) if again else ())

    def __getitem__(self, index: Any) -> Any:
        places = self._places()
        if isinstance(index, slice):
            return tuple(self._row(p) for p in places[index])
        return self._row(places[index])

    def __iter__(self) -> Iterator[CompareRow]:
        return map(self._row, self._places())

    def texts(self) -> Iterator[tuple[str, ...]]:
        """Each row as text: short id, issuer, date, then the cells in column order ("" where a
        notice has no value or no issuer or date)."""
        read, cells = self._read, self._cells
        pick = _picker(self._slots)
        if self._order is None:
            return iter([(r[0], r[1] or "", r[2] or "") + pick(c) for r, c in zip(read, cells)])
        return iter([(read[p][0], read[p][1] or "", read[p][2] or "") + pick(cells[p]) for p in self._order])

    def sorted_by(self, i: int) -> "CompareRows":
        """These rows largest first by column ``i`` (rows without a value last; equal values keep
        their order)."""
        slot = self._slots[i]
        cells = self._cells

        from decimal import Decimal

        def rank(place: int) -> tuple[bool, Decimal]:
            value = cells[place][slot]
            return value == "", -(_decimal(value or None) or Decimal(0))

        return CompareRows(self._read, cells, self._slots, sorted(self._places(), key=rank))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (CompareRows, tuple, list)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"CompareRows({list(self)!r})"


def _picker(slots: Sequence[int]) -> Any:
    """A function giving the items of a list at ``slots``, as a tuple."""
    if len(slots) >= 2:
        return itemgetter(*slots)
    return lambda cells: tuple(cells[s] for s in slots)


class CompareTable(Record):
    columns: tuple[CompareColumn, ...]
    rows: CompareRows    # a sequence of CompareRow
    totals: tuple[str | None, ...]


@lru_cache(maxsize=1)
def vocabulary_keys() -> tuple[str, ...]:
    """The outcome keys of the shared vocabulary, in its order (read without a YAML parser)."""
    from rectcli import vocab

    text = vocab.text("outcomes.yaml")
    return tuple(dict.fromkeys(re.findall(r"^\s*-\s*key:\s*([A-Za-z_][A-Za-z0-9_]*)", text, re.M)))


def _decimal(text: str | None) -> Decimal | None:
    from decimal import Decimal, InvalidOperation

    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def exact_sum(values: Sequence[str]) -> str | None:
    """The exact sum of decimal texts, written plainly (no exponent, no trailing zeros); None
    if one is not a number. Whole numbers (most values) are summed as ints."""
    try:
        return str(sum(map(int, values)))
    except ValueError:
        pass
    from decimal import Decimal, InvalidOperation

    from rectcli.exact import decimal_sum, plain

    try:
        return plain(decimal_sum(map(Decimal, values)))
    except InvalidOperation:
        return None


def compare(conn: Any, clause: str, params: list[Any], sort_by: str | None = None) -> CompareTable:
    """One read of the notices in listing order (a covering index) beside each one's compare row
    (table compare_rows: a cell per library column, split once). A column is shown when a selected
    notice has a value in it; its units come from a covering index on headlines; its total, for
    the whole library, is the one the library keeps (table compare_keys), else the sum of its
    values in the selection."""
    from rectcli.library.store import CELL_SEP, ORDER

    whole = clause == "1" and not params
    library = conn.execute("SELECT key, total, notices FROM compare_keys ORDER BY slot").fetchall()
    keys = [k for k, _, _ in library]
    width = len(keys)
    blank = [""] * width
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of new tuples and lists, none cyclic: no collection passes over them
    try:
        read = conn.execute(f"SELECT n.id, n.issuer, n.date, n.title, c.cells, c.repeated FROM notices n"
                            f" LEFT JOIN compare_rows c ON c.notice_id = n.notice_id WHERE {clause}"
                            f" ORDER BY {ORDER}", params).fetchall()
        cells = [r[4].split(CELL_SEP) if r[4] else blank for r in read]
        if cells and min(map(len, cells)) < width:  # notices added before the library's last columns
            cells = [c if len(c) == width else c + blank[len(c):] for c in cells]
        if whole:
            sums = {s: (total, notices) for s, (_, total, notices) in enumerate(library) if notices}
        else:
            by_slot = list(zip(*cells)) if cells else [() for _ in keys]
            present = {s: list(filter(None, column)) for s, column in enumerate(by_slot)}
            sums = {s: (exact_sum(values), len(values)) for s, values in present.items() if values}
    finally:
        if collecting:
            gc.enable()
    units = _units(conn, clause, params, {keys[s] for s in sums})
    order = {k: i for i, k in enumerate(vocabulary_keys())}
    slots = sorted(sums, key=lambda s: (order.get(keys[s], len(order)), keys[s]))
    columns, totals = [], []
    for s in slots:
        key = keys[s]
        total, notices = sums[s]
        unit = "/".join(units[key])
        columns.append(CompareColumn(key, unit, notices))
        totals.append(total if len(units[key]) == 1 and unit != "%" else None)
    table = CompareTable(tuple(columns), CompareRows(read, cells, slots), tuple(totals))
    return table if sort_by is None else sorted_by(table, sort_by)


def _units(conn: Any, clause: str, params: list[Any], keys: set[str]) -> dict[str, dict[str, None]]:
    """The units the selected notices give each of ``keys``, in the order the notices were added."""
    if clause == "1" and not params:
        # the whole library: one step of the covering index (key, unit, notice_id) per unit a key
        # has, not a read of every notice's headlines (the next unit of a key, else the next key:
        # a row value (key, unit) > (?, ?) would read the rest of the key's rows)
        step = "SELECT key, unit, notice_id FROM headlines {} ORDER BY key, unit, notice_id LIMIT 1"
        first: list[tuple[str, str, int]] = []
        row = conn.execute(step.format("")).fetchone()
        while row is not None:
            first.append(row)
            row = (conn.execute(step.format("WHERE key = ? AND unit > ?"), row[:2]).fetchone()
                   or conn.execute(step.format("WHERE key > ?"), row[:1]).fetchone())
    else:
        first = conn.execute("SELECT key, unit, min(notice_id) FROM headlines WHERE notice_id IN"
                             f" (SELECT n.notice_id FROM notices n WHERE {clause}) GROUP BY key, unit",
                             params).fetchall()
    units: dict[str, dict[str, None]] = {}
    for key, unit, _ in sorted(first, key=lambda r: r[2]):
        if key in keys:
            units.setdefault(key, {})[unit] = None
    return units


def sorted_by(table: CompareTable, key: str) -> CompareTable:
    """The table with its rows largest first by the column ``key`` (notices without a value
    last; equal values keep their order)."""
    keys = [c.key for c in table.columns]
    if key not in keys:
        _unknown(key, keys)
    return table._replace(rows=table.rows.sorted_by(keys.index(key)))


def _unknown(key: str, keys: list[str]) -> None:
    from rectcli.errors import QueryError

    raise QueryError(f"no outcome {key!r} in the selected notices; outcome keys there: {', '.join(keys) or 'none'}")
