#!/bin/sh
# Refreshes the vendored Chart.js (MIT) that the dashboard serves from inside the assembly; no CDN at run time.
# Usage: scripts/vendor-chartjs.sh [VERSION]   (default: the version below)
set -eu
version="${1:-4.6.1}"
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack "chart.js@$version" >/dev/null
tar -xzf "chart.js-$version.tgz"
cp package/dist/chart.umd.min.js "$here/src/OpenCem/Dashboard/Assets/vendor/chart.umd.min.js"
cp package/LICENSE.md "$here/src/OpenCem/Dashboard/Assets/vendor/chart.js.LICENSE.md"
echo "Chart.js $version vendored into src/OpenCem/Dashboard/Assets/vendor/"
