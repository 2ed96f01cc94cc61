"""Read the dates a notice writes (2021年3月31日, 8月24日, 2022-04-08 10:00, 二〇二二年四月八日, 202248).

Every reader returns a date record ``{text, date, precision[, year_inferred][, time]}`` (the
text exactly as written; ``date`` ISO by precision, or None when it cannot be read) and a
note: None, or a short word for a finding ('damaged', 'unreadable', 'no year').
"""

from __future__ import annotations

import datetime as _dt
import re

CN_NUM = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "О": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "两": 2}
_CN = "〇零○Ｏ一二三四五六七八九十"
_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

ISO = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:(?:\s+|T)(\d{1,2}:\d{2})(?::\d{2})?)?")
YMD = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
YEAR = re.compile(r"(\d{4})\s*年")
MD = re.compile(r"(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
CN_YMD = re.compile(rf"([{_CN}]{{4}})年([{_CN}]{{1,3}})月(?:([{_CN}]{{1,3}})日)?")
FUSED = re.compile(r"(\d{4})(\d{1,2})月(?:(\d{1,2})日)?")  # 20222月: 年 lost
PLAIN = re.compile(r"\d{5,8}")  # 202248: 年, 月, 日 all lost
LOST_MONTH = re.compile(r"(?<![\d月年])(\d)(\d{1,2})\s*日")  # 75日: 月 lost (7月5日)

# any written date, for finding them in running text (longest forms first)
ANY = re.compile(
    r"\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
    rf"|\d{{4}}\s*年\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日)?|[{_CN}]{{4}}年[{_CN}]{{1,3}}月(?:[{_CN}]{{1,3}}日)?"
    r"|\d{4}\d{1,2}月(?:\d{1,2}日)?|\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?"
)


def _cn_number(s: str) -> int | None:
    if len(s) == 4 or (len(s) > 1 and "十" not in s):  # digit by digit: 二〇二二
        try:
            return int("".join(str(CN_NUM[c]) for c in s))
        except (KeyError, ValueError):
            return None
    if "十" in s:
        head, _, tail = s.partition("十")
        tens = CN_NUM.get(head, 0) if head else 1
        ones = CN_NUM.get(tail, 0) if tail else 0
        return tens * 10 + ones
    return CN_NUM.get(s)


def _valid(y: int, m: int, d: int | None = None) -> bool:
    try:
        _dt.date(y, m, d or 1)
    except ValueError:
        return False
    return 1900 <= y <= 2100


def record(text: str, y: int | None, m: int | None = None, d: int | None = None, *,
           inferred: bool = False, time: str | None = None) -> dict[str, object]:
    if y is None:
        out: dict[str, object] = {"text": text, "date": None, "precision": None}
    elif m is None:
        out = {"text": text, "date": f"{y:04d}", "precision": "year"}
    elif d is None:
        out = {"text": text, "date": f"{y:04d}-{m:02d}", "precision": "month"}
    else:
        out = {"text": text, "date": f"{y:04d}-{m:02d}-{d:02d}", "precision": "day"}
    if inferred:
        out["year_inferred"] = True
    if time:
        out["time"] = time
    return out


def parse(text: str, *, year: int | None = None, after: tuple[int, int] | None = None
          ) -> tuple[dict[str, object], str | None]:
    """Read one written date. ``year``: the year a year-less date takes from its context;
    ``after`` (year, month): a year-less date whose month is before this month falls in the
    next year (a feedback date after the inspection period)."""
    s = text.strip().translate(_DIGITS)
    if m := ISO.fullmatch(s) or ISO.match(s):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        if _valid(y, mo, d):
            return record(text, y, mo, d, time=m[4]), None
        return record(text, None), "unreadable"
    if m := YMD.fullmatch(s):
        y, mo = int(m[1]), int(m[2])
        d = int(m[3]) if m[3] else None
        if _valid(y, mo, d):
            return record(text, y, mo, d), None
        return record(text, None), "unreadable"
    if m := CN_YMD.fullmatch(s):
        y, mo = _cn_number(m[1]), _cn_number(m[2])
        d = _cn_number(m[3]) if m[3] else None
        if y and mo and _valid(y, mo, d):
            return record(text, y, mo, d), None
        return record(text, None), "unreadable"
    if m := YEAR.fullmatch(s):
        y = int(m[1])
        return (record(text, y), None) if _valid(y, 1) else (record(text, None), "unreadable")
    if m := FUSED.fullmatch(s):
        y, mo = int(m[1]), int(m[2])
        d = int(m[3]) if m[3] else None
        if _valid(y, mo, d):
            return record(text, y, mo, d), "damaged"
        return record(text, None), "unreadable"
    if PLAIN.fullmatch(s):
        return _digits_only(text, s)
    if (m := LOST_MONTH.fullmatch(s)) and year is not None:
        readings = [(int(m[1]), int(m[2]))]
        if len(m[2]) == 2 and m[2][0] != "0":
            readings.append((int(m[1] + m[2][0]), int(m[2][1])))
        ok = [(mo, d) for mo, d in readings if d and _valid(year, mo, d)]
        if len(ok) == 1:
            mo, d = ok[0]
            y = year + 1 if after is not None and after[0] == year and mo < after[1] else year
            return record(text, y, mo, d, inferred=True), "damaged"
        return record(text, None), "unreadable"
    if m := MD.fullmatch(s):
        mo = int(m[1])
        d = int(m[2]) if m[2] else None
        if year is None:
            return record(text, None), "no year"
        y = year
        if after is not None and after[0] == year and mo < after[1]:
            y = year + 1
        if _valid(y, mo, d):
            return record(text, y, mo, d, inferred=True), None
        return record(text, None), "unreadable"
    return record(text, None), "unreadable"


def _digits_only(text: str, s: str) -> tuple[dict[str, object], str | None]:
    """202248 → 2022-04-08; 20220408 → 2022-04-08; ambiguous splits are not guessed."""
    y, rest = int(s[:4]), s[4:]
    if len(rest) == 4:
        mo, d = int(rest[:2]), int(rest[2:])
        if _valid(y, mo, d):
            return record(text, y, mo, d), None
        return record(text, None), "unreadable"
    readings = []
    for cut in range(1, len(rest)):
        mo_s, d_s = rest[:cut], rest[cut:]
        if len(mo_s) > 2 or len(d_s) > 2 or mo_s.startswith("0") and len(mo_s) == 1:
            continue
        mo, d = int(mo_s), int(d_s)
        if d and _valid(y, mo, d):
            readings.append((mo, d))
    if len(readings) == 1:
        mo, d = readings[0]
        return record(text, y, mo, d), "damaged"
    return record(text, None), "unreadable"


def find_all(text: str) -> list[re.Match[str]]:
    return list(ANY.finditer(text))
