"""Read what a notice says about itself: title, issuer, kind, the inspecting body and level,
round, team, inspected unit, period, feedback date, publication date and signature.

Matching runs on a copy with traditional characters folded to simplified (one for one), and
every value is cut from the text as written.
"""

from __future__ import annotations

import re
from typing import Any
from functools import lru_cache

from rectcli.ingest import dates
from rectcli.ingest.chrome import Line
from rectcli.ingest.report import Findings
from rectcli.ingest.sources import Source
from rectcli.ingest.structure import Structure
from rectcli.ingest.vocab import body_levels, simplify, words

CN = "一二三四五六七八九十百零〇"
HAN = r"\u4e00-\u9fff"


@lru_cache(maxsize=1)
def _rx() -> dict[str, re.Pattern[str]]:
    bodies = "|".join(sorted(body_levels(), key=len, reverse=True))
    team_tail = rf"(?:第[{CN}\d]+(?:至第[{CN}\d]+)?(?:巡视|巡察)(?:组|工作组)|(?:巡视|巡察)[{CN}\d]+组)"
    return {
        "round": re.compile(
            rf"(?:[{CN}]+届)?(?:{bodies})?第[{CN}\d]+轮(?:专项|机动|常规|提级)?巡[视察](?:[“\"']?回头看[”\"']?)?"
            rf"|(?:[{CN}]+届)?(?:{bodies})?(?:专项)?巡[视察][“\"']回头看[”\"']"),
        "team": re.compile(rf"(?:[{CN}]+届)?(?:{bodies})[{HAN}]{{0,8}}?{team_tail}"),
        "team_generic": re.compile(rf"(?:{bodies})巡[视察]组"),
        "body": re.compile(
            rf"根据(?:中共)?[{HAN}]{{0,10}}?((?:{bodies})|[{HAN}]{{1,8}}?党组)(?:巡[视察]工作领导小组)?的?(?:统一|工作)?(?:部署|安排)"),
        "body_any": re.compile(rf"^(?:[{CN}]+届)?({bodies})"),
        "period": re.compile(
            r"(\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)\s*(?:至|到|—|－|-|~|～|－－|——)\s*"
            r"((?:\d{4}\s*年\s*)?\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)"),
        "inspected": re.compile(r"对([^。，,；;]{2,80}?)(?:进行了|开展了|进行|开展)"),
    }


def _levels_of(body: str | None) -> str | None:
    if not body:
        return None
    s = simplify(body)
    for key, level in sorted(body_levels().items(), key=lambda kv: -len(kv[0])):
        if s.endswith(key):
            return level
    return None


def _cut(orig: str, folded: str, m: re.Match[str], group: int = 0) -> str:
    """The text as written at a match found in the folded copy (same positions)."""
    return orig[m.start(group): m.end(group)]


def _search(rx: re.Pattern[str], texts: list[str]) -> tuple[str, re.Match[str]] | None:
    for t in texts:
        if m := rx.search(simplify(t)):
            return t, m
    return None


