"""The framework floor: a do-nothing Typer app with one command and one string argument."""

import typer

app = typer.Typer()


@app.command()
def main(name: str) -> None:
    pass


if __name__ == "__main__":
    app()
