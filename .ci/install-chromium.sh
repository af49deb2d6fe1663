#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium for the HTML report browser test (run as root; idempotent:
# does nothing when /usr/bin/chromium is already there).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || true)"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium fonts-dejavu-core
/usr/bin/chromium --version
