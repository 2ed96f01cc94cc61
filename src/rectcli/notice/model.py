"""A notice of the genre as immutable records (format 2): metadata as found, the text as a tree.

Every word of the notice is held exactly once, as the source has it: title lines, opening
paragraphs, the tree of headed nodes (any depth: 一、 (一) 1. (1) 一是 …), closing paragraphs and
the signature lines. Outcome figures point into that text. Nothing about a heading is derived
from a template, and no field but the text is required. Nothing here knows about files or
terminals (:mod:`rectcli.notice.format` reads files; :mod:`rectcli.output` presents).
"""


from datetime import date as _date
from typing import TYPE_CHECKING, Iterator

from rectcli.record import Record

if TYPE_CHECKING:
    from decimal import Decimal

NUMERALS = "一二三四五六七八九十"
MONEY_UNITS = {"元": "1", "万元": "10000", "亿元": "100000000", "萬元": "10000", "億元": "100000000"}


def _decimal(text: str) -> "Decimal":
    from decimal import Decimal

    return Decimal(text)


def characters(text: str) -> int:
    """Characters a reader counts: everything but white space."""
    return len("".join(text.split()))


def to_yuan(value: "Decimal", unit: str) -> "Decimal | None":
    """An amount in 元/万元/亿元 as exact yuan, without trailing zeros or exponent
    (618.5622万元 → 6185622); None for a unit that is not money."""
    factor = MONEY_UNITS.get(unit)
    if factor is None:
        return None
    from rectcli.exact import exact

    with exact():
        yuan = value * _decimal(factor)
        return yuan.quantize(_decimal("1")) if yuan == yuan.to_integral_value() else yuan.normalize()


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


def from_numeral(s: str) -> int | None:
    """一 → 1, 十四 → 14, 二十 → 20; None for anything else (at most 99)."""
    if not s or len(s) > 3:
        return None
    for n in range(1, 100):
        if to_numeral(n) == s:
            return n
    return None


def section_of(ident: str) -> str:
    """The top-level part of an id: '6.4' → '6', '6' → '6', 'opening.2' → 'opening'."""
    return ident.partition(".")[0]


def marker_label(marker: str) -> str:
    """A marker as it appears in the notice's own labels: 一、→一, （一）→(一), 1.→1, 一是→一是."""
    core = marker.strip().rstrip("、.．,，:：")
    if core[:1] in "(（" and core[-1:] in ")）":
        return f"({core[1:-1]})"
    return core


class Erratum(Record):
    """A suspected extraction error: ``found`` stands in the text, ``likely`` is the guess."""

    found: str
    likely: str
    note: str


class Date(Record):
    """A date as written, the date read from it and how precise that reading is.

    ``value`` is ISO: YYYY-MM-DD (day), YYYY-MM (month) or YYYY (year); None when the text could
    not be read. ``year_inferred``: the text had no year; it came from the context."""

    text: str
    value: str | None = None
    precision: str | None = None
    year_inferred: bool = False

    @property
    def day(self) -> _date | None:
        return _date.fromisoformat(self.value) if self.value and self.precision == "day" else None

    @property
    def iso(self) -> str | None:
        return self.value


class Period(Record):
    text: str
    start: Date | None = None
    end: Date | None = None


class Inspection(Record):
    body: str | None = None       # the inspecting body as written: 中央, 省委, 市委 …
    level: str | None = None      # 中央 | 省 | 市 | 县
    round: str | None = None
    team: str | None = None
    inspected: str | None = None
    former_name: str | None = None
    period: Period | None = None
    feedback: Date | None = None


class Signature(Record):
    signer: str | None = None
    date: Date | None = None


class Source(Record):
    name: str | None = None
    url: str | None = None
    encoding: str | None = None
    site: str | None = None
    masthead: str | None = None


class Chrome(Record):
    """A line of page chrome removed from the notice: kept, not thrown away."""

    line: int | None
    text: str
    kind: str | None = None


