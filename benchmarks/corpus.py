"""A synthetic corpus of 巡视/巡察整改进展情况的通报 for rectcli's benchmarks.

    python benchmarks/corpus.py --count 1000 --seed 1 --out DIR [--encodings SPEC] [--html-share F]

writes DIR/000001.txt … (fictional notices of the genre, 2,000–8,000 characters each) and
DIR/manifest.json (for each file the facts planted in it: kind, level, unit, year, title, the
outcome figures as written, money as exact 元 strings, the searchable terms it carries …), so a
benchmark can check answers as well as time them. The same seed gives the same bytes.

Every sentence is put together at random from the phrase banks in benchmarks/phrases.yaml
(composed for this file; no published notice's text is copied), so no two notices read alike:
what GENRE.md (/work/shared/GENRE.md) says varies across real notices varies here too.

``--encodings`` is ``utf-8`` (the default), ``mixed`` (90% UTF-8, 5% GB18030, 5% UTF-8 with a BOM
and CRLF line ends) or weights such as ``utf-8:80,gb18030:10,bom-crlf:10``. ``--html-share 0.05``
makes about 5% of the notices simple saved web pages (``.html``, UTF-8). The text of a notice does
not depend on these two flags; only its form does.

From Python: ``generate(count, seed)`` yields ``(file name, text, facts)``; ``encode(text, facts)``
gives the bytes written for it. Notice N depends only on (seed, N): ``generate(10, 1, start=500)``
gives files 000500 … 000509 of the same corpus.

manifest.json has one entry per file (one per line), with: file, index, form (txt | html),
encoding (utf-8 | gb18030 | bom-crlf), kind (巡视 | 巡察), special (专项 | 回头看 | 交叉 | null),
level (中央 | 省 | 市 | 县), committee, unit, inspected, issuer (null when the notice only says
我局/我县: then issuer_in_body), team, round, topic, year (of the inspection), period, feedback (as
written), published (ISO), title and title_form (none | absent | body | twice | split: where the
body text has it), punct (full | ascii | mixed), quotes_lost, blank_lines, chrome (null | portal |
info | newspaper | html) and chrome_lines (exact lines of a .txt), structure (top_level: has an 一、
level; depth 1–4; headings: lines that start with a marker; runin; org: how 一是… is laid out),
outcome_place, outcomes ({key: {label, value, unit, written, approx, breakdown?}}, keys as in
tests/fixtures/genre/README.md: 立案, 党纪处分, 政务处分, 制度 …; ``written`` is in the text
verbatim), money ([{key, label, value, unit, approx, written, yuan}], yuan an exact decimal
string: 5.0227万元 → "50227"), progress, terms (the searchable terms the text contains, exactly),
contacts, signature, damage (planted damaged dates: found / likely), chars (len of the text).
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import sys
import time
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import yaml

HERE = Path(__file__).resolve().parent
PHRASES = HERE / "phrases.yaml"
MIN_CHARS, MAX_CHARS = 2000, 8000
FORMS = ("utf-8", "gb18030", "bom-crlf")
CN_DIGITS = "零一二三四五六七八九"
TO_ASCII = str.maketrans({"，": ",", "（": "(", "）": ")", "：": ":", "；": ";"})
SLOT = re.compile(r"\{([^{}]+)\}")
IDEO = "\u3000"


def cn(n: int) -> str:
    """1..99 in Chinese numerals (一, 十, 十二, 二十, 二十三)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


@lru_cache(maxsize=None)
def load_banks(path: str = str(PHRASES)) -> dict:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=loader)


@lru_cache(maxsize=None)
def _compile(template: str) -> str | tuple:
    """A template as a str (no slots) or a tuple of literals, (name,) slots and (lo, hi) numbers."""
    if "{" not in template:
        return template
    parts: list[object] = []
    pos = 0
    for m in SLOT.finditer(template):
        if m.start() > pos:
            parts.append(template[pos:m.start()])
        name = m.group(1)
        if name[0] == "#":
            lo, hi = name[1:].split("-")
            parts.append((int(lo), int(hi)))
        else:
            parts.append((name,))
        pos = m.end()
    if pos < len(template):
        parts.append(template[pos:])
    return tuple(parts)


_COMPILED: dict[int, dict] = {}


def _compiled(key: int, banks: dict) -> dict[str, list]:
    """Every list-of-str bank compiled once per loaded bank set."""
    c = _COMPILED.get(key)
    if c is None or c["__banks__"] is not banks:
        c = {name: [_compile(t) for t in v] for name, v in banks.items()
             if isinstance(v, list) and all(isinstance(t, str) for t in v)}
        c["__banks__"] = banks
        _COMPILED[key] = c
    return c


class Writer:
    """Expands phrase templates: {bank} → a random entry (expanded), {#A-B} → a number, ctx first."""

    def __init__(self, banks: dict, rng: random.Random, ctx: dict[str, str]):
        self.banks, self.rng, self.ctx = banks, rng, ctx
        self.random = rng.random
        self.compiled = _compiled(id(banks), banks)

    def _bank(self, name: str) -> list:
        return self.compiled[name]

    def _run(self, parts) -> str:
        if parts.__class__ is str:
            return parts
        out = []
        for p in parts:
            if p.__class__ is str:
                out.append(p)
            elif len(p) == 1:
                v = self.ctx.get(p[0])
                if v is None:
                    bank = self._bank(p[0])
                    v = self._run(bank[int(self.random() * len(bank))])
                out.append(v)
            else:
                out.append(str(p[0] + int(self.random() * (p[1] - p[0] + 1))))
        return "".join(out)

    def x(self, template: str) -> str:
        return self._run(_compile(template))

    def pick(self, bank: str) -> str:
        b = self._bank(bank)
        return self._run(b[int(self.random() * len(b))])


def _place(rng: random.Random, banks: dict, avoid: set[str]) -> str:
    while True:
        a, b = rng.choice(banks["place_first"]), rng.choice(banks["place_second"])
        if a != b and a + b not in avoid:
            avoid.add(a + b)
            return a + b


def _weighted(rng: random.Random, table: list[tuple[object, float]]):
    r = rng.random() * sum(w for _, w in table)
    for value, w in table:
        r -= w
        if r < 0:
            return value
    return table[-1][0]


def _dec(v: Decimal) -> str:
    """An exact decimal string without exponent or trailing zeros (3.2600 → 3.26, 1E+3 → 1000)."""
    s = format(v.normalize(), "f")
    return s


# ---------------------------------------------------------------------------------------------
# the inspected unit and the round
# ---------------------------------------------------------------------------------------------

