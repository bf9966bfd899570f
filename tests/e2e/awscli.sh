#!/usr/bin/env bash
# End-to-end checks with the AWS CLI (path-style, auth off: any equal key pair).
# Usage: S3_ENDPOINT=http://127.0.0.1:30600 AWS_BIN=aws tests/e2e/awscli.sh
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
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

# download_identical S3_URL LOCAL_COPY ORIGINAL: s3 cp down, then byte-compare.
download_identical() { s3 s3 cp "$1" "$2" && cmp "$3" "$2"; }

# sync_down_identical: sync the synced/ prefix to a fresh directory, then compare the trees.
sync_down_identical() { s3 s3 sync "s3://$bucket/synced/" "$E2E_TMP/back" && diff -r "$src" "$E2E_TMP/back"; }

# head_has_etag_and_version: head-object returns a non-empty quoted ETag and a VersionId, and list-objects-v2
# reports the same ETag for the key.
head_has_etag_and_version() {
  local head etag version listed
  head=$(s3 s3api head-object --bucket "$bucket" --key hello.txt --query '[ETag, VersionId]' --output text) || return 1
  read -r etag version <<<"$head"
  echo "head-object: ETag=$etag VersionId=$version"
  [[ $etag =~ ^\"[^\"]+\"$ ]] || { echo "no quoted ETag from head-object"; return 1; }
  case $version in "" | None) echo "no VersionId from head-object"; return 1 ;; esac
  listed=$(s3 s3api list-objects-v2 --bucket "$bucket" --prefix hello.txt --query "Contents[?Key=='hello.txt'].ETag" --output text) || return 1
  echo "list-objects-v2: ETag=$listed"
  [ "$listed" = "$etag" ] || { echo "list-objects-v2 ETag differs from head-object's"; return 1; }
}

# get_range: bytes 6-14 of "hello pachyderm\n" are "pachyderm".
get_range() {
  s3 s3api get-object --bucket "$bucket" --key hello.txt --range bytes=6-14 "$E2E_TMP/range.out" >/dev/null &&
    [ "$(cat "$E2E_TMP/range.out")" = pachyderm ]
}

# ls_recursive_keys: the keys s3 ls --recursive lists under synced/, sorted, on one line.
ls_recursive_keys() {
  s3 s3 ls --recursive "s3://$bucket/synced/" >"$E2E_TMP/ls.out" && awk '{ print $4 }' "$E2E_TMP/ls.out" | sort | tr '\n' ' '
}

# paginates: --page-size 1 over the 4 synced keys gives 4 pages of 1 key (text output applies the query per page) and
# 4 keys in all (json output applies it to the merged result).
paginates() {
  local per_page total
  per_page=$(s3 s3api list-objects-v2 --bucket "$bucket" --prefix synced/ --page-size 1 --query 'length(Contents)' --output text) || return 1
  total=$(s3 s3api list-objects-v2 --bucket "$bucket" --prefix synced/ --page-size 1 --query 'length(Contents)' --output json) || return 1
  per_page=$(tr '\n' ' ' <<<"$per_page")
  echo "keys per page: $per_page; in all: $total"
  [ "$per_page" = "1 1 1 1 " ] && [ "$total" = 4 ]
}

check "mb creates the bucket" s3 s3 mb "s3://$bucket"
check_output "ls lists the bucket" " $(rx "$bucket")\$" s3 s3 ls
check "create-bucket again succeeds (S3 in us-east-1 answers 200)" s3 s3api create-bucket --bucket "$bucket"
check "head-bucket" s3 s3api head-bucket --bucket "$bucket"
check "get-bucket-location" s3 s3api get-bucket-location --bucket "$bucket"
check_equals "get-bucket-versioning is Enabled" Enabled s3 s3api get-bucket-versioning --bucket "$bucket" --query Status --output text
check "cp small file up" s3 s3 cp "$src/sub/deeper/hello.txt" "s3://$bucket/hello.txt"
check "cp 20 MiB file up" s3 s3 cp "$E2E_TMP/twenty-mib.bin" "s3://$bucket/big/twenty-mib.bin"
check "cp 20 MiB file down is identical" download_identical "s3://$bucket/big/twenty-mib.bin" "$E2E_TMP/down.bin" "$E2E_TMP/twenty-mib.bin"
check_equals "cp to stdout" "hello pachyderm" s3 s3 cp "s3://$bucket/hello.txt" -
check "sync up" s3 s3 sync "$src" "s3://$bucket/synced/"
check_equals "ls recursive shows synced keys" "synced/empty.txt synced/one-byte.bin synced/sub/deeper/hello.txt synced/sub/three-mib.bin " ls_recursive_keys
check_output "ls with delimiter shows PRE" '^ +PRE sub/$' s3 s3 ls "s3://$bucket/synced/"
check "sync down is identical" sync_down_identical
check_equals "sync again uploads nothing" "" s3 s3 sync "$src" "s3://$bucket/synced/"
check "head-object has ETag and version (same ETag in list-objects-v2)" head_has_etag_and_version
check "get-object with range" get_range
check "list-objects-v2 paginates (4 pages of 1 key)" paginates
check_output "list-objects (v1)" '(^|\s)synced/sub/three-mib\.bin(\s|$)' s3 s3api list-objects --bucket "$bucket" --prefix synced/sub/ --query 'Contents[].Key' --output text
check_fails "head-object of a missing key is 404" "(404) when calling the HeadObject operation" s3 s3api head-object --bucket "$bucket" --key no/such/key
check_fails "get-object of a missing key is NoSuchKey" "(NoSuchKey) when calling the GetObject operation" s3 s3api get-object --bucket "$bucket" --key no/such/key "$E2E_TMP/x"
check_fails "ls of a missing bucket is NoSuchBucket" "(NoSuchBucket) when calling the ListObjects" s3 s3 ls "s3://master.nosuchrepo$RANDOM/"
check_fails "rb of a non-empty bucket is BucketNotEmpty" "(BucketNotEmpty) when calling the DeleteBucket operation" s3 s3 rb "s3://$bucket"
check_equals "delete-objects" "$(printf 'synced/empty.txt\tsynced/one-byte.bin')" s3 s3api delete-objects --bucket "$bucket" --delete 'Objects=[{Key=synced/empty.txt},{Key=synced/one-byte.bin}]' --query 'sort(Deleted[].Key)' --output text
check "rm one object" s3 s3 rm "s3://$bucket/hello.txt"
check "rm is idempotent" s3 s3api delete-object --bucket "$bucket" --key hello.txt
check "rm recursive" s3 s3 rm --recursive "s3://$bucket/"
check_equals "bucket is empty after rm" 0 s3 s3api list-objects-v2 --bucket "$bucket" --query "length(Contents || \`[]\`)" --output text
check "rb removes the empty bucket" s3 s3 rb "s3://$bucket"
check_output_lacks "bucket gone from ls" " $(rx "$bucket")\$" s3 s3 ls
e2e_end
