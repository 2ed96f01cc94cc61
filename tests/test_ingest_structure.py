"""The importer cuts a notice into title, opening, headings at every depth, closing and signature,
and never loses or adds a character. Notices here are fictional and composed in the tests; the
expected values are written by hand."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rectcli.errors import ImportFormatError
from rectcli.ingest import import_notice
from rectcli.notice.checks import all_problems
from rectcli.notice.format import dump, load_file, load_schema
from tests.paths import SOURCE

OPENING = "　　根据县委统一部署，2022年7月至8月，县委第二巡察组对石桥镇党委进行了常规巡察。10月12日，县委第二巡察组向石桥镇党委反馈了巡察意见。现将巡察整改进展情况予以公布。"


def squeeze(s: str) -> str:
    return "".join(s.split())


def pieces(data: dict) -> list[str]:
    out = list(data["title"]) + [p["text"] for p in data["opening"]]

    def walk(nodes):
        for n in nodes:
            out.extend([n["marker"], n["heading"] or "", n.get("after_heading") or ""])
            out.extend(n.get("paragraphs", []))
            walk(n.get("children", []))

    walk(data["sections"])
    out.extend(p["text"] for p in data["closing"])
    out.extend(data.get("signature", {}).get("lines", []))
    return out


def flat(nodes: list[dict]) -> list[tuple]:
    out = []
    for n in nodes:
        out.append((n["id"], n["marker"], n["heading"], n["runin"], n.get("paragraphs", [])))
        out.extend(flat(n.get("children", [])))
    return out


def all_nodes(nodes: list[dict]) -> list[dict]:
    out = []
    for n in nodes:
        out.append(n)
        out.extend(all_nodes(n.get("children", [])))
    return out


def problems(data: dict) -> list[str]:
    """What rectcli's own format-2 validation finds wrong with imported data."""
    return [f"{p.path}: {p.message}" for p in all_problems(data, {}, load_schema())]


def imp(*lines: str):
    return import_notice("\n\n".join(lines))


# --- the bundled notice ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def bundled():
    return import_notice(SOURCE)


def test_bundled_chrome(bundled):
    chrome = [(c["line"], c["text"], c["kind"]) for c in bundled.data["chrome"]]
    assert chrome[:2] == [(1, "中共浙江省纪律检查委员会 浙江省监察委员会", "masthead"),
                          (5, "2022-04-08 10:00 浙江省纪委省监委网站", "dateline")]
    assert [c[1] for c in chrome[2:]] == ["分享到", "^"]


def test_bundled_parts(bundled):
    d = bundled.data
    assert d["title"] == ["中共宁波前湾新区工作委员会关于十四届省委第十二轮巡视整改进展情况的通报"]
    assert len(d["opening"]) == 3
    assert d["opening"][1]["text"].startswith("宁波前湾新区党工委把巡视整改作为重大政治任务来抓")
    assert all(w in d["opening"][1]["text"] for w in ("一是", "二是", "三是"))  # inline: one paragraph
    assert [s["marker"] for s in d["sections"]] == ["一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、",
                                                    "九、", "十、", "十一、", "十二、", "十三、", "十四、"]
    assert [s["id"] for s in d["sections"] if "children" not in s] == ["5", "7", "8", "10", "13"]
    assert [len(s.get("children", [])) for s in d["sections"]] == [3, 6, 4, 2, 0, 4, 0, 0, 2, 0, 2, 2, 0, 2]
    assert [c["text"][:3] for c in d["closing"]] == ["下一步", "欢迎广"]
    assert d["signature"] == {"lines": ["中共宁波前湾新区工作委员会", "202248"]}
    assert [sorted(p) for p in d["opening"] + d["closing"]] == [["id", "text"]] * 5


def test_bundled_nodes_hold_plain_paragraphs_and_omit_empty_lists(bundled):
    nodes = all_nodes(bundled.data["sections"])
    assert len(nodes) == 41  # 14 parts 一、…十四、 and the 27 (一)… beneath them
    for n in nodes:
        assert n.get("children") != [] and n.get("paragraphs") != [], n["id"]
        assert all(isinstance(p, str) for p in n.get("paragraphs", [])), n["id"]
    # 一、 holds only its (一)(二)(三): a standalone heading without paragraphs of its own
    assert "paragraphs" not in bundled.data["sections"][0]


def test_bundled_runin_measures(bundled):
    s1 = bundled.data["sections"][0]
    m = s1["children"][0]
    assert (m["id"], m["marker"], m["heading"], m["runin"], m["after_heading"]) == (
        "1.1", "(一)", "健全完善学习贯彻习近平总书记重要讲话和指示精神制度机制", True, "。")
    assert m["paragraphs"][0].startswith("新区党工委将学习贯彻习近平总书记重要讲话")
    # 六(一) has no 。 within its first 60 characters: a body without a heading
    m61 = bundled.data["sections"][5]["children"][0]
    assert (m61["id"], m61["heading"], m61["runin"]) == ("6.1", None, False)
    assert m61["paragraphs"][0].startswith("严格落实第一责任人责任和一岗双责全面强化")


