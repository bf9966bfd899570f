#!/usr/bin/env bash
# The whole test suite: builds the solution, runs every xunit project, starts the gateway on the
# embedded LocalPachd and drives it with the real S3 clients (AWS CLI v1 and v2, boto3, rclone, s3cmd, curl).
# Installs the client tools it needs when they are missing (Debian: apt-get, as root).
# Ends with one line "N passed, M failed"; exits non-zero when anything failed.
#
# Nothing is skipped silently: a client the suites expect but cannot find is a counted failure with a message
# (each e2e suite checks for its clients itself), and so are a test project or suite that exits non-zero, does not
# finish, or runs out of time.
#   Expected clients: the AWS CLI v2 at /usr/bin/aws (Debian's awscli; always required), the aws on PATH when it is a
#   different program than /usr/bin/aws (here the pip AWS CLI v1; where PATH's aws is /usr/bin/aws itself, its suite
#   would only repeat the v2 run, so it runs once), rclone, s3cmd, curl, openssl (test certificate), python3 with boto3;
#   and shellcheck, with which Gateway.Deployment.Tests lints the repository's shell scripts.
#   The rule is e2e_aws_clis in tests/e2e/lib.sh; tests/e2e/integrity.sh uses it too.
#   Time limits: TEST_PROJECT_TIMEOUT seconds per xunit project (default 1500), E2E_SUITE_TIMEOUT per e2e suite
#   (default 600), E2E_CHECK_TIMEOUT per e2e check (default 300, see tests/e2e/lib.sh).
#   E2E_MODES: which gateway modes the e2e suites run against (default "standalone functions").
#   Logs go to TEST_LOG_DIR (created when missing; default a new temporary directory).
set -u
root=$(cd "$(dirname "$0")/.." && pwd) || exit 1
cd "$root" || exit 1
log_dir=${TEST_LOG_DIR:-$(mktemp -d)}
if ! mkdir -p "$log_dir"; then echo "cannot create TEST_LOG_DIR $log_dir"; echo "0 passed, 1 failed"; exit 1; fi
log_dir=$(cd "$log_dir" && pwd)
project_timeout=${TEST_PROJECT_TIMEOUT:-1500}
suite_timeout=${E2E_SUITE_TIMEOUT:-600}
export E2E_CHECK_TIMEOUT=${E2E_CHECK_TIMEOUT:-300}
passed=0
failed=0
started=$SECONDS
note() { printf '\n=== %s\n' "$*"; }
failure() { failed=$((failed + 1)); echo "FAILED: $*"; } # one counted failure, with its reason

