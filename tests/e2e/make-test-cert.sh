#!/usr/bin/env bash
# Makes a throw-away self-signed certificate for the gateway's https endpoint in tests:
#   tests/e2e/make-test-cert.sh DIR   → DIR/cert.pem (also the CA bundle clients trust) and DIR/key.pem
# SANs: IP:127.0.0.1, DNS:localhost. Valid 2 days. Never commit the output.
set -euo pipefail
dir=${1:?usage: make-test-cert.sh OUTPUT_DIR}
mkdir -p "$dir"
umask 077
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 -days 2 \
  -subj "/CN=localhost" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,digitalSignature,keyCertSign" \
  -addext "extendedKeyUsage=serverAuth" \
  -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
chmod 644 "$dir/cert.pem"
echo "$dir/cert.pem $dir/key.pem"
