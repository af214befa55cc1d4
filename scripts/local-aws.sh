#!/usr/bin/env bash
# Shared by dev.sh and test.sh: start (or reuse) the local AWS, wait for it, seed it.
# Sourced, not run. Callers set LOCAL_AWS_PORT and STATE_DIR.

# start_local_aws PORT STATE_DIR -> sets LOCAL_AWS_PID (empty when an existing one is reused)
start_local_aws() {
  local port=$1 state=$2
  mkdir -p "$state"
  LOCAL_AWS_PID=""
  if curl -fsS -o /dev/null "http://127.0.0.1:$port/moto-api/" 2>/dev/null; then
    echo "==> reusing the local AWS already running on 127.0.0.1:$port"
    return 0
  fi
  .venv/bin/python localaws/launcher.py --port "$port" --pid-file "$state/local-aws.pid" \
    >"$state/local-aws.log" 2>&1 &
  LOCAL_AWS_PID=$!
  for _ in $(seq 1 150); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/moto-api/" 2>/dev/null; then
      echo "==> local AWS listening on http://127.0.0.1:$port (pid $LOCAL_AWS_PID, log $state/local-aws.log)"
      return 0
    fi
    if ! kill -0 "$LOCAL_AWS_PID" 2>/dev/null; then
      echo "the local AWS did not start; its log:" >&2
      cat "$state/local-aws.log" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "the local AWS did not answer on port $port within 30 s" >&2
  return 1
}

seed_local_aws() {
  local port=$1 state=$2
  .venv/bin/python localaws/seed.py --endpoint "http://127.0.0.1:$port" --out "$state"
}

# stop_pid PID: TERM, wait up to 10 s, then KILL.
stop_pid() {
  local pid=$1
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.2
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
