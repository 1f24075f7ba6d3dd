#!/usr/bin/env bash
# Builds the engine and serves the page at http://127.0.0.1:8080/ (PORT overrides).
# Installs, when missing (through scripts/build-wasm.sh): the Rust target
# wasm32-unknown-unknown and wasm-bindgen-cli. The server needs Node.js 20 or
# later and no npm package.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/build-wasm.sh
exec node scripts/serve.mjs
