#!/bin/sh
# install-peer.sh — installs the npm package `ws` for the benchmark's Node comparison peer
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   tests/bench/install-peer.sh DIR      (meson: `meson compile -C BUILD bench-install-peer`)
# puts ws into DIR/node_modules, where bench-fanout looks for it (BUILD/tests/bench-peer).
# It belongs to the build dir, never to the repository. Without node or npm it says so and
# succeeds: the peer is optional, and the benchmark then measures bookimg-server alone.
set -eu

dest=${1:?usage: install-peer.sh DIR}

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "install-peer.sh: node or npm not found; the benchmark will skip the Node ws peer" >&2
  exit 0
fi
if [ -f "$dest/node_modules/ws/package.json" ]; then
  echo "install-peer.sh: ws already in $dest/node_modules"
  exit 0
fi

mkdir -p "$dest"
# ws 8 needs no native build; a fixed major keeps the comparison stable between runs.
npm install --prefix "$dest" --no-audit --no-fund --no-save --loglevel=error 'ws@^8' >&2
echo "install-peer.sh: ws installed in $dest/node_modules"
