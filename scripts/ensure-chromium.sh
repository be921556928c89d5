#!/usr/bin/env bash
# Headless Chromium for the webview tests, from Debian (no browser downloads reach this network).
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  echo "installing chromium (apt-get)…"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
