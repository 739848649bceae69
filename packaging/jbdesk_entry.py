"""PyInstaller entry script for both executables (jbdesk and jbdesk-cli): same as `python -m jbdesk`."""

from jbdesk.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
