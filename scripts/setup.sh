#!/usr/bin/env bash
# Installs everything dmdesk needs on a fresh Debian machine: apt packages, Node 22, npm dependencies.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/toolchain.sh
ensure_everything
echo "setup: node $(node --version), dependencies installed"
