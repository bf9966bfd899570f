#!/usr/bin/env bash
# End-to-end checks with the AWS CLI (path-style, auth off: any equal key pair).
# Usage: S3_ENDPOINT=http://127.0.0.1:30600 AWS_BIN=aws tests/e2e/awscli.sh
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
# Single PUTs up to 64 MiB here; tests/e2e/multipart.sh covers the CLI's default multipart settings.
aws_cli_begin awscli "multipart_threshold = 64MB"

repo=$(unique_repo awscli)
bucket="master.$repo"
src="$E2E_TMP/src"; mkdir -p "$src/sub/deeper"
head -c 1 /dev/urandom >"$src/one-byte.bin"
: >"$src/empty.txt"
head -c $((3 * 1024 * 1024 + 17)) /dev/urandom >"$src/sub/three-mib.bin"
echo "hello pachyderm" >"$src/sub/deeper/hello.txt"
head -c $((20 * 1024 * 1024)) /dev/urandom >"$E2E_TMP/twenty-mib.bin"

check "mb creates the bucket" s3 s3 mb "s3://$bucket"
check "ls lists the bucket" bash -c "'$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3 ls | grep -q ' $bucket\$'"
check_fails "mb again is BucketAlreadyOwnedByYou" "BucketAlreadyOwnedByYou" s3 s3api create-bucket --bucket "$bucket"
check "head-bucket" s3 s3api head-bucket --bucket "$bucket"
check "get-bucket-location" s3 s3api get-bucket-location --bucket "$bucket"
check "get-bucket-versioning is Enabled" bash -c "'$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3api get-bucket-versioning --bucket '$bucket' | grep -q Enabled"
check "cp small file up" s3 s3 cp "$src/sub/deeper/hello.txt" "s3://$bucket/hello.txt"
check "cp 20 MiB file up" s3 s3 cp "$E2E_TMP/twenty-mib.bin" "s3://$bucket/big/twenty-mib.bin"
check "cp 20 MiB file down is identical" bash -c "'$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3 cp 's3://$bucket/big/twenty-mib.bin' '$E2E_TMP/down.bin' && cmp '$E2E_TMP/twenty-mib.bin' '$E2E_TMP/down.bin'"
check "cp to stdout" bash -c "'$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3 cp 's3://$bucket/hello.txt' - | grep -q 'hello pachyderm'"
check "sync up" s3 s3 sync "$src" "s3://$bucket/synced/"
check "ls recursive shows synced keys" bash -c "'$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3 ls --recursive 's3://$bucket/synced/' | grep -q 'synced/sub/deeper/hello.txt'"
check "ls with delimiter shows PRE" bash -c "'$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3 ls 's3://$bucket/synced/' | grep -q 'PRE sub/'"
check "sync down is identical" bash -c "'$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3 sync 's3://$bucket/synced/' '$E2E_TMP/back' && diff -r '$src' '$E2E_TMP/back'"
check "sync again uploads nothing" bash -c "test -z \"\$('$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3 sync '$src' 's3://$bucket/synced/')\""
check "head-object has ETag and version" bash -c "'$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3api head-object --bucket '$bucket' --key hello.txt | grep -q VersionId"
check "get-object with range" bash -c "'$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3api get-object --bucket '$bucket' --key hello.txt --range bytes=6-14 '$E2E_TMP/range.out' >/dev/null && test \"\$(cat '$E2E_TMP/range.out')\" = pachyderm"
check "list-objects-v2 paginates" bash -c "test \"\$('$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3api list-objects-v2 --bucket '$bucket' --prefix synced/ --page-size 1 --query 'length(Contents)')\" = 4"
check "list-objects (v1)" bash -c "'$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3api list-objects --bucket '$bucket' --prefix synced/sub/ | grep -q three-mib.bin"
check_fails "head-object of a missing key is 404" "404" s3 s3api head-object --bucket "$bucket" --key no/such/key
check_fails "get-object of a missing key is NoSuchKey" "NoSuchKey" s3 s3api get-object --bucket "$bucket" --key no/such/key "$E2E_TMP/x"
check_fails "ls of a missing bucket is NoSuchBucket" "NoSuchBucket" s3 s3 ls "s3://master.nosuchrepo$RANDOM/"
check_fails "rb of a non-empty bucket is BucketNotEmpty" "BucketNotEmpty" s3 s3 rb "s3://$bucket"
check "delete-objects" bash -c "'$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3api delete-objects --bucket '$bucket' --delete 'Objects=[{Key=synced/empty.txt},{Key=synced/one-byte.bin}]' | grep -q synced/one-byte.bin"
check "rm one object" s3 s3 rm "s3://$bucket/hello.txt"
check "rm is idempotent" s3 s3api delete-object --bucket "$bucket" --key hello.txt
check "rm recursive" s3 s3 rm --recursive "s3://$bucket/"
check "bucket is empty after rm" bash -c "test -z \"\$('$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3 ls --recursive 's3://$bucket/')\""
check "rb removes the empty bucket" s3 s3 rb "s3://$bucket"
check "bucket gone from ls" bash -c "! '$AWS_BIN' --endpoint-url '$S3_ENDPOINT' s3 ls | grep -q ' $bucket\$'"
e2e_end
