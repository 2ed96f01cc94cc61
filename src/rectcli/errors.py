"""The error tree and exit codes: what can go wrong, and what a shell sees."""

from __future__ import annotations


class ExitCode:
    """Exit statuses, as grep and ripgrep use them (plain ints: an IntEnum costs ~0.5 ms per run)."""

    OK = 0
    NO_MATCH = 1
    ERROR = 2
    INTERRUPTED = 130


class RectcliError(Exception):
    """An expected failure: the CLI prints its message on one line and exits 2."""

    exit_code: int = ExitCode.ERROR


class DataError(RectcliError):
    """A notice file that cannot be read, parsed or trusted.

    ``problems`` lists every problem found (``file:line: path: message``);
    the message itself names the first one and how many more there are.
    """

    def __init__(self, problems: list[str] | str, *, hint: str = "") -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        first = self.problems[0] if self.problems else "invalid notice file"
        more = len(self.problems) - 1
        msg = first
        if more:
            msg += f" (and {more} more problem{'s' if more > 1 else ''}"
            msg += f"; {hint})" if hint else ")"
        elif hint:
            msg += f" ({hint})"
        super().__init__(msg)


class NotFoundError(RectcliError):
    """An id, section or other name that the notice does not have."""


class QueryError(RectcliError):
    """A query that cannot be run: empty, an invalid regex, too expensive."""


class ImportFormatError(RectcliError):
    """An option value or output target that cannot be used."""


class OutputError(RectcliError):
    """Standard output cannot be written (a full disk, a closed or failing device)."""
