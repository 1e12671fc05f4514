#!/bin/sh
# Stands in for xvfb-run where it is missing, so display tests fail instead of vanishing.
echo "xvfb-run is not installed: run build-aux/install-deps test (Debian packages xvfb, xauth)." >&2
exit 1