def read(st: Structure, src: Source, chrome: list[dict], findings: Findings) -> dict[str, object]:
    rx = _rx()
    meta: dict[str, object] = {}
    title = _title(st, src)
    meta["title"] = title
    title_text = title["text"] or ""
    opening = [ln.text for ln in st.opening]
    first = opening[0] if opening else ""
    # the first paragraph that tells who inspected whom (usually the first)
    intro = next((p for p in opening if re.search("巡[视察]", simplify(p)) and "对" in p), first)
    sentences = [s for s in re.split(r"(?<=。)", intro) if s]

    # round, team, body, level, kind, special
    rnd = _search(rx["round"], [title_text, *opening[:2]])
    round_text = _cut(rnd[0], "", rnd[1]) if rnd else None
    team_hit = _search(rx["team"], [intro, *opening[1:3]]) or _search(rx["team_generic"], [intro])
    team = _cut(team_hit[0], "", team_hit[1]) if team_hit else None
    body_hit = _search(rx["body"], [intro])
    body = _cut(body_hit[0], "", body_hit[1], 1) if body_hit else None
    if body is None:
        for t in (team, round_text):
            if t and (m := rx["body_any"].search(simplify(t))):
                body = t[m.start(1): m.end(1)]
                break
    level = _levels_of(body)
    meta["issuer"] = _issuer(title_text, st, findings)
    meta["kind"] = _kind(team, round_text, title_text, " ".join(opening[:2]))
    special_in = simplify(" ".join(filter(None, [title_text, round_text, team, sentences[0] if sentences else ""])))
    meta["special"] = [w for w in words("special") if w in special_in]
    # inspected unit, former name
    inspected = former = None
    if sentences:
        s0 = sentences[0]
        start = team_hit[1].end() if team_hit and team_hit[0] == intro and team_hit[1].end() <= len(s0) else 0
        if m := rx["inspected"].search(simplify(s0), start):
            inspected = s0[m.start(1): m.end(1)]
            if fm := re.match(r"^(.*?)[(（]原(.+?)[)）]$", inspected):
                inspected, former = fm[1], fm[2]
    # period and feedback
    period = None
    end_ym: tuple[int, int] | None = None
    if pm := rx["period"].search(simplify(intro)):
        line = st.opening[0].no if st.opening else None
        start_rec, n1 = dates.parse(intro[pm.start(1): pm.end(1)])
        start_iso = start_rec["date"]
        y = int(start_iso[:4]) if start_iso else None
        # a year-less end month before the start month falls in the next year (12月5日至1月20日)
        after = (y, int(start_iso[5:7])) if start_iso and len(start_iso) >= 7 else None
        end_rec, n2 = dates.parse(intro[pm.start(2): pm.end(2)], year=y, after=after)
        for rec, note in ((start_rec, n1), (end_rec, n2)):
            if note:
                findings.warn("date", f"period date {rec['text']}: {note}", line)
        end_iso = end_rec["date"]
        if start_iso and end_iso and start_iso[:len(end_iso)] > end_iso[:len(start_iso)]:
            findings.warn("date", f"period {intro[pm.start(): pm.end()]} ends before it starts: "
                          "its end date is kept as written, not read", line)
            end_rec = dates.record(end_rec["text"], None)
        period = {"text": intro[pm.start(): pm.end()], "start": start_rec, "end": end_rec}
        if end_rec["date"] and len(end_rec["date"]) >= 7:
            end_ym = (int(end_rec["date"][:4]), int(end_rec["date"][5:7]))
    published = _published(src, chrome, findings)
    signature = _signature(st, findings)
    feedback = _feedback(intro, period, end_ym, published, signature, st, findings)
    meta["inspection"] = {"body": body, "level": level, "round": round_text, "team": team,
                          "inspected": inspected}
    if former:
        meta["inspection"]["former_name"] = former
    meta["inspection"]["period"] = period
    meta["inspection"]["feedback"] = feedback
    if published is None and signature and signature.get("date") and signature["date"].get("date"):
        published = dict(signature["date"])
        findings.info("published", "no page date: the signature's date is taken as the publication date")
    meta["published"] = published
    meta["signature"] = signature
    source: dict[str, object] = {}
    contacts = _contacts([ln.text for ln in st.closing])
    if contacts:
        meta["contacts"] = contacts
    site = src.site or _site_from_chrome(chrome)
    for key, val in (("name", src.name), ("url", src.url), ("encoding", src.encoding), ("site", site)):
        if val:
            source[key] = val
    meta["source"] = source
    formula = next((w for w in words("formula") if any(w in simplify(p) for p in opening)), None)
    if formula is None and not any(w in simplify(ln.text) for ln in st.closing for w in words("formula")):
        findings.info("opening", "no publishing formula (予以公布, 予以通报, 向社会公开 …) found")
    return file_shape(meta)


