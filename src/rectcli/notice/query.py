"""Find things in a notice: a section or measure by any written form of its id, and the
cited documents and quantities that pass a filter.

Pure functions of a :class:`~rectcli.notice.model.Notice`; nothing here knows about terminals or files.
Searching is :mod:`rectcli.search`, summarising :mod:`rectcli.notice.stats`.
"""

from __future__ import annotations

import re
from typing import Any, Union

from rectcli.errors import NotFoundError, QueryError
from rectcli.notice.model import Node, Notice, Paragraph, from_numeral, section_of
from rectcli.textfold import fold, fold_canonical

Target = Union[Node, Paragraph]

_CN = "一二三四五六七八九十"
_ID_NUM = re.compile(r"^[0-9]+(?:[.\-][0-9]+)*$")  # a path of any depth: 6, 6.4, 1.1.2, 1-1-2


# ---------------------------------------------------------------- ids


def all_ids(notice: Notice) -> list[str]:
    return [p.id for p in notice.opening] + [n.id for n in notice.nodes()] + [p.id for p in notice.closing]


def normalize_id(ident: str) -> str:
    """'六（四）' / '六(四)' / ' 6.4 ' / '６．４' → '6.4', '1-1-2' / '01.01.02' → '1.1.2'; anything
    else is returned folded (the notice's own labels, such as 一(一)2, are matched by :func:`resolve`)."""
    text = fold(ident.strip()).replace(" ", "")
    written = _numerals(text)
    if written:
        sec = from_numeral(written[0])
        sub = from_numeral(written[1]) if written[1] else None
        if sec is not None and (written[1] is None or sub is not None):
            return f"{sec}.{sub}" if sub else str(sec)
    if _ID_NUM.match(text):  # 006.04 → 6.4, 1-1-2 → 1.1.2, as text: int() refuses more than 4300 digits
        return ".".join(_number(part) for part in text.replace("-", ".").split("."))
    return text


def _number(digits: str) -> str:
    return digits.lstrip("0") or "0"


def _numerals(text: str) -> tuple[str, str | None] | None:
    """六 / 六、 / 六. / 六(四) → ('六', None) or ('六', '四'); None for anything else.

    Hand-written: the equivalent regular expression of Chinese numerals takes 0.7 ms to
    compile, paid by every `show`."""
    head = len(text) - len(text.lstrip(_CN))
    if head == 0:
        return None
    sec, rest = text[:head], text[head:]
    if rest[:1] in ("、", "."):
        rest = rest[1:]
    if not rest:
        return sec, None
    inner = rest[1:-1]
    if rest[0] == "(" and rest[-1] == ")" and inner and not inner.strip(_CN):
        return sec, inner
    return None


def resolve(notice: Notice, ident: str) -> Target:
    """The section, measure or paragraph named by ``ident``, in any of its written forms."""
    if not ident.strip():
        raise QueryError("empty id; run `rectcli sections` to see the ids")
    if len(ident.strip()) > LONGEST_ID:
        raise NotFoundError(f"no section or measure {_quoted(ident)} ({len(ident.strip())} characters is too "
                            f"long for an id: ids are short, such as 6.4, 六(四) or opening.2); "
                            "run `rectcli sections` to see the ids")
    key = normalize_id(ident)
    found = notice.paragraph(key) or notice.node(key) or _by_label(notice, ident)
    if found is not None:
        return found
    raise NotFoundError(f"no section or measure {ident!r}{_suggest(notice, key)}; "
                        "run `rectcli sections` to see the ids")


def _by_label(notice: Notice, ident: str) -> Node | None:
    """The node whose own label (二(一)3, 一是) is ``ident`` as written, width and 、 aside."""
    wanted = fold(ident.strip()).replace(" ", "").rstrip("、.")
    return next((n for n in notice.nodes() if fold(n.label) == wanted), None)


LONGEST_ID = 24  # 十四(十二) or opening.12 are a dozen; anything far longer is no id


def _quoted(ident: str, keep: int = 16) -> str:
    """``ident`` as the error quotes it: its start only, if it is long."""
    text = ident.strip()
    return repr(text) if len(text) <= keep else repr(text[:keep]) + "…"


def _suggest(notice: Notice, key: str) -> str:
    import difflib

    ids = all_ids(notice)
    near = difflib.get_close_matches(key, ids, n=3, cutoff=0.5)
    if not near and "." in key:
        sec = section_of(key)
        near = [i for i in ids if i.startswith(sec + ".")][:3]
    if not near:
        return ""
    return " (did you mean " + ", ".join(near) + "?)"


def section_scope(notice: Notice, ident: str | None) -> Node | None:
    """The top-level section named by ``--section``: a deeper node narrows to its section."""
    if ident is None:
        return None
    target = resolve(notice, ident)
    if not isinstance(target, Node):
        raise NotFoundError(f"{ident!r} is not a section; use a number such as 6 or 六")
    return notice.section(target.section_id)


# ---------------------------------------------------------------- documents and figures


def find_documents(notice: Notice, *, title: str | None = None, kind: str | None = None,
                   section: str | None = None) -> list[Any]:
    """Cited documents whose title contains ``title``, whose kind contains ``kind``
    (办法 matches 实施办法), cited in ``section``; in order of first citation."""
    from rectcli.notice.extract import documents

    scope = section_scope(notice, section)
    return [
        d for d in documents(notice)
        if (title is None or fold_canonical(title) in fold_canonical(d.title))
        and (kind is None or (d.kind is not None and fold_canonical(kind) in fold_canonical(d.kind)))
        and (scope is None or any(section_of(c.passage_id) == scope.id for c in d.citations))
    ]


def find_figures(notice: Notice, *, unit: str | None = None, section: str | None = None,
                 by_value: bool = False) -> list[Any]:
    """Quantities in ``unit`` within ``section``, in notice order or by value (money in 元)."""
    from rectcli.notice.extract import figures

    scope = section_scope(notice, section)
    found = [q for q in figures(notice)
             if (unit is None or q.unit == unit.strip())
             and (scope is None or section_of(q.passage_id) == scope.id)]
    if by_value:
        found.sort(key=lambda q: q.yuan if q.yuan is not None else q.value)
    return found
