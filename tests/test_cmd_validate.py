"""Issue 3: validate reports every problem, each with its YAML path and line."""

from __future__ import annotations

import json

from tests.conftest import run


def tamper(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def problems(r):
    return r.stdout.splitlines()


def test_bundled_notice_is_clean():
    r = run("validate")
    assert r.exit_code == 0, r.output
    assert r.stdout.endswith(": ok\n")


def test_wrong_breakdown_number(notice_copy):
    tamper(notice_copy, "- label: 撤职\n      value: '1'", "- label: 撤职\n      value: '2'")
    r = run("validate", str(notice_copy))
    assert r.exit_code == 1
    assert any("outcomes.figures[3].breakdown: 政务处分: breakdown" in p and "= 5, not the stated 4" in p for p in problems(r))
    assert any("'撤职2' does not appear in opening.3" in p for p in problems(r))


def test_duplicated_id(notice_copy):
    tamper(notice_copy, "- id: '6.4'", "- id: '6.3'")
    r = run("validate", str(notice_copy))
    assert r.exit_code == 1
    assert any("sections[5].measures[3].id: duplicate id '6.3'" in p for p in problems(r))
    assert any("out of order; expected '6.4'" in p for p in problems(r))


def test_missing_section(notice_copy):
    text = notice_copy.read_text(encoding="utf-8")
    start = text.index("- id: '13'\n")
    end = text.index("- id: '14'\n")
    notice_copy.write_text(text[:start] + text[end:], encoding="utf-8")
    r = run("validate", str(notice_copy))
    assert r.exit_code == 1
    assert any("sections: 13 sections, but metadata.problems.categories says 14" in p for p in problems(r))
    assert any("sections[12].id: id '14' out of order; expected '13'" in p for p in problems(r))


def test_unbalanced_brackets_and_stray_errata(notice_copy):
    tamper(notice_copy, "制定出台《新区公务用车管理规范》", "制定出台《新区公务用车管理规范")
    tamper(notice_copy, "found: 对20222月", "found: 对2022年2月")
    r = run("validate", str(notice_copy), "--json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)["data"]
    messages = {(p["path"], p["message"]) for p in data["problems"]}
    assert ("sections[5].measures[3].text", "《 is never closed") in messages
    assert any(path.endswith("errata[0].found") for path, _ in messages)
    assert all(isinstance(p["line"], int) for p in data["problems"])


def test_every_problem_is_reported_with_its_line(notice_copy):
    tamper(notice_copy, "meetings: 18", "meetings: '18'")
    tamper(notice_copy, "title: 加强公车管理", "title: ''")
    r = run("validate", str(notice_copy))
    assert r.exit_code == 1
    lines = problems(r)
    assert len(lines) == 2
    assert all(line.startswith(f"{notice_copy}:") and line.split(":")[1].isdigit() for line in lines)


def test_unreadable_file_is_exit_2(tmp_path):
    r = run("validate", str(tmp_path / "missing.yaml"))
    assert r.exit_code == 2 and r.stderr.count("\n") == 1
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [", encoding="utf-8")
    assert run("validate", str(bad)).exit_code == 2


def test_erratum_is_checked_against_the_measure_as_read(notice_copy):
    """A measure reads title + 。 + text (after_title defaults to 。): an erratum may span it."""
    tamper(notice_copy, "    title: 加强公车管理\n    text: 严格执行",
           "    title: 加强公车管理\n    errata:\n    - found: 管理。严格\n      likely: 管理。严格\n      note: spans the title\n"
           "    text: 严格执行")
    assert run("validate", str(notice_copy)).exit_code == 0
    tamper(notice_copy, "found: 管理。严格", "found: 管理严格")  # not what a reader sees
    r = run("validate", str(notice_copy))
    assert r.exit_code == 1 and any("'管理严格' does not occur" in p for p in problems(r))


# Line numbers. Each test below damages a copy of the notice at one place and finds that place's
# line by searching the copy's text (the file is the fixture, not the code under test); validate
# must report exactly that line, in plain output (file:LINE: path: message) and in --json.
# The line is that of the YAML node the path names (STYLE.md: the node's start_mark.line + 1).


def line_of(path, needle: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th ``needle`` in the file."""
    text = path.read_text(encoding="utf-8")
    at = -1
    for _ in range(occurrence):
        at = text.index(needle, at + 1)
    return text.count("\n", 0, at) + 1


def reported(copy, yaml_path: str) -> tuple[set[int], set[int]]:
    """The lines validate gives for problems at ``yaml_path``: (plain output, --json)."""
    plain = run("validate", str(copy))
    assert plain.exit_code == 1, plain.output
    plain_lines = set()
    for line in plain.stdout.splitlines():
        if line.startswith(f"{copy}:") and f": {yaml_path}: " in line:
            plain_lines.add(int(line[len(f"{copy}:"):].split(":", 1)[0]))
    doc = run("validate", str(copy), "--json")
    assert doc.exit_code == 1, doc.output
    json_lines = {p["line"] for p in json.loads(doc.stdout)["data"]["problems"] if p["path"] == yaml_path}
    return plain_lines, json_lines


def test_line_of_a_schema_type_error(notice_copy):
    tamper(notice_copy, "  meetings: 18\n", "  meetings: '18'\n")  # a string where a whole number belongs
    line = line_of(notice_copy, "  meetings: '18'\n")
    assert reported(notice_copy, "metadata.meetings") == ({line}, {line})
    r = run("validate", str(notice_copy))
    assert f"{notice_copy}:{line}: metadata.meetings: " in r.stdout


def test_line_of_a_schema_error_deep_in_the_sections(notice_copy):
    tamper(notice_copy, "    title: 加强公车管理\n", "    title: ''\n")
    line = line_of(notice_copy, "    title: ''\n")
    assert reported(notice_copy, "sections[5].measures[3].title") == ({line}, {line})


def test_line_of_a_duplicated_id(notice_copy):
    tamper(notice_copy, "- id: '6.4'", "- id: '6.3'")
    line = line_of(notice_copy, "- id: '6.3'", occurrence=2)  # the second 6.3 is the duplicate
    assert line != line_of(notice_copy, "- id: '6.3'")
    assert reported(notice_copy, "sections[5].measures[3].id") == ({line}, {line})
    r = run("validate", str(notice_copy))
    assert f"{notice_copy}:{line}: sections[5].measures[3].id: duplicate id '6.3'" in r.stdout


def test_line_of_a_wrong_breakdown_sum(notice_copy):
    tamper(notice_copy, "    - label: 撤职\n      value: '1'", "    - label: 撤职\n      value: '2'")
    # the breakdown (a sequence) starts at its first item; the number that is not in the text at its value
    breakdown = line_of(notice_copy, "    - label: 撤职\n")
    value = breakdown + 1
    assert line_of(notice_copy, "      value: '2'\n      unit: 人\n    - label: 开除") == value
    assert reported(notice_copy, "outcomes.figures[3].breakdown") == ({breakdown}, {breakdown})
    assert reported(notice_copy, "outcomes.figures[3].breakdown[0].value") == ({value}, {value})
    r = run("validate", str(notice_copy))
    assert any(line.startswith(f"{notice_copy}:{breakdown}: outcomes.figures[3].breakdown: 政务处分: ")
               and line.endswith("= 5, not the stated 4") for line in r.stdout.splitlines())


def test_line_of_an_unbalanced_title_mark(notice_copy):
    tamper(notice_copy, "制定出台《新区公务用车管理规范》", "制定出台《新区公务用车管理规范")
    line = line_of(notice_copy, "制定出台《新区公务用车管理规范,")
    assert reported(notice_copy, "sections[5].measures[3].text") == ({line}, {line})
    r = run("validate", str(notice_copy))
    assert f"{notice_copy}:{line}: sections[5].measures[3].text: 《 is never closed" in r.stdout.splitlines()


def test_line_of_a_problem_in_a_multi_line_scalar(notice_copy):
    """A text written over several lines (a folded scalar) is reported at the line it starts on."""
    old = "    text: 严格执行有关规定要求,第一时间停止发放异地任职委领导定额交通补贴。"
    tamper(notice_copy, old, "    text: >-\n      严格执行有关规定要求,第一时间停止发放异地任职委领导定额交通补贴。\n      ")
    tamper(notice_copy, "制定出台《新区公务用车管理规范》", "制定出台《新区公务用车管理规范")
    line = line_of(notice_copy, "    text: >-\n")
    assert reported(notice_copy, "sections[5].measures[3].text") == ({line}, {line})
