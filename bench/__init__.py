"""jbdesk benchmarks: ``python -m bench`` measures import, start-up, bundle size and reports against floors
measured in the same run, and writes ``docs/performance.md``. See ``bench/run.py``."""
