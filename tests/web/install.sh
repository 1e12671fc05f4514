#!/bin/bash
# Installs the browser test's npm packages (pinned) into a directory of the build dir, once.
# Usage: tests/web/install.sh DIR
# The browser itself is Debian's chromium (build-aux/install-deps test); nothing is committed.
set -euo pipefail

prefix="$1"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "Node.js or npm is missing: run build-aux/install-deps test (Debian packages nodejs, npm)." >&2
  exit 1
fi

# playwright-core 1.50 and later need Node.js 20; Debian 12 ships Node.js 18.
if (( $(node -p 'process.versions.node.split(".")[0]') >= 20 )); then
  PLAYWRIGHT_CORE_VERSION=1.65.1
else
  PLAYWRIGHT_CORE_VERSION=1.49.1
fi
PLAYWRIGHT_CORE_VERSION="${BOOKIMG_PLAYWRIGHT_CORE_VERSION:-$PLAYWRIGHT_CORE_VERSION}"

installed="$prefix/node_modules/playwright-core/package.json"
if [[ -f "$installed" ]] \
   && grep -q "\"version\": \"$PLAYWRIGHT_CORE_VERSION\"" "$installed"; then
  exit 0
fi

mkdir -p "$prefix"
# playwright-core downloads no browser on install; the test uses /usr/bin/chromium.
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix "$prefix" --no-audit --no-fund \
  --loglevel=error "playwright-core@$PLAYWRIGHT_CORE_VERSION" >&2
