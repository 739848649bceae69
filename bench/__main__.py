import sys

from bench.run import main

if __name__ == "__main__":  # worker processes (spawn) import this module again: run only in the parent
    sys.exit(main())
