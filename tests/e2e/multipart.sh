#!/usr/bin/env bash
# End-to-end checks of multipart uploads and server-side copies with real clients: the AWS CLI with its
# default multipart settings (a 200 MiB file up and down, bucket-to-bucket copy, which is UploadPartCopy
# for large objects), boto3 upload_file with a small multipart threshold, rclone with a 5 MiB upload cutoff.
# Usage: S3_ENDPOINT=http://127.0.0.1:30600 [AWS_BIN=aws] tests/e2e/multipart.sh
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
. "$here/lib.sh"
# No multipart_threshold: the CLI's default (8 MiB) makes every large transfer multipart.
aws_cli_begin multipart

since() { python3 -c 'import sys, time; print(round(time.time() - float(sys.argv[1]), 1))' "$1"; }

repo_a=$(unique_repo mpa); a="master.$repo_a"
repo_b=$(unique_repo mpb); b="master.$repo_b"
head -c $((200 * 1024 * 1024)) /dev/urandom >"$E2E_TMP/200mib.bin"
head -c $((100 * 1024 * 1024)) /dev/urandom >"$E2E_TMP/100mib.bin"
head -c $((23 * 1024 * 1024 + 5)) /dev/urandom >"$E2E_TMP/boto.bin"

# cp_making OPERATION=COUNT... -- CP_ARGS...: aws s3 cp CP_ARGS with --debug; passes when it succeeds and made each
# S3 OPERATION exactly COUNT times (COUNT 0: never), as botocore's debug log shows ("OperationModel(name=...)").
cp_making() {
  local want=() op made ok=0
  while [ "$1" != -- ]; do want+=("$1"); shift; done; shift
  s3 s3 cp "$@" --debug >/dev/null 2>"$E2E_TMP/debug.log" || { tail -n 20 "$E2E_TMP/debug.log"; return 1; }
  grep -o 'OperationModel(name=[A-Za-z]*)' "$E2E_TMP/debug.log" | sed 's/.*name=//; s/)$//' | sort | uniq -c >"$E2E_TMP/ops"
  echo "S3 operations made:"; cat "$E2E_TMP/ops"
  for op in "${want[@]}"; do
    made=$(awk -v name="${op%=*}" '$2 == name { print $1 }' "$E2E_TMP/ops")
    [ "${made:-0}" = "${op#*=}" ] || { echo "expected ${op%=*} x${op#*=}, made x${made:-0}"; ok=1; }
  done
  return $ok
}

