#!/usr/bin/env bash
# Helm post-renderer: reads Helm's rendering of the Pachyderm chart on standard input and writes it back with the S3
# gateway added, through kustomize. Arguments: the kustomize Components to apply, in order (directories, relative to
# the working directory); none means infra/kubernetes/sidecar alone. For example, with TLS and your own settings:
#   helm upgrade --install pachyderm pachyderm/pachyderm -f values.yaml \
#     --post-renderer s3-gateway \
#     --post-renderer-args infra/kubernetes/sidecar \
#     --post-renderer-args infra/kubernetes/components/tls \
#     --post-renderer-args my-site/s3-gateway
# (Helm 4 takes the name of this directory's plugin, installed with `helm plugin install infra/kubernetes/helm`;
# Helm 3 takes this script's path instead.) Needs kubectl (or $KUBECTL) for its kustomize. The chart's output, which
# holds Secrets, is only written to a private temporary directory that is removed on exit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kubectl=${KUBECTL:-kubectl}
components=("$@")
[ ${#components[@]} -eq 0 ] && components=("$here/../sidecar")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"
cat >"$work/chart.yaml"
# The chart puts its objects in the release namespace; the gateway's ConfigMap and Service go there too (kustomize
# rewrites the ConfigMap's hashed name only within one namespace).
namespace=$(sed -n 's/^  namespace: *"\{0,1\}\([a-z0-9-]*\)"\{0,1\} *$/\1/p' "$work/chart.yaml" | head -n 1)
{
  echo "apiVersion: kustomize.config.k8s.io/v1beta1"
  echo "kind: Kustomization"
  [ -n "$namespace" ] && echo "namespace: $namespace"
  echo "resources:"
  echo "  - chart.yaml"
  echo "components:"
  for c in "${components[@]}"; do
    [ -f "$c/kustomization.yaml" ] || { echo "post-render.sh: $c is no kustomize directory" >&2; exit 1; }
    # kustomize takes components by relative path only.
    echo "  - $(realpath --relative-to="$work" "$c")"
  done
} >"$work/kustomization.yaml"
"$kubectl" kustomize "$work"
