#!/usr/bin/env bash
# Build the one-folder bundle dist/dlplanner/ with PyInstaller, check its size, smoke-test it.
#
#   bash packaging/build.sh [--clean]
#
# --clean   drop PyInstaller's cache (build/pyinstaller/) first; a cached rebuild is faster.
# Env:      PYTHON (default python3), DLPLANNER_MAX_MB (default 170, in MB of 10^6 bytes).
#
# Fails (exit 1) when the build fails, the folder is larger than the limit, the bundle's
# `selftest` fails, or `--exit-on-ready` does not exit 0 (offscreen, and on X11 under
# xvfb-run where that is installed). Works on Linux, macOS and in Git Bash on Windows;
# PyInstaller builds for the system it runs on only. Takes 1-2 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
MAX_MB="${DLPLANNER_MAX_MB:-170}"
WORK="build/pyinstaller"
DIST="dist"
BUNDLE="$DIST/dlplanner"
clean=()
for arg in "$@"; do
  case "$arg" in
    --clean) clean=(--clean) ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

case "$(uname -s)" in
  MINGW*|MSYS*|CYGWIN*) cli="$BUNDLE/dlplanner-cli.exe"; gui="$BUNDLE/dlplanner.exe" ;;
  *) cli="$BUNDLE/dlplanner"; gui="$BUNDLE/dlplanner" ;;
esac

if [ "$(uname -s)" = Linux ]; then
  for tool in strip readelf; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      # Without them Python's own libraries keep their debug information (~25 MB more).
      echo "build.sh: '$tool' is missing; install binutils" >&2
      exit 1
    fi
  done
fi

now() { "$PYTHON" -c 'import time; print(time.monotonic())'; }
since() { "$PYTHON" -c "import sys, time; print(f'{time.monotonic() - float(sys.argv[1]):.1f}')" "$1"; }

echo "== building $BUNDLE with $("$PYTHON" -m PyInstaller --version 2>/dev/null || echo '?') PyInstaller"
start=$(now)
rm -rf "$BUNDLE" "$DIST/dlplanner.app"
"$PYTHON" -m PyInstaller --noconfirm ${clean[@]+"${clean[@]}"} --log-level WARN \
  --workpath "$WORK" --distpath "$DIST" packaging/dlplanner.spec
echo "build time: $(since "$start") s"

# -- size ------------------------------------------------------------------------------------
bytes=$("$PYTHON" - "$BUNDLE" <<'EOF'
import os, sys
total = 0
for folder, _dirs, files in os.walk(sys.argv[1]):
    for name in files:
        path = os.path.join(folder, name)
        if not os.path.islink(path):
            total += os.path.getsize(path)
print(total)
EOF
)
mb=$("$PYTHON" -c "print(f'{int(__import__(\"sys\").argv[1]) / 1e6:.1f}')" "$bytes")
echo "bundle size: $mb MB ($bytes bytes) in $BUNDLE (limit $MAX_MB MB)"
if [ "$bytes" -gt $((MAX_MB * 1000000)) ]; then
  echo "build.sh: the bundle is larger than $MAX_MB MB; the largest files:" >&2
  find "$BUNDLE" -type f -printf '%s\t%P\n' 2>/dev/null | sort -rn | head -15 >&2 || true
  exit 1
fi

# -- smoke tests: the bundle alone, offscreen, with throw-away user folders --------------------
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
run_bundle() {
  env -u PYTHONPATH -u PYTHONHOME -u DLPLANNER_CATALOG_DIRS HOME="$home" \
    XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" XDG_STATE_HOME="$home/state" \
    APPDATA="$home/appdata" LOCALAPPDATA="$home/localappdata" QT_QPA_PLATFORM=offscreen "$@"
}

echo "== $cli selftest"
start=$(now)
if ! run_bundle "$cli" selftest --timeout 120; then
  echo "build.sh: the bundle's selftest failed" >&2
  exit 1
fi
echo "selftest wall time: $(since "$start") s"

echo "== $gui --exit-on-ready"
start=$(now)
limit=()
command -v timeout >/dev/null 2>&1 && limit=(timeout 60)
if ! run_bundle ${limit[@]+"${limit[@]}"} "$gui" --exit-on-ready; then
  echo "build.sh: '$gui --exit-on-ready' did not exit 0" >&2
  exit 1
fi
echo "exit-on-ready wall time: $(since "$start") s"

# The X11 plugin with the host's X libraries (the bundle leaves libX11, GLib, fontconfig …
# to the system): only where Xvfb is installed.
if [ "$(uname -s)" = Linux ] && command -v xvfb-run >/dev/null 2>&1; then
  echo "== $gui --exit-on-ready on X11 (xvfb-run)"
  start=$(now)
  if ! run_bundle xvfb-run -a env QT_QPA_PLATFORM=xcb ${limit[@]+"${limit[@]}"} "$gui" --exit-on-ready; then
    echo "build.sh: '$gui --exit-on-ready' failed on X11 (xcb)" >&2
    exit 1
  fi
  echo "exit-on-ready (xcb) wall time: $(since "$start") s"
fi
echo "== ok: $BUNDLE, $mb MB"
