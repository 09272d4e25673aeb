#!/usr/bin/env bash
# Packaging smoke test, runnable where Electron itself can't be downloaded: electron-builder packages the
# unpacked Linux app around a stand-in Electron (an executable stub plus a `version` file), then
#   - the afterPack hook must have run and recognised the stand-in (it refuses any other fuse-less binary),
#   - the update feed given at build time must be baked into resources/app-update.yml,
#   - scripts/packaging/check-package.ts checks the asar's file list (entries present, sources, tests,
#     source maps and dev-only packages absent), the unpacked native addons (target platform only) and
#     loads the packaged better-sqlite3 (FTS5), keytar and every production dependency under Node.
# The output cannot run (the stand-in is not Electron); real installers need `npm run dist*` on a machine
# that can download Electron. Everything is written to a temp dir that is removed on exit.
# The app is built into the temp dir too (DMDESK_BUILT_APP_DIR), so a build running in the checkout at the
# same time can't swap files under electron-builder.
# Usage: bash scripts/package-smoke.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/toolchain.sh
ensure_node22 >/dev/null

WORK=$(mktemp -d "${TMPDIR:-/tmp}/dmdesk-package-smoke.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
FEED_URL=https://updates.dmdesk.invalid/smoke/

npx electron-vite build --outDir "$WORK/out" >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }

# The stand-in Electron distribution electron-builder copies instead of downloading Electron's zip.
mkdir -p "$WORK/electron-dist"
printf '#!/bin/sh\necho "stand-in for Electron: this package is a configuration check and cannot run" >&2\nexit 1\n' >"$WORK/electron-dist/electron"
chmod +x "$WORK/electron-dist/electron"
node -p 'require("electron/package.json").version' >"$WORK/electron-dist/version"

# XDG_CACHE_HOME keeps electron-builder's caches in the temp dir; nothing is downloaded with electronDist.
if ! env DMDESK_ELECTRON_STAND_IN=1 DMDESK_UPDATE_URL="$FEED_URL" DMDESK_BUILT_APP_DIR="$WORK/out" XDG_CACHE_HOME="$WORK/cache" \
  npx electron-builder --linux dir --publish never \
  -c.electronDist="$WORK/electron-dist" -c.npmRebuild=false -c.directories.output="$WORK/release" \
  >"$WORK/electron-builder.log" 2>&1; then
  cat "$WORK/electron-builder.log"
  echo "package smoke: electron-builder failed" >&2
  exit 1
fi

RESOURCES="$WORK/release/linux-unpacked/resources"
fail() { echo "package smoke: $*" >&2; exit 1; }
grep -q 'dmdesk fuses: skipped: .* is a stand-in for Electron' "$WORK/electron-builder.log" ||
  fail "the afterPack fuse hook did not run (see scripts/packaging/packaging-config.ts)"
test -x "$WORK/release/linux-unpacked/dmdesk" || fail "no dmdesk executable in linux-unpacked"
grep -qx 'provider: generic' "$RESOURCES/app-update.yml" || fail "app-update.yml lacks the generic provider"
grep -qx "url: $FEED_URL" "$RESOURCES/app-update.yml" || fail "app-update.yml does not point at $FEED_URL"

node scripts/packaging/check-package.ts "$RESOURCES" --target "linux-$(node -p process.arch)"
echo "package smoke: ok (asar $(du -sh "$RESOURCES/app.asar" | cut -f1), unpacked addons $(du -sh "$RESOURCES/app.asar.unpacked" | cut -f1))"
