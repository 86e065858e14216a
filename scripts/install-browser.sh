#!/usr/bin/env bash
# Debian's chromium for the site tests (tests/site drive it through playwright with executable_path; no browser
# is downloaded at run time). Skipped with a note when not root; the browser tests then skip with an install
# hint outside CI and fail under CI=true.
set -euo pipefail
command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "note: not root, not installing chromium; the site's browser tests will say how to install it" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends chromium </dev/null >/dev/null
