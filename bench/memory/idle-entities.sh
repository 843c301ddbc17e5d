#!/usr/bin/env bash
# Idle memory per entity worker (issue 7: 100,000 idle entity workers in under 150 MB RSS above the empty gateway).
#
#   bench/memory/idle-entities.sh [N] [--no-build] [--gateway DIR]
#
# Publishes the gateway (Release) unless --no-build or --gateway, starts it on free loopback ports with the counter
# route passivating after 30 minutes (so nothing passivates during the run), creates one entity, reads VmRSS
# ("empty"), creates entities 1..N with wrk (POST /counter/<id>/increment, each id once, 32 connections), checks the
# live count in /metrics, waits for the process to settle, and reads VmRSS again ("full"). Prints bytes per worker.
# Extra environment for the gateway (e.g. DOTNET_GCgen0size) is passed through unchanged.
# The last line is machine-readable:
#   MEMORY entities=N live=N rss_empty_kb=N rss_full_kb=N delta_mb=N.N bytes_per_worker=N rss_after_gc_kb=N (0: no dotnet-trace)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
N=100000; BUILD=1; GATEWAY="$ROOT/artifacts/memory/gateway"; SETTLE=${SETTLE:-5}
while (($#)); do
  case "$1" in
    --no-build) BUILD=0 ;;
    --gateway) GATEWAY="$2"; BUILD=0; shift ;;
    [0-9]*) N="$1" ;;
    *) echo "usage: bench/memory/idle-entities.sh [N] [--no-build] [--gateway DIR]" >&2; exit 64 ;;
  esac
  shift
done

command -v wrk >/dev/null || { echo "installing wrk (Debian package)"; apt-get install -y wrk >/dev/null; }
if ((BUILD)); then
  echo "publishing the gateway (Release) into $GATEWAY ..."
  dotnet publish "$ROOT/src/Gateway" -c Release -o "$GATEWAY" --nologo -v quiet >/dev/null
fi

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
PORT="$(free_port)"; MGMT="$(free_port)"
RUN_DIR="$(mktemp -d)"
cat >"$RUN_DIR/memory.conf" <<CONF
actorhost.management.urls = ["http://127.0.0.1:$MGMT"]
actorhost.logging.level = Warning
Logging.LogLevel.Default = Warning
actorhost.routes.counter.passivate-after = 30m
CONF
"$GATEWAY/actorhost" --config "$RUN_DIR/memory.conf" --urls "http://127.0.0.1:$PORT" >"$RUN_DIR/gateway.log" 2>&1 &
GW_PID=$!
cleanup() { if [[ -n "${WRK_PID:-}" ]]; then kill "$WRK_PID" 2>/dev/null || true; fi; kill "$GW_PID" 2>/dev/null || true; wait "$GW_PID" 2>/dev/null || true; rm -rf "$RUN_DIR"; }
trap cleanup EXIT
trap 'exit 143' TERM INT  # so a timeout or Ctrl-C still stops the gateway and wrk

for _ in $(seq 1 240); do
  kill -0 "$GW_PID" 2>/dev/null || { echo "the gateway exited during start:" >&2; cat "$RUN_DIR/gateway.log" >&2; exit 1; }
  [[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/counter/0/increment")" == 200 ]] && break
  sleep 0.5
done

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$GW_PID/status"; }
live_entities() {
  curl -s "http://127.0.0.1:$MGMT/metrics" | awk '/^actorhost_worker_live/ && /route="counter"/ { s += $NF } END { printf "%d\n", s }'
}
# Entity 0 exists and its path is jitted; a short warm-up of existing ids would tier up nothing relevant here.
sleep "$SETTLE"
RSS_EMPTY_KB="$(rss_kb)"

