#!/usr/bin/env bash
# The price and the recovery times of the gateway cluster (issue 8), measured on one machine.
#
#   bench/cluster.sh [--quick]   build Release, start a throw-away PostgreSQL and three nodes on 127.0.0.1 (default
#                                cluster settings: heartbeat 1s, failure-timeout 5s, lease-duration 5s), then measure
#                                  - counter requests whose entity lives on the node that got them (local) against
#                                    requests that node forwards to the owner (forwarded): p50/p99 unloaded (1
#                                    connection) and throughput loaded (64 connections), in alternating rounds;
#                                  - failover after kill -9 of a node: until every shard is held again, and until
#                                    the first 200 for an entity of the dead node;
#                                  - graceful hand-off after SIGTERM of a node: until its shards are held by the others.
#                                Prints a table and, as the last line,
#                                  cluster forward-p50-added-ms=N.NN forward-throughput-ratio=0.NN failover-s=N.N handoff-s=N.N
#                                Results also go to bench/results/cluster-<timestamp>.json. All traffic stays on 127.0.0.1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
OUT="$ROOT/artifacts/bench-cluster"
# shellcheck source=bench/lib.sh
source "$BENCH/lib.sh"

QUICK=0
if [[ "${1:-}" == "--quick" ]]; then QUICK=1; elif [[ -n "${1:-}" ]]; then echo "usage: bench/cluster.sh [--quick]" >&2; exit 64; fi
if ((QUICK)); then ROUNDS=3; DURATION=3; WARMUP=2; else ROUNDS=5; DURATION=10; WARMUP=4; fi
CONNECTIONS=64
NODES=3
PG_PORT=5230
gw_port() { echo $((5200 + $1)); }
mgmt_port() { echo $((5210 + $1)); }
internal_port() { echo $((5220 + $1)); }

ensure_wrk
PG_BIN="$(dirname "$(readlink -f "$(command -v pg_ctl || echo /usr/lib/postgresql/15/bin/pg_ctl)")")"
[[ -x "$PG_BIN/initdb" && -x "$PG_BIN/psql" ]] || { echo "PostgreSQL server binaries not found (install the postgresql package)" >&2; exit 1; }

# ---- Pinning: servers (PostgreSQL and the nodes) on core 0, wrk on core 1, as bench/run.sh does ---------------------
CORES="$(nproc)"
# CLUSTER_BENCH_PIN=0 runs unpinned (forwarding then pays no extra context switches on the servers' one core).
if ((CORES >= 2)) && command -v taskset >/dev/null && [[ "${CLUSTER_BENCH_PIN:-1}" != 0 ]]; then
  SERVER_PIN=(taskset -c 0); CLIENT_PIN=(taskset -c 1)
  PINNING="servers pinned to core 0, wrk pinned to core 1 (taskset)"
else
  SERVER_PIN=(); CLIENT_PIN=()
  PINNING="no pinning ($CORES core(s), no taskset or CLUSTER_BENCH_PIN=0)"
fi

# ---- Build ---------------------------------------------------------------------------------------------------------
echo "building Release into $OUT ..."
dotnet publish "$ROOT/src/Gateway" -c Release -o "$OUT/gateway" --nologo -v quiet >/dev/null
echo "built in ${SECONDS}s"

RUN_DIR="$(mktemp -d)"
chmod 755 "$RUN_DIR"
PIDS=()
PG_DATA="$RUN_DIR/pg"
# PostgreSQL refuses to run as root: its commands run as the unprivileged "postgres" (or "nobody") user then.
if [[ "$(id -u)" == 0 ]]; then
  PG_USER="$(id -u postgres >/dev/null 2>&1 && echo postgres || echo nobody)"
  as_pg() { runuser -u "$PG_USER" -- "$@"; }
else
  as_pg() { "$@"; }
fi
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ -f "$PG_DATA/postmaster.pid" ]]; then as_pg "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m immediate -w >/dev/null 2>&1 || true; fi
  if [[ -n "${KEEP_LOGS:-}" ]]; then echo "logs kept in $RUN_DIR"; else rm -rf "$RUN_DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- PostgreSQL: initdb in a temp directory, pg_ctl on 127.0.0.1 -----------------------------------------------------
