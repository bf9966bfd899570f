#!/usr/bin/env bash
# Tiny check harness for the end-to-end scripts: each check prints one PASS/FAIL line and the
# script ends with "E2E-RESULT <suite> passed=N failed=M", which tests/run-all.sh adds up.
#
# A check passes only when its command exits 0 and, for the checks about output (check_output, check_equals,
# check_output_lacks), when its standard output is as expected too; check_fails passes only when the command fails
# with the expected text. A command that cannot run (not installed, no gateway listening) therefore fails every kind
# of check. Each check is bounded in time: after E2E_CHECK_TIMEOUT seconds (default 300) the command's whole process
# group is killed and the check fails. A check's command may be a program or a shell function.
set -u
set -o pipefail
E2E_PASSED=0
E2E_FAILED=0
E2E_SUITE=${E2E_SUITE:-e2e}
E2E_CHECK_TIMEOUT=${E2E_CHECK_TIMEOUT:-300}
E2E_TMP=""
_e2e_job=""      # process group of the check that is running
_e2e_watchdog="" # and of its timer
_e2e_check=""    # and its name

_e2e_started=""  # $EPOCHREALTIME when the check that is running (or ran last) started

# _e2e_took: the seconds since the last check started, e.g. "2.4 s" (shown on its PASS/FAIL line).
_e2e_took() {
  local now=${EPOCHREALTIME/./} start=${_e2e_started/./}
  [ -n "$start" ] || { echo "? s"; return; }
  local ms=$(((now - start) / 1000))
  printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100))
}

_e2e_pass() { E2E_PASSED=$((E2E_PASSED + 1)); echo "PASS [$E2E_SUITE] $1 [$(_e2e_took)]"; }

# _e2e_fail NAME REASON: counts a failure and shows the tail of the command's stdout and stderr.
_e2e_fail() {
  E2E_FAILED=$((E2E_FAILED + 1)); echo "FAIL [$E2E_SUITE] $1 ($2) [$(_e2e_took)]"
  local f
  for f in "$E2E_TMP/out" "$E2E_TMP/err"; do
    [ -s "$f" ] && { echo "    | ${f##*/}:"; tail -n 20 "$f" | sed 's/^/    | /'; }
  done
  return 0
}

# _e2e_run NAME COMMAND...: runs COMMAND with its stdout in $E2E_TMP/out and stderr in $E2E_TMP/err, in a process
# group of its own that is killed after E2E_CHECK_TIMEOUT seconds; sets E2E_RC (124 on timeout). A client that
# crashes with a segmentation fault (Debian's AWS CLI v2 does, now and then, inside its TLS code) says nothing about
# the gateway: the check runs once more, and the crash is noted in its output; a second crash fails it.
_e2e_run() {
  _e2e_started=$EPOCHREALTIME
  _e2e_run_once "$@"
  if [ "$E2E_RC" -eq 139 ] || grep -q 'Segmentation fault' "$E2E_TMP/err" 2>/dev/null; then
    echo "[e2e] $1: the client crashed (segmentation fault); running the check once more" >&2
    _e2e_run_once "$@"
  fi
}

_e2e_run_once() {
  _e2e_check=$1; shift
  rm -f "$E2E_TMP/out" "$E2E_TMP/err" "$E2E_TMP"/timed-out.*
  set -m # background jobs get their own process group, so a timeout can end every process the command started
  ( "$@" ) 0<&0 >"$E2E_TMP/out" 2>"$E2E_TMP/err" &
  _e2e_job=$!
  ( sleep "$E2E_CHECK_TIMEOUT"; kill -0 -- "-$_e2e_job" || exit 0; : >"$E2E_TMP/timed-out.$_e2e_job"
    kill -TERM -- "-$_e2e_job"; sleep 10; kill -KILL -- "-$_e2e_job" ) </dev/null >/dev/null 2>&1 &
  _e2e_watchdog=$!
  set +m
  wait "$_e2e_job" 2>/dev/null; E2E_RC=$? # (2>/dev/null: no "Killed" notice from bash; the FAIL line says it)
  # SIGKILL: a subshell that has just been forked can lose a TERM (it still has this shell's trap until it resets it).
  kill -KILL -- "-$_e2e_watchdog" 2>/dev/null || kill -KILL "$_e2e_watchdog" 2>/dev/null
  wait "$_e2e_watchdog" 2>/dev/null
  if [ -e "$E2E_TMP/timed-out.$_e2e_job" ]; then
    E2E_RC=124; echo "timed out after ${E2E_CHECK_TIMEOUT}s (E2E_CHECK_TIMEOUT)" >>"$E2E_TMP/err"
  fi
  _e2e_job="" _e2e_watchdog=""
  return 0
}

