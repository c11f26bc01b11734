#!/usr/bin/env bash
# Installs SecantusDB, a MongoDB-compatible server, into its own virtual environment .venv-mongo for
# the MongoDB runs of the contract suite and the service layer (tests/mongo_server.py starts it).
# It is GPL-2.0, so it is only ever a separate test server process: never a project dependency, never
# in the image, never committed. Idempotent and quiet; when it cannot install, it says so once and
# exits 0, and the MongoDB tests skip with a message naming this script.
set -u
cd "$(dirname "$0")/.."
VERSION="0.7.0b3"
VENV=".venv-mongo"
PYTHON="${PYTHON:-python3}"

installed() {
  [ -x "$VENV/bin/secantusd-py" ] &&
    [ "$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("secantusdb"))' 2>/dev/null)" = "$VERSION" ]
}

installed && exit 0
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if { [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV" >"$log" 2>&1; } &&
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "secantusdb==$VERSION" >"$log" 2>&1 &&
  installed; then
  exit 0
fi
echo "note: could not install secantusdb==$VERSION into $VENV (last lines below); the MongoDB tests will skip." >&2
tail -n 3 "$log" >&2
exit 0
