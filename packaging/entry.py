"""PyInstaller entry point: the same `mailsetup` command as the console script in pyproject.toml."""

import sys

from assistant.cli import main

if __name__ == "__main__":
    sys.exit(main())
