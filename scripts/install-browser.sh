#!/usr/bin/env bash
# Debian's chromium for the site tests (tests/site drive it through playwright with executable_path; no browser
# is downloaded at run time), and a small CJK font so the screenshots show the Chinese list's text. Skipped with
# a note when not root; the browser tests then skip with an install hint outside CI and fail under CI=true.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || need+=(fonts-wqy-microhei)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "note: not root, not installing ${need[*]}; the site's browser tests will say how to install chromium" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${need[@]}" </dev/null >/dev/null
