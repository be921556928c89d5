#!/usr/bin/env bash
# Headless Chromium for the webview tests, from Debian (no browser downloads reach this network).
set -euo pipefail
source "$(dirname "$0")/retry.sh"
# update and install together on each attempt: a failed install after a mirror's partial sync
# needs fresh lists. The lock timeout waits for another apt (a fresh machine's unattended
# upgrades, the extension layer's installer) instead of failing at once.
apt_install() {
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null &&
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$@" >/dev/null
}
if [ ! -x /usr/bin/chromium ]; then
  echo "installing chromium (apt-get)…"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  retry apt_install chromium fonts-dejavu-core
fi
