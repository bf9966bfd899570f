#!/usr/bin/env bash
# The whole test suite: builds the solution, runs every xunit project, starts the gateway on the
# embedded LocalPachd and drives it with the real S3 clients (AWS CLI v1 and v2, boto3, rclone, s3cmd).
# Installs the client tools it needs when they are missing (Debian: apt-get, as root).
# Ends with one line "N passed, M failed"; exits non-zero when anything failed.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
log_dir=${TEST_LOG_DIR:-$(mktemp -d)}
passed=0
failed=0
note() { printf '\n=== %s\n' "$*"; }

# ---- client tools ---------------------------------------------------------------------------
need_apt=()
command -v rclone >/dev/null 2>&1 || need_apt+=(rclone)
command -v s3cmd >/dev/null 2>&1 || need_apt+=(s3cmd)
[ -x /usr/bin/aws ] || need_apt+=(awscli)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
python3 -c 'import boto3' >/dev/null 2>&1 || need_apt+=(python3-boto3)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
if [ ${#need_apt[@]} -gt 0 ]; then
  note "installing client tools: ${need_apt[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null \
    || echo "warning: could not install ${need_apt[*]}; suites needing them will fail"
fi

# ---- build ----------------------------------------------------------------------------------
note "build"
if ! dotnet build Gateway.sln -c Release -nologo -clp:ErrorsOnly >"$log_dir/build.log" 2>&1; then
  cat "$log_dir/build.log"
  echo "0 passed, 1 failed"
  exit 1
fi

# ---- xunit projects -------------------------------------------------------------------------
for proj in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$proj" .csproj)
  note "dotnet test $name"
  out="$log_dir/$name.log"
  timeout 1500 dotnet test "$proj" -c Release --no-build -nologo >"$out" 2>&1
  line=$(grep -E '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+' "$out" | tail -n 1)
  if [ -n "$line" ]; then
    f=$(sed -E 's/.*Failed: +([0-9]+),.*/\1/' <<<"$line")
    p=$(sed -E 's/.*Passed: +([0-9]+),.*/\1/' <<<"$line")
    passed=$((passed + p)); failed=$((failed + f))
    echo "$line"
    [ "$f" -gt 0 ] && grep -E '^\s+Failed |Error Message|Assert\.' "$out" | head -n 40
  else
    failed=$((failed + 1))
    echo "test run of $name did not complete:"; tail -n 30 "$out"
  fi
done

# ---- the gateway on the embedded LocalPachd, driven by real clients -------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
tls_port=$(free_port)
data=$(mktemp -d)
bash tests/e2e/make-test-cert.sh "$data/tls" >/dev/null
note "starting the gateway on 127.0.0.1:$port and https :$tls_port (embedded LocalPachd in $data)"
GATEWAY_PORT=$port GATEWAY_DATA_DIR="$data/pachd" \
  GATEWAY_TLS_CERT="$data/tls/cert.pem" GATEWAY_TLS_KEY="$data/tls/key.pem" GATEWAY_TLS_PORT=$tls_port \
  dotnet functions/Gateway.Functions/bin/Release/net10.0/Gateway.Functions.dll >"$log_dir/gateway.log" 2>&1 &
gw=$!
export S3_ENDPOINT="http://127.0.0.1:$port"
export S3_TLS_ENDPOINT="https://127.0.0.1:$tls_port" S3_CA_BUNDLE="$data/tls/cert.pem"
for _ in $(seq 1 120); do
  curl -s -o /dev/null "$S3_ENDPOINT/" && break
  kill -0 $gw 2>/dev/null || break
  sleep 0.5
done
if ! curl -s -o /dev/null "$S3_ENDPOINT/"; then
  echo "gateway did not start:"; tail -n 40 "$log_dir/gateway.log"
  failed=$((failed + 1))
else
  run_suite() { # name command...
    local name=$1; shift
    note "e2e $name"
    "$@" 2>&1 | tee "$log_dir/e2e-$name.log" | grep -Ev '^PASS '
    local r; r=$(grep -E '^E2E-RESULT ' "$log_dir/e2e-$name.log" | tail -n 1)
    if [ -z "$r" ]; then failed=$((failed + 1)); echo "suite $name did not finish"; return; fi
    passed=$((passed + $(sed -E 's/.*passed=([0-9]+).*/\1/' <<<"$r")))
    failed=$((failed + $(sed -E 's/.*failed=([0-9]+).*/\1/' <<<"$r")))
  }
  if command -v aws >/dev/null 2>&1 && [ "$(command -v aws)" != /usr/bin/aws ]; then
    run_suite awscli-path env AWS_BIN="$(command -v aws)" bash tests/e2e/awscli.sh
  fi
  [ -x /usr/bin/aws ] && run_suite awscli-debian env AWS_BIN=/usr/bin/aws bash tests/e2e/awscli.sh
  run_suite boto3 python3 tests/e2e/boto3_e2e.py
  run_suite rclone bash tests/e2e/rclone.sh
  run_suite s3cmd bash tests/e2e/s3cmd.sh
  run_suite multipart bash tests/e2e/multipart.sh
  run_suite integrity bash tests/e2e/integrity.sh
fi
kill $gw 2>/dev/null; wait $gw 2>/dev/null
rm -rf "$data"

echo
echo "logs: $log_dir"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
