#!/usr/bin/env bash
# Sets up and runs dmdesk: the desktop app when Electron's binary is installed, otherwise web mode
# in your browser. With no API key configured it opens the demo (embedded simulator).
#   bash scripts/run.sh [--port N] [--data-dir DIR]      (options are passed to web mode)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/toolchain.sh
ensure_everything
npm run --silent build

electron_binary() { node -e 'try { const p = require("electron"); require("fs").accessSync(p); console.log(p) } catch { process.exit(1) }' 2>/dev/null; }

if binary=$(electron_binary); then
  exec "$binary" .
fi
echo "dmdesk: Electron's binary is not installed on this machine (it downloads from GitHub), so dmdesk runs in web mode: open the URL printed below in your browser." >&2
exec node electron/web/cli.ts --demo --port "${DMDESK_PORT:-5179}" "$@"
