#!/usr/bin/env bash
# Installs the real tools the deployment tests use (promtool, amtool, docker-compose, openssl, unshare), the
# portal's browser (chromium) and the conclusion document's check (LibreOffice, pdftotext, Times-metric fonts)
# from Debian's packages when they are missing and apt is usable; otherwise those tests skip with a clear message.
set -u
missing=()
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v amtool >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
# The deployment layer: make-secrets.sh needs openssl, the read-only roots need unshare (util-linux).
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v unshare >/dev/null 2>&1 || missing+=(util-linux)
# The conclusion notice is converted to PDF by LibreOffice and read back with pdftotext; Liberation Serif has the
# metrics of Times New Roman, so lines break where Word breaks them.
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
fc-list 2>/dev/null | grep -q "Liberation Serif" || missing+=(fonts-liberation)
# The portal's browser tests drive Debian's Chromium through Playwright (executable_path); Playwright's own
# browser download is never used.
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# The portal benchmark's harness test loads the portal with Debian's wrk (bench/portal_web.py).
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  missing+=(docker-compose)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: ${missing[*]} not installed and apt-get unavailable; the tests that need them will skip." >&2
  exit 0
fi
echo "installing ${missing[*]} from Debian's packages for the deployment and document tests..." >&2
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
  echo "note: could not install ${missing[*]}; the tests that need them will skip." >&2
fi
exit 0
