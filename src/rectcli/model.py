"""The notice as immutable records: what a reader thinks of, nothing about files or terminals.

The records are :class:`~rectcli.record.Record`s (see there for why not NamedTuple or
dataclasses: this module is imported by every run).
"""

from datetime import date, datetime
from typing import TYPE_CHECKING

from rectcli.record import Record

if TYPE_CHECKING:
    from decimal import Decimal

NUMERALS = "一二三四五六七八九十"
AFTER_TITLE = "。"  # what follows a measure's title unless the file says otherwise


def to_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四, 20 → 二十, 99 → 九十九."""
    if not 1 <= n <= 99:
        return str(n)
    tens, ones = divmod(n, 10)
    out = ""
    if tens:
        out = ("" if tens == 1 else NUMERALS[tens - 1]) + "十"
    if ones:
        out += NUMERALS[ones - 1]
    return out


# Money is exact: Decimal, never float. The decimal module is imported by the first amount
# used (~1.5 ms that commands which show no money do not pay).
MONEY_UNITS = {"元": "1", "万元": "10000", "亿元": "100000000"}


def _decimal(text: str) -> "Decimal":
    from decimal import Decimal

    return Decimal(text)


def characters(text: str) -> int:
    """Characters a reader counts: everything but white space."""
    return len("".join(text.split()))  # str.split() splits on exactly the str.isspace() characters


def to_yuan(value: "Decimal", unit: str) -> "Decimal | None":
    """An amount in 元/万元/亿元 as exact yuan, without trailing zeros or exponent
    (618.5622万元 → 6185622); None for a unit that is not money."""
    factor = MONEY_UNITS.get(unit)
    if factor is None:
        return None
    yuan = value * _decimal(factor)
    return yuan.quantize(_decimal("1")) if yuan == yuan.to_integral_value() else yuan.normalize()


def section_of(ident: str) -> str:
    """The section part of an id: '6.4' → '6', '6' → '6', 'opening.2' → 'opening'."""
    return ident.partition(".")[0]


def from_numeral(s: str) -> int | None:
    """一 → 1, 十四 → 14, 二十 → 20; None for anything else."""
    for n in range(1, 100):
        if to_numeral(n) == s:
            return n
    return None


class Erratum(Record):
    """A suspected extraction error: ``found`` stands in the text, ``likely`` is the guess."""

    found: str
    likely: str
    note: str


class Item(Record):
    """An enumerated work item (一是 …) inside a paragraph."""

    ordinal: str
    text: str
    errata: tuple[Erratum, ...] = ()

    @property
    def heading(self) -> str:
        head, sep, _ = self.text.partition("。")
        return head if sep else ""

    @property
    def full_text(self) -> str:
        return self.ordinal + self.text


class Contacts(Record):
    phone: str | None = None
    address: str | None = None
    postcode: str | None = None
    envelope_note: str | None = None
    email: str | None = None


class Paragraph(Record):
    """A paragraph of the opening or closing part."""

    id: str
    text: str
    items: tuple[Item, ...] = ()
    contacts: Contacts | None = None
    errata: tuple[Erratum, ...] = ()

    @property
    def full_text(self) -> str:
        return self.text + "".join(item.full_text for item in self.items)

    @property
    def label(self) -> str:
        part, _, n = self.id.partition(".")
        return f"{'开头' if part == 'opening' else '结尾'}第{n}段"

    @property
    def all_errata(self) -> tuple[Erratum, ...]:
        return self.errata + tuple(e for item in self.items for e in item.errata)


class Figure(Record):
    """One part of a breakdown: 党内警告 12 人."""

    label: str
    raw: str
    unit: str

    @property
    def value(self) -> "Decimal":
        """The exact value (``raw`` as a Decimal; never a float)."""
        return _decimal(self.raw)


class Outcome(Record):
    """A headline outcome of the opening summary, with its breakdown if it has one."""

    key: str
    label: str
    raw: str
    unit: str
    breakdown: tuple[Figure, ...] = ()

    @property
    def value(self) -> "Decimal":
        """The exact value (``raw`` as a Decimal; never a float)."""
        return _decimal(self.raw)

    @property
    def breakdown_total(self) -> "Decimal | None":
        if not self.breakdown:
            return None
        return sum((part.value for part in self.breakdown), _decimal("0"))

    @property
    def balanced(self) -> bool | None:
        total = self.breakdown_total
        return None if total is None else total == self.value


class Measure(Record):
    """A rectification measure: subsection (一)(二)…, or the body of a section without any."""

    id: str
    numeral: str | None
    title: str | None
    text: str
    after_title: str = AFTER_TITLE
    errata: tuple[Erratum, ...] = ()

    @property
    def section_id(self) -> str:
        return section_of(self.id)

    @property
    def label(self) -> str:
        """The notice's own name: 六(四); a section body is named by its section: 七."""
        sec = to_numeral(int(self.section_id))
        return f"{sec}({self.numeral})" if self.numeral else sec

    @property
    def body(self) -> str:
        """Title and text together, as a reader sees them (the searchable passage)."""
        if self.title is None:
            return self.text
        return self.title + self.after_title + self.text

    @property
    def full_text(self) -> str:
        return f"({self.numeral}){self.body}" if self.numeral else self.body


