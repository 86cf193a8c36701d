#!/usr/bin/env bash
# Stops the test gateway that start-rgw.sh started (radosgw, the OSD, the monitor) and removes its folder.
# Only the processes named in that folder's pid files are stopped.
set -uo pipefail

dir="${PACKTRAIL_CEPH_DIR:-/tmp/packtrail-ceph}"
[ -d "$dir" ] || exit 0

stop_pid_file() {
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file" 2>/dev/null) || return 0
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.25
  done
  kill -9 "$pid" 2>/dev/null || true
}

# The gateway first, the monitor last, so nothing waits on a monitor that is gone.
stop_pid_file "$dir/run/client.rgw.a.pid"
stop_pid_file "$dir/run/osd.0.pid"
stop_pid_file "$dir/run/mon.a.pid"
rm -rf "$dir"
