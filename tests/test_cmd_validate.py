"""Issue 3: validate reports every problem, each with its YAML path and line.

Both formats: data/notice.yaml is format 2; tests/fixtures/notice-v1.yaml is the same notice in
format 1 (rectcli 1.x), which validate checks by format 1's rules (with lines) and then, read as
format 2, by format 2's. Each test damages a copy at one place, finds that place's line by
searching the copy's text (the file is the fixture, not the code under test), and expects
exactly that line, in plain output (``file:LINE: path: message``) and in --json.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import run
from tests.paths import DATA_V1, SOURCE


def tamper(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def tamper_after(path, anchor: str, old: str, new: str) -> int:
    """Replace the first ``old`` after the one ``anchor`` in the file; the line it was on."""
    text = path.read_text(encoding="utf-8")
    assert text.count(anchor) == 1, anchor
    at = text.index(old, text.index(anchor))
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return text.count("\n", 0, at) + 1


def problems(r):
    return r.stdout.splitlines()


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


def assert_reported(copy, line: int, yaml_path: str, message: str) -> None:
    """Exactly ``line`` for ``yaml_path`` in both outputs, and the plain line in full form."""
    assert reported(copy, yaml_path) == ({line}, {line})
    r = run("validate", str(copy))
    assert any(p.startswith(f"{copy}:{line}: {yaml_path}: ") and message in p for p in problems(r)), r.stdout


def test_bundled_notice_is_clean():
    r = run("validate")
    assert r.exit_code == 0, r.output
    assert r.stdout.endswith(": ok\n")


def test_format_1_notice_is_clean():
    r = run("validate", str(DATA_V1))
    assert r.exit_code == 0, r.output
    assert r.stdout == f"{DATA_V1}: ok\n"


def test_unreadable_file_is_exit_2(tmp_path):
    r = run("validate", str(tmp_path / "missing.yaml"))
    assert r.exit_code == 2 and r.stderr.count("\n") == 1
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [", encoding="utf-8")
    assert run("validate", str(bad)).exit_code == 2


# ---------------------------------------------------------------- format 2 (data/notice.yaml)


def test_wrong_breakdown_number(notice_copy):
    # 政务处分4人(撤职1人,开除1人,警告2人) (source line 11): 撤职 made 2, so 2 + 1 + 2 = 5
    value = tamper_after(notice_copy, "label: 撤职\n", "value: '1'", "value: '2'")
    breakdown = line_of(notice_copy, "label: 撤职\n")  # the breakdown (a sequence) starts at its first item
    assert_reported(notice_copy, breakdown, "outcomes[3].breakdown", "政务处分: breakdown 2 + 1 + 2 = 5, not the stated 4")
    # its span still points at 撤职1: the number is not in the text it points at
    assert_reported(notice_copy, value, "outcomes[3].breakdown[0].value", "'2' is not in the text it points at")


def test_a_part_of_a_breakdown_that_does_not_add_up(notice_copy):
    # 党内警告12 → 13: 13 + 9 + 1 + 9 = 32, not 31 (党纪处分 is the third outcome)
    tamper_after(notice_copy, "label: 党内警告\n", "value: '12'", "value: '13'")
    breakdown = line_of(notice_copy, "label: 党内警告\n")
    assert_reported(notice_copy, breakdown, "outcomes[2].breakdown", "= 32, not the stated 31")


def test_node_id_out_of_tree_order(notice_copy):
    tamper(notice_copy, "- id: '6.4'", "- id: '6.3'")
    line = line_of(notice_copy, "- id: '6.3'", occurrence=2)  # the second 6.3 is out of place
    assert line != line_of(notice_copy, "- id: '6.3'")
    assert_reported(notice_copy, line, "sections[5].children[3].id", "id '6.3' out of place in the tree; expected '6.4'")


def test_missing_section(notice_copy):
    text = notice_copy.read_text(encoding="utf-8")
    start = text.index("- id: '13'\n")
    end = text.index("- id: '14'\n")
    notice_copy.write_text(text[:start] + text[end:], encoding="utf-8")
    assert_reported(notice_copy, line_of(notice_copy, "- id: '14'\n"), "sections[12].id",
                    "id '14' out of place in the tree; expected '13'")
    assert_reported(notice_copy, line_of(notice_copy, "- id: '14.1'\n"), "sections[12].children[0].id",
                    "id '14.1' out of place in the tree; expected '13.1'")


def test_erratum_not_in_its_text(notice_copy):
    # section 八 (source line 71) has 对20222月; an erratum claiming 对2022年2月 points at nothing
    tamper(notice_copy, "found: 对20222月", "found: 对2022年2月")
    assert_reported(notice_copy, line_of(notice_copy, "found: 对2022年2月"), "sections[7].errata[0].found",
                    "'对2022年2月' does not occur in the text it annotates")


def test_unbalanced_title_mark(notice_copy):
    tamper(notice_copy, "制定出台《新区公务用车管理规范》", "制定出台《新区公务用车管理规范")
    line = line_of(notice_copy, "制定出台《新区公务用车管理规范,")
    assert_reported(notice_copy, line, "sections[5].children[3].paragraphs[0]", "《 is never closed")
    r = run("validate", str(notice_copy), "--json")
    messages = {(p["path"], p["message"]) for p in json.loads(r.stdout)["data"]["problems"]}
    assert messages == {("sections[5].children[3].paragraphs[0]", "《 is never closed")}


def test_a_closing_mark_without_an_opening_one(notice_copy):
    tamper(notice_copy, "制定出台《新区公务用车管理规范》", "制定出台新区公务用车管理规范》")
    line = line_of(notice_copy, "制定出台新区公务用车管理规范》")
    assert_reported(notice_copy, line, "sections[5].children[3].paragraphs[0]", "》 without an opening 《")


@pytest.mark.parametrize(("old", "new", "path", "message"), [
    ("feedback: '2021-08-24'", "feedback: '2021-02-30'", "metadata.inspection.feedback", "'2021-02-30' is not a real date"),
    ("start: '2021-03-31'", "start: '2021-13-01'", "metadata.inspection.period.start", "'2021-13-01' is not a real date"),
    ("published: '2022-04-08'", "published: '2022-04'", "metadata.published", "'2022-04' does not have day precision"),
])
def test_a_date_that_is_not_real(notice_copy, old, new, path, message):
    tamper(notice_copy, old, new)
    assert_reported(notice_copy, line_of(notice_copy, new), path, message)


def test_a_period_that_ends_before_it_starts(notice_copy):
    tamper(notice_copy, "end: '2021-06-18'", "end: '2021-01-18'")
    line = line_of(notice_copy, "  period:\n") + 1  # the mapping starts at its first key
    assert_reported(notice_copy, line, "metadata.inspection.period", "starts 2021-03-31 after it ends 2021-01-18")


def test_an_outcome_span_that_points_at_text_without_its_value(notice_copy):
    # 立案32件 stands in opening.3; pointed at the same characters of opening.1, the span holds
    # no 32 (opening.1 is source line 7: 根据省委统一部署,2021年3月31日至6月18日 …)
    tamper_after(notice_copy, "label: 立案\n", "passage: opening.3", "passage: opening.1")
    value = line_of(notice_copy, "value: '32'")
    assert_reported(notice_copy, value, "outcomes[0].value", "'32' is not in the text it points at")


def test_an_outcome_span_outside_its_passage(notice_copy):
    # opening.3 (source line 11) is 167 characters long: nothing starts at 500
    line = tamper_after(notice_copy, "label: 立案\n", "start: 16", "start: 500")
    assert_reported(notice_copy, line - 1, "outcomes[0].at", "outside opening.3")  # the span starts at passage:


def test_an_outcome_span_into_a_passage_that_does_not_exist(notice_copy):
    line = tamper_after(notice_copy, "label: 立案\n", "passage: opening.3", "passage: opening.9")
    assert_reported(notice_copy, line, "outcomes[0].at.passage", "no passage 'opening.9'")


def _section_7() -> str:
    """Section 七's passage text from the source: its heading line (65), a line break, its body (67)."""
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    return lines[64].strip() + "\n" + lines[66].strip()


