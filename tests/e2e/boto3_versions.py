#!/usr/bin/env python3
"""End-to-end checks with boto3 of object version history: every write is a pachd commit whose id is the S3
version id. Writes v1, v2, a delete and v3 of odd keys (metadata, content types and tags differing per version),
builds over 1,500 versions in one bucket, lists them with list_object_versions at page sizes 1, 7 and 1,000 (the
order checked in the raw XML, every id checked against the commits pachd reports), reads every version back
(get/head/tagging with VersionId), copies from old versions (copy_object, upload_part_copy), checks the error
answers (malformed id, commit of another branch, delete markers, Suspended, commit buckets are read-only), removes
versions (newest -> the previous one is current again; all -> the key is gone) and finally every version, so that
delete_bucket succeeds. Same harness and output as boto3_e2e.py.
Usage: S3_ENDPOINT=http://127.0.0.1:30600 E2E_PACHD=127.0.0.1:30650 E2E_PACHADMIN=.../PachAdmin.dll \
       [E2E_ACCESS_KEY=token] python3 tests/e2e/boto3_versions.py
E2E_PACHD and E2E_PACHADMIN (set by tests/run-all.sh) are needed for the checks against pachd's commit list; without
them those checks fail (counted), they are not skipped."""
import hashlib
import os
import random
import re
import subprocess
import sys
import time
import uuid
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import unquote_plus

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boto3_e2e as h  # noqa: E402  (the shared check harness; exits with a counted failure when boto3 is missing)
from boto3_metadata import odd_keys  # noqa: E402

SUITE = f"boto3-versions-{h.boto3.__version__}"
S3NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
VERSION_ID = re.compile(r"^[0-9a-f]{32}$")
MIB = 1024 * 1024
BULK_KEYS = 300  # x 5 writes (v1, v2, a delete marker, v3, v4) = 1,500 versions under bulk/
THREADS = 8

s3 = h.client("when_supported")
rnd = random.Random(20261203)
repo = f"bver{int(time.time())}{random.randint(0, 9999)}"
bucket = f"master.{repo}"
dev_bucket = f"dev.{repo}"

# Everything this suite wrote, per key, oldest first: dicts with id, dm (a delete marker) and, for object versions,
# body, etag, ctype, meta and tags. Versions removed through the gateway are taken out again.
history = {}
written_ids = set()  # and every version id written on master, removed or not


def check(name, fn):
    h.check(SUITE, name, fn)


def md5_etag(body):
    return '"%s"' % hashlib.md5(body).hexdigest()


def status(e):
    return e.response["ResponseMetadata"]["HTTPStatusCode"]


def header(response_or_error, name):
    return (getattr(response_or_error, "response", response_or_error)["ResponseMetadata"]["HTTPHeaders"]).get(name)


def expect_error(code, http_status, fn):
    e = h.expect_error(code, fn)
    h.assert_eq(status(e), http_status)
    return e


def is_version_id(vid):
    h.expect(isinstance(vid, str) and VERSION_ID.match(vid), f"not a version id: {vid!r}")


def body_for(key, n):
    """A body unique to key and version; one version is empty, one over 1 MiB."""
    if key.endswith("/empty-then-full") and n == 2:
        return b""
    size = 1 * MIB + 17 if key.endswith("/empty-then-full") and n == 3 else rnd.randint(0, 3000)
    return b"%s|v%d|" % (key.encode(), n) + rnd.randbytes(size)


def record_put(key, response, body, ctype="binary/octet-stream", meta=None, tags=None, etag=None):
    vid = response["VersionId"]
    is_version_id(vid)
    want_etag = etag or md5_etag(body)
    h.assert_eq(response["ETag"] if "ETag" in response else response["CopyObjectResult"]["ETag"], want_etag)
    h.assert_eq(header(response, "x-amz-version-id"), vid)
    written_ids.add(vid)
    history.setdefault(key, []).append({"id": vid, "dm": False, "body": body, "etag": want_etag, "ctype": ctype,
                                        "meta": meta or {}, "tags": tags or []})
    return vid


def record_delete_marker(key, vid):
    is_version_id(vid)
    written_ids.add(vid)
    history.setdefault(key, []).append({"id": vid, "dm": True})


def put(key, n, with_meta):
    """Version n of key: every third key plain, the others with a content type, metadata and tags of their own."""
    body = body_for(key, n)
    extra, ctype, meta, tags = {}, "binary/octet-stream", {}, []
    if with_meta == 1:
        ctype, meta = f"text/plain; version={n}", {"version": str(n)}
    elif with_meta == 2:
        ctype, meta, tags = f"application/x-v{n}", {"rev": f"r{n}", "who": "e2e suite"}, [{"Key": "version", "Value": str(n)}]
        extra["Tagging"] = f"version={n}"
    if ctype != "binary/octet-stream":
        extra["ContentType"] = ctype
    r = s3.put_object(Bucket=bucket, Key=key, Body=body, Metadata=meta, **extra)
    return record_put(key, r, body, ctype, meta, tags)


def in_parallel(fn, items):
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(fn, items))


def key_sort(keys):
    return sorted(keys, key=lambda k: k.encode())


def expected_listing(prefix=""):
    """(Key, VersionId, is delete marker, IsLatest) for every version under prefix: keys in UTF-8 byte order, newest
    version first, IsLatest only on the first."""
    out = []
    for key in key_sort(k for k in history if k.startswith(prefix)):
        for i, v in enumerate(reversed(history[key])):
            out.append((key, v["id"], v["dm"], i == 0))
    return out


