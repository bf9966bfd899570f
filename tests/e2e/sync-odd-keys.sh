#!/usr/bin/env bash
# Sync tools on a tree of names Pachyderm refuses as paths (spaces, + = & @ ! ( ) [ ] { } ^ ~ ' %, unicode in NFC
# and NFD, deep paths): the AWS CLI, rclone and s3cmd round-trip it, a second sync uploads nothing, and hashes
# (MD5 ETags) are checked. Optionally (E2E_PACHD and E2E_PACHADMIN set by run-all) a file written into pachd as
# pachctl would appears under its name.
# Usage: S3_ENDPOINT=http://127.0.0.1:30600 [E2E_ACCESS_KEY=token] tests/e2e/sync-odd-keys.sh
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
. "$here/lib.sh"
AWS_BIN=${AWS_BIN:-/usr/bin/aws}
aws_cli_begin sync-odd-keys
unset AWS_CA_BUNDLE

# The tree: one file per odd name, plus deep and unicode paths (NFC and NFD "é" are two names).
src="$E2E_TMP/src"
mkdir -p "$src/deep/er/and/deeper/still" "$src/sp ace dir" "$src/(paren)/[bracket]"
names=("plus+sign=eq.txt" "photo (1).jpg" "mail@host.txt" "wow!.md" "it's.txt" "tilde~name" "hat^caret" "{curly}.json"
  "[square].csv" "amp&and.txt" "pct%41%2F.bin" "semi;colon,comma.txt" "star*.txt" "que?tion.txt" "quote\"d.txt"
  "pipe|bar>gt<lt.txt" "back\\slash.txt" "caf$(printf '\xc3\xa9').txt" "cafe$(printf '\xcc\x81').txt" "日本語.txt" "emoji 😀.txt")
for n in "${names[@]}"; do printf 'content of %s\n' "$n" >"$src/$n"; done
printf 'deep\n' >"$src/deep/er/and/deeper/still/file.txt"
printf 'space dir\n' >"$src/sp ace dir/a b.txt"
printf 'nested odd\n' >"$src/(paren)/[bracket]/x+y.txt"
: >"$src/empty file"
head -c $((9 * 1024 * 1024)) /dev/urandom >"$src/big (9 MiB).bin"

# local_keys DIR: the relative paths of every file under DIR, sorted by bytes.
local_keys() { (cd "$1" && find . -type f | sed 's|^\./||' | LC_ALL=C sort); }
# bucket_keys BUCKET PREFIX: every key under PREFIX (prefix removed), sorted by bytes, from a paginated listing.
bucket_keys() {
  s3 s3api list-objects-v2 --bucket "$1" --prefix "$2" --page-size 7 --output json --query 'Contents[].Key' >"$E2E_TMP/keys.json" || return 1
  python3 -c 'import json,sys; p=sys.argv[2]; [print(k[len(p):]) for k in sorted(json.load(open(sys.argv[1])) or [], key=lambda k: k.encode())]' "$E2E_TMP/keys.json" "$2"
}
same_keys() { diff <(local_keys "$1") <(bucket_keys "$2" "$3"); }
listing_in_s3_order() {
  s3 s3api list-objects-v2 --bucket "$1" --page-size 5 --output json --query 'Contents[].Key' >"$E2E_TMP/order.json" || return 1
  python3 -c 'import json,sys; k=json.load(open(sys.argv[1])); sys.exit(0 if k == sorted(k, key=lambda x: x.encode()) else 1)' "$E2E_TMP/order.json"
}
sync_down_identical() { s3 s3 sync "s3://$1/$2" "$3" && diff -r "$src" "$3"; }

