#!/usr/bin/env bash
# The README's run command: set everything up, build the demo deployment on first run (./demo: head office,
# 15 facility PCs, a year of signed reports imported at head office), then open the head-office window on
# ./demo/hq. Without a display, JBDESK_SCREENSHOT=shot.png draws the window under Xvfb into that picture.
# JBDESK_HOME=DIR opens that data dir instead of the demo. Extra arguments go to jbdesk.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

PAGE=()
if [ -n "${JBDESK_HOME:-}" ]; then
  DATA="$JBDESK_HOME"
else
  DATA="$PWD/demo/hq"
  PAGE=(--page tracker)  # the demo opens on the submission tracker: a year of reports at a glance
  if [ ! -f demo/.demo-complete ]; then
    # Built in place (so the summary and the import history name the real paths); the demo writes
    # demo/.demo-complete last, so an interrupted first run starts over.
    echo "run.sh: building the demo deployment in ./demo (about half a minute) ..."
    rm -rf demo
    .venv/bin/jbdesk demo --dir demo --no-gui --quiet
  fi
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "$(uname)" = Linux ]; then
  if command -v xvfb-run >/dev/null 2>&1 && [ -n "${JBDESK_SCREENSHOT:-}" ]; then
    exec xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/jbdesk --data-dir "$DATA" gui ${PAGE[@]+"${PAGE[@]}"} --screenshot "$JBDESK_SCREENSHOT" "$@"
  fi
  echo "run.sh: no display found (DISPLAY is empty). Start it from a desktop session," >&2
  echo "        or set JBDESK_SCREENSHOT=shot.png to render the window under Xvfb into a picture." >&2
  exit 1
fi
if [ -n "${JBDESK_SCREENSHOT:-}" ]; then
  exec .venv/bin/jbdesk --data-dir "$DATA" gui ${PAGE[@]+"${PAGE[@]}"} --screenshot "$JBDESK_SCREENSHOT" "$@"
fi
exec .venv/bin/jbdesk --data-dir "$DATA" gui ${PAGE[@]+"${PAGE[@]}"} "$@"