def file_shape(meta: dict[str, Any]) -> dict[str, Any]:
    """The metadata as the notice file stores it: each date flat, ISO beside its text
    (``feedback``, ``feedback_text``, ``feedback_precision`` …), the title beside where it came from."""
    out = dict(meta)
    title = out.pop("title", None) or {}
    out = {"title": title.get("text"), "title_from": title.get("from", "none"), **out}
    insp = dict(out.get("inspection") or {})
    period = insp.get("period")
    if period:
        insp["period"] = {"text": period["text"], **_flat("start", period.get("start")), **_flat("end", period.get("end"))}
    feedback = insp.pop("feedback", None)
    insp.update(_flat("feedback", feedback))
    out["inspection"] = insp
    published = out.pop("published", None)
    out.update(_flat("published", published))
    if published and published.get("time"):
        out["published_time"] = published["time"]
    signature = out.get("signature")
    if signature:
        out["signature"] = {"signer": signature.get("signer"), **_flat("date", signature.get("date"))}
    return out


def _flat(name: str, rec: dict[str, Any] | None) -> dict[str, Any]:
    if not rec:
        return {}
    out: dict[str, Any] = {name: rec.get("date"), f"{name}_text": rec["text"]}
    if rec.get("date") and rec.get("precision") not in (None, "day"):
        out[f"{name}_precision"] = rec["precision"]
    if rec.get("year_inferred"):
        out[f"{name}_year_inferred"] = True
    return out


def _title(st: Structure, src: Source) -> dict[str, object]:
    if st.title:
        lines = [ln.text for ln in st.title]
        text = lines[0] if len(lines) == 2 and lines[0] == lines[1] else "".join(lines)
        return {"text": text, "from": "body"}
    if src.page_title:
        parts = [p.strip() for p in re.split(r"\s*[_|｜]\s*|\s+[-—–]+\s+", src.page_title) if p.strip()]
        best = next((p for p in parts if re.search("通报|整改", simplify(p))), None)
        if best:
            return {"text": best, "from": "page"}
    return {"text": None, "from": "none"}


def _issuer(title: str, st: Structure, findings: Findings) -> str | None:
    s = simplify(title)
    if "关于" in s:
        prefix = title[: s.index("关于")].strip()
        if prefix and any(simplify(prefix).endswith(w) for w in words("issuer")):
            return prefix
    signer = next((ln.text for ln in st.signature if not _is_date(ln.text)), None)
    if signer:
        return signer
    alltext = simplify("".join(ln.text for ln in st.opening[:3]))
    for w in words("self"):
        if w in alltext:
            findings.info("issuer", f"the notice names its issuer only as {w}", st.opening[0].no if st.opening else None)
            break
    return None


def _is_date(text: str) -> bool:
    from rectcli.ingest.structure import is_date_line

    return is_date_line(text)


def _kind(team: str | None, rnd: str | None, title: str, opening: str) -> str | None:
    for t in (team, rnd, title):
        if t:
            s = simplify(t)
            if "巡察" in s:
                return "巡察"
            if "巡视" in s:
                return "巡视"
    s = simplify(opening)
    a, b = s.count("巡视"), s.count("巡察")
    if a or b:
        return "巡察" if b > a else "巡视"
    return None


def _published(src: Source, chrome: list[dict], findings: Findings) -> dict[str, object] | None:
    for text in sorted(src.page_dates, key=lambda t: ":" not in t):  # one with a time first
        if m := dates.ANY.search(text):
            rec, note = dates.parse(m.group(0))
            if rec["date"] and not note:
                return rec
    for c in chrome:
        if c["kind"] != "dateline":
            continue
        for m in dates.ANY.finditer(c["text"]):
            if not re.match(r"\d{4}", m.group(0)):
                continue
            rec, note = dates.parse(m.group(0))
            if rec["date"]:
                if note:
                    findings.warn("date", f"publication date {rec['text']}: {note}", c["line"])
                return rec
    return None


