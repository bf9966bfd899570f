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

# A unique bucket name per run, so reruns against a kept data directory don't collide.
unique_repo() { echo "$1$(date +%s)$RANDOM"; }
