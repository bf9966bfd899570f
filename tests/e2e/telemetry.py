#!/usr/bin/env python3
"""End-to-end check of the gateway's telemetry against what a client did: a boto3 workload (every S3 operation
family, successes and 4xx errors, retries off) counts its own requests by operation and HTTP status class, the bytes
it sent and read, and gives each request its own W3C traceparent; then the telemetry must say the same.
- Standalone (E2E_METRICS_URL, the Prometheus scrape): the change of each request counter between a scrape before and
  one after equals the client's count (no other operation may move: nothing else runs against the gateway meanwhile),
  response bytes of GetObject equal the bytes read, request bytes cover the bytes sent, nothing is left in flight, and
  the pachd call metrics moved with the requests.
- Functions mode (E2E_AZURE_MONITOR_OUT, what tests/e2e/fake_azure_monitor.py received from the Azure Monitor
  exporter): every request of the workload arrives as an item of its own trace (the client's trace id) named after
  its operation with its status code, the pachd calls arrive as dependencies of those traces, and the metrics
  exporter delivers the request metric (its first export comes within 60 s).
Same output as boto3_e2e.py. Usage: S3_ENDPOINT=... E2E_METRICS_URL=... | E2E_AZURE_MONITOR_OUT=... python3 tests/e2e/telemetry.py"""
import collections
import json
import os
import random
import re
import secrets
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boto3_e2e as h  # noqa: E402  (the shared check harness; exits with a counted failure when boto3 is missing)
from botocore.exceptions import ClientError  # noqa: E402

METRICS_URL = os.environ.get("E2E_METRICS_URL")
AZURE_OUT = os.environ.get("E2E_AZURE_MONITOR_OUT")
SUITE = "telemetry"
SAMPLE = re.compile(r'^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)')
LABEL = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"')


class Ledger:
    """What the client did, from botocore's own events: one entry per HTTP request (retries are off)."""

    def __init__(self, s3):
        self.requests = collections.Counter()
        self.traces = {}
        self.bytes_read = 0
        self.bytes_sent = collections.Counter()
        self._trace = None
        s3.meta.events.register("before-send.s3", self._before_send)
        s3.meta.events.register("after-call.s3", self._after_call)

    def _before_send(self, request, **_):
        trace_id = secrets.token_hex(16)
        request.headers["traceparent"] = f"00-{trace_id}-{secrets.token_hex(8)}-01"
        self._trace = trace_id

    def _after_call(self, http_response, model, **_):
        status = http_response.status_code
        self.requests[(model.name, f"{status // 100}xx")] += 1
        self.traces[self._trace] = (model.name, status)
        if model.name == "GetObject" and status >= 300:
            # An error's XML body is response bytes too (a success's body is counted as the caller reads it).
            self.bytes_read += len(http_response.content or b"")


def scrape():
    """The gateway's Prometheus text, as {(metric, frozenset(labels)): value}."""
    with urllib.request.urlopen(METRICS_URL, timeout=30) as r:
        h.expect(r.status == 200, f"scrape answered {r.status}")
        text = r.read().decode()
    samples = {}
    for line in text.splitlines():
        m = SAMPLE.match(line)
        if m and not line.startswith("#"):
            labels = frozenset((k, v) for k, v in LABEL.findall(m.group(2) or "") if not k.startswith("otel_scope"))
            samples[(m.group(1), labels)] = float(m.group(3))
    return samples


def by(samples, metric, *keys):
    """Sums the samples of METRIC by the label values KEYS."""
    out = collections.Counter()
    for (name, labels), value in samples.items():
        if name == metric:
            d = dict(labels)
            out[tuple(d.get(k, "") for k in keys)] += value
    return out


def delta(before, after, metric, *keys):
    b, a = by(before, metric, *keys), by(after, metric, *keys)
    return {k: a[k] - b[k] for k in set(a) | set(b) if a[k] - b[k] != 0}


