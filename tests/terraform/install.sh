#!/bin/bash
# Installs the HCL parser (npm @cdktf/hcl2json, pinned) into a directory of the build dir, once.
# Usage: tests/terraform/install.sh DIR
# Terraform itself is not installable here; this WebAssembly build of hcl2json parses HCL offline.
set -euo pipefail

prefix="$1"
version="${BOOKIMG_HCL2JSON_VERSION:-0.20.12}"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "Node.js or npm is missing: run build-aux/install-deps test (Debian packages nodejs, npm)." >&2
  exit 1
fi

installed="$prefix/node_modules/@cdktf/hcl2json/package.json"
if [[ -f "$installed" ]] && grep -q "\"version\": \"$version\"" "$installed"; then
  exit 0
fi

mkdir -p "$prefix"
npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "@cdktf/hcl2json@$version" >&2
