"""import_notice reads every kind of source (text, bytes, a path, stdin, an http(s) URL; UTF-8
with or without BOM, GB18030, Big5; CRLF/CR; saved pages) and refuses everything else with one
ImportFormatError, never another exception."""

from __future__ import annotations

import io
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectcli.errors import ImportFormatError
from rectcli.ingest import import_notice
from tests.paths import FIXTURES

GENRE = FIXTURES / "genre"
NOTICE = GENRE / "01-shimen-town-county-xuncha.txt"
TRAD = "　　根據縣委統一部署，2021年9月6日至10月29日，縣委第一巡察組對水利局黨組進行了巡察。12月8日，縣委第一巡察組反饋了巡察意見。現將巡察整改進展情況予以公佈。\n\n　　一、關於河長制落實不到位問題的整改情況\n\n　　（一）壓實責任。建立台賬。\n"
PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>中共石桥镇委员会关于十五届县委第三轮巡察整改进展情况的通报_石桥镇人民政府</title>
<meta name="ArticleTitle" content="中共石桥镇委员会关于十五届县委第三轮巡察整改进展情况的通报">
<meta name="PubDate" content="2023-03-15 10:20"><meta name="SiteName" content="石桥镇人民政府">
<style>.x{color:red}</style><script>var a = "分享到";</script></head>
<body><div class="nav"><a href="/">首页</a> | <a>政务公开</a> | <a>互动交流</a></div>
<div class="crumb">当前位置：<a>首页</a> &gt; <a>政务公开</a></div>
<div class="article"><h1>中共石桥镇委员会关于十五届县委第三轮巡察整改进展情况的通报</h1>
<div class="info">发布时间：2023-03-15 10:20　来源：镇党政办　浏览次数：1386</div>
<div class="content">
<p>　　根据县委统一部署，2022年7月至8月，县委第二巡察组对石桥镇党委进行了常规巡察。10月12日，县委第二巡察组向石桥镇党委反馈了巡察意见。现将巡察整改进展情况予以公布。</p>
<p>　　一、关于贯彻落实问题的整改情况</p>
<p>　　（一）抓实理论武装。严格落实学习制度，开展集中学习14次。</p>
<p>　　（二）推进乡村振兴。新建茶园1200亩。</p>
<p>　　二、关于基层党组织建设薄弱问题的整改情况</p>
<p>　　针对问题，镇党委开展轮训。</p>
<p>　　欢迎广大干部群众对巡察整改落实情况进行监督。联系电话：0599-7731205。</p>
<p style="text-align:right">中共石桥镇委员会</p>
<p style="text-align:right">2022年12月20日</p>
</div></div>
<div class="share">分享到：<a>微信</a></div>
<div class="footer">备案号：东ICP备13004871号</div>
</body></html>
"""


def squeeze(s: str) -> str:
    return "".join(s.split())


@pytest.fixture(scope="module")
def reference():
    return import_notice(NOTICE)


@pytest.mark.parametrize("encode, encoding", [
    (lambda t: t.encode("utf-8"), "utf-8"),
    (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "utf-8"),
    (lambda t: t.encode("gb18030"), "gb18030"),
    (lambda t: t.encode("gbk"), "gb18030"),
    (lambda t: t.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    (lambda t: t.replace("\n", "\r").encode("gb18030"), "gb18030"),
], ids=["utf8", "utf8-bom", "gb18030", "gbk", "crlf", "cr-gb18030"])
def test_encodings_and_line_ends_give_the_same_notice(tmp_path, reference, encode, encoding):
    path = tmp_path / "notice.txt"
    path.write_bytes(encode(NOTICE.read_text(encoding="utf-8")))
    r = import_notice(path)
    assert r.data["metadata"]["source"]["encoding"] == encoding
    assert r.data["metadata"]["source"]["name"] == "notice.txt"
    assert r.text == reference.text
    assert r.data["sections"] == reference.data["sections"]


def test_big5_traditional_mirror_is_read_as_written():
    r = import_notice(TRAD.encode("big5"))
    meta = r.data["metadata"]
    assert meta["source"]["encoding"] == "big5"
    assert meta["kind"] == "巡察"
    assert meta["inspection"]["team"] == "縣委第一巡察組"
    assert meta["inspection"]["level"] == "县"
    assert r.data["sections"][0]["heading"] == "關於河長制落實不到位問題的整改情況"


def test_str_path_bytes_and_stdin_are_the_same(monkeypatch, reference):
    raw = NOTICE.read_bytes()
    assert import_notice(str(NOTICE)).text == reference.text
    assert import_notice(raw).text == reference.text
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    r = import_notice("-")
    assert r.text == reference.text
    assert r.data["metadata"]["source"]["name"] == "<stdin>"


def test_saved_page_main_text_title_and_dates():
    r = import_notice(PAGE)
    d = r.data
    assert d["title"] == ["中共石桥镇委员会关于十五届县委第三轮巡察整改进展情况的通报"]  # the <h1>
    assert d["metadata"]["title_from"] == "body"
    assert d["metadata"]["published"] == "2023-03-15"
    assert d["metadata"]["published_time"] == "10:20"
    assert d["metadata"]["source"]["site"] == "石桥镇人民政府"
    assert [s["heading"] for s in d["sections"]] == ["关于贯彻落实问题的整改情况", "关于基层党组织建设薄弱问题的整改情况"]
    assert d["signature"] == {"lines": ["中共石桥镇委员会", "2022年12月20日"]}
    for chrome in ("当前位置", "分享到", "备案号", "浏览次数", "var a", "color:red", "政务公开"):
        assert chrome not in r.text


def test_page_title_only_in_head_is_from_page():
    page = PAGE.replace("<h1>中共石桥镇委员会关于十五届县委第三轮巡察整改进展情况的通报</h1>", "")
    r = import_notice(page.encode("gb18030").replace(b'charset="utf-8"', b'charset="gbk"'))
    assert r.data["title"] == []
    assert (r.data["metadata"]["title"], r.data["metadata"]["title_from"]) == (
        "中共石桥镇委员会关于十五届县委第三轮巡察整改进展情况的通报", "page")
    assert r.data["metadata"]["source"]["encoding"] == "gb18030"


def test_a_paragraph_trafilatura_might_drop_is_kept():
    page = PAGE.replace("<p>　　针对问题，镇党委开展轮训。</p>", "<p>　　针对问题，镇党委开展轮训。</p><div>短句。</div>")
    r = import_notice(page)
    assert r.data["sections"][1]["paragraphs"] == ["针对问题，镇党委开展轮训。", "短句。"]


@pytest.mark.parametrize("source, message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not text"),
    ("今天天气很好。", "not a 巡视/巡察"),
    (b"\xff\xfe\x00\xd8", "UTF-16"),
    ("ftp://example.org/notice.txt", "only http"),
    ("/no/such/dir/notice.txt", "no such file"),
    (12345, "cannot import a int"),
])
def test_bad_sources_raise_one_clear_error(source, message):
    with pytest.raises(ImportFormatError, match=message) as info:
        import_notice(source)
    assert "\n" not in str(info.value)


def test_directory_and_size_limit(tmp_path):
    with pytest.raises(ImportFormatError, match="directory"):
        import_notice(tmp_path)
    with pytest.raises(ImportFormatError, match="too large"):
        import_notice(NOTICE, max_bytes=100)
    with pytest.raises(ImportFormatError, match="too large"):
        import_notice(NOTICE.read_bytes(), max_bytes=100)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300),
                 st.text(alphabet="整改巡视察一二、（）()。\n\r 　<p>根据1.", max_size=200)))
def test_arbitrary_input_raises_nothing_but_import_format_error(source):
    try:
        import_notice(source)
    except ImportFormatError as exc:
        assert str(exc)


# --- URLs -----------------------------------------------------------------------------------

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        body = PAGE.encode("utf-8")
        if self.path == "/notice.html":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path.startswith("/loop"):
            self.send_response(302)
            self.send_header("Location", f"/loop{len(self.path)}")
            self.end_headers()
        elif self.path == "/image":
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(b"\x89PNG")
        elif self.path == "/huge":  # no Content-Length: the limit must hold while streaming
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(64):
                self.wfile.write(b"x" * 4096)
        else:
            self.send_response(404)
            self.end_headers()


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_url_is_fetched(server):
    r = import_notice(f"{server}/notice.html")
    assert r.data["metadata"]["source"]["url"] == f"{server}/notice.html"
    assert r.data["title"] == ["中共石桥镇委员会关于十五届县委第三轮巡察整改进展情况的通报"]


@pytest.mark.parametrize("path, message", [
    ("/loop", "more than 5 redirects"), ("/image", "image/png"), ("/huge", "too large"), ("/missing", "404"),
])
def test_bad_urls(server, path, message):
    with pytest.raises(ImportFormatError, match=message):
        import_notice(f"{server}{path}", max_bytes=100_000)


def test_text_import_does_not_load_the_page_and_network_libraries():
    code = ("import sys; from rectcli.ingest import import_notice; import_notice(sys.argv[1]); "
            "print(sorted(m for m in ('trafilatura', 'charset_normalizer', 'httpx', 'lxml') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(NOTICE)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
