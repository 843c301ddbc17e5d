#!/usr/bin/env bash
# The price of isolation, measured side by side (issue 7).
#
#   bench/run.sh [--quick]     build Release, start the bare ASP.NET Core baseline (bench/Baseline) and the gateway
#                              with the sample workers, drive both with wrk in alternating rounds, print the table
#                              and, as the last line, the machine-readable ratio summary.
#   bench/run.sh --self-test   check the parser and the summary on canned wrk output (no build, no wrk, no load).
#
# Results also go to bench/results/<timestamp>.json. All traffic goes to 127.0.0.1, bounded in time.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
OUT="$ROOT/artifacts/bench"

# shellcheck source=bench/lib.sh
source "$BENCH/lib.sh"

self_test() {
  local canned status=0
  canned='Running 5s test @ http://127.0.0.1:5102
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.10ms    1.02ms  31.00ms   90.00%
    Req/Sec    30.50k     2.00k   33.00k    70.00%
  152500 requests in 5.00s, 170.00MB read
BENCH requests=152500 duration_us=5000000 p50_us=1900 p99_us=6100 s2xx=137250 s500=15250 other=0 socket_errors=0
Requests/sec:  30500.00
Transfer/sec:     34.00MB'
  local parsed; parsed="$(parse_bench_line <<<"$canned")"
  expect() { if [[ "$2" != "$3" ]]; then echo "self-test FAILED: $1: expected '$3', got '$2'" >&2; status=1; fi; }
  expect "parsed fields" "$parsed" "152500 5000000 1900 6100 137250 15250 0 0"
  expect "throughput" "$(throughput_of "$parsed")" "30500"
  expect "median odd" "$(median_of 3 1 2)" "2"
  expect "median even" "$(median_of 4 1 3 2)" "2.5"
  expect "ratio" "$(ratio_of 27450 30500 2)" "0.90"
  expect "ratio of zero" "$(ratio_of 5 0 2)" "0.00"
  expect "summary" "$(summary_line 0.91 1.20 0.86 0.81)" \
    "ratio echo-throughput=0.91 echo-p99=1.20 counter-throughput=0.86 fail10-throughput=0.81"
  expect "paired ratio" "$(paired_ratio "90 50 80" "100 100 100")" "0.80"
  expect "round ratios" "$(round_ratios "90 50 80" "100 100 100")" "0.90 0.50 0.80"
  expect "warm-up share under the cap" "$(warmup_share 38 4 3 6 15)" "12"
  expect "warm-up share capped" "$(warmup_share 200 4 3 6 15)" "15"
  expect "warm-up share of the last cell" "$(warmup_share 10 0 3 6 15)" "9"
  expect "warm-up share at least a step" "$(warmup_share -20 2 3 6 15)" "3"
  yes_no() { if "$@"; then echo yes; else echo no; fi; }
  expect "cpu per request" "$(cpu_us_per_request 250 100 100000)" "25.00"
  expect "cpu per request of nothing" "$(cpu_us_per_request 3 100 0)" "0.00"
  expect "steady within 5%" "$(yes_no steady 1000 1040)" yes
  expect "not steady at 20%" "$(yes_no steady 1000 1200)" no
  expect "not steady from nothing" "$(yes_no steady 0 0)" no
  local report='# Overhead       Samples  Symbol
    14.33%          3000  [k] finish_task_switch.isra.0
     1.72%           300  [.] instance void [ActorHost.Workers] ActorHost.Workers.Runtime.RouteHost::Deliver(class X, class Y)
'
  local table; table="$(per_request_profile 1000 1000 <<<"$report")"
  expect "profile row" "$(head -n 1 <<<"$table")" $'3000.000\tfinish_task_switch.isra.0'
  expect "profile symbol with spaces" "$(tail -n 1 <<<"$table" | cut -f 2)" \
    "instance void [ActorHost.Workers] ActorHost.Workers.Runtime.RouteHost::Deliver(class X, class Y)"
  local dir; dir="$(mktemp -d)"
  printf '2.000\tf\n1.000\tg\n' >"$dir/a"; printf '1.500\tf\n0.500\th\n' >"$dir/b"
  expect "profile diff" "$(profile_diff "$dir/a" "$dir/b" 3 | tr '\t' ' ' | tr '\n' ';')" \
    "+1.000 1.000 0.000 g;+0.500 2.000 1.500 f;-0.500 0.000 0.500 h;"
  rm -rf "$dir"
  if parse_bench_line <<<"wrk: connection refused" >/dev/null 2>&1; then
    echo "self-test FAILED: output without a BENCH line was accepted" >&2; status=1
  fi
  if ((status == 0)); then
    echo "self-test ok"
    summary_line 0.91 1.20 0.86 0.81
  fi
  return $status
}

