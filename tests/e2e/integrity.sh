#!/usr/bin/env bash
# Body integrity end to end, over plain http (S3_ENDPOINT) and https (S3_TLS_ENDPOINT, certificate trusted through
# S3_CA_BUNDLE / AWS_CA_BUNDLE): boto3 with default checksums and with when_required (0 B, 1 B, 8 MiB+1, 100 MiB,
# byte-identical, and the framing boto3 chose per scheme), boto3 and AWS CLI presigned URLs used with curl until they
# expire, AWS CLI v1/v2 s3api put-object/get-object over https and s3 cp with default settings over both, s3cmd with
# --signature-v2. A client it needs but cannot find (boto3, curl, /usr/bin/aws, s3cmd) is a counted failure.
# Usage: S3_ENDPOINT=http://127.0.0.1:30600 S3_TLS_ENDPOINT=https://127.0.0.1:30601 S3_CA_BUNDLE=cert.pem tests/e2e/integrity.sh
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
. "$here/lib.sh"
E2E_SUITE="integrity"
e2e_begin
require_client "curl is installed" installed curl
: "${S3_TLS_ENDPOINT:?S3_TLS_ENDPOINT must be set, e.g. https://127.0.0.1:30601}"
export AWS_CA_BUNDLE=${S3_CA_BUNDLE:-${AWS_CA_BUNDLE:?S3_CA_BUNDLE (the test certificate) must be set}}
key=${E2E_ACCESS_KEY:-e2e-integrity}
export AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$key AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE="$E2E_TMP/config" AWS_SHARED_CREDENTIALS_FILE="$E2E_TMP/credentials"
export E2E_TIMINGS="$E2E_TMP/timings"
cat >"$AWS_CONFIG_FILE" <<CFG
[default]
region = us-east-1
s3 =
    addressing_style = path
    multipart_threshold = 200MB
CFG
py() { python3 "$here/boto3_integrity.py" "$@"; }

# ---- files ----------------------------------------------------------------------------------
: >"$E2E_TMP/0B.bin"
head -c 1 /dev/urandom >"$E2E_TMP/1B.bin"
head -c $((8 * 1024 * 1024 + 1)) /dev/urandom >"$E2E_TMP/8MiB+1.bin"
head -c $((100 * 1024 * 1024)) /dev/urandom >"$E2E_TMP/100MiB.bin"

# ---- boto3 put_object/get_object, both schemes, both checksum settings ----------------------
if require_client "python3 with boto3 is installed" python3 -c "import boto3"; then
  for endpoint in "$S3_ENDPOINT" "$S3_TLS_ENDPOINT"; do
    scheme=${endpoint%%:*}
    for mode in when_supported when_required; do
      for f in 0B 1B 8MiB+1 100MiB; do
        check "boto3 $scheme $mode put_object/get_object $f identical" py roundtrip "$endpoint" "$mode" "$E2E_TMP/$f.bin"
      done
    done
    check "boto3 $scheme put_object ChecksumAlgorithm SHA1/SHA256 (+CRC32C/CRC64NVME with awscrt)" py algorithms "$endpoint"
    for sigver in default s3v4; do
      check "boto3 $scheme presigned ($sigver) PUT and GET with curl" py presign "$endpoint" "$sigver"
      check "boto3 $scheme presigned ($sigver) URL expires (AccessDenied)" py presign-expired "$endpoint" "$sigver"
    done
  done
fi

# ---- AWS CLI: /usr/bin/aws (v2), and the aws on PATH when it is another program (v1 here); see e2e_aws_clis -------
# The functions below use $cli (the CLI under test), $endpoint and $bucket as set by the loops.
tls() { "$cli" --endpoint-url "$S3_TLS_ENDPOINT" --ca-bundle "$AWS_CA_BUNDLE" "$@"; }

