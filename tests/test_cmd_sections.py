import json

import pytest

from tests.conftest import ANSI, run
from tests.paths import FIXTURES

SECTION_IDS = [str(i) for i in range(1, 15)]
DEEP = str(FIXTURES / "valid" / "deep.yaml")

# Every node of tests/fixtures/notice-source.txt in reading order, written from the source by a
# throwaway script that does not import rectcli: (id, the notice's own label, heading as written,
# 篇幅). A section heading is an indented line "X、关于…的整改情况" (lines 13 … 99); a measure
# is an indented line starting "(一)" under it. 篇幅 is "N项措施" for a section with measures;
# otherwise "N字", every character but white space of the node's own text without its marker:
# for a measure its paragraph without "(一)" (heading, the 。 after it, text), for a section
# without measures (五 七 八 十 十三) its heading without "五、" plus the body paragraph under it.
NODES = [
    ("1", "一", "关于学习贯彻落实习近平总书记重要讲话和指示精神存在落差问题的整改情况", "3项措施"),
    ("1.1", "一(一)", "健全完善学习贯彻习近平总书记重要讲话和指示精神制度机制", "232字"),
    ("1.2", "一(二)", "着力推动产业集聚发展", "185字"),
    ("1.3", "一(三)", "培育壮大第三产业", "175字"),
    ("2", "二", "关于构建高水平现代化平台进展不快问题的整改情况", "6项措施"),
    ("2.1", "二(一)", "全力打造高能级平台", "203字"),
    ("2.2", "二(二)", "务实深化对沪合作", "206字"),
    ("2.3", "二(三)", "加快产城融合步伐", "225字"),
    ("2.4", "二(四)", "持续完善公共服务配套", "178字"),
    ("2.5", "二(五)", "提升社会治理能力", "201字"),
    ("2.6", "二(六)", "聚力打造人才集聚强磁场", "178字"),
    ("3", "三", "关于践行新发展理念、推动高质量发展存在短板问题的整改情况", "4项措施"),
    ("3.1", "三(一)", "深入实施创新驱动发展战略", "179字"),
    ("3.2", "三(二)", "大力推动数字经济发展", "156字"),
    ("3.3", "三(三)", "狠抓土地集约利用", "169字"),
    ("3.4", "三(四)", "促进传统产业转型升级", "146字"),
    ("4", "四", "关于推进三大攻坚战不扎实问题的整改情况", "2项措施"),
    ("4.1", "四(一)", "切实加强山海协作工作", "155字"),
    ("4.2", "四(二)", "统筹抓好生态保护与经济发展", "209字"),
    ("5", "五", "关于落实意识形态工作责任制存在薄弱环节问题的整改情况", "279字"),  # lines 51 and 53
    ("6", "六", "关于履行全面从严治党主体责任不到位问题的整改情况", "4项措施"),
    ("6.1", "六(一)", "严格落实第一责任人责任和一岗双责", "205字"),
    ("6.2", "六(二)", "加强巡察工作", "203字"),
    ("6.3", "六(三)", "强化内部监管", "147字"),
    ("6.4", "六(四)", "加强公车管理", "176字"),  # line 63
    ("7", "七", "关于派驻纪检监察组履行监督责任有缺位问题的整改情况", "354字"),
    ("8", "八", "关于执行中央八项规定精神不够严格问题的整改情况", "169字"),
    ("9", "九", "关于重点领域存在较大廉政风险问题的整改情况", "2项措施"),
    ("9.1", "九(一)", "加强工程建设管理", "184字"),
    ("9.2", "九(二)", "加强房产出租管理", "139字"),
    ("10", "十", "关于领导班子建设不够有力问题的整改情况", "237字"),
    ("11", "十一", "关于选人用人和干部队伍建设问题较多问题的整改情况", "2项措施"),
    ("11.1", "十一(一)", "加强干部队伍建设", "139字"),
    ("11.2", "十一(二)", "严格干部日常监督管理", "180字"),
    ("12", "十二", "关于党建工作较为薄弱问题的整改情况", "2项措施"),
    ("12.1", "十二(一)", "加强党建工作落实", "195字"),
    ("12.2", "十二(二)", "抓实抓牢两新组织党建工作", "203字"),
    ("13", "十三", "关于主题教育检视问题的整改存在不够严实现象问题的整改情况", "97字"),
    ("14", "十四", "关于对宁波市委、市审计部门巡察、审计指出的问题整改不到位问题的整改情况", "2项措施"),
    ("14.1", "十四(一)", "严肃处置违规发放津补贴", "148字"),
    ("14.2", "十四(二)", "严格资金存款监管", "151字"),
]
# The headings of the sections with measures, without their markers, counted the same way.
SECTION_HEADING_CHARACTERS = {"1": 34, "2": 23, "3": 28, "4": 19, "6": 24, "9": 21, "11": 24, "12": 17, "14": 35}


def rows(r) -> dict[str, list[str]]:
    """Plain output's records by their first field (a header row, if any, is not an id)."""
    return {line.split("\t")[0]: line.split("\t")[1:] for line in r.stdout.splitlines()}


def test_sections_lists_every_node_with_its_label_heading_and_length():
    r = run("sections")
    assert r.exit_code == 0, r.output
    by_id = rows(r)
    expected = {ident: [label, heading, size] for ident, label, heading, size in NODES}
    assert [i for i in by_id if i in expected] == [n[0] for n in NODES]
    assert {i: by_id[i] for i in expected} == expected
    assert "5.1" not in by_id  # a section without subsections is one node
    assert not ANSI.search(r.stdout)


