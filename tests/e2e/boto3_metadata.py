#!/usr/bin/env python3
"""End-to-end checks with boto3 of what S3 stores beside the bytes and of key fidelity: metadata headers, tags,
ChecksumMode, MD5 and multipart ETags, copies with metadata directives, and listings of 3,000 odd keys compared with
the sorted local list at page sizes 1, 7 and 1,000. Same harness and output as boto3_e2e.py.
Usage: S3_ENDPOINT=http://127.0.0.1:30600 [E2E_ACCESS_KEY=token] python3 tests/e2e/boto3_metadata.py"""
import hashlib
import os
import random
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boto3_e2e as h  # noqa: E402  (the shared check harness; exits with a counted failure when boto3 is missing)
from boto3.s3.transfer import TransferConfig  # noqa: E402

SUITE = f"boto3-metadata-{h.boto3.__version__}"
ODD = " +=&@!()[]{}^~'%\"<>|\\;:,é😀日"


def odd_keys(n, seed=20261202):
    """n distinct keys drawn from names Pachyderm refuses as paths, with some directories; none S3-invalid."""
    rnd = random.Random(seed)
    alphabet = "abcxyz019-_." + ODD
    keys = set()
    while len(keys) < n + 400:
        parts = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 6))) for _ in range(rnd.randint(1, 3))]
        key = "/".join(parts)
        if any(p in (".", "..") for p in parts):
            continue
        keys.add(key)
    # PFS cannot hold a file and a directory of one name ("a" and "a/b"): keep the directories.
    dirs = {"/".join(k.split("/")[:i]) for k in keys for i in range(1, k.count("/") + 1)}
    return sorted(keys - dirs, key=lambda k: k.encode())[:n]


