#!/usr/bin/env bash
# Functions mode against standalone, in one run on this machine: cold start (process start to the first successful S3
# response: CreateBucket, sent as soon as the port answers) and single-stream throughput of a PUT and a GET of one
# object with curl (SigV4 unsigned payload via --aws-sigv4; auth off, so any equal key pair signs). Each target runs
# on its own embedded LocalPachd in a fresh directory. Prints a Markdown table with the Functions/standalone ratio.
#
# Usage: tests/Benchmarks/functions-host-bench.sh [--runs N] [--mib M]   (after dotnet build -c Release Gateway.sln)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=3 mib=256
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --mib) mib=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--mib M]" >&2; exit 2 ;;
  esac
done
app="$root/functions/Gateway.Functions/bin/Release/net10.0"
emulator="$root/tests/Tools/FunctionsHost/bin/Release/net10.0/FunctionsHost.dll"
for f in "$app/Gateway.Functions.dll" "$emulator"; do
  [ -f "$f" ] || { echo "missing $f: run dotnet build -c Release Gateway.sln first" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
head -c $((mib * 1024 * 1024)) /dev/urandom >"$work/object.bin"
sigv4=(--aws-sigv4 "aws:amz:us-east-1:s3" --user "bench:bench" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD")
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { python3 -c 'import time; print(time.monotonic())'; }

# start MODE PORT DIR: starts the gateway (standalone) or the emulator serving it (functions) in the background.
start() {
  local mode=$1 port=$2 dir=$3
  if [ "$mode" = functions ]; then
    GATEWAY_DATA_DIR="$dir" GATEWAY_FUNCTIONS_LOCALPACHD=true FUNCTIONS_REQUEST_BODY_SIZE_LIMIT=$((2 * mib * 1024 * 1024)) \
      dotnet "$emulator" --app "$app" --port "$port" >"$dir.log" 2>&1 &
  else
    GATEWAY_PORT=$port GATEWAY_DATA_DIR="$dir" dotnet "$app/Gateway.Functions.dll" >"$dir.log" 2>&1 &
  fi
}

# cold MODE: seconds from process start to the first successful CreateBucket.
cold() {
  local mode=$1 port dir t0 t1 pid
  port=$(free_port); dir="$work/cold-$mode-$RANDOM"
  t0=$(now)
  start "$mode" "$port" "$dir"; pid=$!
  until curl -sf -o /dev/null -X PUT "${sigv4[@]}" "http://127.0.0.1:$port/coldb"; do sleep 0.02; done
  t1=$(now)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  python3 -c "print(f'{$t1 - $t0:.2f}')"
  # The emulator also logs when the worker process it started gave its first response.
  [ "$mode" = functions ] && sed -nE "s/.*first function response \([0-9]+\) ([0-9]+) ms after the worker's start.*/\1/p" "$dir.log" >>"$work/worker-ms"
  return 0
}

# transfer MODE: "PUT GET" in MiB/s, best of the runs, on one running gateway.
transfer() {
  local mode=$1 port dir pid put=0 get=0 r
  port=$(free_port); dir="$work/xfer-$mode"
  start "$mode" "$port" "$dir"; pid=$!
  until curl -sf -o /dev/null -X PUT "${sigv4[@]}" "http://127.0.0.1:$port/bench"; do sleep 0.05; done
  for _ in $(seq 1 "$runs"); do
    r=$(curl -sf -o /dev/null -w '%{speed_upload}' -T "$work/object.bin" "${sigv4[@]}" "http://127.0.0.1:$port/bench/object.bin")
    put=$(python3 -c "print(max($put, $r / 1048576))")
    r=$(curl -sf -o "$work/back.bin" -w '%{speed_download}' "${sigv4[@]}" "http://127.0.0.1:$port/bench/object.bin")
    get=$(python3 -c "print(max($get, $r / 1048576))")
    cmp -s "$work/object.bin" "$work/back.bin" || { echo "$mode: GET returned other bytes" >&2; exit 1; }
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$put $get"
}

median() { python3 -c "import statistics,sys; print(f'{statistics.median(float(x) for x in sys.argv[1:]):.2f}')" "$@"; }
declare -A coldstart
for mode in standalone functions; do
  samples=()
  for _ in $(seq 1 "$runs"); do samples+=("$(cold "$mode")"); done
  coldstart[$mode]=$(median "${samples[@]}")
done
read -r s_put s_get < <(transfer standalone)
read -r f_put f_get < <(transfer functions)

echo "# Functions host emulator against standalone ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, ${mib} MiB object, best of $runs transfers, median of $runs cold starts)"
echo
echo "| measurement | standalone | Functions mode (emulator) | Functions / standalone |"
echo "|---|---|---|---|"
# The worker's own start-up median, as one more argument, only when the emulator logged it.
worker=()
if [ -s "$work/worker-ms" ]; then
  mapfile -t worker_ms <"$work/worker-ms"
  worker=("$(median "${worker_ms[@]}")")
fi
python3 - "${coldstart[standalone]}" "${coldstart[functions]}" "$s_put" "$f_put" "$s_get" "$f_get" "${worker[@]}" <<'EOF'
import sys
cs, cf, sp, fp, sg, fg = map(float, sys.argv[1:7])
print(f"| process start to first S3 response | {cs:.2f} s | {cf:.2f} s (host and worker) | {cf / cs:.2f}x |")
if len(sys.argv) > 7:
    print(f"| worker process start to first S3 response | | {float(sys.argv[7]) / 1000:.2f} s | |")
print(f"| single-stream PUT (curl) | {sp:.0f} MiB/s | {fp:.0f} MiB/s | {fp / sp:.2f}x |")
print(f"| single-stream GET (curl) | {sg:.0f} MiB/s | {fg:.0f} MiB/s | {fg / sg:.2f}x |")
EOF