mkdir -p "$PG_DATA"
[[ "$(id -u)" == 0 ]] && chown "$PG_USER" "$PG_DATA"
(cd "$RUN_DIR" && as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --no-locale --no-sync >/dev/null)
# PostgreSQL is not pinned with the nodes: on one core shared with three saturated gateways its backends starve
# for seconds, the nodes cannot renew their leases and (correctly) self-fence, which measures the starvation, not
# forwarding.
(cd "$RUN_DIR" && as_pg "$PG_BIN/pg_ctl" start -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 \
  -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_DATA -c fsync=off -c synchronous_commit=off -c max_connections=200" >/dev/null)
sql() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d actorhost -XAtq -c "$1"; }
# The same, quiet: the nodes create the tables when they first start, so early reads may fail.
sql_quiet() { sql "$1" 2>/dev/null || true; }
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -XAtq -c "CREATE DATABASE actorhost" >/dev/null
CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=actorhost"
SECRET="bench-cluster-secret-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"

# ---- Nodes ---------------------------------------------------------------------------------------------------------
LOG_LEVEL=Warning
NODE_PID=()
start_node() { # $1 = index
  local i=$1
  cat >"$RUN_DIR/node-$i.conf" <<EOF
actorhost.gateway.urls = ["http://127.0.0.1:$(gw_port "$i")"]
actorhost.management.urls = ["http://127.0.0.1:$(mgmt_port "$i")"]
actorhost.logging.level = $LOG_LEVEL
Logging.LogLevel.Default = $LOG_LEVEL
Logging.LogLevel."ActorHost.Cluster" = Information
actorhost.shutdown { drain-delay = 0s, grace = 5s, mercy = 1s, stop-workers = 2s }
actorhost.cluster {
  enabled = on
  node-id = "node-$i"
  connection-string = "$CONNECTION"
  advertise-url = "http://127.0.0.1:$(internal_port "$i")"
  secret = "$SECRET"
}
EOF
  "${SERVER_PIN[@]}" "$OUT/gateway/actorhost" --config "$RUN_DIR/node-$i.conf" >"$RUN_DIR/node-$i.log" 2>&1 &
  PIDS+=($!); NODE_PID[i]=$!
}
for i in $(seq 1 $NODES); do start_node "$i"; done

wait_ready() { # $1 = index: /ready answers 200 once the node is an up member
  local i=$1
  for _ in $(seq 1 240); do
    kill -0 "${NODE_PID[$i]}" 2>/dev/null || { echo "node-$i exited during start:" >&2; cat "$RUN_DIR/node-$i.log" >&2; exit 1; }
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(mgmt_port "$i")/ready")" == 200 ]] && return 0
    sleep 0.25
  done
  echo "node-$i not ready within 60 s" >&2; cat "$RUN_DIR/node-$i.log" >&2; exit 1
}
for i in $(seq 1 $NODES); do wait_ready "$i"; done

# held_summary -> "owners held unheld" : distinct owners holding valid leases, shards held, shards not held
held_summary() { sql_quiet "SELECT count(DISTINCT owner) FILTER (WHERE lease_until > now()), count(*) FILTER (WHERE owner IS NOT NULL AND lease_until > now()), count(*) FILTER (WHERE owner IS NULL OR lease_until <= now()) FROM actorhost.shards" | tr '|' ' '; }
owner_map() { sql_quiet "SELECT string_agg(owner, ',' ORDER BY shard) FROM actorhost.shards"; }
# Settled: every shard held, by all three nodes, and the owner map the same on two reads a second apart.
echo "waiting for the shard allocation to settle ..."
previous=""
for _ in $(seq 1 120); do
  read -r owners _ unheld <<<"$(held_summary)"
  current="$(owner_map)"
  if [[ "$owners" == "$NODES" && "$unheld" == 0 && "$current" == "$previous" ]]; then break; fi
  previous="$current"; sleep 1
done
[[ "$current" == "$previous" ]] || { echo "the allocation did not settle in 120 s: $(held_summary)" >&2; exit 1; }
SHARDS="$(sql "SELECT count(*) FROM actorhost.shards")"
echo "settled: $SHARDS shards: $(sql "SELECT string_agg(owner || '=' || n, ' ') FROM (SELECT owner, count(*) n FROM actorhost.shards GROUP BY owner ORDER BY owner) t")"

