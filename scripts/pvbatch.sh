#!/usr/bin/env bash
# Debian's pvbatch, offscreen (under Xvfb: Debian's ParaView is built for X only) with ParaView's
# Python modules from the prefix scripts/setup.sh unpacks them into (see there for why).
set -euo pipefail
export PYTHONPATH=/opt/ionpath/python3-paraview/usr/lib/python3/dist-packages${PYTHONPATH:+:$PYTHONPATH}
exec xvfb-run -a pvbatch "$@"