def workload(s3, ledger):
    """Every operation family the clients use, with sizes and errors the ledger records."""
    bucket = f"master.telem{int(time.time())}{random.randint(0, 9999)}"
    s3.create_bucket(Bucket=bucket)
    s3.head_bucket(Bucket=bucket)
    bodies = {f"t/obj-{i}.bin": os.urandom(size) for i, size in enumerate((0, 1, 1000, 65_536, 300_000))}
    for key, body in bodies.items():
        s3.put_object(Bucket=bucket, Key=key, Body=body)
        ledger.bytes_sent["PutObject"] += len(body)
    for key, body in bodies.items():
        got = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        h.assert_eq(got, body)
        ledger.bytes_read += len(got)
    got = s3.get_object(Bucket=bucket, Key="t/obj-4.bin", Range="bytes=100-4195")["Body"].read()
    h.assert_eq(len(got), 4096)
    ledger.bytes_read += len(got)
    for key in list(bodies)[:3]:
        s3.head_object(Bucket=bucket, Key=key)
    for key in ("t/missing-1", "t/missing-2"):
        h.expect_error("404", lambda key=key: s3.head_object(Bucket=bucket, Key=key))
    h.expect_error("NoSuchKey", lambda: s3.get_object(Bucket=bucket, Key="t/missing-3"))
    h.expect_error("NoSuchBucket", lambda: s3.list_objects_v2(Bucket="master.no-such-repo-telemetry"))
    s3.list_objects_v2(Bucket=bucket, Prefix="t/")
    s3.list_objects_v2(Bucket=bucket, Delimiter="/")
    s3.list_objects(Bucket=bucket)
    s3.copy_object(Bucket=bucket, Key="t/copy.bin", CopySource={"Bucket": bucket, "Key": "t/obj-2.bin"})
    parts = [os.urandom(5 * 1024 * 1024), os.urandom(1000)]
    upload = s3.create_multipart_upload(Bucket=bucket, Key="t/multi.bin")["UploadId"]
    etags = []
    for n, part in enumerate(parts, 1):
        etags.append(s3.upload_part(Bucket=bucket, Key="t/multi.bin", UploadId=upload, PartNumber=n, Body=part)["ETag"])
        ledger.bytes_sent["UploadPart"] += len(part)
    s3.list_parts(Bucket=bucket, Key="t/multi.bin", UploadId=upload)
    s3.complete_multipart_upload(Bucket=bucket, Key="t/multi.bin", UploadId=upload,
                                 MultipartUpload={"Parts": [{"ETag": e, "PartNumber": n} for n, e in enumerate(etags, 1)]})
    s3.put_object_tagging(Bucket=bucket, Key="t/copy.bin", Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})
    s3.get_object_tagging(Bucket=bucket, Key="t/copy.bin")
    s3.delete_object(Bucket=bucket, Key="t/copy.bin")
    s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in [*bodies, "t/multi.bin"]]})
    s3.delete_bucket(Bucket=bucket)


