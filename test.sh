#!/usr/bin/env bash
# Installs what the test suite needs (idempotent, quiet when all is present),
# builds the solution in Release and runs every test project.
# Usage: ./test.sh [--filter EXPR] [--no-build] [extra dotnet test args...]
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

# ---- 1. prerequisites -------------------------------------------------------
# Debian packages the tests use. Add to this list when a test needs a new tool;
# each entry is "package[:command-that-proves-it-is-there]".
apt_packages=(
  "chromium:chromium"   # dashboard browser tests (driven by Microsoft.Playwright; never `playwright install`)
  "yamllint:yamllint"   # deploy/ YAML lint (tests/EndToEnd/DeploymentFilesTests)
  "python3-yaml"        # parses the deploy/ manifests for the shutdown-budget checks
  "shellcheck:shellcheck"  # deploy/ and bench/ scripts (tests/EndToEnd/DeploymentFilesTests)
  "postgresql:/usr/lib/postgresql/15/bin/initdb"  # cluster tests start their own server (initdb + pg_ctl, unprivileged)
)

missing=()
for entry in "${apt_packages[@]}"; do
  pkg=${entry%%:*}
  probe=${entry#*:}
  if [[ "$probe" != "$entry" ]] && command -v "$probe" >/dev/null 2>&1; then continue; fi
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "test.sh: installing missing packages: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK is required (see global.json); install it and re-run." >&2
  exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# ---- 2. build ---------------------------------------------------------------
build=1
args=()
for a in "$@"; do
  if [[ "$a" == "--no-build" ]]; then build=0; else args+=("$a"); fi
done
if ((build)); then
  dotnet build ActorHost.sln -c Release -nologo -clp:"ErrorsOnly;Summary" -v:quiet
fi

# Playwright drives the machine's Chromium through its Node driver, whose node binary ships inside the
# Microsoft.Playwright package (copied to the test output). Where that binary cannot run here, point the
# driver at the machine's node instead. Nothing is downloaded either way.
export ACTORHOST_CHROMIUM=${ACTORHOST_CHROMIUM:-/usr/bin/chromium}
pw_node="$root/tests/Dashboard.Tests/bin/Release/net10.0/.playwright/node/linux-x64/node"
if [[ -z "${PLAYWRIGHT_NODEJS_PATH:-}" ]] && ! "$pw_node" --version >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then
  PLAYWRIGHT_NODEJS_PATH=$(command -v node)
  export PLAYWRIGHT_NODEJS_PATH
fi

# ---- 3. test ----------------------------------------------------------------
results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
status=0
run_tests() {
  dotnet test "$1" -c Release --no-build -nologo \
    --logger "trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" "${@:2}" "${args[@]}" || status=$?
}
# Every project but the browser tests, in parallel; then the browser tests on their own. Their bounds
# ("the page showed the restart within 2 s") are about the dashboard, and two cores shared with three other
# test runs and their child processes once made a page take six times as long.
run_tests ActorHost.sln -p:ActorHostBrowserTests=apart
run_tests tests/Dashboard.Tests

# ---- 4. one closing line over every project ---------------------------------
passed=0 failed=0 skipped=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  skipped=$((skipped + ${t:-0} - ${e:-0}))
done
echo "tests: $passed passed, $failed failed, $skipped skipped"
if ((status == 0 && failed == 0 && passed == 0)); then
  echo "test.sh: no test ran" >&2
  exit 1
fi
exit $(( status != 0 || failed != 0 ))
