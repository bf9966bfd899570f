#!/usr/bin/env bash
# End-to-end checks of object version history with the AWS CLI and rclone: several versions and delete markers of
# odd keys written with s3api put-object/delete-object, listed with list-object-versions (one request, --page-size,
# --max-items/--starting-token) and compared with the version ids those calls printed; every version read back with
# get-object/head-object --version-id; a commit bucket (<commit>.master.<repo>) read with aws s3 cp/ls; then rclone's
# version support (--s3-versions, --s3-version-at, backend versioning/cleanup-hidden) and rclone purge, which removes
# every version and the bucket.
# Usage: S3_ENDPOINT=http://127.0.0.1:30600 AWS_BIN=/usr/bin/aws [E2E_ACCESS_KEY=token] bash tests/e2e/versions.sh
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
. "$here/lib.sh"
aws_cli_begin versions "multipart_threshold = 64MB"

repo=$(unique_repo versions)
bucket="master.$repo"
keys=("odd key (1).txt" "plus+sign/é ü.bin" "pct%41 x&y=z" "it's/nested/a b" "top.txt")
manifest="$E2E_TMP/manifest" # one line per version written, oldest first: key TAB version id TAB v|dm TAB file
: >"$manifest"
mkdir -p "$E2E_TMP/bodies"

# put_round N: version N of every key (a body of its own, one of them empty in round 2), with the id printed.
put_round() {
  local n=$1 i key file vid
  for i in "${!keys[@]}"; do
    key=${keys[$i]}
    file="$E2E_TMP/bodies/$i.v$n"
    if [ "$n" = 2 ] && [ "$i" = 1 ]; then : >"$file"
    elif [ "$i" = 0 ]; then { printf '%s version %s\n' "$key" "$n"; head -c $((RANDOM / 8)) /dev/urandom | base64; } >"$file" # text: compared as output
    else { printf '%s version %s\n' "$key" "$n"; head -c $((RANDOM * 3)) /dev/urandom; } >"$file"
    fi
    vid=$(s3 s3api put-object --bucket "$bucket" --key "$key" --body "$file" --query VersionId --output text) || return 1
    [[ $vid =~ ^[0-9a-f]{32}$ ]] || { echo "put-object $key printed version id '$vid'"; return 1; }
    printf '%s\t%s\tv\t%s\n' "$key" "$vid" "$file" >>"$manifest"
  done
}

# delete_keys KEY...: delete-object (no version id) answers DeleteMarker true and the marker's version id.
delete_keys() {
  local key out dm vid
  for key in "$@"; do
    out=$(s3 s3api delete-object --bucket "$bucket" --key "$key" --query '[DeleteMarker, VersionId]' --output text) || return 1
    read -r dm vid <<<"$out"
    if [ "$dm" != True ] || ! [[ $vid =~ ^[0-9a-f]{32}$ ]]; then echo "delete-object $key printed '$out'"; return 1; fi
    printf '%s\t%s\tdm\t-\n' "$key" "$vid" >>"$manifest"
  done
}

# compare_listing JSON...: the Versions and DeleteMarkers of the list-object-versions outputs given (pages, in order)
# are what the manifest says, in S3's order (keys in UTF-8 byte order, newest first), with IsLatest on each key's
# newest only, and ETag (MD5) and Size of each version. With EXPECT_PAGES set, that many outputs are expected.
compare_listing() {
  python3 - "$manifest" "$@" <<'EOF'
import hashlib, json, os, sys
manifest, outputs = sys.argv[1], sys.argv[2:]
history = {}
for line in open(manifest, encoding="utf-8"):
    key, vid, kind, path = line.rstrip("\n").split("\t")
    history.setdefault(key, []).append((vid, kind, path))
want_v, want_d = [], []
for key in sorted(history, key=lambda k: k.encode()):
    for i, (vid, kind, path) in enumerate(reversed(history[key])):
        if kind == "dm":
            want_d.append((key, vid, i == 0))
        else:
            body = open(path, "rb").read()
            want_v.append((key, vid, i == 0, '"%s"' % hashlib.md5(body).hexdigest(), len(body)))
got_v, got_d = [], []
for out in outputs:
    doc = json.load(open(out, encoding="utf-8"))
    got_v += [(v["Key"], v["VersionId"], v["IsLatest"], v["ETag"], v["Size"]) for v in doc.get("Versions") or []]
    got_d += [(d["Key"], d["VersionId"], d["IsLatest"]) for d in doc.get("DeleteMarkers") or []]
print(f"{len(outputs)} output(s): {len(got_v)} versions, {len(got_d)} delete markers; expected {len(want_v)} and {len(want_d)}")
ok = True
for name, got, want in (("Versions", got_v, want_v), ("DeleteMarkers", got_d, want_d)):
    if got != want:
        ok = False
        i = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
        print(f"{name} differ at {i}: listed {got[i] if i < len(got) else None}, expected {want[i] if i < len(want) else None}")
pages = os.environ.get("EXPECT_PAGES")
if pages and int(pages) != len(outputs):
    ok = False
    print(f"{len(outputs)} pages, expected {pages}")
sys.exit(0 if ok else 1)
EOF
}

