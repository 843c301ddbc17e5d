#!/usr/bin/env bash
# A quick local try of the gateway cluster: PostgreSQL in a temporary directory and three gateway nodes, all
# on 127.0.0.1, sharing deploy/cluster.conf. Ctrl+C (or any exit) stops the nodes with SIGTERM (they hand
# their shards off and drain), then PostgreSQL, and removes the temporary directory.
#
#   deploy/cluster-local.sh             build (Release) and run
#   ACTORHOST_NO_BUILD=1 deploy/cluster-local.sh   run what is already built
#
# Ports: public 8081-8083, management 8561-8563 (dashboard at /dashboard), internal 9081-9083.
# Needs: the .NET SDK (or a built src/Gateway/bin/Release/net10.0/actorhost), PostgreSQL's server binaries
# (initdb, pg_ctl; from PATH or /usr/lib/postgresql/*/bin), curl. PostgreSQL refuses to run as root, so as
# root the database runs as nobody (setpriv).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
config="$repo/deploy/cluster.conf"
executable="$repo/src/Gateway/bin/Release/net10.0/actorhost"
nodes=(1 2 3)

work="$(mktemp -d -t actorhost-cluster-XXXXXX)"
pgdata="$work/pgdata"
node_pids=()
pg_started=0

say() { printf '\033[1m[cluster-local]\033[0m %s\n' "$*" >&2; }

# Runs a PostgreSQL command as the database's owner (nobody when we are root).
as_db_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
  else
    "$@"
  fi
}

# Runs from the EXIT trap (shellcheck cannot see that call).
# shellcheck disable=SC2317
cleanup() {
  local status=$?
  # A second Ctrl+C (or the group-wide signal some tools send after the first) must not cut the clean-up
  # short and leave PostgreSQL running: ignore them from here; the deadline below bounds the wait.
  trap - EXIT
  trap '' INT TERM
  if ((${#node_pids[@]} > 0)); then
    say "stopping the nodes (SIGTERM: leave, drain, stop)…"
    kill -TERM "${node_pids[@]}" 2>/dev/null || true
    # Each node bounds its own shutdown (leave + drain + grace + mercy + stop-workers, then its watchdog);
    # this deadline only guards against a wedged process.
    local deadline=$((SECONDS + 40)) pid
    for pid in "${node_pids[@]}"; do
      while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
        sleep 0.2
      done
      kill -KILL "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    done
  fi
  if ((pg_started)); then
    say "stopping PostgreSQL…"
    (cd "$work" && as_db_owner "$pg_bin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null 2>&1) || true
  fi
  if [[ -n "${KEEP_LOGS:-}" ]]; then
    say "logs kept in $work"
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

find_pg_bin() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return
  fi
  local dir
  for dir in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
      echo "$dir"
      return
    fi
  done
  say "PostgreSQL server binaries (initdb, pg_ctl) not found: install the 'postgresql' package."
  exit 1
}

# A TCP port on 127.0.0.1 nobody listens on (connecting fails).
free_port() {
  local port
  for port in $(seq "$1" "$(($1 + 200))"); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  say "no free port from $1"
  exit 1
}

require_free() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    say "port $1 is already in use; stop what listens there first."
    exit 1
  fi
}

for i in "${nodes[@]}"; do
  require_free "808$i"
  require_free "856$i"
  require_free "908$i"
done

# ---- PostgreSQL ------------------------------------------------------------------------------------------
pg_bin="$(find_pg_bin)"
pg_port="$(free_port 55432)"
pg_password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
mkdir -p "$pgdata"
printf '%s\n' "$pg_password" >"$work/pgpass"
if [[ "$(id -u)" == 0 ]]; then
  # nobody must reach its directory inside our private temp dir.
  chmod 711 "$work"
  chown 65534:65534 "$pgdata" "$work/pgpass"
fi
say "PostgreSQL ($pg_bin) on 127.0.0.1:$pg_port, data in $pgdata"
(cd "$work" && as_db_owner "$pg_bin/initdb" -D "$pgdata" -U actorhost --pwfile="$work/pgpass" --auth=scram-sha-256 \
  --encoding=UTF8 --no-instructions >"$work/initdb.log" 2>&1) || { cat "$work/initdb.log" >&2; exit 1; }
(cd "$work" && as_db_owner "$pg_bin/pg_ctl" -D "$pgdata" -l "$pgdata/postgres.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$pgdata" start >/dev/null)
pg_started=1
connection_string="Host=127.0.0.1;Port=$pg_port;Username=actorhost;Password=$pg_password;Database=postgres"

# ---- the gateway -----------------------------------------------------------------------------------------
if [[ -z "${ACTORHOST_NO_BUILD:-}" ]]; then
  say "building src/Gateway (Release)…"
  dotnet build "$repo/src/Gateway" -c Release --nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
fi
if [[ ! -x "$executable" ]]; then
  say "$executable is missing: build src/Gateway in Release first."
  exit 1
fi

secret="$(head -c 48 /dev/urandom | base64)"
for i in "${nodes[@]}"; do
  # Only the listeners differ between local nodes (in containers they differ by host instead).
  cat >"$work/node$i.conf" <<CONF
actorhost {
  management.urls = ["http://127.0.0.1:856$i"]
  cluster.internal-urls = ["http://127.0.0.1:908$i"]
  logging.format = simple
}
CONF
  ACTORHOST_NODE_ID="node$i" \
    ACTORHOST_CLUSTER_ADVERTISE_URL="http://127.0.0.1:908$i" \
    ACTORHOST_CLUSTER_CONNECTION_STRING="$connection_string" \
    ACTORHOST_CLUSTER_SECRET="$secret" \
    "$executable" --config "$config" --config "$work/node$i.conf" --urls "http://127.0.0.1:808$i" \
    >"$work/node$i.log" 2>&1 &
  node_pids+=($!)
  say "node$i started (pid $!, log $work/node$i.log)"
done

# Waits for each node to report ready (an up cluster member), or gives up if a node exits.
for i in "${nodes[@]}"; do
  pid="${node_pids[$((i - 1))]}"
  deadline=$((SECONDS + 60))
  until curl -fsS "http://127.0.0.1:856$i/ready" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      say "node$i exited; its log:"
      tail -n 40 "$work/node$i.log" >&2
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      say "node$i is not ready after 60 s; its log:"
      tail -n 40 "$work/node$i.log" >&2
      exit 1
    fi
    sleep 0.5
  done
done

cat <<INFO

  Three nodes are up (logs in $work/node{1,2,3}.log):
    public       http://127.0.0.1:8081  http://127.0.0.1:8082  http://127.0.0.1:8083
    management   http://127.0.0.1:8561  http://127.0.0.1:8562  http://127.0.0.1:8563
    dashboard    http://127.0.0.1:8561/dashboard
    database     $connection_string

  Try it: the same entity, whichever node you ask, is one counter on one node:
    curl -X POST http://127.0.0.1:8081/counter/alice/increment
    curl -X POST http://127.0.0.1:8083/counter/alice/increment
    curl http://127.0.0.1:8561/cluster/members
    curl http://127.0.0.1:8562/cluster/shards

  Ctrl+C stops the nodes (graceful leave) and PostgreSQL, and removes $work.

INFO

# Runs until Ctrl+C, or until a node exits by itself (then everything else is stopped too).
set +e
wait -n "${node_pids[@]}"
status=$?
set -e
say "a node exited (status $status); stopping the rest."
exit "$status"
