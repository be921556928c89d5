#!/usr/bin/env bash
# Installs the npm packages when they are missing or older than package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/retry.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "installing npm packages…"
  # `npm install` honours package-lock.json; `npm ci` is avoided because npm 11 rejects this
  # lock over platform-specific optional packages it omits (rollup's) although nothing differs.
  # npm retries each request itself (fetch-retries); retry covers a run that fails anyway
  retry npm install --no-audit --no-fund >/dev/null
fi
