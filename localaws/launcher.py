#!/usr/bin/env python3
"""Starts the project's local AWS: moto's server on loopback, with STS evaluating trust policies
and Cognito honouring app-client read attributes; test fixtures can put in place the states stock
moto cannot reach (fastish_localaws/states.py), and benchmarks can add a network delay
(fastish_localaws/latency.py).

    python localaws/launcher.py [--host 127.0.0.1] [--port 4566] [--port-file F] [--pid-file F]

--port 0 binds a free port; the port actually bound is written to --port-file (for tests) and
printed as `local AWS listening on http://HOST:PORT`. SIGINT/SIGTERM stop it cleanly.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


# Behaviour of real AWS that the portal's checks depend on (see shared notes, local-aws.md).
os.environ.setdefault("MOTO_S3_ALLOW_CROSSACCOUNT_ACCESS", "false")
os.environ.setdefault("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")
# Never pin every request to one account: assumed-role keys must land in the role's account.
os.environ.pop("MOTO_ACCOUNT_ID", None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOCAL_AWS_PORT", "4566")))
    parser.add_argument("--port-file")
    parser.add_argument("--pid-file")
    args = parser.parse_args(argv)

    from werkzeug.serving import make_server
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )

    from fastish_localaws import cognito_guard, states, sts_guard
    from fastish_localaws.latency import Latency

    sts_guard.install()
    cognito_guard.install()
    states.install()
    app = Latency(states.States(DomainDispatcherApplication(create_backend_app)))
    server = make_server(args.host, args.port, app, threaded=True, request_handler=MotoRequestHandler)
    host, port = server.server_address[:2]
    os.environ["MOTO_PORT"] = str(port)

    def stop(_signum, _frame):
        # shutdown() waits for serve_forever to return, so it must run off the main thread.
        import threading

        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    if args.pid_file:
        Path(args.pid_file).write_text(f"{os.getpid()}\n")
    if args.port_file:
        tmp = Path(args.port_file + ".tmp")
        tmp.write_text(f"{port}\n")
        tmp.replace(args.port_file)
    print(f"local AWS listening on http://{host}:{port}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        for f in (args.pid_file, args.port_file):
            if f:
                Path(f).unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
