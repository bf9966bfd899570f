#!/usr/bin/env python3
"""End-to-end checks with boto3 as installed on the machine (its default checksum settings, then
when_required). Usage: S3_ENDPOINT=http://127.0.0.1:30600 python3 tests/e2e/boto3_e2e.py
Prints one PASS/FAIL line per check and a final "E2E-RESULT <suite> passed=N failed=M" line; exits 1 when a check
failed. A check passes only when it returns without an exception (expectations raise AssertionError explicitly, so
they hold under python -O too) within E2E_CHECK_TIMEOUT seconds (default 300). boto3 missing is a counted failure."""
import hashlib
import os
import random
import signal
import sys
import tempfile
import time
import traceback

try:
    import boto3
    import boto3.s3.transfer
    import botocore
    from botocore.config import Config
    from botocore.exceptions import ClientError
except ImportError as missing:
    print(f"FAIL [boto3] python3 with boto3 is installed ({missing})")
    print("E2E-RESULT boto3 passed=0 failed=1")
    sys.exit(1)

ENDPOINT = os.environ["S3_ENDPOINT"]
KEY = os.environ.get("E2E_ACCESS_KEY", "e2ekey")
CHECK_TIMEOUT = int(os.environ.get("E2E_CHECK_TIMEOUT", "300"))
PASSED = 0
FAILED = 0


class CheckTimeout(Exception):
    pass


def on_alarm(*_):
    raise CheckTimeout(f"timed out after {CHECK_TIMEOUT}s (E2E_CHECK_TIMEOUT)")


def check(suite, name, fn):
    global PASSED, FAILED
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(CHECK_TIMEOUT)
    try:
        fn()
        signal.alarm(0)
        PASSED += 1
        print(f"PASS [{suite}] {name}", flush=True)
    except Exception:  # a failed check is reported, never hidden
        signal.alarm(0)
        FAILED += 1
        print(f"FAIL [{suite}] {name}", flush=True)
        for line in traceback.format_exc().splitlines()[-8:]:
            print("    | " + line)


def client(checksums):
    cfg = Config(
        s3={"addressing_style": "path"},
        retries={"max_attempts": 1, "mode": "standard"},
        request_checksum_calculation=checksums,
        response_checksum_validation=checksums,
        max_pool_connections=16,
    )
    return boto3.client("s3", endpoint_url=ENDPOINT, aws_access_key_id=KEY, aws_secret_access_key=KEY,
                        region_name="us-east-1", config=cfg)


def expect_error(code, fn):
    try:
        fn()
    except ClientError as e:
        got = e.response["Error"]["Code"]
        expect(got == code, f"expected {code}, got {got}: {e}")
        return e
    raise AssertionError(f"expected {code}, call succeeded")


