#!/usr/bin/env bash
# Regenerates the README's images into docs/images, for a person to review and commit (the test
# command writes its screenshots to out/screenshots and never touches tracked files):
#   webview-{light,dark}.png       the Chromium suite's theme screenshots
#   preview-beside-editor.png      the UI scenario in a real VS Code (offline server)
#   loop-{1,2,3}-*.png             the same scenario: edit, save, claims checked (the README walkthrough)
#   gallery/*.png + README list    every example's figures (scripts/gallery.mjs)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/ensure-chromium.sh
SGDEXP_QUIET=1 npm run --silent build
export SGDEXP_SCREENSHOT_DIR=docs/images
node test/webview/run.mjs
SGDEXP_E2E_ONLY=ui bash test/extension/run.sh
node scripts/gallery.mjs
git status --short docs README.md
