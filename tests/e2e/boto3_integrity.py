#!/usr/bin/env python3
"""boto3 integrity checks against a live gateway, one check per invocation (tests/e2e/integrity.sh calls it).

  boto3_integrity.py roundtrip ENDPOINT CHECKSUM_MODE FILE   put_object/get_object of FILE, byte-identical, and
                                                             the framing boto3 chose for the scheme
  boto3_integrity.py algorithms ENDPOINT                     put_object with ChecksumAlgorithm SHA1, SHA256 (and
                                                             CRC32C, CRC64NVME when awscrt is installed): echoed, identical
  boto3_integrity.py presign ENDPOINT SIGVER                 generate_presigned_url GET and PUT used with curl
  boto3_integrity.py presign-expired ENDPOINT SIGVER         a 1-second URL is refused once expired

SIGVER is default (boto3 presigns S3 URLs on custom endpoints with SigV2 query auth) or s3v4.

CHECKSUM_MODE is when_supported (the default since botocore 1.36) or when_required. https endpoints are verified
against AWS_CA_BUNDLE. Exit status 0 = pass; timings are appended to $E2E_TIMINGS when set.
"""
import hashlib
import os
import subprocess
import sys
import time
import uuid

import boto3
from botocore.config import Config

KEY = os.environ.get("E2E_ACCESS_KEY", "e2e-integrity")
CA = os.environ.get("AWS_CA_BUNDLE")


def client(endpoint, mode="when_supported", signature_version=None):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=KEY,
        aws_secret_access_key=KEY,
        region_name="us-east-1",
        verify=CA if endpoint.startswith("https:") else None,
        config=Config(
            s3={"addressing_style": "path"},
            request_checksum_calculation=mode,
            response_checksum_validation=mode,
            retries={"max_attempts": 1},
            signature_version=signature_version,
        ),
    )


def new_bucket(s3):
    repo = "b3i" + uuid.uuid4().hex[:12]
    s3.create_bucket(Bucket=repo)
    return "master." + repo


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def timing(line):
    print(line)
    path = os.environ.get("E2E_TIMINGS")
    if path:
        with open(path, "a") as f:
            f.write(line + "\n")


def roundtrip(endpoint, mode, path):
    s3 = client(endpoint, mode)
    sent = {}

    def record(request, **_):
        if request.method == "PUT":
            sent.update({k.lower(): (v.decode() if isinstance(v, bytes) else v) for k, v in request.headers.items()})

    s3.meta.events.register("before-send.s3.PutObject", record)
    bucket = new_bucket(s3)
    size = os.path.getsize(path)
    started = time.monotonic()
    with open(path, "rb") as body:
        put = s3.put_object(Bucket=bucket, Key="obj.bin", Body=body)
    put_seconds = time.monotonic() - started

    # What boto3 put on the wire for this scheme and setting (see CLIENTS-AND-HOSTS: trailer over TLS only).
    tls = endpoint.startswith("https:")
    framing = sent.get("x-amz-content-sha256", "")
    if mode == "when_supported":
        if tls:
            if framing != "STREAMING-UNSIGNED-PAYLOAD-TRAILER" or "aws-chunked" not in sent.get("content-encoding", ""):
                fail(f"expected an unsigned aws-chunked body with a trailer over https, sent {sent}")
            if sent.get("x-amz-trailer") != "x-amz-checksum-crc32" or "content-length" in sent:
                fail(f"expected x-amz-trailer: x-amz-checksum-crc32 and no Content-Length, sent {sent}")
        elif "x-amz-checksum-crc32" not in sent:
            fail(f"expected an x-amz-checksum-crc32 header, sent {sent}")
        if not put.get("ChecksumCRC32"):
            fail(f"the gateway did not echo the verified CRC32: {put.get('ResponseMetadata', {}).get('HTTPHeaders')}")
    elif any(k.startswith("x-amz-checksum-") for k in sent) or "x-amz-trailer" in sent:
        fail(f"when_required sent a checksum anyway: {sent}")

    started = time.monotonic()
    got = s3.get_object(Bucket=bucket, Key="obj.bin")
    h = hashlib.sha256()
    received = 0
    for block in got["Body"].iter_chunks(1 << 20):
        h.update(block)
        received += len(block)
    get_seconds = time.monotonic() - started
    if received != size or h.hexdigest() != sha256_file(path):
        fail(f"downloaded {received} bytes, sha256 {h.hexdigest()}; expected {size} bytes")
    s3.delete_object(Bucket=bucket, Key="obj.bin")
    timing(f"boto3 {boto3.__version__} {endpoint.split(':')[0]} {mode} {size} B: put {put_seconds * 1000:.0f} ms, "
           f"get {get_seconds * 1000:.0f} ms ({framing or 'no x-amz-content-sha256'})")