def _unit(rng: random.Random, banks: dict, level: str, kind: str, special: str | None) -> dict:
    used: set[str] = set()
    prov = _place(rng, banks, used) + "省"
    city = _place(rng, banks, used) + "市"
    county_is_district = rng.random() < 0.3
    county = _place(rng, banks, used) + ("区" if county_is_district else "县")
    town = _place(rng, banks, used) + rng.choice(banks["town_kind"])
    u: dict[str, str | None] = {"province": prov, "city": city, "county": county}
    choice = rng.random()
    if level == "中央":
        u["committee"] = "中央"
        if choice < 0.6:
            u.update(unit=prov, inspected=f"{prov}委", actor="省委", issuer=f"中共{prov}委", short=prov,
                     scope="全省", sub="各市（州）", leader="省委书记", me="我省", place=prov)
        else:
            u.update(unit=city, inspected=f"{city}委", actor="市委", issuer=f"中共{city}委", short=city,
                     scope="全市", sub="各县（市、区）", leader="市委书记", me="我市", place=city)
    elif level == "省":
        u["committee"] = "省委"
        if choice < 0.55:
            name, actor = rng.choice(banks["dept_province"])
            actor = "省" + name + "党组" if actor == "党组" else actor
            u.update(unit=prov + name, inspected=f"省{name}{actor[-2:]}", actor=actor,
                     issuer=f"中共{prov}{name}{actor[-2:]}", short="省" + name, scope="全系统",
                     sub=rng.choice(["厅属单位", "直属单位", "机关各处室"]),
                     leader=f"{actor}书记", me="我" + name[-1], place=prov)
        elif choice < 0.75:
            u.update(unit=city, inspected=f"{city}委", actor="市委", issuer=f"中共{city}委", short=city,
                     scope="全市", sub="各县（市、区）", leader="市委书记", me="我市", place=city)
        elif choice < 0.9:
            ent = prov + rng.choice(banks["enterprise"])
            u.update(unit=ent, inspected=f"{ent}党委", actor="集团党委", issuer=f"中共{ent}委员会",
                     short="集团公司", scope="全集团", sub="所属企业", leader="党委书记、董事长",
                     me="我集团", place=prov)
        else:
            col = prov[:-1] + rng.choice(banks["college"])
            u.update(unit=col, inspected=f"{col}党委", actor="学校党委", issuer=f"中共{col}委员会",
                     short="学校", scope="全校", sub="各二级学院", leader="党委书记", me="我校", place=prov)
    elif level == "市":
        u["committee"] = "市委"
        if special == "专项" and choice < 0.3:
            u.update(unit=county, inspected=county[-1] + "委", actor=county[-1] + "委", issuer=f"中共{county}委",
                     short=county, scope="全" + county[-1], sub="各乡镇（街道）", leader=county[-1] + "委书记",
                     me="我" + county[-1], place=county)
        elif choice < 0.7 or special == "交叉":
            name, actor = rng.choice(banks["dept_city"])
            host = county if special == "交叉" else city
            pre = host[-1]
            actor = pre + name + "党组" if actor == "党组" else actor
            u.update(unit=host + name, inspected=f"{pre}{name}{actor[-2:]}", actor=actor,
                     issuer=f"中共{host}{name}{actor[-2:]}", short=pre + name, scope="全系统",
                     sub=rng.choice(["直属单位", "局属单位", "机关各科室", "下属单位"]),
                     leader=f"{actor[-2:]}书记", me="我" + name[-1], place=host)
        elif choice < 0.85:
            ent = city + rng.choice(banks["enterprise"])
            u.update(unit=ent, inspected=f"{ent}党委", actor="公司党委", issuer=f"中共{ent}委员会",
                     short="公司", scope="全公司", sub="所属企业", leader="党委书记、董事长",
                     me="我公司", place=city)
        else:
            tn = town
            u.update(unit=county + tn, inspected=f"{tn}党委", actor=f"{tn[-1]}党委" if len(tn) == 3 else "街道党工委",
                     issuer=f"中共{county}{tn}委员会" if len(tn) == 3 else f"中共{county}{tn}工作委员会",
                     short=tn, scope="全" + tn[-1] if len(tn) == 3 else "全街道", sub="各村（社区）",
                     leader="党委书记", me="我" + tn[-1], place=county)
    else:  # 县
        u["committee"] = county[-1] + "委"
        if choice < 0.55:
            tn = town
            u.update(unit=county + tn, inspected=f"{tn}党委" if len(tn) == 3 else f"{tn}党工委",
                     actor=f"{tn[-1]}党委" if len(tn) == 3 else "街道党工委",
                     issuer=f"中共{county}{tn}委员会" if len(tn) == 3 else f"中共{county}{tn}工作委员会",
                     short=tn, scope="全" + tn[-1] if len(tn) == 3 else "全街道", sub="各村（社区）",
                     leader=f"{tn[-1]}党委书记" if len(tn) == 3 else "党工委书记", me="我" + tn[-1], place=county)
        else:
            name, actor = rng.choice(banks["dept_city"])
            pre = county[-1]
            actor = pre + name + "党组" if actor == "党组" else actor
            u.update(unit=county + name, inspected=f"{pre}{name}{actor[-2:]}", actor=actor,
                     issuer=f"中共{county}{name}{actor[-2:]}", short=pre + name, scope="全系统",
                     sub=rng.choice(["下属单位", "基层站所", "机关各股室", "二级单位"]),
                     leader=f"{actor[-2:]}书记", me="我" + name[-1], place=county)
    return u


def _jie(rng: random.Random, level: str, year: int) -> str:
    if level == "中央":
        return "十八届" if year <= 2017 else "十九届" if year <= 2022 else "二十届"
    lo, hi = {"省": (10, 15), "市": (7, 14), "县": (10, 16)}[level]
    return cn(rng.randint(lo, hi)) + "届"


# ---------------------------------------------------------------------------------------------
# outcome figures
# ---------------------------------------------------------------------------------------------

PARTY = [("党内警告", "党内警告"), ("严重警告", "党内严重警告"), ("撤销党内职务", "撤销党内职务"),
         ("留党察看", "留党察看"), ("开除党籍", "开除党籍")]