def _add_outcome(copy, start: int, end: int) -> None:
    text = copy.read_text(encoding="utf-8")
    assert text.endswith("\n") and "\nstated_counts:\n" in text
    figure = ("- label: 开除党籍\n  key: null\n  value: '2'\n  unit: 人\n"
              f"  at:\n    passage: '7'\n    start: {start}\n    end: {end}\n")
    copy.write_text(text.replace("\nstated_counts:\n", "\n" + figure + "stated_counts:\n"), encoding="utf-8")


def test_a_span_into_a_section_body_counts_its_heading_line(notice_copy):
    """A section without subsections is one passage: heading, line break, body (SWITCH.md). A span
    into its body counts every character before it, the line break included."""
    text = _section_7()
    two = text.index("给予开除党籍2人") + len("给予开除党籍")  # the 2 of 开除党籍2人 (source line 67)
    assert text[two] == "2"
    _add_outcome(notice_copy, two, two + 1)
    r = run("validate", str(notice_copy))
    assert r.exit_code == 0, r.stdout


def test_a_span_one_character_off_in_a_section_body_is_reported(notice_copy):
    text = _section_7()
    two = text.index("给予开除党籍2人") + len("给予开除党籍")
    _add_outcome(notice_copy, two + 1, two + 2)  # the 人 after it
    assert_reported(notice_copy, line_of(notice_copy, "value: '2'\n  unit: 人\n  at:\n    passage: '7'"),
                    f"outcomes[{_count_outcomes(notice_copy) - 1}].value", "'2' is not in the text it points at")


