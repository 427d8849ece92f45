#!/usr/bin/env bash
# The browser tests drive Debian's Chromium; install it where we can (as root on Debian).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "Chromium is not installed at /usr/bin/chromium; the browser tests will be skipped." >&2
  echo "Install it with: sudo apt-get install chromium" >&2
fi