GOV = [("警告", "警告"), ("记过", "记过"), ("记大过", "记大过"), ("降级", "降级"), ("撤职", "撤职"), ("开除", "开除")]
ORG = [("调整岗位", "调整岗位"), ("免职", "免职"), ("责令检查", "责令检查"), ("通报批评", "通报批评"), ("停职检查", "停职检查")]
SYSTEM_LABELS = ["建立完善制度", "制定及修改完善制度", "新建和修订制度", "建立健全制度", "新建完善制度", "新建和修订完善制度"]
MONEY_LABELS = {
    "money_returned": ["清退款项"],
    "money_recovered": ["收回清退违规资金", "追缴资金", "追回违规提取资金", "追回被挤占挪用资金", "追回违规使用资金", "收回违规资金"],
    "loss_recovered": ["直接挽回经济损失", "挽回经济损失"],
    "subsidy_returned": ["退还违规领取的住房补贴", "退还违规领取的交通补贴", "督促退还违规领取的加班补贴",
                         "退还违规领取的岗位补贴", "退还违规领取的值班补贴"],
}


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """total split into `parts` positive counts (parts ≤ total)."""
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    edges = [0, *cuts, total]
    return [b - a for a, b in zip(edges, edges[1:])]


def _money(rng: random.Random, key: str) -> dict:
    label = rng.choice(MONEY_LABELS[key])
    unit = _weighted(rng, [("元", 0.25), ("万元", 0.65), ("亿元", 0.1)])
    approx = _weighted(rng, [(None, 0.9), ("近", 0.04), ("超", 0.02), ("余", 0.04)])
    if approx:
        v = Decimal(rng.choice([20, 30, 50, 80, 100, 120, 150, 200, 300, 500, 800, 1000, 3000]))
        if unit == "亿元":
            v = Decimal(rng.randint(1, 9))
        elif unit == "元":
            v *= 1000
    elif unit == "元":
        v = Decimal(rng.randint(300, 999999))
        if rng.random() < 0.2:
            v = (v + Decimal(rng.randint(1, 99)) / 100)
    else:
        d = _weighted(rng, [(0, 0.15), (1, 0.15), (2, 0.3), (3, 0.1), (4, 0.3)])
        top = 9999 if unit == "万元" else 30
        v = Decimal(rng.randint(10 ** d // 10 or 1, top * 10 ** d)).scaleb(-d)
    value = _dec(v)
    num = {"近": "近" + value, "超": "超" + value, "余": value + "余"}.get(approx or "", value)
    written = f"{label}{num}{unit}"
    yuan = _dec(v * {"元": 1, "万元": 10000, "亿元": 100000000}[unit])
    return {"key": key, "label": label, "value": value, "unit": unit, "approx": approx,
            "written": written, "yuan": yuan}


def _outcomes(rng: random.Random, level: str) -> tuple[list[str], dict, list[dict]]:
    """Phrases (no final 。), {key: fact}, money facts."""
    scale = {"县": 12, "市": 30, "省": 60, "中央": 200}[level]
    phrases: list[str] = []
    facts: dict[str, dict] = {}

    def add(key: str, label: str, n: int, unit: str, tail: str = "", breakdown: dict | None = None,
            approx: str | None = None) -> None:
        num = f"{n}余" if approx == "余" else str(n)
        written = f"{label}{num}{unit}"
        phrases.append(written + tail)
        facts[key] = {"label": label, "value": str(n), "unit": unit, "written": written, "approx": approx}
        if breakdown is not None:
            facts[key]["breakdown"] = breakdown

    def with_parts(total: int, kinds: list[tuple[str, str]], unit: str) -> tuple[str, dict | None]:
        r = rng.random()
        if r < 0.45 or total < 2:
            return "", None
        k = rng.randint(2, min(len(kinds), total))
        chosen = sorted(rng.sample(range(len(kinds)), k))
        if r < 0.88 or k + 1 > total:
            counts = _split(rng, total, k)
            parts = {kinds[i][0]: c for i, c in zip(chosen, counts)}
            inner = "，".join(f"{kinds[i][1]}{c}{unit}" for i, c in zip(chosen, counts))
            return f"（{inner}）", {"parts": parts, "complete": True}
        # an incomplete breakdown: 其中…
        counts = _split(rng, total, k + 1)[:k]
        parts = {kinds[i][0]: c for i, c in zip(chosen, counts)}
        inner = "，".join(f"{kinds[i][1]}{c}{unit}" for i, c in zip(chosen, counts))
        return f"，其中{inner}", {"parts": parts, "complete": False}

    if rng.random() < 0.65:
        n = rng.randint(1, scale)
        add("立案", "立案", n, "件")
        if rng.random() < 0.35:
            add("了结", "了结", rng.randint(max(0, n - 6), n), "件")
    mode = _weighted(rng, [("separate", 0.6), ("lumped", 0.2), (None, 0.2)])
    if mode == "separate":
        if rng.random() < 0.9:
            t = rng.randint(1, scale)
            tail, bd = with_parts(t, PARTY, "人")
            add("党纪处分", rng.choice(["给予党纪处分", "党纪处分"]), t, "人", tail, bd)
        if rng.random() < 0.6:
            t = rng.randint(1, scale)
            tail, bd = with_parts(t, GOV, "人")
            add("政务处分", rng.choice(["政务处分", "给予政务处分"]), t, "人", tail, bd)
    elif mode == "lumped":
        t = rng.randint(2, scale * 2)
        unit = "人次" if rng.random() < 0.2 else "人"
        tail = ""
        bd = None
        if rng.random() < 0.3:
            k = rng.randint(1, max(1, t // 4))
            grade = {"中央": "厅级", "省": "县处级", "市": "科级", "县": "股级"}[level]
            tail = f"，其中{grade}干部{k}人"
            bd = {"parts": {grade + "干部": k}, "complete": False}
        add("党纪政务处分", rng.choice(["给予党纪政务处分", "党纪政务处分"]), t, unit, tail, bd)
    if rng.random() < 0.45:
        t = rng.randint(1, scale)
        unit = "人次" if rng.random() < 0.15 else "人"
        tail, bd = with_parts(t, ORG, unit)
        add("组织处理", "组织处理", t, unit, tail, bd)
    if rng.random() < 0.45:
        add("诫勉", rng.choice(["诫勉", "诫勉", "诫勉谈话"]), 0 if rng.random() < 0.1 else rng.randint(1, scale), "人")
    if rng.random() < 0.1:
        add("责令检查+批评教育+谈话提醒", "给予责令检查、批评教育、谈话提醒", rng.randint(3, scale * 2), "人")
    if rng.random() < 0.4:
        add("教育提醒", "教育提醒", rng.randint(0 if rng.random() < 0.05 else 1, scale * 2),
            "人次" if rng.random() < 0.2 else "人")
    if rng.random() < 0.05:
        add("交由纪委调查", "交由纪委调查", rng.randint(1, 6), "人")
    money: list[dict] = []
    for key, p in (("money_recovered", 0.45), ("money_returned", 0.3), ("subsidy_returned", 0.2), ("loss_recovered", 0.15)):
        if rng.random() < p:
            m = _money(rng, key)
            money.append(m)
            phrases.append(m["written"])
    if rng.random() < 0.6:
        approx = "余" if rng.random() < 0.12 else None
        n = rng.choice([10, 20, 30, 40, 50, 60]) if approx else rng.randint(3, scale * 2)
        add("制度", rng.choice(SYSTEM_LABELS), n, "项", approx=approx)
    if not phrases:
        add("立案", "立案", rng.randint(1, scale), "件")
    return phrases, facts, money


def _progress(rng: random.Random, kind: str, team: str, w: Writer) -> tuple[str, dict]:
    total = rng.randint(8, 120)
    if rng.random() < 0.25:
        text = f"{team}反馈的{rng.randint(3, 5)}个方面{total}个问题已全部完成整改，整改完成率100%"
        return text, {"problems_total": str(total), "rectified": str(total), "completion_rate": "100"}
    done = rng.randint(total // 2, total)
    rest = total - done
    basic = rng.randint(0, rest)
    doing = rest - basic
    rate = _dec((Decimal(done) * 100 / Decimal(total)).quantize(Decimal("0.1")))
    parts = [f"反馈的{total}个问题中，已完成整改{done}个"]
    facts = {"problems_total": str(total), "rectified": str(done)}
    if basic:
        parts.append(f"基本完成{basic}个")
        facts["basically_rectified"] = str(basic)
    if doing:
        parts.append(f"正在整改{doing}个")
        facts["in_progress"] = str(doing)
    parts.append(f"整改完成率{rate}%")
    facts["completion_rate"] = rate
    return "，".join(parts), facts


# ---------------------------------------------------------------------------------------------
# one notice
# ---------------------------------------------------------------------------------------------

def _date(y: int, m: int, d: int | None = None) -> str:
    return f"{y}年{m}月" + (f"{d}日" if d else "")


def compose(index: int, seed: int, banks: dict | None = None) -> tuple[str, dict]:
    """The text of notice `index` (1-based) for `seed`, and its facts. Depends on nothing else."""
    banks = banks or load_banks()
    rng = random.Random(f"rectcli-corpus/{seed}/{index}")
    target = rng.randint(MIN_CHARS + 400, MAX_CHARS - 900)
    for attempt in range(8):
        text, facts = _compose_once(rng, banks, target)
        n = len(text)
        if MIN_CHARS <= n <= MAX_CHARS:
            facts["chars"] = n
            return text, facts
        target = int(target * (MAX_CHARS - 600) / n) if n > MAX_CHARS else target + (MIN_CHARS - n) + 500
    raise RuntimeError(f"notice {index}: could not fit {MIN_CHARS}..{MAX_CHARS} characters")


def _compose_once(rng: random.Random, banks: dict, target: int) -> tuple[str, dict]:
    level = _weighted(rng, [("中央", 0.12), ("省", 0.28), ("市", 0.32), ("县", 0.28)])
    kind = "巡视" if level in ("中央", "省") else "巡察"
    special = _weighted(rng, [(None, 0.76), ("专项", 0.1), ("回头看", 0.06), ("交叉", 0.08 if kind == "巡察" else 0)])
    u = _unit(rng, banks, level, kind, special)
    committee = u["committee"]
    topic = rng.choice(banks["special_topic"]) if special == "专项" else None

    # dates
    year = rng.randint(2016, 2025)
    m1 = rng.randint(1, 10)
    m2 = min(12, m1 + rng.randint(1, 2))
    date_style = _weighted(rng, [("days", 0.55), ("months", 0.3), ("start", 0.15)])
    if date_style == "days":
        period = f"{_date(year, m1, rng.randint(1, 28))}至{m2}月{rng.randint(1, 28)}日"
    elif date_style == "months":
        period = f"{year}年{m1}月至{m2}月"
    else:
        period = f"{year}年{m1}月"
    fb_m, fb_y = m2 + rng.randint(1, 3), year
    if fb_m > 12:
        fb_m, fb_y = fb_m - 12, year + 1
    fb_d = rng.randint(1, 28)
    damage: list[dict] = []
    if rng.random() < 0.03:
        fb_text = f"{fb_y}{fb_m}{fb_d}" if rng.random() < 0.5 else f"{fb_m}{fb_d}日"
        damage.append({"found": fb_text, "likely": _date(fb_y, fb_m, fb_d)})
    elif fb_y == year and rng.random() < 0.6:
        fb_text = f"{fb_m}月{fb_d}日"
    else:
        fb_text = _date(fb_y, fb_m, fb_d)
    pub_m, pub_y = fb_m + rng.randint(2, 6), fb_y
    if pub_m > 12:
        pub_m, pub_y = pub_m - 12, pub_y + 1
    pub_d = rng.randint(1, 28)
    published = f"{pub_y:04d}-{pub_m:02d}-{pub_d:02d}"

    # team and round
    num = rng.randint(1, 12 if level != "县" else 5)
    jie = _jie(rng, level, year)
    if level == "中央":
        team = f"中央第{cn(num)}巡视组"
    elif level == "省":
        team = f"省委第{cn(num)}巡视组"
    elif special == "交叉":
        team = rng.choice([f"{committee}交叉巡察第{cn(num)}组", f"{committee}县区交叉巡察{cn(num)}组",
                           f"{committee}第{cn(num)}交叉巡察组"])
    else:
        team = f"{committee}第{cn(num)}巡察组"
    team_first = (jie + team) if level in ("市", "县") and special != "交叉" and rng.random() < 0.3 else team
    rnum = cn(rng.randint(1, 12))
    if special == "回头看":
        round_ = f"{jie}{committee}第{rnum}轮{kind}“回头看”" if rng.random() < 0.5 else f"{kind}“回头看”"
    elif special == "交叉":
        round_ = f"{jie}{committee}第{rnum}轮交叉巡察" if rng.random() < 0.5 else None
    elif special == "专项":
        round_ = None
    else:
        round_ = f"{jie}{committee}第{rnum}轮{kind}" if rng.random() < 0.75 else None

    me_only = rng.random() < 0.08 or (special == "专项" and rng.random() < 0.4)
    issuer = None if me_only else u["issuer"]
    ctx = {"kind": kind, "actor": u["actor"], "unit_short": u["short"], "scope": u["scope"], "sub": u["sub"],
           "leader": u["leader"], "team": team, "place": u["place"], "y": str(fb_y), "y1": str(year - rng.randint(1, 3)),
           "dep": {"中央": "中央", "省": "省委", "市": "市委", "县": committee}[level]}
    w = Writer(banks, rng, ctx)

    # title
    if special == "专项" and (issuer is None or rng.random() < 0.5):
        title = f"关于“{topic}”专项{kind}整改情况的通报"
        title_issuer = None
    else:
        title_issuer = issuer or u["issuer"]
        tail = rng.choice(["整改进展情况的通报", "整改进展情况的通报", "整改情况的通报"])
        if round_:
            title = f"{title_issuer}关于{round_}{tail}"
        elif rng.random() < 0.5:
            title = f"{title_issuer}关于{team}反馈意见整改情况的通报"
        else:
            title = f"{title_issuer}关于{'专项' if special == '专项' else ''}{kind}{tail}"
        if me_only:
            title_issuer = None
            title = None if rng.random() < 0.6 else title
    title_form = _weighted(rng, [("absent", 0.55), ("body", 0.3), ("twice", 0.05), ("split", 0.1)]) if title else "none"
    if title_form == "split" and "关于" not in title[1:]:
        title_form = "body"

    # text style
    punct = _weighted(rng, [("full", 0.7), ("ascii", 0.22), ("mixed", 0.08)])
    indent = _weighted(rng, [(IDEO * 2, 0.6), ("  ", 0.25), ("", 0.15)])
    blank = rng.random() < 0.85
    lose_quotes = rng.random() < 0.05

    # terms people search for
    planted_terms = [t for t, spec in banks["terms"].items() if rng.random() < spec["share"]]

    # outcomes
    phrases, outcome_facts, money = _outcomes(rng, level)
    outcome_text = ""
    for i, p in enumerate(phrases):
        outcome_text += ("" if i == 0 else ("；" if rng.random() < 0.15 else "，")) + p
    progress_text, progress = (None, None)
    if rng.random() < 0.35:
        progress_text, progress = _progress(rng, kind, team, w)
    top_level = rng.random() < 0.8
    org_style = _weighted(rng, [("inline", 0.3), ("paragraphs", 0.2), ("split", 0.05),
                                ("subsections", 0.15 if top_level else 0), ("plain", 0.2), ("none", 0.1)])
    outcome_place = _weighted(rng, [("own", 0.35), ("org", 0.15 if org_style in ("inline", "paragraphs", "split") else 0),
                                    ("opening", 0.1), ("section", 0.2), ("absent", 0.2)])
    if outcome_place == "absent":
        phrases, outcome_facts, money, outcome_text = [], {}, [], ""
    progress_place = None
    if progress_text:
        progress_place = _weighted(rng, [("with_outcomes", 0.5 if outcome_place not in ("absent",) else 0),
                                         ("org", 0.3), ("own", 0.2)])

    paras: list[str] = []  # paragraphs of the notice proper (no chrome); "\x00H" marks a heading line
    # opening
    inspected_ref = u["inspected"] if not me_only else u["me"] + ("党组" if u["actor"].endswith("党组") and rng.random() < 0.5 else "")
    regular = {"专项": "专项", "交叉": "交叉", "回头看": ""}.get(special or "", rng.choice(["常规", "常规", ""]))
    what = f"{kind}“回头看”" if special == "回头看" else (kind if special != "交叉" else "巡察")
    obj = f"{inspected_ref}“{topic}”工作" if topic else inspected_ref
    dep = ctx["dep"]
    s1 = _weighted(rng, [
        (f"根据{dep}统一部署，{period}，{team_first}对{obj}{w.pick('inspect_verb')}{regular}{what}。", 0.6),
        (f"根据{dep}统一部署，{team_first}于{period}对{obj}{w.pick('inspect_verb')}{regular}{what}。", 0.25),
        (f"{period}，{team_first}对{obj}{w.pick('inspect_verb')}{regular}{what}。", 0.15),
    ])
    s2 = f"{fb_text}，{team}向{inspected_ref}反馈了{'专项' if special == '专项' else ''}{kind}意见。"
    publish = w.pick("publish_formula")
    public_at_end = rng.random() < 0.08
    s3 = "" if public_at_end else w.pick("legal_basis") + publish
    opening = s1 + s2
    if outcome_place == "opening":
        opening += f"{u['actor']}高度重视，立行立改，{outcome_text}。"
    paras.append(opening + s3)

    # organisation
    org_pool: list[str] = []

    def org_sentence() -> str:
        """Organisation sentences without repeats until the bank is used up."""
        if not org_pool:
            org_pool.extend(rng.sample(banks["org_sentence"], len(banks["org_sentence"])))
        return w.x(org_pool.pop())

    def org_items(n: int) -> list[tuple[str, list[str]]]:
        heads = rng.sample(banks["org_head"], n)
        items = [(h, [org_sentence() for _ in range(rng.randint(1, 3))]) for h in heads]
        if outcome_place == "org":
            items[-1] = ("严肃执纪问责", [f"{w.pick('outcome_lead')}{outcome_text}。"])
        return items

    ordinals = ["一是", "二是", "三是", "四是"]
    section_no = 0
    top_marker = lambda n: f"{cn(n)}、"  # noqa: E731
    org_paras: list[str] = []
    if org_style in ("inline", "paragraphs", "split"):
        items = org_items(rng.randint(3, 4))
        lead = w.pick("org_lead")
        if org_style == "inline":
            org_paras.append(lead + "".join(f"{ordinals[i]}{h}。{''.join(s)}" for i, (h, s) in enumerate(items)))
        else:
            org_paras.append(lead)
            for i, (h, s) in enumerate(items):
                if org_style == "split" and len(s) > 1 and i == 1:
                    org_paras.append(f"{ordinals[i]}{h}。{s[0]}")
                    org_paras.append("".join(s[1:]))
                else:
                    org_paras.append(f"{ordinals[i]}{h}。{''.join(s)}")
    elif org_style == "plain":
        org_paras.append(w.pick("org_lead") + "".join(org_sentence() for _ in range(rng.randint(2, 4))))
    if progress_place == "org" and org_paras:
        org_paras[0] = org_paras[0] + f"{w.pick('progress_lead')}{progress_text}。"
    elif progress_place == "org":
        progress_place = "own"
    paras.extend(org_paras)
    extra = {"headings": 0, "runin": 0, "depth": 0}  # headings outside the problem sections
    if org_style == "subsections":
        section_no += 1
        extra["headings"] += 1
        extra["depth"] = 2
        paras.append("\x00H" + top_marker(section_no) + w.pick("org_heading"))
        if rng.random() < 0.6:
            paras.append(w.pick("org_lead"))
        for i, h in enumerate(rng.sample(banks["org_head"], rng.randint(2, 4))):
            extra["headings"] += 1
            extra["runin"] += 1
            paras.append(f"（{cn(i + 1)}）{h}" + (f"，{w.pick('measure_head')}" if rng.random() < 0.5 else "") + "。" + "".join(org_sentence() for _ in range(rng.randint(1, 3))))
    results = ""
    if outcome_place == "own":
        results = f"{w.pick('outcome_lead')}{outcome_text}。"
    if progress_place == "with_outcomes" and outcome_place != "section":
        results = f"{w.pick('progress_lead')}{team}{progress_text}。" + results
    if progress_place == "own":
        paras.append(f"{w.pick('progress_lead')}{team}{progress_text}。")
    if results and outcome_place != "section":
        paras.append(results)

    # body: a tree of headings and paragraphs (paragraphs as lists of sentences, filled in later)
    max_depth = _weighted(rng, [(1, 0.2), (2, 0.4), (3, 0.25), (4, 0.15)] if top_level else [(1, 0.3), (2, 0.45), (3, 0.25)])
    markers = ["cn", "pcn", "ar", "par"] if top_level else ["pcn", "ar", "par"]
    runin_p = rng.choice([0.0, 0.5, 0.85, 1.0])
    listed_p = rng.choice([0.0, 0.0, 0.3, 0.6])
    top_style = _weighted(rng, [("problem", 0.7), ("quoted", 0.1), ("thematic", 0.1), ("area", 0.1)])
    term_heads = [t for t in planted_terms if banks["terms"][t]["heading"] and rng.random() < 0.4]
    leaves: list[list[str]] = []  # sentence lists that may take a term sentence
    body: list[object] = []  # str paragraphs and ("H", marker, heading, runin_text_list|None)
    counters = [0, 0, 0, 0]
    used_problems: set[str] = set()
    budget = [target]
    stats = {"depth": 0, "headings": 0, "runin": 0}

    def marker(level: int, n: int) -> str:
        kindm = markers[level]
        return {"cn": f"{cn(n)}、", "pcn": f"（{cn(n)}）", "ar": f"{n}.", "par": f"（{n}）"}[kindm]

    def sentences(k: int) -> list[str]:
        s = [w.pick("measure") for _ in range(k)]
        budget[0] -= sum(map(len, s))
        return s

    def emit_par(sent: list[str]) -> None:
        leaves.append(sent)
        body.append(sent)

    def top_heading() -> str:
        for _ in range(6):
            if term_heads:
                t = term_heads.pop()
                h = f"关于{rng.choice(banks['terms'][t]['heading'])}问题的整改情况"
            elif top_style == "problem" or (top_style == "quoted" and rng.random() < 0.5):
                h = f"关于{w.pick('problem')}问题的整改情况"
            elif top_style == "quoted":
                h = f"关于“{w.pick('quoted_slogan')}”{w.pick('quoted_tail')}问题的整改情况"
            elif top_style == "thematic":
                h = w.pick("thematic_pair")
            else:
                h = f"在{w.pick('area')}方面"
            if h not in used_problems:
                used_problems.add(h)
                return h
        return h

    def node(level: int, force: int) -> None:
        """One heading at `level` (0-based) with its content; `force` = levels still to reach below."""
        counters[level] += 1
        for j in range(level + 1, len(counters)):
            counters[j] = 0
        m = marker(level, counters[level])
        stats["headings"] += 1
        stats["depth"] = max(stats["depth"], level + 1)
        last = level == max_depth - 1
        has_children = not last and (force > 0 or rng.random() < 0.6)
        if level == 0 and top_level:
            body.append(("H", m, top_heading()))
            budget[0] -= 20
        elif has_children:
            h = _weighted(rng, [(f"关于{w.pick('issue')}的问题", 0.5), (w.pick("measure_head"), 0.3),
                                (w.pick("sub_area") if level >= 1 else f"关于{w.pick('issue')}的问题", 0.2)])
            body.append(("H", m, h))
            budget[0] -= 20
        elif level >= 1 and rng.random() < listed_p:
            body.append(("H", m, w.pick("listed_problem").rstrip("。") + "。"))
            s = sentences(rng.randint(1, 3))
            s[0] = w.pick("rect_label") + s[0]
            emit_par(s)
            return
        elif rng.random() < runin_p:
            stats["runin"] += 1
            s = sentences(rng.randint(1, 4))
            head = w.pick("measure_head") + "。"
            leaves.append(s)
            body.append(("R", m, head, s))
            for _ in range(rng.randint(0, 1)):
                emit_par(sentences(rng.randint(2, 3)))
            return
        else:
            h = w.pick("measure_head") if not (level == 0) else f"关于{w.pick('issue')}的问题"
            body.append(("H", m, h))
        if has_children:
            if rng.random() < 0.25:
                emit_par(sentences(rng.randint(1, 2)))
            n = 0
            while n < 1 + (force > 0) or (n < 4 and budget[0] > 0 and rng.random() < 0.7):
                node(level + 1, force - 1 if n == 0 else 0)
                n += 1
        else:
            for _ in range(rng.randint(1, 3)):
                emit_par(sentences(rng.randint(2, 5)))

    fixed = sum(map(len, paras)) + 700  # closing, signature, chrome, term sentences
    budget[0] = target - fixed
    first = True
    while first or (budget[0] > 0 and counters[0] + section_no < 18):
        node(0, max_depth - 1 if first else 0)
        first = False
    # results section (outcomes under a section)
    if outcome_place == "section":
        counters[0] += 1
        body.append(("H", marker(0, counters[0]), w.pick("results_heading")))
        extra["headings"] += 1
        text = f"{w.pick('outcome_lead')}{outcome_text}。"
        if progress_place == "with_outcomes":
            text = f"{w.pick('progress_lead')}{team}{progress_text}。" + text
        body.append([text])
    # number top-level sections after an organisation section
    if section_no:
        renum: list[object] = []
        for item in body:
            if isinstance(item, tuple) and item[1].endswith("、"):
                k = re.match(r"(.+)、", item[1]).group(1)
                n = _cn_value(k) + section_no
                item = (item[0], f"{cn(n)}、", *item[2:])
            renum.append(item)
        body = renum

    # terms
    term_sentences: dict[str, list[str]] = {}
    for t in planted_terms:
        k = rng.randint(1, 3)
        term_sentences[t] = [w.x(rng.choice(banks["terms"][t]["sentence"])) for _ in range(k)]
        for s in term_sentences[t]:
            target_leaf = rng.choice(leaves)
            target_leaf.insert(rng.randint(0, len(target_leaf)), s)

    # closing
    closing: list[str] = []
    follow_section = top_level and rng.random() < 0.15
    nxt = w.pick("next_step")
    if rng.random() < 0.25:
        items = rng.sample(banks["next_item"], rng.randint(2, 3))
        nxt = nxt.rstrip("。") + "。" + "".join(f"{ordinals[i]}{w.x(s)}" for i, s in enumerate(items))
    if follow_section:
        counters[0] += 1
        n = counters[0] + section_no
        body.append(("H", f"{cn(n)}、", w.pick("followup_heading")))
        extra["headings"] += 1
        body.append([nxt])
    else:
        closing.append(nxt)
    contacts = None
    if rng.random() < 0.85:
        tel = f"0{rng.randint(100, 999)}-{rng.randint(2000000, 8999999)}"
        area = rng.choice(["联系电话", "举报电话", "联系电话"])
        office = u["inspected"] if u["actor"].endswith("委") else u["short"]
        addr = f"{u['place']}{w.pick('street')}{rng.randint(1, 199)}号{office}办公室"
        post = f"{rng.randint(10, 85)}{rng.randint(1000, 9999)}"
        mail = f"{rng.choice(['xszg', 'xczg', 'zgb', 'jjjc', 'dzb'])}{rng.randint(1, 999)}@{rng.choice(['163.com', 'example.cn', 'gov.example.cn', '126.com'])}"
        parts = [f"{area}：{tel}"]
        if rng.random() < 0.8:
            parts.append(rng.choice([f"通信地址：{addr}", f"邮政信箱：{addr}"]))
        if rng.random() < 0.6:
            parts.append(f"邮政编码：{post}")
        if rng.random() < 0.5:
            parts.append(f"电子邮箱：{mail}")
        contacts = {"phone": tel}
        welcome = w.pick("welcome")
        if rng.random() < 0.2:
            closing.append(welcome)
            closing.extend(parts)
        else:
            closing.append(welcome + "；".join(parts) + "。")
    if public_at_end:
        closing.append(rng.choice(banks["public_end"]))
    signature = None
    if rng.random() < 0.7:
        signer = issuer or u["issuer"]
        sig_date = f"{pub_y}年{pub_m}月{pub_d}日"
        align = _weighted(rng, [(IDEO, 0.5), (" ", 0.2), ("", 0.3)])
        width = 18 if align == IDEO else 36
        if align:
            signature = [align * max(2, width - len(signer)), align * max(2, width - len(signer) + 2)]
            signature = [signature[0] + signer, signature[1] + sig_date]
        else:
            signature = [signer + ("  " if rng.random() < 0.3 else ""), sig_date]

    # render
    conv = (lambda s: s.translate(TO_ASCII)) if punct == "ascii" else (lambda s: s)
    mixed = punct == "mixed"

    def fin(s: str) -> str:
        if punct == "ascii" or (mixed and rng.random() < 0.5):
            s = s.translate(TO_ASCII)
        if lose_quotes:
            s = s.replace("“", "").replace("”", "")
        return indent + s

    lines: list[str] = []
    if title_form in ("body", "twice"):
        lines.append(conv(title))
        if title_form == "twice":
            lines.append(conv(title))
    elif title_form == "split":  # two lines of one title: no blank line between them
        cut = title.index("关于", 1) + 2
        lines.append(conv(title[:cut]) + "\n" + conv(title[cut:]))
    for p in paras:
        lines.append(fin(p[2:]) if p.startswith("\x00H") else fin(p))
    for item in body:
        if isinstance(item, list):
            lines.append(fin("".join(item)))
        elif item[0] == "H":
            lines.append(fin(item[1] + item[2]))
        else:
            lines.append(fin(item[1] + item[2] + "".join(item[3])))
    for c in closing:
        lines.append(fin(c))
    if signature:
        lines.extend(signature)
    sep = "\n\n" if blank else "\n"
    main = sep.join(lines).replace("管理管理", "管理")

    # chrome
    chrome_head: list[str] = []
    chrome_tail: list[str] = []
    chrome_kind = _weighted(rng, [(None, 0.65), ("portal", 0.22), ("info", 0.08), ("newspaper", 0.05)])
    site = u["place"] + rng.choice(banks["site_suffix"])
    hh, mm = rng.randint(8, 18), rng.randint(0, 59)
    if chrome_kind == "portal":
        chrome_head = [site, w.pick("nav"), f"当前位置：首页 > {w.pick('crumb_tail')}",
                       f"发布时间：{published} {hh:02d}:{mm:02d}{IDEO}来源：{u['short']}{IDEO}浏览次数：{rng.randint(30, 9000)}",
                       "【字体：大 中 小】"]
        if rng.random() < 0.3:
            chrome_head[2] = "首页 > " + w.pick("crumb_tail")
        if rng.random() < 0.3:
            chrome_head[3] = f"{published} {hh:02d}:{mm:02d} 来源:{site}"
        chrome_tail = ["分享到：", f"打印本页{IDEO}关闭窗口", "相关文章"] + [f"· {w.pick('related')}" for _ in range(3)] + \
            [f"主办单位：{site[:-4] if site.endswith('门户网站') else site}{IDEO}备案号：ICP备{rng.randint(10000000, 99999999)}号"]
        if rng.random() < 0.3:
            chrome_tail = chrome_tail[:1]
    elif chrome_kind == "info":
        chrome_head = [f"信息索引号：{rng.randint(10**9, 10**10 - 1)}/{pub_y}-{rng.randint(1, 999):05d}",
                       f"文件名称：{title or '关于' + kind + '整改情况的通报'}", f"发布机构：{u['unit']}", f"成文日期：{published}"]
        if rng.random() < 0.3:
            chrome_head.append("附件1")
    elif chrome_kind == "newspaper":
        paper = u["place"] + rng.choice(banks["newspaper"])
        chrome_head = ["数字报纸", f"{paper}{IDEO}{pub_y}年{pub_m:02d}月{pub_d:02d}日{IDEO}第0{rng.randint(1, 8)}版：{w.pick('page_section')}"]
    chrome_lines = chrome_head + chrome_tail
    text = "\n".join(chrome_head + [main] + chrome_tail) + "\n" if chrome_lines else main + "\n"

    facts = {
        "kind": kind, "special": special, "level": level, "committee": committee,
        "unit": u["unit"], "inspected": u["inspected"], "issuer": issuer,
        "issuer_in_body": u["me"] if me_only else None,
        "team": team, "round": round_, "topic": topic,
        "year": year, "period": period, "feedback": fb_text, "published": published,
        "title": title, "title_form": title_form,
        "punct": punct, "quotes_lost": lose_quotes, "blank_lines": blank,
        "chrome": chrome_kind, "chrome_lines": chrome_lines,
        "structure": {"top_level": top_level, "depth": max(stats["depth"], extra["depth"]),
                      "headings": stats["headings"] + extra["headings"], "runin": stats["runin"] + extra["runin"],
                      "org": org_style},
        "outcome_place": outcome_place if phrases else "absent",
        "outcomes": outcome_facts, "money": money, "progress": progress,
        "terms": sorted(planted_terms),
        "contacts": contacts, "signature": bool(signature), "damage": damage,
    }
    return text, facts


def _cn_value(s: str) -> int:
    if s == "十":
        return 10
    if "十" in s:
        a, b = s.split("十")
        return (CN_DIGITS.index(a) if a else 1) * 10 + (CN_DIGITS.index(b) if b else 0)
    return CN_DIGITS.index(s)


# ---------------------------------------------------------------------------------------------
# forms, files
# ---------------------------------------------------------------------------------------------

def parse_encodings(spec: str) -> list[tuple[str, float]]:
    if spec == "mixed":
        spec = "utf-8:90,gb18030:5,bom-crlf:5"
    out = []
    for part in spec.split(","):
        name, _, weight = part.strip().partition(":")
        name = name.strip().lower().replace("utf8", "utf-8")
        if name not in FORMS:
            raise ValueError(f"unknown encoding {name!r}; use {', '.join(FORMS)} or mixed")
        out.append((name, float(weight) if weight else 1.0))
    return out


def to_html(text: str, facts: dict) -> str:
    """A simple saved web page around the notice (chrome lines become page parts)."""
    title = facts["title"] or "工作动态"
    site = facts["unit"]
    paras = [p for p in text.split("\n") if p.strip() and p not in facts["chrome_lines"]]
    body = "\n".join(f"<p>{html.escape(p.strip())}</p>" for p in paras)
    # some pages print the title in an <h1> above a body that does not repeat it
    h1 = f"<h1>{html.escape(title)}</h1>\n" if facts["title"] and facts["title_form"] == "absent" and facts["chars"] % 2 else ""
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}_{html.escape(site)}</title>\n"
        f"<meta name=\"ArticleTitle\" content=\"{html.escape(title)}\">\n"
        f"<meta name=\"PubDate\" content=\"{facts['published']}\">\n"
        "<style>body{font-family:SimSun,serif}.nav li{display:inline;margin:0 8px}</style>\n"
        "<script>var _hmt=_hmt||[];function fontZoom(n){document.getElementById('zoom').style.fontSize=n+'px';}</script>\n"
        "</head>\n<body>\n<div class=\"header\">" + html.escape(site) + "</div>\n"
        "<ul class=\"nav\"><li><a href=\"/\">首页</a></li><li><a href=\"/zwgk/\">政务公开</a></li>"
        "<li><a href=\"/xsxc/\">巡视巡察</a></li></ul>\n"
        f"{h1}<div class=\"TRS_Editor\" id=\"zoom\">\n{body}\n</div>\n"
        "<div class=\"footer\">版权所有 备案号：ICP备00000000号</div>\n</body>\n</html>\n"
    )


def generate(count: int, seed: int, *, encodings: str = "utf-8", html_share: float = 0.0,
             start: int = 1) -> Iterator[tuple[str, str, dict]]:
    """Yield (file name, text, facts) for notices start … start+count-1; the text as a str."""
    banks = load_banks()
    table = parse_encodings(encodings)
    for index in range(start, start + count):
        text, facts = compose(index, seed, banks)
        form_rng = random.Random(f"rectcli-corpus-form/{seed}/{index}")
        is_html = form_rng.random() < html_share
        enc = "utf-8" if is_html else _weighted(form_rng, table)
        name = f"{index:06d}." + ("html" if is_html else "txt")
        if is_html:
            text = to_html(text, facts)
            facts["chrome"], facts["chrome_lines"] = "html", []
        facts = {"file": name, "index": index, "form": "html" if is_html else "txt", "encoding": enc, **facts}
        yield name, text, facts


def encode(text: str, facts: dict) -> bytes:
    enc = facts["encoding"]
    if enc == "gb18030":
        return text.encode("gb18030")
    if enc == "bom-crlf":
        return text.replace("\n", "\r\n").encode("utf-8-sig")
    return text.encode("utf-8")


def write(out: Path, count: int, seed: int, encodings: str = "utf-8", html_share: float = 0.0) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    files = []
    size = 0
    for name, text, facts in generate(count, seed, encodings=encodings, html_share=html_share):
        data = encode(text, facts)
        (out / name).write_bytes(data)
        size += len(data)
        files.append(facts)
    manifest = {"generator": "benchmarks/corpus.py", "seed": seed, "count": count, "encodings": encodings,
                "html_share": html_share, "bytes": size, "files": files}
    # one file's facts per line: small, and still greppable
    head = json.dumps({k: v for k, v in manifest.items() if k != "files"}, ensure_ascii=False)[:-1]
    body = ",\n".join(json.dumps(f, ensure_ascii=False) for f in files)
    (out / "manifest.json").write_text(f'{head}, "files": [\n{body}\n]}}\n', encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--encodings", default="utf-8", help="utf-8 | mixed | e.g. utf-8:80,gb18030:10,bom-crlf:10")
    ap.add_argument("--html-share", type=float, default=0.0, help="share of notices written as saved HTML pages")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    try:
        parse_encodings(args.encodings)
    except ValueError as e:
        print(f"corpus: error: {e}", file=sys.stderr)
        return 2
    if args.count < 0 or not 0 <= args.html_share <= 1:
        print("corpus: error: --count must be ≥ 0 and --html-share between 0 and 1", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    m = write(args.out, args.count, args.seed, args.encodings, args.html_share)
    if not args.quiet:
        print(f"corpus: {args.count} notices, {m['bytes'] / 1e6:.1f} MB in {args.out} "
              f"({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
