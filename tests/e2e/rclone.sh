#!/usr/bin/env bash
# End-to-end checks with rclone (S3 backend, provider Other, path style).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
E2E_SUITE="rclone($(rclone version 2>/dev/null | head -n1 | cut -d' ' -f2))"
e2e_begin
# rclone refuses to start when AWS_CA_BUNDLE is set (its S3 backend cannot load a bundle into its own transport).
unset AWS_CA_BUNDLE
export RCLONE_CONFIG_PACH_TYPE=s3 RCLONE_CONFIG_PACH_PROVIDER=Other RCLONE_CONFIG_PACH_ENDPOINT="$S3_ENDPOINT"
export RCLONE_CONFIG_PACH_ACCESS_KEY_ID=e2ekey RCLONE_CONFIG_PACH_SECRET_ACCESS_KEY=e2ekey
export RCLONE_CONFIG_PACH_FORCE_PATH_STYLE=true RCLONE_CONFIG_PACH_REGION=us-east-1
export RCLONE_CONFIG="$E2E_TMP/rclone.conf"; : >"$RCLONE_CONFIG"
repo=$(unique_repo rclone); bucket="master.$repo"
src="$E2E_TMP/src"; mkdir -p "$src/a/b"
for i in 1 2 3; do head -c $((i * 100000)) /dev/urandom >"$src/file$i.bin"; done
echo "nested" >"$src/a/b/nested.txt"
head -c $((12 * 1024 * 1024)) /dev/urandom >"$src/a/twelve-mib.bin"

check "mkdir (CreateBucket)" rclone mkdir "pach:$bucket"
check "lsd lists the bucket" bash -c "rclone lsd pach: | grep -q ' $bucket\$'"
check "copy up" rclone copy "$src" "pach:$bucket/copied"
check "ls shows every file" bash -c "test \"\$(rclone ls 'pach:$bucket/copied' | wc -l)\" = 5"
check "check finds no differences" rclone check "$src" "pach:$bucket/copied"
check "copy down is identical" bash -c "rclone copy 'pach:$bucket/copied' '$E2E_TMP/back' && diff -r '$src' '$E2E_TMP/back'"
check "cat a file" bash -c "test \"\$(rclone cat 'pach:$bucket/copied/a/b/nested.txt')\" = nested"
check "delete one file" rclone deletefile "pach:$bucket/copied/file1.bin"
check "check now reports the missing file" bash -c "! rclone check '$src' 'pach:$bucket/copied' 2>/dev/null"
# purge would list object versions (the bucket reports versioning Enabled); delete + rmdir is plain S3.
check "delete all files" rclone delete "pach:$bucket"
check "rmdir (DeleteBucket)" rclone rmdir "pach:$bucket"
check "bucket gone" bash -c "! rclone lsd pach: | grep -q ' $bucket\$'"
e2e_end
