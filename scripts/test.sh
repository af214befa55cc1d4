#!/usr/bin/env bash
# `make test`: everything CI runs. Formatting, clippy, every Rust test, the launcher's tests, then
# the local AWS + the built portal + Playwright in Chromium, then a clean stop of every process it
# started (by PID). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=scripts/local-aws.sh
source scripts/local-aws.sh

scripts/install-tools.sh --browser
export PATH="$ROOT/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
# Incremental compilation caches add many GB to target/ and help only repeated local builds.
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}

STATE=$ROOT/.local-aws/test
rm -rf "$STATE"
mkdir -p "$STATE"
free_port() { .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

LOCAL_AWS_PID=""
PORTAL_PID=""
cleanup() {
  status=$?
  trap - EXIT INT TERM
  [ -n "$PORTAL_PID" ] && { echo "==> stopping the portal (pid $PORTAL_PID)"; stop_pid "$PORTAL_PID"; }
  [ -n "$LOCAL_AWS_PID" ] && { echo "==> stopping the local AWS (pid $LOCAL_AWS_PID)"; stop_pid "$LOCAL_AWS_PID"; }
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { printf '\n==> %s\n' "$*"; SECONDS_AT_STEP=$SECONDS; }
took() { printf '    (%ss)\n' "$((SECONDS - SECONDS_AT_STEP))"; }

step "formatting (cargo fmt --check)"
cargo fmt --all -- --check
took

step "clippy, server side (-D warnings)"
cargo clippy -p server -p app --all-targets -- -D warnings
took
step "clippy, browser side (-D warnings)"
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings
took

step "the local AWS launcher's tests (pytest)"
.venv/bin/python -m pytest -q localaws/tests
took

step "starting a local AWS for the tests"
LOCAL_AWS_PORT=$(free_port)
start_local_aws "$LOCAL_AWS_PORT" "$STATE"
seed_local_aws "$LOCAL_AWS_PORT" "$STATE"
# Test-only: the local Cognito's signing key, so the verifier's tests can mint forged tokens.
.venv/bin/python localaws/signing_key.py > "$STATE/cognito-signing-key.pem"
export FASTISH_TEST_SIGNING_KEY="$STATE/cognito-signing-key.pem"
export FASTISH_TEST_DEMO="$STATE/demo.json"
set -a
# shellcheck disable=SC1091
source "$STATE/portal.env"
set +a
took

step "Rust tests (cargo test)"
cargo test -p server -p app
took

step "building the portal (cargo leptos build)"
cargo leptos build
took

step "starting the built portal"
PORTAL_PORT=$(free_port)
PORTAL_ADDR=127.0.0.1:$PORTAL_PORT \
  LEPTOS_SITE_ROOT="$ROOT/target/site" \
  PORTAL_DATA_DIR="$STATE/data" \
  PORTAL_INSECURE_HTTP=true \
  RUST_LOG=debug \
  "$ROOT/target/debug/server" >"$STATE/portal.log" 2>&1 &
PORTAL_PID=$!
for _ in $(seq 1 150); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORTAL_PORT/healthz" 2>/dev/null && break
  kill -0 "$PORTAL_PID" 2>/dev/null || { echo "the portal did not start:" >&2; cat "$STATE/portal.log" >&2; exit 1; }
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$PORTAL_PORT/readyz" >/dev/null
echo "    portal on http://127.0.0.1:$PORTAL_PORT (pid $PORTAL_PID, log $STATE/portal.log)"
took

step "browser tests (Playwright, Debian's Chromium)"
(cd end2end && PORTAL_URL="http://127.0.0.1:$PORTAL_PORT" PORTAL_SITE_ROOT="$ROOT/target/site" npx playwright test)
took

step "no API key in the portal's log"
if grep -Eq 'sk_[0-9a-f]{32}' "$STATE/portal.log"; then
  echo "the portal's log contains something shaped like an API key:" >&2
  grep -En 'sk_[0-9a-f]{32}' "$STATE/portal.log" | sed -E 's/sk_[0-9a-f]{32}/sk_<redacted>/g' >&2
  exit 1
fi
took

printf '\n==> make test: everything passed (%ss)\n' "$SECONDS"
