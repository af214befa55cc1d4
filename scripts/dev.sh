#!/usr/bin/env bash
# `make dev`: install what is missing, start (or reuse) the local AWS, seed the demo, and serve the
# portal with `cargo leptos watch`. Ctrl-C stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/local-aws.sh
source scripts/local-aws.sh

LOCAL_AWS_PORT=${LOCAL_AWS_PORT:-4566}
PORTAL_ADDR=${PORTAL_ADDR:-127.0.0.1:3000}
STATE=.local-aws/dev

scripts/install-tools.sh
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"

LOCAL_AWS_PID=""
cleanup() {
  trap - EXIT INT TERM
  if [ -n "$LOCAL_AWS_PID" ]; then
    echo "==> stopping the local AWS (pid $LOCAL_AWS_PID)"
    stop_pid "$LOCAL_AWS_PID"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_local_aws "$LOCAL_AWS_PORT" "$STATE"
seed_local_aws "$LOCAL_AWS_PORT" "$STATE"

set -a
# shellcheck disable=SC1091
source "$STATE/portal.env"
set +a
export PORTAL_ADDR LEPTOS_SITE_ADDR="$PORTAL_ADDR"
export PORTAL_INSECURE_HTTP=true   # plain-http local mode: cookies without Secure
export PORTAL_DATA_DIR=${PORTAL_DATA_DIR:-$PWD/data}

demo_email=$(.venv/bin/python -c 'import json,sys; print(json.load(open(sys.argv[1]))["email"])' "$STATE/demo.json")
demo_password=$(.venv/bin/python -c 'import json,sys; print(json.load(open(sys.argv[1]))["password"])' "$STATE/demo.json")
cat <<BANNER

  Fastish Portal     http://$PORTAL_ADDR   (first build takes a few minutes)
  Local AWS          $AWS_ENDPOINT_URL
  Demo sign-in       $demo_email / $demo_password
  Demo accounts      210987654321 (correct CDK bootstrap), 310987654321 (misconfigured)
                     their resources: $STATE/demo.json
  Data directory     $PORTAL_DATA_DIR
  Stop               Ctrl-C

BANNER
cargo leptos watch