_CONTACTS = (
    ("phone", r"(?:联系)?电话\s*[:：]?\s*([0-9０-９][0-9０-９\-－—()（） ]{5,24}[0-9０-９])"),
    ("address", r"(?:邮政信箱|通信地址|通讯地址|来信地址|邮寄地址)\s*[:：]?\s*([^;；,，。(（\s]{4,60})"),
    ("postcode", r"(?:邮编|邮政编码)\s*[:：]?\s*([0-9０-９]{6})(?![0-9])"),
    ("envelope_note", r"信封上(?:请)?(?:注明|写明)\s*[:：]?\s*[“\"「]?([^”\"」)）;；。]{2,40})"),
    ("email", r"([A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,})"),
)


def _contacts(paragraphs: list[str]) -> dict[str, str]:
    """The contacts of the closing (联系电话, 邮政信箱/通信地址, 邮编, 信封上注明, 电子邮箱), each
    exactly as written; the first of each kind."""
    out: dict[str, str] = {}
    for key, pattern in _CONTACTS:
        for text in paragraphs:
            if m := re.search(pattern, simplify(text)):  # 聯繫電話 is 联系电话; cut as written
                out[key] = text[m.start(1): m.end(1)]
                break
    return out


def _site_from_chrome(chrome: list[dict]) -> str | None:
    """The site named in a date line (2022-04-08 10:00 浙江省纪委省监委网站) or a 来源 line."""
    for c in chrome:
        if c["kind"] != "dateline":
            continue
        if m := re.search(r"(?:来源|信息来源|文章来源)\s*[:：]\s*(\S{2,30})", c["text"]):
            return m.group(1)
        if m := re.match(r"^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s+(\S{2,30})$",
                         c["text"]):
            return m.group(1)
    return None


def _signature(st: Structure, findings: Findings) -> dict[str, object] | None:
    if not st.signature:
        return None
    signer = date = None
    for ln in st.signature:
        if _is_date(ln.text):
            rec, note = dates.parse(ln.text)
            if note == "damaged":
                findings.warn("damaged", f"signature date {ln.text} read as {rec['date']}", ln.no)
            elif note:
                findings.warn("date", f"signature date {ln.text}: cannot be read ({note})", ln.no)
            date = rec
        else:
            signer = ln.text
    return {"signer": signer, "date": date}


def _feedback(intro: str, period: dict | None, end_ym: tuple[int, int] | None,
              published: dict | None, signature: dict | None, st: Structure,
              findings: Findings) -> dict[str, object] | None:
    line = st.opening[0].no if st.opening else None
    for sentence in re.split(r"(?<=。)", intro):
        s = simplify(sentence)
        if "反馈" not in s:
            continue
        for m in dates.ANY.finditer(s):
            text = sentence[m.start(): m.end()]
            if period and text in period["text"] and period["text"] in sentence:
                continue
            year = end_ym[0] if end_ym else None
            if year is None:
                for rec in (published, (signature or {}).get("date")):
                    if rec and rec.get("date"):
                        year = int(rec["date"][:4])
                        break
            return _feedback_date(text, year, end_ym, findings, line)
        if m := dates.LOST_MONTH.search(s):
            return _feedback_date(sentence[m.start(): m.end()], end_ym[0] if end_ym else None, end_ym,
                                  findings, line)
    return None


def _feedback_date(text: str, year: int | None, end_ym: tuple[int, int] | None, findings: Findings,
                   line: int | None) -> dict[str, object]:
    rec, note = dates.parse(text, year=year, after=end_ym)
    if note == "damaged":
        findings.warn("damaged", f"feedback date {text} read as {rec['date']}", line)
    elif note:
        findings.warn("date", f"feedback date {text}: {note}", line)
    return rec
