#!/usr/bin/env bash
# Tiny check harness for the end-to-end scripts: each check prints one PASS/FAIL line and the
# script ends with "E2E-RESULT <suite> passed=N failed=M", which tests/run-all.sh adds up.
set -u
E2E_PASSED=0
E2E_FAILED=0
E2E_SUITE=${E2E_SUITE:-e2e}

# check NAME COMMAND...: passes when COMMAND exits 0; its output is kept in $E2E_LOG.
check() {
  local name=$1; shift
  if "$@" >"$E2E_TMP/out" 2>&1; then
    E2E_PASSED=$((E2E_PASSED + 1)); echo "PASS [$E2E_SUITE] $name"
  else
    E2E_FAILED=$((E2E_FAILED + 1)); echo "FAIL [$E2E_SUITE] $name"; sed 's/^/    | /' "$E2E_TMP/out" | tail -n 20
  fi
}

# check_fails NAME EXPECTED_TEXT COMMAND...: passes when COMMAND fails and its output contains EXPECTED_TEXT.
check_fails() {
  local name=$1 expected=$2; shift 2
  if "$@" >"$E2E_TMP/out" 2>&1; then
    E2E_FAILED=$((E2E_FAILED + 1)); echo "FAIL [$E2E_SUITE] $name (succeeded, expected failure with '$expected')"
  elif grep -q -- "$expected" "$E2E_TMP/out"; then
    E2E_PASSED=$((E2E_PASSED + 1)); echo "PASS [$E2E_SUITE] $name"
  else
    E2E_FAILED=$((E2E_FAILED + 1)); echo "FAIL [$E2E_SUITE] $name (output lacks '$expected')"; sed 's/^/    | /' "$E2E_TMP/out" | tail -n 20
  fi
}

# same_file A B: byte-identical.
same_file() { cmp -s "$1" "$2"; }

e2e_begin() {
  E2E_TMP=$(mktemp -d)
  : "${S3_ENDPOINT:?S3_ENDPOINT must be set, e.g. http://127.0.0.1:30600}"
}

e2e_end() {
  echo "E2E-RESULT $E2E_SUITE passed=$E2E_PASSED failed=$E2E_FAILED"
  rm -rf "$E2E_TMP"
}

# aws_cli_begin NAME [S3_SETTING...]: e2e_begin for an AWS CLI suite. Resolves $AWS_BIN (default: aws on PATH),
# names the suite after the CLI's version, and writes a private config: region us-east-1, path-style addressing
# and the given s3 settings (e.g. "multipart_threshold = 64MB"). Call the CLI through s3() below.
aws_cli_begin() {
  local name=$1; shift
  AWS_BIN=$(command -v "${AWS_BIN:-aws}")
  E2E_SUITE="$name($("$AWS_BIN" --version 2>&1 | cut -d' ' -f1))"
  e2e_begin
  export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-e2ekey} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-e2ekey}
  export AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE="$E2E_TMP/config" AWS_SHARED_CREDENTIALS_FILE="$E2E_TMP/credentials"
  {
    printf '[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n'
    local setting
    for setting in "$@"; do printf '    %s\n' "$setting"; done
  } >"$AWS_CONFIG_FILE"
}

# s3 ARGS...: the AWS CLI chosen by aws_cli_begin, against $S3_ENDPOINT.
s3() { "$AWS_BIN" --endpoint-url "$S3_ENDPOINT" "$@"; }

# A unique bucket name per run, so reruns against a kept data directory don't collide.
unique_repo() { echo "$1$(date +%s)$RANDOM"; }
