#!/usr/bin/env python3
"""Prints, as PEM, the RSA private key behind the local Cognito's key set (moto ships it).

Test-only: the portal's token-verifier tests mint forged tokens (expired, wrong issuer, wrong
client...) that carry a valid signature. Real Cognito's keys are never available like this.
"""

import gzip
import json
import sys
from pathlib import Path

import moto.cognitoidp
from joserfc.jwk import RSAKey


def main() -> int:
    path = Path(moto.cognitoidp.__file__).parent / "resources" / "jwks-private.json.gz"
    jwk = json.loads(gzip.decompress(path.read_bytes()))
    key = RSAKey.import_key(jwk)
    sys.stdout.write(key.as_pem(private=True).decode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
