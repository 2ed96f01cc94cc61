"""Time whole rectcli commands as a user runs them, against two floors measured in the same run.

    python benchmarks/bench.py [--pairs N]

Each round runs every command once, output to a pipe, each right beside one run of both
floors: the framework floor (benchmarks/floor.py: a do-nothing Typer app, same interpreter,
same installed typer and rich) and the language floor (``python -c pass``). It prints the
median wall time of each, the median over rounds of each command's ratio to the floors run
beside it, and the peak resident size. Absolute times drift on a shared machine; ratios of
runs made moments apart are what to compare. Exit status 1 if a command misses a target.
"""

from __future__ import annotations

import argparse
import os
import importlib.util
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMMANDS = {
    "search 公车": ["search", "公车"],
    "sections": ["sections"],
    "stats": ["stats"],
    "show 6.4": ["show", "6.4"],
}
# Reported for issue #4 (what a converted query costs), not held to the targets: the first
# loads OpenCC, the second pypinyin, the third finds nothing and ranks suggestions.
EXTRA = {
    "search 公車": ["search", "公車"],
    "search gongche": ["search", "gongche"],
    "search 公车管里": ["search", "公车管里"],
}
IMPORT_SECONDS = 0.3  # issue #10: import of a 20,000-character notice, start-up included
FRAMEWORK_TARGET = 1.25
LANGUAGE_TARGET = 7.0
MEMORY_TARGET_MB = 60
TARGETED: set[str] = set()  # rows added at run time (the imported notice) held to the same targets


def run_once(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one run, stdout to a pipe."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    assert proc.stdout is not None
    proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"bench: {' '.join(argv)} exited {proc.returncode}")
    return elapsed, usage.ru_maxrss / 1024


def _wide(text: str) -> int:
    """How many characters of ``text`` take two terminal columns (for aligning the table)."""
    import unicodedata

    return sum(unicodedata.east_asian_width(ch) in "WF" for ch in text)


def _compile_rectcli(py: str) -> None:
    """Write rectcli's bytecode, as pip does for an installed wheel: with an editable install
    under PYTHONDONTWRITEBYTECODE every run would recompile the package and time the compiler."""
    subprocess.run([py, "-c", "import compileall, pathlib, rectcli; "
                    "compileall.compile_dir(pathlib.Path(rectcli.__file__).parent, quiet=1)"], check=True)


def rectcli_command(py: str) -> list[str]:
    """How to start rectcli on the running interpreter, never looked up on PATH: the console
    script pip installed beside it (how a user runs it), else ``python -m rectcli``."""
    if importlib.util.find_spec("rectcli") is None:
        raise SystemExit(f"bench: rectcli is not installed for {py} (pip install .)")
    script = Path(py).parent / "rectcli"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    print(f"bench: no console script beside {py}; timing python -m rectcli", file=sys.stderr)
    return [py, "-m", "rectcli"]


