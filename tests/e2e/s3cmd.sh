#!/usr/bin/env bash
# End-to-end checks with s3cmd (path style through host_bucket without %(bucket)s, SigV4).
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
. "$here/lib.sh"
E2E_SUITE=s3cmd
e2e_begin
if ! require_client "s3cmd is installed" installed s3cmd; then e2e_end; exit 1; fi
E2E_SUITE="s3cmd($(s3cmd --version 2>&1 | cut -d' ' -f3))"
hostport=${S3_ENDPOINT#http://}
cat >"$E2E_TMP/s3cfg" <<CFG
[default]
access_key = ${E2E_ACCESS_KEY:-e2ekey}
secret_key = ${E2E_ACCESS_KEY:-e2ekey}
host_base = $hostport
host_bucket = $hostport
use_https = False
bucket_location = us-east-1
signature_v2 = False
CFG
s3c() { s3cmd -c "$E2E_TMP/s3cfg" "$@"; }
repo=$(unique_repo s3cmd); bucket="master.$repo"
head -c 777777 /dev/urandom >"$E2E_TMP/obj.bin"
echo "text body" >"$E2E_TMP/note.txt"

# get_identical: get the object, then byte-compare.
get_identical() { s3c get "s3://$bucket/dir/obj.bin" "$E2E_TMP/got.bin" && cmp "$E2E_TMP/obj.bin" "$E2E_TMP/got.bin"; }

check "mb" s3c mb "s3://$bucket"
check_output "ls shows the bucket" " s3://$(rx "$bucket")\$" s3c ls
check "put" s3c put "$E2E_TMP/obj.bin" "s3://$bucket/dir/obj.bin"
check "put text" s3c put "$E2E_TMP/note.txt" "s3://$bucket/note.txt"
check_output "ls bucket" "DIR +s3://$(rx "$bucket")/dir/\$" s3c ls "s3://$bucket/"
check_output "ls recursive" " 777777 +s3://$(rx "$bucket")/dir/obj\.bin\$" s3c ls -r "s3://$bucket/"
check "get is identical" get_identical
check_output "info (File size: 10)" "File size: +10\$" s3c info "s3://$bucket/note.txt"
check_fails "get of a missing key fails" "does not exist" s3c get "s3://$bucket/missing" "$E2E_TMP/missing"
check "del" s3c del "s3://$bucket/note.txt"
check "del recursive" s3c del -r --force "s3://$bucket/"
check "rb" s3c rb "s3://$bucket"
e2e_end
