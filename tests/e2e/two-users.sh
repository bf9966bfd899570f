#!/usr/bin/env bash
# Two Pachyderm users through the gateway with pachd auth on: each uses buckets, metadata and multipart uploads of
# their own, and neither can see or touch the other's uploads, objects or metadata.
# Usage: S3_ENDPOINT=... E2E_ACCESS_KEY=<root token> E2E_PACHD=host:port E2E_PACHADMIN=PachAdmin.dll tests/e2e/two-users.sh
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
. "$here/lib.sh"
AWS_BIN=${AWS_BIN:-/usr/bin/aws}
aws_cli_begin two-users "multipart_threshold = 8MB" "multipart_chunksize = 8MB"
: "${E2E_ACCESS_KEY:?the root token}" "${E2E_PACHD:?the address of LocalPachd}" "${E2E_PACHADMIN:?PachAdmin.dll}"

robot() { dotnet "$E2E_PACHADMIN" robot --pachd "$E2E_PACHD" --token "$E2E_ACCESS_KEY" --name "$1-$RANDOM$RANDOM"; }
alice=$(robot alice) || alice=""
bob=$(robot bob) || bob=""
check "robot tokens for alice and bob" test -n "$alice" -a -n "$bob"
as() { local token=$1; shift; AWS_ACCESS_KEY_ID=$token AWS_SECRET_ACCESS_KEY=$token "$@"; }
denied() { local name=$1; shift; check_fails "$name" "AccessDenied\|Forbidden\|403" as "$bob" "$@"; }

a="master.$(unique_repo alice)"; b="master.$(unique_repo bob)"
tab=$'\t'
head -c $((20 * 1024 * 1024)) /dev/urandom >"$E2E_TMP/twenty.bin"
printf 'private\n' >"$E2E_TMP/small.txt"
for user in alice bob; do
  token=${!user}; bucket=$a; [ "$user" = bob ] && bucket=$b
  check "$user makes a bucket" as "$token" s3 s3 mb "s3://$bucket"
  check "$user uploads 20 MiB (multipart)" as "$token" s3 s3 cp "$E2E_TMP/twenty.bin" "s3://$bucket/big.bin"
  check "$user puts an object with metadata and tags" as "$token" s3 s3api put-object --bucket "$bucket" --key "meta.txt" \
    --body "$E2E_TMP/small.txt" --content-type text/x-private --metadata owner="$user" --tagging "owner=$user"
  check_equals "$user reads its metadata" "text/x-private${tab}$user" as "$token" s3 s3api head-object --bucket "$bucket" --key meta.txt \
    --query '[ContentType, Metadata.owner]' --output text
done

# Alice's upload in progress, and what Bob can't do with it or with anything of hers.
upload=$(as "$alice" s3 s3api create-multipart-upload --bucket "$a" --key "secret/plan.bin" --query UploadId --output text) || upload=""
check "alice starts an upload" test -n "$upload"
check "alice uploads a part" as "$alice" s3 s3api upload-part --bucket "$a" --key secret/plan.bin --upload-id "$upload" --part-number 1 --body "$E2E_TMP/small.txt"
denied "bob cannot list alice's uploads" s3 s3api list-multipart-uploads --bucket "$a"
denied "bob cannot list the parts of alice's upload" s3 s3api list-parts --bucket "$a" --key secret/plan.bin --upload-id "$upload"
denied "bob cannot add a part to alice's upload" s3 s3api upload-part --bucket "$a" --key secret/plan.bin --upload-id "$upload" --part-number 2 --body "$E2E_TMP/small.txt"
denied "bob cannot abort alice's upload" s3 s3api abort-multipart-upload --bucket "$a" --key secret/plan.bin --upload-id "$upload"
denied "bob cannot start an upload in alice's bucket" s3 s3api create-multipart-upload --bucket "$a" --key intrusion
denied "bob cannot list alice's bucket" s3 s3api list-objects-v2 --bucket "$a"
denied "bob cannot read alice's object" s3 s3api get-object --bucket "$a" --key meta.txt "$E2E_TMP/stolen"
denied "bob cannot read alice's metadata" s3 s3api head-object --bucket "$a" --key meta.txt
denied "bob cannot read alice's tags" s3 s3api get-object-tagging --bucket "$a" --key meta.txt
denied "bob cannot tag alice's object" s3 s3api put-object-tagging --bucket "$a" --key meta.txt --tagging 'TagSet=[{Key=x,Value=y}]'
denied "bob cannot write into alice's bucket" s3 s3 cp "$E2E_TMP/small.txt" "s3://$a/intrusion.txt"
check_equals "alice's upload still has its one part" 1 as "$alice" s3 s3api list-parts --bucket "$a" --key secret/plan.bin --upload-id "$upload" --query 'length(Parts)'
check "alice aborts her upload" as "$alice" s3 s3api abort-multipart-upload --bucket "$a" --key secret/plan.bin --upload-id "$upload"
check_equals "alice's tags are hers" "owner${tab}alice" as "$alice" s3 s3api get-object-tagging --bucket "$a" --key meta.txt --query 'TagSet[0].[Key,Value]' --output text --no-cli-pager
e2e_end