def test_bundled_fidelity(bundled):
    assert squeeze("".join(pieces(bundled.data))) == squeeze(bundled.text)
    source = SOURCE.read_text(encoding="utf-8")
    removed = "".join(squeeze(c["text"]) for c in bundled.data["chrome"])
    assert len(squeeze(source)) == len(squeeze(bundled.text)) + len(removed)


# --- title -----------------------------------------------------------------------------------

def test_title_split_over_two_lines():
    r = imp("中共石桥镇委员会关于", "十五届县委第三轮巡察整改进展情况的通报", OPENING, "一、关于学习问题的整改情况", "开展学习。")
    assert r.data["title"] == ["中共石桥镇委员会关于", "十五届县委第三轮巡察整改进展情况的通报"]
    meta = r.data["metadata"]
    assert (meta["title"], meta["title_from"]) == ("中共石桥镇委员会关于十五届县委第三轮巡察整改进展情况的通报", "body")


def test_title_printed_twice():
    t = "中共石桥镇委员会关于十五届县委第三轮巡察整改进展情况的通报"
    r = imp(t, t, OPENING)
    assert r.data["title"] == [t, t]
    assert (r.data["metadata"]["title"], r.data["metadata"]["title_from"]) == (t, "body")
    assert [o["text"] for o in r.data["opening"]] == [OPENING.strip("　")]


def test_title_absent():
    r = imp(OPENING, "一、关于学习问题的整改情况", "开展学习。")
    assert r.data["title"] == []
    assert (r.data["metadata"]["title"], r.data["metadata"]["title_from"]) == (None, "none")


# --- headings --------------------------------------------------------------------------------

def test_headings_at_every_depth_with_standalone_and_runin():
    r = imp(OPENING,
            "二、巡察反馈问题整改落实情况",
            "（一）关于住房公积金监管不严的问题",
            "1.住房公积金管理存在漏洞。",
            "（1）个别职工违规提取住房公积金。",
            "整改情况：追回违规提取资金。",
            "（2）贷款审核把关不严",
            "整改情况：修订办法。",
            "2.建筑市场监管不到位。开展专项行动，查处违法分包。")
    assert flat(r.data["sections"]) == [
        ("1", "二、", "巡察反馈问题整改落实情况", False, []),
        ("1.1", "（一）", "关于住房公积金监管不严的问题", False, []),
        ("1.1.1", "1.", "住房公积金管理存在漏洞", False, []),
        ("1.1.1.1", "（1）", "个别职工违规提取住房公积金", False, ["整改情况：追回违规提取资金。"]),
        ("1.1.1.2", "（2）", "贷款审核把关不严", False, ["整改情况：修订办法。"]),
        ("1.1.2", "2.", "建筑市场监管不到位", True, ["开展专项行动，查处违法分包。"]),
    ]
    nodes = r.data["sections"][0]["children"][0]["children"]
    assert nodes[0]["after_heading"] == "。"  # a standalone heading keeps its 。
    assert "after_heading" not in nodes[0]["children"][1]  # (2) has none


def test_pcn_is_top_level_without_yi_level_and_ascii_punctuation():
    r = imp(OPENING, "(一)深化改革。制定方案,明确责任。", "(二)优化服务。推行一窗受理。", "第二段正文。")
    assert flat(r.data["sections"]) == [
        ("1", "(一)", "深化改革", True, ["制定方案,明确责任。"]),
        ("2", "(二)", "优化服务", True, ["推行一窗受理。", "第二段正文。"]),
    ]


def test_circled_numbers_are_markers_of_their_own_level():
    r = imp(OPENING, "一、关于学习问题的整改情况", "①健全学习制度。制定办法。", "②开展专题学习。", "③组织集中轮训",
            "全年轮训2次。")
    assert flat(r.data["sections"]) == [
        ("1", "一、", "关于学习问题的整改情况", False, []),
        ("1.1", "①", "健全学习制度", True, ["制定办法。"]),
        ("1.2", "②", "开展专题学习", False, []),
        ("1.3", "③", "组织集中轮训", False, ["全年轮训2次。"]),
    ]
    assert not [f for f in r.findings if f.what == "structure"]  # ①②③ in order: nothing skipped


def test_long_sentence_after_marker_is_a_body_without_heading():
    long = "严格落实第一责任人责任和一岗双责全面强化党风廉政建设党工委主体责任和党工委书记第一责任,成立领导小组,制定出台班子成员落实一岗双责责任清单等制度。"
    r = imp(OPENING, "一、关于责任问题的整改情况", "（一）" + long)
    node = r.data["sections"][0]["children"][0]
    assert (node["heading"], node["runin"], node["paragraphs"]) == (None, False, [long])


