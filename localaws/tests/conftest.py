"""Starts one launcher per test session on a free loopback port and hands out boto3 clients."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3
import botocore.config
import pytest

HERE = Path(__file__).resolve().parent.parent
PLATFORM_ACCOUNT = "123456789012"


@pytest.fixture(scope="session")
def endpoint():
    with tempfile.TemporaryDirectory() as tmp:
        port_file = Path(tmp) / "port"
        proc = subprocess.Popen(
            [sys.executable, str(HERE / "launcher.py"), "--port", "0", "--port-file", str(port_file)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 30
            while not port_file.exists():
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the launcher did not start")
                time.sleep(0.05)
            yield f"http://127.0.0.1:{port_file.read_text().strip()}"
        finally:
            proc.terminate()
            proc.wait(timeout=10)


@pytest.fixture
def client(endpoint):
    def make(service, account=None, credentials=None, region="us-west-2", validate=True):
        keys = dict(aws_access_key_id="test", aws_secret_access_key="test")
        if credentials:
            keys = dict(
                aws_access_key_id=credentials["AccessKeyId"],
                aws_secret_access_key=credentials["SecretAccessKey"],
                aws_session_token=credentials["SessionToken"],
            )
        config = botocore.config.Config(parameter_validation=validate)
        c = boto3.client(service, endpoint_url=endpoint, region_name=region, config=config, **keys)
        if account:
            c.meta.events.register(
                "before-sign.*.*",
                lambda request, **_: request.headers.__setitem__("x-moto-account-id", account),
            )
        return c

    return make