echo "creating $N entity workers with wrk (32 connections) ..."
START=$SECONDS
# The script's thread stops itself after N answers, but wrk's main thread waits out -d: once every entity is live,
# SIGINT ends wrk early (it then prints its summary and the MEMLOAD line).
wrk -t1 -c32 -d900s --timeout 30s -s "$ROOT/bench/memory/create-entities.lua" "http://127.0.0.1:$PORT" -- "$N" >"$RUN_DIR/wrk.out" 2>&1 &
WRK_PID=$!
# RSS is also read once half of them are live: (full - half) / (N/2) is the marginal cost per worker, free of the
# one-time growth (GC gen0 budget, thread pool, JIT) that the first thousands of requests bring.
RSS_HALF_KB=""; LIVE_HALF=0
while kill -0 "$WRK_PID" 2>/dev/null; do
  live="$(live_entities)"
  if [[ -z "$RSS_HALF_KB" ]] && (( live >= N / 2 + 1 )); then RSS_HALF_KB="$(rss_kb)"; LIVE_HALF=$live; fi
  (( live >= N + 1 )) && break
  sleep 0.5
done
kill -INT "$WRK_PID" 2>/dev/null || true
wait "$WRK_PID" 2>/dev/null || true
echo "$(grep '^MEMLOAD' "$RUN_DIR/wrk.out" || echo "no MEMLOAD line from wrk") ($((SECONDS - START))s)"
LIVE="$(live_entities)"
# Let the last requests finish and the runtime settle (gen0 garbage of the load stays until the next GC either way).
sleep "$SETTLE"
RSS_FULL_KB="$(rss_kb)"
# A full blocking GC, induced from outside through EventPipe (the GCHeapCollect keyword, as dotnet-gcdump does):
# what stays is what the entities really hold plus what the GC keeps committed. Skipped without dotnet-trace.
TRACE="$(command -v dotnet-trace || echo "$HOME/.dotnet/tools/dotnet-trace")"
RSS_GC_KB=""
if [[ -x "$TRACE" ]]; then
  timeout 120 "$TRACE" collect -p "$GW_PID" --providers Microsoft-Windows-DotNETRuntime:0x800001:4 --duration 00:00:00:03 \
    -o "$RUN_DIR/gc.nettrace" >"$RUN_DIR/trace.log" 2>&1 || true
  sleep 1
  RSS_GC_KB="$(rss_kb)"
fi
DELTA_MB=$(awk -v a="$RSS_FULL_KB" -v b="$RSS_EMPTY_KB" 'BEGIN { printf "%.1f\n", (a - b) / 1024 }')
PER_WORKER=$(awk -v a="$RSS_FULL_KB" -v b="$RSS_EMPTY_KB" -v n="$N" 'BEGIN { printf "%d\n", (a - b) * 1024 / n }')
echo "RSS empty $((RSS_EMPTY_KB / 1024)) MB, full $((RSS_FULL_KB / 1024)) MB with $LIVE live counter entities: +$DELTA_MB MB (goal < 150 for 100,000), $PER_WORKER bytes per worker"
if [[ -n "$RSS_HALF_KB" ]] && (( LIVE > LIVE_HALF )); then
  echo "marginal: RSS $((RSS_HALF_KB / 1024)) MB with $LIVE_HALF live, $((RSS_FULL_KB / 1024)) MB with $LIVE: $(awk -v a="$RSS_FULL_KB" -v b="$RSS_HALF_KB" -v n="$((LIVE - LIVE_HALF))" 'BEGIN { printf "%d", (a - b) * 1024 / n }') bytes per additional worker"
fi
if [[ -n "$RSS_GC_KB" ]]; then
  echo "after an induced full GC: RSS $((RSS_GC_KB / 1024)) MB, +$(awk -v a="$RSS_GC_KB" -v b="$RSS_EMPTY_KB" 'BEGIN { printf "%.1f", (a - b) / 1024 }') MB, $(awk -v a="$RSS_GC_KB" -v b="$RSS_EMPTY_KB" -v n="$N" 'BEGIN { printf "%d", (a - b) * 1024 / n }') bytes per worker"
fi
echo "MEMORY entities=$N live=$LIVE rss_empty_kb=$RSS_EMPTY_KB rss_full_kb=$RSS_FULL_KB delta_mb=$DELTA_MB bytes_per_worker=$PER_WORKER rss_after_gc_kb=${RSS_GC_KB:-0}"
