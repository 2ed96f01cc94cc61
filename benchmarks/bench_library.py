"""Time the notice library as its users pay for it, against the framework floor and against rg.

    python benchmarks/bench_library.py [--sizes 1000,10000] [--pairs 7] [--workdir DIR] [--only TEXT]

The corpus is benchmarks/corpus.py's (``generate(count, seed)``), imported once into format-2
data with rectcli's importer and cached as JSON lines in the work directory (with each notice's
text as a file, for grep/rg). For each size it builds a library with ``Library.add_many`` (notices
per second with everything in this process, and with worker processes preparing them, which is
what ``rectcli add`` of many sources does; and the file size), then runs every operation in a
FRESH process, each right beside one run of the framework floor (benchmarks/floor.py), and
reports the median over pairs of the ratio, plus the peak resident size:

* ``rectcli …``: the command line itself (``python -m rectcli``, output to a pipe), which is what
  the targets are judged on;
* ``api: …``: the same work through ``rectcli.library.Library`` in a fresh interpreter (no Typer,
  no rendering), to show what the command line adds.

At the largest size it also pairs searches with ``rg`` over the texts as files (``grep -r`` when
rg is not installed): a search printing every hit beside ``rg TERM`` printing every line, and a
count beside ``rg -c``. rectcli's modules are byte-compiled first, as an installed package is
(with PYTHONDONTWRITEBYTECODE set, a development checkout would otherwise compile them on every
run). Ratios of runs made moments apart are what to compare; absolute times drift on a shared
machine. Exit status 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FLOOR = [sys.executable, str(HERE / "floor.py"), "x"]
SEARCH_TARGET = 1.5     # × floor at 1,000 notices
COMPARE_TARGET = 2.0    # × floor at 10,000 notices
ADD_TARGET = 50         # notices per second
MEMORY_TARGET_MB = 100


# ---------------------------------------------------------------- corpus


def _import_one(item: tuple[str, str]) -> str | None:
    from rectcli.errors import RectcliError
    from rectcli.ingest import import_notice

    name, text = item
    try:
        data = import_notice(text.encode("utf-8"), name=name).data
    except RectcliError:
        return None
    return json.dumps(data, ensure_ascii=False)


def corpus(count: int, seed: int, workdir: Path) -> tuple[Path, Path]:
    """(JSON lines of format-2 notices, folder of their texts), made once and cached."""
    jsonl = workdir / f"corpus-{count}-{seed}-v3.jsonl"
    texts = workdir / f"texts-{count}-{seed}"
    if jsonl.exists() and texts.is_dir():
        return jsonl, texts
    sys.path.insert(0, str(HERE))
    import corpus as gen  # benchmarks/corpus.py
    from multiprocessing import Pool

    texts.mkdir(parents=True, exist_ok=True)
    items = []
    for name, text, _facts in gen.generate(count, seed):
        (texts / name).write_text(text, encoding="utf-8")
        items.append((name, text))
    with Pool() as pool, (workdir / (jsonl.name + ".part")).open("w", encoding="utf-8") as out:
        for line in pool.imap(_import_one, items, chunksize=32):
            if line is not None:
                out.write(line + "\n")
    (workdir / (jsonl.name + ".part")).rename(jsonl)
    return jsonl, texts


def build_library(jsonl: Path, db: Path, workers: int = 0, count: int | None = None) -> tuple[float, int, float]:
    """Add the notices of ``jsonl`` (the first ``count``) to a new library in a child process
    (Library.add_many: one transaction per notice, over one connection, as an add of many files;
    ``workers`` processes preparing them; the notices are read from the file as they are added,
    so the peak is the add's, not a list of them all): (notices per second, notices added, peak
    RSS MB of that process, its workers not counted)."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    code = (
        "import itertools, json, sys, time\n"
        "from rectcli.library import Library\n"
        "lib = Library(sys.argv[1])\n"
        "lines = itertools.islice(open(sys.argv[2], encoding='utf-8'), int(sys.argv[4]) or None)\n"
        "t = time.perf_counter()\n"
        "n = sum(r.status == 'added' for r in lib.add_many(((json.loads(l), None) for l in lines), workers=int(sys.argv[3])))\n"
        "print(n, time.perf_counter() - t)\n"
    ) + HWM
    out, _ = _run([sys.executable, "-c", code, str(db), str(jsonl), str(workers), str(count or 0)])
    rss = _last_hwm
    n, seconds = out.split()[-2:]
    return int(n) / float(seconds), int(n), rss


