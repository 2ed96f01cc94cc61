"""Write src/rectcli/vocab/opencc_changes.txt: every character that OpenCC's traditional →
simplified conversions (rectcli.convert.CONFIGS) may change, from the installed OpenCC's own
dictionaries.

A text with none of these characters is left as it is by every one of those conversions: a
dictionary entry changes a text only where its key stands in the text, and every key whose
value differs holds at least one character that is itself such a key (checked here; the script
refuses to write the table otherwise). rectcli.convert then answers "no other forms" for such
a text without loading OpenCC. The file records the dictionaries' names and sizes; rectcli
uses the table only while the installed OpenCC's dictionaries are exactly those.

    python scripts/opencc_changes.py            # rewrite the table
    python scripts/opencc_changes.py --check    # exit 1 if it differs from the installed OpenCC's
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "src" / "rectcli" / "vocab" / "opencc_changes.txt"
PER_LINE = 64


def share_dir() -> Path:
    import opencc

    return Path(opencc.__file__).resolve().parent / "clib" / "share" / "opencc"


def dictionaries(configs: tuple[str, ...]) -> list[str]:
    """The dictionary files the configurations read, sorted."""
    names: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "ocd2" and "file" in node:
                names.add(str(node["file"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for config in configs:
        walk(json.loads((share_dir() / f"{config}.json").read_text(encoding="utf-8")))
    return sorted(names)


def entries(name: str) -> list[tuple[str, list[str]]]:
    """A dictionary's entries (key, values), dumped by OpenCC's own opencc_dict tool."""
    tool = share_dir().parents[1] / "bin" / "opencc_dict"
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "dict.txt"
        subprocess.run([str(tool), "-i", str(share_dir() / name), "-o", str(out), "-f", "ocd2", "-t", "text"],
                       check=True, capture_output=True)
        rows = []
        for line in out.read_text(encoding="utf-8").splitlines():
            key, _, values = line.partition("\t")
            rows.append((key, values.split(" ")))
        return rows


def table_text(configs: tuple[str, ...]) -> str:
    """The table's text for the installed OpenCC (refused if a changing key lacks a changing character)."""
    import opencc

    names = dictionaries(configs)
    changed = [key for name in names for key, values in entries(name) if any(v != key for v in values)]
    chars = {key for key in changed if len(key) == 1}
    loose = [key for key in changed if len(key) > 1 and not chars.intersection(key)]
    if loose:
        raise SystemExit(f"keys that change without a changing character of their own: {loose[:10]}")
    fingerprint = ", ".join(f"{name} {(share_dir() / name).stat().st_size}" for name in names)
    ordered = "".join(sorted(chars))
    lines = [ordered[i:i + PER_LINE] for i in range(0, len(ordered), PER_LINE)]
    return (f"# The characters OpenCC's {', '.join(configs)} may change (written by scripts/opencc_changes.py\n"
            f"# from OpenCC {opencc.__version__}; read by rectcli/convert.py). A text without any of them\n"
            "# has no other simplified form. Used only while OpenCC's dictionaries are these:\n"
            f"# dictionaries: {fingerprint}\n" + "\n".join(lines) + "\n")


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from rectcli.convert import CONFIGS

    text = table_text(CONFIGS)
    if "--check" in argv:
        same = TABLE.exists() and TABLE.read_text(encoding="utf-8") == text
        print("the table matches the installed OpenCC" if same else f"{TABLE} differs: run {__file__}")
        return 0 if same else 1
    TABLE.write_text(text, encoding="utf-8")
    print(f"wrote {TABLE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
