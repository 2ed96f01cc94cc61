"""Turn a source (text, bytes, a file, stdin, an http(s) URL) into the notice's lines of text.

Bytes are decoded (BOM, then strict UTF-8, then the charset a page declares, then
charset-normalizer limited to the plausible Chinese encodings); saved web pages give their main
text (trafilatura, checked against an lxml walk of the element it found), their title and the
dates their meta tags state. Heavy libraries are imported only when a source needs them.
"""

from __future__ import annotations

import os
import re
import sys

from rectcli.errors import ImportFormatError
from rectcli.ingest.report import Findings

MiB = 1024 * 1024
MAX_BYTES = 8 * MiB
NEWLINE = re.compile(r"\r\n|\r|\n")
HTML_SNIFF = re.compile(
    r"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|p[\s>]|div[\s>]|meta\s|title>|br\s*/?>|table[\s>])",
    re.I,
)
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
CHINESE_CODECS = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "cp936": "gb18030",
                  "x-gbk": "gb18030", "big5": "big5", "big5-hkscs": "big5hkscs", "cp950": "big5",
                  "utf-8": "utf-8", "utf8": "utf-8"}
ALLOWED_TYPES = ("text/html", "text/plain", "application/xhtml+xml")
BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "br", "section", "article",
              "table", "ul", "ol", "blockquote", "pre", "dd", "dt", "dl", "center", "hr", "header",
              "footer", "main", "aside", "nav", "form", "tbody", "thead", "figure", "figcaption"}
SKIP_TAGS = {"script", "style", "noscript", "template", "head", "title", "iframe", "svg", "object"}
TITLE_META = ("articletitle", "og:title", "title", "dc.title")
DATE_META = ("publishdate", "pubdate", "pubdatetime", "article:published_time", "publishtime",
             "firstpublishedtime", "dc.date", "dc.date.issued", "og:release_date", "releasedate")
SITE_META = ("sitename", "og:site_name", "site_name")


class Source:
    """A source read and decoded: ``text`` is the notice's text (for a page, its main text)."""

    __slots__ = ("text", "name", "url", "encoding", "html", "page_title", "page_dates", "site")

    def __init__(self, text: str, name: str | None = None, url: str | None = None,
                 encoding: str | None = None) -> None:
        self.text, self.name, self.url, self.encoding = text, name, url, encoding
        self.html = False
        self.page_title: str | None = None
        self.page_dates: list[str] = []
        self.site: str | None = None


def fail(message: str) -> ImportFormatError:
    return ImportFormatError(message)


def read(source: object, *, name: str | None, timeout: float, max_bytes: int,
         findings: Findings) -> Source:
    """Read any accepted source; raise ImportFormatError with one clear line when it cannot be."""
    url = None
    if isinstance(source, (bytes, bytearray, memoryview)):
        raw = bytes(source)
        if len(raw) > max_bytes:
            raise fail(f"the source is too large ({len(raw)} bytes; the limit is {max_bytes})")
        text, enc = decode(raw, findings)
    elif isinstance(source, os.PathLike) or (isinstance(source, str) and _looks_like_path(source)):
        path = os.fspath(source)
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        raw = _read_file(path, max_bytes)
        name = name or os.path.basename(path)
        text, enc = decode(raw, findings)
    elif isinstance(source, str) and source == "-":
        raw = _read_stdin(max_bytes)
        name = name or "<stdin>"
        text, enc = decode(raw, findings)
    elif isinstance(source, str) and re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*://", source.strip()):
        url = source.strip()
        raw, declared = fetch(url, timeout=timeout, max_bytes=max_bytes)
        name = name or url
        text, enc = decode(raw, findings, declared=declared)
    elif isinstance(source, str):
        if len(source) > max_bytes:
            raise fail(f"the source is too large ({len(source)} characters; the limit is {max_bytes})")
        text, enc = source, None
        if text.startswith("\ufeff"):
            text = text[1:]
    else:
        raise fail(f"cannot import a {type(source).__name__}: give text, bytes, a path, '-' or an http(s) URL")
    if "\x00" in text:
        raise fail("the source is not text: it holds NUL characters (a binary file?)")
    out = Source(text=text, name=name, url=url, encoding=enc)
    if HTML_SNIFF.search(text[:8192]):
        _read_page(out, findings)
    return out


def _looks_like_path(s: str) -> bool:
    if not s or "\n" in s or "\r" in s or len(s) > 4096 or s == "-":
        return False
    if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*://", s):
        return False
    try:
        if os.path.exists(s):
            return True
    except (OSError, ValueError):
        return False
    # a short single line with no Chinese that names a file: say it is missing, not "not a notice"
    if not re.search(r"[\u3400-\u9fff]", s) and re.search(r"[/\\]|\.(txt|html?|xhtml)$", s, re.I):
        raise fail(f"no such file: {s}")
    return False


