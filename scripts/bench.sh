#!/usr/bin/env bash
# `make bench`: Verify Configuration's performance against the local AWS, printed (never asserted).
# Starts its own local AWS on a free port, seeds it, runs server/examples/bench.rs in the release
# profile, and stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=scripts/local-aws.sh
source scripts/local-aws.sh

scripts/install-tools.sh
export PATH="$HOME/.cargo/bin:$PATH"

STATE=$ROOT/.local-aws/bench
rm -rf "$STATE"
mkdir -p "$STATE"
LOCAL_AWS_PID=""
cleanup() {
  status=$?
  trap - EXIT INT TERM
  [ -n "$LOCAL_AWS_PID" ] && stop_pid "$LOCAL_AWS_PID"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "==> building the benchmark (release profile)"
cargo build --release -p server --example bench

PORT=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start_local_aws "$PORT" "$STATE"
seed_local_aws "$PORT" "$STATE"
set -a
# shellcheck disable=SC1091
source "$STATE/portal.env"
set +a
export FASTISH_TEST_DEMO="$STATE/demo.json"
RUST_LOG=${RUST_LOG:-warn} "$ROOT/target/release/examples/bench"
