#!/bin/bash
# Installs the AWS emulators the 'network' tests run (pinned) into a directory of the build
# dir, once: s3rver (S3), dynalite (DynamoDB), sqslite (SQS, query protocol).
# Usage: tests/aws/install-emulators.sh DIR
# Nothing is committed; `meson compile -C BUILD aws-emulators-install` runs it ahead of time.
set -euo pipefail

prefix="$1"
S3RVER_VERSION=3.7.1
DYNALITE_VERSION=4.0.0
SQSLITE_VERSION=2.1.1

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "Node.js or npm is missing: run build-aux/install-deps test (Debian packages nodejs, npm)." >&2
  exit 1
fi

# Two test programs may need the emulators at once in a fresh build dir: the second waits
# for the first's npm install (two at once in one prefix broke each other), then finds them.
mkdir -p "$(dirname "$prefix")"
exec 9>"$prefix.lock"
flock 9

installed() {
  grep -q "\"version\": \"$2\"" "$prefix/node_modules/$1/package.json" 2>/dev/null
}

if installed s3rver "$S3RVER_VERSION" && installed dynalite "$DYNALITE_VERSION" \
   && installed sqslite "$SQSLITE_VERSION"; then
  exit 0
fi

mkdir -p "$prefix"
npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error \
  "s3rver@$S3RVER_VERSION" "dynalite@$DYNALITE_VERSION" "sqslite@$SQSLITE_VERSION" >&2
