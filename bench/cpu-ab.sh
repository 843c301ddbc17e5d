#!/usr/bin/env bash
# CPU per request of two builds or settings, measured in alternation: how the README's before/after figures are
# taken, since on a shared machine the speed drifts more between two runs than most changes move it.
#
#   bench/cpu-ab.sh [--scenario echo|counter] [--rounds N] [--seconds S] [--warm-up S] A B
#   bench/cpu-ab.sh --profile [--scenario echo|counter] [--seconds S] [--warm-up S] A B
#
# A and B are each a git revision (published once into artifacts/bench/ab/<commit>), a directory holding a published
# gateway (its `actorhost` executable), or `baseline` (bench/Baseline as it is in the working tree). A_ENV and B_ENV
# add environment variables to one side ("NAME=value NAME2=value"), and A_HOCON and B_HOCON add lines to a gateway
# side's configuration (e.g. B_HOCON='actorhost.faults.enabled = on'), so that one build can be measured against
# itself with and without a setting (for an A/A control, give the same side twice).
#
# Both servers run at once on core 0; wrk, on core 1, loads one of them at a time for S seconds, and each round
# reverses which goes first. A window's CPU time (user + system, from /proc) divided by the requests it served is
# that side's CPU per request for the round, and wrk's 99th percentile its tail latency. The last line gives the median
# of each side and the median of the per-round ratios A/B: above 1, B uses less CPU per request; the line before it
# does the same for the p99. All traffic goes to 127.0.0.1, bounded in time.
#
# --profile: instead of the rounds, `perf record` samples each side (2,999 Hz, by function; JIT-compiled code named
# through the runtime's perf map) over one window of S seconds of load, and the script prints the functions whose CPU
# time per request differs most between A and B. Needs `perf` (Debian package linux-perf) and a kernel that lets it
# sample the servers (perf_event_paranoid).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
OUT="$ROOT/artifacts/bench/ab"
# shellcheck source=bench/lib.sh
source "$BENCH/lib.sh"

usage() { echo "usage: bench/cpu-ab.sh [--profile] [--scenario echo|counter] [--rounds N] [--seconds S] [--warm-up S] A B" >&2; exit 64; }
SCENARIO="echo"; ROUNDS=10; SECONDS_PER_WINDOW=3; WARM_UP=10; SIDES=(); PROFILE=0
while (($#)); do
  case "$1" in
    --scenario) SCENARIO="${2:?}"; shift 2 ;;
    --rounds) ROUNDS="${2:?}"; shift 2 ;;
    --seconds) SECONDS_PER_WINDOW="${2:?}"; shift 2 ;;
    --warm-up) WARM_UP="${2:?}"; shift 2 ;;
    --profile) PROFILE=1; shift ;;
    -*) usage ;;
    *) SIDES+=("$1"); shift ;;
  esac