# ---- Keys: entities node-1 owns (local) and entities the others own (node-1 forwards them) ------------------------------
# The shard of a key is FNV-1a 32 of its UTF-8 bytes modulo number-of-shards (ActorHost.Cluster.ShardHash).
sql "SELECT shard || ' ' || owner FROM actorhost.shards ORDER BY shard" >"$RUN_DIR/owners.txt"
python3 - "$RUN_DIR" "$SHARDS" <<'PY'
import sys
run, shards = sys.argv[1], int(sys.argv[2])
owner = dict(line.split() for line in open(f"{run}/owners.txt") if line.strip())
def shard_of(key):
    h = 2166136261
    for b in key.encode("utf-8"):
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h % shards
local, forwarded, victim = [], [], []
n = 0
while len(local) < 300 or len(forwarded) < 300 or len(victim) < 1:
    key = f"b{n}"; n += 1
    o = owner[str(shard_of(key))]
    if o == "node-1" and len(local) < 300: local.append(key)
    elif o != "node-1" and len(forwarded) < 300: forwarded.append(key)
    if o == "node-3" and not victim: victim.append(key)
open(f"{run}/local.keys", "w").write("\n".join(local) + "\n")
open(f"{run}/forwarded.keys", "w").write("\n".join(forwarded) + "\n")
open(f"{run}/victim.key", "w").write(victim[0])
PY