def main():
    s3 = h.client("when_supported")
    repo = f"bmeta{int(time.time())}{random.randint(0, 9999)}"
    bucket = f"master.{repo}"
    check = lambda name, fn: h.check(SUITE, name, fn)  # noqa: E731
    check("create_bucket", lambda: s3.create_bucket(Bucket=bucket))

    meta = {"ContentType": "text/csv; charset=utf-8", "ContentDisposition": 'attachment; filename="r.csv"',
            "ContentLanguage": "de", "CacheControl": "max-age=60", "ContentEncoding": "identity",
            "Metadata": {"origin": "camera 7", "run": "42"}}

    def put_metadata():
        body = b"a,b\n1,2\n"
        r = s3.put_object(Bucket=bucket, Key="meta/data (1).csv", Body=body, Tagging="project=pfs&stage=raw", **meta)
        h.assert_eq(r["ETag"], '"%s"' % hashlib.md5(body).hexdigest())
        for got in (s3.head_object(Bucket=bucket, Key="meta/data (1).csv"), s3.get_object(Bucket=bucket, Key="meta/data (1).csv")):
            for name, value in meta.items():
                h.assert_eq(got[name], value)
            h.assert_eq(got["ETag"], r["ETag"])
        h.assert_eq(s3.get_object(Bucket=bucket, Key="meta/data (1).csv")["TagCount"], 2)
    check("put_object metadata and tags come back on head and get", put_metadata)

    def sigv2_metadata_spaces():
        # SigV2 signs x-amz-meta-* values as sent, runs of spaces kept (botocore's HmacV1Auth strips them only).
        v2 = h.boto3.client("s3", endpoint_url=h.ENDPOINT, aws_access_key_id=h.KEY, aws_secret_access_key=h.KEY, region_name="us-east-1",
                            config=h.Config(signature_version="s3", s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
        v2.put_object(Bucket=bucket, Key="meta/v2.txt", Body=b"v2", Metadata={"note": "two  spaces"})
        h.assert_eq(v2.head_object(Bucket=bucket, Key="meta/v2.txt")["Metadata"], {"note": "two  spaces"})
    check("SigV2 put_object and head_object with a metadata value holding two spaces", sigv2_metadata_spaces)

    def sigv2_presigned_metadata():
        # botocore's SigV2 presigner moves the signed x-amz-* and Content-Type headers into the URL's query; a plain
        # PUT of that URL (no headers) must be accepted and store them, and headers sent beside them do not count.
        v2 = h.boto3.client("s3", endpoint_url=h.ENDPOINT, aws_access_key_id=h.KEY, aws_secret_access_key=h.KEY, region_name="us-east-1",
                            config=h.Config(signature_version="s3", s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
        url = v2.generate_presigned_url("put_object", ExpiresIn=300, Params={
            "Bucket": bucket, "Key": "meta/presigned-v2.txt", "ContentType": "text/x-presigned", "Metadata": {"via": "query"}})
        h.expect("x-amz-meta-via=query" in url, "metadata not in the presigned URL: " + url)
        request = urllib.request.Request(url, data=b"presigned body", method="PUT", headers={"x-amz-meta-via": "header"})
        with urllib.request.urlopen(request) as response:
            h.assert_eq(response.status, 200)
        got = s3.head_object(Bucket=bucket, Key="meta/presigned-v2.txt")
        h.assert_eq((got["ContentType"], got["Metadata"], got["ContentLength"]), ("text/x-presigned", {"via": "query"}, 14))
    check("SigV2 presigned put_object carrying metadata and content type in its query", sigv2_presigned_metadata)

    def tagging():
        tags = s3.get_object_tagging(Bucket=bucket, Key="meta/data (1).csv")["TagSet"]
        h.assert_eq(sorted((t["Key"], t["Value"]) for t in tags), [("project", "pfs"), ("stage", "raw")])
        s3.put_object_tagging(Bucket=bucket, Key="meta/data (1).csv", Tagging={"TagSet": [{"Key": "owner", "Value": "data team"}]})
        h.assert_eq(s3.get_object_tagging(Bucket=bucket, Key="meta/data (1).csv")["TagSet"], [{"Key": "owner", "Value": "data team"}])
        s3.delete_object_tagging(Bucket=bucket, Key="meta/data (1).csv")
        h.assert_eq(s3.get_object_tagging(Bucket=bucket, Key="meta/data (1).csv")["TagSet"], [])
    check("get/put/delete_object_tagging round trip", tagging)

    def checksum_mode():
        body = os.urandom(100_000)
        s3.put_object(Bucket=bucket, Key="sum/sha256.bin", Body=body, ChecksumAlgorithm="SHA256")
        import base64
        want = base64.b64encode(hashlib.sha256(body).digest()).decode()
        got = s3.get_object(Bucket=bucket, Key="sum/sha256.bin", ChecksumMode="ENABLED")
        h.assert_eq(got["ChecksumSHA256"], want)
        h.assert_eq(got["Body"].read(), body)
        h.expect("ChecksumSHA256" not in s3.head_object(Bucket=bucket, Key="sum/sha256.bin"), "checksum returned without ChecksumMode")
    check("ChecksumMode=ENABLED returns the stored checksum", checksum_mode)

    def copies():
        s3.copy_object(Bucket=bucket, Key="meta/copy.csv", CopySource={"Bucket": bucket, "Key": "meta/data (1).csv"})
        kept = s3.head_object(Bucket=bucket, Key="meta/copy.csv")
        h.assert_eq((kept["ContentType"], kept["Metadata"]), (meta["ContentType"], meta["Metadata"]))
        s3.copy_object(Bucket=bucket, Key="meta/replaced.csv", CopySource={"Bucket": bucket, "Key": "meta/data (1).csv"},
                       MetadataDirective="REPLACE", ContentType="text/plain", Metadata={"new": "yes"})
        replaced = s3.head_object(Bucket=bucket, Key="meta/replaced.csv")
        h.assert_eq((replaced["ContentType"], replaced["Metadata"]), ("text/plain", {"new": "yes"}))
        h.assert_eq(replaced["ETag"], kept["ETag"])
    check("copy_object keeps (COPY) or replaces (REPLACE) metadata, same ETag", copies)

    def multipart_etag():
        path = os.path.join(h.tempfile.mkdtemp(), "mp.bin")
        with open(path, "wb") as f:
            f.write(os.urandom(12 * 1024 * 1024 + 5))
        cfg = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
        s3.upload_file(path, bucket, "mp/file.bin", Config=cfg, ExtraArgs={"ContentType": "application/x-mp", "Metadata": {"k": "v"}})
        digests = []
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(5 * 1024 * 1024), b""):
                digests.append(hashlib.md5(block).digest())
        want = '"%s-%d"' % (hashlib.md5(b"".join(digests)).hexdigest(), len(digests))
        head = s3.head_object(Bucket=bucket, Key="mp/file.bin")
        h.assert_eq((head["ETag"], head["ContentType"], head["Metadata"]), (want, "application/x-mp", {"k": "v"}))
        listed = s3.list_objects_v2(Bucket=bucket, Prefix="mp/")["Contents"][0]["ETag"]
        h.assert_eq(listed, want)
        part2 = s3.get_object(Bucket=bucket, Key="mp/file.bin", PartNumber=2)
        h.assert_eq((part2["PartsCount"], part2["ContentLength"]), (3, 5 * 1024 * 1024))
    check("multipart ETag is md5-of-part-md5s-N everywhere; metadata; PartNumber", multipart_etag)

    keys = odd_keys(3200)[:3000]

    def put_odd():
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda k: s3.put_object(Bucket=bucket, Key="odd/" + k, Body=k.encode()), keys))
    check(f"put {len(keys)} odd keys", put_odd)

    def listing(page_size):
        def run():
            got = []
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="odd/", PaginationConfig={"PageSize": page_size}):
                got += [c["Key"][4:] for c in page.get("Contents", [])]
            h.expect(got == keys, f"listing differs from the sorted local list (first difference at "
                                  f"{next((i for i, (a, b) in enumerate(zip(got, keys)) if a != b), min(len(got), len(keys)))}, {len(got)} vs {len(keys)} keys)")
        return run
    for size in (1000, 7, 1):
        check(f"list_objects_v2 of {len(keys)} odd keys in pages of {size} = sorted local list", listing(size))

    def listing_v1_delimiter():
        got, prefixes = [], []
        for page in s3.get_paginator("list_objects").paginate(Bucket=bucket, Prefix="odd/", Delimiter="/", PaginationConfig={"PageSize": 7}):
            got += [c["Key"][4:] for c in page.get("Contents", [])]
            prefixes += [p["Prefix"][4:] for p in page.get("CommonPrefixes", [])]
        h.assert_eq(got, [k for k in keys if "/" not in k])
        h.assert_eq(prefixes, sorted({k.split("/")[0] + "/" for k in keys if "/" in k}, key=lambda p: p.encode()))
    check("list_objects (v1) with delimiter '/' in pages of 7", listing_v1_delimiter)

    def read_back():
        for k in random.Random(1).sample(keys, 200):
            h.assert_eq(s3.get_object(Bucket=bucket, Key="odd/" + k)["Body"].read(), k.encode())
    check("200 odd keys read back byte-identical", read_back)


if __name__ == "__main__":
    print(f"boto3 {h.boto3.__version__} against {h.ENDPOINT}")
    main()
    print(f"E2E-RESULT boto3-metadata passed={h.PASSED} failed={h.FAILED}")
    sys.exit(1 if h.FAILED else 0)
