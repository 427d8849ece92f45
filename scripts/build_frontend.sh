#!/usr/bin/env bash
# Build the static files the pages need from the npm registry's packages (pinned in package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f package.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