def md5_of(path):
    h = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def run(checksums):
    suite = f"boto3-{boto3.__version__}-{checksums}"
    s3 = client(checksums)
    repo = f"boto{checksums.replace('_', '')}{int(time.time())}{random.randint(0, 9999)}"
    bucket = f"master.{repo}"
    tmp = tempfile.mkdtemp()

    check(suite, "create_bucket", lambda: s3.create_bucket(Bucket=bucket))
    check(suite, "list_buckets shows it", lambda: assert_in(bucket, [b["Name"] for b in s3.list_buckets()["Buckets"]]))

    src = os.path.join(tmp, "src.bin")
    with open(src, "wb") as f:
        f.write(os.urandom(5 * 1024 * 1024 + 3))
    # Single-part here; tests/e2e/multipart.sh covers upload_file with multipart.
    xfer = boto3.s3.transfer.TransferConfig(multipart_threshold=64 * 1024 * 1024)
    check(suite, "upload_file", lambda: s3.upload_file(src, bucket, "data/src.bin", Config=xfer))
    dst = os.path.join(tmp, "dst.bin")
    check(suite, "download_file is byte-identical",
          lambda: (s3.download_file(bucket, "data/src.bin", dst, Config=xfer), assert_eq(md5_of(src), md5_of(dst))))

    def put_get(key, body):
        r = s3.put_object(Bucket=bucket, Key=key, Body=body)
        expect(r.get("ETag"), "no ETag")
        expect(r.get("VersionId"), "no VersionId")
        got = s3.get_object(Bucket=bucket, Key=key)
        assert_eq(got["Body"].read(), body)
        head = s3.head_object(Bucket=bucket, Key=key)
        assert_eq(head["ETag"], r["ETag"])
        assert_eq(head["ContentLength"], len(body))

    check(suite, "put/get/head 0 bytes", lambda: put_get("empty", b""))
    check(suite, "put/get/head 1 byte", lambda: put_get("one", b"x"))
    check(suite, "put/get key with spaces, = and &", lambda: put_get("dir/a b=c&d.txt", b"spaces and friends"))
    check(suite, "put/get key with %", lambda: put_get("pct%41%2F/x.txt", b"percent"))
    check(suite, "put/get key with + and unicode", lambda: put_get("odd/a+b caf\u00e9 (1) [x]", b"escaped path"))
    # pachd would fold '//' into another key's path: a clear 400, and the connection stays usable.
    check(suite, "put key with // -> InvalidArgument",
          lambda: expect_error("InvalidArgument", lambda: s3.put_object(Bucket=bucket, Key="a//b", Body=b"x" * 100)))
    check(suite, "next request on the same client works", lambda: s3.head_object(Bucket=bucket, Key="one"))
    check(suite, "get_object Range", lambda: assert_eq(
        s3.get_object(Bucket=bucket, Key="one", Range="bytes=0-0")["Body"].read(), b"x"))
    check(suite, "get_object missing key -> NoSuchKey",
          lambda: expect_error("NoSuchKey", lambda: s3.get_object(Bucket=bucket, Key="nope")))
    check(suite, "head_object missing key -> 404",
          lambda: expect_error("404", lambda: s3.head_object(Bucket=bucket, Key="nope")))
    check(suite, "list_objects_v2 on missing bucket -> NoSuchBucket",
          lambda: expect_error("NoSuchBucket", lambda: s3.list_objects_v2(Bucket=f"master.nosuch{repo}")))
    check(suite, "create_bucket invalid name -> InvalidBucketName",
          lambda: expect_error("InvalidBucketName", lambda: s3.create_bucket(Bucket="a.b.c.d.e")))

    # 2,500 keys, listed with the paginator at the default page size (1,000).
    n = 2500
    def put_many():
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda i: s3.put_object(Bucket=bucket, Key=f"many/{i:05d}", Body=b"k%d" % i), range(n)))
    check(suite, f"put {n} keys", put_many)

    def paginate():
        keys, pages = [], 0
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="many/"):
            pages += 1
            keys += [c["Key"] for c in page.get("Contents", [])]
            assert_eq(page["KeyCount"], len(page.get("Contents", [])))
        assert_eq(keys, [f"many/{i:05d}" for i in range(n)])
        assert_eq(pages, 3)
    check(suite, f"list_objects_v2 paginates {n} keys in 3 pages", paginate)

    def paginate_v1():
        keys, pages = [], 0
        for page in s3.get_paginator("list_objects").paginate(Bucket=bucket, Prefix="many/", PaginationConfig={"PageSize": 700}):
            pages += 1
            keys += [c["Key"] for c in page.get("Contents", [])]
        assert_eq(keys, [f"many/{i:05d}" for i in range(n)])
        assert_eq(pages, 4)  # 700 + 700 + 700 + 400
    check(suite, f"list_objects (v1) paginates {n} keys in 4 pages of up to 700", paginate_v1)

    def delimiter():
        r = s3.list_objects_v2(Bucket=bucket, Delimiter="/")
        assert_eq(sorted(p["Prefix"] for p in r["CommonPrefixes"]), ["data/", "dir/", "many/", "odd/", "pct%41%2F/"])
    check(suite, "list_objects_v2 delimiter", delimiter)

    # A client that lost Complete's answer retries it: S3 answers the same; anything else about the upload is gone.
    def complete_retried():
        key = "data/mp.bin"
        up = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
        p1 = s3.upload_part(Bucket=bucket, Key=key, UploadId=up, PartNumber=1, Body=b"a" * (5 * 1024 * 1024))
        p2 = s3.upload_part(Bucket=bucket, Key=key, UploadId=up, PartNumber=2, Body=b"tail")
        parts = [{"PartNumber": 1, "ETag": p1["ETag"]}, {"PartNumber": 2, "ETag": p2["ETag"]}]
        first = s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=up, MultipartUpload={"Parts": parts})
        again = s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=up, MultipartUpload={"Parts": parts})
        assert_eq(again["ETag"], first["ETag"])
        assert_eq(again["VersionId"], first["VersionId"])
        expect_error("NoSuchUpload", lambda: s3.complete_multipart_upload(
            Bucket=bucket, Key=key, UploadId=up, MultipartUpload={"Parts": parts[:1]}))
        expect_error("NoSuchUpload", lambda: s3.upload_part(Bucket=bucket, Key=key, UploadId=up, PartNumber=3, Body=b"late"))
        assert_eq(s3.head_object(Bucket=bucket, Key=key)["ContentLength"], 5 * 1024 * 1024 + 4)
    check(suite, "complete_multipart_upload retried -> the same answer", complete_retried)

    def delete_many():
        batch = [{"Key": f"many/{i:05d}"} for i in range(1000)]
        r = s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": False})
        assert_eq(len(r.get("Deleted", [])), 1000)
        expect(not r.get("Errors"), r.get("Errors"))
        left = s3.list_objects_v2(Bucket=bucket, Prefix="many/")["KeyCount"]
        assert_eq(left, 1000)  # first page of the remaining 1,500
    check(suite, "delete_objects 1000 keys", delete_many)
    check(suite, "delete_bucket non-empty -> BucketNotEmpty",
          lambda: expect_error("BucketNotEmpty", lambda: s3.delete_bucket(Bucket=bucket)))


def expect(ok, message):
    if not ok:
        raise AssertionError(message)


def assert_eq(a, b):
    expect(a == b, f"{a!r} != {b!r}")


def assert_in(x, xs):
    expect(x in xs, f"{x!r} not in {xs!r}")


if __name__ == "__main__":
    print(f"boto3 {boto3.__version__} botocore {botocore.__version__} against {ENDPOINT}")
    for mode in ("when_supported", "when_required"):
        run(mode)
    print(f"E2E-RESULT boto3 passed={PASSED} failed={FAILED}")
    sys.exit(1 if FAILED else 0)