# check NAME COMMAND...: passes when COMMAND exits 0. For a check about what a command prints, use check_output.
check() {
  local name=$1; shift
  _e2e_run "$name" "$@"
  if [ "$E2E_RC" -eq 0 ]; then _e2e_pass "$name"; else _e2e_fail "$name" "exit status $E2E_RC"; fi
}

# check_output NAME EXTENDED_REGEX COMMAND...: passes when COMMAND exits 0 and a line of its stdout matches the regex
# (grep -E; quote literal text with rx).
check_output() {
  local name=$1 regex=$2; shift 2
  _e2e_run "$name" "$@"
  if [ "$E2E_RC" -ne 0 ]; then _e2e_fail "$name" "exit status $E2E_RC"
  elif grep -Eq -- "$regex" "$E2E_TMP/out"; then _e2e_pass "$name"
  else _e2e_fail "$name" "exit status 0, but no line of stdout matches /$regex/"; fi
}

# check_output_lacks NAME EXTENDED_REGEX COMMAND...: passes when COMMAND exits 0 and no line of its stdout matches.
check_output_lacks() {
  local name=$1 regex=$2; shift 2
  _e2e_run "$name" "$@"
  if [ "$E2E_RC" -ne 0 ]; then _e2e_fail "$name" "exit status $E2E_RC"
  elif grep -Eq -- "$regex" "$E2E_TMP/out"; then _e2e_fail "$name" "exit status 0, but stdout matches /$regex/"
  else _e2e_pass "$name"; fi
}

# check_equals NAME EXPECTED COMMAND...: passes when COMMAND exits 0 and its stdout, without trailing newlines, is
# exactly EXPECTED ("" = prints nothing).
check_equals() {
  local name=$1 expected=$2 got; shift 2
  _e2e_run "$name" "$@"
  got=$(cat "$E2E_TMP/out")
  if [ "$E2E_RC" -ne 0 ]; then _e2e_fail "$name" "exit status $E2E_RC"
  elif [ "$got" = "$expected" ]; then _e2e_pass "$name"
  else _e2e_fail "$name" "exit status 0, but stdout is not '$expected'"; fi
}

# check_fails NAME EXPECTED_TEXT COMMAND...: passes when COMMAND fails (not by timing out) and its stdout or stderr
# contains EXPECTED_TEXT (grep basic regex).
check_fails() {
  local name=$1 expected=$2; shift 2
  _e2e_run "$name" "$@"
  if [ "$E2E_RC" -eq 0 ]; then _e2e_fail "$name" "succeeded, expected failure with '$expected'"
  elif [ "$E2E_RC" -eq 124 ]; then _e2e_fail "$name" "timed out"
  elif cat "$E2E_TMP/out" "$E2E_TMP/err" | grep -q -- "$expected"; then _e2e_pass "$name"
  else _e2e_fail "$name" "exit status $E2E_RC, but the output lacks '$expected'"; fi
}

# require_client NAME COMMAND...: check NAME that a client the suite needs is there (COMMAND exits 0, e.g.
# "command -v rclone"). A missing client is a counted failure, never a skip; returns 1 then, so the caller can
# leave out the checks that need it.
require_client() {
  check "$@"
  [ "$E2E_RC" -eq 0 ]
}

# installed PROGRAM: prints where PROGRAM is; fails with a message when it is not found (on PATH, or as a path).
installed() {
  command -v "$1" || { echo "$1: not found (PATH=$PATH)" >&2; return 1; }
}

# rx TEXT: TEXT quoted for a grep -E regex.
rx() { printf '%s' "$1" | sed 's/[][\.*^$+?(){}|]/\\&/g'; }

