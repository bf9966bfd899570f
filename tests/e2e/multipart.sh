#!/usr/bin/env bash
# End-to-end checks of multipart uploads and server-side copies with real clients: the AWS CLI with its
# default multipart settings (a 200 MiB file up and down, bucket-to-bucket copy, which is UploadPartCopy
# for large objects), boto3 upload_file with a small multipart threshold, rclone with a 5 MiB upload cutoff.
# Usage: S3_ENDPOINT=http://127.0.0.1:30600 [AWS_BIN=aws] tests/e2e/multipart.sh
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
# No multipart_threshold: the CLI's default (8 MiB) makes every large transfer multipart.
aws_cli_begin multipart

since() { python3 -c 'import sys, time; print(round(time.time() - float(sys.argv[1]), 1))' "$1"; }

repo_a=$(unique_repo mpa); a="master.$repo_a"
repo_b=$(unique_repo mpb); b="master.$repo_b"
head -c $((200 * 1024 * 1024)) /dev/urandom >"$E2E_TMP/200mib.bin"
head -c $((100 * 1024 * 1024)) /dev/urandom >"$E2E_TMP/100mib.bin"
head -c $((23 * 1024 * 1024 + 5)) /dev/urandom >"$E2E_TMP/boto.bin"

check "mb bucket a" s3 s3 mb "s3://$a"
check "mb bucket b" s3 s3 mb "s3://$b"

start=$(date +%s.%N)
check "aws s3 cp 200 MiB up (multipart)" s3 s3 cp "$E2E_TMP/200mib.bin" "s3://$a/big/200mib.bin"
echo "    200 MiB aws s3 cp up took $(since "$start") s"
check "multipart ETag (ends in -1) and size" bash -c "'$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3api head-object --bucket '$a' --key big/200mib.bin | grep -q '\"ContentLength\": 209715200'"
check "aws s3 cp 200 MiB down is identical" bash -c "'$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3 cp 's3://$a/big/200mib.bin' '$E2E_TMP/200mib.down' && cmp '$E2E_TMP/200mib.bin' '$E2E_TMP/200mib.down'"
check "no uploads left in progress" bash -c "test -z \"\$('$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3api list-multipart-uploads --bucket '$a' --query 'Uploads[].UploadId' --output text | grep -v None)\""

start=$(date +%s.%N)
check "aws s3 cp bucket to bucket (server-side copy)" s3 s3 cp "s3://$a/big/200mib.bin" "s3://$b/copied/y.bin"
echo "    200 MiB server-side copy took $(since "$start") s"
check "copied object is identical" bash -c "'$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3 cp 's3://$b/copied/y.bin' '$E2E_TMP/copy.down' && cmp '$E2E_TMP/200mib.bin' '$E2E_TMP/copy.down'"
check "copy-object small (CopyObject API)" bash -c "'$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3 cp '$here/lib.sh' 's3://$a/small.txt' >/dev/null && '$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3api copy-object --copy-source '$a/small.txt' --bucket '$b' --key 'x/small.txt' | grep -q CopyObjectResult"
check_fails "copy-object onto itself is InvalidRequest" "InvalidRequest" s3 s3api copy-object --copy-source "$a/small.txt" --bucket "$a" --key small.txt

check "create/abort via s3api leaves nothing" bash -c "
  id=\$('$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3api create-multipart-upload --bucket '$a' --key 'dir/aborted.bin' --query UploadId --output text) &&
  '$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3api upload-part --bucket '$a' --key 'dir/aborted.bin' --upload-id \"\$id\" --part-number 1 --body '$here/lib.sh' >/dev/null &&
  '$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3api list-multipart-uploads --bucket '$a' --prefix dir/ | grep -q \"\$id\" &&
  '$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3api abort-multipart-upload --bucket '$a' --key 'dir/aborted.bin' --upload-id \"\$id\" &&
  ! '$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3api list-parts --bucket '$a' --key 'dir/aborted.bin' --upload-id \"\$id\" 2>&1 | grep -q PartNumber"

check "boto3 upload_file multipart (5 MiB threshold) and download identical" python3 - "$S3_ENDPOINT" "$a" "$E2E_TMP/boto.bin" "$E2E_TMP/boto.down" <<'PY'
import filecmp, sys
import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
endpoint, bucket, src, dst = sys.argv[1:5]
s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="e2ekey", aws_secret_access_key="e2ekey",
                  region_name="us-east-1", config=Config(s3={"addressing_style": "path"}))
cfg = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024, max_concurrency=4)
s3.upload_file(src, bucket, "boto/multi.bin", Config=cfg)
head = s3.head_object(Bucket=bucket, Key="boto/multi.bin")
assert head["ContentLength"] == 23 * 1024 * 1024 + 5, head
s3.download_file(bucket, "boto/multi.bin", dst, Config=cfg)
assert filecmp.cmp(src, dst, shallow=False)
assert not s3.list_multipart_uploads(Bucket=bucket).get("Uploads")
PY

# rclone: env config as in rclone.sh; a 5 MiB upload cutoff forces multipart for the 100 MiB file.
unset AWS_CA_BUNDLE
export RCLONE_CONFIG_PACH_TYPE=s3 RCLONE_CONFIG_PACH_PROVIDER=Other RCLONE_CONFIG_PACH_ENDPOINT="$S3_ENDPOINT"
export RCLONE_CONFIG_PACH_ACCESS_KEY_ID=e2ekey RCLONE_CONFIG_PACH_SECRET_ACCESS_KEY=e2ekey
export RCLONE_CONFIG_PACH_FORCE_PATH_STYLE=true RCLONE_CONFIG_PACH_REGION=us-east-1
export RCLONE_S3_UPLOAD_CUTOFF=5M RCLONE_S3_CHUNK_SIZE=5M
export RCLONE_CONFIG="$E2E_TMP/rclone.conf"; : >"$RCLONE_CONFIG"
mkdir -p "$E2E_TMP/rc"; mv "$E2E_TMP/100mib.bin" "$E2E_TMP/rc/100mib.bin"
start=$(date +%s.%N)
check "rclone copy 100 MiB (multipart)" rclone copy "$E2E_TMP/rc" "pach:$b/rclone"
echo "    100 MiB rclone copy took $(since "$start") s"
check "rclone check finds no differences" rclone check "$E2E_TMP/rc" "pach:$b/rclone"
check "rclone copy down is identical" bash -c "rclone copy 'pach:$b/rclone' '$E2E_TMP/rc-back' && cmp '$E2E_TMP/rc/100mib.bin' '$E2E_TMP/rc-back/100mib.bin'"
check "rclone server-side copy within the remote" bash -c "rclone copyto 'pach:$b/rclone/100mib.bin' 'pach:$a/rclone-copy.bin' && rclone cat 'pach:$a/rclone-copy.bin' | cmp - '$E2E_TMP/rc/100mib.bin'"
e2e_end
