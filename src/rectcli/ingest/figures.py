"""Outcome figures of a notice: who was disciplined and how, how much money came back, how far
the rectification got — found in plain passages of text, as FORMAT2's ``outcomes`` and
``stated_counts``.

Pure functions over ``(passage id, text)`` pairs; nothing here reads the notice file or touches
the terminal. What counts as an outcome is data, not code: ``vocab/outcomes.yaml`` (the shared
keys and the labels that map to them) and ``vocab/units.yaml`` (counting units, money units with
exact factors, percent), both read once, lazily.

An outcome is a number with a unit standing right after a label the vocabulary knows (立案32件,
给予党纪处分31人, 清退款项120.747万元), or around it for the progress forms (反馈的32个问题).
Each one is a plain dict::

    {label, key, value, unit, approx, [yuan], at: {passage, start, end}, breakdown, complete,
     [damaged]}

- ``label``: as written, without the verb before it (给予/予以 are not part of 党纪处分); a lumped
  count keeps the whole run (责令检查、批评教育、谈话提醒). ``key``: the vocabulary key, or None.
- ``value``: the number as written (exact decimal string); ``unit`` as written (件 人 人次 万元 %);
  万余元/亿余元 are read as 万元/亿元 with approx 余.
- ``approx``: 余 | 近 | 超 | 约 | None (多 reads as 余, 超过 as 超).
- ``yuan``: money only, the exact amount in 元 as a string without exponent or trailing zeros
  (120.747万元 → '1207470'); computed with Decimal, never float. Absent for other units.
- ``at``: the span of the phrase from the label's first character to the unit's last (for
  反馈的32个问题 the whole of it), so ``text[start:end]`` holds label and number.
- ``breakdown``: the parts listed in (…) right after the total (``complete: true``, a list that
  claims to be whole) or in a following ，其中… clause (``complete: false``), each of the same
  shape. Part keys come from the total's ``parts`` in the vocabulary (警告 under 政务处分 is
  gov_warning, under 党纪处分 party_warning); an unknown part keeps key None.
- ``damaged: true`` (only when so): the text lost the unit (党内警告12党内严重警告9人, where
  ``人,`` is gone); the unit is inferred — the unit all sibling parts share, else the total's.

Stated counts (反馈的4个方面14个类别43项具体问题, 召开18次会议, 整改措施96条) describe the work,
not its results: ``{label, value, unit, at}`` (plus ``approx`` when approximate).

Not figures: dates, years, month ranges (4-10月), codes (M0), phone numbers and postcodes (no
unit, or an ASCII character glued to the number), numbers inside names (``vocab/not_counts.txt``:
中央八项规定, 两个维护 …), percentages other than a completion rate, and any count without a
known label. Only Arabic digits (ASCII) are read as numbers: Chinese numerals in this genre are
far more often names than counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

import yaml

from rectcli import vocab
from rectcli.exact import exact

__all__ = ["find_outcomes", "to_yuan", "vocabulary"]

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# a gap (…) in a label form and a label in a breakdown never run over these
_STOPS = "，,。；;：:、（）()！？!?“”\"《》【】[]\n\r\t 　"
_GAP = "[^0-9" + re.escape(_STOPS) + "]{0,20}?"
_SEPARATORS = "，,、；;"
_CHAIN = "(?:[0-9]+(?:个|项|条)?(?:方面|类别|大类|类))+"
_LEADING_WORDS = ("其中", "分别", "包括", "含", "给予", "予以")


def _load(name: str) -> Any:
    return yaml.load(vocab.text(name), Loader=_LOADER)


@dataclass(frozen=True)
class _Form:
    key: str | None
    kind: str                  # count | money | percent
    text: str                  # the form as in the vocabulary
    before: re.Pattern[str]    # the label part before the number, anchored at the end
    after: re.Pattern[str] | None  # for {n} forms: the part after number+unit, anchored at start
    parts: dict[str, str] = field(default_factory=dict)
    followed_by: tuple[str, ...] = ()  # the phrase must be followed by one of these (not in it)


@dataclass(frozen=True)
class _Vocab:
    forms: tuple[_Form, ...]
    plain: dict[str, tuple[str, str]]   # plain label → (key, kind): lumps, part fall-back
    joiners: tuple[str, ...]
    lumps: dict[frozenset[str], str]
    number: re.Pattern[str]
    unit_canon: dict[str, tuple[str, str | None]]  # unit as matched → (unit, approx)
    counting: frozenset[str]
    money: dict[str, Decimal]
    percent: frozenset[str]
    approx_before: dict[str, str]
    approx_after: dict[str, str]
    stated_after: tuple[str, ...]
    stated_before: tuple[str, ...]
    meeting_ends: tuple[str, ...]
    chain_units: frozenset[str]
    names: tuple[str, ...]
    simplified: dict[str, str]          # traditional → simplified, one character each


def _piece(text: str) -> str:
    return _GAP.join(re.escape(p) for p in text.split("…"))


@lru_cache(maxsize=1)
def vocabulary() -> _Vocab:
    """The vocabulary and units, read once from ``vocab/``."""
    units = _load("units.yaml")
    data = _load("outcomes.yaml")
    conn = "(?:" + "|".join(re.escape(c) for c in sorted(data["connectors"], key=len, reverse=True)) + ")?"
    forms: list[_Form] = []
    plain: dict[str, tuple[str, str]] = {}
    for entry in data["outcomes"]:
        key, kind = entry["key"], entry.get("kind", "count")
        parts = {label: pkey for pkey, labels in (entry.get("parts") or {}).items() for label in labels}
        after_words = tuple(entry.get("followed_by") or ())
        for label in entry["labels"]:
            if "{n}" in label:
                before, after = label.split("{n}", 1)
                # {chain}: counted groups between the label and the number, not part of the label
                # (反馈的4个方面21个问题 → 反馈的 + 问题)
                head, _, _ = before.partition("{chain}")
                chain = "(?P<chain>" + _CHAIN + ")" if "{chain}" in before else "(?P<chain>)"
                forms.append(_Form(key, kind, label, re.compile("(?:" + _piece(head) + ")" + chain + "$"),
                                   re.compile(_piece(after)) if after else None, parts, after_words))
            else:
                forms.append(_Form(key, kind, label,
                                   re.compile("(?:" + _piece(label) + ")" + conn + "$"), None, parts,
                                   after_words))
                if "…" not in label:
                    plain.setdefault(label, (key, kind))
    counting = frozenset(units["counting"])
    money = {u: Decimal(str(f)) for u, f in units["money"].items()}
    percent = frozenset(units["percent"])
    approx_before = dict(units["approx_before"])
    approx_after = dict(units["approx_after"])
    unit_canon: dict[str, tuple[str, str | None]] = {u: (u, None) for u in (*counting, *money, *percent)}
    for u in money:  # 3万余元 → 3, 万元, 余
        if len(u) == 2:
            for word, approx in approx_after.items():
                unit_canon[u[0] + word + u[1]] = (u, approx)
    alt = lambda words: "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # noqa: E731
    number = re.compile(
        f"(?P<pre>{alt(approx_before)})?(?P<num>[0-9]+(?:\\.[0-9]+)?)"
        f"(?P<suf>{alt(approx_after)})?(?P<unit>{alt(unit_canon)})?"
    )
    stated = data.get("stated_counts") or {}
    names = tuple(line.strip() for line in vocab.lines("not_counts.txt"))
    return _Vocab(
        forms=tuple(forms), plain=plain,
        joiners=tuple(sorted(data["joiners"], key=len, reverse=True)),
        lumps={frozenset(x["keys"]): x["key"] for x in data.get("lumps") or ()},
        number=number, unit_canon=unit_canon, counting=counting, money=money, percent=percent,
        approx_before=approx_before, approx_after=approx_after,
        stated_after=tuple(sorted(stated.get("after") or (), key=len, reverse=True)),
        stated_before=tuple(sorted(stated.get("before") or (), key=len, reverse=True)),
        meeting_ends=tuple(stated.get("meeting_ends") or ()),
        chain_units=frozenset(stated.get("chain_units") or ()),
        names=names,
        simplified={pair[0]: pair[1] for pair in str(data.get("traditional") or "").split()
                    if len(pair) == 2},
    )


def _fold(text: str, v: _Vocab) -> str:
    """``text`` with traditional characters simplified and full-width forms made ASCII, one
    character for one (so spans in the folded text are spans in ``text``)."""
    out = []
    for ch in text:
        if ch in v.simplified:
            ch = v.simplified[ch]
        elif "\uff01" <= ch <= "\uff5e":
            ch = chr(ord(ch) - 0xFEE0)
        out.append(ch)
    return "".join(out)


def to_yuan(value: str | Decimal, unit: str) -> str | None:
    """An amount in a money unit as exact yuan (120.747, 万元 → '1207470'); None if not money."""
    factor = vocabulary().money.get(unit)
    if factor is None:
        return None
    with exact():
        yuan = Decimal(value) * factor
        if yuan == yuan.to_integral_value():
            return str(yuan.quantize(Decimal(1)))
        return format(yuan.normalize(), "f")


# ---------------------------------------------------------------- numbers in a text


@dataclass
class _Token:
    start: int          # the phrase's number part, with 近/超过 before it
    num_start: int
    end: int            # after the unit (or after the number when there is none)
    value: str
    unit: str | None    # the unit read (simplified: 万元 for 萬元, 万元 for 万余元)
    approx: str | None
    written: str | None  # the unit as written (萬元; 万元 for 万余元)


def _tokens(original: str, text: str, v: _Vocab) -> list[_Token]:
    """The numbers of ``text`` (folded) with their units; ``original`` gives units as written."""
    masked = [(a, a + len(n)) for n in v.names for a in _find_all(text, n)]
    out = []
    for m in v.number.finditer(text):
        ns = m.start("num")
        before = text[ns - 1] if ns else ""
        if before and (before.isascii() and (before.isalnum() or before in ".-/+_@#") or before == "第"):
            continue  # M0, 0574-82355637, 2021-2025, 第3: codes, phone numbers, ordinals
        after = text[m.end("num"):m.end("num") + 1]
        if after and after.isascii() and (after.isalnum() or after in "-/.@_"):
            continue
        if any(a <= m.start() and m.end() <= b for a, b in masked):
            continue
        unit, approx, written = None, None, None
        if m.group("unit"):
            unit, approx = v.unit_canon[m.group("unit")]
            written = original[m.start("unit"):m.end("unit")]
            if approx is not None:  # 万余元 → 万元
                written = written[0] + written[2:]
            nxt = text[m.end():m.end() + 1]
            if unit == "个" and nxt in ("月", "工", "小"):
                continue  # 3个月, 1个工作日, 2个小时: time
        if _beyond_the_format(m.group("num"), unit, v):
            continue  # 清退款项123456789012345678901234567890元: text, no figure a notice file can hold
        pre, suf = m.group("pre"), m.group("suf")
        approx = approx or (v.approx_before[pre] if pre else None) or (v.approx_after[suf] if suf else None)
        start = m.start() if pre else ns
        end = m.end() if unit else m.end("num")
        out.append(_Token(start, ns, end, m.group("num"), unit, approx, written))
    return out


def _beyond_the_format(value: str, unit: str | None, v: _Vocab) -> bool:
    """Whether a notice file cannot hold this number as a figure: more digits, or its amount in
    元 more digits, than the format allows (rectcli.notice.format.MAX_DIGITS, MAX_PLACES)."""
    from rectcli.notice.format import decimal_problem

    if decimal_problem(value):
        return True
    yuan = to_yuan(value, unit) if unit is not None and unit in v.money else None
    return yuan is not None and bool(decimal_problem(yuan))


def _find_all(text: str, word: str):
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


def _kind_of(unit: str | None, v: _Vocab) -> str | None:
    if unit in v.money:
        return "money"
    if unit in v.percent:
        return "percent"
    if unit in v.counting:
        return "count"
    return None


# ---------------------------------------------------------------- labels


@dataclass
class _Match:
    form: _Form
    start: int      # the label's start in the text
    end: int        # the phrase's end (after the {n} form's tail, or the token's end)
    label: str      # in the folded text
    pieces: tuple[tuple[int, int], ...]  # where the label stands: one span, or two around {n}

    def written(self, original: str) -> str:
        return "".join(original[a:b] for a, b in self.pieces)


def _label_at(text: str, tok: _Token, v: _Vocab, kind: str) -> _Match | None:
    """The longest vocabulary label that stands right before (or around) this number."""
    lo = max(0, tok.start - 40)
    window = text[lo:tok.start]
    best: _Match | None = None
    for form in v.forms:
        if form.kind != kind:
            continue
        m = form.before.search(window)
        if m is None:
            continue
        if form.after is not None:
            t = form.after.match(text, tok.end)
            if t is None:
                continue
            label, end = m.group(0) + t.group(0), t.end()
            pieces = ((lo + m.start(), lo + m.start("chain")), (t.start(), t.end()))
            label = text[pieces[0][0]:pieces[0][1]] + t.group(0)
        elif "{n}" in form.text:
            continue
        else:
            label = _strip_connectors(m.group(0), form)
            end = tok.end
            pieces = ((lo + m.start(), lo + m.start() + len(label)),)
        if not label:
            continue
        if form.followed_by and not any(text.startswith(w, end) for w in form.followed_by):
            continue
        start = lo + m.start()
        if best is None or len(label) > len(best.label):
            best = _Match(form, start, end, label, pieces)
    return best


@lru_cache(maxsize=None)
def _bare(form_text: str) -> re.Pattern[str]:
    return re.compile("(?:" + _piece(form_text) + ")")


def _strip_connectors(matched: str, form: _Form) -> str:
    """The label part of ``label + connector``: what the form's own pattern covers."""
    m = _bare(form.text).match(matched)
    return m.group(0) if m else ""