def test_runin_heading_with_empty_rest_and_section_lead_paragraph():
    r = imp(OPENING, "一、巡察整改工作开展情况", "局党组坚持把整改作为政治任务。", "（一）提高政治站位。", "（二）细化整改方案。制定方案。")
    s = r.data["sections"][0]
    assert s["paragraphs"] == ["局党组坚持把整改作为政治任务。"]
    assert [(c["heading"], c["runin"]) for c in s["children"]] == [("提高政治站位", False), ("细化整改方案", True)]


def test_yishi_paragraphs_under_a_heading_are_children_but_stay_paragraphs_in_the_opening():
    org = "镇党委把巡察整改作为政治任务。一是强化组织领导。二是细化整改任务。"
    r = imp(OPENING, "一是成立领导小组。镇党委书记任组长。", org,
            "一、组织整改落实情况", "镇党委高度重视。", "一是提高政治站位。召开专题会议。", "二是加强组织领导，",
            "健全工作机制。", "二、关于学习问题的整改情况", "开展学习。")
    assert [o["text"] for o in r.data["opening"]] == [OPENING.strip("　"), "一是成立领导小组。镇党委书记任组长。", org]
    assert flat(r.data["sections"]) == [
        ("1", "一、", "组织整改落实情况", False, ["镇党委高度重视。"]),
        ("1.1", "一是", "提高政治站位", True, ["召开专题会议。"]),
        ("1.2", "二是", None, False, ["加强组织领导，", "健全工作机制。"]),
        ("2", "二、", "关于学习问题的整改情况", False, ["开展学习。"]),
    ]


def test_a_marker_alone_with_nothing_under_it_stays_text_and_the_file_stays_valid():
    # 二、 alone, then 三、: no heading, paragraph or child for a node to hold (format 2 forbids
    # such a node): the marker is kept as a paragraph of the node before it. 三、 and 四、 alone
    # hold a child and a paragraph: nodes without a heading.
    r = imp(OPENING, "一、关于学习问题的整改情况", "开展学习。", "二、", "三、", "（一）健全制度。制定办法。", "四、", "推进整改。")
    assert flat(r.data["sections"]) == [
        ("1", "一、", "关于学习问题的整改情况", False, ["开展学习。", "二、"]),
        ("2", "三、", None, False, []),
        ("2.1", "（一）", "健全制度", True, ["制定办法。"]),
        ("3", "四、", None, False, ["推进整改。"]),
    ]
    assert [(f.level, f.what, f.line) for f in r.findings if "alone" in f.text] == [("warning", "structure", 7)]
    assert problems(r.data) == []


def test_a_lone_marker_before_any_heading_stays_in_the_opening():
    r = imp(OPENING, "一、", "二、关于学习问题的整改情况", "开展学习。")
    assert [o["text"] for o in r.data["opening"]] == [OPENING.strip("　"), "一、"]
    assert flat(r.data["sections"]) == [("1", "二、", "关于学习问题的整改情况", False, ["开展学习。"])]
    assert problems(r.data) == []


# --- closing and signature -------------------------------------------------------------------

def test_closing_starts_at_next_step_and_signature_is_two_lines():
    r = imp(OPENING, "一、关于学习问题的整改情况", "开展学习。", "下一步，镇党委将持续抓好整改。",
            "欢迎广大干部群众对巡察整改落实情况进行监督。联系电话：0599-1234567。",
            "　　　　　　　　　　中共石桥镇委员会", "　　　　　　　　　　　2022年12月20日")
    assert [c["id"] for c in r.data["closing"]] == ["closing.1", "closing.2"]
    assert r.data["closing"][0]["text"] == "下一步，镇党委将持续抓好整改。"
    assert r.data["signature"] == {"lines": ["中共石桥镇委员会", "2022年12月20日"]}


def test_next_step_section_keeps_its_paragraph_and_contacts_start_the_closing():
    r = imp(OPENING, "一、关于学习问题的整改情况", "开展学习。", "二、下一步工作打算", "下一步，局党组将巩固成果。",
            "联系电话：0599-8812306；电子邮箱：ab@example.cn。")
    assert flat(r.data["sections"])[-1] == ("2", "二、", "下一步工作打算", False, ["下一步，局党组将巩固成果。"])
    assert [c["text"] for c in r.data["closing"]] == ["联系电话：0599-8812306；电子邮箱：ab@example.cn。"]
    assert "signature" not in r.data


def test_not_a_notice_is_refused():
    with pytest.raises(ImportFormatError, match="not a 巡视/巡察"):
        import_notice("今天天气很好。\n我们去公园散步。")


# --- generated notices -------------------------------------------------------------