# tls_get_identical: s3api get-object over https of cli/obj.bin is the 8 MiB+1 file.
tls_get_identical() {
  rm -f "$E2E_TMP/cli-got.bin"
  tls s3api get-object --bucket "$bucket" --key cli/obj.bin "$E2E_TMP/cli-got.bin" >/dev/null && cmp "$E2E_TMP/8MiB+1.bin" "$E2E_TMP/cli-got.bin"
}

# cp_roundtrip FILE: s3 cp up and down against $endpoint with the CLI's default settings, byte-identical.
cp_roundtrip() {
  local key="cp/${endpoint%%:*}/${1/+/plus}"
  export AWS_CONFIG_FILE="$E2E_TMP/config-default"
  rm -f "$E2E_TMP/cp-got"
  "$cli" --endpoint-url "$endpoint" s3 cp "$E2E_TMP/$1.bin" "s3://$bucket/$key" --only-show-errors &&
    "$cli" --endpoint-url "$endpoint" s3 cp "s3://$bucket/$key" "$E2E_TMP/cp-got" --only-show-errors &&
    cmp "$E2E_TMP/$1.bin" "$E2E_TMP/cp-got"
}

# presign_get: s3 presign against $endpoint, then curl GET of the URL is the 8 MiB+1 file.
presign_get() {
  local url
  url=$("$cli" --endpoint-url "$endpoint" s3 presign "s3://$bucket/cli/obj.bin" --expires-in 600) || return 1
  echo "$url"
  rm -f "$E2E_TMP/presigned.bin"
  curl -sSf --cacert "$AWS_CA_BUNDLE" -o "$E2E_TMP/presigned.bin" "$url" && cmp "$E2E_TMP/8MiB+1.bin" "$E2E_TMP/presigned.bin"
}

# presign_expires: a URL presigned --expires-in 1 works until it expires, then is 403 AccessDenied "Request has
# expired" (polled for up to 15 s).
presign_expires() {
  local url code deadline=$((SECONDS + 15))
  url=$("$cli" --endpoint-url "$endpoint" s3 presign "s3://$bucket/cli/obj.bin" --expires-in 1) || return 1
  echo "$url"
  while :; do
    code=$(curl -sS --cacert "$AWS_CA_BUNDLE" -o "$E2E_TMP/expired.xml" -w '%{http_code}' "$url") || return 1
    { [ "$code" != 200 ] || [ $SECONDS -ge $deadline ]; } && break
    sleep 0.2
  done
  echo "HTTP $code"; cat "$E2E_TMP/expired.xml"; echo
  [ "$code" = 403 ] && grep -q '<Code>AccessDenied</Code>' "$E2E_TMP/expired.xml" && grep -q 'Request has expired' "$E2E_TMP/expired.xml"
}

printf '[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n' >"$E2E_TMP/config-default"
mapfile -t clis < <(e2e_aws_clis)
for cli in "${clis[@]}"; do
  if ! require_client "AWS CLI $cli is installed" installed "$cli" ||
     ! require_client "AWS CLI $cli runs (--version)" "$cli" --version; then
    continue
  fi
  v=$("$cli" --version 2>&1 | cut -d' ' -f1)
  repo=$(unique_repo integcli); bucket="master.$repo"
  check "$v https create-bucket" tls s3api create-bucket --bucket "$repo"
  check "$v https s3api put-object 8 MiB+1" tls s3api put-object --bucket "$bucket" --key "cli/obj.bin" --body "$E2E_TMP/8MiB+1.bin"
  check "$v https s3api get-object is identical" tls_get_identical
  check "$v https s3api put-object 0 B" tls s3api put-object --bucket "$bucket" --key "cli/empty" --body "$E2E_TMP/0B.bin"
  # The high-level commands with the CLI's default settings (multipart above 8 MiB), both schemes.
  for endpoint in "$S3_ENDPOINT" "$S3_TLS_ENDPOINT"; do
    scheme=${endpoint%%:*}
    for f in 0B 1B 8MiB+1 100MiB; do
      check "$v $scheme s3 cp (default settings) $f up and down is identical" cp_roundtrip "$f"
    done
  done
  for endpoint in "$S3_ENDPOINT" "$S3_TLS_ENDPOINT"; do
    scheme=${endpoint%%:*}
    check "$v s3 presign ($scheme) → curl GET is identical" presign_get
    check "$v s3 presign ($scheme) --expires-in 1 expires (403 AccessDenied)" presign_expires
  done
