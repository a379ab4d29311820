#!/usr/bin/env bash
# Debian's pvbatch, offscreen: Debian's ParaView is built for X only, so it renders into a private
# Xvfb server (the server picks a free display itself via -displayfd, so concurrent runs never
# collide; runs are still serialised by a lock, which costs little), with ParaView's Python
# modules from the prefix scripts/setup.sh unpacks them into
# (see there for why). The server is stopped, by its pid, when pvbatch ends. -noreset: by default
# Xvfb resets when its last client disconnects, and pvbatch opens and closes a probe connection
# before its render window's; a connection made during the reset is refused, which pvbatch
# reports as "bad X server connection" and SIGABRT (5 of 6 runs at load 10; 0 of 6 with -noreset).
set -euo pipefail
export PYTHONPATH=/opt/ionpath/python3-paraview/usr/lib/python3/dist-packages${PYTHONPATH:+:$PYTHONPATH}
exec 9>/tmp/ionpath-pvbatch.lock
flock 9
fifo=$(mktemp -u /tmp/ionpath-xvfb.XXXXXX)
mkfifo "$fifo"
Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp -noreset 3>"$fifo" 9>&- >/dev/null 2>&1 &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true; wait "$xvfb" 2>/dev/null || true; rm -f "$fifo"' EXIT
read -r -t 30 display <"$fifo" || { echo "pvbatch.sh: Xvfb did not start" >&2; exit 1; }
DISPLAY=":$display" pvbatch "$@"
