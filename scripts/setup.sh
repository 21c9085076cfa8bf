# Sourced by scripts/run and scripts/test: installs what is missing (idempotently) and puts build
# caches outside the clone, so a fresh clone reuses them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/outpost/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
mkdir -p "$CARGO_TARGET_DIR"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

APT_UPDATED=""
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  # An image hook can delete downloaded .debs mid-install; a second attempt succeeds.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" \
    || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
}

need_rust() {
  if ! command -v cargo >/dev/null; then
    [ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
  fi
  command -v cargo >/dev/null || { echo "cargo is missing: install Rust 1.95 with rustup (https://rustup.rs)" >&2; exit 1; }
  # rust-toolchain.toml pins the version; rustup installs it (with rustfmt and clippy) on first use.
  (cd "$ROOT" && cargo --version >/dev/null)
}

need_build_tools() {
  command -v cc >/dev/null || apt_install build-essential
  command -v pkg-config >/dev/null || apt_install pkg-config
}

need_postgres() {
  [ -x "${PG_BIN:-/usr/lib/postgresql/15/bin}/initdb" ] || apt_install postgresql-15
}