done

# ---- s3cmd with Signature V2, http and https ------------------------------------------------
# The functions below use $cfg (the s3cmd config for the scheme), $scheme and $bucket as set by the loop.
s3c() { s3cmd -c "$cfg" --signature-v2 "$@"; }

# s3c_roundtrip FILE KEY: put, then get --force, byte-identical.
s3c_roundtrip() {
  rm -f "$E2E_TMP/v2-got"
  s3c put "$E2E_TMP/$1.bin" "s3://$bucket/$2" && s3c --force get "s3://$bucket/$2" "$E2E_TMP/v2-got" && cmp "$E2E_TMP/$1.bin" "$E2E_TMP/v2-got"
}

# s3c_get_identical: get --force of v2/obj.bin is the 8 MiB+1 file.
s3c_get_identical() {
  rm -f "$E2E_TMP/v2-got.bin"
  s3c --force get "s3://$bucket/v2/obj.bin" "$E2E_TMP/v2-got.bin" && cmp "$E2E_TMP/8MiB+1.bin" "$E2E_TMP/v2-got.bin"
}

# s3c_signurl_get: signurl of v2/obj.bin, then curl GET of the URL is the 8 MiB+1 file.
s3c_signurl_get() {
  local signed
  # signurl always prints http://; the signature does not cover the scheme.
  signed=$(s3c signurl "s3://$bucket/v2/obj.bin" +600) || return 1
  signed="$scheme://${signed#http://}"
  echo "$signed"
  rm -f "$E2E_TMP/v2-signed.bin"
  curl -sSf --cacert "$AWS_CA_BUNDLE" -o "$E2E_TMP/v2-signed.bin" "$signed" && cmp "$E2E_TMP/8MiB+1.bin" "$E2E_TMP/v2-signed.bin"
}

if require_client "s3cmd is installed" installed s3cmd; then
  for endpoint in "$S3_ENDPOINT" "$S3_TLS_ENDPOINT"; do
    scheme=${endpoint%%:*}
    hostport=${endpoint#*://}
    cfg="$E2E_TMP/s3cfg-$scheme"
    cat >"$cfg" <<CFG
[default]
access_key = $key
secret_key = $key
host_base = $hostport
host_bucket = $hostport
use_https = $([ "$scheme" = https ] && echo True || echo False)
ca_certs_file = $AWS_CA_BUNDLE
check_ssl_certificate = True
check_ssl_hostname = True
bucket_location = us-east-1
signature_v2 = True
CFG
    repo=$(unique_repo integv2); bucket="master.$repo"
    check "s3cmd v2 $scheme mb" s3c mb "s3://$repo"
    check "s3cmd v2 $scheme put 8 MiB+1" s3c put "$E2E_TMP/8MiB+1.bin" "s3://$bucket/v2/obj.bin"
    check "s3cmd v2 $scheme get is identical" s3c_get_identical
    check "s3cmd v2 $scheme put 1 B" s3c put "$E2E_TMP/1B.bin" "s3://$bucket/v2/one"
    for f in 0B 100MiB; do
      check "s3cmd v2 $scheme put/get $f is identical" s3c_roundtrip "$f" "v2/$f"
    done
    check "s3cmd v2 $scheme signurl → curl GET" s3c_signurl_get
  done
fi

if [ -s "$E2E_TIMINGS" ]; then sed 's/^/TIMING /' "$E2E_TIMINGS"; fi
e2e_end