bucket="master.$(unique_repo oddsync)"
check "mb" s3 s3 mb "s3://$bucket"
check "aws s3 sync up" s3 s3 sync "$src" "s3://$bucket/tree/"
check "every local name listed as its key (pages of 7)" same_keys "$src" "$bucket" "tree/"
check "listing in S3 order (UTF-8 bytes)" listing_in_s3_order "$bucket"
check_equals "aws s3 sync again uploads nothing" "" s3 s3 sync "$src" "s3://$bucket/tree/"
check "aws s3 sync down is identical" sync_down_identical "$bucket" "tree/" "$E2E_TMP/down"
check_equals "aws s3 sync down again downloads nothing" "" s3 s3 sync "s3://$bucket/tree/" "$E2E_TMP/down"
rm "$src/wow!.md" "$src/deep/er/and/deeper/still/file.txt"
check_output "aws s3 sync --delete removes what is gone" "delete: s3://.*wow!\.md" s3 s3 sync "$src" "s3://$bucket/tree/" --delete
check "after --delete the keys are the local names" same_keys "$src" "$bucket" "tree/"
check_equals "ETag of a single PUT is its MD5" "\"$(md5sum "$src/it's.txt" | cut -d' ' -f1)\"" s3 s3api head-object --bucket "$bucket" --key "tree/it's.txt" --query ETag --output text

# rclone: sync, check with hashes (MD5 against the ETag), and a second sync that copies nothing.
if require_client "rclone is installed" installed rclone; then
  export RCLONE_CONFIG_PACH_TYPE=s3 RCLONE_CONFIG_PACH_PROVIDER=Other RCLONE_CONFIG_PACH_ENDPOINT="$S3_ENDPOINT"
  export RCLONE_CONFIG_PACH_ACCESS_KEY_ID=${E2E_ACCESS_KEY:-e2ekey} RCLONE_CONFIG_PACH_SECRET_ACCESS_KEY=${E2E_ACCESS_KEY:-e2ekey}
  export RCLONE_CONFIG_PACH_FORCE_PATH_STYLE=true RCLONE_CONFIG_PACH_REGION=us-east-1
  export RCLONE_CONFIG="$E2E_TMP/rclone.conf"; : >"$RCLONE_CONFIG"
  # rclone folds names into Unicode NFC unless told not to; the tree holds an NFC and an NFD name on purpose.
  export RCLONE_NO_UNICODE_NORMALIZATION=true
  rclone_check_hashes() {
    rclone check "$src" "pach:$bucket/rclone" >"$E2E_TMP/rcheck.out" 2>&1; local rc=$?
    cat "$E2E_TMP/rcheck.out"
    [ $rc -eq 0 ] && grep -q ' 0 differences found' "$E2E_TMP/rcheck.out" && ! grep -q 'could not be checked' "$E2E_TMP/rcheck.out"
  }
  check "rclone sync up" rclone sync "$src" "pach:$bucket/rclone"
  check "rclone check: no differences, every hash checked" rclone_check_hashes
  check_output_lacks "rclone sync again copies nothing" "Copied|Updated" rclone sync -v "$src" "pach:$bucket/rclone"
  check "rclone keys are the local names" same_keys "$src" "$bucket" "rclone/"
fi

# s3cmd: sync twice; the second run uploads nothing (it compares MD5s with ETags).
if require_client "s3cmd is installed" installed s3cmd; then
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
  check "s3cmd sync up" s3c sync "$src/" "s3://$bucket/s3cmd/"
  check_output_lacks "s3cmd sync again uploads nothing" "^upload:" s3c sync "$src/" "s3://$bucket/s3cmd/"
  check "s3cmd keys are the local names" same_keys "$src" "$bucket" "s3cmd/"
fi

# A file written straight into pachd (as pachctl would) under a name that is no escape appears as written.
if [ -n "${E2E_PACHD:-}" ] && [ -n "${E2E_PACHADMIN:-}" ]; then
  pachctl_put() {
    local repo=${bucket#master.}
    printf 'from a pipeline\n' | dotnet "$E2E_PACHADMIN" put-file --pachd "$E2E_PACHD" ${E2E_ACCESS_KEY:+--token "$E2E_ACCESS_KEY"} --repo "$repo" --path "/pachctl/it's here~.txt"
  }
  check "a file written as pachctl would" pachctl_put
  check_output "it is listed under its name" "^pachctl/it's here~\.txt$" bucket_keys "$bucket" ""
  check_equals "it reads back under its name" "from a pipeline" s3 s3 cp "s3://$bucket/pachctl/it's here~.txt" -
fi
check "rm --recursive" s3 s3 rm --recursive "s3://$bucket/"
check "rb" s3 s3 rb "s3://$bucket"
e2e_end
