"""The command line: the Typer app (:mod:`rectcli.cli.app`) and one module per command
(:mod:`rectcli.cli.commands`)."""

from rectcli.cli.app import app, main

__all__ = ["app", "main"]
