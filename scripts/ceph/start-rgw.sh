#!/usr/bin/env bash
# Starts a throwaway Ceph object gateway on 127.0.0.1 for the S3 tests and benchmarks: one monitor, one
# memstore OSD (the bytes live in that process's memory), pools of size 1, no cephx, and radosgw's beast
# frontend. Everything lives in one private folder; nothing is installed as a system service.
#
#   scripts/ceph/start-rgw.sh      # installs Debian's packages when missing (as root), starts or reuses
#   scripts/ceph/stop-rgw.sh       # stops it and removes the folder
#
# Writes $PACKTRAIL_CEPH_DIR/s3.env (S3_ENDPOINT, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY,
# S3_FORCE_PATH_STYLE) for the tests to read. A second run while the gateway answers only prints the
# path of that file. The keys are fixed and known: this gateway listens on loopback only and holds
# test bytes only.
set -euo pipefail

dir="${PACKTRAIL_CEPH_DIR:-/tmp/packtrail-ceph}"
rgw_port="${PACKTRAIL_RGW_PORT:-7481}"
mon_port="${PACKTRAIL_MON_PORT:-6799}"
# Memstore keeps every object in RAM; this is a ceiling, not an allocation.
memstore_bytes="${PACKTRAIL_MEMSTORE_BYTES:-8589934592}"
access_key="PACKTRAILTESTACCESS01"
secret_key="packtrail-test-secret-loopback-only"
env_file="$dir/s3.env"

