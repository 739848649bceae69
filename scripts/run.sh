#!/usr/bin/env bash
# The README's run command: set everything up, then start jbdesk on a demo data dir (./demo).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
DATA="${JBDESK_HOME:-$PWD/demo/hq}"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "$(uname)" = Linux ]; then
  if command -v xvfb-run >/dev/null 2>&1 && [ -n "${JBDESK_SCREENSHOT:-}" ]; then
    exec xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/jbdesk --data-dir "$DATA" gui --screenshot "$JBDESK_SCREENSHOT"
  fi
  echo "run.sh: no display found (DISPLAY is empty). Start it from a desktop session," >&2
  echo "        or set JBDESK_SCREENSHOT=shot.png to render the window under Xvfb into a picture." >&2
  exit 1
fi
exec .venv/bin/jbdesk --data-dir "$DATA" "$@"
