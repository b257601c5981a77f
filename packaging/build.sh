#!/usr/bin/env bash
# Build the one-folder bundle dist/dlplanner/ with PyInstaller, check its size, smoke-test it.
#
#   bash packaging/build.sh [--clean]
#
# --clean   drop PyInstaller's cache (build/pyinstaller/) first; a cached rebuild is faster.
# Env:      PYTHON (default python3), DLPLANNER_MAX_MB (default 170, in MB of 10^6 bytes).
#
# Then writes the release archive dist/dlplanner-<version>-<platform>.tar.gz (.zip on
# Windows) with its SHA-256 in a .sha256 file beside it, and prints both sizes.
#
# Fails (exit 1) when the build fails, the folder is larger than the limit, the bundle's
# `selftest` fails, `--exit-on-ready` does not exit 0 (offscreen, and on X11 under
# xvfb-run where that is installed), or the desktop entry the bundle installs is wrong.
# Works on Linux, macOS and in Git Bash on Windows; PyInstaller builds for the system it
# runs on only. Takes 2-3 minutes.
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
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
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
rm -rf "$BUNDLE" "$DIST/dlplanner.app" "$DIST"/dlplanner-*.tar.gz "$DIST"/dlplanner-*.zip \
  "$DIST"/dlplanner-*.sha256
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
# -- desktop integration from the bundle: the entry starts the bundle's own executable ----------
if [ "$(uname -s)" = Linux ]; then
  echo "== $cli desktop-integration install (throw-away XDG_DATA_HOME)"
  run_bundle "$cli" desktop-integration install --no-refresh >/dev/null
  entry="$home/data/applications/org.dlplanner.dlplanner.desktop"
  if ! grep -q "^Exec=$(cd "$BUNDLE" && pwd)/dlplanner %f$" "$entry"; then
    echo "build.sh: the installed desktop entry does not start the bundle: $(grep '^Exec=' "$entry")" >&2
    exit 1
  fi
  if command -v desktop-file-validate >/dev/null 2>&1 && ! desktop-file-validate "$entry"; then
    echo "build.sh: the installed desktop entry does not validate" >&2
    exit 1
  fi
  run_bundle "$cli" desktop-integration uninstall --no-refresh >/dev/null
fi

# -- release archive: the folder, compressed, and its SHA-256 ----------------------------------
echo "== release archive"
start=$(now)
archive=$("$PYTHON" - "$DIST" <<'EOF'
import hashlib, os, shutil, sys, sysconfig, tarfile
sys.path.insert(0, ".")
from dlplanner import __version__

dist = sys.argv[1]
name = f"dlplanner-{__version__}-{sysconfig.get_platform()}"
if sys.platform == "win32":
    path = shutil.make_archive(os.path.join(dist, name), "zip", dist, "dlplanner")
else:
    path = os.path.join(dist, name + ".tar.gz")
    # gzip level 6: within a few per cent of level 9 in half the time; modes and links kept.
    with tarfile.open(path, "w:gz", compresslevel=6) as tar:
        tar.add(os.path.join(dist, "dlplanner"), arcname="dlplanner")
digest = hashlib.sha256()
with open(path, "rb") as f:
    for block in iter(lambda: f.read(1 << 20), b""):
        digest.update(block)
with open(path + ".sha256", "w", encoding="ascii", newline="\n") as f:
    f.write(f"{digest.hexdigest()}  {os.path.basename(path)}\n")  # what `sha256sum -c` reads
print(path)
EOF
)
size_of() { "$PYTHON" -c "import os, sys; print(os.path.getsize(sys.argv[1]))" "$1"; }
archive_bytes=$(size_of "$archive")
sum_bytes=$(size_of "$archive.sha256")
if command -v sha256sum >/dev/null 2>&1; then
  (cd "$(dirname "$archive")" && sha256sum --quiet -c "$(basename "$archive").sha256")
fi
archive_mb=$("$PYTHON" -c "print(f'{int(__import__(\"sys\").argv[1]) / 1e6:.1f}')" "$archive_bytes")
echo "archive: $archive, $archive_mb MB ($archive_bytes bytes), written in $(since "$start") s"
echo "checksum: $archive.sha256, $sum_bytes bytes: $(cut -d' ' -f1 "$archive.sha256")"
echo "== ok: $BUNDLE, $mb MB; $archive, $archive_mb MB"