def end_to_end(texts: Path, db: Path, count: int = 300) -> float:
    """Notices per second for import (rectcli.ingest.import_notice) and add together, over the
    first ``count`` text files, in a child process (one add_many, as an import of many files)."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from rectcli.errors import RectcliError\n"
        "from rectcli.ingest import import_notice\n"
        "from rectcli.library import Library\n"
        "files = sorted(Path(sys.argv[2]).iterdir())[:int(sys.argv[3])]\n"
        "def items():\n"
        "    for f in files:\n"
        "        try:\n"
        "            yield import_notice(f.read_bytes(), name=f.name).data, f.name\n"
        "        except RectcliError:\n"
        "            pass\n"
        "t = time.perf_counter(); n = sum(1 for _ in Library(sys.argv[1]).add_many(items()))\n"
        "print(n, time.perf_counter() - t)\n"
    )
    out, _ = _run([sys.executable, "-c", code, str(db), str(texts), str(count)])
    n, seconds = out.split()[-2:]
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    return int(n) / float(seconds)


# ---------------------------------------------------------------- timing


_last_hwm = 0.0


def _run(argv: list[str]) -> tuple[str, float]:
    """Output and peak RSS (MB) of one run that must succeed."""
    global _last_hwm
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL)
        assert proc.stdout is not None
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise SystemExit(f"bench: {' '.join(argv[:3])} … failed: {err.read().decode(errors='replace')[-800:]}")
        err.seek(0)
        report = [ln.split() for ln in err.read().decode(errors="replace").splitlines() if ln.startswith("VmHWM ")]
    _last_hwm = int(report[-1][1]) / 1024 if report else usage.ru_maxrss / 1024
    return out.decode(), _last_hwm


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one run, output to a pipe."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL)
        assert proc.stdout is not None
        proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            err.seek(0)
            raise SystemExit(f"bench: {' '.join(argv[:3])} … exited {code}: {err.read().decode(errors='replace')[-800:]}")
        err.seek(0)
        report = [ln.split() for ln in err.read().decode(errors="replace").splitlines() if ln.startswith("VmHWM ")]
    return elapsed, (int(report[-1][1]) / 1024 if report else usage.ru_maxrss / 1024)


HWM = ("\nimport sys\nfor _l in open('/proc/self/status'):\n"
       "    if _l.startswith('VmHWM:'): print('VmHWM', _l.split()[1], file=sys.stderr)\n")


def op(db: Path, body: str) -> list[str]:
    """A fresh interpreter running ``body`` on the library; it reports its own peak RSS (VmHWM:
    ru_maxrss of a child can carry the forking parent's high-water mark on Linux)."""
    return [sys.executable, "-c", f"from rectcli.library import Library\nlib = Library({str(db)!r})\n{body}{HWM}"]


def paired(argv: list[str], pairs: int, other: list[str] | None = None) -> dict[str, float]:
    """Median ratio of ``argv`` to the floor (or to ``other``) over interleaved pairs."""
    base = other or FLOOR
    ratios, times, bases, rss = [], [], [], 0.0
    timed(argv)  # warm the page cache
    timed(base)
    for i in range(pairs):
        if i % 2:
            b, _ = timed(base)
            t, r = timed(argv)
        else:
            t, r = timed(argv)
            b, _ = timed(base)
        ratios.append(t / b)
        times.append(t)
        bases.append(b)
        rss = max(rss, r)
    return {"ratio": statistics.median(ratios), "ms": statistics.median(times) * 1000,
            "base_ms": statistics.median(bases) * 1000, "rss": rss}


def cli(db: Path, *args: str) -> list[str]:
    """A fresh process running the command line on the library (``python -m rectcli``); it
    reports its own peak RSS when it exits."""
    code = ("import atexit, os, runpy, sys\n"
            "def _hwm():\n" + "".join("    " + ln + "\n" for ln in HWM.strip().splitlines()[1:]) +
            "atexit.register(_hwm)\n"
            f"os.environ['RECTCLI_LIBRARY'] = {str(db)!r}\n"
            f"sys.argv = ['rectcli', *{list(args)!r}]\n"
            f"runpy.run_module('rectcli', run_name='__main__', alter_sys=True)\n")
    return [sys.executable, "-c", code]


SEARCH = "r = lib.search({terms!r}{opts}); print(len(r.hits))"
MISS = ("r = lib.search({terms!r})\n"
        "print(len(r.hits), lib.suggest([t.term for t in r.readings if not t.matched]) if not r.hits else ())")

COMMANDS = {
    "rectcli search 公车 (hit)": ["search", "公车"],
    "rectcli search 公车 --count": ["search", "公车", "--count"],
    "rectcli search 小金库 (rare hit)": ["search", "小金库"],
    "rectcli search 公车管里 (miss + suggest)": ["search", "公车管里"],
    "rectcli search gongche (pinyin)": ["search", "gongche"],
    "rectcli search 公車 (traditional)": ["search", "公車"],
    "rectcli stats --compare": ["stats", "--compare"],
    "rectcli notices": ["notices"],
}
CLI_TARGETED = {"rectcli search 公车 (hit)", "rectcli search 公车管里 (miss + suggest)",
                "rectcli search gongche (pinyin)", "rectcli search 公車 (traditional)"}
OPERATIONS = {
    "api: search 公车 (hit)": SEARCH.format(terms=["公车"], opts=""),
    "api: count 公车": "print(sum(c.passages for c in lib.count(['公车'])))",
    "api: search 小金库 (rare hit)": SEARCH.format(terms=["小金库"], opts=""),
    "api: search 公车管里 (miss + suggest)": MISS.format(terms=["公车管里"]),
    "api: search gongche (pinyin)": SEARCH.format(terms=["gongche"], opts=""),
    "api: search 公車 (traditional)": SEARCH.format(terms=["公車"], opts=""),
    "api: search 公车 整改 (two terms)": SEARCH.format(terms=["公车", "整改"], opts=""),
    "api: search 公车 limit=20": SEARCH.format(terms=["公车"], opts=", limit=20"),
    "api: notices": "print(len(lib.notices()))",
    "api: compare": "t = lib.compare(); print(len(t.rows), t.totals[:3])",
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--pairs", type=int, default=7)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "rectcli-bench-library")
    ap.add_argument("--only", help="run only operations whose name contains this")
    args = ap.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    failed = []
    rg = shutil.which("rg")
    import compileall

    compileall.compile_dir(str(HERE.parent / "src" / "rectcli"), quiet=1)
    workers = max(0, min(3, (os.cpu_count() or 1) - 1))
    for size in sizes:
        jsonl, texts = corpus(size, args.seed, args.workdir)
        db = args.workdir / f"library-{size}.db"
        serial, _, _ = build_library(jsonl, args.workdir / "serial.db", 0, min(size, 1000))
        for suffix in ("", "-wal", "-shm"):
            Path(str(args.workdir / "serial.db") + suffix).unlink(missing_ok=True)
        rate, added, add_rss = build_library(jsonl, db, workers)
        mb = sum(Path(str(db) + s).stat().st_size for s in ("", "-wal") if Path(str(db) + s).exists()) / 2**20
        text_mb = sum(p.stat().st_size for p in texts.iterdir()) / 2**20
        print(f"\n== {size} notices ({added} added): add {rate:.0f} notices/s with {workers} worker process(es) "
              f"preparing (target ≥ {ADD_TARGET}), {serial:.0f}/s all in one process (first 1,000); "
              f"peak {add_rss:.0f} MB; library {mb:.1f} MB for {text_mb:.1f} MB of text")
        if rate < ADD_TARGET:
            failed.append(f"add at {size}: {rate:.0f}/s")
        both = end_to_end(texts, args.workdir / "end-to-end.db")
        print(f"import + add (from the text files, end to end, in one process): {both:.0f} notices/s")
        one = json.loads(jsonl.read_text(encoding="utf-8").splitlines()[0])
        # one more add into a copy, in a fresh process (what `rectcli add` pays at this size)
        copy = args.workdir / f"library-{size}-copy.db"
        shutil.copyfile(db, copy)
        extra = dict(one, metadata=dict(one["metadata"], issuer="(bench) 另一个发布机关"))
        extra["closing"] = list(one.get("closing", [])) + [{"id": f"closing.{len(one.get('closing', [])) + 1}",
                                                             "text": "本通报为基准测试新增的一段文字。"}]
        (args.workdir / "extra.json").write_text(json.dumps(extra, ensure_ascii=False), encoding="utf-8")
        add_one = op(copy, f"import json\nprint(lib.add(json.load(open({str(args.workdir / 'extra.json')!r}, encoding='utf-8')), replace=True).status)")
        print(f"{'operation':42} {'ratio':>7} {'ms':>8} {'floor ms':>9} {'peak MB':>8}")
        rows: dict[str, list[str]] = {name: cli(db, *argv) for name, argv in COMMANDS.items()}
        rows.update({name: op(db, body) for name, body in OPERATIONS.items()})
        rows["api: add one more (fresh process)"] = add_one
        for name, argv_ in rows.items():
            if args.only and args.only not in name:
                continue
            res = paired(argv_, args.pairs)
            mark = ""
            if size <= 1000 and name in CLI_TARGETED and res["ratio"] > SEARCH_TARGET:
                mark = f"  MISSES ≤ {SEARCH_TARGET}×"
                failed.append(f"{name} at {size}")
            if size >= 10000 and name == "rectcli stats --compare" and res["ratio"] > COMPARE_TARGET:
                mark = f"  MISSES ≤ {COMPARE_TARGET}×"
                failed.append(f"{name} at {size}")
            if res["rss"] > MEMORY_TARGET_MB:
                mark += f"  RSS > {MEMORY_TARGET_MB} MB"
                failed.append(f"{name} RSS at {size}")
            print(f"{name:42} {res['ratio']:7.2f} {res['ms']:8.1f} {res['base_ms']:9.1f} {res['rss']:8.1f}{mark}")
        for suffix in ("", "-wal", "-shm"):
            Path(str(copy) + suffix).unlink(missing_ok=True)
        if size == max(sizes):
            grep = [rg, "--no-messages"] if rg else ["grep", "-r"]
            label = "rg" if rg else "grep -r (rg is not installed)"
            # each search beside a grep for the same characters (pinyin and traditional: the
            # characters they stand for; the miss: the term as typed); every hit beside every
            # line, a count beside -c
            against = [
                ("rectcli search 公车 (hit)", "公车", []), ("rectcli search 公车 --count", "公车", ["-c"]),
                ("rectcli search 小金库 (rare hit)", "小金库", []),
                ("rectcli search 公车管里 (miss + suggest)", "公车管里", []),
                ("rectcli search gongche (pinyin)", "公车", []), ("rectcli search 公車 (traditional)", "公车", []),
                ("api: search 公车 (hit)", "公车", []), ("api: count 公车", "公车", ["-c"]),
            ]
            print(f"the same searches / {label} over the same texts as files (-c beside a count):")
            for name, term, flags in against:
                if args.only and args.only not in name:
                    continue
                res = paired(rows[name], args.pairs, other=grep + flags + [term, str(texts)])
                mark = "" if res["ratio"] < 1 else "  MISSES < 1"
                print(f"  {name:40} {res['ratio']:5.2f} ({res['ms']:.0f} vs {res['base_ms']:.0f} ms){mark}")
                if res["ratio"] >= 1:
                    failed.append(f"{name} vs {label} at {size}")
    if failed:
        print("\nmissed: " + "; ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
