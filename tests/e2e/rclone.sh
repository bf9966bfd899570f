#!/usr/bin/env bash
# End-to-end checks with rclone (S3 backend, provider Other, path style).
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
. "$here/lib.sh"
E2E_SUITE=rclone
e2e_begin
if ! require_client "rclone is installed" installed rclone; then e2e_end; exit 1; fi
E2E_SUITE="rclone($(rclone version 2>/dev/null | head -n1 | cut -d' ' -f2))"
# rclone refuses to start when AWS_CA_BUNDLE is set (its S3 backend cannot load a bundle into its own transport).
unset AWS_CA_BUNDLE
export RCLONE_CONFIG_PACH_TYPE=s3 RCLONE_CONFIG_PACH_PROVIDER=Other RCLONE_CONFIG_PACH_ENDPOINT="$S3_ENDPOINT"
export RCLONE_CONFIG_PACH_ACCESS_KEY_ID=${E2E_ACCESS_KEY:-e2ekey} RCLONE_CONFIG_PACH_SECRET_ACCESS_KEY=${E2E_ACCESS_KEY:-e2ekey}
export RCLONE_CONFIG_PACH_FORCE_PATH_STYLE=true RCLONE_CONFIG_PACH_REGION=us-east-1
export RCLONE_CONFIG="$E2E_TMP/rclone.conf"; : >"$RCLONE_CONFIG"
repo=$(unique_repo rclone); bucket="master.$repo"
src="$E2E_TMP/src"; mkdir -p "$src/a/b"
for i in 1 2 3; do head -c $((i * 100000)) /dev/urandom >"$src/file$i.bin"; done
echo "nested" >"$src/a/b/nested.txt"
head -c $((12 * 1024 * 1024)) /dev/urandom >"$src/a/twelve-mib.bin"

# ls_paths: the paths rclone ls lists under copied/, sorted, one line.
ls_paths() { rclone ls "pach:$bucket/copied" >"$E2E_TMP/ls.out" && awk '{ print $2 }' "$E2E_TMP/ls.out" | sort | tr '\n' ' '; }

# copy_down_identical: copy the bucket's copied/ down to a fresh directory, then compare the trees.
copy_down_identical() { rclone copy "pach:$bucket/copied" "$E2E_TMP/back" && diff -r "$src" "$E2E_TMP/back"; }

check "mkdir (CreateBucket)" rclone mkdir "pach:$bucket"
check_output "lsd lists the bucket" " $(rx "$bucket")\$" rclone lsd pach:
check "copy up" rclone copy "$src" "pach:$bucket/copied"
check_equals "ls shows every file" "a/b/nested.txt a/twelve-mib.bin file1.bin file2.bin file3.bin " ls_paths
check "check finds no differences" rclone check "$src" "pach:$bucket/copied"
check "copy down is identical" copy_down_identical
check_equals "cat a file" nested rclone cat "pach:$bucket/copied/a/b/nested.txt"
check "delete one file" rclone deletefile "pach:$bucket/copied/file1.bin"
check_fails "check now reports the missing file" "file1.bin: file not in" rclone check "$src" "pach:$bucket/copied"
# delete + rmdir is plain S3 (purge, which lists and removes every version, is in versions.sh).
check "delete all files" rclone delete "pach:$bucket"
check "rmdir (DeleteBucket)" rclone rmdir "pach:$bucket"
check_output_lacks "bucket gone" " $(rx "$bucket")\$" rclone lsd pach:
e2e_end
