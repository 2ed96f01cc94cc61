"""Time the notice library (rectcli.library) as the CLI will pay for it, against the framework floor.

    python benchmarks/bench_library.py [--sizes 1000,10000] [--pairs 7] [--workdir DIR]

The corpus is benchmarks/corpus.py's (``generate(count, seed)``), imported once into format-2
data with rectcli's importer and cached as JSON lines in the work directory (with each notice's
text as a file, for grep/rg). For each size it builds a library with ``Library.add`` (reporting
notices per second and the file size), then runs every operation in a FRESH interpreter
(``python -c 'from rectcli.library import Library; …'``, which is what a CLI command pays),
each right beside one run of the framework floor (benchmarks/floor.py), and reports the median
over pairs of the ratio, plus the peak resident size. At the largest size it also pairs the
library search with ``rg -c`` over the texts as files (``grep -r -c`` when rg is not installed).
Ratios of runs made moments apart are what to compare; absolute times drift on a shared machine.
Exit status 1 if a target is missed.
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


def _flatten(data: object) -> object:
    """TEMPORARY: the importer still writes nested dates ({text, date, precision}), title
    {text, from} and node paragraphs as {text, errata}; format 2 as data/notice.yaml has it stores
    dates flat (X, X_text, X_precision, X_year_inferred) and node paragraphs as strings."""
    if isinstance(data, list):
        return [_flatten(v) for v in data]
    if not isinstance(data, dict):
        return data
    out: dict[str, object] = {}
    for key, value in data.items():
        if isinstance(value, dict) and "date" in value and "text" in value and key != "signature":
            out[key] = value.get("date")
            out[f"{key}_text"] = value.get("text")
            if value.get("precision", "day") != "day":
                out[f"{key}_precision"] = value["precision"]
            if value.get("year_inferred"):
                out[f"{key}_year_inferred"] = True
            if value.get("time") and key == "published":
                out["published_time"] = value["time"]
        elif key == "paragraphs" and isinstance(value, list):
            out[key] = [p.get("text", "") if isinstance(p, dict) else p for p in value]
        elif key == "title" and isinstance(value, dict) and "from" in value:
            out["title"] = value.get("text")
            out["title_from"] = value.get("from") or "none"
        else:
            out[key] = _flatten(value)
    return out


def _import_one(item: tuple[str, str]) -> str | None:
    from rectcli.errors import RectcliError
    from rectcli.ingest import import_notice

    name, text = item
    try:
        data = import_notice(text.encode("utf-8"), name=name).data
    except RectcliError:
        return None
    return json.dumps(_flatten(data), ensure_ascii=False)


def corpus(count: int, seed: int, workdir: Path) -> tuple[Path, Path]:
    """(JSON lines of format-2 notices, folder of their texts), made once and cached."""
    jsonl = workdir / f"corpus-{count}-{seed}-v2.jsonl"
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


def build_library(jsonl: Path, db: Path) -> tuple[float, int, float]:
    """Add every notice of ``jsonl`` to a new library in a child process (Library.add_many: one
    transaction per notice, over one connection, as an import of many files would):
    (notices per second, notices added, peak RSS MB of that process)."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    code = (
        "import json, sys, time\n"
        "from rectcli.library import Library\n"
        "lib = Library(sys.argv[1]); rows = [json.loads(l) for l in open(sys.argv[2], encoding='utf-8')]\n"
        "t = time.perf_counter(); n = sum(r.status == 'added' for r in lib.add_many((d, None) for d in rows))\n"
        "print(n, time.perf_counter() - t)\n"
    ) + HWM
    out, _ = _run([sys.executable, "-c", code, str(db), str(jsonl)])
    rss = _last_hwm
    n, seconds = out.split()[-2:]
    return int(n) / float(seconds), int(n), rss


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


SEARCH = "r = lib.search({terms!r}{opts}); print(len(r.hits))"
MISS = ("r = lib.search({terms!r})\n"
        "print(len(r.hits), lib.suggest([t.term for t in r.readings if not t.matched]) if not r.hits else ())")