# list_whole FLAGS...: one list-object-versions call (the CLI follows the markers itself), compared.
list_whole() {
  s3 s3api list-object-versions --bucket "$bucket" "$@" --output json >"$E2E_TMP/versions.json" && compare_listing "$E2E_TMP/versions.json"
}

# list_by_tokens N: pages of N with --max-items and --starting-token until no NextToken; compared as a whole.
list_by_tokens() {
  local n=$1 token="" i=0 args
  rm -f "$E2E_TMP"/page.*.json
  while :; do
    i=$((i + 1))
    args=(--max-items "$n")
    [ -n "$token" ] && args+=(--starting-token "$token")
    s3 s3api list-object-versions --bucket "$bucket" "${args[@]}" --output json >"$E2E_TMP/page.$i.json" || return 1
    token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("NextToken") or "")' "$E2E_TMP/page.$i.json") || return 1
    [ -z "$token" ] && break
    [ "$i" -gt 100 ] && { echo "more than 100 pages"; return 1; }
  done
  # botocore's --max-items counts the first result key only (Versions); the delete markers come along.
  local versions
  versions=$(awk -F'\t' '$3 == "v"' "$manifest" | wc -l)
  local pages=() p
  for p in $(seq 1 "$i"); do pages+=("$E2E_TMP/page.$p.json"); done
  EXPECT_PAGES=$(((versions + n - 1) / n)) compare_listing "${pages[@]}"
}

# delimited: versions under "it's/" with delimiter '/' give the common prefix "it's/nested/" and no versions; at the
# root, the prefixes "it's/" and "plus+sign/".
# shellcheck disable=SC2016 # (JMESPath literals in backquotes)
delimited() {
  local got
  got=$(s3 s3api list-object-versions --bucket "$bucket" --prefix "it's/" --delimiter / --query '[CommonPrefixes[].Prefix, length(Versions || `[]`)]' --output json | compact_json) || return 1
  echo "under it's/ (prefixes, number of versions): $got"
  [ "$got" = '[["it'"'"'s/nested/"], 0]' ] || return 1
  got=$(s3 s3api list-object-versions --bucket "$bucket" --delimiter / --query 'CommonPrefixes[].Prefix' --output json | compact_json) || return 1
  echo "at the root: $got"
  [ "$got" = '["it'"'"'s/", "plus+sign/"]' ]
}

# compact_json: stdin's JSON on one line.
compact_json() { python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin), ensure_ascii=False))'; }

# read_versions: get-object --version-id of every version is byte-identical with what was written, head-object
# --version-id gives its MD5 ETag and the version id; a delete marker's version id answers 405 MethodNotAllowed.
read_versions() {
  local key vid kind file out n=0
  while IFS=$'\t' read -r -u 3 key vid kind file; do
    if [ "$kind" = dm ]; then
      if out=$(s3 s3api get-object --bucket "$bucket" --key "$key" --version-id "$vid" "$E2E_TMP/got" 2>&1); then
        echo "get-object of delete marker $key $vid succeeded"; return 1
      fi
      grep -q 'MethodNotAllowed' <<<"$out" || { echo "get-object of delete marker $key $vid: $out"; return 1; }
      continue
    fi
    s3 s3api get-object --bucket "$bucket" --key "$key" --version-id "$vid" "$E2E_TMP/got" >/dev/null || return 1
    cmp "$file" "$E2E_TMP/got" || { echo "$key $vid: bytes differ"; return 1; }
    out=$(s3 s3api head-object --bucket "$bucket" --key "$key" --version-id "$vid" --query '[ETag, VersionId]' --output text) || return 1
    [ "$out" = "$(printf '"%s"\t%s' "$(md5sum <"$file" | cut -d' ' -f1)" "$vid")" ] || { echo "head-object $key $vid: $out"; return 1; }
    n=$((n + 1))
  done 3<"$manifest"
  echo "$n versions read back"
}

check "create-bucket" s3 s3api create-bucket --bucket "$bucket"
check "put-object v1 of ${#keys[@]} odd keys prints version ids" put_round 1
# The commit of the last v1 write: every key has its v1 there.
round1=$(awk -F'\t' 'END { print $2 }' "$manifest")
date -u +%Y-%m-%dT%H:%M:%S.%NZ >"$E2E_TMP/after-round1" # for rclone --s3-version-at
sleep 1.2
check "put-object v2 of ${#keys[@]} odd keys" put_round 2
check "delete-object of ${#keys[@]} keys prints DeleteMarker true and the marker's version id" delete_keys "${keys[@]}"
check "put-object v3 of ${#keys[@]} odd keys" put_round 3
check "delete-object top.txt again (a delete marker is its newest version)" delete_keys top.txt
total=$(awk 'END { print NR }' "$manifest")

