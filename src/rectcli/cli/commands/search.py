"""`rectcli search TERM...`: which passages say what."""

from enum import Enum
from typing import Annotated, Optional

import typer

from rectcli.cli.app import JsonOpt, app, command, notice, start
from rectcli.errors import ExitCode
from rectcli.output.render import Mode, render_search, search_notes
from rectcli.search import search, suggest


class Sort(str, Enum):
    notice = "notice"
    relevance = "relevance"


@app.command("search")
@command
def search_cmd(
    terms: Annotated[list[str], typer.Argument(metavar="TERM...", help="Words to find; all must match one passage.")],
    any_: Annotated[bool, typer.Option("--any", help="A passage matches if any term does.")] = False,
    regex: Annotated[bool, typer.Option("--regex", "-e", help="Terms are regular expressions.")] = False,
    section: Annotated[Optional[str], typer.Option("--section", "-s", metavar="ID",
                                                   help="Search only this section (6 or 六).")] = None,
    pinyin: Annotated[Optional[bool], typer.Option(
        "--pinyin/--no-pinyin", show_default=False,
        help="Read Latin-letter terms as pinyin (gongche → 公车) always / never. "
             "Default: only when not found as written.")] = None,
    sort: Annotated[Sort, typer.Option(
        "--sort", case_sensitive=False,
        help="notice: in reading order; relevance: passages about the terms first (hits in a "
             "measure's title count most, then how often and how densely a passage has them).")] = Sort.notice,
    full: Annotated[bool, typer.Option("--full", help="Print whole passages, not snippets.")] = False,
    count: Annotated[bool, typer.Option("--count", "-c", help="Print only the number of matching passages.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Search the notice passage by passage; exit 1 when nothing matches.

    A passage is a measure (title and text), a section heading or a paragraph of the
    opening or closing part. Case and full-width/half-width forms never matter. A term
    not found as written is tried in simplified characters (公車 → 公车), then, if it is
    in Latin letters, as toneless pinyin in whole syllables (gongche → 公车); a note on
    stderr says so. When nothing matches, up to five of the closest phrases in the
    notice are suggested on stderr. --sort relevance puts the passages about the terms
    first. At most 32 terms and 1000 characters in all.

    Example: rectcli search 公车

    Example: rectcli search 公車

    Example: rectcli search "zhufang gongjijin"
    """
    out = start("search", as_json)
    doc = notice()
    result = search(doc, terms, match_all=not any_, regex=regex, section=section, pinyin=pinyin,
                    sort=sort.value)
    suggestions = suggest(doc, result, section) if not result.hits else ()
    if out.mode is not Mode.JSON or not result.hits:  # notes first: a reader sees them above the hits
        for line in search_notes(result, suggestions):
            out.note(line)
    render_search(out, result, doc, full=full, count=count, suggestions=suggestions)
    if not result.hits:
        raise typer.Exit(ExitCode.NO_MATCH)
