#!/usr/bin/env bash
# Lints the image definitions without Docker: every infra/docker/*Dockerfile* (or the files given) with the npm package
# dockerfile-utils (`dockerfile-utils lint`: instructions, flags, arguments and deprecations, BuildKit syntax included).
# Any diagnostic fails, warnings too: the CLI itself exits 0 on warnings, so its output is what counts.
# Before the files, a self-test: a Dockerfile broken on purpose must draw diagnostics, else the linter proves nothing.
# Tool: dockerfile-utils as pinned, with its dependencies, by lint/package-lock.json, installed with `npm ci` into
# $CHECK_TOOLS_DIR/dockerfile-utils (default ~/.cache/s3-gateway-docker-lint) and reused while that lock is unchanged,
# so that a machine which ran it once lints offline. Needs node and npm.
# usage: infra/docker/lint-dockerfiles.sh [DOCKERFILE ...]. Exit status 0 when nothing was reported, 1 otherwise.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tools=${CHECK_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/s3-gateway-docker-lint}
prefix="$tools/dockerfile-utils"
cli="$prefix/node_modules/dockerfile-utils/bin/dockerfile-utils"

if [ ! -f "$cli" ] || ! cmp -s "$here/lint/package-lock.json" "$prefix/package-lock.json"; then
  echo "installing dockerfile-utils (infra/docker/lint/package-lock.json) into $prefix" >&2
  rm -rf "$prefix"
  mkdir -p "$prefix"
  cp "$here/lint/package.json" "$here/lint/package-lock.json" "$prefix/"
  (cd "$prefix" && npm ci --silent --prefer-offline --no-audit --no-fund >/dev/null) \
    || { echo "FAIL npm ci of dockerfile-utils into $prefix"; rm -rf "$prefix"; exit 1; }
fi
echo "linter: $(node "$cli" --version)"

# lint FILE: prints the linter's diagnostics; status 1 when there are any (or the linter failed).
lint() {
  local out
  out=$(node "$cli" lint "$1" 2>&1) || { echo "${out:-dockerfile-utils exited with status $?}"; return 1; }
  [ -z "$out" ] || { echo "$out"; return 1; }
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'FROM scratch\nMAINTAINER nobody\nexpose 80\n' >"$work/broken.Dockerfile"
if lint "$work/broken.Dockerfile" >"$work/self-test.out"; then
  echo "FAIL self-test: a Dockerfile with a deprecated MAINTAINER and a lower-case instruction drew no diagnostic"
  exit 1
fi
echo "self-test: the broken Dockerfile drew $(grep -c '^Line:' "$work/self-test.out") diagnostic(s)"

files=("$@")
[ ${#files[@]} -gt 0 ] || files=("$here"/*Dockerfile*)
status=0
for file in "${files[@]}"; do
  if lint "$file" >"$work/out"; then
    echo "ok ${file#"$root/"}"
  else
    echo "FAIL ${file#"$root/"}:"; sed 's/^/   /' "$work/out"; status=1
  fi
done
[ $status -eq 0 ] && echo "infra/docker: all Dockerfiles lint clean" || echo "infra/docker: Dockerfile lint FAILED"
exit $status