log() { printf '[ceph] %s\n' "$*" >&2; }
started_at=$(date +%s.%N)
elapsed() { awk -v a="$started_at" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1fs", b - a }'; }

gateway_answers() {
  # An anonymous ListBuckets answers with XML (200 or 403) once radosgw serves requests.
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$rgw_port/" 2>/dev/null | grep -qE '^(200|403)$'
}

if [ -f "$env_file" ] && gateway_answers; then
  log "reusing the gateway on 127.0.0.1:$rgw_port ($env_file)"
  echo "$env_file"
  exit 0
fi

# --- packages ---------------------------------------------------------------------------------------
need=()
command -v ceph-mon >/dev/null 2>&1 || need+=(ceph-mon)
command -v ceph-osd >/dev/null 2>&1 || need+=(ceph-osd)
command -v radosgw >/dev/null 2>&1 || need+=(radosgw)
command -v ceph >/dev/null 2>&1 || need+=(ceph-common)
command -v curl >/dev/null 2>&1 || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "missing ${need[*]}: install them as root (apt-get install ${need[*]}) or run this script as root"
    exit 1
  fi
  log "installing ${need[*]} from Debian's packages"
  # Installing must not try to start system services (there may be no init system at all).
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends "${need[@]}" >&2; then
    apt-get update >&2
    apt-get install -y --no-install-recommends "${need[@]}" >&2
  fi
fi
command -v curl >/dev/null 2>&1 || { log "curl is missing"; exit 1; }

# --- up to three attempts --------------------------------------------------------------------------------
# A start on a busy machine can stall (a daemon that misses its first beacon); a fresh try is quicker
# than waiting it out. Each attempt runs this script again with --once.
if [ "${1:-}" != --once ]; then
  for attempt in 1 2 3; do
    if env_path=$(bash "$0" --once); then
      echo "$env_path"
      exit 0
    fi
    log "attempt $attempt failed; the end of its logs:"
    for file in "$dir"/log/*.log; do
      [ -f "$file" ] && { echo "--- $file" >&2; tail -n 15 "$file" >&2; }
    done
  done
  exit 1
fi

# --- a clean folder ------------------------------------------------------------------------------------
# Whatever is left of an earlier gateway that no longer answers is stopped first: memstore lost its
# bytes with its process anyway.
"$(dirname "$0")/stop-rgw.sh" >/dev/null 2>&1 || true
mkdir -p "$dir"/{mon/a,osd/0,rgw,run,log}
fsid=$(cat /proc/sys/kernel/random/uuid)
conf="$dir/ceph.conf"
cat >"$conf" <<EOF
[global]
fsid = $fsid
# With cephx off the client speaks msgr v1; a monitor off port 6789 needs its v1 address spelled out.
mon_host = v1:127.0.0.1:$mon_port
public_addr = 127.0.0.1
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
run_dir = $dir/run
pid_file = $dir/run/\$name.pid
admin_socket = $dir/run/\$name.asok
log_file = $dir/log/\$name.log
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
osd_crush_chooseleaf_type = 0
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
ms_bind_ipv6 = false
# Two shared cores: few threads.
osd_op_num_shards = 1
osd_op_num_threads_per_shard = 2

[mon]
mon_data = $dir/mon/\$id
mon_initial_members = a
# The monitor refuses to start when its disk has under 5% free. Its data here are a few megabytes of a
# throwaway test cluster, and a large shared disk can have gigabytes free at 2%, so never refuse.
mon_data_avail_crit = 0
mon_data_avail_warn = 0

[osd]
osd_data = $dir/osd/\$id
osd_objectstore = memstore
memstore_device_bytes = $memstore_bytes
# At boot the OSD would place itself in the CRUSH map by a monitor command; with cephx off that command
# can leave before the OSD knows the cluster's fsid and is refused ("wrong fsid"), so this script places it.
osd_crush_update_on_start = false
osd_class_update_on_start = false

[client.rgw.a]
rgw_data = $dir/rgw
rgw_frontends = beast endpoint=127.0.0.1:$rgw_port
rgw_thread_pool_size = 64
rgw_dns_name = 127.0.0.1
# Deleted objects' bytes are freed by radosgw's garbage collector, by default two hours later; memstore
# holds them in RAM until then and a full OSD stalls every write. Collect within seconds instead.
rgw_gc_obj_min_wait = 5
rgw_gc_processor_period = 10
rgw_gc_processor_max_time = 10
EOF

# With cephx off, a CLI command can leave before the client has the monitor map and be refused
# ("problem getting command descriptions", EPERM): such a command is simply sent again.
ceph_cli() {
  local try
  for try in 1 2 3 4 5 6; do
    timeout 30 ceph -c "$conf" "$@" 2>>"$dir/log/cli.log" && return 0
    sleep 1
  done
  return 1
}

# --- monitor -------------------------------------------------------------------------------------------
monmaptool --create --clobber --fsid "$fsid" --addv a "[v1:127.0.0.1:$mon_port]" "$dir/monmap" >/dev/null
ceph-authtool --create-keyring "$dir/mon.keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-mon -c "$conf" -i a --mkfs --monmap "$dir/monmap" --keyring "$dir/mon.keyring" 2>>"$dir/log/mkfs.log"
# Daemons get no stdio of ours: whoever waits on this script's output must not wait on them too.
ceph-mon -c "$conf" -i a --public-addr "v1:127.0.0.1:$mon_port" </dev/null >/dev/null 2>>"$dir/log/mon-start.log"
log "monitor up after $(elapsed)"

# --- one memstore OSD ------------------------------------------------------------------------------------
osd_uuid=$(cat /proc/sys/kernel/random/uuid)
osd_id=$(ceph_cli osd new "$osd_uuid")
[ "$osd_id" = 0 ] || { log "unexpected OSD id $osd_id"; exit 1; }
ceph-osd -c "$conf" -i 0 --mkfs --osd-uuid "$osd_uuid" 2>>"$dir/log/mkfs.log" >/dev/null
ceph_cli osd crush add osd.0 1.0 host=localhost root=default 2>/dev/null
ceph-osd -c "$conf" -i 0 </dev/null >/dev/null 2>>"$dir/log/osd-start.log"
for _ in $(seq 1 120); do
  if timeout 30 ceph -c "$conf" osd stat 2>>"$dir/log/cli.log" | grep -q '1 up'; then break; fi
  sleep 0.5
done
ceph_cli osd stat | grep -q '1 up' || { log "the OSD did not come up (see $dir/log)"; exit 1; }
log "OSD up after $(elapsed)"

# --- gateway -----------------------------------------------------------------------------------------------
radosgw -c "$conf" -n client.rgw.a </dev/null >/dev/null 2>>"$dir/log/rgw-start.log"
for _ in $(seq 1 480); do
  gateway_answers && break
  sleep 0.25
done
gateway_answers || { log "radosgw did not answer on 127.0.0.1:$rgw_port (see $dir/log)"; exit 1; }
log "gateway answers after $(elapsed)"

ceph_cli osd stat >/dev/null
timeout 60 radosgw-admin -c "$conf" -n client.rgw.a user create --uid=packtrail --display-name="Packtrail tests" \
  --access-key="$access_key" --secret-key="$secret_key" >/dev/null 2>>"$dir/log/admin.log"

tmp_env="$env_file.tmp"
cat >"$tmp_env" <<EOF
S3_ENDPOINT=http://127.0.0.1:$rgw_port
S3_REGION=us-east-1
S3_ACCESS_KEY_ID=$access_key
S3_SECRET_ACCESS_KEY=$secret_key
S3_FORCE_PATH_STYLE=true
EOF
mv "$tmp_env" "$env_file"
log "ready in $(elapsed): S3 on http://127.0.0.1:$rgw_port, settings in $env_file"
echo "$env_file"
