import json

from tests.conftest import ANSI, run


def test_sections_lists_14_areas_and_32_measures():
    r = run("sections")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    sections = [line for line in lines if line.split("\t")[0].isdigit()]
    measures = [line for line in lines if "." in line.split("\t")[0]]
    assert len(sections) == 14 and len(measures) == 32
    assert "6\t六\t履行全面从严治党主体责任不到位问题\t4项措施" in lines
    assert any(line.startswith("6.4\t六(四)\t加强公车管理\t") for line in lines)
    assert any(line.startswith("5.1\t五\t（正文）\t") for line in lines)
    assert not ANSI.search(r.stdout)


def test_depth_1_lists_sections_only():
    r = run("sections", "--depth", "1")
    assert r.exit_code == 0, r.output
    assert len(r.stdout.splitlines()) == 14


def test_sections_json_shape():
    r = run("sections", "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["rectcli_json_version"] == 1 and doc["command"] == "sections"
    secs = doc["data"]["sections"]
    assert [s["id"] for s in secs] == [str(i) for i in range(1, 15)]
    assert sum(s["measure_count"] for s in secs) == 32
    assert secs[5]["measures"][3] == {"id": "6.4", "label": "六(四)", "title": "加强公车管理",
                                      "characters": secs[5]["measures"][3]["characters"]}


def test_bad_depth_is_a_usage_error():
    r = run("sections", "--depth", "3")
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("rectcli: error:")
