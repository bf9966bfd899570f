#!/usr/bin/env python3
"""A stand-in for Azure Monitor's ingestion endpoint, for the telemetry e2e check of Functions mode: the gateway's
APPLICATIONINSIGHTS_CONNECTION_STRING names http://127.0.0.1:PORT/ as IngestionEndpoint (and LiveEndpoint), and every
telemetry item it posts to /v2.1/track (or /v2/track) is appended to OUT as one JSON line. Live metrics pings are
answered "not subscribed". Usage: python3 tests/e2e/fake_azure_monitor.py PORT OUT"""
import gzip
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.split("?")[0].endswith("/track"):
            if self.headers.get("Content-Encoding", "").lower() == "gzip":
                body = gzip.decompress(body)
            text = body.decode("utf-8").strip()
            items = json.loads(text) if text.startswith("[") else [json.loads(line) for line in text.splitlines() if line.strip()]
            with LOCK, open(sys.argv[2], "a", encoding="utf-8") as out:
                for item in items:
                    out.write(json.dumps(item) + "\n")
            self.answer(200, {"itemsReceived": len(items), "itemsAccepted": len(items), "errors": []})
        else:
            # Live metrics (QuickPulse) ping/post: nobody is watching.
            self.answer(200, {}, {"x-ms-qps-subscribed": "false"})

    def answer(self, status, payload, headers=None):
        data = json.dumps(payload).encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_):
        pass


if __name__ == "__main__":
    open(sys.argv[2], "a").close()
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
