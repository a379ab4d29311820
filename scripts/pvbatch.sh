#!/usr/bin/env bash
# Debian's pvbatch, offscreen: Debian's ParaView is built for X only, so it renders into a private
# Xvfb server (the server picks a free display itself via -displayfd, so concurrent runs never
# collide; runs are still serialised by a lock because two servers starting at once can disturb
# each other's sockets, seen as "bad X server connection" here), with ParaView's Python modules from the prefix scripts/setup.sh unpacks them into
# (see there for why). The server is stopped, by its pid, when pvbatch ends. Under heavy load a
# fresh server has been seen to refuse pvbatch's first connection ("bad X server connection",
# SIGABRT before any file is read): only that case is retried, with a new server, up to 3 times.
set -euo pipefail
export PYTHONPATH=/opt/ionpath/python3-paraview/usr/lib/python3/dist-packages${PYTHONPATH:+:$PYTHONPATH}
exec 9>/tmp/ionpath-pvbatch.lock
flock 9
run_once() {
  local fifo xvfb display status
  fifo=$(mktemp -u /tmp/ionpath-xvfb.XXXXXX)
  mkfifo "$fifo"
  Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp 3>"$fifo" 9>&- >/dev/null 2>&1 &
  xvfb=$!
  trap 'kill "$xvfb" 2>/dev/null || true; wait "$xvfb" 2>/dev/null || true; rm -f "$fifo"' EXIT
  read -r -t 30 display <"$fifo" || { echo "pvbatch.sh: Xvfb did not start" >&2; return 1; }
  status=0
  DISPLAY=":$display" pvbatch "$@" 2>&1 | tee "$log" || status=${PIPESTATUS[0]}
  kill "$xvfb" 2>/dev/null || true
  wait "$xvfb" 2>/dev/null || true
  rm -f "$fifo"
  trap - EXIT
  return "$status"
}
log=$(mktemp /tmp/ionpath-pvbatch-log.XXXXXX)
for attempt in 1 2 3; do
  status=0
  run_once "$@" || status=$?
  if [[ $status -eq 0 ]] || ! grep -q "bad X server connection" "$log"; then rm -f "$log"; exit "$status"; fi
  echo "pvbatch.sh: attempt $attempt: pvbatch could not connect to its Xvfb; retrying with a new server" >&2
done
rm -f "$log"
exit "$status"