def _read_file(path: str, max_bytes: int) -> bytes:
    try:
        if os.path.isdir(path):
            raise fail(f"{path} is a directory, not a notice file")
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except ImportFormatError:
        raise
    except FileNotFoundError:
        raise fail(f"no such file: {path}") from None
    except (OSError, ValueError) as exc:
        raise fail(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise fail(f"{path} is too large (over {max_bytes} bytes)")
    return raw


def _read_stdin(max_bytes: int) -> bytes:
    try:
        stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
        raw = stream.read(max_bytes + 1) if stream is not None else sys.stdin.read(max_bytes + 1).encode("utf-8")
    except (OSError, ValueError, AttributeError) as exc:
        raise fail(f"cannot read standard input: {exc}") from None
    if len(raw) > max_bytes:
        raise fail(f"standard input is too large (over {max_bytes} bytes)")
    return raw


def fetch(url: str, *, timeout: float, max_bytes: int) -> tuple[bytes, str | None]:
    """GET an http(s) URL: at most 5 redirects, only text/html or text/plain, the size limit
    enforced while streaming. Returns the body and the charset the server declares."""
    if not re.match(r"^https?://", url, re.I):
        raise fail(f"only http:// and https:// URLs can be imported: {url}")
    import httpx

    try:
        with httpx.Client(follow_redirects=True, max_redirects=5, timeout=timeout,
                          headers={"User-Agent": "rectcli-import"}) as client:
            with client.stream("GET", url) as resp:
                if resp.url.scheme not in ("http", "https"):
                    raise fail(f"the URL redirected to a {resp.url.scheme}: URL")
                if resp.status_code >= 400:
                    raise fail(f"{url}: the server answered {resp.status_code} {resp.reason_phrase}")
                ctype = resp.headers.get("content-type", "")
                mime = ctype.split(";")[0].strip().lower()
                if mime and mime not in ALLOWED_TYPES:
                    raise fail(f"{url} is {mime}, not an HTML page or plain text")
                length = resp.headers.get("content-length")
                if length and length.isdigit() and int(length) > max_bytes:
                    raise fail(f"{url} is too large ({length} bytes; the limit is {max_bytes})")
                chunks, size = [], 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise fail(f"{url} is too large (over {max_bytes} bytes)")
                    chunks.append(chunk)
                m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", ctype)
                return b"".join(chunks), (m[1].lower() if m else None)
    except ImportFormatError:
        raise
    except httpx.TooManyRedirects:
        raise fail(f"{url}: more than 5 redirects") from None
    except httpx.TimeoutException:
        raise fail(f"{url}: no answer within {timeout:g} s") from None
    except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
        raise fail(f"cannot fetch {url}: {exc or type(exc).__name__}") from None


def decode(raw: bytes, findings: Findings, *, declared: str | None = None) -> tuple[str, str]:
    """Bytes → text: BOM, strict UTF-8, a declared Chinese charset, then charset-normalizer."""
    if raw.startswith(b"\xef\xbb\xbf"):
        findings.info("encoding", "UTF-8 with a byte order mark")
        try:
            return raw[3:].decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            raise fail(f"the source starts with a UTF-8 byte order mark but is not UTF-8 (byte {exc.start + 3})") from None
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            try:
                return raw[2:].decode(codec), "utf-16"
            except UnicodeDecodeError:
                raise fail("the source starts with a UTF-16 byte order mark but is not UTF-16") from None
    if b"\x00" in raw:
        raise fail("the source is not text: it holds NUL bytes (a binary file?)")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    if declared:
        candidates.append(declared)
    if m := META_CHARSET.search(raw[:4096]):
        candidates.append(m[1].decode("ascii", "replace").lower())
    for cand in candidates:
        codec = CHINESE_CODECS.get(cand.lower())
        if codec and codec != "utf-8":
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                continue
            return text, _codec_name(codec)
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=["gb18030", "big5", "big5hkscs", "utf_8"]).best()
    if best is not None:
        codec = best.encoding
        try:
            return raw.decode(codec), _codec_name(codec)
        except (UnicodeDecodeError, LookupError):
            pass
    raise fail("cannot decode the source: it is neither UTF-8, GB18030/GBK nor Big5 text")


def _codec_name(codec: str) -> str:
    c = codec.lower().replace("_", "")
    if c in ("gb18030", "gbk", "gb2312", "cp936"):
        return "gb18030"
    if c.startswith("big5") or c == "cp950":
        return "big5"
    return codec.lower().replace("_", "-")


def lines_of(text: str) -> list[str]:
    """Split on CRLF, CR or LF only (the line numbers a text editor shows)."""
    return NEWLINE.split(text)


# --- saved web pages ---------------------------------------------------------------------

