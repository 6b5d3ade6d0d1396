#!/bin/sh
# Installs the npm dependencies (when the lock file changed) and builds; idempotent.
set -eu
cd "$(dirname "$0")/.."
stamp=node_modules/.honeyscope-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi
npm run --silent build
if [ -f web/ui/vite.config.ts ]; then npm run --silent build:ui; fi
