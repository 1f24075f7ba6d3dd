#!/usr/bin/env bash
# Builds the engine for the browser into www/pkg (nasplay.js + nasplay_bg.wasm,
# and nasplay_bg.wasm.gz for serving compressed).
# Installs, when missing: the Rust target wasm32-unknown-unknown (rustup) and
# wasm-bindgen-cli at the exact version of wasm-bindgen in Cargo.lock (cargo install).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

# The CLI must match the wasm-bindgen library version exactly.
version=$(awk '
  $0 == "name = \"wasm-bindgen\"" { found = 1; next }
  found && /^version = / { gsub(/version = |"/, ""); print; exit }
' Cargo.lock)
if [[ -z "$version" ]]; then
  echo "build-wasm: no wasm-bindgen package in Cargo.lock" >&2
  exit 1
fi
if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $version" ]]; then
  echo "build-wasm: installing wasm-bindgen-cli $version (a few minutes, once)"
  cargo install wasm-bindgen-cli --version "$version"
fi

cargo build --lib --release --target wasm32-unknown-unknown
target_dir=${CARGO_TARGET_DIR:-target}
# The name section (7 MB) only makes panic stack traces readable; leave it out.
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
  --out-dir www/pkg "$target_dir/wasm32-unknown-unknown/release/nasplay.wasm"
# Served in place of the wasm to browsers that accept gzip (scripts/serve.mjs).
gzip -9 --keep --force --no-name www/pkg/nasplay_bg.wasm
echo "build-wasm: www/pkg is up to date"