cat >"$RUN_DIR/keys.lua" <<'LUA'
-- POST /counter/<key>/increment for a key drawn at random from the file given as the first argument.
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  s2xx, other = 0, 0
  requests = {}
  for key in io.lines(args[1]) do
    requests[#requests + 1] = wrk.format("POST", "/counter/" .. key .. "/increment", { ["Content-Length"] = "0" }, nil)
  end
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 100000)
end
function request() return requests[math.random(1, #requests)] end
function response(status, headers, body)
  if status >= 200 and status < 300 then s2xx = s2xx + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local ok, rest = 0, 0
  for _, thread in ipairs(threads) do ok = ok + thread:get("s2xx"); rest = rest + thread:get("other") end
  local e = summary.errors
  io.write(string.format("BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d s2xx=%d other=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), ok, rest,
    e.connect + e.read + e.write + e.timeout))
end
LUA

# run_wrk keys connections seconds -> "requests duration_us p50_us p99_us s2xx other socket_errors"
run_wrk() {
  "${CLIENT_PIN[@]}" wrk -t1 -c"$2" -d"$3s" --latency --timeout 10s -s "$RUN_DIR/keys.lua" "http://127.0.0.1:$(gw_port 1)" -- "$RUN_DIR/$1.keys" \
    | awk '/^BENCH / { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } found = 1 }
           END { if (!found) { print "no BENCH line in wrk output" > "/dev/stderr"; exit 1 }
                 print v["requests"], v["duration_us"], v["p50_us"], v["p99_us"], v["s2xx"], v["other"], v["socket_errors"] }'
}
med() { local -a values; read -r -a values <<<"$1"; median_of "${values[@]}"; }
# paired "a1 a2 ..." "b1 b2 ..." op -> median over rounds of a_i/b_i (op=ratio) or a_i-b_i (op=diff)
paired() {
  local -a a b r=(); read -r -a a <<<"$1"; read -r -a b <<<"$2"
  for i in "${!a[@]}"; do r+=("$(awk -v x="${a[$i]}" -v y="${b[$i]}" -v op="$3" 'BEGIN { if (op == "ratio") print (y > 0 ? x / y : 0); else print x - y }')"); done
  median_of "${r[@]}"
}

# The measured cells: name, keys file, connections.
CELLS=("local-c1 local 1" "forwarded-c1 forwarded 1" "local-c$CONNECTIONS local $CONNECTIONS" "forwarded-c$CONNECTIONS forwarded $CONNECTIONS")
echo "warm-up: ${WARMUP}s per cell (creates the entities, opens the node-to-node connections, tiers up the JIT)"
for cell in "${CELLS[@]}"; do read -r _ keys conns <<<"$cell"; run_wrk "$keys" "$conns" "$WARMUP" >/dev/null; done
declare -A TP P50 P99 OTHER SOCK
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round/$ROUNDS (${DURATION}s per cell, local and forwarded back to back, all through node-1)"
  for cell in "${CELLS[@]}"; do
    read -r name keys conns <<<"$cell"
    fields="$(run_wrk "$keys" "$conns" "$DURATION")"
    read -r _ _ p50 p99 _ other sock <<<"$fields"
    TP[$name]+="$(throughput_of "$fields") "; P50[$name]+="$p50 "; P99[$name]+="$p99 "
    OTHER[$name]=$(( ${OTHER[$name]:-0} + other )); SOCK[$name]=$(( ${SOCK[$name]:-0} + sock ))
  done
done
ADDED_P50_US="$(paired "${P50[forwarded-c1]}" "${P50[local-c1]}" diff)"
ADDED_P50_MS="$(awk -v v="$ADDED_P50_US" 'BEGIN { printf "%.2f\n", v / 1000 }')"
ADDED_P99_MS="$(awk -v v="$(paired "${P99[forwarded-c1]}" "${P99[local-c1]}" diff)" 'BEGIN { printf "%.2f\n", v / 1000 }')"
TP_RATIO="$(printf '%.2f\n' "$(paired "${TP[forwarded-c$CONNECTIONS]}" "${TP[local-c$CONNECTIONS]}" ratio)")"

# ---- Failover: kill -9 of node-3 -------------------------------------------------------------------------------------
now_ns() { date +%s%N; }
secs_since() { awk -v a="$1" -v b="$(now_ns)" 'BEGIN { printf "%.2f\n", (b - a) / 1e9 }'; }
VICTIM_KEY="$(cat "$RUN_DIR/victim.key")"
VICTIM_SHARDS="$(sql "SELECT count(*) FROM actorhost.shards WHERE owner = 'node-3'")"
echo "failover: kill -9 node-3 ($VICTIM_SHARDS shards) ..."
KILLED_NS="$(now_ns)"
kill -9 "${NODE_PID[3]}"
wait "${NODE_PID[3]}" 2>/dev/null || true   # reaped here, so the shell does not report the kill
# The first 200 for an entity of the dead node, asked through node-1 (each request waits up to handoff-timeout).
(
  while true; do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 -X POST "http://127.0.0.1:$(gw_port 1)/counter/$VICTIM_KEY/increment" || true)"
    if [[ "$code" == 200 ]]; then secs_since "$KILLED_NS" >"$RUN_DIR/first200"; break; fi
    echo "$code" >>"$RUN_DIR/failover-statuses"
  done
) &
FIRST200_PID=$!
FAILOVER_S=""
for _ in $(seq 1 600); do
  read -r _ _ unheld <<<"$(held_summary)"
  dead="$(sql "SELECT count(*) FROM actorhost.shards WHERE owner = 'node-3'")"
  if [[ "$unheld" == 0 && "$dead" == 0 ]]; then FAILOVER_S="$(secs_since "$KILLED_NS")"; break; fi
  sleep 0.05
done
wait "$FIRST200_PID" || true
FIRST200_S="$(cat "$RUN_DIR/first200" 2>/dev/null || echo "none")"
touch "$RUN_DIR/failover-statuses"   # none when the first request already got its 200
FAILOVER_NON200="$(sort "$RUN_DIR/failover-statuses" | uniq -c | awk '{ printf "%s%sx%s", sep, $1, $2; sep = " " }')"
[[ -n "$FAILOVER_S" ]] || { echo "the dead node's shards were not held again within 30 s" >&2; FAILOVER_S="-1"; }

# ---- Graceful hand-off: SIGTERM to node-2 --------------------------------------------------------------------------
LEAVER_SHARDS="$(sql "SELECT count(*) FROM actorhost.shards WHERE owner = 'node-2'")"
echo "hand-off: SIGTERM to node-2 ($LEAVER_SHARDS shards) ..."
TERM_NS="$(now_ns)"
kill -TERM "${NODE_PID[2]}"
HANDOFF_S=""
for _ in $(seq 1 600); do
  read -r _ _ unheld <<<"$(held_summary)"
  leaver="$(sql "SELECT count(*) FROM actorhost.shards WHERE owner = 'node-2'")"
  if [[ "$unheld" == 0 && "$leaver" == 0 ]]; then HANDOFF_S="$(secs_since "$TERM_NS")"; break; fi
  sleep 0.05
done
[[ -n "$HANDOFF_S" ]] || { echo "node-2's shards were not held by node-1 within 30 s" >&2; HANDOFF_S="-1"; }
set +e; wait "${NODE_PID[2]}"; LEAVER_EXIT=$?; set -e
LEAVER_EXIT_S="$(secs_since "$TERM_NS")"
AFTER_HANDOFF="$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 -X POST "http://127.0.0.1:$(gw_port 1)/counter/$VICTIM_KEY/increment" || true)"

# ---- Table, summary, JSON ------------------------------------------------------------------------------------------
declare -A MTP MP50 MP99
for cell in "${CELLS[@]}"; do
  read -r name _ _ <<<"$cell"
  MTP[$name]="$(med "${TP[$name]}")"; MP50[$name]="$(med "${P50[$name]}")"; MP99[$name]="$(med "${P99[$name]}")"
done
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
CPU="$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
DOTNET="$(dotnet --version)"
echo
echo "machine: $CORES cores, $CPU, .NET SDK $DOTNET; load average: $LOAD"
echo "$PINNING; 3 nodes + PostgreSQL on 127.0.0.1, default cluster settings; wrk -t1 against node-1; $ROUNDS rounds x ${DURATION}s per cell, medians; differences and ratios = median of per-round pairs"
printf '%-16s %10s %10s %10s %8s %8s\n' cell "req/s" "p50 ms" "p99 ms" "non-2xx" "sockerr"
for cell in "${CELLS[@]}"; do
  read -r name _ _ <<<"$cell"
  printf '%-16s %10d %10.3f %10.3f %8d %8d\n' "$name" "${MTP[$name]}" \
    "$(awk -v v="${MP50[$name]}" 'BEGIN { print v / 1000 }')" "$(awk -v v="${MP99[$name]}" 'BEGIN { print v / 1000 }')" "${OTHER[$name]}" "${SOCK[$name]}"
done
echo "forwarding adds $ADDED_P50_MS ms at p50 and $ADDED_P99_MS ms at p99 unloaded (goal p50 <= 0.5 ms); forwarded/local throughput at $CONNECTIONS connections $TP_RATIO"
echo "failover after kill -9 of node-3 ($VICTIM_SHARDS shards): all shards held again after ${FAILOVER_S}s (goal <= 7 s), first 200 for its entity $VICTIM_KEY after ${FIRST200_S}s; other answers meanwhile: ${FAILOVER_NON200:-none}"
echo "hand-off after SIGTERM of node-2 ($LEAVER_SHARDS shards): held by node-1 after ${HANDOFF_S}s; node-2 exited $LEAVER_EXIT after ${LEAVER_EXIT_S}s; a request after it: $AFTER_HANDOFF"

mkdir -p "$BENCH/results"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
{
  printf '{\n  "timestamp": "%s",\n  "quick": %s,\n  "machine": { "cores": %d, "cpu": "%s", "dotnet_sdk": "%s", "load_average": "%s" },\n' \
    "$STAMP" "$([[ $QUICK == 1 ]] && echo true || echo false)" "$CORES" "$CPU" "$DOTNET" "$LOAD"
  printf '  "settings": { "nodes": %d, "shards": %d, "rounds": %d, "seconds_per_cell": %d, "connections": %d, "pinning": "%s", "cluster": "defaults (heartbeat 1s, failure-timeout 5s, lease-duration 5s, fencing-margin 1s, handoff-timeout 10s)" },\n' \
    "$NODES" "$SHARDS" "$ROUNDS" "$DURATION" "$CONNECTIONS" "$PINNING"
  printf '  "cells": {\n'
  sep=""
  for cell in "${CELLS[@]}"; do
    read -r name _ _ <<<"$cell"
    printf '%s    "%s": { "rps_median": %s, "p50_us_median": %s, "p99_us_median": %s, "rps_rounds": [%s], "p50_us_rounds": [%s], "non_2xx": %d, "socket_errors": %d }' \
      "$sep" "$name" "${MTP[$name]}" "${MP50[$name]}" "${MP99[$name]}" "$(sed 's/ *$//; s/ /, /g' <<<"${TP[$name]}")" "$(sed 's/ *$//; s/ /, /g' <<<"${P50[$name]}")" \
      "${OTHER[$name]}" "${SOCK[$name]}"
    sep=$',\n'
  done
  printf '\n  },\n'
  printf '  "forwarding": { "p50_added_ms": %s, "p99_added_ms": %s, "throughput_ratio": %s },\n' "$ADDED_P50_MS" "$ADDED_P99_MS" "$TP_RATIO"
  printf '  "failover": { "killed": "node-3", "shards": %d, "all_shards_held_s": %s, "first_200_s": "%s", "other_answers": "%s" },\n' \
    "$VICTIM_SHARDS" "$FAILOVER_S" "$FIRST200_S" "${FAILOVER_NON200:-}"
  printf '  "handoff": { "leaver": "node-2", "shards": %d, "all_shards_held_s": %s, "exit_code": %d, "exit_s": %s, "status_after": %s }\n}\n' \
    "$LEAVER_SHARDS" "$HANDOFF_S" "$LEAVER_EXIT" "$LEAVER_EXIT_S" "$AFTER_HANDOFF"
} >"$BENCH/results/cluster-$STAMP.json"
echo "results: bench/results/cluster-$STAMP.json"
printf 'cluster forward-p50-added-ms=%s forward-throughput-ratio=%s failover-s=%.1f handoff-s=%.1f\n' "$ADDED_P50_MS" "$TP_RATIO" "$FAILOVER_S" "$HANDOFF_S"