def _count_outcomes(copy) -> int:
    import yaml

    return len(yaml.safe_load(copy.read_text(encoding="utf-8"))["outcomes"])


def test_erratum_is_checked_against_the_node_as_read(notice_copy):
    """A run-in node reads marker + heading + 。 + text: an erratum may span them."""
    anchor = "heading: 加强公车管理\n"
    text = notice_copy.read_text(encoding="utf-8")
    indent = text[:text.index(anchor)].rsplit("\n", 1)[1]  # the node's keys' indentation, as the file has it
    tamper(notice_copy, anchor, anchor + f"{indent}errata:\n{indent}- found: 管理。严格\n{indent}  likely: 管理。严格\n"
                                         f"{indent}  note: spans the heading\n")
    r = run("validate", str(notice_copy))
    assert r.exit_code == 0, r.stdout
    tamper(notice_copy, "found: 管理。严格", "found: 管理严格")  # not what a reader sees
    assert_reported(notice_copy, line_of(notice_copy, "found: 管理严格"), "sections[5].children[3].errata[0].found",
                    "'管理严格' does not occur")


def test_erratum_across_a_standalone_heading_is_not_text(notice_copy):
    """A heading of its own ends its line: 五、…的整改情况 and the body (source lines 51, 53) are not
    one run of text, so an erratum cannot span them."""
    tamper(notice_copy, "found: 对20222月", "found: 的整改情况坚持立行立改")  # 八's heading, then its body
    assert_reported(notice_copy, line_of(notice_copy, "found: 的整改情况坚持立行立改"), "sections[7].errata[0].found",
                    "does not occur in the text it annotates")


