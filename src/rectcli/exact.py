"""Exact decimal arithmetic for the figures of notices: money and counts are never rounded.

Python's default decimal context keeps 28 significant digits: beyond them a sum or a product is
rounded without a word, and ``quantize`` fails outright. A notice may state any number of digits
(清退款项123456789012345678901234567890元), so every sum, conversion to 元 and rewriting of a
figure is done in :func:`exact`, a context wide enough for any of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, localcontext
from typing import Any

_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def exact() -> Any:
    """A context (``with exact(): …``) in which +, −, × and ``quantize`` of decimals are exact."""
    return localcontext(_EXACT)


def decimal_sum(values: Iterable[Decimal]) -> Decimal:
    """The exact sum of decimals."""
    with exact():
        return sum(values, Decimal(0))


def plain(d: Decimal) -> str:
    """A decimal written out without exponent or trailing zeros (1207470, 0.25, 3)."""
    out = format(d, "f")
    return out.rstrip("0").rstrip(".") if "." in out else out