# same_file A B: byte-identical.
same_file() { cmp -s "$1" "$2"; }

# A suite stopped from outside (tests/run-all.sh's timeout, ^C) stops its running check as well.
_e2e_abort() {
  [ -n "$_e2e_watchdog" ] && { kill -KILL -- "-$_e2e_watchdog"; wait "$_e2e_watchdog"; } 2>/dev/null
  if [ -n "$_e2e_job" ] && kill -TERM -- "-$_e2e_job" 2>/dev/null; then
    sleep 1; kill -KILL -- "-$_e2e_job" 2>/dev/null
  fi
  echo "ABORTED [$E2E_SUITE] stopped by a signal${_e2e_job:+ during check: $_e2e_check}; passed=$E2E_PASSED failed=$E2E_FAILED so far"
  [ -n "$E2E_TMP" ] && rm -rf "$E2E_TMP"
  exit 143
}

e2e_begin() {
  E2E_TMP=$(mktemp -d)
  # Checks run in background process groups: one reading a terminal would stop. A heredoc given to check still works.
  if [ -t 0 ]; then exec </dev/null; fi
  trap _e2e_abort TERM INT HUP
  : "${S3_ENDPOINT:?S3_ENDPOINT must be set, e.g. http://127.0.0.1:30600}"
}

# e2e_end: the result line; exit status 1 when a check failed.
e2e_end() {
  echo "E2E-RESULT $E2E_SUITE passed=$E2E_PASSED failed=$E2E_FAILED"
  rm -rf "$E2E_TMP"
  trap - TERM INT HUP
  [ "$E2E_FAILED" -eq 0 ]
}

# e2e_aws_clis: the AWS CLIs the suites must exercise, one per line: always /usr/bin/aws (Debian's AWS CLI v2; a
# failure when missing), then the aws found on PATH when that is a different program (here the pip AWS CLI v1).
e2e_aws_clis() {
  echo /usr/bin/aws
  local on_path
  on_path=$(command -v aws 2>/dev/null) || return 0
  [ "$(readlink -f "$on_path")" = "$(readlink -f /usr/bin/aws)" ] || echo "$on_path"
}

# aws_cli_begin NAME [S3_SETTING...]: e2e_begin for an AWS CLI suite. Resolves $AWS_BIN (default: aws on PATH),
# names the suite after the CLI's version, and writes a private config: region us-east-1, path-style addressing
# and the given s3 settings (e.g. "multipart_threshold = 64MB"). Call the CLI through s3() below. A CLI that is
# missing or does not run is a counted failure, and the suite ends there.
aws_cli_begin() {
  local name=$1 wanted=${AWS_BIN:-aws} version; shift
  E2E_SUITE=$name
  e2e_begin
  if ! require_client "AWS CLI '$wanted' is installed" installed "$wanted" ||
     ! AWS_BIN=$(command -v "$wanted") ||
     ! require_client "AWS CLI '$wanted' runs (--version)" "$AWS_BIN" --version; then
    e2e_end; exit 1
  fi
  version=$("$AWS_BIN" --version 2>&1 | cut -d' ' -f1)
  echo "$name: $AWS_BIN is $version"
  export AWS_ACCESS_KEY_ID=${E2E_ACCESS_KEY:-e2ekey} AWS_SECRET_ACCESS_KEY=${E2E_ACCESS_KEY:-e2ekey}
  export AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE="$E2E_TMP/config" AWS_SHARED_CREDENTIALS_FILE="$E2E_TMP/credentials"
  {
    printf '[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n'
    local setting
    for setting in "$@"; do printf '    %s\n' "$setting"; done
  } >"$AWS_CONFIG_FILE"
  E2E_SUITE="$name($version)"
}

# s3 ARGS...: the AWS CLI chosen by aws_cli_begin, against $S3_ENDPOINT.
s3() { "$AWS_BIN" --endpoint-url "$S3_ENDPOINT" "$@"; }

# A unique bucket name per run, so reruns against a kept data directory don't collide.
unique_repo() { echo "$1$(date +%s)$RANDOM"; }
