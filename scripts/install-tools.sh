#!/usr/bin/env bash
# Installs what the portal's build, dev stack and tests need, idempotently and pinned: each tool is
# checked by version and installed only when missing or wrong. Safe to run again and again.
#   scripts/install-tools.sh            everything `make dev` needs
#   scripts/install-tools.sh --browser  also Debian's Chromium (for `make test`)
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10   # 0.3.11 needs rustc 1.96 (shared/notes/toolchain.md)
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '==> %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 11 minutes on 2 cores)"
  # no_downloads: a missing tool is a clear error instead of a download that cannot work here.
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --features no_downloads --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (matches Cargo.lock)"
  # Without --locked: the registry here lacks one of its locked dependency versions.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

stamp() { sha256sum "$@" | sha256sum | cut -d' ' -f1; }

# Node packages: Playwright (the test runner only; the browser is Debian's) and binaryen (wasm-opt).
want=$(stamp end2end/package.json end2end/package-lock.json)
if [ "$(cat end2end/node_modules/.fastish-stamp 2>/dev/null)" != "$want" ]; then
  say "installing the end-to-end test packages"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  echo "$want" > end2end/node_modules/.fastish-stamp
fi

# The local AWS: moto and its launcher's test tools, pinned, in a project-local venv.
want=$(stamp localaws/requirements.txt)
if [ "$(cat .venv/.fastish-stamp 2>/dev/null)" != "$want" ]; then
  say "creating the local-AWS Python environment (.venv)"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r localaws/requirements.txt
  echo "$want" > .venv/.fastish-stamp
fi

if [ "${1:-}" = "--browser" ] && ! [ -x /usr/bin/chromium ]; then
  say "installing Debian's Chromium (for the browser tests)"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
say "tools are in place"