def test_plain_sections_start_with_a_header_row_naming_the_columns():
    lines = run("sections").stdout.splitlines()
    assert lines[0].split("\t") == ["编号", "序号", "标题", "篇幅"]
    assert len(lines) == 1 + len(NODES)


def test_depth_1_lists_sections_only():
    r = run("sections", "--depth", "1")
    assert r.exit_code == 0, r.output
    by_id = rows(r)
    assert [i for i in by_id if i in SECTION_IDS] == SECTION_IDS
    assert not any("." in i for i in by_id)
    assert len(by_id) <= 15  # 14 sections and at most a header row
    assert by_id["6"] == ["六", "关于履行全面从严治党主体责任不到位问题的整改情况", "4项措施"]  # source line 55


def _flatten(nodes: list[dict]) -> list[dict]:
    out = []
    for n in nodes:
        out.append(n)
        out.extend(_flatten(n["children"]))
    return out


def test_sections_json_shape():
    r = run("sections", "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["rectcli_json_version"] == 1 and doc["command"] == "sections"
    data = doc["data"]
    assert data["title"] == "中共宁波前湾新区工作委员会关于十四届省委第十二轮巡视整改进展情况的通报"  # line 3
    assert data["kind"] == "巡视" and data["depth"] == 2
    secs = data["sections"]
    assert [s["id"] for s in secs] == SECTION_IDS
    # measures per section, counted in the source: 一 has (一)…(三), 二 (一)…(六), …; 五 七 八 十 十三 none
    assert [s["child_count"] for s in secs] == [3, 6, 4, 2, 0, 4, 0, 0, 2, 0, 2, 2, 0, 2]
    assert secs[5]["children"][3] == {
        "id": "6.4", "label": "六(四)", "marker": "(四)", "heading": "加强公车管理", "runin": True,
        "paragraphs": 1, "characters": 176, "child_count": 0, "children": []}
    assert secs[4] == {
        "id": "5", "label": "五", "marker": "五、", "heading": "关于落实意识形态工作责任制存在薄弱环节问题的整改情况",
        "runin": False, "paragraphs": 1, "characters": 279, "child_count": 0, "children": []}
    every = _flatten(secs)
    assert [(n["id"], n["label"], n["heading"]) for n in every] == [n[:3] for n in NODES]
    chars = {ident: int(size[:-1]) for ident, _, _, size in NODES if size.endswith("字")}
    assert {n["id"]: n["characters"] for n in every if n["id"] in chars} == chars
    assert {n["id"]: n["characters"] for n in every if n["id"] not in chars} == SECTION_HEADING_CHARACTERS


@pytest.mark.parametrize("depth", ["0", "10", "x"])
def test_bad_depth_is_a_usage_error(depth):
    r = run("sections", "--depth", depth)
    assert r.exit_code == 2
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("rectcli: error:")


# ---------------------------------------------------------------- a notice three levels deep

# tests/fixtures/valid/deep.yaml, written by hand: 一、 with (一) (a standalone heading, a lead
# paragraph and the run-in measures 1. and 2.) and (二). Lengths counted by hand: 1.开展专项检查。
# 检查村社12个,发现问题5个。 is 6 + 1 + 15 = 22; 2.督促问题整改。已整改问题5个,完善制度2项,约谈3人。
# is 6 + 1 + 20 = 27; (二)健全工作机制。制定责任清单3张。 is 6 + 1 + 9 = 16.
DEEP_NODES = [
    ("1", "一", "关于落实主体责任不到位问题的整改情况", "2项措施"),
    ("1.1", "一(一)", "加强监督检查", "2项措施"),
    ("1.1.1", "一(一)1", "开展专项检查", "22字"),
    ("1.1.2", "一(一)2", "督促问题整改", "27字"),
    ("1.2", "一(二)", "健全工作机制", "16字"),
]


def test_a_deeper_notice_lists_every_level():
    r = run("--data", DEEP, "sections")
    assert r.exit_code == 0, r.output
    by_id = rows(r)
    assert [i for i in by_id if i[:1].isdigit()] == [n[0] for n in DEEP_NODES]
    assert {n[0]: by_id[n[0]] for n in DEEP_NODES} == {n[0]: list(n[1:]) for n in DEEP_NODES}


def test_a_deeper_notice_in_json_and_by_depth():
    data = json.loads(run("--data", DEEP, "sections", "--json").stdout)["data"]
    assert data["depth"] == 3 and data["kind"] == "巡察"
    every = _flatten(data["sections"])
    assert [(n["id"], n["label"], n["marker"], n["heading"]) for n in every] == [
        ("1", "一", "一、", "关于落实主体责任不到位问题的整改情况"), ("1.1", "一(一)", "(一)", "加强监督检查"),
        ("1.1.1", "一(一)1", "1.", "开展专项检查"), ("1.1.2", "一(一)2", "2.", "督促问题整改"),
        ("1.2", "一(二)", "(二)", "健全工作机制")]
    # (一) has a lead paragraph of its own and two children: 加强监督检查 6 + 围绕重点领域开展两轮检查。 13
    one = every[1]
    assert (one["paragraphs"], one["characters"], one["child_count"]) == (1, 19, 2)
    two = rows(run("--data", DEEP, "sections", "--depth", "2"))
    assert [i for i in two if i[:1].isdigit()] == ["1", "1.1", "1.2"]
    assert two["1.1"] == ["一(一)", "加强监督检查", "2项措施"]  # its children counted, not listed