check_output "list-object-versions = the ids put-object and delete-object printed ($total versions)" '^1 output' list_whole
check_output "list-object-versions --page-size 2 (the CLI follows the markers) = the same" '^1 output' list_whole --page-size 2
check_output "list-object-versions --max-items 3, then --starting-token until the end = the same" " versions, " list_by_tokens 3
check_equals "list-object-versions --max-items 4 --page-size 1: 4 versions" 4 \
  s3 s3api list-object-versions --bucket "$bucket" --max-items 4 --page-size 1 --query 'length(Versions)' --output json
check "list-object-versions with --prefix and --delimiter / gives CommonPrefixes" delimited
check_output "get-object/head-object --version-id of every version: same bytes, MD5 ETag; delete markers 405" "versions read back" read_versions
check_fails "get-object --version-id malformed -> InvalidArgument" "InvalidArgument" \
  s3 s3api get-object --bucket "$bucket" --key top.txt --version-id not-a-version "$E2E_TMP/got"
check_fails "get-object of a deleted key -> NoSuchKey" "NoSuchKey" s3 s3api get-object --bucket "$bucket" --key top.txt "$E2E_TMP/got"

# The commit bucket of round 1: the state after the first writes, read-only.
commit_bucket="$round1.master.$repo"
key0=${keys[0]}
check_equals "aws s3 cp s3://<commit>.master.<repo>/key - gives the key's bytes at that commit" \
  "$(cat "$E2E_TMP/bodies/0.v1")" s3 s3 cp "s3://$commit_bucket/$key0" -
ls_commit_recursive() { s3 s3 ls --recursive "s3://$commit_bucket/" | sed -E 's/^[0-9-]+ [0-9:]+ +[0-9]+ //' | LC_ALL=C sort | tr '\n' '|'; }
check_equals "aws s3 ls --recursive s3://<commit>.master.<repo>/ lists the keys as they were at that commit" \
  "$(printf '%s\n' "${keys[@]}" | LC_ALL=C sort | tr '\n' '|')" ls_commit_recursive
check_output "aws s3 ls s3://<commit>.master.<repo>/ shows PRE it's/" "^ +PRE it's/\$" s3 s3 ls "s3://$commit_bucket/"
check_output_lacks "list-objects-v2 of the branch bucket no longer shows top.txt" "top\.txt" \
  s3 s3api list-objects-v2 --bucket "$bucket" --query 'Contents[].Key' --output text
check_fails "aws s3 cp into s3://<commit>.master.<repo>/ -> MethodNotAllowed" "MethodNotAllowed" \
  s3 s3 cp "$E2E_TMP/bodies/0.v1" "s3://$commit_bucket/new.txt"

