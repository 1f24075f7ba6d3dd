#!/usr/bin/env bash
# Runs every test: the engine's Rust tests, then the page's tests in headless
# Chromium (each test file starts its own server on a free port).
# Installs, when missing: the Rust target wasm32-unknown-unknown and
# wasm-bindgen-cli (through scripts/build-wasm.sh), Debian's chromium
# (apt-get, with sudo unless run as root) and the npm devDependencies
# (playwright-core, with npm ci). Needs Node.js 20 or later.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test

./scripts/build-wasm.sh

if [[ ! -x /usr/bin/chromium ]]; then
  sudo=()
  if [[ "$(id -u)" != 0 ]]; then sudo=(sudo); fi
  "${sudo[@]}" apt-get update
  "${sudo[@]}" apt-get install -y chromium
fi

npm ci --no-audit --no-fund

node --test --test-concurrency=1 tests/js/*.test.mjs tests/e2e/*.test.mjs