# ---- client tools ---------------------------------------------------------------------------
need_apt=()
command -v rclone >/dev/null 2>&1 || need_apt+=(rclone)
command -v s3cmd >/dev/null 2>&1 || need_apt+=(s3cmd)
[ -x /usr/bin/aws ] || need_apt+=(awscli)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
python3 -c 'import boto3' >/dev/null 2>&1 || need_apt+=(python3-boto3)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
command -v shellcheck >/dev/null 2>&1 || need_apt+=(shellcheck) # Gateway.Deployment.Tests lints every shell script
if [ ${#need_apt[@]} -gt 0 ]; then
  note "installing client tools: ${need_apt[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null \
    || echo "warning: could not install ${need_apt[*]}; the checks needing them will fail"
fi

# ---- build ----------------------------------------------------------------------------------
note "build"
if ! timeout -k 30 1800 dotnet build Gateway.sln -c Release -nologo -clp:ErrorsOnly >"$log_dir/build.log" 2>&1; then
  cat "$log_dir/build.log"
  echo "build failed (or took more than 30 min)"
  echo "0 passed, 1 failed"
  exit 1
fi

# ---- xunit projects -------------------------------------------------------------------------
# run_xunit NAME PROJECT [dotnet test arguments...]: runs one test project within TEST_PROJECT_TIMEOUT and adds up its
# summary line; a run without one, a timeout, or a non-zero exit with 0 failed is a counted failure.
run_xunit() {
  local name=$1 proj=$2 out rc line f p t0=$SECONDS; shift 2
  note "dotnet test $name"
  out="$log_dir/$name.log"
  timeout -k 30 "$project_timeout" dotnet test "$proj" -c Release --no-build -nologo "$@" >"$out" 2>&1
  rc=$?
  echo "($name: exit status $rc, $((SECONDS - t0)) s)"
  line=$(grep -E '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+' "$out" | tail -n 1)
  f=0
  if [ -n "$line" ]; then
    f=$(sed -E 's/.*Failed: +([0-9]+),.*/\1/' <<<"$line")
    p=$(sed -E 's/.*Passed: +([0-9]+),.*/\1/' <<<"$line")
    passed=$((passed + p)); failed=$((failed + f))
    echo "$line"
    [ "$f" -gt 0 ] && grep -E '^\s+Failed |Error Message|Assert\.' "$out" | head -n 40
  fi
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    failure "$name timed out after ${project_timeout}s (TEST_PROJECT_TIMEOUT)"; tail -n 30 "$out"
  elif [ -z "$line" ]; then
    failure "test run of $name did not complete (exit status $rc)"; tail -n 30 "$out"
  elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    failure "dotnet test $name exited with status $rc although its summary reports 0 failed"; tail -n 30 "$out"
  fi
}

for proj in tests/*.Tests/*.Tests.csproj; do
  run_xunit "$(basename "$proj" .csproj)" "$proj"
done
# The integration tests that drive the gateway as a client ([Trait("Host", "Any")]) once more, with the gateway in
# Functions mode behind the Functions host emulator (GATEWAY_IT_HOST, tests/Gateway.Integration.Tests/Support).
GATEWAY_IT_HOST=functions run_xunit Gateway.Integration.Tests-functions tests/Gateway.Integration.Tests/Gateway.Integration.Tests.csproj --filter "Host=Any"

# ---- the gateway on the embedded LocalPachd, driven by real clients -------------------------
# Four times: standalone (the gateway's own Kestrel) and in Functions mode behind the Functions host emulator
# (tests/Tools/FunctionsHost, docs/FUNCTIONS-HOST.md), each with pachd auth off (any equal key pair) and then on
# (GATEWAY_LOCALPACHD_ROOT_TOKEN; the suites sign with the root token, and two-users.sh adds two robot users). Every
# suite runs in each; suite names end in -auth, -functions or -functions-auth accordingly.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
export E2E_PACHADMIN="$root/tests/Tools/PachAdmin/bin/Release/net10.0/PachAdmin.dll"

# run_suite NAME COMMAND...: runs an e2e suite within E2E_SUITE_TIMEOUT and adds up its E2E-RESULT line. A suite
# without that line (crashed, timed out, interpreter missing) counts its PASS/FAIL lines so far and one failure
# more; a suite that exits non-zero although it reports 0 failed is a failure too.
run_suite() {
  local name=$1 log rc r p f t0=$SECONDS; shift
  log="$log_dir/e2e-$name.log"
  note "e2e $name"
  timeout -k 30 "$suite_timeout" "$@" 2>&1 | tee "$log" | grep -Ev '^PASS '
  rc=${PIPESTATUS[0]}
  echo "(suite $name: exit status $rc, $((SECONDS - t0)) s)"
  r=$(grep -E '^E2E-RESULT ' "$log" | tail -n 1)
  if [ -z "$r" ]; then
    p=$(grep -c '^PASS ' "$log"); f=$(grep -c '^FAIL ' "$log")
    [ "$rc" -eq 127 ] && echo "(exit status 127: $1 not found)"
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
      failure "suite $name timed out after ${suite_timeout}s (E2E_SUITE_TIMEOUT); counted its $p passed, $f failed so far"
    else
      failure "suite $name did not finish (exit status $rc); counted its $p passed, $f failed so far"
    fi
    return
  fi
  p=$(sed -E 's/.*passed=([0-9]+).*/\1/' <<<"$r"); f=$(sed -E 's/.*failed=([0-9]+).*/\1/' <<<"$r")
  passed=$((passed + p)); failed=$((failed + f))
  [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && failure "suite $name exited with status $rc although it reports 0 failed"
}

# e2e_against_gateway MODE SUFFIX [ROOT_TOKEN]: starts the gateway (MODE standalone or functions; http and https,
# embedded LocalPachd on a known port, auth on when a root token is given), runs every suite against it, stops it.
# In functions mode the emulator serves http and https (standing in for Azure's TLS front end) and starts the worker
# with GATEWAY_FUNCTIONS_LOCALPACHD=true (Functions mode refuses the embedded LocalPachd without it) and the host's
# host's body limit at 1 GiB, as infra/azure deploys it (the suites PUT 100 MiB objects in aws-chunked framing, over
# the host's 100 MiB default; the default itself is covered by the integration tests).
e2e_against_gateway() {
  local mode=$1 suffix=$2 token=${3:-} port tls_port pachd_port data gw cli ai_port ai=
  if ! port=$(free_port) || ! tls_port=$(free_port) || ! pachd_port=$(free_port); then failure "no free port found (python3 missing?)"; return; fi
  data=$(mktemp -d)
  if ! bash tests/e2e/make-test-cert.sh "$data/tls" >"$log_dir/make-test-cert$suffix.log" 2>&1; then
    failure "could not make the test certificate (openssl):"; cat "$log_dir/make-test-cert$suffix.log"
  fi
  note "starting the gateway ($mode)${token:+ with pachd auth on} on 127.0.0.1:$port and https :$tls_port (embedded LocalPachd :$pachd_port in $data)"
  if [ "$mode" = functions ]; then
    # Functions mode exports its telemetry to Azure Monitor; a stand-in ingestion endpoint records it for telemetry.py.
    if ! ai_port=$(free_port); then failure "no free port found (python3 missing?)"; return; fi
    python3 tests/e2e/fake_azure_monitor.py "$ai_port" "$data/azure-monitor.jsonl" >"$log_dir/azure-monitor$suffix.log" 2>&1 &
    ai=$!
    export E2E_AZURE_MONITOR_OUT="$data/azure-monitor.jsonl"; unset E2E_METRICS_URL
    APPLICATIONINSIGHTS_CONNECTION_STRING="InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:$ai_port/;LiveEndpoint=http://127.0.0.1:$ai_port/" \
      GATEWAY_DATA_DIR="$data/pachd" GATEWAY_LOCALPACHD_PORT=$pachd_port GATEWAY_LOCALPACHD_ROOT_TOKEN=$token GATEWAY_FUNCTIONS_LOCALPACHD=true \
      FUNCTIONS_REQUEST_BODY_SIZE_LIMIT=1073741824 \
      dotnet tests/Tools/FunctionsHost/bin/Release/net10.0/FunctionsHost.dll --app functions/Gateway.Functions/bin/Release/net10.0 \
      --port "$port" --tls-port "$tls_port" --tls-cert "$data/tls/cert.pem" --tls-key "$data/tls/key.pem" >"$log_dir/gateway$suffix.log" 2>&1 &
  else
    export E2E_METRICS_URL="http://127.0.0.1:$port/~/metrics"; unset E2E_AZURE_MONITOR_OUT
    GATEWAY_PORT=$port GATEWAY_DATA_DIR="$data/pachd" GATEWAY_LOCALPACHD_PORT=$pachd_port GATEWAY_LOCALPACHD_ROOT_TOKEN=$token \
      GATEWAY_TLS_CERT="$data/tls/cert.pem" GATEWAY_TLS_KEY="$data/tls/key.pem" GATEWAY_TLS_PORT=$tls_port \
      dotnet functions/Gateway.Functions/bin/Release/net10.0/Gateway.Functions.dll >"$log_dir/gateway$suffix.log" 2>&1 &
  fi
  gw=$!
  export S3_ENDPOINT="http://127.0.0.1:$port" E2E_PACHD="127.0.0.1:$pachd_port"
  export S3_TLS_ENDPOINT="https://127.0.0.1:$tls_port" S3_CA_BUNDLE="$data/tls/cert.pem"
  if [ -n "$token" ]; then export E2E_ACCESS_KEY=$token; else unset E2E_ACCESS_KEY; fi
  for _ in $(seq 1 120); do
    listening "$port" && break
    kill -0 $gw 2>/dev/null || break
    sleep 0.5
  done
  if ! listening "$port"; then
    failure "gateway$suffix did not start:"; tail -n 40 "$log_dir/gateway$suffix.log"
  else
    # /usr/bin/aws always (a missing one fails in the suite); the aws on PATH too when it is another program.
    mapfile -t aws_clis < <(bash -c '. tests/e2e/lib.sh && e2e_aws_clis')
    run_suite "awscli-debian$suffix" env AWS_BIN=/usr/bin/aws bash tests/e2e/awscli.sh
    for cli in "${aws_clis[@]}"; do
      [ "$cli" = /usr/bin/aws ] || run_suite "awscli-path$suffix" env AWS_BIN="$cli" bash tests/e2e/awscli.sh
    done
    run_suite "boto3$suffix" python3 tests/e2e/boto3_e2e.py
    run_suite "boto3-metadata$suffix" python3 tests/e2e/boto3_metadata.py
    run_suite "boto3-versions$suffix" python3 tests/e2e/boto3_versions.py
    run_suite "versions$suffix" env AWS_BIN=/usr/bin/aws bash tests/e2e/versions.sh
    run_suite "rclone$suffix" bash tests/e2e/rclone.sh
    run_suite "s3cmd$suffix" bash tests/e2e/s3cmd.sh
    run_suite "multipart$suffix" bash tests/e2e/multipart.sh
    run_suite "sync-odd-keys$suffix" env AWS_BIN=/usr/bin/aws bash tests/e2e/sync-odd-keys.sh
    run_suite "integrity$suffix" bash tests/e2e/integrity.sh
    [ -n "$token" ] && run_suite "two-users$suffix" env AWS_BIN=/usr/bin/aws bash tests/e2e/two-users.sh
    # Last: its counts must not mix with another suite's requests, and Functions mode's first metric export is due.
    run_suite "telemetry$suffix" python3 tests/e2e/telemetry.py
  fi
  kill $gw 2>/dev/null; wait $gw 2>/dev/null
  [ -n "$ai" ] && { kill "$ai" 2>/dev/null; wait "$ai" 2>/dev/null; }
  rm -rf "$data"
}

# The modes run side by side (each its own gateway, ports and data; the suites mostly wait on client start-up and
# round trips, so two at once take little longer than one). Each mode writes its output and its "passed failed" to
# files, shown and added up once all have finished.
e2e_mode() {
  passed=0 failed=0
  case $1 in
    standalone) e2e_against_gateway standalone "" ; e2e_against_gateway standalone "-auth" "e2e-root-$(date +%s)$RANDOM" ;;
    functions) e2e_against_gateway functions "-functions" ; e2e_against_gateway functions "-functions-auth" "e2e-root-$(date +%s)$RANDOM" ;;
    *) failure "unknown mode '$1' in E2E_MODES (standalone, functions)" ;;
  esac
  echo "$passed $failed" >"$log_dir/e2e-mode-$1.count"
}
e2e_modes=${E2E_MODES:-standalone functions}
for mode in $e2e_modes; do
  rm -f "$log_dir/e2e-mode-$mode.count"
  (e2e_mode "$mode") >"$log_dir/e2e-mode-$mode.out" 2>&1 &
done
wait
for mode in $e2e_modes; do
  note "e2e mode $mode"
  cat "$log_dir/e2e-mode-$mode.out"
  if read -r p f <"$log_dir/e2e-mode-$mode.count" 2>/dev/null; then
    passed=$((passed + p)); failed=$((failed + f))
  else
    failure "e2e mode $mode did not finish"
  fi
done

echo
echo "logs: $log_dir"
echo "time: $((SECONDS - started)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