if [[ "${1:-}" == "--self-test" ]]; then
  self_test
  exit $?
fi

QUICK=0
if [[ "${1:-}" == "--quick" ]]; then QUICK=1; elif [[ -n "${1:-}" ]]; then echo "usage: bench/run.sh [--quick|--self-test]" >&2; exit 64; fi

# Warm-up: each cell runs WARMUP_STEP-second loads until it has had at least WARMUP_MIN seconds and two steps in a
# row agree within 5% (steady: JIT tiering done, the 1,000 entities exist), at most WARMUP_MAX seconds. The quick run
# caps warm-up at 15 s per cell, and must finish within 3 minutes: on a slow host (a 39 s build, every cell still
# rising at 15 s) that cap alone took a run to 184 s. So the quick run also keeps a time budget: what follows the
# warm-up takes a known time (the rounds, then about QUICK_TAIL seconds for the memory and stream scenarios; 20-22 s
# measured), and a cell's warm-up may use what is left of QUICK_BUDGET once each later cell is kept its minimum.
# A cell cut short by the budget is said so in the output and in the results file; the full run has no budget.
if ((QUICK)); then ROUNDS=3; DURATION=3; WARMUP_STEP=3; WARMUP_MIN=6; WARMUP_MAX=15; QUICK_BUDGET=172; QUICK_TAIL=25
else ROUNDS=5; DURATION=15; WARMUP_STEP=5; WARMUP_MIN=15; WARMUP_MAX=60; fi
CONNECTIONS=64
SSE_CLIENTS=1000; SSE_INTERVAL_MS=100
if ((QUICK)); then SSE_COUNT=30; else SSE_COUNT=100; fi
BASE_PORT=5101; GW_PORT=5102; GW_MGMT=5103; MEM_PORT=5106; MEM_MGMT=5107

ensure_wrk

# ---- Pinning: servers on core 0, wrk on core 1 when there are at least 2 cores ----------------------------------
CORES="$(nproc)"
if ((CORES >= 2)) && command -v taskset >/dev/null; then
  SERVER_PIN=(taskset -c 0); CLIENT_PIN=(taskset -c 1)
  PINNING="servers pinned to core 0, wrk pinned to core 1 (taskset)"
else
  SERVER_PIN=(); CLIENT_PIN=()
  PINNING="no pinning ($CORES core(s) or no taskset)"
fi

# ---- Build (Release, published output run directly) --------------------------------------------------------------
echo "building Release into $OUT ..."
# The baseline shares no project with the gateway, so the two builds can run side by side without colliding.
# Analyzers are off for these builds: they only report diagnostics (./test.sh builds with them, warnings as errors)
# and the compiled code is the same, but from a fresh clone they took about 12 of the 3 minutes the quick run has.
dotnet publish "$BENCH/Baseline" -c Release -o "$OUT/baseline" --nologo -v quiet -p:RunAnalyzers=false >/dev/null &
BASELINE_BUILD=$!
dotnet publish "$ROOT/src/Gateway" -c Release -o "$OUT/gateway" --nologo -v quiet -p:RunAnalyzers=false >/dev/null
wait "$BASELINE_BUILD"
echo "built in ${SECONDS}s"

# ---- Servers -------------------------------------------------------------------------------------------------------
RUN_DIR="$(mktemp -d)"
PIDS=()
trap stop_servers EXIT

LOG_LEVEL=Warning
gateway_conf() { # $1 = management port, $2 = extra HOCON
  cat <<EOF
actorhost.management.urls = ["http://127.0.0.1:$1"]
actorhost.logging.level = $LOG_LEVEL
Logging.LogLevel.Default = $LOG_LEVEL
$2
EOF
}
# fail10 runs on the same gateway process as the 0% cells, with a 10% rule added through the management API for
# each of its cells and removed after: "relative to the gateway's own 0% run" then means the same process, the same
# JIT state and the same heap. (A second process, as before, reached the measurement less warmed up than the first
# and made failures look dearer than they are.) An enabled injector with no rule adds nothing to a request.
MGMT_TOKEN="bench-$RANDOM$RANDOM"
gateway_conf "$GW_MGMT" "actorhost.management.token = \"$MGMT_TOKEN\"
actorhost.faults { enabled = on, seed = 7 }" >"$RUN_DIR/gateway.conf"

