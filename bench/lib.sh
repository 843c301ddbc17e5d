# shellcheck shell=bash
# Functions shared by bench/run.sh, bench/cpu-ab.sh and bench/cluster.sh, sourced, never run: parsing wrk output and the arithmetic on
# it (pure; `bench/run.sh --self-test` exercises every one of them on canned input), and starting and stopping the
# servers.

# parse_bench_line < wrk-output  ->  "requests duration_us p50_us p99_us s2xx s500 other socket_errors"
# The line comes from the done() callback of bench/wrk/scenario.lua; wrk's own human output is ignored.
parse_bench_line() {
  awk '/^BENCH / {
         for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
         found = 1
       }
       END {
         if (!found) { print "no BENCH line in wrk output" > "/dev/stderr"; exit 1 }
         print v["requests"], v["duration_us"], v["p50_us"], v["p99_us"], v["s2xx"], v["s500"], v["other"], v["socket_errors"]
       }'
}

# throughput_of "requests duration_us ..."  ->  requests per second (integer)
throughput_of() { awk '{ printf "%d\n", ($2 > 0 ? $1 / ($2 / 1e6) : 0) }' <<<"$1"; }

# median_of v1 v2 ...  ->  the median (the mean of the middle two for an even count)
median_of() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) { print 0; exit } m = int((NR + 1) / 2); if (NR % 2) print a[m]; else print (a[m] + a[m + 1]) / 2 }'; }

# ratio_of a b digits  ->  a/b with the given decimals
ratio_of() { awk -v a="$1" -v b="$2" -v d="$3" 'BEGIN { if (b == 0) { printf "%.*f\n", d, 0 } else printf "%.*f\n", d, a / b }'; }

# steady previous current  ->  success when both are positive and within 5% of each other
steady() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > 0 && b > 0 && (b - a) / a < 0.05 && (a - b) / a < 0.05) }'; }

# warmup_share seconds_left cells_after step min max  ->  the most warm-up one cell may have: what is left once each
# of the cells after it is kept its minimum, in whole steps, at least one step and at most max. (Cells that settle
# early leave their time to the later ones.)
warmup_share() {
  local share=$(( ($1 - $2 * $4) / $3 * $3 ))
  if ((share < $3)); then share=$3; fi
  if ((share > $5)); then share=$5; fi
  echo "$share"
}

# summary_line echo_tp_ratio echo_p99_ratio counter_tp_ratio fail10_tp_ratio
summary_line() { printf 'ratio echo-throughput=%s echo-p99=%s counter-throughput=%s fail10-throughput=%s\n' "$1" "$2" "$3" "$4"; }

# round_ratios "a1 a2 ..." "b1 b2 ..." [decimals]  ->  "a1/b1 a2/b2 ...", in round order (two decimals unless told):
# the pairs a paired ratio is the median of, printed so that a reader sees how far one run's rounds disagree
round_ratios() {
  local -a a b r=(); read -r -a a <<<"$1"; read -r -a b <<<"$2"
  for i in "${!a[@]}"; do r+=("$(ratio_of "${a[$i]}" "${b[$i]}" "${3:-2}")"); done
  echo "${r[*]}"
}

# paired_ratio "a1 a2 ..." "b1 b2 ..."  ->  the median of a_i/b_i (each taken to four decimals), two decimals
paired_ratio() {
  local -a r; read -r -a r <<<"$(round_ratios "$1" "$2" 4)"
  printf '%.2f\n' "$(median_of "${r[@]}")"
}

# cpu_ticks pid  ->  user + system CPU time of a process so far, in clock ticks (/proc/<pid>/stat; the fields are
# counted after the command name, which may itself contain spaces)
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }

# cpu_us_per_request ticks ticks_per_second requests  ->  microseconds of CPU per request, two decimals
cpu_us_per_request() { awk -v t="$1" -v hz="$2" -v n="$3" 'BEGIN { printf "%.2f\n", (n > 0 ? t * 1e6 / hz / n : 0) }'; }

# per_request_profile samples_per_second requests < `perf report -n --no-children --sort sym --stdio -g none`
#   ->  "microseconds<TAB>symbol" for each symbol: its samples turned into CPU time per request served
per_request_profile() {
  awk -v hz="$1" -v n="$2" '
    $1 ~ /%$/ && $2 ~ /^[0-9]+$/ && n > 0 {
      samples = $2; $1 = ""; $2 = ""; $3 = ""
      sub(/^ +/, "")
      printf "%.3f\t%s\n", samples * 1e6 / hz / n, $0
    }'
}

# profile_diff a_table b_table rows  ->  "difference<TAB>a<TAB>b<TAB>symbol" (microseconds per request, a minus b),
# the largest differences first; a symbol missing on one side counts as 0 there
profile_diff() {
  awk -F '\t' '
    FNR == NR { a[$2] = $1; next }
    { b[$2] = $1 }
    END {
      for (s in a) printf "%+.3f\t%.3f\t%.3f\t%s\n", a[s] - b[s], a[s], b[s], s
      for (s in b) if (!(s in a)) printf "%+.3f\t%.3f\t%.3f\t%s\n", -b[s], 0, b[s], s
    }' "$1" "$2" | sort -t $'\t' -k1,1 -g -r | head -n "$3"
}

# stop_servers: the EXIT trap of both scripts. Stops every process in PIDS and removes RUN_DIR, so that no server
# outlives a run that failed or was interrupted.
stop_servers() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$RUN_DIR"
}

# wait_ready name port pid log: returns once the server answers POST /echo with 200; exits the script, showing the
# server's log, when it dies first or has not answered within 60 s.
wait_ready() {
  for _ in $(seq 1 120); do
    kill -0 "$3" 2>/dev/null || { echo "$1 exited during start:" >&2; cat "$4" >&2; exit 1; }
    if [[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST --data x "http://127.0.0.1:$2/echo")" == 200 ]]; then return 0; fi
    sleep 0.5
  done
  echo "$1 did not answer on port $2 within 60 s" >&2; cat "$4" >&2; exit 1
}

# ensure_wrk  ->  installs Debian's wrk when it is missing. On a fresh machine the package lists are empty, so they
# are fetched first; as root or with password-less sudo.
ensure_wrk() {
  command -v wrk >/dev/null && return 0
  echo "installing wrk (Debian package)" >&2
  local sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo -n)
  if ! DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends wrk >/dev/null 2>&1; then
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends wrk >/dev/null
  fi
  command -v wrk >/dev/null || { echo "wrk is missing and could not be installed (Debian package wrk)" >&2; return 69; }
}
