"""Rich renderable that wraps a :class:`rich.text.Text` by the Chinese line-breaking rules.

``WrapText(text)`` draws like the Text itself (styles, spans, justify, ``end``) but breaks lines
with :func:`rectcli.output.linebreak.break_lines`: numbers and ids stay whole, 。 and 》 never start a
line, 《 never ends one. It works printed on its own, as a Table cell and as a Tree label.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from rich.cells import cell_len, get_character_cell_size
from rich.containers import Lines
from rich.measure import Measurement
from rich.text import Text

from rectcli.output.linebreak import break_lines, measure

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult

__all__ = ["WrapText", "wrap_text", "wrap_lines"]

HIGHLIGHT = "bold black on yellow"


def _width(ch: str) -> int:
    return get_character_cell_size(ch)  # Rich's own column count, so Rich never re-folds a line


def wrap_lines(text: Text, width: int, tab_size: int = 8) -> Lines:
    """``text`` cut into lines of at most ``width`` cells, each a Text keeping its styles."""
    if "\t" in text.plain:
        text = text.copy()
        text.expand_tabs(tab_size)
    plain = text.plain
    spans = break_lines(plain, width, char_width=_width)
    cuts = sorted({o for span in spans for o in span} - {0, len(plain)})
    pieces = text.divide(cuts)
    starts = [0, *cuts]
    piece_at = dict(zip(starts, pieces))
    lines = Lines()
    for start, end in spans:
        if start == end:
            lines.append(Text("", style=text.style, justify=text.justify, overflow=text.overflow))
            continue
        lines.append(piece_at[start])  # lines never overlap, so the piece ends at ``end``
    return lines


class WrapText:
    """A Text that wraps by :mod:`rectcli.output.linebreak` instead of at spaces and the margin."""

    def __init__(self, text: Text | str) -> None:
        self.text = text if isinstance(text, Text) else Text(text)

    def __str__(self) -> str:
        return self.text.plain

    def __repr__(self) -> str:
        return f"WrapText({self.text!r})"

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        text = self.text
        if text.no_wrap or options.no_wrap:
            yield from text.__rich_console__(console, options)
            return
        width = max(1, options.max_width)
        justify = text.justify or options.justify or "default"
        overflow = text.overflow or options.overflow or "fold"
        tab_size = console.tab_size if text.tab_size is None else text.tab_size
        lines = wrap_lines(text, width, tab_size or 8)
        if any(cell_len(line.plain) > width for line in lines):  # only a character wider than width
            refolded = Lines()
            for line in lines:
                if cell_len(line.plain) > width:
                    refolded.extend(line.wrap(console, width, overflow="fold"))
                else:
                    refolded.append(line)
            lines = refolded
        if justify:
            lines.justify(console, width, justify=justify, overflow=overflow)
        joined = Text("\n").join(lines)
        yield from joined.render(console, end=text.end)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        plain = self.text.plain
        if "\t" in plain:
            plain = plain.expandtabs(console.tab_size)
        minimum, maximum = measure(plain, char_width=_width)
        return Measurement(minimum, maximum).clamp(max_width=options.max_width)


def wrap_text(text: str, spans: Sequence[tuple[int, int]] = (), style: str = "",
              highlight_style: str = HIGHLIGHT, **kwargs: object) -> WrapText:
    """Shorthand: a styled Text with ``spans`` highlighted, wrapped by the Chinese rules."""
    out = Text(text, style=style, overflow="fold", **kwargs)  # type: ignore[arg-type]
    for start, end in spans:
        out.stylize(highlight_style, start, end)
    return WrapText(out)