ASPNETCORE_URLS="http://127.0.0.1:$BASE_PORT" Logging__LogLevel__Default=$LOG_LEVEL \
  "${SERVER_PIN[@]}" "$OUT/baseline/actorhost-baseline" >"$RUN_DIR/baseline.log" 2>&1 &
PIDS+=($!); BASE_PID=$!
"${SERVER_PIN[@]}" "$OUT/gateway/actorhost" --config "$RUN_DIR/gateway.conf" --urls "http://127.0.0.1:$GW_PORT" >"$RUN_DIR/gateway.log" 2>&1 &
PIDS+=($!); GW_PID=$!

wait_ready baseline "$BASE_PORT" "$BASE_PID" "$RUN_DIR/baseline.log"
wait_ready gateway "$GW_PORT" "$GW_PID" "$RUN_DIR/gateway.log"

# restarts_of mgmt_port  ->  actorhost_worker_restarts_total for the counter route (0 if absent)
restarts_of() {
  curl -s "http://127.0.0.1:$1/metrics" | awk '/^actorhost_worker_restarts_total/ && /route="counter"/ { s += $NF } END { printf "%d\n", s }'
}

# run_wrk port scenario seconds  ->  the parsed BENCH fields
run_wrk() {
  "${CLIENT_PIN[@]}" wrk -t1 -c"$CONNECTIONS" -d"$3s" --latency --timeout 10s -s "$BENCH/wrk/scenario.lua" \
    "http://127.0.0.1:$1" -- "$2" | parse_bench_line
}

# The fail10 cell's rule: 10% of counter calls fail before the handler runs (each a 500 and a restart).
FAULT_RULE_ID=""
add_fault_rule() {
  local created
  created="$(curl -sf -X POST -H "Authorization: Bearer $MGMT_TOKEN" -H 'Content-Type: application/json' \
    --data '{"route":"counter","point":"before-handle","probability":0.1}' "http://127.0.0.1:$GW_MGMT/faults")" ||
    { echo "could not add the fail10 fault rule" >&2; exit 1; }
  FAULT_RULE_ID="$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$created")"
}
remove_fault_rule() {
  curl -sf -X DELETE -H "Authorization: Bearer $MGMT_TOKEN" "http://127.0.0.1:$GW_MGMT/faults/$FAULT_RULE_ID" >/dev/null ||
    { echo "could not remove fault rule $FAULT_RULE_ID" >&2; exit 1; }
}

# run_cell name port scenario seconds  ->  the parsed BENCH fields (fail10 with its rule installed)
run_cell() {
  if [[ $1 == gateway-fail10 ]]; then add_fault_rule; fi
  local fields
  fields="$(run_wrk "$2" "$3" "$4")"
  if [[ $1 == gateway-fail10 ]]; then remove_fault_rule; fi
  echo "$fields"
}

