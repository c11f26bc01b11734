#!/usr/bin/env bash
# Installs the real tools the deployment tests use (promtool, amtool, docker-compose, openssl, unshare) from Debian's
# packages when they are missing and apt is usable; otherwise those tests skip with a clear message.
set -u
missing=()
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v amtool >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
# The deployment layer: make-secrets.sh needs openssl, the read-only roots need unshare (util-linux).
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v unshare >/dev/null 2>&1 || missing+=(util-linux)
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  missing+=(docker-compose)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: ${missing[*]} not installed and apt-get unavailable; the tests that need them will skip." >&2
  exit 0
fi
echo "installing ${missing[*]} from Debian's packages for the deployment tests..." >&2
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
  echo "note: could not install ${missing[*]}; the tests that need them will skip." >&2
fi
exit 0