def _plain_before(text: str, end: int, v: _Vocab) -> tuple[int, str, str] | None:
    """A plain vocabulary label ending exactly at ``end``: (start, label, key)."""
    best = None
    for label, (key, _kind) in v.plain.items():
        if text.startswith(label, end - len(label)) and end - len(label) >= 0:
            if best is None or len(label) > len(best[1]):
                best = (end - len(label), label, key)
    return best


def _lump(text: str, match: _Match, v: _Vocab) -> tuple[int, str | None]:
    """Extend a label back over 、/和/及-joined labels: (new start, key)."""
    start, keys = match.start, [match.form.key]
    while True:
        joiner = next((j for j in v.joiners if text.startswith(j, start - len(j)) and start >= len(j)), None)
        if joiner is None:
            break
        prev = _plain_before(text, start - len(joiner), v)
        if prev is None:
            break
        start, keys = prev[0], keys + [prev[2]]
    if start == match.start:
        return start, match.form.key
    distinct = frozenset(k for k in keys if k is not None)
    if len(distinct) == 1 and None not in keys:
        return start, next(iter(distinct))
    return start, v.lumps.get(distinct)


# ---------------------------------------------------------------- breakdowns


def _parts(original: str, text: str, lo: int, hi: int, passage: str, parts_map: dict[str, str], total_unit: str,
           v: _Vocab, tokens: list[_Token]) -> tuple[list[dict], bool]:
    """The parts listed in text[lo:hi]: (parts, every segment read)."""
    out: list[dict] = []
    whole = True
    seg_start = lo
    bounds = []
    for i in range(lo, hi + 1):
        if i == hi or text[i] in _SEPARATORS:
            bounds.append((seg_start, i))
            seg_start = i + 1
    for a, b in bounds:
        if a >= b:
            continue
        toks = [t for t in tokens if a <= t.start and t.end <= b]
        if not toks:
            whole = False
            continue
        cursor = a
        for t in toks:
            raw = text[cursor:t.start]
            label = raw
            for w in _LEADING_WORDS:
                if label.startswith(w):
                    label = label[len(w):]
            label_start = t.start - len(label) if label else t.start
            label = label.rstrip("：:为共计")
            if not label or any(c in _STOPS or c.isdigit() for c in label):
                whole = False
                cursor = t.end
                continue
            key = parts_map.get(label)
            if key is None and label in v.plain:
                key = v.plain[label][0]
            written = original[label_start:label_start + len(label)]
            item = _figure(written, key, t, passage, label_start, t.end, v)
            if t.unit is None:
                item["damaged"] = True
            out.append(item)
            cursor = t.end
        if text[cursor:b].strip():
            whole = False
    units = {p["unit"] for p in out if p["unit"] is not None}
    for p in out:
        if p["unit"] is None:
            p["unit"] = next(iter(units)) if len(units) == 1 else total_unit
            yuan = to_yuan(p["value"], _fold(p["unit"], v))
            if yuan is not None:
                p["yuan"] = yuan
    return out, whole


