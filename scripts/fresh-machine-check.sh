#!/usr/bin/env bash
# Proves the README's two commands on a machine that has nothing: builds a minimal Debian 12 root with
# debootstrap, installs only python3, python3-venv, git and ca-certificates in it, clones this checkout there
# and runs `bash scripts/test.sh` and `JBDESK_SCREENSHOT=... bash scripts/run.sh` inside (chroot).
#
#   sudo bash scripts/fresh-machine-check.sh [WORKDIR]      (root; needs debootstrap, about 20 minutes)
#
# WORKDIR (default /tmp/jbdesk-fresh) holds the root, the logs (test.log, run.log) and the screenshot
# (run-shot.png). Extra test arguments: JBDESK_CHECK_PYTEST_ARGS="-m 'not slow'" for a quick pass.
# The suite's environment knobs (JBDESK_REQUIRE_XVFB, JBDESK_FUZZ_EXAMPLES, JBDESK_CRASH_KILLS) are passed in.
set -euo pipefail
SRC="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-/tmp/jbdesk-fresh}"
SUITE="${JBDESK_CHECK_SUITE:-bookworm}"
MIRROR="${JBDESK_CHECK_MIRROR:-http://deb.debian.org/debian}"

[ "$(id -u)" = 0 ] || { echo "fresh-machine-check: run as root (debootstrap and chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "fresh-machine-check: apt-get install debootstrap" >&2; exit 2; }

ROOT="$WORK/root"
mkdir -p "$WORK"
cleanup() {
  for m in "$ROOT/src" "$ROOT/dev/pts" "$ROOT/dev" "$ROOT/sys" "$ROOT/proc"; do
    mountpoint -q "$m" && umount -l "$m" || true
  done
}
trap cleanup EXIT

# A fresh root every time (about 30 s), unless JBDESK_CHECK_REUSE=1 keeps the previous one (NOT fresh then:
# it holds what the last run's setup.sh installed).
if [ "${JBDESK_CHECK_REUSE:-}" != 1 ] || [ ! -x "$ROOT/usr/bin/apt-get" ]; then
  cleanup
  rm -rf "$ROOT"
  echo "== debootstrap --variant=minbase $SUITE"
  debootstrap --variant=minbase "$SUITE" "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
fi
mount -t proc proc "$ROOT/proc"
mount --rbind /sys "$ROOT/sys"
mount --bind /dev "$ROOT/dev"
mount --bind /dev/pts "$ROOT/dev/pts"
mkdir -p "$ROOT/src"
mount --bind -o ro "$SRC" "$ROOT/src"
if [ ! -x "$ROOT/usr/bin/git" ]; then
  chroot "$ROOT" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  echo "== apt-get install python3 python3-venv git ca-certificates (and nothing else)"
  chroot "$ROOT" /usr/bin/env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends python3 python3-venv git ca-certificates >/dev/null
fi
# This workplace's pip trusts the host's CA bundle (a proxy may sign); a real fresh machine needs nothing here.
cp /etc/ssl/certs/ca-certificates.crt "$ROOT/etc/ssl/certs/ca-certificates.crt"

rm -rf "$ROOT/work"
mkdir -p "$ROOT/work"
chroot "$ROOT" git config --global --add safe.directory '*'
chroot "$ROOT" git clone -q /src /work/main
echo "== clone: $(chroot "$ROOT" git -C /work/main log --oneline -1)"

in_root() {
  chroot "$ROOT" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 PIP_CERT=/etc/ssl/certs/ca-certificates.crt PIP_DEFAULT_TIMEOUT=180 \
    JBDESK_REQUIRE_XVFB="${JBDESK_REQUIRE_XVFB:-}" JBDESK_FUZZ_EXAMPLES="${JBDESK_FUZZ_EXAMPLES:-}" \
    JBDESK_CRASH_KILLS="${JBDESK_CRASH_KILLS:-}" JBDESK_SCREENSHOT="${JBDESK_SCREENSHOT_IN_ROOT:-}" \
    bash -c "cd /work/main && $1"
}

echo "== bash scripts/test.sh ${JBDESK_CHECK_PYTEST_ARGS:-} (log: $WORK/test.log)"
start=$(date +%s)
set +e
in_root "bash scripts/test.sh ${JBDESK_CHECK_PYTEST_ARGS:-}" >"$WORK/test.log" 2>&1
test_rc=$?
set -e
echo "   rc=$test_rc in $(( $(date +%s) - start )) s: $(grep -E '^[0-9]+ (passed|failed)|passed|failed' "$WORK/test.log" | tail -1)"

echo "== JBDESK_SCREENSHOT=/work/run-shot.png bash scripts/run.sh (log: $WORK/run.log)"
start=$(date +%s)
set +e
JBDESK_SCREENSHOT_IN_ROOT=/work/run-shot.png in_root "bash scripts/run.sh" >"$WORK/run.log" 2>&1
run_rc=$?
set -e
cp -f "$ROOT/work/run-shot.png" "$WORK/run-shot.png" 2>/dev/null || true
echo "   rc=$run_rc in $(( $(date +%s) - start )) s; screenshot: $( [ -s "$WORK/run-shot.png" ] && echo "$WORK/run-shot.png" || echo none)"

[ "$test_rc" = 0 ] && [ "$run_rc" = 0 ]
