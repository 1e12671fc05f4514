#!/bin/sh
# weston-run.sh COMMAND [ARG…] — runs COMMAND as a Wayland client of its own headless Weston,
# as xvfb-run does for X11: the same window measured without the X server's round trips.
# Weston (Debian package weston) draws nothing anywhere; its socket and runtime dir are
# private and removed afterwards.
set -eu

if ! command -v weston >/dev/null 2>&1; then
  echo "weston is not installed: apt-get install weston (only this benchmark needs it)." >&2
  exit 1
fi

runtime_dir=$(mktemp -d "${TMPDIR:-/tmp}/bookimg-weston-XXXXXX")
chmod 700 "$runtime_dir"
socket=wayland-bench
weston_log="$runtime_dir/weston.log"

XDG_RUNTIME_DIR=$runtime_dir weston --backend=headless-backend.so --socket="$socket" \
  --width=1600 --height=1000 --idle-time=0 --no-config >"$weston_log" 2>&1 &
weston_pid=$!
trap 'kill "$weston_pid" 2>/dev/null; wait "$weston_pid" 2>/dev/null; rm -rf "$runtime_dir"' EXIT INT TERM

# the socket appears once Weston listens (5 s at most)
tries=0
while [ ! -S "$runtime_dir/$socket" ]; do
  tries=$((tries + 1))
  if [ "$tries" -gt 50 ] || ! kill -0 "$weston_pid" 2>/dev/null; then
    echo "weston did not start:" >&2
    cat "$weston_log" >&2
    exit 1
  fi
  sleep 0.1
done

status=0
XDG_RUNTIME_DIR=$runtime_dir WAYLAND_DISPLAY=$socket GDK_BACKEND=wayland "$@" || status=$?
exit "$status"
