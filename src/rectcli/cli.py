"""The command line: parse arguments, call the core, render, and map every failure to an exit code.

Commands live in :mod:`rectcli.commands`, one module each; this module owns the Typer app,
the global options, the output-mode choice and the single place where errors are printed.
"""

import functools
import os
import sys
from enum import Enum
from typing import Annotated, Any, Callable, Optional, TypeVar

import typer

# typer 0.28 vendors Click as typer._click; the pin in pyproject.toml keeps this import stable.
from typer._click.exceptions import ClickException, NoArgsIsHelpError
from typer.core import TyperGroup

from rectcli import __version__
from rectcli.errors import ExitCode, RectcliError
from rectcli.render import Mode, Out, choose_mode, envelope

F = TypeVar("F", bound=Callable[..., Any])


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class _State:
    """What the callback learned, for the commands and for error reporting."""

    def __init__(self) -> None:
        self.data: str | None = None
        self.color = Color.auto
        self.traceback = False
        self.json = False
        self.command = ""


state = _State()


class _PipeClosed(Exception):
    """The reader of stdout went away (``| head``): stop quietly."""


def _one_line(message: str) -> str:
    return " ".join(str(message).split())


def _error(message: str) -> None:
    sys.stderr.write(f"rectcli: error: {_one_line(message)}\n")


# The commands, in the order help lists them; each lives in rectcli.commands.<name>.
COMMANDS = ("sections", "show", "search", "stats", "export", "docs", "figures", "validate")


class RectcliGroup(TyperGroup):
    """Runs the app and is the one place that turns failures into stderr lines and exit codes.

    Commands are loaded lazily: a run imports and builds only the command it runs (Typer
    spends ~1 ms per command turning its signature into a Click command), and help loads
    them all.
    """

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, name: str) -> Any:
        # an unknown name loads them all, so Typer's "Did you mean …?" sees every command
        for wanted in [name] if name in COMMANDS else COMMANDS:
            if wanted not in self.commands:
                self._load(wanted)
        return super().get_command(ctx, name)

    def _load(self, name: str) -> None:
        import importlib

        from typer.main import get_command_from_info

        importlib.import_module(f"rectcli.commands.{name}")
        info = next(c for c in app.registered_commands if c.name == name)
        self.add_command(get_command_from_info(info, pretty_exceptions_short=app.pretty_exceptions_short,
                                               rich_markup_mode=app.rich_markup_mode), name)

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        global state
        state = _State()
        try:
            rv = super().main(args=args, prog_name=prog_name or "rectcli", complete_var=complete_var,
                              standalone_mode=False, **extra)
            code = rv if isinstance(rv, int) else ExitCode.OK
            sys.stdout.flush()
        except NoArgsIsHelpError as e:
            sys.stdout.write(e.format_message() + "\n")
            code = ExitCode.OK
        except ClickException as e:
            where = e.ctx.command_path if getattr(e, "ctx", None) else "rectcli"
            _error(f"{e.format_message()} (see `{where} --help`)")
            code = ExitCode.ERROR
        except RectcliError as e:
            if state.json:
                _safe_stdout(envelope(state.command, error=_one_line(str(e))) + "\n")
            _error(str(e))
            code = e.exit_code
        except (_PipeClosed, BrokenPipeError):
            _silence_stdout()
            code = ExitCode.OK
        except (typer.Abort, KeyboardInterrupt):
            sys.stderr.write("rectcli: interrupted\n")
            code = ExitCode.INTERRUPTED
        except Exception as e:  # an unexpected failure: one line, or the trace on request
            if state.traceback:
                raise
            _error(f"internal error: {type(e).__name__}: {e} (rerun with --traceback and report it)")
            code = ExitCode.ERROR
        if standalone_mode:
            sys.exit(int(code))
        return int(code)


def _safe_stdout(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except (BrokenPipeError, ValueError, OSError):
        pass


def _silence_stdout() -> None:
    """After a broken pipe, point fd 1 at /dev/null so the interpreter's last flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def command(fn: F) -> F:
    """Wrap a command so a closed pipe anywhere in its output ends the run quietly."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except BrokenPipeError:
            raise _PipeClosed() from None

    return wrapper  # type: ignore[return-value]


app = typer.Typer(
    cls=RectcliGroup,
    name="rectcli",
    help="Read an inspection-rectification notice (巡视整改进展情况的通报) closely and fast.\n\n"
         "Example: rectcli search 公车",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (shape in the README).")]


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"rectcli {__version__}\n")
        raise typer.Exit()


@app.callback()
def _callback(
    data: Annotated[Optional[str], typer.Option(
        "--data", metavar="PATH", envvar="RECTCLI_DATA",
        help="Notice file to read instead of the bundled one [env: RECTCLI_DATA].",
        show_envvar=False)] = None,
    color: Annotated[Color, typer.Option(
        "--color", help="Rich output: auto (on a terminal), always, never. NO_COLOR is honoured.",
        case_sensitive=False)] = Color.auto,
    traceback: Annotated[bool, typer.Option("--traceback", help="Show the full trace of an unexpected error.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Read an inspection-rectification notice (巡视整改进展情况的通报) closely and fast.

    Example: rectcli search 公车
    """
    state.data = data
    state.color = color
    state.traceback = traceback


def start(name: str, as_json: bool = False) -> Out:
    """Called first by every command: note the command and pick the output mode."""
    state.command = name
    state.json = as_json
    return Out(choose_mode(as_json, state.color.value), name)


def notice() -> Any:
    from rectcli.loader import load_notice

    return load_notice(state.data)


def data_path() -> Any:
    """The notice file this run reads (--data, $RECTCLI_DATA, or the bundled one)."""
    from rectcli.loader import resolve_path

    return resolve_path(state.data)


def main() -> None:
    """Console-script entry point."""
    if sys.stdout is None:
        sys.stderr.write("rectcli: error: standard output is closed\n")
        sys.exit(ExitCode.ERROR)
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
        if encoding not in ("utf8", "utf8sig") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    try:
        app()
        code: Any = ExitCode.OK
    except SystemExit as e:
        code = e.code
    _leave(code)


def _leave(code: Any) -> None:
    """Exit without the interpreter's teardown, which frees every module and object one by one
    (~15 ms of a ~90 ms run, measured) for a process that is about to end anyway.

    What a normal exit would still do is done here: registered atexit functions run and both
    output streams are flushed. Nothing of rectcli's needs more: files are written inside
    ``with`` blocks and the cache is replaced atomically.
    """
    import atexit

    if code is None:
        code = ExitCode.OK
    elif not isinstance(code, int):  # sys.exit("message"): print it and fail, as Python does
        sys.stderr.write(f"{code}\n")
        code = ExitCode.ERROR
    try:
        atexit._run_exitfuncs()
    except Exception:  # noqa: BLE001 - a library's exit hook must not change our exit status
        pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, OSError, ValueError, AttributeError):
            pass  # the reader went away (| head): nothing left to tell it
    os._exit(code)


__all__ = ["app", "main", "Mode"]