class Metadata(Record):
    title: str | None = None
    title_from: str = "none"      # body | page | none
    issuer: str | None = None
    kind: str | None = None       # 巡视 | 巡察
    special: tuple[str, ...] = ()
    inspection: Inspection = Inspection()
    published: Date | None = None
    published_time: str | None = None
    signature: Signature | None = None
    source: Source = Source()
    contacts: tuple[tuple[str, str], ...] = ()   # (phone|address|postbox|postcode|envelope_note|email, text)

    @property
    def word(self) -> str:
        """The notice's own word for the inspection: 巡察 where it says 巡察, else 巡视."""
        return self.kind or "巡视"


class Paragraph(Record):
    """A paragraph of the opening or closing (``id`` opening.N / closing.N), or of a node."""

    id: str
    text: str
    errata: tuple[Erratum, ...] = ()

    @property
    def label(self) -> str:
        part, _, n = self.id.partition(".")
        return f"{'开头' if part == 'opening' else '结尾'}第{n}段"

    @property
    def items(self) -> tuple[tuple[str, str], ...]:
        """The 一是/二是 … items written inside the paragraph: (ordinal, text) pairs."""
        return split_items(self.text)


_ITEM_ORDINALS = tuple(f"{n}是" for n in ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十"))


def split_items(text: str) -> tuple[tuple[str, str], ...]:
    """一是…二是…三是… inside a text: found in order, each ordinal at most once."""
    starts: list[tuple[int, str]] = []
    pos = 0
    for ordinal in _ITEM_ORDINALS:
        at = text.find(ordinal, pos)
        if at < 0:
            break
        starts.append((at, ordinal))
        pos = at + len(ordinal)
    if not starts or (len(starts) < 2 and not text.startswith("一是")):
        return ()
    out = []
    for i, (at, ordinal) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        out.append((ordinal, text[at + len(ordinal):end]))
    return tuple(out)


def node_lines(marker: str, heading: str | None, after_heading: str, runin: bool,
               paragraphs: "tuple[str, ...] | list[str]") -> tuple[str, ...]:
    """A node's own text as the source's paragraphs: a standalone heading is a line of its own;
    a run-in heading (or a marker without heading) shares its line with the first paragraph.
    The one definition of a node's text, used by the model, the checks and the importer."""
    head = marker + (heading or "") + after_heading
    if runin or heading is None:
        return (head + (paragraphs[0] if paragraphs else ""),) + tuple(paragraphs[1:])
    return (head,) + tuple(paragraphs)


def node_text(marker: str, heading: str | None, after_heading: str, runin: bool,
              paragraphs: "tuple[str, ...] | list[str]") -> str:
    """A node's searchable passage: its lines joined by newlines."""
    return "\n".join(node_lines(marker, heading, after_heading, runin, paragraphs))


class Node(Record):
    """A headed part of the body, any depth: its marker and heading as written, its paragraphs
    (lead paragraphs before its children, or its whole body) and its children.

    A run-in heading starts its first paragraph: (一)深刻领会要求。正文… — ``heading`` is
    深刻领会要求, ``after_heading`` the 。 that ends it, ``paragraphs[0]`` the text after it."""

    id: str                      # path: 2, 2.1, 2.1.3
    label: str                   # the notice's own: 二(一)1
    marker: str                  # as written: 一、 (一) （一） 1. (1) 一是
    heading: str | None
    paragraphs: tuple[str, ...] = ()
    children: tuple["Node", ...] = ()
    runin: bool = False
    after_heading: str = ""
    errata: tuple[Erratum, ...] = ()

    @property
    def section_id(self) -> str:
        return section_of(self.id)

    @property
    def depth(self) -> int:
        return self.id.count(".") + 1

    @property
    def head(self) -> str:
        """Marker and heading as the reader sees them (with what ends the heading: 。)."""
        return self.marker + (self.heading or "") + self.after_heading

    @property
    def lines(self) -> tuple[str, ...]:
        """The node's own text as paragraphs in the source (see :func:`node_lines`)."""
        return node_lines(self.marker, self.heading, self.after_heading, self.runin, self.paragraphs)

    @property
    def text(self) -> str:
        """Heading and paragraphs down to the children: the searchable passage."""
        return node_text(self.marker, self.heading, self.after_heading, self.runin, self.paragraphs)

    @property
    def body(self) -> str:
        """The paragraphs without marker or heading."""
        return "\n".join(self.paragraphs)

    def walk(self) -> Iterator["Node"]:
        yield self
        for child in self.children:
            yield from child.walk()


class Outcome(Record):
    """An outcome figure: 立案32件, 给予党纪处分31人(…), 清退款项120.747万元.

    ``label`` is as written, ``key`` the shared vocabulary's name (None when unknown), ``raw``
    the exact decimal as written; ``passage``/``start``/``end`` where it stands."""

    label: str
    key: str | None
    raw: str
    unit: str
    approx: str | None = None
    breakdown: tuple["Outcome", ...] = ()
    complete: bool = True
    passage: str | None = None
    start: int | None = None
    end: int | None = None
    damaged: bool = False

    @property
    def value(self) -> "Decimal":
        return _decimal(self.raw)

    @property
    def yuan(self) -> "Decimal | None":
        return to_yuan(self.value, self.unit)

    @property
    def breakdown_total(self) -> "Decimal | None":
        if not self.breakdown:
            return None
        from rectcli.exact import decimal_sum

        return decimal_sum(part.value for part in self.breakdown)

    @property
    def balanced(self) -> bool | None:
        """Whether the parts add up — judged only where the breakdown claims to be complete."""
        total = self.breakdown_total
        if total is None or not self.complete:
            return None
        return total == self.value


class Passage(Record):
    """One searchable unit: a paragraph of the opening or closing, or a node."""

    id: str
    kind: str  # "paragraph" | "node" (heading and text) | "heading" (a node whose text is its children)
    label: str
    section_id: str | None
    title: str | None
    text: str
    title_start: int = 0

    @property
    def title_span(self) -> tuple[int, int]:
        if self.title is None:
            return 0, 0
        return self.title_start, self.title_start + len(self.title)


class Notice(Record):
    metadata: Metadata
    title_lines: tuple[str, ...]
    opening: tuple[Paragraph, ...]
    sections: tuple[Node, ...]
    closing: tuple[Paragraph, ...]
    signature_lines: tuple[str, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    stated: tuple[Outcome, ...] = ()
    chrome: tuple[Chrome, ...] = ()
    signature_errata: tuple[Erratum, ...] = ()
    source: str = ""

    def nodes(self) -> Iterator[Node]:
        for s in self.sections:
            yield from s.walk()

    def node(self, ident: str) -> Node | None:
        return next((n for n in self.nodes() if n.id == ident), None)

    def section(self, ident: str) -> Node | None:
        return next((s for s in self.sections if s.id == ident), None)

    def paragraph(self, ident: str) -> Paragraph | None:
        return next((p for p in self.opening + self.closing if p.id == ident), None)

    @property
    def depth(self) -> int:
        return max((n.depth for n in self.nodes()), default=0)

    def passages(self) -> tuple[Passage, ...]:
        """Every searchable passage, in reading order."""
        out = [Passage(p.id, "paragraph", p.label, None, None, p.text) for p in self.opening]
        for n in self.nodes():
            kind = "node" if n.paragraphs else "heading"  # a heading alone: its content is its children
            out.append(Passage(n.id, kind, n.label, n.section_id, n.heading, n.text, len(n.marker)))
        out.extend(Passage(p.id, "paragraph", p.label, None, None, p.text) for p in self.closing)
        return tuple(out)

    def text_lines(self) -> Iterator[str]:
        """The notice's text in reading order, one source paragraph per line."""
        yield from self.title_lines
        for p in self.opening:
            yield p.text
        for n in self.nodes():
            yield from n.lines
        for p in self.closing:
            yield p.text
        yield from self.signature_lines