def _figure(label: str, key: str | None, tok: _Token, passage: str, start: int, end: int,
            v: _Vocab) -> dict:
    item: dict[str, Any] = {"label": label, "key": key, "value": tok.value, "unit": tok.written,
                            "approx": tok.approx}
    if tok.unit is not None and tok.unit in v.money:
        item["yuan"] = to_yuan(tok.value, tok.unit)
    item["at"] = {"passage": passage, "start": start, "end": end}
    item["breakdown"] = []
    item["complete"] = False
    return item


# ---------------------------------------------------------------- one passage


def _clause_start(text: str, pos: int) -> int:
    i = pos
    while i > 0 and text[i - 1] not in "，,。；;：:！？!?\n":
        i -= 1
    return i


def _outcomes_in(passage: str, original: str, v: _Vocab) -> tuple[list[dict], list[dict]]:
    text = _fold(original, v)   # matched against; labels and units are taken from the original
    tokens = _tokens(original, text, v)
    used: set[int] = set()   # token starts consumed as outcomes or their parts
    outcomes: list[dict] = []
    for tok in tokens:
        if tok.start in used or tok.unit is None:
            continue
        kind = _kind_of(tok.unit, v)
        if kind is None:
            continue
        match = _label_at(text, tok, v, kind)
        if match is None:
            continue
        start, key = _lump(text, match, v)
        label = original[start:match.start] + match.written(original)
        item = _figure(label, key, tok, passage, start, match.end, v)
        used.add(tok.start)
        # a breakdown: (…) right after, or ，其中…
        pos = match.end
        if pos < len(text) and text[pos] in "(（":
            close = min((i for i in (text.find(")", pos), text.find("）", pos)) if i >= 0), default=-1)
            if close > pos:
                lo, complete = pos + 1, True
                if text.startswith("其中", lo):
                    lo, complete = lo + 2, False
                parts, whole = _parts(original, text, lo, close, passage, match.form.parts,
                                      tok.written, v, tokens)
                if parts:
                    item["breakdown"] = parts
                    item["complete"] = complete and whole
                    used.update(t.start for t in tokens if lo <= t.start < close)
        else:
            m = re.compile(r"[，,]\s*其中[：:，,]?").match(text, pos)
            if m:
                lo = m.end()
                hi = lo
                while hi < len(text) and text[hi] not in "；;。！？!?\n":
                    hi += 1
                # stop at a segment that begins with an outcome label of its own
                seg = lo
                for i in range(lo, hi + 1):
                    if i == hi or text[i] in "，,":
                        if seg > lo and _starts_with_label(text, seg, i, v):
                            hi = seg - 1
                            break
                        seg = i + 1
                parts, _whole = _parts(original, text, lo, hi, passage, match.form.parts,
                                       tok.written, v, tokens)
                if parts:
                    item["breakdown"] = parts
                    item["complete"] = False
                    used.update(t.start for t in tokens if lo <= t.start < hi)
        outcomes.append(item)
    stated = _stated(passage, original, text, tokens, used, v)
    return outcomes, stated


