"""`rectcli search TERM...`: which passages say what."""

from enum import Enum
from typing import Annotated, Optional

import typer

from rectcli.cli.app import (
    Filters, IssuerOpt, JsonOpt, KindOpt, NoticeOpt, RoundOpt, YearOpt, app, command, library, notice, start,
)
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
    notice_id: NoticeOpt = None,
    issuer: IssuerOpt = None,
    kind: KindOpt = None,
    year: YearOpt = None,
    round_: RoundOpt = None,
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

    With a library (`rectcli add`), every notice is searched (or those --notice, --issuer,
    --kind, --year, --round select); each hit names its notice (id, issuer, date), and
    suggestions come from the whole library.

    Example: rectcli search 公车 --kind 巡视 --year 2022
    """
    out = start("search", as_json)
    filters = Filters(notice_id, issuer, kind, year, round_)
    lib = library()
    if lib is not None:
        _search_library(out, lib, filters, terms, match_all=not any_, regex=regex, section=section,
                        pinyin=pinyin, sort=sort.value, full=full, count=count)
        return
    doc = notice()
    if not filters.admits(doc):  # a library of one notice, which the filters leave out
        from rectcli.search import search_passages

        out.note(filters.left_out(doc))
        render_search(out, search_passages([], terms, match_all=not any_, regex=regex, pinyin=pinyin,
                                           sort=sort.value), doc, full=full, count=count)
        raise typer.Exit(ExitCode.NO_MATCH)
    result = search(doc, terms, match_all=not any_, regex=regex, section=section, pinyin=pinyin,
                    sort=sort.value)
    suggestions = suggest(doc, result, section) if not result.hits else ()
    if out.mode is not Mode.JSON or not result.hits:  # notes first: a reader sees them above the hits
        for line in search_notes(result, suggestions):
            out.note(line)
    render_search(out, result, doc, full=full, count=count, suggestions=suggestions)
    if not result.hits:
        raise typer.Exit(ExitCode.NO_MATCH)


def _search_library(out: object, lib: object, filters: Filters, terms: list[str], *, match_all: bool, regex: bool,
                    section: Optional[str], pinyin: Optional[bool], sort: str, full: bool, count: bool) -> None:
    """Library mode: the same matching in every selected notice; --section needs one notice."""
    from rectcli.output.render import library_search_notes, render_library_search
    from rectcli.search import check_terms

    check_terms(terms)
    if section is not None:
        result = _one_notice_section(lib, filters, terms, match_all=match_all, regex=regex, section=section,
                                     pinyin=pinyin, sort=sort)
    else:
        result = lib.search(terms, match_all=match_all, regex=regex, pinyin=pinyin, sort=sort,
                            count_only=count, **filters.kwargs())
    suggestions = lib.suggest([r.term for r in result.readings if not r.matched and r.how != "regex"],
                              **filters.kwargs()) if not result.counts else ()
    if out.mode is not Mode.JSON or not result.counts:
        for line in library_search_notes(result, suggestions, selected=bool(filters.given())):
            out.note(line)
    render_library_search(out, result, suggestions, full=full, count=count)
    if not result.counts:
        raise typer.Exit(ExitCode.NO_MATCH)


def _one_notice_section(lib: object, filters: Filters, terms: list[str], *, section: str, **options: object) -> object:
    """--section in library mode: the one notice --notice names, searched as a single notice."""
    from rectcli.cli.app import one_notice
    from rectcli.library import LibraryHit, LibrarySearchResult, NoticeCount, NoticeRef
    from rectcli.output.data import where

    row, doc = one_notice(lib, filters, "--section")
    ref = NoticeRef(row.id, row.issuer, row.date, row.title)
    single = search(doc, terms, section=section, **options)
    hits = tuple(LibraryHit(ref, h.passage, h.spans, h.title_hits, h.body_hits, h.score, where(doc, h.passage))
                 for h in single.hits)
    return LibrarySearchResult(single.terms, single.match_all, single.regex, hits, single.readings, single.sort,
                               1 if hits else 0, (NoticeCount(ref, len(hits)),) if hits else ())
