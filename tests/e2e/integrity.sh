#!/usr/bin/env bash
# Body integrity end to end, over plain http (S3_ENDPOINT) and https (S3_TLS_ENDPOINT, certificate trusted through
# S3_CA_BUNDLE / AWS_CA_BUNDLE): boto3 with default checksums and with when_required (0 B, 1 B, 8 MiB+1, 100 MiB,
# byte-identical, and the framing boto3 chose per scheme), boto3 and AWS CLI presigned URLs used with curl until they
# expire, AWS CLI v1/v2 s3api put-object/get-object over https, s3cmd with --signature-v2.
# Usage: S3_ENDPOINT=http://127.0.0.1:30600 S3_TLS_ENDPOINT=https://127.0.0.1:30601 S3_CA_BUNDLE=cert.pem tests/e2e/integrity.sh
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
E2E_SUITE="integrity"
e2e_begin
: "${S3_TLS_ENDPOINT:?S3_TLS_ENDPOINT must be set, e.g. https://127.0.0.1:30601}"
export AWS_CA_BUNDLE=${S3_CA_BUNDLE:-${AWS_CA_BUNDLE:?S3_CA_BUNDLE (the test certificate) must be set}}
export AWS_ACCESS_KEY_ID=e2e-integrity AWS_SECRET_ACCESS_KEY=e2e-integrity AWS_DEFAULT_REGION=us-east-1
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

# ---- AWS CLI (v1 on PATH, v2 at /usr/bin/aws) -----------------------------------------------
clis=()
command -v aws >/dev/null 2>&1 && clis+=("$(command -v aws)")
[ -x /usr/bin/aws ] && [ "$(command -v aws)" != /usr/bin/aws ] && clis+=(/usr/bin/aws)
for cli in "${clis[@]}"; do
  v=$("$cli" --version 2>&1 | cut -d' ' -f1)
  repo=$(unique_repo integcli); bucket="master.$repo"
  tls() { "$cli" --endpoint-url "$S3_TLS_ENDPOINT" --ca-bundle "$AWS_CA_BUNDLE" "$@"; }
  check "$v https create-bucket" tls s3api create-bucket --bucket "$repo"
  check "$v https s3api put-object 8 MiB+1" tls s3api put-object --bucket "$bucket" --key "cli/obj.bin" --body "$E2E_TMP/8MiB+1.bin"
  check "$v https s3api get-object is identical" bash -c "$(declare -f tls); cli='$cli'; tls s3api get-object --bucket '$bucket' --key cli/obj.bin '$E2E_TMP/cli-got.bin' >/dev/null && cmp '$E2E_TMP/8MiB+1.bin' '$E2E_TMP/cli-got.bin'"
  check "$v https s3api put-object 0 B" tls s3api put-object --bucket "$bucket" --key "cli/empty" --body "$E2E_TMP/0B.bin"
  # The high-level commands with the CLI's default settings (multipart above 8 MiB), both schemes.
  printf '[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n' >"$E2E_TMP/config-default"
  for endpoint in "$S3_ENDPOINT" "$S3_TLS_ENDPOINT"; do
    scheme=${endpoint%%:*}
    for f in 0B 1B 8MiB+1 100MiB; do
      check "$v $scheme s3 cp (default settings) $f up and down is identical" bash -c "export AWS_CONFIG_FILE='$E2E_TMP/config-default'; '$cli' --endpoint-url '$endpoint' s3 cp '$E2E_TMP/$f.bin' 's3://$bucket/cp/$scheme/${f/+/plus}' --only-show-errors && '$cli' --endpoint-url '$endpoint' s3 cp 's3://$bucket/cp/$scheme/${f/+/plus}' '$E2E_TMP/cp-got' --only-show-errors && cmp '$E2E_TMP/$f.bin' '$E2E_TMP/cp-got'"
    done
  done
  for endpoint in "$S3_ENDPOINT" "$S3_TLS_ENDPOINT"; do
    scheme=${endpoint%%:*}
    url=$("$cli" --endpoint-url "$endpoint" s3 presign "s3://$bucket/cli/obj.bin" --expires-in 600 2>"$E2E_TMP/presign.err")
    check "$v s3 presign ($scheme) → curl GET is identical" bash -c "curl -sSf --cacert '$AWS_CA_BUNDLE' -o '$E2E_TMP/presigned.bin' '$url' && cmp '$E2E_TMP/8MiB+1.bin' '$E2E_TMP/presigned.bin'"
    short=$("$cli" --endpoint-url "$endpoint" s3 presign "s3://$bucket/cli/obj.bin" --expires-in 1 2>>"$E2E_TMP/presign.err")
    expired_body() { # polls until the URL stops working, prints the last body
      local deadline=$((SECONDS + 15)) code
      while :; do
        code=$(curl -sS --cacert "$AWS_CA_BUNDLE" -o "$E2E_TMP/expired.xml" -w '%{http_code}' "$1")
        [ "$code" != 200 ] || [ $SECONDS -ge $deadline ] && break
        sleep 0.2
      done
      echo "HTTP $code"; cat "$E2E_TMP/expired.xml"
      [ "$code" = 403 ]
    }
    check "$v s3 presign ($scheme) --expires-in 1 expires" bash -c "$(declare -f expired_body); E2E_TMP='$E2E_TMP'; AWS_CA_BUNDLE='$AWS_CA_BUNDLE'; expired_body '$short' | grep -q 'Request has expired'"
  done