done
((${#SIDES[@]} == 2)) || usage
[[ "$SCENARIO" == echo || "$SCENARIO" == counter ]] || usage

ensure_wrk
PROFILE_ENV=""
if ((PROFILE)); then
  command -v perf >/dev/null || { echo "--profile needs perf (Debian package linux-perf)" >&2; exit 69; }
  # Names for JIT-compiled code (the runtime writes /tmp/perf-<pid>.map), and code pages perf can read.
  PROFILE_ENV="DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0"
fi
if (($(nproc) >= 2)) && command -v taskset >/dev/null; then SERVER_PIN=(taskset -c 0); CLIENT_PIN=(taskset -c 1)
else SERVER_PIN=(); CLIENT_PIN=(); echo "note: fewer than 2 cores or no taskset, so nothing is pinned" >&2; fi
HZ="$(getconf CLK_TCK)"

# executable_of side  ->  the path of the executable to run for A or B (building it first if needed)
executable_of() {
  local side=$1 commit work
  if [[ "$side" == baseline ]]; then
    dotnet publish "$BENCH/Baseline" -c Release -o "$OUT/baseline" --nologo -v quiet -p:RunAnalyzers=false >/dev/null
    echo "$OUT/baseline/actorhost-baseline"
  elif [[ -x "$side/actorhost" ]]; then
    echo "$side/actorhost"
  elif commit="$(git -C "$ROOT" rev-parse --verify --quiet "$side^{commit}")"; then
    if [[ ! -x "$OUT/$commit/actorhost" ]]; then
      work="$(mktemp -d)"
      git -C "$ROOT" worktree add --detach --quiet "$work/src" "$commit"
      echo "building $side ($commit) ..." >&2
      dotnet publish "$work/src/src/Gateway" -c Release -o "$OUT/$commit" --nologo -v quiet -p:RunAnalyzers=false >/dev/null
      git -C "$ROOT" worktree remove --force "$work/src"
      rm -rf "$work"
    fi
    echo "$OUT/$commit/actorhost"
  else
    echo "'$side' is neither 'baseline', a directory with an actorhost executable, nor a git revision" >&2; exit 64
  fi
}

RUN_DIR="$(mktemp -d)"
PIDS=()
trap stop_servers EXIT

# start name executable port management_port "env": starts a server as a child of this shell (so that the exit trap
# can wait for it) and adds its pid to PIDS. The baseline takes its port from the environment; a gateway gets a
# config file with its management port and the bench's Warning log level.
start() {
  local name=$1 exe=$2 port=$3 mgmt=$4 extra_env=$5 extra_hocon=$6
  local -a env_args=()
  read -r -a env_args <<<"$extra_env"
  if [[ "$(basename "$exe")" == actorhost-baseline ]]; then
    env "${env_args[@]}" ASPNETCORE_URLS="http://127.0.0.1:$port" Logging__LogLevel__Default=Warning \
      "${SERVER_PIN[@]}" "$exe" >"$RUN_DIR/$name.log" 2>&1 &
  else
    printf 'actorhost.management.urls = ["http://127.0.0.1:%s"]\nactorhost.logging.level = Warning\nLogging.LogLevel.Default = Warning\n%s\n' \
      "$mgmt" "$extra_hocon" >"$RUN_DIR/$name.conf"
    env "${env_args[@]}" "${SERVER_PIN[@]}" "$exe" --config "$RUN_DIR/$name.conf" --urls "http://127.0.0.1:$port" \
      >"$RUN_DIR/$name.log" 2>&1 &
  fi
  PIDS+=($!)
}

load() { # port seconds  ->  the parsed BENCH fields
  "${CLIENT_PIN[@]}" wrk -t1 -c64 -d"$2s" --timeout 10s -s "$BENCH/wrk/scenario.lua" "http://127.0.0.1:$1" -- "$SCENARIO" |
    parse_bench_line
}

measure() { # pid port  ->  "CPU microseconds per request, p99 microseconds" over one window
  local before fields
  local -a f
  before="$(cpu_ticks "$1")"
  fields="$(load "$2" "$SECONDS_PER_WINDOW")"
  read -r -a f <<<"$fields"
  echo "$(cpu_us_per_request "$(($(cpu_ticks "$1") - before))" "$HZ" "${f[0]}") ${f[3]}"
}

EXE_A="$(executable_of "${SIDES[0]}")"
EXE_B="$(executable_of "${SIDES[1]}")"
start a "$EXE_A" 5131 5132 "${A_ENV:-} $PROFILE_ENV" "${A_HOCON:-}"; PID_A=${PIDS[-1]}
start b "$EXE_B" 5141 5142 "${B_ENV:-} $PROFILE_ENV" "${B_HOCON:-}"; PID_B=${PIDS[-1]}
wait_ready a 5131 "$PID_A" "$RUN_DIR/a.log"
wait_ready b 5141 "$PID_B" "$RUN_DIR/b.log"
if ((PROFILE)); then windows="one profiled window of ${SECONDS_PER_WINDOW} s each"; else windows="$ROUNDS rounds of ${SECONDS_PER_WINDOW} s each"; fi
echo "A = ${SIDES[0]} ${A_ENV:-} ${A_HOCON:-}; B = ${SIDES[1]} ${B_ENV:-} ${B_HOCON:-}; $SCENARIO, $windows, after ${WARM_UP} s of warm-up each"
load 5131 "$WARM_UP" >/dev/null
load 5141 "$WARM_UP" >/dev/null

# profile name pid port  ->  writes $RUN_DIR/<name>.prof (microseconds per request by function) and prints the total
profile() {
  local fields
  perf record -F 2999 -p "$2" -o "$RUN_DIR/$1.data" -- sleep "$SECONDS_PER_WINDOW" >/dev/null 2>&1 &
  local recorder=$!
  fields="$(load "$3" "$SECONDS_PER_WINDOW")"
  wait "$recorder" || { echo "perf record failed for $1 (is perf_event_paranoid too strict?)" >&2; exit 69; }
  perf report -i "$RUN_DIR/$1.data" -n --no-children --sort sym --stdio -g none 2>/dev/null |
    per_request_profile 2999 "${fields%% *}" >"$RUN_DIR/$1.prof"
  awk -F '\t' -v side="$1" '{ t += $1 } END { printf "%s: %.2f us/request in the profile\n", side, t }' "$RUN_DIR/$1.prof"
}

if ((PROFILE)); then
  profile A "$PID_A" 5131
  profile B "$PID_B" 5141
  echo "functions by CPU time per request, A minus B (us/request: difference, A, B):"
  profile_diff "$RUN_DIR/A.prof" "$RUN_DIR/B.prof" 30
  exit 0
fi

A=(); B=(); R=(); PA=(); PB=(); PR=()
for round in $(seq 1 "$ROUNDS"); do
  if ((round % 2)); then read -r cpu_a p99_a <<<"$(measure "$PID_A" 5131)"; read -r cpu_b p99_b <<<"$(measure "$PID_B" 5141)"
  else read -r cpu_b p99_b <<<"$(measure "$PID_B" 5141)"; read -r cpu_a p99_a <<<"$(measure "$PID_A" 5131)"; fi
  A+=("$cpu_a"); B+=("$cpu_b"); R+=("$(ratio_of "$cpu_a" "$cpu_b" 3)")
  PA+=("$p99_a"); PB+=("$p99_b"); PR+=("$(ratio_of "$p99_a" "$p99_b" 3)")
  echo "round $round: A $cpu_a us/request, B $cpu_b us/request, A/B ${R[-1]}; p99 A $p99_a us, B $p99_b us, A/B ${PR[-1]}"
done
echo "p99 (latency, not CPU): median A $(median_of "${PA[@]}") us, B $(median_of "${PB[@]}") us; median ratio A/B $(median_of "${PR[@]}")"
echo "median A $(median_of "${A[@]}") us/request, B $(median_of "${B[@]}") us/request; median ratio A/B $(median_of "${R[@]}")"
