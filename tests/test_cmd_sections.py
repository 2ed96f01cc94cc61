import json

from tests.conftest import ANSI, run

SECTION_IDS = [str(i) for i in range(1, 15)]

# Characters per measure: every character but white space of the measure's paragraph in
# tests/fixtures/notice-source.txt, without its leading label "(一)" … (title, the 。 after it,
# and text). Counted once by hand-run script over the fixture that does not import rectcli:
#   body = re.sub(r'^\([一二…十]+\)', '', line.strip()); sum(not ch.isspace() for ch in body)
# with measures numbered in source order under each "X、关于…的整改情况" heading (lines 13 … 99).
CHARACTERS = {
    "1.1": 232, "1.2": 185, "1.3": 175,
    "2.1": 203, "2.2": 206, "2.3": 225, "2.4": 178, "2.5": 201, "2.6": 178,
    "3.1": 179, "3.2": 156, "3.3": 169, "3.4": 146,
    "4.1": 155, "4.2": 209,
    "5.1": 253,
    "6.1": 205, "6.2": 203, "6.3": 147, "6.4": 176,
    "7.1": 329,
    "8.1": 146,
    "9.1": 184, "9.2": 139,
    "10.1": 218,
    "11.1": 139, "11.2": 180,
    "12.1": 195, "12.2": 203,
    "13.1": 69,
    "14.1": 148, "14.2": 151,
}


def rows(r) -> dict[str, list[str]]:
    """Plain output's records by their first field (a header row, if any, is not an id)."""
    return {line.split("\t")[0]: line.split("\t")[1:] for line in r.stdout.splitlines()}


def test_sections_lists_14_areas_and_32_measures():
    r = run("sections")
    assert r.exit_code == 0, r.output
    by_id = rows(r)
    assert [i for i in by_id if i in SECTION_IDS] == SECTION_IDS
    assert [i for i in by_id if "." in i] == list(CHARACTERS)
    assert by_id["6"] == ["六", "履行全面从严治党主体责任不到位问题", "4项措施"]  # source line 55
    assert by_id["6.4"] == ["六(四)", "加强公车管理", "176字"]  # source line 63
    assert by_id["5.1"] == ["五", "（正文）", "253字"]  # source line 53: no subsections
    assert not ANSI.search(r.stdout)


def test_depth_1_lists_sections_only():
    r = run("sections", "--depth", "1")
    assert r.exit_code == 0, r.output
    by_id = rows(r)
    assert [i for i in by_id if i in SECTION_IDS] == SECTION_IDS
    assert not any("." in i for i in by_id)
    assert len(by_id) <= 15  # 14 sections and at most a header row


def test_sections_json_shape():
    r = run("sections", "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["rectcli_json_version"] == 1 and doc["command"] == "sections"
    secs = doc["data"]["sections"]
    assert [s["id"] for s in secs] == SECTION_IDS
    # measures per section, counted in the source: 一 has (一)…(三), 二 (一)…(六), …
    assert [s["measure_count"] for s in secs] == [3, 6, 4, 2, 1, 4, 1, 1, 2, 1, 2, 2, 1, 2]
    assert secs[5]["measures"][3] == {"id": "6.4", "label": "六(四)", "title": "加强公车管理", "characters": 176}
    assert {m["id"]: m["characters"] for s in secs for m in s["measures"]} == CHARACTERS


def test_bad_depth_is_a_usage_error():
    r = run("sections", "--depth", "3")
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("rectcli: error:")