done

# ---- s3cmd with Signature V2, http and https ------------------------------------------------
if command -v s3cmd >/dev/null 2>&1; then
  for endpoint in "$S3_ENDPOINT" "$S3_TLS_ENDPOINT"; do
    scheme=${endpoint%%:*}
    hostport=${endpoint#*://}
    cfg="$E2E_TMP/s3cfg-$scheme"
    cat >"$cfg" <<CFG
[default]
access_key = e2e-integrity
secret_key = e2e-integrity
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
    s3c() { s3cmd -c "$cfg" --signature-v2 "$@"; }
    check "s3cmd v2 $scheme mb" s3c mb "s3://$repo"
    check "s3cmd v2 $scheme put 8 MiB+1" s3c put "$E2E_TMP/8MiB+1.bin" "s3://$bucket/v2/obj.bin"
    check "s3cmd v2 $scheme get is identical" bash -c "s3cmd -c '$cfg' --signature-v2 --force get 's3://$bucket/v2/obj.bin' '$E2E_TMP/v2-got.bin' && cmp '$E2E_TMP/8MiB+1.bin' '$E2E_TMP/v2-got.bin'"
    check "s3cmd v2 $scheme put 1 B" s3c put "$E2E_TMP/1B.bin" "s3://$bucket/v2/one"
    for f in 0B 100MiB; do
      check "s3cmd v2 $scheme put/get $f is identical" bash -c "s3cmd -c '$cfg' --signature-v2 put '$E2E_TMP/$f.bin' 's3://$bucket/v2/$f' && s3cmd -c '$cfg' --signature-v2 --force get 's3://$bucket/v2/$f' '$E2E_TMP/v2-$f' && cmp '$E2E_TMP/$f.bin' '$E2E_TMP/v2-$f'"
    done
    # signurl always prints http://; the signature does not cover the scheme.
    signed=$(s3c signurl "s3://$bucket/v2/obj.bin" +600 | sed "s#^http://#$scheme://#")
    check "s3cmd v2 $scheme signurl → curl GET" bash -c "curl -sSf --cacert '$AWS_CA_BUNDLE' -o '$E2E_TMP/v2-signed.bin' '$signed' && cmp '$E2E_TMP/8MiB+1.bin' '$E2E_TMP/v2-signed.bin'"
  done
else
  check "s3cmd is installed" false
fi

[ -s "$E2E_TIMINGS" ] && sed 's/^/TIMING /' "$E2E_TIMINGS"
e2e_end
