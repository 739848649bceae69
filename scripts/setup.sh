#!/usr/bin/env bash
# Sets up everything jbdesk needs on a fresh Debian/Ubuntu machine: Qt runtime libraries (when root),
# a virtual environment in .venv and the package with its test tools. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # Qt offscreen/xcb runtime (DEVELOPERS.md) ...
  libegl1 libgl1 libfontconfig1 libfreetype6 libxkbcommon0 libglib2.0-0 libdbus-1-3 libx11-6 libcups2
  libx11-xcb1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1
  # ... a virtual screen for screenshot tests, and tools to look at PDFs
  xvfb xauth x11-utils poppler-utils
  # ... and headless LibreOffice Calc, which opens and converts the Excel workbooks in tests
  libreoffice-calc-nogui
)

PYTHON="${PYTHON:-python3}"
# Ubuntu 22.04's python3 is 3.10; its archive has python3.11 beside it, which jbdesk then uses.
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
   && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && ! command -v python3.11 >/dev/null 2>&1; then
  echo "setup: $PYTHON is older than 3.11; apt-get install python3.11 python3.11-venv"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends python3.11 python3.11-venv >/dev/null || true
fi
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && command -v python3.11 >/dev/null 2>&1; then
  PYTHON=python3.11
fi

# The packaged-build test runs PyInstaller, which needs objdump (binutils) and the shared libpython of the
# very interpreter that runs it. Debian and Ubuntu ship that library as libpython3.X, matching python3's
# version; a Python built with --enable-shared (pyenv, python.org builds) carries its own and needs none.
if command -v "$PYTHON" >/dev/null 2>&1; then
  PY_LIBPYTHON="$("$PYTHON" - <<'PY'
import os, sys, sysconfig
name = sysconfig.get_config_var("INSTSONAME") or ""
dirs = [sysconfig.get_config_var(k) or "" for k in ("LIBDIR", "LIBPL")] + [sys.base_prefix + "/lib"]
multiarch = sysconfig.get_config_var("MULTIARCH") or ""
dirs += ["/usr/lib/" + multiarch, "/usr/lib", "/lib/" + multiarch]
have = bool(name) and any(os.path.exists(os.path.join(d, name)) for d in dirs if d)
print("" if have else "libpython%d.%d" % sys.version_info[:2])
PY
)" || PY_LIBPYTHON=""
  [ -n "$PY_LIBPYTHON" ] && APT_PACKAGES+=(binutils "$PY_LIBPYTHON") || APT_PACKAGES+=(binutils)
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
elif ! command -v apt-get >/dev/null 2>&1; then
  :
else
  echo "setup: not root; assuming the Qt runtime libraries are installed (see README)." >&2
fi

"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "jbdesk needs Python 3.11 or newer")'
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test]'
