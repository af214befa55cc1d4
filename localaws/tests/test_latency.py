"""The benchmark-only network delay: off by default, settable, concurrent requests wait together."""

from __future__ import annotations

import json
import threading
import time
import urllib.request

import pytest


def control(endpoint, ms=None):
    data = None if ms is None else json.dumps({"ms": ms}).encode()
    req = urllib.request.Request(f"{endpoint}/_fastish/latency", data=data, method="POST" if data else "GET")
    with urllib.request.urlopen(req) as r:
        return json.load(r)["ms"]


def timed_list_buckets(client):
    s3 = client("s3")
    start = time.perf_counter()
    s3.list_buckets()
    return time.perf_counter() - start


def test_off_by_default_and_settable(endpoint, client):
    assert control(endpoint) == 0
    try:
        assert control(endpoint, 200) == 200
        assert timed_list_buckets(client) >= 0.2
    finally:
        assert control(endpoint, 0) == 0
    assert timed_list_buckets(client) < 0.2


def test_concurrent_requests_wait_together(endpoint, client):
    clients = [client("s3") for _ in range(4)]
    for c in clients:
        c.list_buckets()  # warm each client up outside the measurement
    control(endpoint, 300)
    try:
        threads = [threading.Thread(target=c.list_buckets) for c in clients]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
    finally:
        control(endpoint, 0)
    assert 0.3 <= elapsed < 4 * 0.3, elapsed


@pytest.mark.parametrize("body", [b"{}", b"not json", b'{"ms": -1}', b'{"ms": 99999}'])
def test_bad_settings_are_refused(endpoint, body):
    req = urllib.request.Request(f"{endpoint}/_fastish/latency", data=body, method="POST")
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req)
    assert e.value.code == 400
    assert control(endpoint) == 0