def test_control_characters_in_the_tree(notice_copy):
    # an escape sequence (ESC [2J clears the screen) in a paragraph, written as YAML's \e, and a
    # right-to-left override (U+202E) in a heading: neither is the text of a notice
    old = "- 严格执行有关规定要求,"
    text = notice_copy.read_text(encoding="utf-8")
    at = text.index(old)
    end = text.index("\n", at)
    paragraph = text[at + 2:end]
    assert '"' not in paragraph and "\\" not in paragraph
    notice_copy.write_text(text[:at] + '- "\\e[2J' + paragraph + '"' + text[end:], encoding="utf-8")
    tamper(notice_copy, "heading: 加强公车管理\n", "heading: 加强\u202e公车管理\n")
    assert_reported(notice_copy, line_of(notice_copy, '- "\\e[2J'), "sections[5].children[3].paragraphs[0]",
                    "control character \\x1b at character 1")
    assert_reported(notice_copy, line_of(notice_copy, "heading: 加强\u202e"), "sections[5].children[3].heading",
                    "control character")
    r = run("validate", str(notice_copy))
    assert "\x1b" not in r.stdout and "\u202e" not in r.stdout
    loaded = run("--data", str(notice_copy), "show", "6.4")
    assert loaded.exit_code == 2 and loaded.stderr.startswith("rectcli: error: ")
    assert "\x1b" not in loaded.stderr + loaded.stdout and "\u202e" not in loaded.stderr + loaded.stdout


def test_a_duplicated_key_is_refused_with_its_line(notice_copy):
    # two headings for 6.4: YAML would keep the last one silently; a notice file may not say both
    anchor = "heading: 加强公车管理\n"
    text = notice_copy.read_text(encoding="utf-8")
    indent = text[:text.index(anchor)].rsplit("\n", 1)[1]
    tamper(notice_copy, anchor, anchor + f"{indent}heading: 加强公务用车管理\n")
    line = line_of(notice_copy, "heading: 加强公务用车管理")
    for args in (["validate", str(notice_copy)], ["--data", str(notice_copy), "show", "6.4"]):
        r = run(*args)
        assert r.exit_code == 2 and r.stdout == "" and r.stderr.count("\n") == 1, r.output
        assert f"{notice_copy}:{line}: sections[5].children[3].heading: duplicate key 'heading'" in r.stderr


def test_every_problem_is_reported_with_its_line(notice_copy):
    tamper(notice_copy, "start: 16\n", "start: '16'\n")
    tamper(notice_copy, "kind: 巡视\n", "kind: 巡查\n")  # 巡视 or 巡察 (or null)
    r = run("validate", str(notice_copy))
    assert r.exit_code == 1
    lines = problems(r)
    assert len(lines) == 2
    assert all(line.startswith(f"{notice_copy}:") and line.split(":")[1].isdigit() for line in lines)
    assert {int(line.split(":")[1]) for line in lines} == {line_of(notice_copy, "start: '16'"),
                                                          line_of(notice_copy, "kind: 巡查")}


def test_line_of_a_schema_type_error(notice_copy):
    tamper(notice_copy, "start: 16\n", "start: '16'\n")  # a string where a whole number belongs
    line = line_of(notice_copy, "start: '16'\n")
    assert_reported(notice_copy, line, "outcomes[0].at.start", "expected a whole number")


def test_line_of_a_schema_error_deep_in_the_sections(notice_copy):
    tamper(notice_copy, "- 严格执行有关规定要求,", "- ''\n    - 严格执行有关规定要求,")
    line = line_of(notice_copy, "- ''\n")
    assert_reported(notice_copy, line, "sections[5].children[3].paragraphs[0]", "must not be empty")


def test_line_of_an_empty_heading(notice_copy):
    tamper(notice_copy, " heading: 加强公车管理\n", " heading: ''\n")
    assert_reported(notice_copy, line_of(notice_copy, " heading: ''\n"), "sections[5].children[3].heading",
                    "must not be empty")


