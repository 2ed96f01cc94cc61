"""What a search costs grows with what it finds, not with the library: the same questions asked
of a library and of that library with many more notices that do not contain the term take the
same number of SQLite steps. A statement that reads a whole table (the pending-phrase join once
scanned every passage, ~10 ms at 1,000 notices) fails this; timings are never asserted."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from rectcli.library import Library, store
from tests.test_library_store import A, B, C, small

FILLERS = 60  # notices without the term's characters, added to the larger library


def filler(n: int) -> dict:
    # none of 公 车 管 理 里 清 退 款 项 金 库 in these
    return small(f"中共第{n}号乡委", f"坚持立行立改,推进第{n}项工作,已办结{n + 3}件。", [],
                 published=f"20{10 + n % 12:02d}-03-0{1 + n % 8}")


@pytest.fixture(scope="module")
def libraries(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("work")
    small_lib, large_lib = folder / "small.db", folder / "large.db"
    for path, extra in ((small_lib, 0), (large_lib, FILLERS)):
        lib = Library(path)
        for data in (A, B, C):
            lib.add(data)
        list(lib.add_many([(filler(n), None) for n in range(extra)]))
    return small_lib, large_lib


def steps(path: Path, ask: Callable[[Library], object], monkeypatch: pytest.MonkeyPatch) -> int:
    """SQLite virtual-machine steps of every statement ``ask`` runs on the library at ``path``."""
    counted = [0]
    real = store.open_read

    def counting(*args, **kwargs) -> sqlite3.Connection:
        conn = real(*args, **kwargs)

        def step() -> int:
            counted[0] += 1
            return 0

        conn.set_progress_handler(step, 1)
        return conn

    with monkeypatch.context() as m:
        m.setattr(store, "open_read", counting)
        ask(Library(path))
    return counted[0]


QUESTIONS = {
    "suggest for a Han miss": lambda lib: lib.suggest(["公车管里"]),
    "suggest for a pinyin miss": lambda lib: lib.suggest(["qingtuikuanxian"]),
    "search a Han term": lambda lib: lib.search(["清退款项"]),
    "count a Han term": lambda lib: lib.count(["清退款项"]),
    "search two Han terms": lambda lib: lib.search(["清退", "款项"]),
}


@pytest.mark.parametrize("question", list(QUESTIONS))
def test_the_work_of_a_question_does_not_grow_with_notices_that_cannot_answer_it(
        libraries: tuple[Path, Path], question: str, monkeypatch: pytest.MonkeyPatch) -> None:
    small_lib, large_lib = libraries
    ask = QUESTIONS[question]
    few, many = steps(small_lib, ask, monkeypatch), steps(large_lib, ask, monkeypatch)
    assert few > 0
    # 20 times the notices; reading every passage once would add thousands of steps
    assert many <= few * 1.25 + 200, (question, few, many)


def test_the_step_count_sees_a_statement_that_reads_every_passage(
        libraries: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    # the measure itself: a question that does read every passage is seen to grow
    def every_passage(lib: Library) -> None:
        with store.read_conn(lib.path, 5) as conn:
            conn.execute("SELECT count(*) FROM passages WHERE text LIKE '%x%'").fetchone()

    small_lib, large_lib = libraries
    few, many = steps(small_lib, every_passage, monkeypatch), steps(large_lib, every_passage, monkeypatch)
    assert many > few * 1.25 + 200, (few, many)
