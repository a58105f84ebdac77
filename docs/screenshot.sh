#!/usr/bin/env bash
# Regenerates docs/img/report_1280.png, the README's picture of a report: the top of the NPS
# report on the bundled demo data, 1280 x 800 CSS px, in Debian's headless Chromium
# (apt-get install chromium). Run from the repository root: bash docs/screenshot.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"${NPS_KIT:-.venv/bin/nps-kit}" run nps_report -o "$work/report" >/dev/null
"${NPS_KIT_CHROMIUM:-/usr/bin/chromium}" --headless --no-sandbox --disable-gpu --disable-quic \
  --no-first-run --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$work/profile" --window-size=1280,800 \
  --screenshot="$PWD/docs/img/report_1280.png" "file://$work/report/nps_report.html" 2>/dev/null
ls -l docs/img/report_1280.png