OPERATIONS = {
    "search 公车 (hit)": SEARCH.format(terms=["公车"], opts=""),
    "search 小金库 (rare hit)": SEARCH.format(terms=["小金库"], opts=""),
    "search 公车管里 (miss + suggest)": MISS.format(terms=["公车管里"]),
    "search gongche (pinyin)": SEARCH.format(terms=["gongche"], opts=""),
    "search 公車 (traditional)": SEARCH.format(terms=["公車"], opts=""),
    "search 公车 整改 (two terms)": SEARCH.format(terms=["公车", "整改"], opts=""),
    "search 公车 --limit 20": SEARCH.format(terms=["公车"], opts=", limit=20"),
    "list notices": "print(len(lib.notices()))",
    "compare": "t = lib.compare(); print(len(t.rows), t.totals[:3])",
}
TARGETED = {"search 公车 (hit)", "search 公车管里 (miss + suggest)", "search gongche (pinyin)",
            "search 公車 (traditional)"}


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
    for size in sizes:
        jsonl, texts = corpus(size, args.seed, args.workdir)
        db = args.workdir / f"library-{size}.db"
        rate, added, add_rss = build_library(jsonl, db)
        mb = sum(Path(str(db) + s).stat().st_size for s in ("", "-wal") if Path(str(db) + s).exists()) / 2**20
        text_mb = sum(p.stat().st_size for p in texts.iterdir()) / 2**20
        print(f"\n== {size} notices ({added} added): add {rate:.0f} notices/s (target ≥ {ADD_TARGET}), "
              f"peak {add_rss:.0f} MB while adding them all; library {mb:.1f} MB for {text_mb:.1f} MB of text")
        if rate < ADD_TARGET:
            failed.append(f"add at {size}: {rate:.0f}/s")
        one = json.loads(jsonl.read_text(encoding="utf-8").splitlines()[0])
        # one more add into a copy, in a fresh process (what `rectcli add` pays at this size)
        copy = args.workdir / f"library-{size}-copy.db"
        shutil.copyfile(db, copy)
        extra = dict(one, metadata=dict(one["metadata"], issuer="(bench) 另一个发布机关"))
        extra["closing"] = list(one.get("closing", [])) + [{"id": f"closing.{len(one.get('closing', [])) + 1}",
                                                             "text": "本通报为基准测试新增的一段文字。"}]
        (args.workdir / "extra.json").write_text(json.dumps(extra, ensure_ascii=False), encoding="utf-8")
        add_one = op(copy, f"import json\nprint(lib.add(json.load(open({str(args.workdir / 'extra.json')!r}, encoding='utf-8')), replace=True).status)")
        print(f"{'operation':34} {'ratio':>7} {'ms':>8} {'floor ms':>9} {'peak MB':>8}")
        rows = dict(OPERATIONS)
        rows["add one more (fresh process)"] = None  # type: ignore[assignment]
        for name, body in rows.items():
            if args.only and args.only not in name:
                continue
            argv_ = add_one if body is None else op(db, body)
            res = paired(argv_, args.pairs)
            mark = ""
            if size <= 1000 and name in TARGETED and res["ratio"] > SEARCH_TARGET:
                mark = f"  MISSES ≤ {SEARCH_TARGET}×"
                failed.append(f"{name} at {size}")
            if size >= 10000 and name == "compare" and res["ratio"] > COMPARE_TARGET:
                mark = f"  MISSES ≤ {COMPARE_TARGET}×"
                failed.append(f"{name} at {size}")
            if res["rss"] > MEMORY_TARGET_MB:
                mark += f"  RSS > {MEMORY_TARGET_MB} MB"
                failed.append(f"{name} RSS at {size}")
            print(f"{name:34} {res['ratio']:7.2f} {res['ms']:8.1f} {res['base_ms']:9.1f} {res['rss']:8.1f}{mark}")
        for suffix in ("", "-wal", "-shm"):
            Path(str(copy) + suffix).unlink(missing_ok=True)
        if size == max(sizes):
            tool = [rg, "-c", "--no-messages", "公车", str(texts)] if rg else ["grep", "-r", "-c", "公车", str(texts)]
            label = "rg -c" if rg else "grep -r -c (rg is not installed)"
            res = paired(op(db, OPERATIONS["search 公车 (hit)"]), args.pairs, other=tool)
            res_rare = paired(op(db, OPERATIONS["search 小金库 (rare hit)"]), args.pairs,
                              other=tool[:-2] + ["小金库", str(texts)])
            print(f"library search / {label} over the same texts as files: 公车 {res['ratio']:.2f} "
                  f"({res['ms']:.0f} vs {res['base_ms']:.0f} ms), 小金库 {res_rare['ratio']:.2f} "
                  f"({res_rare['ms']:.0f} vs {res_rare['base_ms']:.0f} ms)")
            if res["ratio"] >= 1 or res_rare["ratio"] >= 1:
                failed.append(f"search vs {label} at {size}")
    if failed:
        print("\nmissed: " + "; ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