def version_of(key, vid):
    return next(v for v in history[key] if v["id"] == vid)


# ---- listing through boto3's paginator, with each page's raw XML kept for the order of its entries -------------

_raw_pages = []


def _keep_raw(http_response=None, **_):
    _raw_pages.append(http_response.content)


s3.meta.events.register("after-call.s3.ListObjectVersions", _keep_raw)


def list_versions(page_size, prefix="", delimiter=None):
    """Lists with the paginator. Returns (entries in document order, common prefixes in order, pages). Checks on
    the way that each page holds at most page_size entries and prefixes, and that boto3's parsed Versions and
    DeleteMarkers are the entries of the page's XML (boto3 splits them in two lists, so the order comes from the
    XML)."""
    args = {"Bucket": bucket, "Prefix": prefix, "PaginationConfig": {"PageSize": page_size}}
    if delimiter:
        args["Delimiter"] = delimiter
    entries, prefixes, pages = [], [], []
    _raw_pages.clear()
    for page in s3.get_paginator("list_object_versions").paginate(**args):
        pages.append(page)
    h.assert_eq(len(_raw_pages), len(pages))
    for raw, page in zip(_raw_pages, pages):
        root = ET.fromstring(raw)
        encoded = root.findtext(S3NS + "EncodingType") == "url"
        decode = unquote_plus if encoded else (lambda s: s)
        here = []
        for child in root:
            tag = child.tag[len(S3NS):]
            if tag in ("Version", "DeleteMarker"):
                here.append((decode(child.findtext(S3NS + "Key")), child.findtext(S3NS + "VersionId"),
                             tag == "DeleteMarker", child.findtext(S3NS + "IsLatest") == "true"))
        parsed = [(v["Key"], v["VersionId"], False, v["IsLatest"]) for v in page.get("Versions", [])] + \
                 [(d["Key"], d["VersionId"], True, d["IsLatest"]) for d in page.get("DeleteMarkers", [])]
        h.expect(sorted(parsed) == sorted(here), f"boto3's parsed page differs from its XML: {parsed[:3]} vs {here[:3]}")
        page_prefixes = [p["Prefix"] for p in page.get("CommonPrefixes", [])]
        h.expect(len(here) + len(page_prefixes) <= page_size, f"a page of {len(here) + len(page_prefixes)} > {page_size}")
        for v in page.get("Versions", []):  # what every object version carries
            want = version_of(v["Key"], v["VersionId"]) if v["Key"] in history and any(
                x["id"] == v["VersionId"] and not x["dm"] for x in history[v["Key"]]) else None
            h.expect(want is not None, f"unexpected version {v['Key']!r} {v['VersionId']}")
            h.assert_eq((v["ETag"], v["Size"], v["StorageClass"]), (want["etag"], len(want["body"]), "STANDARD"))
            h.expect(v.get("Owner", {}).get("ID") and v.get("LastModified"), f"no Owner or LastModified: {v}")
        for d in page.get("DeleteMarkers", []):
            h.expect(d.get("Owner", {}).get("ID") and d.get("LastModified"), f"no Owner or LastModified: {d}")
        entries += here
        prefixes += page_prefixes
    return entries, prefixes, pages


def first_difference(got, want):
    i = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
    return (f"{len(got)} entries listed, {len(want)} expected; first difference at {i}: "
            f"listed {got[i] if i < len(got) else None}, expected {want[i] if i < len(want) else None}")


def assert_listing(got, want):
    h.expect(got == want, first_difference(got, want))


def pachd_commits():
    """The commit ids pachd reports for the master branch, newest first (PachAdmin list-commits)."""
    pachd, admin = os.environ.get("E2E_PACHD"), os.environ.get("E2E_PACHADMIN")
    h.expect(pachd and admin, "E2E_PACHD and E2E_PACHADMIN must be set (tests/run-all.sh sets them)")
    cmd = ["dotnet", admin, "list-commits", "--pachd", pachd, "--repo", repo, "--branch", "master"]
    if os.environ.get("E2E_ACCESS_KEY"):
        cmd += ["--token", os.environ["E2E_ACCESS_KEY"]]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    h.expect(out.returncode == 0, f"PachAdmin list-commits failed ({out.returncode}): {out.stderr[-2000:]}")
    ids = out.stdout.split()
    h.expect(ids and all(VERSION_ID.match(i) for i in ids), f"odd PachAdmin output: {out.stdout[:500]!r}")
    return ids


