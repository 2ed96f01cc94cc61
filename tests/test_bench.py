"""The benchmark runs as the README says and prints its table (its timings are not tested)."""

import os
import subprocess
import sys

from tests.paths import ROOT


def test_benchmark_prints_ratios_against_both_floors():
    # PATH without the interpreter's bin directory: the benchmark must find rectcli through the
    # interpreter running it, as the tests do, not through an activated virtualenv
    env = {**os.environ, "PATH": "/usr/bin:/bin"}
    env.pop("VIRTUAL_ENV", None)
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--pairs", "10", "--only", "sections"],
                       capture_output=True, text=True, timeout=300, env=env)
    assert r.returncode in (0, 1), r.stderr  # 1 means a target was missed on this machine: still a report
    lines = r.stdout.splitlines()
    assert lines, r.stderr
    assert "10 rounds" in lines[0]
    row = next(line for line in lines if line.startswith("sections"))
    median_ms, r_framework, r_language, peak_mb = map(float, row.split()[1:5])
    assert median_ms > 0 and r_framework > 0 and r_language > 0 and 0 < peak_mb < 1000
    assert any(line.startswith("framework floor") for line in lines)
    assert any(line.startswith("language floor") for line in lines)


def test_library_benchmark_times_the_command_line_and_the_api(tmp_path):
    # a corpus of 30 notices: the benchmark builds the library both ways, times `rectcli notices`
    # and the API's listing beside the floor, and says what it missed (timings are not tested)
    env = {**os.environ, "PATH": "/usr/bin:/bin"}
    env.pop("VIRTUAL_ENV", None)
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_library.py"), "--sizes", "30", "--pairs", "1",
                        "--only", "notices", "--workdir", str(tmp_path)],
                       capture_output=True, text=True, timeout=600, env=env)
    assert r.returncode in (0, 1), r.stderr
    lines = r.stdout.splitlines()
    assert any(line.startswith("== 30 notices (30 added): add ") for line in lines), r.stdout
    for name in ("rectcli notices", "api: notices"):
        row = next(line for line in lines if line.startswith(name + " "))
        ratio, ms, floor_ms, peak_mb = map(float, row[len(name):].split()[:4])
        assert ratio > 0 and ms > 0 and floor_ms > 0 and 0 < peak_mb < 1000