def test_line_of_a_problem_in_a_multi_line_scalar(notice_copy):
    """A text written over several lines (a folded scalar) is reported at the line it starts on."""
    text = notice_copy.read_text(encoding="utf-8")
    at = text.index("- 严格执行有关规定要求,第一时间停止发放异地任职委领导定额交通补贴。")
    indent = " " * (len(text[:at].rsplit("\n", 1)[1]) + 2)
    first = "严格执行有关规定要求,第一时间停止发放异地任职委领导定额交通补贴。"
    notice_copy.write_text(text[:at] + f"- >-\n{indent}{first}\n{indent}" + text[at + 2 + len(first):], encoding="utf-8")
    tamper(notice_copy, "制定出台《新区公务用车管理规范》", "制定出台《新区公务用车管理规范")
    line = line_of(notice_copy, "- >-\n")
    assert line != line_of(notice_copy, "制定出台《新区公务用车管理规范,")
    assert_reported(notice_copy, line, "sections[5].children[3].paragraphs[0]", "《 is never closed")


# ---------------------------------------------------------------- format 1 (tests/fixtures/notice-v1.yaml)


def test_v1_wrong_breakdown_number(notice_v1_copy):
    tamper(notice_v1_copy, "- label: 撤职\n      value: '1'", "- label: 撤职\n      value: '2'")
    r = run("validate", str(notice_v1_copy))
    assert r.exit_code == 1
    assert any("outcomes.figures[3].breakdown: 政务处分: breakdown" in p and "= 5, not the stated 4" in p for p in problems(r))
    assert any("'撤职2' does not appear in opening.3" in p for p in problems(r))


def test_v1_duplicated_id(notice_v1_copy):
    tamper(notice_v1_copy, "- id: '6.4'", "- id: '6.3'")
    r = run("validate", str(notice_v1_copy))
    assert r.exit_code == 1
    assert any("sections[5].measures[3].id: duplicate id '6.3'" in p for p in problems(r))
    assert any("out of order; expected '6.4'" in p for p in problems(r))


def test_v1_missing_section(notice_v1_copy):
    text = notice_v1_copy.read_text(encoding="utf-8")
    start = text.index("- id: '13'\n")
    end = text.index("- id: '14'\n")
    notice_v1_copy.write_text(text[:start] + text[end:], encoding="utf-8")
    r = run("validate", str(notice_v1_copy))
    assert r.exit_code == 1
    assert any("sections: 13 sections, but metadata.problems.categories says 14" in p for p in problems(r))
    assert any("sections[12].id: id '14' out of order; expected '13'" in p for p in problems(r))


