"""The cited documents and the figures of the selected notices, read from the tables an add
filled (``documents``, ``citations``, ``figures``): no notice is rebuilt, so listing them across
ten thousand notices is one query each. The records are the single-notice ones
(:mod:`rectcli.notice.extract`), filtered as :mod:`rectcli.notice.query` filters them;
tests/test_library_store.py holds the two to the same answers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def documents(conn: Any, clause: str, params: list[Any], *, title: str | None = None,
              kind: str | None = None) -> list[tuple[Any, list[Any]]]:
    """(NoticeRef, its Documents whose title contains ``title`` and whose kind contains ``kind``,
    in order of first citation) for each selected notice, in library order."""
    from rectcli.library.store import ORDER, NoticeRef
    from rectcli.notice.extract import Citation, Document
    from rectcli.textfold import fold_canonical as fold

    rows = conn.execute(
        f"SELECT n.notice_id, n.id, n.issuer, n.date, n.title, d.document_id, d.title, d.kind, d.marks, d.years"
        f" FROM notices n LEFT JOIN documents d ON d.notice_id = n.notice_id WHERE {clause}"
        f" ORDER BY {ORDER}, d.seq", params).fetchall()
    cites: dict[int, list[Any]] = {}
    for document_id, passage, label in conn.execute(
            f"SELECT c.document_id, p.passage, p.label FROM citations c JOIN passages p ON p.passage_id = c.passage_id"
            f" JOIN notices n ON n.notice_id = p.notice_id WHERE {clause} ORDER BY p.seq", params):
        cites.setdefault(document_id, []).append(Citation(passage, label))
    want_title = None if title is None else fold(title)
    want_kind = None if kind is None else fold(kind)
    out: list[tuple[Any, list[Any]]] = []
    last = None
    for nid, id_, issuer, date, ntitle, did, dtitle, dkind, marks, years in rows:
        if nid != last:
            out.append((NoticeRef(id_, issuer, date, ntitle), []))
            last = nid
        if did is None:
            continue
        if want_title is not None and want_title not in fold(dtitle):
            continue
        if want_kind is not None and (dkind is None or want_kind not in fold(dkind)):
            continue
        out[-1][1].append(Document(dtitle, dkind, tuple(marks.split("、")) if marks else (), years,
                                   tuple(cites.get(did, ()))))
    return out


def figures(conn: Any, clause: str, params: list[Any], *, unit: str | None = None) -> list[tuple[Any, list[Any]]]:
    """(NoticeRef, its Quantities in ``unit``, in reading order) for each selected notice, in
    library order."""
    from rectcli.library.store import ORDER, NoticeRef
    from rectcli.notice.extract import Quantity

    sql = (f"SELECT n.notice_id, n.id, n.issuer, n.date, n.title, f.written, f.number, f.value, f.unit, f.chinese,"
           f" f.approx, p.passage, p.label, f.context, f.start, f.damaged FROM notices n"
           f" LEFT JOIN figures f ON f.notice_id = n.notice_id"
           f"{' AND f.unit = ?' if unit is not None else ''}"
           f" LEFT JOIN passages p ON p.passage_id = f.passage_id WHERE {clause} ORDER BY {ORDER}, f.seq")
    out: list[tuple[Any, list[Any]]] = []
    last = None
    for nid, id_, issuer, date, ntitle, written, *rest in conn.execute(
            sql, ([unit.strip()] if unit is not None else []) + list(params)):
        if nid != last:
            out.append((NoticeRef(id_, issuer, date, ntitle), []))
            last = nid
        if written is None:
            continue
        number, value, unit_, chinese, approx, passage, label, context, start, damaged = rest
        out[-1][1].append(Quantity(written, number, Decimal(value), unit_, bool(chinese), approx, passage, label,
                                   context, start, damaged))
    return out
