#!/usr/bin/env bash
# Installs everything dmdesk needs on a fresh Debian machine: apt packages, Node 22, npm dependencies.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/toolchain.sh
ensure_apt_packages
ensure_node22
ensure_node_modules
echo "setup: node $(node --version), dependencies installed"
