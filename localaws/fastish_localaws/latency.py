"""A network round trip for the local AWS, for benchmarks: a delay before each request.

moto answers on loopback in a few milliseconds and handles requests mostly one at a time (Python's
GIL), so concurrent calls queue there in a way they do not on real AWS, where a call's time is
mostly network latency. With a delay set, each request first waits (the wait releases the GIL, so
concurrent requests wait together, as they would on a network), then is served.

    POST /_fastish/latency  {"ms": 20}   sets the delay (0-5000 ms); GET shows it.

Off (0) unless a benchmark sets it. Tests never depend on it.
"""

from __future__ import annotations

import json
import threading
import time

PATH = "/_fastish/latency"
MAX_MS = 5000.0


class Latency:
    def __init__(self, app):
        self.app = app
        self.ms = 0.0
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == PATH:
            return self._control(environ, start_response)
        delay = self.ms
        if delay > 0:
            time.sleep(delay / 1000.0)
        return self.app(environ, start_response)

    def _control(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "POST":
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
                ms = float(json.loads(environ["wsgi.input"].read(length) or b"{}")["ms"])
                if not 0 <= ms <= MAX_MS:
                    raise ValueError("out of range")
            except (ValueError, KeyError, TypeError, json.JSONDecodeError):
                start_response("400 Bad Request", [("Content-Type", "application/json")])
                return [json.dumps({"error": f"send {{\"ms\": 0..{MAX_MS:g}}}"}).encode()]
            with self._lock:
                self.ms = ms
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps({"ms": self.ms}).encode()]