def _read_page(src: Source, findings: Findings) -> None:
    """Replace a page's text by its main text; keep its title, dates and site name."""
    import lxml.html
    from lxml import etree

    html = src.text
    try:
        # lxml refuses str input that declares an encoding; the text is decoded already
        html_clean = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
        tree = lxml.html.document_fromstring(html_clean)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        raise fail("cannot read the page: it looks like HTML but does not parse") from None
    src.html = True
    _page_meta(src, tree)
    main = _trafilatura_text(html_clean)
    walked, element = _walk_main(tree, main)
    if not walked.strip() and not (main or "").strip():
        raise fail("the page has no text")
    squeeze = lambda s: "".join(s.split())  # noqa: E731
    if main is None or element is None:
        findings.info("extraction", "trafilatura found no main text; read the page body with lxml")
        src.text = walked
        return
    # trafilatura found the main text; lxml walks the element that holds it, which keeps every
    # paragraph as the page has it (trafilatura may drop short lines or merge paragraphs)
    flat = squeeze(walked)
    t_lines = [ln for ln in lines_of(main) if ln.strip()]
    missing = [ln for ln in t_lines if squeeze(ln) not in flat]
    if missing:
        findings.warn("extraction", f"{len(missing)} paragraphs trafilatura found are not in <{element.tag}>: "
                      "kept trafilatura's text", None)
        src.text = main
        return
    w_lines = [ln for ln in lines_of(walked) if ln.strip()]
    if len(w_lines) != len(t_lines) or len(flat) != len(squeeze(main)):
        findings.info("extraction", f"trafilatura kept {len(t_lines)} paragraphs, <{element.tag}> holds "
                      f"{len(w_lines)}: read with lxml")
    heading = _title_heading(tree, element)
    src.text = (heading + "\n" + walked) if heading else walked


def _title_heading(tree: object, element: object) -> str | None:
    """The article's own title: the last <h1>-<h3> above the main element that reads as a title."""
    everything = list(tree.iter())  # held, so each element keeps one proxy (and one id)
    order = {id(e): i for i, e in enumerate(everything)}
    start = order.get(id(element), -1)
    found = None
    for el in everything:
        if not isinstance(el.tag, str) or el.tag not in ("h1", "h2", "h3") or order[id(el)] >= start:
            continue
        text = " ".join(el.text_content().split())
        if text and len(text) <= 100 and "。" not in text and re.search("通报|整改|通報", text):
            found = text
    return found


def _trafilatura_text(html: str) -> str | None:
    import trafilatura

    try:
        return trafilatura.extract(html, favor_recall=True, include_comments=False, include_tables=False,
                                   include_formatting=False, deduplicate=False, with_metadata=False)
    except Exception:  # noqa: BLE001 - a third-party extractor must not crash the import
        return None


def _page_meta(src: Source, tree: object) -> None:
    metas: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("name") or el.get("property") or el.get("itemprop") or "").strip().lower()
        content = (el.get("content") or "").strip()
        if key and content and key not in metas:
            metas[key] = content
    title = next((metas[k] for k in TITLE_META if metas.get(k)), None)
    if title is None:
        t = tree.find(".//title")
        if t is not None and (t.text_content() or "").strip():
            title = t.text_content().strip()
    src.page_title = title
    src.page_dates = [metas[k] for k in DATE_META if metas.get(k)]
    src.site = next((metas[k] for k in SITE_META if metas.get(k)), None)


def _walk_main(tree: object, main: str | None) -> tuple[str, object]:
    """The text of the element holding the main text from its first to its last paragraph
    (the lowest common ancestor of both), walked block by block; or the body's text."""
    body = tree.find(".//body")
    root = body if body is not None else tree
    element = None
    if main:
        lines = [ln.strip() for ln in lines_of(main) if ln.strip()]
        first = _holder(root, lines[0]) if lines else None
        last = _holder(root, lines[-1], last=True) if lines else None
        if first is not None and last is not None:
            element = _common_ancestor(first, last)
    target = element if element is not None else root
    parts: list[str] = []
    _walk(target, parts)
    text = "".join(parts)
    return "\n".join(ln for ln in lines_of(text)), element


def _holder(root: object, line: str, *, last: bool = False) -> object:
    """The element whose own text (its text or a child's tail) holds the line's start."""
    key = "".join(line.lstrip("|-*#> ").split())[:6]
    if not key:
        return None
    found = None
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in SKIP_TAGS:
            continue
        own = "".join((el.text or "").split()) + "".join("".join((c.tail or "").split()) for c in el)
        if key in own:
            found = el
            if not last:
                return el
    return found


def _common_ancestor(a: object, b: object) -> object:
    chain = [a, *a.iterancestors()]
    others = [b, *b.iterancestors()]  # held: ids of live proxies only
    seen = {id(e) for e in others}
    for e in chain:
        if id(e) in seen:
            return e
    return None


def _walk(el: object, parts: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in SKIP_TAGS or not isinstance(el.tag, str):
        if el.tail:
            parts.append(_inline(el.tail))
        return
    block = tag.lower() in BLOCK_TAGS
    if block:
        parts.append("\n")
    if el.text:
        parts.append(_inline(el.text))
    for child in el:
        _walk(child, parts)
    if block:
        parts.append("\n")
    if el.tail:
        parts.append(_inline(el.tail))


def _inline(text: str) -> str:
    """Line breaks in a page's source are white space, not paragraph breaks."""
    return NEWLINE.sub(" ", text)