def composed_notice(directory: Path, size: int = 20_000) -> Path:
    """A notice of at least ``size`` characters composed by benchmarks/corpus.py (a generated
    notice whose body runs on with the sections of the next ones), as a text file."""
    sys.path.insert(0, str(HERE.parent))
    from benchmarks.corpus import generate

    text = ""
    for _, notice, _ in generate(40, 20261126):
        if not text:
            text = notice
            continue
        lines = notice.splitlines()
        start = next((i for i, line in enumerate(lines) if line.strip().startswith("一、")), None)
        if start is not None:
            text += "\n" + "\n".join(lines[start:])
        if len(text) >= size:
            break
    path = directory / "composed-20k.txt"
    path.write_text(text, encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=15, help="rounds (at least 10)")
    parser.add_argument("--only", metavar="COMMAND", action="append",
                        help="time only this command (as listed, e.g. 'sections'); repeatable")
    args = parser.parse_args()
    pairs = max(10, args.pairs)
    py = sys.executable
    rectcli = rectcli_command(py)
    _compile_rectcli(py)
    chosen = {name: cmd for name, cmd in {**COMMANDS, **EXTRA}.items() if not args.only or name in args.only}
    if not chosen:
        raise SystemExit(f"bench: no such command; choose from: {', '.join({**COMMANDS, **EXTRA})}")
    argvs = {name: [*rectcli, *cmd] for name, cmd in chosen.items()}
    import tempfile

    work = Path(tempfile.mkdtemp(prefix="rectcli-bench-"))
    big = composed_notice(work)
    imported = work / "imported.yaml"
    subprocess.run([*rectcli, "import", str(big), "-o", str(imported)], check=True, stderr=subprocess.DEVNULL)
    # the commands on the imported notice, doing the same work as on the bundled one (a hit)
    on_imported = {"imported: search 整改": ["--data", str(imported), "search", "整改"],
                   "imported: sections": ["--data", str(imported), "sections"],
                   "imported: stats": ["--data", str(imported), "stats"],
                   "imported: show 2.1": ["--data", str(imported), "show", "2.1"]}
    on_imported["import 20k"] = ["import", str(big), "-o", str(work / "again.yaml")]
    for name, cmd in on_imported.items():
        if not args.only or name in args.only:
            argvs[name] = [*rectcli, *cmd]
            TARGETED.add(name)
    argvs["framework floor"] = [py, str(HERE / "floor.py"), "x"]
    argvs["language floor"] = [py, "-c", "pass"]
    for argv in argvs.values():  # warm the OS cache and rectcli's parse cache
        run_once(argv)
    floors = ("framework floor", "language floor")
    times: dict[str, list[float]] = {name: [] for name in argvs}
    ratios: dict[str, dict[str, list[float]]] = {name: {f: [] for f in floors} for name in argvs}
    peaks: dict[str, float] = {name: 0.0 for name in argvs}
    for round_no in range(pairs):
        for name in argvs:
            if name in floors:
                continue
            # each command beside its own run of both floors, in alternating order, so that
            # a machine that slows down or speeds up meanwhile affects both sides of a ratio
            order = [floors[0], name, floors[1]] if round_no % 2 == 0 else [floors[1], name, floors[0]]
            took = {}
            for which in order:
                elapsed, rss = run_once(argvs[which])
                took[which] = elapsed
                times[which].append(elapsed)
                peaks[which] = max(peaks[which], rss)
            for f in floors:
                ratios[name][f].append(took[name] / took[f])
    med = {name: statistics.median(values) for name, values in times.items()}
    print(f"python {sys.version.split()[0]} on {os.uname().machine}, {os.cpu_count()} cores; {pairs} rounds; "
          "median wall time, and the median of each command's ratios to the floors run beside it")
    print(f"{'command':<26}{'median ms':>10}{'/framework':>12}{'/language':>11}{'peak MB':>9}")
    failed = False
    for name in argvs:
        line = f"{name:<{26 - _wide(name)}}{med[name] * 1000:>10.1f}"
        if name == "import 20k":
            r_fw, r_lang = (statistics.median(ratios[name][f]) for f in floors)
            ok = med[name] <= IMPORT_SECONDS and peaks[name] < MEMORY_TARGET_MB
            failed |= not ok
            line += f"{r_fw:>12.2f}{r_lang:>11.2f}{peaks[name]:>9.1f}" + ("" if ok else "  over target")
        elif name in COMMANDS or name in EXTRA or name in TARGETED:
            r_fw, r_lang = (statistics.median(ratios[name][f]) for f in floors)
            line += f"{r_fw:>12.2f}{r_lang:>11.2f}{peaks[name]:>9.1f}"
            if name in COMMANDS or name in TARGETED:
                ok = r_fw <= FRAMEWORK_TARGET and r_lang <= LANGUAGE_TARGET and peaks[name] < MEMORY_TARGET_MB
                failed |= not ok
                line += "" if ok else "  over target"
            else:
                line += "  (not a target)"
        else:
            line += f"{'':>12}{'':>11}{peaks[name]:>9.1f}"
        print(line)
    print(f"targets: <= {FRAMEWORK_TARGET}x framework floor, <= {LANGUAGE_TARGET}x language floor, < {MEMORY_TARGET_MB} MB; "
          f"import of a {len(big.read_text(encoding='utf-8')):,}-character notice <= {IMPORT_SECONDS} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
