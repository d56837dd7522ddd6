#!/bin/bash
# Adapter "actorsync" for the peers' harness (shared/bench/peers; same step contract as its adapters). It writes an
# ActorSync HOCON configuration for the harness's source and target clusters, one sync per table in $TABLES, and
# runs the published CLI found through PRODUCT_CMD:
#   PRODUCT_CMD=/path/to/publish/actorsync BENCH_DIR=<overlay> bash <harness>/run.sh actorsync
# (tests/ActorSync.Benchmarks/peers/run.sh does all of this). Trigger capture by default: no wal_level change;
# ACTORSYNC_DATABASE_CAPTURE=wal (adapter actorsync-wal) captures the source database from its WAL instead.
set -euo pipefail
source "${BENCH_DIR:?BENCH_DIR must point at the harness (or an overlay of it)}/lib/common.sh"
CONF=$RUN_DIR/actorsync.conf
# The pid file lives outside RUN_DIR: a workload's baseline sitting (adapter "none") wipes RUN_DIR while we may still run.
PIDF=$BASE/actorsync.pid
ADMIN_PORT=${ACTORSYNC_ADMIN_PORT:-18799}
ADMIN_URL=http://127.0.0.1:$ADMIN_PORT

# libpq "host=... port=... dbname=... user=..." to an Npgsql connection string.
npgsql() { echo "$1" | awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); m[kv[1]] = kv[2] } }
  END { printf "Host=%s;Port=%s;Database=%s;Username=%s;Application Name=actorsync", m["host"], m["port"], m["dbname"], m["user"] }'; }

write_config() {
  {
    echo "actorsync {"
    echo "  databases {"
    echo "    src { connection-string = \"$(npgsql "$SRC_DSN")\", max-connections = 8${ACTORSYNC_DATABASE_CAPTURE:+, capture-mode = $ACTORSYNC_DATABASE_CAPTURE} }"
    echo "    tgt { connection-string = \"$(npgsql "$TGT_DSN")\", max-connections = 8 }"
    echo "  }"
    # A WAL source database takes no per-sync capture mode (check refuses one).
    [ "${ACTORSYNC_DATABASE_CAPTURE:-trigger}" = wal ] || echo "  defaults { capture-mode = ${ACTORSYNC_CAPTURE_MODE:-row} }"
    echo "  admin { url = \"$ADMIN_URL\" }"
    echo "  syncs = ["
    for t in $TABLES; do echo "    { name = $t, source = \"src:public.$t\", target = \"tgt:public.$t\" }"; done
    echo "  ]"
    echo "}"
  } > "$CONF"
}

pid() { [ -f "$PIDF" ] && cat "$PIDF" || true; }

case "$1" in
  # Trigger capture keeps the baseline's settings (wal_level = replica); WAL capture needs what native needs.
  conf) [ "${ACTORSYNC_DATABASE_CAPTURE:-trigger}" = wal ] && [ "$2" = src ] && echo "wal_level = logical" || true ;;
  install) ;;
  setup) write_config ;;
  start)
    : "${PRODUCT_CMD:?set PRODUCT_CMD to the published actorsync CLI}"
    p=$(pid); if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then kill -TERM "$p"; for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; kill -KILL "$p" 2>/dev/null || true; fi
    nohup "$PRODUCT_CMD" run --config "$CONF" > "$RUN_DIR/actorsync.log" 2>&1 &
    echo $! > "$PIDF" ;;
  wait_ready)
    # Ready once every sync is past its snapshot (idle or streaming); the harness then checks the data itself. One
    # process asks the admin endpoint every 50 ms: starting the CLI (and a JSON parser) ten times a second took CPU
    # from the very copy W3 times.
    ACTORSYNC_PID=$(pid) python3 - "$ADMIN_URL/status" "${READY_TIMEOUT:-1800}" <<'PY' || { log "actorsync not ready; see $RUN_DIR/actorsync.log"; exit 1; }
import json, os, sys, time, urllib.request
url, deadline, pid = sys.argv[1], time.monotonic() + float(sys.argv[2]), os.environ.get("ACTORSYNC_PID", "")
while time.monotonic() < deadline:
    if not pid or not os.path.exists(f"/proc/{pid}"):
        sys.exit("actorsync exited")
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            syncs = json.load(response)["syncs"]
        if syncs and all(s["state"] in ("idle", "streaming") for s in syncs):
            sys.exit(0)
    except (OSError, ValueError, KeyError):
        pass  # not listening yet
    time.sleep(0.05)
sys.exit("timed out")
PY
    ;;
  stop)
    p=$(pid)
    if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
      # Peak resident memory of the whole run (the issue's memory goal), recorded before the process goes.
      # With it the CPU time the process used (user + system), for the profile of a workload's cost.
      hwm=$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$p/status" 2>/dev/null || echo "")
      cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$p/stat" 2>/dev/null || echo "")
      [ -n "$hwm" ] && record "${ADAPTER_NAME:-actorsync}" memory "rss_peak_mb=$hwm cpu_s=$cpu"
      kill -TERM "$p"; for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$p" 2>/dev/null || true
    fi
    rm -f "$PIDF" ;;
  teardown) [ -f "$CONF" ] && "$PRODUCT_CMD" uninstall --config "$CONF" >/dev/null || true ;;
esac