# ---- rclone -------------------------------------------------------------------------------------------------------
if require_client "rclone is installed" installed rclone; then
  # As tests/e2e/rclone.sh: rclone refuses to start when AWS_CA_BUNDLE is set.
  rc() { env -u AWS_CA_BUNDLE RCLONE_CONFIG_PACH_TYPE=s3 RCLONE_CONFIG_PACH_PROVIDER=Other RCLONE_CONFIG_PACH_ENDPOINT="$S3_ENDPOINT" \
    RCLONE_CONFIG_PACH_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID" RCLONE_CONFIG_PACH_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY" \
    RCLONE_CONFIG_PACH_FORCE_PATH_STYLE=true RCLONE_CONFIG_PACH_REGION=us-east-1 RCLONE_CONFIG="$E2E_TMP/rclone.conf" rclone "$@"; }
  : >"$E2E_TMP/rclone.conf"
  echo "rclone: $(rclone version 2>/dev/null | head -n1)"

  # rclone_versions: rclone lsjson -R --s3-versions lists each key's current version under its name and every older
  # object version (not delete markers) with a -vYYYY-MM-DD-HHMMSS-mmm suffix before the extension; sizes as written.
  rclone_versions() {
    rc lsjson -R --files-only --s3-versions "pach:$bucket" >"$E2E_TMP/rclone.json" || return 1
    python3 - "$manifest" "$E2E_TMP/rclone.json" <<'EOF'
import json, os, re, sys
history = {}
for line in open(sys.argv[1], encoding="utf-8"):
    key, vid, kind, path = line.rstrip("\n").split("\t")
    history.setdefault(key, []).append((kind, os.path.getsize(path) if kind == "v" else None))
want = []
for key, versions in history.items():
    for i, (kind, size) in enumerate(versions):
        if kind == "v":
            want.append((key, i == len(versions) - 1, size))
got = []
suffix = re.compile(r"-v\d{4}-\d\d-\d\d-\d{6}-\d{3}(?=(\.[^./]*)?$)")
for entry in json.load(open(sys.argv[2], encoding="utf-8")):
    path = entry["Path"]
    key = suffix.sub("", path, count=1)
    got.append((key, key == path, entry["Size"]))
print(f"rclone lists {len(got)} files, {sum(1 for g in got if not g[1])} of them old versions; expected {len(want)}")
if sorted(got) != sorted(want):
    print("listed:", sorted(got)); print("expected:", sorted(want)); sys.exit(1)
EOF
  }
  check_output "rclone lsjson --s3-versions: current versions by name, older ones with -v<time> suffixes" "old versions" rclone_versions
  check_output "rclone ls --s3-versions shows a -v<time> version of odd key (1).txt" \
    '^ +[0-9]+ odd key \(1\)-v[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{6}-[0-9]{3}\.txt$' rc ls --s3-versions "pach:$bucket"
  # Debian's rclone (1.60) has no "backend versions" command; its S3 backend commands about versions are
  # "versioning" (the bucket's status) and "cleanup-hidden" (removes every non-current version), used here.
  check_equals "rclone backend versioning says Enabled" Enabled rc backend versioning "pach:$bucket"

  # rclone_copy_versions: rclone copy --s3-versions downloads every object version as a file of its own: the same
  # bytes as written (compared as a multiset of MD5s).
  rclone_copy_versions() {
    rc copy --s3-versions "pach:$bucket" "$E2E_TMP/rclone-down" || return 1
    local got want
    got=$(find "$E2E_TMP/rclone-down" -type f -exec md5sum {} + | cut -d' ' -f1 | sort | tr '\n' ' ')
    want=$(awk -F'\t' '$3 == "v" { print $4 }' "$manifest" | tr '\n' '\0' | xargs -0 md5sum | cut -d' ' -f1 | sort | tr '\n' ' ')
    echo "downloaded: $got"; echo "written:    $want"
    [ "$got" = "$want" ]
  }
  check "rclone copy --s3-versions downloads every version byte-identical" rclone_copy_versions
  # rclone 1.60 does not address a single file under --s3-version-at (it treats the path as a directory): the
  # directory with --include instead.
  check_equals "rclone cat --s3-version-at <after v1> gives v1" "$(cat "$E2E_TMP/bodies/0.v1")" \
    rc cat --s3-version-at "$(cat "$E2E_TMP/after-round1")" "pach:$bucket" --include "/$key0"
  check_equals "rclone cat (current) gives v3" "$(cat "$E2E_TMP/bodies/0.v3")" rc cat "pach:$bucket" --include "/$key0"

  # cleanup_hidden: rclone backend cleanup-hidden on "it's/" removes the key's non-current versions (each with its
  # versionId); the current version stays, and is the only one listed.
  # shellcheck disable=SC2016 # (JMESPath literals in backquotes)
  cleanup_hidden() {
    local key=${keys[3]} current listed
    current=$(awk -F'\t' -v k="$key" '$1 == k { id = $2 } END { print id }' "$manifest")
    rc backend cleanup-hidden "pach:$bucket/it's" || return 1
    listed=$(s3 s3api list-object-versions --bucket "$bucket" --prefix "it's/" --query '[Versions[].VersionId, length(DeleteMarkers || `[]`)]' --output json | compact_json) || return 1
    echo "listed after cleanup-hidden (version ids, number of delete markers): $listed"
    [ "$listed" = "[[\"$current\"], 0]" ] || return 1
    s3 s3api get-object --bucket "$bucket" --key "$key" "$E2E_TMP/got" >/dev/null && cmp "$E2E_TMP/bodies/3.v3" "$E2E_TMP/got"
  }
  check "rclone backend cleanup-hidden removes the old versions under it's/, the current one stays" cleanup_hidden
  # purge: rclone purge; when it fails, what the bucket still holds.
  purge() {
    rc purge "pach:$bucket" && return 0
    echo "left in the bucket: versions (key, id, IsLatest) and delete markers; then list-objects-v2 keys:"
    s3 s3api list-object-versions --bucket "$bucket" --query '[Versions[].[Key, VersionId, IsLatest], DeleteMarkers[].[Key, VersionId, IsLatest]]' --output json | compact_json
    s3 s3api list-objects-v2 --bucket "$bucket" --query 'Contents[].Key' --output json | compact_json
    return 1
  }
  check "rclone purge (removes every version, then the bucket)" purge
  check_fails "head-bucket after the purge -> 404" "(404)" s3 s3api head-bucket --bucket "$bucket"
fi
e2e_end