CN = "一二三四五六七八九十"
han = st.text(alphabet=st.sampled_from(list("整改巡察视学习制度落实责任问题党委会议推进监督加强规范管理工作情况关于的和在对")),
              min_size=1, max_size=40)
sentence = st.builds(lambda a, p: a + p, han, st.sampled_from(["。", "，", "；", "", "。二是", "(1)"]))
paragraph = st.lists(sentence, min_size=1, max_size=4).map("".join)
indent = st.sampled_from(["", "  ", "　　", "\t", " 　"])
chrome_line = st.sampled_from(["当前位置：首页 > 政务公开", "发布时间：2024-03-15 10:20　来源：县委办", "【字体：大 中 小】",
                               "分享到：", "打印本页　关闭窗口", "备案号：东ICP备13004871号"])


@st.composite
def notice(draw):
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append(draw(chrome_line))
    if draw(st.booleans()):
        lines.append("中共石桥镇委员会关于十五届县委第三轮巡察整改进展情况的通报")
    lines.append(OPENING)
    lines.extend(draw(st.lists(paragraph, max_size=2)))
    for i in range(draw(st.integers(0, 4))):
        style = draw(st.sampled_from(["cn", "pcn", "num"]))
        marker = {"cn": f"{CN[i]}、", "pcn": f"（{CN[i]}）", "num": f"{i + 1}."}[style]
        lines.append(marker + draw(paragraph))
        for j in range(draw(st.integers(0, 3))):
            sub = draw(st.sampled_from([f"({CN[j]})", f"{j + 1}、", f"（{j + 1}）", f"{CN[j]}是", ""]))
            lines.append(sub + draw(paragraph))
    if draw(st.booleans()):
        lines.append("下一步，" + draw(paragraph))
    if draw(st.booleans()):
        lines.extend(["中共石桥镇委员会", draw(st.sampled_from(["2022年12月20日", "202248", "75日"]))])
    if draw(st.booleans()):
        lines.append(draw(chrome_line))
    sep = draw(st.sampled_from(["\n", "\r\n", "\r", "\n\n"]))
    return sep.join(draw(indent) + ln for ln in lines)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notice())
def test_every_character_is_kept_exactly_once(text):
    r = import_notice(text)
    assert squeeze("".join(pieces(r.data))) == squeeze(r.text)
    # and the text is the source less exactly the chrome lines it records
    removed = "".join(squeeze(c["text"]) for c in r.data["chrome"])
    assert len(squeeze(text)) == len(squeeze(r.text)) + len(removed)
    for c in r.data["chrome"]:
        assert squeeze(c["text"]) not in squeeze(r.text) or c["kind"] == "repeated"


# figures, dates, markers of every kind (bare ones too) and the words that start a closing;
# 《》 are left out: an unbalanced 《 in the source is a problem validation rightly reports
FIGURE_TEXT = st.text(alphabet=list("立案了结件人次项个元万亿余近超约%（）(),，、；;。其中给予党纪政务处分警告诫勉清退款项"
                                    "追缴资金反馈的问题已完成整改率年月日-0123456789.０１２ 　“”一二三是关于情况"),
                      min_size=1, max_size=60)
MARKERS = st.sampled_from(["一、", "二、", "十一、", "（一）", "(二)", "1.", "2、", "（1）", "(2)", "①", "②", "一是", "二是",
                           "", "", "下一步，", "联系电话："])
ENDINGS = st.sampled_from(["", "中共石桥镇委员会\n2022年12月20日", "中共石桥镇委员会\n2022年13月40日", "75日"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(MARKERS, FIGURE_TEXT | st.just("")), max_size=8), ENDINGS)
def test_every_imported_notice_passes_format_2_validation(body, ending):
    r = import_notice("\n".join([OPENING, *(m + t for m, t in body), ending]))
    assert problems(r.data) == []


# numbers of every length around the format's bounds (18 digits before the point, 10 after), in
# the units that multiply them into 元
LONG_FIGURE = st.tuples(st.sampled_from(["立案", "清退款项", "挽回损失", "追缴资金", ""]),
                        st.from_regex(r"[1-9][0-9]{0,24}(\.[0-9]{1,12})?", fullmatch=True),
                        st.sampled_from(["件", "元", "万元", "亿元", "萬元", "余万元", "人", ""])).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(MARKERS, st.lists(LONG_FIGURE | FIGURE_TEXT, max_size=4).map("，".join)), max_size=6))
def test_every_imported_notice_is_written_as_a_file_that_loads(tmp_path_factory, body):
    # what `rectcli import -o` writes, read back as `--data FILE` reads it
    r = import_notice("\n".join([OPENING, *(m + t for m, t in body)]))
    target = tmp_path_factory.mktemp("imported") / "notice.yaml"
    target.write_text(dump(r.data), encoding="utf-8")
    load_file(target)