def _starts_with_label(text: str, lo: int, hi: int, v: _Vocab) -> bool:
    seg = text[lo:hi]
    return any(seg.startswith(label) for label in v.plain)


def _stated(passage: str, original: str, text: str, tokens: list[_Token], used: set[int], v: _Vocab) -> list[dict]:
    out: list[dict] = []
    last_end = -1
    for tok in tokens:
        if tok.start in used or tok.unit is None or tok.unit not in v.counting:
            continue
        label, start, end = None, tok.start, tok.end   # label: a span of the text
        noun = next((n for n in v.stated_after if text.startswith(n, tok.end)), None)
        clause = text[_clause_start(text, tok.start):tok.start]
        if noun is not None:
            if noun in ("问题", "具体问题", "方面问题", "方面", "类别") and not re.search("反馈|指出|提出", clause):
                noun = None
            elif noun == "会议" and tok.unit != "次":
                noun = None
        if noun is not None:
            label, end = (tok.end, tok.end + len(noun)), tok.end + len(noun)
        elif tok.unit in v.chain_units and tok.start == last_end:
            label = (tok.end - len(tok.unit), tok.end)   # 11类: the unit names what is counted
        else:
            before = next((n for n in v.stated_before if clause.endswith(n)), None)
            if before is not None:
                label, start = (tok.start - len(before), tok.start), tok.start - len(before)
            elif tok.unit == "次" and "召开" in clause:
                name = clause[clause.rfind("召开") + 2:]
                if name and len(name) <= 10 and name.endswith(v.meeting_ends) and \
                        all("\u4e00" <= c <= "\u9fff" for c in name):
                    label, start = (tok.start - len(name), tok.start), tok.start - len(name)
        if label is None:
            continue
        item: dict[str, Any] = {"label": original[label[0]:label[1]], "value": tok.value, "unit": tok.written,
                                "at": {"passage": passage, "start": start, "end": end}}
        if tok.approx:
            item["approx"] = tok.approx
        out.append(item)
        last_end = end
    return out


def find_outcomes(passages: list[tuple[str, str]]) -> tuple[list[dict], list[dict]]:
    """The outcome figures and the stated counts of these passages, in reading order.

    ``passages``: (passage id, text) pairs in reading order. Returns ``(outcomes, stated_counts)``
    as plain dicts (see the module docstring for their shape).
    """
    v = vocabulary()
    outcomes: list[dict] = []
    stated: list[dict] = []
    for pid, text in passages:
        if not text:
            continue
        o, s = _outcomes_in(pid, text, v)
        outcomes.extend(o)
        stated.extend(s)
    return outcomes, stated