def check_prometheus(s3):
    ledger = Ledger(s3)
    state = {}
    h.check(SUITE, "scrape before the workload", lambda: state.update(before=scrape()))
    h.check(SUITE, "workload of every operation family (successes and errors)", lambda: workload(s3, ledger))
    h.check(SUITE, "scrape after the workload", lambda: state.update(after=scrape()))
    if "before" not in state or "after" not in state:
        return
    before, after = state["before"], state["after"]

    def counts():
        got = delta(before, after, "gateway_s3_request_duration_seconds_count", "operation", "status_class")
        want = {k: float(v) for k, v in ledger.requests.items()}
        h.expect(len(want) >= 20, f"the workload covered only {len(want)} (operation, status) pairs")
        h.assert_eq(dict(sorted(got.items())), dict(sorted(want.items())))
    h.check(SUITE, "request counts by operation and status class equal the client's", counts)

    def response_bytes():
        got = delta(before, after, "gateway_s3_response_body_size_bytes_total", "operation").get(("GetObject",), 0)
        h.assert_eq(got, float(ledger.bytes_read))
    h.check(SUITE, "GetObject response bytes equal the bytes the client read (error bodies included)", response_bytes)

    def request_bytes():
        got = delta(before, after, "gateway_s3_request_body_size_bytes_total", "operation")
        for op, sent in ledger.bytes_sent.items():
            seen = got.get((op,), 0)
            # Bodies arrive in aws-chunked framing with a checksum trailer: a little more than the payload.
            h.expect(sent <= seen <= sent * 1.01 + 64 * 1024, f"{op}: {seen} bytes counted for {sent} sent")
    h.check(SUITE, "request bytes cover the bytes the client sent, framing included", request_bytes)

    def in_flight():
        active = by(after, "gateway_s3_active_requests", "operation")
        h.assert_eq({k: v for k, v in active.items() if v != 0}, {})
    h.check(SUITE, "no request left in flight", in_flight)

    def pachd_calls():
        got = delta(before, after, "gateway_pachd_call_duration_seconds_count", "rpc", "grpc_status")
        h.expect(got.get(("pfs_v2.API/GetFile", "OK"), 0) >= 6, f"GetFile calls: {got}")
        h.expect(got.get(("pfs_v2.API/ModifyFile", "OK"), 0) >= 5, f"ModifyFile calls: {got}")
        h.expect(all(status for _, status in got), f"a call without status: {got}")
    h.check(SUITE, "pachd calls by RPC and status moved with the requests", pachd_calls)


def azure_items():
    with open(AZURE_OUT, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def kind(item):
    return (item.get("data") or {}).get("baseType", "")


def check_azure_monitor(s3):
    ledger = Ledger(s3)
    h.check(SUITE, "workload of every operation family (successes and errors)", lambda: workload(s3, ledger))

    def requests():
        want = {t: v for t, v in ledger.traces.items() if t}
        deadline = time.time() + 60
        while True:
            got = {}
            for item in azure_items():
                tags = item.get("tags") or {}
                # The S3 span is internal under the host's invocation span (a dependency item), a request standalone.
                data = item["data"]["baseData"] if kind(item) in ("RequestData", "RemoteDependencyData") else None
                if data and tags.get("ai.operation.id") in want and data.get("name", "").startswith("S3 "):
                    got[tags["ai.operation.id"]] = (data["name"][3:], int(data.get("responseCode") or data.get("resultCode")))
            if len(got) == len(want) or time.time() > deadline:
                break
            time.sleep(1)
        missing = {t: v for t, v in want.items() if got.get(t) != v}
        h.expect(not missing, f"{len(missing)} of {len(want)} requests have no matching item, e.g. {list(missing.items())[:3]}")
    h.check(SUITE, "each request arrives in the client's trace, named by its operation, with its status", requests)

    def dependencies():
        traces = set(ledger.traces)
        grpc = [i for i in azure_items() if kind(i) == "RemoteDependencyData" and (i.get("tags") or {}).get("ai.operation.id") in traces]
        h.expect(len(grpc) >= len(traces) // 2, f"only {len(grpc)} pachd calls exported for {len(traces)} requests")
    h.check(SUITE, "pachd calls arrive as dependencies inside the requests' traces", dependencies)

    def metrics():
        deadline = time.time() + 75
        while time.time() < deadline:
            names = {m.get("name") for i in azure_items() if kind(i) == "MetricData" for m in i["data"]["baseData"].get("metrics", [])}
            if "gateway.s3.request.duration" in names:
                return
            time.sleep(2)
        raise AssertionError("no gateway.s3.request.duration metric exported within 75 s")
    h.check(SUITE, "the request metric is exported to Azure Monitor", metrics)


def main():
    if not METRICS_URL and not AZURE_OUT:
        h.check(SUITE, "a telemetry source is configured", lambda: h.expect(False, "set E2E_METRICS_URL or E2E_AZURE_MONITOR_OUT"))
    else:
        s3 = h.client("when_supported")
        (check_prometheus if METRICS_URL else check_azure_monitor)(s3)
    print(f"E2E-RESULT {SUITE} passed={h.PASSED} failed={h.FAILED}")
    sys.exit(1 if h.FAILED else 0)


if __name__ == "__main__":
    main()