class Section(Record):
    """A numbered problem area: 六、关于{problem}的整改情况."""

    id: str
    numeral: str
    problem: str
    measures: tuple[Measure, ...]

    @property
    def number(self) -> int:
        return int(self.id)

    @property
    def heading(self) -> str:
        return f"关于{self.problem}的整改情况"

    @property
    def full_heading(self) -> str:
        return f"{self.numeral}、{self.heading}"

    @property
    def has_subsections(self) -> bool:
        return any(m.numeral for m in self.measures)


class Inspection(Record):
    round: str
    team: str
    inspected: str
    former_name: str | None
    period_start: date
    period_end: date
    feedback: date


class Metadata(Record):
    title: str
    issuer: str
    site_name: str
    masthead: str
    published: datetime
    inspection: Inspection
    aspects: int
    categories: int
    problem_items: int
    meetings: int


class Signature(Record):
    date_text: str
    date: date
    errata: tuple[Erratum, ...] = ()


class Passage(Record):
    """One searchable unit: a measure, a section heading, or a paragraph."""

    id: str
    kind: str  # "paragraph" | "heading" | "measure"
    label: str
    section_id: str | None
    title: str | None
    text: str

    @property
    def title_span(self) -> tuple[int, int]:
        """Where the title sits in ``text``: after a measure's (四), all of a heading, none of a paragraph."""
        if self.kind == "heading":
            return 0, len(self.text)
        if self.kind == "measure" and self.title:
            start = self.text.find(self.title)
            return (start, start + len(self.title)) if start >= 0 else (0, 0)
        return 0, 0


class Notice(Record):
    metadata: Metadata
    opening: tuple[Paragraph, ...]
    outcomes_source: str
    outcomes: tuple[Outcome, ...]
    sections: tuple[Section, ...]
    closing: tuple[Paragraph, ...]
    signature: Signature
    source: str = ""

    @property
    def measures(self) -> tuple[Measure, ...]:
        return tuple(m for s in self.sections for m in s.measures)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def passages(self) -> tuple[Passage, ...]:
        """Every searchable passage, in reading order."""
        out = [
            Passage(p.id, "paragraph", p.label, None, None, p.full_text) for p in self.opening
        ]
        for s in self.sections:
            out.append(Passage(s.id, "heading", s.numeral, s.id, s.heading, s.heading))
            out.extend(
                Passage(m.id, "measure", m.label, s.id, m.title, m.full_text) for m in s.measures
            )
        out.extend(
            Passage(p.id, "paragraph", p.label, None, None, p.full_text) for p in self.closing
        )
        return tuple(out)