# warmup_cap index  ->  the most seconds of warm-up the cell at that index may have (see warmup_share).
warmup_cap() {
  if ((!QUICK)); then echo "$WARMUP_MAX"; return; fi
  local cells=${#CELLS[@]}
  # The rounds: every cell once per round, plus about 0.3 s of start-up per wrk run.
  warmup_share "$(( QUICK_BUDGET - SECONDS - ROUNDS * cells * DURATION - ROUNDS * cells / 3 - QUICK_TAIL ))" \
    "$(( cells - $1 - 1 ))" "$WARMUP_STEP" "$WARMUP_MIN" "$WARMUP_MAX"
}

# The measured cells: name, port, wrk scenario.
CELLS=("baseline-echo $BASE_PORT echo" "gateway-echo $GW_PORT echo"
       "baseline-counter $BASE_PORT counter" "gateway-counter $GW_PORT counter"
       "gateway-fail10 $GW_PORT counter")

echo "warm-up: ${WARMUP_STEP}s steps per cell until steady (at least ${WARMUP_MIN}s, at most ${WARMUP_MAX}s)"
declare -A WARMED
for index in "${!CELLS[@]}"; do
  read -r name port scenario <<<"${CELLS[$index]}"
  cap=$(warmup_cap "$index")
  elapsed=0; previous=0; steps=""; settled=0
  while ((elapsed < cap)); do
    current="$(throughput_of "$(run_cell "$name" "$port" "$scenario" "$WARMUP_STEP")")"
    elapsed=$((elapsed + WARMUP_STEP)); steps+="$current "
    if ((elapsed >= WARMUP_MIN)) && steady "$previous" "$current"; then settled=1; break; fi
    previous=$current
  done
  WARMED[$name]="${elapsed}s: ${steps% }"
  if ((!settled && cap < WARMUP_MAX)); then WARMED[$name]+=" (cut to ${cap}s by the quick run's time budget, not steady)"; fi
  echo "  $name warmed in ${WARMED[$name]} req/s"
done

declare -A TP P50 P99 CPUREQ S500 OTHER SOCK
# CPU per request of the server during each cell (user + system, from /proc): unlike throughput it does not count the
# time the core was taken by something else on the host, so req/s x CPU per request near 1 s shows that the server set
# the pace of a cell, and a round where it did not stands out.
HZ="$(getconf CLK_TCK)"
pid_of_port() { if [[ $1 == "$BASE_PORT" ]]; then echo "$BASE_PID"; else echo "$GW_PID"; fi; }
FAULT_RESTARTS_BEFORE="$(restarts_of "$GW_MGMT")"
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round/$ROUNDS (${DURATION}s per cell, $CONNECTIONS connections, alternating baseline/gateway)"
  # Odd rounds run the cells in order, even rounds in reverse (A B B A): whichever side of a pair runs second gets
  # no systematic advantage (on this VM the second of two back-to-back runs was often the faster one). Paired cells
  # stay adjacent either way.
  ORDER=("${CELLS[@]}")
  if ((round % 2 == 0)); then ORDER=(); for ((i = ${#CELLS[@]} - 1; i >= 0; i--)); do ORDER+=("${CELLS[i]}"); done; fi
  for cell in "${ORDER[@]}"; do
    read -r name port scenario <<<"$cell"
    server="$(pid_of_port "$port")"; ticks="$(cpu_ticks "$server")"
    fields="$(run_cell "$name" "$port" "$scenario" "$DURATION")"
    ticks=$(( $(cpu_ticks "$server") - ticks ))
    read -r requests _ p50 p99 _ s500 other sock <<<"$fields"
    TP[$name]+="$(throughput_of "$fields") "; P50[$name]+="$p50 "; P99[$name]+="$p99 "
    CPUREQ[$name]+="$(cpu_us_per_request "$ticks" "$HZ" "$requests") "
    S500[$name]=$(( ${S500[$name]:-0} + s500 )); OTHER[$name]=$(( ${OTHER[$name]:-0} + other )); SOCK[$name]=$(( ${SOCK[$name]:-0} + sock ))
  done
done
FAULT_RESTARTS=$(( $(restarts_of "$GW_MGMT") - FAULT_RESTARTS_BEFORE ))

# ---- Idle memory: 100,000 live entity workers in a fresh gateway, RSS against the same process empty -------------
# The load servers stop first so their memory and CPU do not disturb the reading.
for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
PIDS=()
ENTITIES=100000
# The stream pool gets one worker per SSE client of the fan-out below (a pool worker serves one request at a time);
# those 1,000 idle workers are in both memory readings, so they do not change the difference.
gateway_conf "$MEM_MGMT" "actorhost.routes.counter.passivate-after = 30m
actorhost.routes.stream.instances = $SSE_CLIENTS" >"$RUN_DIR/memory.conf"
"${SERVER_PIN[@]}" "$OUT/gateway/actorhost" --config "$RUN_DIR/memory.conf" --urls "http://127.0.0.1:$MEM_PORT" >"$RUN_DIR/memory.log" 2>&1 &
PIDS+=($!); MEM_PID=$!
wait_ready gateway-memory "$MEM_PORT" "$MEM_PID" "$RUN_DIR/memory.log"
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
# One entity first, so the counter route, its directory and the JIT of its path exist in the "empty" figure too.
curl -s -o /dev/null -X POST "http://127.0.0.1:$MEM_PORT/counter/0/increment"
RSS_EMPTY_KB="$(rss_kb "$MEM_PID")"
echo "memory: creating $ENTITIES entity workers (wrk, each id once, 32 connections) ..."
MEM_START=$SECONDS
live_entities() { curl -s "http://127.0.0.1:$MEM_MGMT/metrics" | awk '/^actorhost_worker_live/ && /route="counter"/ { s += $NF } END { printf "%d\n", s }'; }
# The script's thread stops itself after N answers but wrk waits out -d; SIGINT ends it once every entity is live
# (as bench/memory/idle-entities.sh does). Bounded at 300 s either way.
"${CLIENT_PIN[@]}" wrk -t1 -c32 -d300s --timeout 30s -s "$BENCH/memory/create-entities.lua" "http://127.0.0.1:$MEM_PORT" -- "$ENTITIES" >/dev/null 2>&1 &
MEM_WRK=$!; PIDS+=("$MEM_WRK")
while kill -0 "$MEM_WRK" 2>/dev/null && (( $(live_entities) < ENTITIES + 1 )); do sleep 1; done
kill -INT "$MEM_WRK" 2>/dev/null || true
wait "$MEM_WRK" 2>/dev/null || true
MEM_SECONDS=$(( SECONDS - MEM_START ))
LIVE_ENTITIES="$(live_entities)"
RSS_FULL_KB="$(rss_kb "$MEM_PID")"
MEM_DELTA_MB=$(awk -v a="$RSS_FULL_KB" -v b="$RSS_EMPTY_KB" 'BEGIN { printf "%.1f\n", (a - b) / 1024 }')
MEM_PER_WORKER=$(awk -v a="$RSS_FULL_KB" -v b="$RSS_EMPTY_KB" -v n="$ENTITIES" 'BEGIN { printf "%d\n", (a - b) * 1024 / n }')

# ---- GET /stream fan-out: 1,000 concurrent SSE clients on the same gateway, tick events received per second -------
# curl allows at most 300 parallel transfers per process, so 4 processes hold 250 streams each.
echo "stream: $SSE_CLIENTS SSE clients, $SSE_COUNT events each every ${SSE_INTERVAL_MS} ms ..."
SSE_START_NS=$(date +%s%N); SSE_PIDS=()
for part in 0 1 2 3; do
  first=$(( part * SSE_CLIENTS / 4 + 1 )); last=$(( (part + 1) * SSE_CLIENTS / 4 ))
  "${CLIENT_PIN[@]}" curl --no-progress-meter -N --max-time 120 --parallel --parallel-max 300 \
    "http://127.0.0.1:$MEM_PORT/stream?count=$SSE_COUNT&interval-ms=$SSE_INTERVAL_MS&client=[$first-$last]" 2>/dev/null \
    | grep -c '^event: tick' >"$RUN_DIR/sse.$part" &
  SSE_PIDS+=($!)
done
for pid in "${SSE_PIDS[@]}"; do wait "$pid" || true; done
SSE_SECONDS=$(awk -v a="$SSE_START_NS" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f\n", (b - a) / 1e9 }')
SSE_EVENTS=$(cat "$RUN_DIR"/sse.* | awk '{ s += $1 } END { printf "%d\n", s }')
SSE_RATE=$(awk -v e="$SSE_EVENTS" -v t="$SSE_SECONDS" 'BEGIN { printf "%d\n", (t > 0 ? e / t : 0) }')
SSE_IDEAL=$(( SSE_CLIENTS * 1000 / SSE_INTERVAL_MS ))

# ---- Table, ratios, JSON -------------------------------------------------------------------------------------------
med() { local -a values; read -r -a values <<<"$1"; median_of "${values[@]}"; }
declare -A MTP MP50 MP99 MCPU
for cell in "${CELLS[@]}"; do
  read -r name _ _ <<<"$cell"
  MTP[$name]="$(med "${TP[$name]}")"; MP50[$name]="$(med "${P50[$name]}")"; MP99[$name]="$(med "${P99[$name]}")"
  MCPU[$name]="$(med "${CPUREQ[$name]}")"
done

# Ratios are paired per round (the two cells ran back to back) and the median of those is reported: other work on
# the machine drifts over a run, and a pair taken seconds apart sees nearly the same drift.
ECHO_TP=$(paired_ratio "${TP[gateway-echo]}" "${TP[baseline-echo]}")
ECHO_P99=$(paired_ratio "${P99[gateway-echo]}" "${P99[baseline-echo]}")
COUNTER_TP=$(paired_ratio "${TP[gateway-counter]}" "${TP[baseline-counter]}")
FAIL10_TP=$(paired_ratio "${TP[gateway-fail10]}" "${TP[gateway-counter]}")
ECHO_TP_ROUNDS=$(round_ratios "${TP[gateway-echo]}" "${TP[baseline-echo]}")
ECHO_P99_ROUNDS=$(round_ratios "${P99[gateway-echo]}" "${P99[baseline-echo]}")
COUNTER_TP_ROUNDS=$(round_ratios "${TP[gateway-counter]}" "${TP[baseline-counter]}")
FAIL10_TP_ROUNDS=$(round_ratios "${TP[gateway-fail10]}" "${TP[gateway-counter]}")
# The same comparisons by CPU per request, the other way up (cheaper side over dearer side), so that each reads like
# the throughput ratio it stands beside: what that ratio would be if each server had its core to itself.
ECHO_CPU=$(paired_ratio "${CPUREQ[baseline-echo]}" "${CPUREQ[gateway-echo]}")
COUNTER_CPU=$(paired_ratio "${CPUREQ[baseline-counter]}" "${CPUREQ[gateway-counter]}")
FAIL10_CPU=$(paired_ratio "${CPUREQ[gateway-counter]}" "${CPUREQ[gateway-fail10]}")
FAIL10_500S=${S500[gateway-fail10]}
FAIL10_OK=$([[ "$FAIL10_500S" -gt 0 && "$FAULT_RESTARTS" -ge "$FAIL10_500S" && "${OTHER[gateway-fail10]}" -eq 0 ]] && echo yes || echo no)
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
CPU="$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
DOTNET="$(dotnet --version)"

echo
echo "machine: $CORES cores, $CPU, .NET SDK $DOTNET; load average before the table: $LOAD"
echo "$PINNING; wrk -t1 -c$CONNECTIONS; $ROUNDS rounds x ${DURATION}s per cell, medians over rounds, ratios = median of per-round pairs, order reversed every other round; server log level $LOG_LEVEL"
printf '%-18s %12s %10s %10s %12s %8s %8s %8s\n' cell "req/s" "p50 ms" "p99 ms" "cpu us/req" "500s" "other" "sockerr"
for cell in "${CELLS[@]}"; do
  read -r name _ _ <<<"$cell"
  printf '%-18s %12d %10.2f %10.2f %12.2f %8d %8d %8d\n' "$name" "${MTP[$name]}" \
    "$(awk -v v="${MP50[$name]}" 'BEGIN { print v / 1000 }')" "$(awk -v v="${MP99[$name]}" 'BEGIN { print v / 1000 }')" \
    "${MCPU[$name]}" "${S500[$name]}" "${OTHER[$name]}" "${SOCK[$name]}"
done
echo "ratios gateway/baseline: echo throughput $ECHO_TP (goal >= 0.90), echo p99 $ECHO_P99 (goal <= 1.25), counter throughput $COUNTER_TP (goal >= 0.85)"
echo "by cpu per request (baseline/gateway; fail10: 0%/10%): echo $ECHO_CPU, counter $COUNTER_CPU, fail10 $FAIL10_CPU"
echo "per-round pairs, in round order: echo throughput $ECHO_TP_ROUNDS; echo p99 $ECHO_P99_ROUNDS; counter throughput $COUNTER_TP_ROUNDS; fail10 throughput $FAIL10_TP_ROUNDS"
echo "fail10 vs gateway 0%: throughput $FAIL10_TP (goal >= 0.80); 500s answered $FAIL10_500S, counter restarts (metrics) $FAULT_RESTARTS, non-500 errors ${OTHER[gateway-fail10]}: every failure 500 + restart: $FAIL10_OK"
echo "idle memory: $ENTITIES entity workers created in ${MEM_SECONDS}s (live per metrics: $LIVE_ENTITIES); RSS empty $((RSS_EMPTY_KB / 1024)) MB, full $((RSS_FULL_KB / 1024)) MB: +$MEM_DELTA_MB MB (goal < 150), $MEM_PER_WORKER bytes per worker"
echo "stream fan-out: $SSE_CLIENTS SSE clients x $SSE_COUNT events every ${SSE_INTERVAL_MS} ms: $SSE_EVENTS of $(( SSE_CLIENTS * SSE_COUNT )) events in ${SSE_SECONDS}s = $SSE_RATE events/s (the interval allows at most $SSE_IDEAL/s)"

mkdir -p "$BENCH/results"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
{
  printf '{\n  "timestamp": "%s",\n  "quick": %s,\n  "machine": { "cores": %d, "cpu": "%s", "dotnet_sdk": "%s", "load_average": "%s" },\n' \
    "$STAMP" "$([[ $QUICK == 1 ]] && echo true || echo false)" "$CORES" "$CPU" "$DOTNET" "$LOAD"
  printf '  "settings": { "rounds": %d, "seconds_per_cell": %d, "connections": %d, "pinning": "%s", "server_log_level": "%s", "warm_up": { %s } },\n' \
    "$ROUNDS" "$DURATION" "$CONNECTIONS" "$PINNING" "$LOG_LEVEL" \
    "$(for cell in "${CELLS[@]}"; do read -r name _ _ <<<"$cell"; printf '"%s": "%s", ' "$name" "${WARMED[$name]}"; done | sed 's/, $//')"
  printf '  "cells": {\n'
  sep=""
  for cell in "${CELLS[@]}"; do
    read -r name _ _ <<<"$cell"
    printf '%s    "%s": { "rps_median": %s, "p50_us_median": %s, "p99_us_median": %s, "cpu_us_per_request_median": %s, "rps_rounds": [%s], "cpu_us_per_request_rounds": [%s], "status_500": %d, "other_status": %d, "socket_errors": %d }' \
      "$sep" "$name" "${MTP[$name]}" "${MP50[$name]}" "${MP99[$name]}" "${MCPU[$name]}" "$(sed 's/ *$//; s/ /, /g' <<<"${TP[$name]}")" \
      "$(sed 's/ *$//; s/ /, /g' <<<"${CPUREQ[$name]}")" "${S500[$name]}" "${OTHER[$name]}" "${SOCK[$name]}"
    sep=$',\n'
  done
  printf '\n  },\n  "fail10": { "status_500": %d, "restarts": %d, "every_failure_500_and_restart": %s },\n' \
    "$FAIL10_500S" "$FAULT_RESTARTS" "$([[ $FAIL10_OK == yes ]] && echo true || echo false)"
  printf '  "idle_memory": { "entities": %d, "live_entities": %d, "rss_empty_kb": %d, "rss_full_kb": %d, "delta_mb": %s, "bytes_per_worker": %d },\n' \
    "$ENTITIES" "$LIVE_ENTITIES" "$RSS_EMPTY_KB" "$RSS_FULL_KB" "$MEM_DELTA_MB" "$MEM_PER_WORKER"
  printf '  "stream_fanout": { "clients": %d, "events_per_client": %d, "interval_ms": %d, "events_received": %d, "seconds": %s, "events_per_second": %d, "interval_limit_per_second": %d },\n' \
    "$SSE_CLIENTS" "$SSE_COUNT" "$SSE_INTERVAL_MS" "$SSE_EVENTS" "$SSE_SECONDS" "$SSE_RATE" "$SSE_IDEAL"
  printf '  "ratios": { "echo_throughput": %s, "echo_p99": %s, "counter_throughput": %s, "fail10_throughput": %s, "echo_cpu": %s, "counter_cpu": %s, "fail10_cpu": %s },\n' \
    "$ECHO_TP" "$ECHO_P99" "$COUNTER_TP" "$FAIL10_TP" "$ECHO_CPU" "$COUNTER_CPU" "$FAIL10_CPU"
  printf '  "ratios_per_round": { "echo_throughput": [%s], "echo_p99": [%s], "counter_throughput": [%s], "fail10_throughput": [%s] }\n}\n' \
    "${ECHO_TP_ROUNDS// /, }" "${ECHO_P99_ROUNDS// /, }" "${COUNTER_TP_ROUNDS// /, }" "${FAIL10_TP_ROUNDS// /, }"
} >"$BENCH/results/$STAMP.json"
echo "results: bench/results/$STAMP.json (whole run: ${SECONDS}s)"
summary_line "$ECHO_TP" "$ECHO_P99" "$COUNTER_TP" "$FAIL10_TP"