def test_v1_unbalanced_brackets_and_stray_errata(notice_v1_copy):
    tamper(notice_v1_copy, "制定出台《新区公务用车管理规范》", "制定出台《新区公务用车管理规范")
    tamper(notice_v1_copy, "found: 对20222月", "found: 对2022年2月")
    r = run("validate", str(notice_v1_copy), "--json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)["data"]
    messages = {(p["path"], p["message"]) for p in data["problems"]}
    assert ("sections[5].measures[3].text", "《 is never closed") in messages
    assert any(path.endswith("errata[0].found") for path, _ in messages)
    assert all(isinstance(p["line"], int) for p in data["problems"])


def test_v1_every_problem_is_reported_with_its_line(notice_v1_copy):
    tamper(notice_v1_copy, "meetings: 18", "meetings: '18'")
    tamper(notice_v1_copy, "title: 加强公车管理", "title: ''")
    r = run("validate", str(notice_v1_copy))
    assert r.exit_code == 1
    lines = problems(r)
    assert len(lines) == 2
    assert all(line.startswith(f"{notice_v1_copy}:") and line.split(":")[1].isdigit() for line in lines)


def test_v1_erratum_is_checked_against_the_measure_as_read(notice_v1_copy):
    """A measure reads title + 。 + text (after_title defaults to 。): an erratum may span it."""
    tamper(notice_v1_copy, "    title: 加强公车管理\n    text: 严格执行",
           "    title: 加强公车管理\n    errata:\n    - found: 管理。严格\n      likely: 管理。严格\n      note: spans the title\n"
           "    text: 严格执行")
    assert run("validate", str(notice_v1_copy)).exit_code == 0
    tamper(notice_v1_copy, "found: 管理。严格", "found: 管理严格")  # not what a reader sees
    r = run("validate", str(notice_v1_copy))
    assert r.exit_code == 1 and any("'管理严格' does not occur" in p for p in problems(r))


def test_v1_line_of_a_schema_type_error(notice_v1_copy):
    tamper(notice_v1_copy, "  meetings: 18\n", "  meetings: '18'\n")  # a string where a whole number belongs
    line = line_of(notice_v1_copy, "  meetings: '18'\n")
    assert reported(notice_v1_copy, "metadata.meetings") == ({line}, {line})
    r = run("validate", str(notice_v1_copy))
    assert f"{notice_v1_copy}:{line}: metadata.meetings: " in r.stdout


def test_v1_line_of_a_schema_error_deep_in_the_sections(notice_v1_copy):
    tamper(notice_v1_copy, "    title: 加强公车管理\n", "    title: ''\n")
    line = line_of(notice_v1_copy, "    title: ''\n")
    assert reported(notice_v1_copy, "sections[5].measures[3].title") == ({line}, {line})


def test_v1_line_of_a_duplicated_id(notice_v1_copy):
    tamper(notice_v1_copy, "- id: '6.4'", "- id: '6.3'")
    line = line_of(notice_v1_copy, "- id: '6.3'", occurrence=2)  # the second 6.3 is the duplicate
    assert line != line_of(notice_v1_copy, "- id: '6.3'")
    assert reported(notice_v1_copy, "sections[5].measures[3].id") == ({line}, {line})
    r = run("validate", str(notice_v1_copy))
    assert f"{notice_v1_copy}:{line}: sections[5].measures[3].id: duplicate id '6.3'" in r.stdout


def test_v1_line_of_a_wrong_breakdown_sum(notice_v1_copy):
    tamper(notice_v1_copy, "    - label: 撤职\n      value: '1'", "    - label: 撤职\n      value: '2'")
    # the breakdown (a sequence) starts at its first item; the number that is not in the text at its value
    breakdown = line_of(notice_v1_copy, "    - label: 撤职\n")
    value = breakdown + 1
    assert line_of(notice_v1_copy, "      value: '2'\n      unit: 人\n    - label: 开除") == value
    assert reported(notice_v1_copy, "outcomes.figures[3].breakdown") == ({breakdown}, {breakdown})
    assert reported(notice_v1_copy, "outcomes.figures[3].breakdown[0].value") == ({value}, {value})
    r = run("validate", str(notice_v1_copy))
    assert any(line.startswith(f"{notice_v1_copy}:{breakdown}: outcomes.figures[3].breakdown: 政务处分: ")
               and line.endswith("= 5, not the stated 4") for line in r.stdout.splitlines())


def test_v1_line_of_an_unbalanced_title_mark(notice_v1_copy):
    tamper(notice_v1_copy, "制定出台《新区公务用车管理规范》", "制定出台《新区公务用车管理规范")
    line = line_of(notice_v1_copy, "制定出台《新区公务用车管理规范,")
    assert reported(notice_v1_copy, "sections[5].measures[3].text") == ({line}, {line})
    r = run("validate", str(notice_v1_copy))
    assert f"{notice_v1_copy}:{line}: sections[5].measures[3].text: 《 is never closed" in r.stdout.splitlines()


def test_v1_line_of_a_problem_in_a_multi_line_scalar(notice_v1_copy):
    """A text written over several lines (a folded scalar) is reported at the line it starts on."""
    old = "    text: 严格执行有关规定要求,第一时间停止发放异地任职委领导定额交通补贴。"
    tamper(notice_v1_copy, old, "    text: >-\n      严格执行有关规定要求,第一时间停止发放异地任职委领导定额交通补贴。\n      ")
    tamper(notice_v1_copy, "制定出台《新区公务用车管理规范》", "制定出台《新区公务用车管理规范")
    line = line_of(notice_v1_copy, "    text: >-\n")
    assert reported(notice_v1_copy, "sections[5].measures[3].text") == ({line}, {line})
