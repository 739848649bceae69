"""``python -m jbdesk``: the same as the ``jbdesk`` command."""

import sys

from jbdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