def main():
    check("create_bucket", lambda: s3.create_bucket(Bucket=bucket))
    check("get_bucket_versioning is Enabled", lambda: h.assert_eq(s3.get_bucket_versioning(Bucket=bucket)["Status"], "Enabled"))
    check("put_bucket_versioning Suspended -> 409 InvalidBucketState", lambda: expect_error(
        "InvalidBucketState", 409, lambda: s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})))

    def enable_again():
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        h.assert_eq(s3.get_bucket_versioning(Bucket=bucket)["Status"], "Enabled")
    check("put_bucket_versioning Enabled succeeds, still Enabled", enable_again)

    # ---- odd keys: v1, v2, a delete, v3 (and for some a final delete) ---------------------------------------------
    hand = ["sp ace (1).txt", "plus+sign+", "pct%41%2F%", "caf\u00e9/\u65e5\u672c/\U0001F600 x", "it's",
            "nested/deeper/still/a b", "q?u#e&r=y", "tilde~ [x] {y}", "nested/empty-then-full"]
    names = hand + [k for k in odd_keys(60, seed=77) if not k.startswith(("nested", "caf"))][:24]
    dirs = {"/".join(k.split("/")[:i]) for k in names for i in range(1, k.count("/") + 1)}
    odd = ["odd/" + k for k in key_sort(set(names) - dirs)]
    meta_kind = {k: i % 3 for i, k in enumerate(odd)}

    # Writes one at a time: concurrent writes are checked on their own below (concurrency()).
    def put_round(n):
        def run():
            for k in odd:
                put(k, n, meta_kind[k])
            ids = [v["id"] for k in odd for v in history[k] if not v["dm"]]
            h.assert_eq(len(set(ids)), len(ids))  # every write its own commit
        return run
    check(f"put v1 of {len(odd)} odd keys (VersionId, ETag = MD5)", put_round(1))
    check(f"put v2 of {len(odd)} odd keys", put_round(2))

    by_one, batched = odd[0::2], odd[1::2]

    def delete_one(key):
        r = s3.delete_object(Bucket=bucket, Key=key)
        h.assert_eq((r.get("DeleteMarker"), header(r, "x-amz-delete-marker")), (True, "true"))
        h.assert_eq(header(r, "x-amz-version-id"), r["VersionId"])
        record_delete_marker(key, r["VersionId"])

    def delete_odd():
        for k in by_one:
            delete_one(k)
        r = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in batched], "Quiet": False})
        h.expect(not r.get("Errors"), r.get("Errors"))
        h.assert_eq(sorted(d["Key"] for d in r["Deleted"]), sorted(batched))
        for d in r["Deleted"]:
            h.assert_eq(d.get("DeleteMarker"), True)
            record_delete_marker(d["Key"], d["DeleteMarkerVersionId"])
    check(f"delete {len(by_one)} odd keys with delete_object, {len(batched)} with delete_objects: delete markers", delete_odd)
    check(f"put v3 of {len(odd)} odd keys", put_round(3))
    finally_deleted = odd[2::5]
    check(f"delete {len(finally_deleted)} odd keys again (a delete marker is their newest version)",
          lambda: [delete_one(k) for k in finally_deleted])

    # ---- bulk: 300 keys x (v1, v2, delete marker, v3, v4) --------------------------------------------------------
    bulk = [f"bulk/{i:03d}" + (" \u00e9+" if i % 3 == 0 else "") for i in range(BULK_KEYS)]

    def bulk_round(n):
        def run():
            for k in bulk:
                body = b"%s|v%d|" % (k.encode(), n) + rnd.randbytes(rnd.randint(0, 200))
                record_put(k, s3.put_object(Bucket=bucket, Key=k, Body=body), body)
        return run

    def bulk_delete():
        r = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in bulk]})
        h.expect(not r.get("Errors"), r.get("Errors"))
        h.assert_eq(len(r["Deleted"]), len(bulk))
        for d in r["Deleted"]:
            record_delete_marker(d["Key"], d["DeleteMarkerVersionId"])
    t0 = time.time()
    check(f"bulk: put v1 of {len(bulk)} keys", bulk_round(1))
    check(f"bulk: put v2 of {len(bulk)} keys", bulk_round(2))
    check(f"bulk: delete_objects of {len(bulk)} keys (delete markers)", bulk_delete)
    check(f"bulk: put v3 of {len(bulk)} keys", bulk_round(3))
    check(f"bulk: put v4 of {len(bulk)} keys", bulk_round(4))
    print(f"[{SUITE}] {sum(len(v) for v in history.values())} versions written; bulk took {time.time() - t0:.1f}s", flush=True)

    # ---- a second branch, for a commit id that is not master's ---------------------------------------------------
    dev = {}

    def dev_branch():
        s3.create_bucket(Bucket=dev_bucket)
        dev["id"] = s3.put_object(Bucket=dev_bucket, Key=odd[0], Body=b"on dev")["VersionId"]
        is_version_id(dev["id"])
    check(f"create_bucket {dev_bucket} and put there", dev_branch)

    # ---- listings ------------------------------------------------------------------------------------------------
    def listing(page_size, prefix=""):
        def run():
            want = expected_listing(prefix)
            h.expect(prefix or len(want) >= 1500, f"only {len(want)} versions")
            got, prefixes, pages = list_versions(page_size, prefix)
            assert_listing(got, want)
            h.assert_eq(prefixes, [])
            h.assert_eq(len(pages), -(-len(want) // page_size))
            for p in pages[:-1]:
                h.expect(p["IsTruncated"] and p.get("NextKeyMarker") and p.get("NextVersionIdMarker"), "page without its markers")
            h.expect(not pages[-1]["IsTruncated"], "last page truncated")
        return run
    total = sum(len(v) for v in history.values())
    check(f"list_object_versions of all {total} versions in pages of 1000 = expected list", listing(1000))
    check(f"list_object_versions of all {total} versions in pages of 7 = expected list", listing(7))
    odd_total = len(expected_listing("odd/"))
    check(f"list_object_versions of odd/ ({odd_total} versions) in pages of 1 = expected list", listing(1, "odd/"))

    def against_pachd():
        commits = pachd_commits()
        position = {c: i for i, c in enumerate(commits)}
        got, _, _ = list_versions(1000)
        missing = [(k, v) for k, v, _, _ in got if v not in position]
        h.expect(not missing, f"{len(missing)} listed version ids are no commits of master, e.g. {missing[:3]}")
        for key in history:
            order = [position[v] for k, v, _, _ in got if k == key]
            h.expect(order == sorted(order) and len(set(order)) == len(order), f"{key!r}: versions not newest first in pachd's order")
    check("every listed VersionId is a commit pachd reports for master, in pachd's order (newest first)", against_pachd)

    def delimited():
        got, prefixes, _ = list_versions(7, "odd/", "/")
        want_prefixes = key_sort({"odd/" + k[4:].split("/")[0] + "/" for k in history if k.startswith("odd/") and "/" in k[4:]})
        h.assert_eq(prefixes, want_prefixes)
        assert_listing(got, [e for e in expected_listing("odd/") if "/" not in e[0][4:]])
        got, prefixes, _ = list_versions(1000, "", "/")
        h.assert_eq((got, prefixes), ([], ["bulk/", "odd/"]))
    check("Prefix + Delimiter '/': CommonPrefixes once each, versions of the keys above them", delimited)

    def markers():
        key = odd[1]  # v1, v2, a delete marker, v3
        vs = list(reversed(history[key]))
        r = s3.list_object_versions(Bucket=bucket, Prefix="odd/", KeyMarker=key, VersionIdMarker=vs[1]["id"], MaxKeys=3)
        want = [e for e in expected_listing("odd/")]
        start = want.index((key, vs[2]["id"], vs[2]["dm"], False))
        got = sorted([(v["Key"], v["VersionId"]) for v in r.get("Versions", []) + r.get("DeleteMarkers", [])])
        h.assert_eq(got, sorted((k, v) for k, v, _, _ in want[start:start + 3]))
        r = s3.list_object_versions(Bucket=bucket, Prefix="odd/", KeyMarker=key, MaxKeys=2)
        nxt = key_sort(k for k in history if k.startswith("odd/") and k.encode() > key.encode())[0]
        got = [(v["Key"], v["VersionId"]) for v in r.get("Versions", []) + r.get("DeleteMarkers", [])]
        h.expect(got and all(k == nxt for k, _ in got), f"KeyMarker alone should start at {nxt!r}: {got}")
    check("KeyMarker + VersionIdMarker continue after that version; KeyMarker alone after that key", markers)

    def one_key_prefix():
        key = "odd/it's"
        got, _, _ = list_versions(1000, key)
        assert_listing(got, expected_listing(key))
        h.assert_eq(len(got), 4)
    check("Prefix of one key lists its 4 versions", one_key_prefix)

    # ---- reading versions back -----------------------------------------------------------------------------------
    def read_version(key, v):
        if v["dm"]:
            for call in (s3.get_object, s3.head_object):
                e = expect_error("MethodNotAllowed" if call == s3.get_object else "405", 405,
                                 lambda: call(Bucket=bucket, Key=key, VersionId=v["id"]))
                h.assert_eq((header(e, "x-amz-delete-marker"), header(e, "x-amz-version-id")), ("true", v["id"]))
            return
        got = s3.get_object(Bucket=bucket, Key=key, VersionId=v["id"])
        h.expect(got["Body"].read() == v["body"], f"{key!r} {v['id']}: bytes differ")
        head = s3.head_object(Bucket=bucket, Key=key, VersionId=v["id"])
        for r in (got, head):
            h.assert_eq((r["VersionId"], r["ETag"], r["ContentLength"], r["ContentType"], r["Metadata"]),
                        (v["id"], v["etag"], len(v["body"]), v["ctype"], v["meta"]))

    def read_all(prefix):
        def run():
            in_parallel(lambda kv: read_version(*kv), [(k, v) for k in history if k.startswith(prefix) for v in history[k]])
        return run
    check("every odd/ version: get_object/head_object(VersionId) bytes, ETag, ContentType, Metadata; delete markers 405",
          read_all("odd/"))
    check("every bulk/ version read back byte-identical with its ETag; delete markers 405", read_all("bulk/"))

    def tagging():
        for key in odd:
            for v in history[key]:
                if not v["dm"]:
                    t = s3.get_object_tagging(Bucket=bucket, Key=key, VersionId=v["id"])
                    h.assert_eq((t["TagSet"], t.get("VersionId")), (v["tags"], v["id"]))
    check("get_object_tagging(VersionId) gives each version's tags", tagging)

    def deleted_key():
        key = finally_deleted[0]
        dm = history[key][-1]["id"]
        e = expect_error("NoSuchKey", 404, lambda: s3.get_object(Bucket=bucket, Key=key))
        h.assert_eq((header(e, "x-amz-delete-marker"), header(e, "x-amz-version-id")), ("true", dm))
        e = expect_error("404", 404, lambda: s3.head_object(Bucket=bucket, Key=key))
        h.assert_eq(header(e, "x-amz-delete-marker"), "true")
    check("get/head of a deleted key -> 404, x-amz-delete-marker: true and the marker's version id", deleted_key)

    def current_reads():
        for key in odd:
            v = history[key][-1]
            if not v["dm"]:
                r = s3.get_object(Bucket=bucket, Key=key)
                h.assert_eq((r["Body"].read(), r["VersionId"]), (v["body"], v["id"]))
    check("get_object without VersionId gives the newest version and its id", current_reads)

    # ---- errors --------------------------------------------------------------------------------------------------
    key = odd[1]
    check("get_object malformed VersionId -> 400 InvalidArgument", lambda: expect_error(
        "InvalidArgument", 400, lambda: s3.get_object(Bucket=bucket, Key=key, VersionId="not-a-version")))
    check("head_object malformed VersionId -> 400", lambda: expect_error(
        "400", 400, lambda: s3.head_object(Bucket=bucket, Key=key, VersionId="0123")))
    check("delete_object malformed VersionId -> 400 InvalidArgument", lambda: expect_error(
        "InvalidArgument", 400, lambda: s3.delete_object(Bucket=bucket, Key=key, VersionId="XYZ" * 11 + "Q")))
    check("get_object with a commit of branch dev -> 404 NoSuchVersion", lambda: expect_error(
        "NoSuchVersion", 404, lambda: s3.get_object(Bucket=bucket, Key=odd[0], VersionId=dev["id"])))
    check("get_object with an unknown version id -> 404 NoSuchVersion", lambda: expect_error(
        "NoSuchVersion", 404, lambda: s3.get_object(Bucket=bucket, Key=key, VersionId=uuid.uuid4().hex)))

    early = history[odd[3]][0]["id"]  # v1 of an odd key
    commit_bucket = f"{early}.master.{repo}"

    def read_only(call):
        def run():
            e = expect_error("MethodNotAllowed", 405, call)
            h.expect(bucket in e.response["Error"]["Message"], f"the message does not name {bucket}: {e.response['Error']['Message']}")
        return run
    check("put_object to a commit bucket -> 405 MethodNotAllowed naming the branch bucket",
          read_only(lambda: s3.put_object(Bucket=commit_bucket, Key="new", Body=b"x")))
    check("delete_object in a commit bucket -> 405 MethodNotAllowed", read_only(lambda: s3.delete_object(Bucket=commit_bucket, Key=odd[3])))
    check("copy_object into a commit bucket -> 405 MethodNotAllowed", read_only(
        lambda: s3.copy_object(Bucket=commit_bucket, Key="c", CopySource={"Bucket": bucket, "Key": odd[1]})))

    def state_at(commit, commits):
        """key -> version at that commit, from pachd's order of commits."""
        position = {c: i for i, c in enumerate(commits)}
        at = position[commit]
        state = {}
        for key, versions in history.items():
            older = [v for v in versions if position[v["id"]] >= at]
            if older and not older[-1]["dm"]:
                state[key] = older[-1]
        return state

    def commit_bucket_reads():
        state = state_at(early, pachd_commits())
        h.assert_eq(s3.get_object(Bucket=commit_bucket, Key=odd[3])["Body"].read(), history[odd[3]][0]["body"])
        listed = []
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=commit_bucket):
            listed += [(c["Key"], c["Size"]) for c in page.get("Contents", [])]
        h.assert_eq(listed, [(k, len(state[k]["body"])) for k in key_sort(state)])
        for k in key_sort(state)[:5]:
            h.assert_eq(s3.get_object(Bucket=commit_bucket, Key=k)["Body"].read(), state[k]["body"])
    check("a commit bucket reads and lists the state at that commit", commit_bucket_reads)

    def commit_bucket_etags():
        state = state_at(early, pachd_commits())
        listed = []
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=commit_bucket):
            listed += [(c["Key"], c["ETag"]) for c in page.get("Contents", [])]
        h.assert_eq(listed, [(k, state[k]["etag"]) for k in key_sort(state)])
        h.assert_eq(s3.head_object(Bucket=commit_bucket, Key=odd[3])["ETag"], history[odd[3]][0]["etag"])
    check("a commit bucket's listing gives each object's ETag (MD5, as head_object does)", commit_bucket_etags)

    # ---- copies from old versions --------------------------------------------------------------------------------
    def copy_old():
        src = next(k for k in odd if meta_kind[k] == 1)
        v1 = history[src][0]
        r = s3.copy_object(Bucket=bucket, Key="copies/from v1", CopySource={"Bucket": bucket, "Key": src, "VersionId": v1["id"]})
        h.assert_eq(r.get("CopySourceVersionId"), v1["id"])
        record_put("copies/from v1", r, v1["body"], v1["ctype"], v1["meta"])
        got = s3.get_object(Bucket=bucket, Key="copies/from v1")
        h.assert_eq((got["Body"].read(), got["ContentType"], got["Metadata"]), (v1["body"], v1["ctype"], v1["meta"]))
        v2 = history[src][1]
        r = s3.copy_object(Bucket=bucket, Key="copies/from v2 replaced", MetadataDirective="REPLACE", ContentType="text/x-copied",
                           Metadata={"copied": "yes"}, CopySource={"Bucket": bucket, "Key": src, "VersionId": v2["id"]})
        record_put("copies/from v2 replaced", r, v2["body"], "text/x-copied", {"copied": "yes"})
        got = s3.get_object(Bucket=bucket, Key="copies/from v2 replaced")
        h.assert_eq((got["Body"].read(), got["ContentType"], got["Metadata"]), (v2["body"], "text/x-copied", {"copied": "yes"}))
    check("copy_object from an old VersionId copies that version's bytes and metadata (COPY and REPLACE)", copy_old)

    def copy_from_delete_marker():
        src = by_one[0]
        dm = next(v for v in history[src] if v["dm"])
        try:
            s3.copy_object(Bucket=bucket, Key="copies/from a marker", CopySource={"Bucket": bucket, "Key": src, "VersionId": dm["id"]})
        except h.ClientError as e:
            h.expect(status(e) in (400, 405), f"status {status(e)}")
        else:
            raise AssertionError("copy from a delete marker succeeded")
        h.expect_error("NoSuchKey", lambda: s3.get_object(Bucket=bucket, Key="copies/from a marker"))
    check("copy_object from a delete marker's VersionId fails, nothing written", copy_from_delete_marker)

    def part_copy():
        big = "copies/big source"
        b1, b2 = rnd.randbytes(6 * MIB + 3), b"small v2"
        record_put(big, s3.put_object(Bucket=bucket, Key=big, Body=b1), b1)
        record_put(big, s3.put_object(Bucket=bucket, Key=big, Body=b2), b2)
        small = odd[4]
        sv = next(v for v in history[small] if not v["dm"])  # its v1
        dst = "copies/multipart from old versions"
        up = s3.create_multipart_upload(Bucket=bucket, Key=dst)["UploadId"]
        p1 = s3.upload_part_copy(Bucket=bucket, Key=dst, UploadId=up, PartNumber=1, CopySourceRange=f"bytes=0-{5 * MIB - 1}",
                                 CopySource={"Bucket": bucket, "Key": big, "VersionId": history[big][0]["id"]})
        h.assert_eq(p1.get("CopySourceVersionId"), history[big][0]["id"])
        p2 = s3.upload_part_copy(Bucket=bucket, Key=dst, UploadId=up, PartNumber=2,
                                 CopySource={"Bucket": bucket, "Key": small, "VersionId": sv["id"]})
        parts = [{"PartNumber": 1, "ETag": p1["CopyPartResult"]["ETag"]}, {"PartNumber": 2, "ETag": p2["CopyPartResult"]["ETag"]}]
        r = s3.complete_multipart_upload(Bucket=bucket, Key=dst, UploadId=up, MultipartUpload={"Parts": parts})
        want = b1[:5 * MIB] + sv["body"]
        etag = '"%s-2"' % hashlib.md5(hashlib.md5(b1[:5 * MIB]).digest() + hashlib.md5(sv["body"]).digest()).hexdigest()
        record_put(dst, r, want, etag=etag)
        got = s3.get_object(Bucket=bucket, Key=dst)
        h.expect(got["Body"].read() == want, "multipart copy: bytes differ")
        h.assert_eq((got["ETag"], got["VersionId"]), (etag, r["VersionId"]))
    check("upload_part_copy from old versions (one with a range) assembles their bytes", part_copy)

    check("listing with the copies = expected list", listing(1000))

    # ---- removing versions ---------------------------------------------------------------------------------------
    def remove(key, vid):
        r = s3.delete_object(Bucket=bucket, Key=key, VersionId=vid)
        h.assert_eq((r["VersionId"], header(r, "x-amz-version-id")), (vid, vid))
        v = version_of(key, vid)
        h.assert_eq(r.get("DeleteMarker", False), v["dm"])
        history[key].remove(v)

    def listed_for(key):
        got, _, _ = list_versions(1000, key)
        return [e for e in got if e[0] == key]

    def remove_newest_then_marker():
        key = batched[0]  # v1, v2, a delete marker, v3
        remove(key, history[key][-1]["id"])
        assert_listing(listed_for(key), expected_listing(key))
        dm = history[key][-1]
        h.expect(dm["dm"], "the delete marker should be the newest version now")
        e = expect_error("NoSuchKey", 404, lambda: s3.get_object(Bucket=bucket, Key=key))
        h.assert_eq((header(e, "x-amz-delete-marker"), header(e, "x-amz-version-id")), ("true", dm["id"]))
    check("delete_object(VersionId=newest) with a delete marker before it: the key reads as deleted (404, marker headers)",
          remove_newest_then_marker)

    def remove_marker():
        key = batched[0]
        remove(key, history[key][-1]["id"])
        v2 = history[key][-1]
        got = s3.get_object(Bucket=bucket, Key=key)
        h.assert_eq((got["Body"].read(), got["VersionId"], got["ETag"], got["ContentType"], got["Metadata"]),
                    (v2["body"], v2["id"], v2["etag"], v2["ctype"], v2["meta"]))
        assert_listing(listed_for(key), expected_listing(key))
    check("delete_object(VersionId=that delete marker): v2 is current again (bytes, id, ETag, metadata)", remove_marker)

    def remove_newest_bulk():
        for key in bulk[:20]:
            remove(key, history[key][-1]["id"])
            v3 = history[key][-1]
            got = s3.get_object(Bucket=bucket, Key=key)
            h.assert_eq((got["Body"].read(), got["VersionId"]), (v3["body"], v3["id"]))
            h.assert_eq(s3.head_object(Bucket=bucket, Key=key)["ETag"], v3["etag"])
        assert_listing(list_versions(1000, "bulk/")[0], expected_listing("bulk/"))
    check("delete_object(VersionId=newest) of 20 bulk keys: each reads its previous version; the restoring commit is not listed",
          remove_newest_bulk)

    def remove_oldest():
        key = bulk[30]
        remove(key, history[key][0]["id"])
        got = s3.get_object(Bucket=bucket, Key=key)
        h.assert_eq((got["Body"].read(), got["VersionId"]), (history[key][-1]["body"], history[key][-1]["id"]))
        assert_listing(listed_for(key), expected_listing(key))
        e = expect_error("NoSuchVersion", 404, lambda: s3.get_object(Bucket=bucket, Key=key, VersionId=removed_id))
        h.assert_eq(e.response["Error"].get("VersionId"), removed_id)
    removed_id = history[bulk[30]][0]["id"]
    check("delete_object(VersionId=oldest): current unchanged, the version unlisted and unreadable (NoSuchVersion)", remove_oldest)

    def remove_unknown():
        key = bulk[31]
        before = listed_for(key)
        vid = uuid.uuid4().hex
        r = s3.delete_object(Bucket=bucket, Key=key, VersionId=vid)
        h.assert_eq(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        h.assert_eq(listed_for(key), before)
        h.assert_eq(s3.get_object(Bucket=bucket, Key=key)["Body"].read(), history[key][-1]["body"])
    check("delete_object with an unknown VersionId -> 204, nothing changes", remove_unknown)

    def remove_all_of_some():
        keys = [odd[5], odd[6], bulk[40], bulk[41]]
        objects = [{"Key": k, "VersionId": v} for k in keys for (kk, v, _, _) in listed_for(k) if kk == k]
        h.assert_eq(len(objects), sum(len(history[k]) for k in keys))
        r = s3.delete_objects(Bucket=bucket, Delete={"Objects": objects})
        h.expect(not r.get("Errors"), r.get("Errors"))
        h.assert_eq(sorted((d["Key"], d["VersionId"]) for d in r["Deleted"]), sorted((o["Key"], o["VersionId"]) for o in objects))
        for k in keys:
            history.pop(k)
            h.assert_eq(listed_for(k), [])
            e = expect_error("NoSuchKey", 404, lambda: s3.get_object(Bucket=bucket, Key=k))
            h.assert_eq(header(e, "x-amz-delete-marker"), None)
            h.expect(k not in [c["Key"] for c in s3.list_objects_v2(Bucket=bucket, Prefix=k).get("Contents", [])], f"{k!r} still listed")
    check("delete_objects with every version of 4 keys: they are gone from get, list_objects_v2 and list_object_versions",
          remove_all_of_some)

    check("listing after the removals = expected list", listing(1000))
    check("every listed VersionId is still a commit of master, in pachd's order", against_pachd)

    # ---- every version out, then the buckets ---------------------------------------------------------------------
    def remove_everything():
        objects = [{"Key": k, "VersionId": v} for k, v, _, _ in list_versions(1000)[0]]
        h.assert_eq(len(objects), len(expected_listing()))
        for i in range(0, len(objects), 1000):
            r = s3.delete_objects(Bucket=bucket, Delete={"Objects": objects[i:i + 1000], "Quiet": True})
            h.expect(not r.get("Errors"), r.get("Errors", [])[:5])
        history.clear()
        got, _, _ = list_versions(1000)
        h.assert_eq(got, [])
        h.assert_eq(s3.list_objects_v2(Bucket=bucket)["KeyCount"], 0)
    check("delete_objects (Quiet) with every listed version: nothing left to list", remove_everything)

    def pachd_kept():
        commits = set(pachd_commits())
        h.expect(written_ids <= commits, f"{len(written_ids - commits)} removed version ids are no longer commits of master")
    check("pachd keeps the commits of the removed versions", pachd_kept)

    def delete_dev():
        listed = s3.list_object_versions(Bucket=dev_bucket)
        objects = [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in listed.get("Versions", []) + listed.get("DeleteMarkers", [])]
        h.expect({"Key": odd[0], "VersionId": dev["id"]} in objects, f"dev's version not listed: {objects[:5]}")
        r = s3.delete_objects(Bucket=dev_bucket, Delete={"Objects": objects})
        h.expect(not r.get("Errors"), r.get("Errors"))
        s3.delete_bucket(Bucket=dev_bucket)
    check(f"remove every version on dev, delete_bucket {dev_bucket}", delete_dev)
    check("delete_bucket succeeds once every version is removed", lambda: s3.delete_bucket(Bucket=bucket))
    check("head_bucket -> 404", lambda: expect_error("404", 404, lambda: s3.head_bucket(Bucket=bucket)))


def concurrency():
    """Writes from 8 threads at once, in a bucket of their own: each answer must name the commit that holds that
    write, and each version must carry its own ETag and checksum."""
    race = f"master.{repo}race"
    check(f"create_bucket {race}", lambda: s3.create_bucket(Bucket=race))
    keys = [f"race/{i:02d} \u00e9" for i in range(24)]
    answered = {}

    def listed():
        out = {}
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=race):
            for v in page.get("Versions", []) + page.get("DeleteMarkers", []):
                out.setdefault(v["Key"], []).append(v)
        return out

    def put_distinct():
        def one(k):
            answered[k] = [s3.put_object(Bucket=race, Key=k, Body=k.encode())["VersionId"]]
        in_parallel(one, keys)
        got = listed()
        wrong = [(k, answered[k][0], [v["VersionId"] for v in got.get(k, [])]) for k in keys
                 if [v["VersionId"] for v in got.get(k, [])] != answered[k]]
        h.expect(not wrong, f"{len(wrong)} of {len(keys)} put_object answers name another commit than the one listed for "
                            f"their key (key, answered, listed), e.g. {wrong[:3]}")
    check(f"{len(keys)} concurrent put_object of distinct keys: each answered VersionId is the one listed for its key", put_distinct)

    def delete_distinct():
        def one(k):
            answered[k].append(s3.delete_object(Bucket=race, Key=k)["VersionId"])
        in_parallel(one, keys)
        got = listed()
        wrong = [(k, answered[k][1], [v["VersionId"] for v in got.get(k, []) if "ETag" not in v]) for k in keys
                 if [v["VersionId"] for v in got.get(k, []) if "ETag" not in v] != answered[k][1:]]
        h.expect(not wrong, f"{len(wrong)} of {len(keys)} delete_object answers name another commit than the delete "
                            f"marker listed for their key (key, answered, listed), e.g. {wrong[:3]}")
    check(f"{len(keys)} concurrent delete_object of distinct keys: each answered VersionId is its key's delete marker",
          delete_distinct)

    def same_key():
        bodies = {}

        def one(i):
            body = b"writer %d|" % i + rnd.randbytes(1000)
            r = s3.put_object(Bucket=race, Key="same key", Body=body)
            bodies[hashlib.md5(body).hexdigest()] = body
            h.assert_eq(r["ETag"], md5_etag(body))
        in_parallel(one, range(16))
        versions = listed().get("same key", [])
        h.assert_eq(len(versions), 16)
        bad = []
        for v in versions:
            got = s3.get_object(Bucket=race, Key="same key", VersionId=v["VersionId"], ChecksumMode="ENABLED")
            try:
                data = got["Body"].read()  # boto3 checks the returned CRC32 against the bytes here
            except h.botocore.exceptions.FlexibleChecksumError as e:
                bad.append((v["VersionId"], v["ETag"], got["ETag"], f"checksum: {e}"))
                continue
            if not (v["ETag"] == got["ETag"] == md5_etag(data)):
                bad.append((v["VersionId"], v["ETag"], got["ETag"], md5_etag(data)))
        h.expect(not bad, f"{len(bad)} of 16 versions carry another version's ETag (id, listed, get, MD5 of the bytes), e.g. {bad[:3]}")
    check("16 concurrent put_object of one key: every version reads back with its own ETag (MD5) and checksum", same_key)

    def remove_while_indexing():
        old = []
        for i in range(24):
            k = f"rm-old/{i:02d}"
            old.append((k, s3.put_object(Bucket=race, Key=k, Body=b"one")["VersionId"]))
            s3.put_object(Bucket=race, Key=k, Body=b"two")
        # No listing in between: the removals are the first requests to see these commits.
        in_parallel(lambda kv: s3.delete_object(Bucket=race, Key=kv[0], VersionId=kv[1]), old)
        got = listed()
        still = [(k, v) for k, v in old if v in [x["VersionId"] for x in got.get(k, [])]]
        h.expect(not still, f"{len(still)} of {len(old)} removed versions (answered 204) are listed again, e.g. {still[:3]}")
    check("24 concurrent delete_object(VersionId=old version) right after the writes: none of them is listed afterwards",
          remove_while_indexing)

    def remove_all_concurrently():
        pairs = []
        for i in range(8):
            k = f"rm-all/{i:02d}"
            pairs.append((k, s3.put_object(Bucket=race, Key=k, Body=b"x")["VersionId"]))
            pairs.append((k, s3.delete_object(Bucket=race, Key=k)["VersionId"]))
        listed()  # the version index is up to date: only the removals run concurrently
        failures = []

        def one(kv):
            try:
                s3.delete_object(Bucket=race, Key=kv[0], VersionId=kv[1])
            except h.ClientError as e:
                failures.append((kv, e.response["Error"]["Code"], status(e)))
        in_parallel(one, pairs)
        got = listed()
        left = {k: [v["VersionId"] for v in got.get(k, [])] for k, _ in pairs if got.get(k)}
        current = [c["Key"] for c in s3.list_objects_v2(Bucket=race, Prefix="rm-all/").get("Contents", [])]
        h.expect(not failures and not left and not current,
                 f"failed removals {failures[:3]}; versions still listed {left}; keys current again (with no version listed "
                 f"for them) {[k for k in current if k not in left]}")
    check("concurrent delete_object(VersionId) of both versions (v1, delete marker) of 8 keys: all succeed, the keys are gone",
          remove_all_concurrently)

    def cleanup():
        # Removes what is listed; a key left current without a listed version (see above) gets a delete marker first.
        for _ in range(3):
            objects = [{"Key": k, "VersionId": v["VersionId"]} for k, vs in listed().items() for v in vs]
            for i in range(0, len(objects), 1000):
                r = s3.delete_objects(Bucket=race, Delete={"Objects": objects[i:i + 1000]})
                h.expect(not r.get("Errors"), r.get("Errors", [])[:5])
            current = [{"Key": c["Key"]} for c in s3.list_objects_v2(Bucket=race).get("Contents", [])]
            if not current:
                break
            s3.delete_objects(Bucket=race, Delete={"Objects": current})
        h.assert_eq(listed(), {})
        s3.delete_bucket(Bucket=race)
    check(f"remove every version in {race}, delete_bucket", cleanup)


if __name__ == "__main__":
    print(f"boto3 {h.boto3.__version__} against {h.ENDPOINT}, bucket {bucket}")
    started = time.time()
    main()
    concurrency()
    print(f"[{SUITE}] {time.time() - started:.0f}s")
    print(f"E2E-RESULT boto3-versions passed={h.PASSED} failed={h.FAILED}")
    sys.exit(1 if h.FAILED else 0)
