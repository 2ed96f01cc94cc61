"""``python -m rectcli``."""

from rectcli.cli import main

if __name__ == "__main__":
    main()