# etag_and_size BUCKET KEY SIZE: head-object returns a non-empty quoted ETag, the one list-objects-v2 reports for the
# key, and ContentLength SIZE. (The ETag's form, e.g. an MD5 or an "-N" multipart suffix, is not checked here.)
etag_and_size() {
  local bucket=$1 key=$2 size=$3 head etag length listed
  head=$(s3 s3api head-object --bucket "$bucket" --key "$key" --query '[ETag, ContentLength]' --output text) || return 1
  read -r etag length <<<"$head"
  echo "head-object: ETag=$etag ContentLength=$length"
  [[ $etag =~ ^\"[^\"]+\"$ ]] || { echo "no quoted ETag from head-object"; return 1; }
  [ "$length" = "$size" ] || { echo "ContentLength is not $size"; return 1; }
  listed=$(s3 s3api list-objects-v2 --bucket "$bucket" --prefix "$key" --query "Contents[?Key=='$key'].ETag" --output text) || return 1
  echo "list-objects-v2: ETag=$listed"
  [ "$listed" = "$etag" ] || { echo "list-objects-v2 ETag differs from head-object's"; return 1; }
}

# download_identical S3_URL LOCAL_COPY ORIGINAL: s3 cp down, then byte-compare.
download_identical() { s3 s3 cp "$1" "$2" && cmp "$3" "$2"; }

# copy_object_small: a small object copied with s3api copy-object (the CopyObject API) answers a CopyObjectResult with
# a non-empty ETag, equal to the copy's ETag in head-object, and the copy is byte-identical.
copy_object_small() {
  local etag head
  s3 s3 cp "$here/lib.sh" "s3://$a/small.txt" >/dev/null || return 1
  etag=$(s3 s3api copy-object --copy-source "$a/small.txt" --bucket "$b" --key x/small.txt --query CopyObjectResult.ETag --output text) || return 1
  echo "CopyObjectResult ETag: $etag"
  [[ $etag =~ ^\"[^\"]+\"$ ]] || { echo "no quoted ETag in CopyObjectResult"; return 1; }
  head=$(s3 s3api head-object --bucket "$b" --key x/small.txt --query ETag --output text) || return 1
  [ "$head" = "$etag" ] || { echo "head-object of the copy: ETag $head"; return 1; }
  download_identical "s3://$b/x/small.txt" "$E2E_TMP/small.down" "$here/lib.sh"
}

# create_abort: create-multipart-upload and upload-part, the upload is listed with its part; after
# abort-multipart-upload, list-parts is NoSuchUpload and the upload is no longer listed.
create_abort() {
  local key=dir/aborted.bin id listed parts after
  id=$(s3 s3api create-multipart-upload --bucket "$a" --key "$key" --query UploadId --output text) || return 1
  echo "UploadId: $id"
  case $id in "" | None) echo "no UploadId"; return 1 ;; esac
  s3 s3api upload-part --bucket "$a" --key "$key" --upload-id "$id" --part-number 1 --body "$here/lib.sh" >/dev/null || return 1
  listed=$(s3 s3api list-multipart-uploads --bucket "$a" --prefix dir/ --query 'Uploads[].UploadId' --output text) || return 1
  [ "$listed" = "$id" ] || { echo "list-multipart-uploads: '$listed', expected '$id'"; return 1; }
  parts=$(s3 s3api list-parts --bucket "$a" --key "$key" --upload-id "$id" --query 'Parts[].PartNumber' --output text) || return 1
  [ "$parts" = 1 ] || { echo "list-parts before abort: '$parts', expected '1'"; return 1; }
  s3 s3api abort-multipart-upload --bucket "$a" --key "$key" --upload-id "$id" || return 1
  if after=$(s3 s3api list-parts --bucket "$a" --key "$key" --upload-id "$id" 2>&1); then
    echo "list-parts after abort succeeded: $after"; return 1
  fi
  grep -q NoSuchUpload <<<"$after" || { echo "list-parts after abort: $after"; return 1; }
  listed=$(s3 s3api list-multipart-uploads --bucket "$a" --prefix dir/ --query "length(Uploads || \`[]\`)" --output text) || return 1
  [ "$listed" = 0 ] || { echo "list-multipart-uploads after abort: $listed uploads"; return 1; }
}

check "mb bucket a" s3 s3 mb "s3://$a"
check "mb bucket b" s3 s3 mb "s3://$b"

start=$(date +%s.%N)
check "aws s3 cp 200 MiB up (multipart: 25 UploadPart of 8 MiB, no PutObject)" cp_making \
  CreateMultipartUpload=1 UploadPart=25 CompleteMultipartUpload=1 PutObject=0 -- "$E2E_TMP/200mib.bin" "s3://$a/big/200mib.bin"
echo "    200 MiB aws s3 cp up took $(since "$start") s"
check "multipart object has an ETag (same in head-object and list-objects-v2) and size 209715200" etag_and_size "$a" big/200mib.bin 209715200
check "aws s3 cp 200 MiB down is identical" download_identical "s3://$a/big/200mib.bin" "$E2E_TMP/200mib.down" "$E2E_TMP/200mib.bin"
check_equals "no uploads left in progress" 0 s3 s3api list-multipart-uploads --bucket "$a" --query "length(Uploads || \`[]\`)" --output text

start=$(date +%s.%N)
check "aws s3 cp bucket to bucket (server-side copy: 25 UploadPartCopy, no GetObject/UploadPart)" cp_making \
  CreateMultipartUpload=1 UploadPartCopy=25 CompleteMultipartUpload=1 GetObject=0 UploadPart=0 PutObject=0 -- "s3://$a/big/200mib.bin" "s3://$b/copied/y.bin"
echo "    200 MiB server-side copy took $(since "$start") s"
check "copied object is identical" download_identical "s3://$b/copied/y.bin" "$E2E_TMP/copy.down" "$E2E_TMP/200mib.bin"
check "copy-object small (CopyObject API): CopyObjectResult ETag, identical copy" copy_object_small
check_fails "copy-object onto itself is InvalidRequest" "(InvalidRequest) when calling the CopyObject operation" s3 s3api copy-object --copy-source "$a/small.txt" --bucket "$a" --key small.txt

check "create/abort via s3api leaves nothing" create_abort

if require_client "python3 with boto3 is installed" python3 -c "import boto3"; then
  check "boto3 upload_file multipart (5 MiB threshold, 5 parts) and download identical" python3 - "$S3_ENDPOINT" "$a" "$E2E_TMP/boto.bin" "$E2E_TMP/boto.down" <<'PY'
import filecmp, sys
import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
def expect(ok, message):  # not assert: python -O would drop it
    if not ok:
        raise AssertionError(message)
import os
endpoint, bucket, src, dst = sys.argv[1:5]
key = os.environ.get("E2E_ACCESS_KEY", "e2ekey")
s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=key,
                  region_name="us-east-1", config=Config(s3={"addressing_style": "path"}))
calls = []
for op in ("CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload"):
    s3.meta.events.register(f"before-call.s3.{op}", lambda model, **_: calls.append(model.name))
cfg = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024, max_concurrency=4)
s3.upload_file(src, bucket, "boto/multi.bin", Config=cfg)
expect(sorted(set(calls)) == ["CompleteMultipartUpload", "CreateMultipartUpload", "UploadPart"], calls)
expect(calls.count("UploadPart") == 5, calls)  # 23 MiB + 5 B in 5 MiB parts
head = s3.head_object(Bucket=bucket, Key="boto/multi.bin")
expect(head["ContentLength"] == 23 * 1024 * 1024 + 5, head)
expect(head.get("ETag", "").strip('"'), head)
s3.download_file(bucket, "boto/multi.bin", dst, Config=cfg)
expect(filecmp.cmp(src, dst, shallow=False), "downloaded file differs")
expect(not s3.list_multipart_uploads(Bucket=bucket).get("Uploads"), "uploads left in progress")
print("boto3 multipart: " + ", ".join(f"{op} x{calls.count(op)}" for op in sorted(set(calls))))
PY
fi

# rclone: env config as in rclone.sh; a 5 MiB upload cutoff forces multipart for the 100 MiB file.
unset AWS_CA_BUNDLE
export RCLONE_CONFIG_PACH_TYPE=s3 RCLONE_CONFIG_PACH_PROVIDER=Other RCLONE_CONFIG_PACH_ENDPOINT="$S3_ENDPOINT"
export RCLONE_CONFIG_PACH_ACCESS_KEY_ID=${E2E_ACCESS_KEY:-e2ekey} RCLONE_CONFIG_PACH_SECRET_ACCESS_KEY=${E2E_ACCESS_KEY:-e2ekey}
export RCLONE_CONFIG_PACH_FORCE_PATH_STYLE=true RCLONE_CONFIG_PACH_REGION=us-east-1
export RCLONE_S3_UPLOAD_CUTOFF=5M RCLONE_S3_CHUNK_SIZE=5M
export RCLONE_CONFIG="$E2E_TMP/rclone.conf"; : >"$RCLONE_CONFIG"
mkdir -p "$E2E_TMP/rc"; mv "$E2E_TMP/100mib.bin" "$E2E_TMP/rc/100mib.bin"
# rclone_down_identical: copy the remote directory down, then byte-compare.
rclone_down_identical() { rclone copy "pach:$b/rclone" "$E2E_TMP/rc-back" && cmp "$E2E_TMP/rc/100mib.bin" "$E2E_TMP/rc-back/100mib.bin"; }
# rclone_server_side_copy: copyto within the remote, then the copy read back with rclone cat is identical.
rclone_server_side_copy() {
  rclone copyto "pach:$b/rclone/100mib.bin" "pach:$a/rclone-copy.bin" &&
    rclone cat "pach:$a/rclone-copy.bin" >"$E2E_TMP/rc-copy.bin" && cmp "$E2E_TMP/rc/100mib.bin" "$E2E_TMP/rc-copy.bin"
}
if require_client "rclone is installed" installed rclone; then
  start=$(date +%s.%N)
  check "rclone copy 100 MiB (multipart)" rclone copy "$E2E_TMP/rc" "pach:$b/rclone"
  echo "    100 MiB rclone copy took $(since "$start") s"
  check "rclone check finds no differences" rclone check "$E2E_TMP/rc" "pach:$b/rclone"
  check "rclone copy down is identical" rclone_down_identical
  check "rclone server-side copy within the remote" rclone_server_side_copy
fi
e2e_end
