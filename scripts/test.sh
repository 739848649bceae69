#!/usr/bin/env bash
# The README's test command: set everything up, then run the whole test suite (slow tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen PYTHONDONTWRITEBYTECODE=1
set +e
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "test.sh: no test ran" >&2
  exit 1
fi
exit "$rc"
