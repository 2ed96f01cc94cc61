"""Write src/rectcli/vocab/opencc_changes.txt: what rectcli needs to know of OpenCC's traditional →
simplified conversions (rectcli.convert.CONFIGS) to answer most queries without loading it, from
the installed OpenCC's own dictionaries. Four sections:

``[changing]`` every character a conversion may change. A text with none of them is left as it is
by every one of those conversions: a dictionary entry changes a text only where its key stands in
the text, and every key whose value differs holds at least one character that is itself such a
key (checked here; the script refuses to write the table otherwise).

``[t2s]`` each changing character and what t2s makes of it on its own; ``[pairs]`` the first two
characters of every key longer than one character, in any dictionary; ``[alone]`` the characters
a Taiwan, Hong Kong or normalisation table converts on their own. A text holding no pair and no
such character is converted character by character — no longer key can match anywhere in it, and
the Taiwan and Hong Kong steps leave it as it is, so tw2s and hk2s give what t2s gives — and
rectcli converts it with the [t2s] lines.

The file records the dictionaries' names and sizes; rectcli uses it only while the installed
OpenCC's dictionaries are exactly those.

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


def _block(chars: "list[str] | str", per_line: int = PER_LINE, sep: str = "") -> list[str]:
    return [sep.join(chars[i:i + per_line]) for i in range(0, len(chars), per_line)]


def table_text(configs: tuple[str, ...]) -> str:
    """The table's text for the installed OpenCC (refused if a changing key lacks a changing character)."""
    import opencc

    names = dictionaries(configs)
    read = {name: entries(name) for name in names}
    changed = [key for name in names for key, values in read[name] if any(v != key for v in values)]
    chars = {key for key in changed if len(key) == 1}
    loose = [key for key in changed if len(key) > 1 and not chars.intersection(key)]
    if loose:
        raise SystemExit(f"keys that change without a changing character of their own: {loose[:10]}")
    t2s = opencc.OpenCC("t2s")
    alone_conversions = [(ch, t2s.convert(ch)) for ch in sorted(chars)]
    pairs = sorted({key[:2] for name in names for key, _ in read[name] if len(key) > 1})
    # the dictionaries t2s does not read: the Taiwan and Hong Kong steps and the normalisation
    steps = set(dictionaries(configs)) - set(dictionaries(("t2s",))) | {"CJK_Compatibility_Ideographs.ocd2"}
    alone = sorted({key for name in steps for key, _ in read[name] if len(key) == 1})
    fingerprint = ", ".join(f"{name} {(share_dir() / name).stat().st_size}" for name in names)
    return (f"# What OpenCC's {', '.join(configs)} do, for rectcli/convert.py (written by\n"
            f"# scripts/opencc_changes.py from OpenCC {opencc.__version__}; the sections are described there).\n"
            "# Used only while OpenCC's dictionaries are these:\n"
            f"# dictionaries: {fingerprint}\n"
            "[changing]\n" + "\n".join(_block("".join(sorted(chars)))) + "\n"
            "[t2s]\n" + "".join(f"{ch}{out}\n" for ch, out in alone_conversions if out != ch) +
            "[pairs]\n" + "\n".join(_block(pairs, 32, " ")) + "\n"
            "[alone]\n" + "\n".join(_block("".join(alone))) + "\n")


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