def algorithms(endpoint):
    import base64
    s3 = client(endpoint)
    bucket = new_bucket(s3)
    data = os.urandom(1_048_579)
    names = ["SHA1", "SHA256"]
    try:
        import awscrt  # noqa: F401  botocore computes CRC32C and CRC64NVME only through awscrt
        names += ["CRC32C", "CRC64NVME"]
    except ImportError:
        pass
    for name in names:
        put = s3.put_object(Bucket=bucket, Key="alg-" + name, Body=data, ChecksumAlgorithm=name)
        echoed = put.get("Checksum" + name)
        if name in ("SHA1", "SHA256"):
            expected = base64.b64encode(hashlib.new(name.lower(), data).digest()).decode()
            if echoed != expected:
                fail(f"{name}: echoed {echoed}, expected {expected}")
        elif not echoed:
            fail(f"{name}: no checksum echoed")
        got = s3.get_object(Bucket=bucket, Key="alg-" + name)["Body"].read()
        if got != data:
            fail(f"{name}: downloaded {len(got)} bytes differ")
    print("algorithms: " + ", ".join(names))


def curl(*args):
    cmd = ["curl", "-sS", "-o", "/dev/stdout", "-w", "\n%{http_code}"]
    if CA:
        cmd += ["--cacert", CA]
    out = subprocess.run(cmd + list(args), capture_output=True, check=False)
    body, _, code = out.stdout.rpartition(b"\n")
    return int(code or 0), body


def presign(endpoint, signature_version):
    s3 = client(endpoint, signature_version=signature_version)
    bucket = new_bucket(s3)
    data = os.urandom(300_001)
    put_url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "pre/signed.bin"}, ExpiresIn=600)
    tmp = f"/tmp/b3i-{uuid.uuid4().hex}"
    with open(tmp, "wb") as f:
        f.write(data)
    try:
        # No Content-Type: the URL signed none (SigV2 signs Content-Type; curl would add a form type).
        code, body = curl("-X", "PUT", "-H", "Content-Type:", "--data-binary", "@" + tmp, put_url)
    finally:
        os.remove(tmp)
    expected = "X-Amz-Signature=" if signature_version == "s3v4" else "Signature="
    if expected not in put_url:
        fail(f"not a {signature_version} URL: {put_url}")
    if code != 200:
        fail(f"curl PUT to a presigned URL: {code} {body[:300]!r}")
    get_url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "pre/signed.bin"}, ExpiresIn=600)
    code, body = curl(get_url)
    if code != 200 or body != data:
        fail(f"curl GET of a presigned URL: {code}, {len(body)} bytes")
    code, body = curl("-X", "DELETE", get_url)
    if code != 403 or b"SignatureDoesNotMatch" not in body:
        fail(f"a GET URL used for DELETE: {code} {body[:300]!r}")


def presign_expired(endpoint, signature_version):
    s3 = client(endpoint, signature_version=signature_version)
    bucket = new_bucket(s3)
    s3.put_object(Bucket=bucket, Key="short", Body=b"short-lived")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "short"}, ExpiresIn=1)
    deadline = time.monotonic() + 15
    while True:
        code, body = curl(url)
        if code != 200 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if code != 403 or b"<Code>AccessDenied</Code>" not in body or b"Request has expired" not in body:
        fail(f"expired URL: {code} {body[:300]!r}")


if __name__ == "__main__":
    command, endpoint = sys.argv[1], sys.argv[2]
    if command == "roundtrip":
        roundtrip(endpoint, sys.argv[3], sys.argv[4])
    elif command == "algorithms":
        algorithms(endpoint)
    elif command == "presign":
        presign(endpoint, None if sys.argv[3] == "default" else sys.argv[3])
    elif command == "presign-expired":
        presign_expired(endpoint, None if sys.argv[3] == "default" else sys.argv[3])
    else:
        fail("unknown command " + command)
